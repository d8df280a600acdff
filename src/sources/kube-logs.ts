// The logs of a fleet for `analyze --kube`: every container's log is fetched by its own `kubectl logs --timestamps`
// (a few at a time) into a spool file, then the files are merged by the timestamp kubectl put on each line, so
// the pipeline sees one timeline while each container keeps its own input name, line numbers and records
// (pipeline lanes). Spooling keeps memory flat whatever the fleet's size: the merge holds one read buffer per
// stream, and no kubectl process waits on a pipe nobody reads.
import { createWriteStream, closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { kubectlStream, type KubeTarget } from './kubectl.js';
import { MinHeap } from '../heap.js';

/** One container log to fetch. */
export interface LogStreamSpec {
  readonly input: string;
  readonly pod: string;
  readonly container: string;
  readonly previous: boolean;
}

export interface SpooledLog extends LogStreamSpec {
  /** The spool file; null when the log was not fetched at all. */
  readonly path: string | null;
  /** Why the log is missing or cut short (one line), or null. */
  readonly error: string | null;
  /** The container has no previous instance after all (restarted between listing and reading: not a failure). */
  readonly absent: boolean;
}

export interface SpoolOptions {
  readonly concurrency: number;
  /** kubectl's `--since=…` / `--since-time=…` flag. */
  readonly since?: string;
  readonly signal?: AbortSignal;
  /** After each stream is fetched (progress). */
  readonly onFetched?: (done: number, total: number) => void;
}

/** kubectl's answer when there is no earlier instance to read. */
const NO_PREVIOUS = /previous terminated container .* not found|not found for previous/i;
const POD_GONE = /pods? "[^"]+" not found/i;
/** How kubectl says a log stream was cut (connection reset, API server or kubelet gone mid-answer). */
export const BROKEN = /unexpected EOF|connection reset|broken pipe|stream error|INTERNAL_ERROR|use of closed network connection/i;

/** kubectl logs arguments for one stream: all lines (a selector would default to 10 per pod), with timestamps. */
export function logArgs(s: Pick<LogStreamSpec, 'pod' | 'container' | 'previous'>, extra: readonly string[] = []): string[] {
  return ['logs', s.pod, '--container', s.container, '--timestamps', '--tail=-1', ...(s.previous ? ['--previous'] : []), ...extra];
}

/** Fetches every stream into `dir`, at most `concurrency` kubectl processes at once. Never rejects for one stream. */
export async function spoolLogs(t: KubeTarget, specs: readonly LogStreamSpec[], dir: string, opts: SpoolOptions): Promise<SpooledLog[]> {
  const out: SpooledLog[] = new Array(specs.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= specs.length) return;
      const spec = specs[i]!;
      const path = join(dir, `${i}.log`);
      out[i] = opts.signal?.aborted ? { ...spec, path: null, error: `${spec.input}: not read (interrupted)`, absent: false } : await fetchOne(t, spec, path, opts);
      opts.onFetched?.(++done, specs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, specs.length)) }, worker));
  return out;
}

async function fetchOne(t: KubeTarget, spec: LogStreamSpec, path: string, opts: SpoolOptions): Promise<SpooledLog> {
  const file = createWriteStream(path);
  const written = new Promise<string | null>((res) => {
    file.on('finish', () => res(null));
    file.on('error', (e) => res(`cannot write the spool file: ${e.message}`));
  });
  const what = `${spec.input}`;
  const k = kubectlStream(t, logArgs(spec, opts.since ? [opts.since] : []), what);
  const onAbort = (): void => k.stop();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  k.stdout.pipe(file);
  let failure: string | null;
  try {
    failure = await k.done;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  const writeFailure = await written;
  if (failure && NO_PREVIOUS.test(failure)) return { ...spec, path, error: null, absent: true };
  if (failure && POD_GONE.test(failure)) failure = `${spec.input}: the pod was deleted before its log was read`;
  else if (failure && BROKEN.test(failure)) failure = `${spec.input}: the log stream broke off (${failure.slice(spec.input.length + 2)}); analysed what was read`;
  if (opts.signal?.aborted && !failure) failure = `${spec.input}: interrupted; analysed what was read`;
  return { ...spec, path, error: failure ?? writeFailure, absent: false };
}

// ---- merge ----------------------------------------------------------------------------------------------------

/** Where a source's lines go: a timed lane of the pipeline (pipeline.ts Lane), seen from here. */
export interface Lane {
  push(chunk: Buffer, time?: number): void;
  flush(): void;
  end(): void;
}

/** Where a merged source's lines go, and where they come from. */
export type TimedSource =
  | { readonly lane: Lane; readonly path: string }
  /** Lines that all belong at one time (a container's status; null: after everything else). */
  | { readonly lane: Lane; readonly lines: readonly string[]; readonly time: string | null };

export interface MergeOptions {
  /** Lines stamped after this (epoch ms) are left out. */
  readonly untilMs?: number;
  readonly signal?: AbortSignal;
  /** Nothing older than `time` (epoch ms) will be pushed any more (Pipeline.release). */
  readonly advance?: (time: number) => void;
}

/**
 * A lane quiet this long (in log time) while the others go on has its open record closed, as `tail` does after
 * a quiet spell: a record's continuation lines and a crash block's records come within milliseconds, and the
 * record's event would otherwise wait for the lane's next line, which may be hours later.
 */
export const QUIET_MS = 1000;

const READ_BYTES = 64 * 1024;
/** A line longer than this is cut here (the scanner keeps 64 KiB of a line anyway). */
const MAX_LINE = 1024 * 1024;
const RUN_BYTES = 256 * 1024;

/**
 * Epoch milliseconds (with the fraction) of the RFC 3339 UTC timestamp kubectl --timestamps puts before a line,
 * and where the line proper starts; null when the line has none.
 */
export function stampOf(b: Buffer, s: number, e: number): { ms: number; body: number } | null {
  if (e - s < 21 || b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 84 || b[s + 13] !== 58 || b[s + 16] !== 58) return null;
  const d = (i: number): number => b[s + i]! - 48;
  const two = (i: number): number => d(i) * 10 + d(i + 1);
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]) if (d(i) < 0 || d(i) > 9) return null;
  let p = s + 19;
  let frac = 0;
  if (b[p] === 46) {
    let scale = 100;
    for (p++; p < e && b[p]! >= 48 && b[p]! <= 57; p++) {
      frac += (b[p]! - 48) * scale;
      scale /= 10;
    }
  }
  if (b[p] !== 90 || b[p + 1] !== 32) return null; // 'Z', ' '
  const ms = Date.UTC(d(0) * 1000 + d(1) * 100 + two(2), two(5) - 1, two(8), two(11), two(14), two(17)) + frac;
  return { ms, body: p + 2 };
}

/** Reads a spool file line by line; `key` is the current line's time (the previous line's when it has none). */
class FileCursor {
  buf = Buffer.allocUnsafe(READ_BYTES);
  private start = 0;
  private end = 0;
  private eof = false;
  /** Inside a line cut at MAX_LINE: its rest is dropped up to the newline. */
  private skipping = false;
  key = -Infinity;
  /** Where the line proper starts (after kubectl's timestamp) and ends (after its newline). */
  body = 0;
  lineEnd = 0;

  constructor(private readonly fd: number) {}

  /** Moves to the next line; false at the end of the file. The line stays valid until the next call. */
  advance(): boolean {
    for (;;) {
      const nl = this.buf.subarray(this.start, this.end).indexOf(10);
      if (this.skipping) {
        if (nl >= 0) {
          this.start += nl + 1;
          this.skipping = false;
          continue;
        }
        this.start = this.end;
      } else if (nl >= 0) {
        this.take(this.start, this.start + nl + 1);
        return true;
      } else if (this.end - this.start >= MAX_LINE) {
        // Deliver the first MAX_LINE bytes as the line (its last byte becomes its newline); drop the rest.
        this.buf[this.start + MAX_LINE - 1] = 10;
        this.take(this.start, this.start + MAX_LINE);
        this.skipping = true;
        return true;
      }
      if (this.eof) {
        if (this.start < this.end && !this.skipping) {
          this.take(this.start, this.end);
          return true;
        }
        return false;
      }
      this.fill();
    }
  }

  private take(s: number, e: number): void {
    this.lineEnd = e;
    this.start = e;
    const st = stampOf(this.buf, s, e);
    if (st) {
      this.key = st.ms;
      this.body = st.body;
    } else this.body = s;
  }

  private fill(): void {
    if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (this.end === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    const n = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
    if (n === 0) this.eof = true;
    this.end += n;
  }
}

interface Active {
  readonly order: number;
  readonly lane: Lane;
  key: number;
  readonly file: FileCursor | null;
  readonly fd: number | null;
  /** In-memory lines (status), delivered at once. */
  readonly text: Buffer | null;
}

const before = (a: Active, b: Active): boolean => a.key < b.key || (a.key === b.key && a.order < b.order);

/**
 * Pushes every source's lines into its lane in the order of their timestamps (ties: the source listed first),
 * without the timestamps. A lane ends as soon as its source does, so its last records join the diagnosis in
 * time. Returns the lines left out by `untilMs`.
 */
export async function mergeByTime(sources: readonly TimedSource[], opts: MergeOptions = {}): Promise<number> {
  // The sources by (time, order): the one furthest behind is read next.
  const heap = new MinHeap<Active>(before);
  const open: Active[] = [];
  let leftOut = 0;
  try {
    sources.forEach((src, order) => {
      if ('path' in src) {
        const fd = openSync(src.path, 'r');
        const file = new FileCursor(fd);
        const a: Active = { order, lane: src.lane, key: -Infinity, file, fd, text: null };
        open.push(a);
        if (file.advance()) {
          a.key = file.key;
          heap.push(a);
        } else src.lane.end();
      } else {
        const key = src.time ? Date.parse(src.time) : Infinity;
        if (src.lines.length === 0) {
          src.lane.end();
          return;
        }
        heap.push({ order, lane: src.lane, key: Number.isFinite(key) ? key : Infinity, file: null, fd: null, text: Buffer.from(`${src.lines.join('\n')}\n`) });
      }
    });
    const run = Buffer.allocUnsafe(RUN_BYTES);
    let runLen = 0;
    let runTime = 0;
    let bytesSinceYield = 0;
    const flushRun = (lane: Lane): void => {
      if (runLen > 0) lane.push(run.subarray(0, runLen), runTime);
      runLen = 0;
    };
    // Lanes with lines pushed since their last flush, least recently pushed first, with that time.
    const unflushed = new Map<Lane, number>();
    for (let a = heap.pop(); a; a = heap.pop()) {
      if (opts.signal?.aborted) break;
      const now = a.key;
      if (Number.isFinite(now)) {
        for (const [lane, last] of unflushed) {
          if (last >= now - QUIET_MS) break;
          lane.flush();
          unflushed.delete(lane);
        }
        opts.advance?.(now - QUIET_MS);
      }
      if (a.text) {
        a.lane.push(a.text, now);
        a.lane.end();
        continue;
      }
      const f = a.file!;
      const next = heap.peek();
      let more = true;
      let last = f.key;
      runTime = f.key;
      // This source's lines up to the next source's time: one run.
      while (more && (!next || !before(next, a))) {
        if (opts.untilMs !== undefined && f.key > opts.untilMs) {
          leftOut++;
          while (f.advance()) leftOut++;
          more = false;
          break;
        }
        const len = f.lineEnd - f.body;
        if (runLen + len > RUN_BYTES) {
          flushRun(a.lane);
          runTime = f.key;
        }
        if (len > RUN_BYTES) a.lane.push(f.buf.subarray(f.body, f.lineEnd), f.key);
        else runLen += f.buf.copy(run, runLen, f.body, f.lineEnd);
        bytesSinceYield += len;
        last = f.key;
        more = f.advance();
        a.key = f.key;
      }
      flushRun(a.lane);
      unflushed.delete(a.lane);
      if (more) {
        unflushed.set(a.lane, last);
        heap.push(a);
      } else a.lane.end();
      if (bytesSinceYield > 4 * 1024 * 1024) {
        bytesSinceYield = 0;
        // Let Ctrl-C and the rest of the event loop in.
        await new Promise<void>((r) => setImmediate(r));
      }
    }
  } finally {
    for (const a of open) if (a.fd !== null) closeSync(a.fd);
  }
  return leftOut;
}
