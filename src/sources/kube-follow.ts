// `tail --kube`: follows every container of every matching pod, one `kubectl logs --follow --timestamps` each, a
// bounded number at once. The pod list is read again every few seconds and whenever a stream ends, so pods that
// appear later are followed, a stream that broke off is reconnected from the last line it gave (lines stamped at
// or before it are dropped), and a restarted container is followed again: the lines its last instance wrote
// after the stream ended are read with --previous, its new status becomes status lines, and the new instance gets
// an input of its own. Every stream's state is reported as it changes: no stream stops silently.
import type { ContainerFact, PodFact } from '../model.js';
import { kubectlStream, type KubectlStream, type KubeTarget } from './kubectl.js';
import { listPods, statusLines } from './kube.js';
import { BROKEN, stampOf } from './kube-logs.js';

export type StreamState = 'queued' | 'connecting' | 'following' | 'reconnecting' | 'waiting' | 'ended' | 'failed';

/** One container's log as followed: the state the screen and the ndjson `status` objects show. */
export interface StreamInfo {
  /** `pod/container`. */
  readonly key: string;
  readonly pod: string;
  readonly container: string;
  /** The input name evidence uses for the instance followed now. */
  readonly input: string;
  readonly state: StreamState;
  readonly detail?: string;
  /** Wall-clock ms of the last state change. */
  readonly at: number;
  /** Lines received from this container (every instance). */
  readonly lines: number;
  readonly restarts: number;
}

/** A stream's change of state, numbered in the order they happened (`tail`'s ndjson reports each one). */
export interface StreamEvent extends StreamInfo {
  readonly seq: number;
}

export interface FollowerEvents {
  /** A stream changed state (or was first seen). */
  onStream(s: StreamInfo): void;
  /** Whole lines of an input, kubectl's timestamps removed. */
  onLines(input: string, chunk: Buffer): void;
  /** An input will get no more lines. */
  onInputEnd(input: string): void;
  /** Lines a container's status turned into (its last termination), for the input `pod/container (status)`. */
  onStatus(input: string, lines: string[]): void;
  /** Listing the pods failed after it had worked: transient, retried (null: it works again). */
  onListProblem(message: string | null): void;
}

export interface FollowerOptions {
  readonly target: KubeTarget;
  readonly selectors: readonly string[];
  readonly roles: ReadonlyArray<PodFact['role']>;
  readonly maxStreams: number;
  /** Lines of each container's log to start with (-1: all). */
  readonly backlogLines: number;
  /** Wall-clock ms between two listings of the pods (default 5000). */
  readonly pollMs?: number;
  readonly now?: () => number;
}

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];

/** One container followed. */
interface Followed {
  readonly key: string;
  readonly pod: string;
  readonly container: string;
  /** Pod uid + restart count of the instance followed. */
  instance: string;
  restarts: number;
  input: string;
  state: StreamState;
  detail?: string;
  at: number;
  lines: number;
  /** kubectl's timestamp of the last line received from the current instance (for --since-time). */
  lastStamp: string | null;
  proc: KubectlStream | null;
  /** Reconnection attempts since the stream last gave a line. */
  attempts: number;
  retryAt: number;
  /** The stream should start from the instance's first line (a new instance). */
  fromStart: boolean;
  seen: boolean;
}

export class KubeFollower {
  private readonly streams = new Map<string, Followed>();
  private readonly now: () => number;
  private readonly pollMs: number;
  private wake: (() => void) | null = null;
  private listWorked = false;
  private listProblem: string | null = null;
  private running = 0;
  /** kubectl calls besides the follow streams (the catch-up reads of ended instances). */
  private readonly side = new Set<KubectlStream>();

  constructor(
    private readonly opts: FollowerOptions,
    private readonly events: FollowerEvents,
  ) {
    this.now = opts.now ?? Date.now;
    this.pollMs = opts.pollMs ?? 5000;
  }

  /** Every stream's state now, in the order first seen. */
  snapshot(): StreamInfo[] {
    return [...this.streams.values()].map((f) => this.info(f));
  }

  /**
   * Follows until the signal aborts. The first listing of the pods must work (else a KubeError: kubectl missing,
   * no such context, forbidden); later failures are reported and retried.
   */
  async run(signal: AbortSignal): Promise<void> {
    const onAbort = (): void => this.wakeUp();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      let nextList = 0;
      while (!signal.aborted) {
        const t = this.now();
        if (t >= nextList) {
          await this.list(signal);
          nextList = this.now() + this.pollMs;
        }
        this.schedule();
        const due = Math.min(nextList, ...[...this.streams.values()].filter((f) => f.state === 'reconnecting').map((f) => f.retryAt));
        await this.sleep(Math.max(10, due - this.now()));
        // A stream that ended asks for a listing at once (restart? pod deleted?).
        if (this.relist) {
          this.relist = false;
          nextList = 0;
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.stopping = true;
      const procs = [...[...this.streams.values()].map((f) => f.proc), ...this.side];
      for (const p of procs) p?.stop();
      await Promise.all(procs.map((p) => p?.done));
    }
  }

  private relist = false;
  /** Quitting: streams that end now are not reconnected. */
  private stopping = false;

  private sleep(ms: number): Promise<void> {
    return new Promise((res) => {
      const timer = setTimeout(() => {
        this.wake = null;
        res();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        res();
      };
    });
  }

  private wakeUp(): void {
    this.wake?.();
  }

  private async list(signal: AbortSignal): Promise<void> {
    let pods: PodFact[];
    try {
      const lists = await Promise.all(this.opts.selectors.map((s, i) => listPods(this.opts.target, s, this.opts.roles[i] ?? 'gateway', signal)));
      const seen = new Set<string>();
      pods = lists.flat().filter((p) => !seen.has(p.name) && Boolean(seen.add(p.name)));
    } catch (e) {
      if (signal.aborted) return;
      if (!this.listWorked) throw e;
      const message = (e as Error).message;
      if (message !== this.listProblem) this.events.onListProblem(message);
      this.listProblem = message;
      return;
    }
    this.listWorked = true;
    if (this.listProblem !== null) this.events.onListProblem(null);
    this.listProblem = null;
    this.reconcile(pods);
  }

  /** Brings the followed streams in line with the pods listed now. */
  private reconcile(pods: readonly PodFact[]): void {
    const present = new Set<string>();
    for (const pod of pods) {
      for (const c of pod.containers) {
        const key = `${pod.name}/${c.name}`;
        present.add(key);
        const instance = String(c.restarts);
        const f = this.streams.get(key);
        // A pod deleted and created again under its name (a StatefulSet) is followed afresh.
        if (!f || f.state === 'ended') {
          this.add(pod, c, key, instance);
          continue;
        }
        if (f.instance !== instance) this.restarted(f, pod, c, instance);
        else if (c.state !== 'running' && !f.proc) this.set(f, 'waiting', c.reason ?? c.state);
        else if (c.state === 'running' && f.state === 'waiting') this.set(f, 'queued');
      }
    }
    for (const f of this.streams.values()) {
      if (present.has(f.key) || f.state === 'ended') continue;
      f.proc?.stop();
      this.events.onInputEnd(f.input);
      this.set(f, 'ended', 'pod deleted');
    }
  }

  private add(pod: PodFact, c: ContainerFact, key: string, instance: string): void {
    const f: Followed = {
      key,
      pod: pod.name,
      container: c.name,
      instance,
      restarts: c.restarts,
      input: key,
      state: 'queued',
      at: this.now(),
      lines: 0,
      lastStamp: null,
      proc: null,
      attempts: 0,
      retryAt: 0,
      fromStart: false,
      seen: false,
    };
    this.streams.set(key, f);
    // What the status says of earlier instances (an OOM kill before we came) is history worth classifying.
    const status = statusLines(pod, c);
    if (status.length > 0 && (c.lastTermination || c.state !== 'running')) this.events.onStatus(`${key} (status)`, status);
    if (c.state !== 'running') this.set(f, 'waiting', c.reason ?? c.state);
    else this.set(f, 'queued');
  }

  private restarted(f: Followed, pod: PodFact, c: ContainerFact, instance: string): void {
    const old = f.input;
    const lastStamp = f.lastStamp;
    f.proc?.stop();
    f.proc = null;
    f.instance = instance;
    f.restarts = c.restarts;
    const why = c.lastTermination?.reason ? `${c.lastTermination.reason}${c.lastTermination.exitCode !== null ? `, exit code ${c.lastTermination.exitCode}` : ''}` : 'restarted';
    // The last words of the instance that ended, after the point where our stream stopped.
    this.catchUp(f, old, lastStamp);
    const status = statusLines(pod, c);
    if (status.length > 0) this.events.onStatus(`${f.key} (status)`, status);
    f.input = `${f.key} (restart ${c.restarts})`;
    f.lastStamp = null;
    f.fromStart = true;
    f.attempts = 0;
    this.set(f, c.state === 'running' ? 'queued' : 'waiting', `container restarted (${why})`);
  }

  /** Reads what the previous instance wrote after `sinceStamp` into `input`, then ends that input. */
  private catchUp(f: Followed, input: string, sinceStamp: string | null): void {
    const args = ['logs', f.pod, '--container', f.container, '--previous', '--timestamps', '--tail=-1', ...(sinceStamp ? [`--since-time=${sinceStamp}`] : [])];
    const proc = kubectlStream(this.opts.target, args, input);
    this.side.add(proc);
    const splitter = new LineSplitter((chunk, lines) => {
      f.lines += lines;
      this.events.onLines(input, chunk);
    }, sinceStamp);
    proc.stdout.on('data', (d: Buffer) => splitter.push(d));
    void proc.done.then(() => {
      this.side.delete(proc);
      splitter.end();
      this.events.onInputEnd(input);
    });
  }

  /** Starts queued streams while there is room, and reconnections that are due. */
  private schedule(): void {
    const t = this.now();
    for (const f of this.streams.values()) {
      if (this.running >= this.opts.maxStreams) break;
      if (f.proc) continue;
      if (f.state === 'queued' || (f.state === 'reconnecting' && f.retryAt <= t)) this.connect(f);
    }
    for (const f of this.streams.values()) {
      if (f.state === 'queued' && !f.proc && this.running >= this.opts.maxStreams && f.detail === undefined) {
        this.set(f, 'queued', `${this.opts.maxStreams} streams at once (--max-streams)`);
      }
    }
  }

  private connect(f: Followed): void {
    const from: string[] = f.lastStamp
      ? [`--since-time=${f.lastStamp}`, '--tail=-1']
      : f.fromStart || this.opts.backlogLines < 0
        ? ['--tail=-1']
        : [`--tail=${this.opts.backlogLines}`];
    const args = ['logs', f.pod, '--container', f.container, '--follow', '--timestamps', ...from];
    const proc = kubectlStream(this.opts.target, args, f.input);
    f.proc = proc;
    this.running++;
    const input = f.input;
    this.set(f, f.state === 'reconnecting' ? 'reconnecting' : 'connecting', f.state === 'reconnecting' ? `attempt ${f.attempts + 1}` : undefined);
    const splitter = new LineSplitter(
      (chunk, lines, lastStamp) => {
        f.lines += lines;
        if (lastStamp !== null) f.lastStamp = lastStamp;
        f.attempts = 0;
        if (f.state !== 'following') this.set(f, 'following');
        this.events.onLines(input, chunk);
      },
      f.lastStamp,
    );
    proc.stdout.on('data', (d: Buffer) => splitter.push(d));
    // kubectl connects before the first line: no line for a while is still a live stream.
    const live = setTimeout(() => {
      if (f.proc === proc && f.state !== 'following') this.set(f, 'following', f.lastStamp ? 'reconnected, no new lines yet' : 'no lines yet');
    }, 1500);
    void proc.done.then((failure) => {
      clearTimeout(live);
      splitter.end();
      this.running--;
      if (f.proc !== proc || this.stopping) return; // stopped on purpose (restart, pod deleted, quit)
      f.proc = null;
      this.streamEnded(f, failure);
      this.relist = true;
      this.wakeUp();
    });
  }

  /** The kubectl of a stream exited by itself: reconnect, wait for the container, or give up on a hard error. */
  private streamEnded(f: Followed, failure: string | null): void {
    if (failure && !BROKEN.test(failure) && /forbidden|not found at|not on PATH|does not exist|credentials/i.test(failure)) {
      this.set(f, 'failed', failure.replace(`${f.input}: `, ''));
      return;
    }
    if (failure && /pods? "[^"]+" not found/.test(failure)) {
      this.events.onInputEnd(f.input);
      this.set(f, 'ended', 'pod deleted');
      return;
    }
    f.attempts++;
    const wait = BACKOFF_MS[Math.min(f.attempts - 1, BACKOFF_MS.length - 1)]!;
    f.retryAt = this.now() + wait;
    const why = failure ? failure.replace(`${f.input}: `, '') : 'the stream ended';
    this.set(f, 'reconnecting', `${why}; again in ${Math.round(wait / 1000)}s`);
  }

  private set(f: Followed, state: StreamState, detail?: string): void {
    if (f.state === state && f.detail === detail && f.seen) return;
    f.seen = true;
    f.state = state;
    f.detail = detail;
    f.at = this.now();
    if (state === 'failed' || state === 'ended') {
      f.proc?.stop();
    }
    this.events.onStream(this.info(f));
  }

  private info(f: Followed): StreamInfo {
    return {
      key: f.key,
      pod: f.pod,
      container: f.container,
      input: f.input,
      state: f.state,
      ...(f.detail !== undefined ? { detail: f.detail } : {}),
      at: f.at,
      lines: f.lines,
      restarts: f.restarts,
    };
  }
}

/** A kubectl timestamp as a string that sorts like the time, to the nanosecond (`…T08:15:42.517000000`). */
export function stampKey(stamp: string): string {
  const dot = stamp.indexOf('.', 19);
  const frac = dot < 0 ? '' : stamp.slice(dot + 1).replace(/\D.*$/, '');
  return `${stamp.slice(0, 19)}.${frac.padEnd(9, '0').slice(0, 9)}`;
}

/**
 * Cuts kubectl's output into whole lines, removes the timestamps, and hands over each batch with its line count
 * and last stamp. After a reconnection (`after`: the stamp of the last line read before), the lines up to that
 * stamp come again and are dropped, until the first newer one: from there on the stream is new.
 */
export class LineSplitter {
  private carry: Buffer | null = null;
  private after: string | null;

  constructor(
    private readonly out: (chunk: Buffer, lines: number, lastStamp: string | null) => void,
    after: string | null,
  ) {
    this.after = after === null ? null : stampKey(after);
  }

  push(data: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, data]) : data;
    const end = buf.lastIndexOf(10);
    if (end < 0) {
      this.carry = buf.length > 1024 * 1024 ? null : Buffer.from(buf);
      return;
    }
    this.carry = end + 1 < buf.length ? Buffer.from(buf.subarray(end + 1)) : null;
    this.emit(buf, end + 1);
  }

  end(): void {
    if (!this.carry) return;
    const rest = Buffer.concat([this.carry, Buffer.from('\n')]);
    this.carry = null;
    this.emit(rest, rest.length);
  }

  private emit(buf: Buffer, upTo: number): void {
    const parts: Buffer[] = [];
    let lines = 0;
    let lastStamp: string | null = null;
    for (let s = 0; s < upTo; ) {
      const nl = buf.indexOf(10, s);
      const e = nl < 0 || nl >= upTo ? upTo : nl + 1;
      const st = stampOf(buf, s, e);
      if (st) {
        const stamp = buf.toString('latin1', s, st.body - 1);
        if (this.after !== null) {
          if (stampKey(stamp) <= this.after) {
            s = e;
            continue;
          }
          this.after = null;
        }
        lastStamp = stamp;
        parts.push(buf.subarray(st.body, e));
      } else if (this.after === null) parts.push(buf.subarray(s, e));
      else {
        s = e;
        continue;
      }
      lines++;
      s = e;
    }
    if (lines > 0) this.out(Buffer.concat(parts), lines, lastStamp);
  }
}
