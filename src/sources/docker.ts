// The all-in-one container as a source (`--docker`): its own log (stdout and stderr, demultiplexed from the
// Engine API's framed stream unless the container has a TTY), the files supervisord writes under
// /var/log/higress (read from the archive endpoint's tar, src/tar.ts), its state turned into
// the lines `kubectl describe pod` prints (so the catalog classifies OOMKilled and exit codes as it does for a
// pod), and the plugin URL pattern from its environment. Everything the daemon sends is untrusted: names from
// the tar are reduced to a plain file name, sizes are bounded by what arrives.
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { plainFileName, TarReader } from '../tar.js';
import type { DockerStateFact } from '../model.js';

export const LOG_DIR = '/var/log/higress';
export const URL_PATTERN_ENV = 'HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN';
/** Evidence input names: `container/gateway.log`, `container/stdout`, `container (status)`. */
export const INPUT_PREFIX = 'container';
export const STDOUT_INPUT = `${INPUT_PREFIX}/stdout`;
export const STATUS_INPUT = `${INPUT_PREFIX} (status)`;
export const fileInput = (name: string): string => `${INPUT_PREFIX}/${name}`;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** Docker's "never": a zero time. */
const when = (v: unknown): string | null => {
  const s = str(v);
  return s && !s.startsWith('0001-01-01') ? s : null;
};

/** What `GET /containers/{id}/json` says that the diagnosis uses. */
export interface ContainerInfo {
  readonly id: string;
  readonly name: string;
  readonly image: string | null;
  readonly tty: boolean;
  readonly state: DockerStateFact;
  /** HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN, when set. */
  readonly urlPattern: string | null;
}

export function containerInfo(inspect: unknown): ContainerInfo {
  const j = obj(inspect);
  const config = obj(j.Config);
  const st = obj(j.State);
  const env = Array.isArray(config.Env) ? config.Env.filter((e): e is string => typeof e === 'string') : [];
  const pattern = env.find((e) => e.startsWith(`${URL_PATTERN_ENV}=`));
  return {
    id: str(j.Id) ?? '',
    name: (str(j.Name) ?? '').replace(/^\//, ''),
    image: str(config.Image) ?? str(j.Image),
    tty: config.Tty === true,
    state: {
      status: str(st.Status),
      running: st.Running === true,
      oomKilled: st.OOMKilled === true,
      exitCode: num(st.ExitCode),
      error: str(st.Error),
      startedAt: when(st.StartedAt),
      finishedAt: when(st.FinishedAt),
      restartCount: num(j.RestartCount) ?? 0,
    },
    urlPattern: pattern === undefined ? null : pattern.slice(URL_PATTERN_ENV.length + 1),
  };
}

const field = (name: string, value: string | number, indent = 0): string => `${' '.repeat(indent)}${`${name}:`.padEnd(16 - indent)}${value}`;

/**
 * The container's state as the lines `kubectl describe pod` prints for a container, which the parser's kube
 * layout reads and the catalog classifies (`Reason: OOMKilled` → oom, `Exit Code: 139` → envoy-crash). Empty when
 * the state says nothing: running, never restarted, never killed.
 */
export function dockerStatusLines(s: DockerStateFact): string[] {
  const ended = s.status === 'exited' || s.status === 'dead';
  const reason = s.oomKilled ? 'OOMKilled' : s.exitCode !== null && s.exitCode !== 0 ? 'Error' : 'Completed';
  const out: string[] = [];
  if (ended) {
    out.push(field('State', 'Terminated'));
    out.push(field('Reason', reason, 2));
    if (s.exitCode !== null) out.push(field('Exit Code', s.exitCode, 2));
    if (s.error) out.push(field('Message', s.error.replace(/\s+/g, ' ').slice(0, 300), 2));
    if (s.startedAt) out.push(field('Started', s.startedAt, 2));
    if (s.finishedAt) out.push(field('Finished', s.finishedAt, 2));
  } else {
    if (s.restartCount === 0 && !s.oomKilled && !s.finishedAt && s.status !== 'restarting') return [];
    out.push(field('State', s.status === 'restarting' ? 'Restarting' : s.status === 'paused' ? 'Paused' : s.status === 'created' ? 'Created' : 'Running'));
    if (s.startedAt) out.push(field('Started', s.startedAt, 2));
    if (s.oomKilled || s.finishedAt) {
      // The daemon keeps only when the last run ended (and whether it was OOM-killed), not its exit code.
      out.push(field('Last State', 'Terminated'));
      if (s.oomKilled) out.push(field('Reason', 'OOMKilled', 2));
      if (s.finishedAt) out.push(field('Finished', s.finishedAt, 2));
    }
  }
  out.push(field('Restart Count', s.restartCount));
  return out;
}

/** `logs` query for the container's own log: both streams, with the daemon's timestamps. */
export function logsQuery(o: { follow?: boolean; sinceSec?: number; untilSec?: number; tail?: number }): string {
  const q = ['stdout=1', 'stderr=1', 'timestamps=1'];
  if (o.follow) q.push('follow=1');
  if (o.sinceSec !== undefined) q.push(`since=${Math.floor(o.sinceSec)}`);
  if (o.untilSec !== undefined) q.push(`until=${Math.ceil(o.untilSec)}`);
  if (o.tail !== undefined) q.push(`tail=${o.tail < 0 ? 'all' : o.tail}`);
  return q.join('&');
}

// ---- the framed log stream --------------------------------------------------------------------------------------

/**
 * Docker's multiplexed stream (a container without a TTY): frames of an 8-byte header — stream (0 stdin, 1 stdout,
 * 2 stderr), three zero bytes, the payload's length big-endian — then the payload. Headers and payloads may be cut
 * anywhere between two chunks. Both streams come out as one, as `docker logs` shows them.
 */
export class Demuxer {
  private header = Buffer.alloc(8);
  private have = 0;
  private left = 0;
  /** Bytes that were not a frame header (a stream that is not framed after all): passed on as they are. */
  unframed = false;

  push(chunk: Buffer, out: (b: Buffer) => void): void {
    let p = 0;
    while (p < chunk.length) {
      if (this.unframed) {
        out(chunk.subarray(p));
        return;
      }
      if (this.left > 0) {
        const n = Math.min(this.left, chunk.length - p);
        out(chunk.subarray(p, p + n));
        p += n;
        this.left -= n;
        continue;
      }
      const n = Math.min(8 - this.have, chunk.length - p);
      chunk.copy(this.header, this.have, p, p + n);
      this.have += n;
      p += n;
      if (this.have < 8) return;
      this.have = 0;
      const h = this.header;
      if (h[0]! > 2 || h[1] !== 0 || h[2] !== 0 || h[3] !== 0) {
        // Not a frame: the stream is raw after all (a TTY the inspect did not say). Keep the bytes.
        this.unframed = true;
        out(Buffer.from(h));
        continue;
      }
      this.left = h.readUInt32BE(4);
    }
  }
}

/** Whether a file of /var/log/higress is a log the pipeline reads (gateway.log, its rotations, .gz too). */
export function isLogFile(name: string): boolean {
  return /\.log(?:\.\d+)?(?:\.gz)?$/.test(name) || /\.gz$/.test(name);
}

/**
 * Writes the log files of a tar stream into `dir`; resolves with their names once every file is on disk, and
 * whether the archive was whole. Each file's bytes go straight to disk: memory stays flat whatever the logs weigh.
 */
export async function spoolTar(body: AsyncIterable<Buffer>, dir: string): Promise<{ files: string[]; whole: boolean }> {
  const files: string[] = [];
  const open: Array<Promise<void>> = [];
  let current: WriteStream | null = null;
  const reader = new TarReader((h) => {
    const name = plainFileName(h);
    if (name === null || !isLogFile(name) || files.includes(name)) return null;
    files.push(name);
    const w = createWriteStream(join(dir, name));
    current?.end();
    current = w;
    open.push(new Promise<void>((res, rej) => w.on('close', res).on('error', rej)));
    return (b) => void w.write(b);
  });
  for await (const chunk of body) reader.push(chunk);
  const whole = reader.end() && reader.complete;
  (current as WriteStream | null)?.end();
  await Promise.all(open);
  return { files, whole };
}
