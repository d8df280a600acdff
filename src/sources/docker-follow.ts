// `tail --docker CONTAINER`: follows the all-in-one container through the Engine API with the events `tail --kube`
// uses (kube-follow.ts FollowerEvents), so the screen, the ndjson status objects and the pipeline lanes are the
// same. Two kinds of stream:
//   container/stdout        `GET /containers/{id}/logs?follow=1` — reconnected from its last second when it ends
//                           while the container runs (lines of that second already read are dropped);
//   container/<file>.log    the files of /var/log/higress, polled: `HEAD …/archive?path=FILE` gives the size in
//                           its stat header, and only a file that grew is fetched again (its new bytes passed on).
//                           A file that shrank was rotated or truncated: it is read again from its start.
// The Engine API has no way to follow a file; the alternative, an exec of `tail -F` inside the container, needs a
// hijacked connection and a shell in the image — polling costs a re-read of a growing file (at most 10 MiB: the
// image rotates at that size) every --docker-poll, and needs nothing. When the container stops, its state
// becomes status lines and the streams end.
import type { StreamInfo, StreamState, FollowerEvents } from './kube-follow.js';
import { DockerClient, DockerError, readBody } from './docker-api.js';
import { containerInfo, Demuxer, dockerStatusLines, fileInput, isLogFile, LOG_DIR, logsQuery, STATUS_INPUT, STDOUT_INPUT, type ContainerInfo } from './docker.js';
import { plainFileName, TarReader } from '../tar.js';

export interface DockerFollowerOptions {
  readonly container: string;
  /** Lines of each log to start with (-1: all). */
  readonly backlogLines: number;
  /** Wall-clock ms between two looks at the files (default 2000). */
  readonly pollMs?: number;
  readonly client?: DockerClient;
  readonly now?: () => number;
}

interface Stream {
  readonly key: string;
  readonly container: string;
  state: StreamState;
  detail?: string;
  at: number;
  lines: number;
  /** Files: bytes passed on so far, and a line cut at the end of the last read. */
  offset: number;
  partial: Buffer;
}

/** The last `n` lines of a buffer (all when n < 0). */
function lastLines(b: Buffer, n: number): Buffer {
  if (n < 0) return b;
  let p = b.length;
  if (p > 0 && b[p - 1] === 10) p--;
  for (let k = 0; k < n; k++) {
    const nl = b.lastIndexOf(10, p - 1);
    if (nl < 0) return b;
    p = nl;
  }
  return n === 0 ? Buffer.alloc(0) : b.subarray(p + 1);
}

const countLines = (b: Buffer): number => {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
};

export class DockerFollower {
  private readonly client: DockerClient;
  private readonly streams = new Map<string, Stream>();
  private readonly now: () => number;
  private info: ContainerInfo | null = null;

  constructor(
    private readonly opts: DockerFollowerOptions,
    private readonly events: FollowerEvents,
  ) {
    this.client = opts.client ?? new DockerClient();
    this.now = opts.now ?? Date.now;
  }

  snapshot(): StreamInfo[] {
    return [...this.streams.values()].map((s) => ({
      key: s.key,
      pod: 'container',
      container: s.container,
      input: s.key,
      state: s.state,
      ...(s.detail ? { detail: s.detail } : {}),
      at: s.at,
      lines: s.lines,
      restarts: this.info?.state.restartCount ?? 0,
    }));
  }

  private set(s: Stream, state: StreamState, detail?: string): void {
    if (s.state === state && s.detail === detail) return;
    s.state = state;
    s.detail = detail;
    s.at = this.now();
    this.events.onStream(this.snapshot().find((x) => x.key === s.key)!);
  }

  private stream(key: string, container: string): Stream {
    let s = this.streams.get(key);
    if (!s) {
      s = { key, container, state: 'connecting', at: this.now(), lines: 0, offset: 0, partial: Buffer.alloc(0) };
      this.streams.set(key, s);
      this.events.onStream(this.snapshot().find((x) => x.key === key)!);
    }
    return s;
  }

  /** Follows until the signal aborts or the container stops; the first inspect must work (else a DockerError). */
  async run(signal: AbortSignal): Promise<void> {
    await this.client.connect(signal);
    this.info = await this.inspect(signal);
    const status = dockerStatusLines(this.info.state);
    if (status.length > 0) this.events.onStatus(STATUS_INPUT, status);
    const files = this.files(signal);
    await Promise.all([this.followLog(signal), files]);
  }

  private async inspect(signal: AbortSignal): Promise<ContainerInfo> {
    try {
      return containerInfo(await this.client.json(`/containers/${encodeURIComponent(this.opts.container)}/json`, `inspecting container ${this.opts.container}`, signal));
    } catch (e) {
      if (e instanceof DockerError && e.status === 404) throw new DockerError(`no such container: ${this.opts.container} (docker ps -a lists them; give a name or an id)`, 404);
      throw e;
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((res) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        res();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** The container's own log, reconnected while the container runs. */
  private async followLog(signal: AbortSignal): Promise<void> {
    const s = this.stream(STDOUT_INPUT, 'stdout');
    let lastStamp: string | null = null;
    let attempts = 0;
    while (!signal.aborted) {
      const info = this.info!;
      const query = logsQuery({ follow: info.state.running, ...(lastStamp ? { sinceSec: Date.parse(lastStamp) / 1000 } : { tail: this.opts.backlogLines }) });
      let problem: string | null = null;
      try {
        const r = await this.client.get(`/containers/${info.id}/logs?${query}`, signal);
        if (r.status !== 200) throw this.client.answerError("reading the container's own log", r.status, await readBody(r.body, 4096));
        this.set(s, info.state.running ? 'following' : 'ended', info.state.running ? undefined : `container ${info.state.status ?? 'stopped'}`);
        const demux = info.tty ? null : new Demuxer();
        let rest = Buffer.alloc(0);
        const since = lastStamp;
        for await (const chunk of r.body as AsyncIterable<Buffer>) {
          const parts: Buffer[] = [rest];
          if (demux) demux.push(chunk, (b) => parts.push(Buffer.from(b)));
          else parts.push(Buffer.from(chunk.toString('latin1').replace(/\r\n/g, '\n'), 'latin1'));
          const all = Buffer.concat(parts);
          const end = all.lastIndexOf(10) + 1;
          rest = all.subarray(end);
          if (end === 0) continue;
          let whole = all.subarray(0, end);
          if (since) {
            // Lines of the second reconnected from that were read already: their stamps are not newer.
            const lines = whole.toString('utf8').split('\n').filter(Boolean);
            whole = Buffer.from(lines.filter((l) => l.slice(0, l.indexOf(' ')) > since).map((l) => `${l}\n`).join(''));
          }
          if (whole.length === 0) continue;
          const text = whole.toString('utf8');
          const last = text.slice(text.lastIndexOf('\n', text.length - 2) + 1);
          lastStamp = last.slice(0, last.indexOf(' ')) || lastStamp;
          s.lines += countLines(whole);
          attempts = 0;
          this.events.onLines(STDOUT_INPUT, whole);
        }
      } catch (e) {
        if (signal.aborted) break;
        if (e instanceof DockerError && e.status !== null && e.status < 500) {
          this.set(s, 'failed', e.message);
          return;
        }
        problem = (e as Error).message;
      }
      if (signal.aborted) break;
      // The stream ended: is the container still running?
      try {
        this.info = await this.inspect(signal);
      } catch (e) {
        if (signal.aborted) break;
        problem = (e as Error).message;
      }
      const now = this.info!;
      if (!now.state.running) {
        const lines = dockerStatusLines(now.state);
        if (lines.length > 0) this.events.onStatus(STATUS_INPUT, lines);
        this.set(s, 'ended', `container ${now.state.status ?? 'stopped'}`);
        this.events.onInputEnd(STDOUT_INPUT);
        return;
      }
      const wait = [1000, 2000, 4000, 8000, 15000, 30000][Math.min(attempts++, 5)]!;
      this.set(s, 'reconnecting', `${problem ?? 'the log stream ended'}; again in ${wait / 1000} s`);
      await this.sleep(wait, signal);
    }
  }

  /** Polls the files of /var/log/higress: the live ones (not the rotated copies), each a stream. */
  private async files(signal: AbortSignal): Promise<void> {
    const info = this.info!;
    // The first look: which files there are, and the last lines of each.
    const r = await this.client.get(`/containers/${info.id}/archive?path=${encodeURIComponent(LOG_DIR)}`, signal).catch((e: Error) => e);
    if (r instanceof Error || r.status !== 200) {
      const message = r instanceof Error ? r.message : r.status === 404 ? `${info.name} has no ${LOG_DIR} (not the all-in-one image, or an older one): only its own log is followed` : this.client.answerError(`reading ${LOG_DIR}`, r.status, await readBody(r.body, 4096)).message;
      if (!(r instanceof Error)) await readBody(r.body, 0).catch(() => '');
      this.events.onListProblem(message);
      return;
    }
    const tails = new Map<string, { size: number; chunks: Buffer[]; kept: number }>();
    const KEEP = 4 * 1024 * 1024;
    const reader = new TarReader((h) => {
      const name = plainFileName(h);
      if (name === null || !isLogFile(name) || /\.\d+(?:\.gz)?$|\.gz$/.test(name)) return null;
      const t = { size: h.size, chunks: [] as Buffer[], kept: 0 };
      tails.set(name, t);
      return (b) => {
        t.chunks.push(Buffer.from(b));
        t.kept += b.length;
        while (t.kept - t.chunks[0]!.length >= KEEP) t.kept -= t.chunks.shift()!.length;
      };
    });
    for await (const chunk of r.body as AsyncIterable<Buffer>) reader.push(chunk);
    reader.end();
    for (const [name, t] of [...tails].sort((a, b) => a[0].localeCompare(b[0]))) {
      const s = this.stream(fileInput(name), name);
      const all = Buffer.concat(t.chunks);
      const end = all.lastIndexOf(10) + 1;
      const backlog = lastLines(all.subarray(0, end), this.opts.backlogLines);
      s.offset = t.size - (all.length - end);
      s.partial = Buffer.alloc(0);
      this.set(s, 'following');
      if (backlog.length > 0) {
        s.lines += countLines(backlog);
        this.events.onLines(s.key, backlog);
      }
    }
    const poll = this.opts.pollMs ?? 2000;
    while (!signal.aborted) {
      await this.sleep(poll, signal);
      if (signal.aborted) break;
      for (const [name] of tails) {
        if (signal.aborted) break;
        await this.pollFile(name, signal).catch((e: Error) => {
          if (!signal.aborted) this.set(this.streams.get(fileInput(name))!, 'reconnecting', `${e.message}; again in ${poll / 1000} s`);
        });
      }
      if (this.info && !this.info.state.running && this.streams.get(STDOUT_INPUT)?.state === 'ended') {
        for (const [name] of tails) {
          const s = this.streams.get(fileInput(name))!;
          this.set(s, 'ended', 'container stopped');
          this.events.onInputEnd(s.key);
        }
        return;
      }
    }
  }

  private async pollFile(name: string, signal: AbortSignal): Promise<void> {
    const s = this.streams.get(fileInput(name))!;
    const path = `${LOG_DIR}/${name}`;
    const head = await this.client.get(`/containers/${this.info!.id}/archive?path=${encodeURIComponent(path)}`, signal, 'HEAD');
    await readBody(head.body, 0);
    if (head.status !== 200) throw this.client.answerError(`looking at ${path}`, head.status, '');
    let size = s.offset;
    try {
      size = Number((JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat'] ?? ''), 'base64').toString('utf8')) as { size?: unknown }).size);
    } catch {
      // no stat header: fetch to see
    }
    if (size === s.offset + s.partial.length) {
      if (s.state !== 'following') this.set(s, 'following');
      return;
    }
    let from = s.offset;
    if (size < s.offset + s.partial.length) {
      // Rotated (supervisord renamed it and began a new one) or truncated: from its start.
      from = 0;
      s.partial = Buffer.alloc(0);
    }
    const r = await this.client.get(`/containers/${this.info!.id}/archive?path=${encodeURIComponent(path)}`, signal);
    if (r.status !== 200) throw this.client.answerError(`reading ${path}`, r.status, await readBody(r.body, 4096));
    const parts: Buffer[] = [];
    let seen = 0;
    const reader = new TarReader((h) => plainFileName(h) === null ? null : (b) => {
      // Only the bytes past what was passed on already (and the cut line kept).
      const skip = Math.max(0, from + s.partial.length - seen);
      if (skip < b.length) parts.push(Buffer.from(b.subarray(skip)));
      seen += b.length;
    });
    for await (const chunk of r.body as AsyncIterable<Buffer>) reader.push(chunk);
    reader.end();
    const fresh = Buffer.concat([s.partial, ...parts]);
    const end = fresh.lastIndexOf(10) + 1;
    const whole = fresh.subarray(0, end);
    s.partial = Buffer.from(fresh.subarray(end));
    s.offset = from + whole.length;
    if (s.state !== 'following') this.set(s, 'following');
    if (whole.length > 0) {
      s.lines += countLines(whole);
      this.events.onLines(s.key, whole);
    }
  }
}
