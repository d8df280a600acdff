// Several inputs as one timeline (`analyze gateway.log controller.log`, a folder, `--docker`): each stream — one
// file, or a rotated set read oldest first — is a lane of the pipeline with a clock (diagnose/timeline.ts) that
// keys its events by their own time; the streams are read a chunk at a time, always the one furthest behind, and
// the pipeline releases the held events up to the time every open stream has reached. So a controller push and
// the gateway's fetch failure a second later reach the diagnosis in that order, each with its own input name
// and line numbers, while within one stream the file's order is kept. Memory stays flat: the streams advance
// together, and what waits is at most a chunk's events per stream.
import { dirname } from 'node:path';
import type { Pipeline, Lane } from '../pipeline.js';
import type { LaneClock, Timeline } from '../diagnose/timeline.js';
import { readInput, rotatedName, TruncatedInput, type InputSpec } from '../sources/open.js';

/** Files read one after another as one stream (a rotated set), or lines that all belong at one time (a status). */
export type MergeStream =
  | { readonly scope: string; readonly files: readonly InputSpec[] }
  | { readonly scope: string; readonly name: string; readonly lines: readonly string[]; readonly atMs: number | null };

export interface MergeResult {
  /** Inputs cut short (a truncated gzip, a read error): what was read still counts. */
  readonly failures: string[];
  readonly readSomething: boolean;
  readonly interrupted: boolean;
}

/** The name a rotated file shares with its set (`gateway.log.3.gz` → `gateway.log`), or the name itself. */
export function rotationBase(name: string): string {
  return rotatedName(name)?.base ?? name;
}

/**
 * The streams of resolved inputs: the files of one rotated set (same folder, same base name) form one stream, in
 * the order given (a folder lists them oldest first); every other input is a stream of its own, stdin too.
 */
export function streamsOf(specs: readonly InputSpec[]): Array<{ scope: string; files: InputSpec[] }> {
  const by = new Map<string, { scope: string; files: InputSpec[] }>();
  for (const s of specs) {
    const key = s.path === '-' ? '-' : `${dirname(s.path)}\0${rotationBase(s.name.split('/').pop()!)}`;
    let st = by.get(key);
    if (!st) {
      const base = rotationBase(s.name);
      by.set(key, (st = { scope: s.path === '-' ? 'stdin' : base, files: [] }));
    }
    st.files.push(s);
  }
  return [...by.values()];
}

interface Reading {
  readonly stream: MergeStream;
  readonly clock: LaneClock;
  /** One lane per file, opened up front so the inputs are listed in the order given. */
  readonly lanes: Lane[];
  next: number;
  lane: Lane | null;
  chunks: AsyncIterator<Buffer> | null;
  done: boolean;
}

/** How far a stream has got: -Infinity while its events wait for their first time, or before any. */
const reached = (r: Reading): number => (r.clock.waiting ? -Infinity : r.clock.frontier);

/**
 * Reads every stream into its lanes, furthest behind first, releasing held events as the streams advance. The
 * lanes are ended; the pipeline's endLanes() is the caller's (it releases what is still held).
 */
export async function mergeInputs(
  pipeline: Pipeline,
  timeline: Timeline,
  streams: readonly MergeStream[],
  opts: { signal?: AbortSignal; onBytes?: (n: number) => void; stdin?: NodeJS.ReadableStream } = {},
): Promise<MergeResult> {
  const failures: string[] = [];
  let readSomething = false;
  const readings: Reading[] = [];
  // Lines that carry no time of their own stand at `atMs` (after everything when unknown); each is pushed when the
  // streams reach its time, so the inputs are listed in the order the timeline meets them.
  const fixed = streams.filter((s): s is Extract<MergeStream, { lines: readonly string[] }> => 'lines' in s).map((s) => ({ s, at: s.atMs ?? Infinity }));
  const pushFixed = (upTo: number): void => {
    for (let i = 0; i < fixed.length; ) {
      const { s, at } = fixed[i]!;
      if (at > upTo) {
        i++;
        continue;
      }
      fixed.splice(i, 1);
      // A state is a fact of now: the window does not leave it out (as for --kube).
      const lane = pipeline.openLane(s.name, { clock: timeline.lane(at, false) });
      if (s.lines.length > 0) lane.push(Buffer.from(`${s.lines.join('\n')}\n`));
      lane.end();
    }
  };
  for (const stream of streams) {
    if ('lines' in stream) continue;
    if (stream.files.length === 0) continue;
    const clock = timeline.lane();
    const lanes = stream.files.map((f) => pipeline.openLane(f.name, { clock }));
    readings.push({ stream, clock, lanes, next: 0, lane: null, chunks: null, done: false });
  }
  let interrupted = false;
  try {
    for (;;) {
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
      let r: Reading | null = null;
      for (const x of readings) if (!x.done && (r === null || reached(x) < reached(r))) r = x;
      if (r === null) break;
      const files = (r.stream as { files: readonly InputSpec[] }).files;
      if (r.chunks === null) {
        const spec = files[r.next]!;
        r.lane = r.lanes[r.next]!;
        r.chunks = readInput(spec, opts.stdin)[Symbol.asyncIterator]();
      }
      let step: IteratorResult<Buffer>;
      try {
        step = await r.chunks.next();
      } catch (e) {
        if (!(e instanceof TruncatedInput)) throw e;
        r.lane!.stats.error = e.message;
        failures.push(e.message);
        step = { done: true, value: undefined };
      }
      if (step.done) {
        r.lane!.end();
        r.lane = null;
        r.chunks = null;
        if (++r.next >= files.length) r.done = true;
      } else {
        r.lane!.push(step.value);
        if (step.value.length > 0) readSomething = true;
        opts.onBytes?.(step.value.length);
      }
      // Every open stream has reached this: nothing older will come.
      let low = Infinity;
      for (const x of readings) if (!x.done) low = Math.min(low, reached(x));
      if (low > -Infinity) {
        pushFixed(low);
        pipeline.release(low);
      }
    }
    pushFixed(Infinity);
  } finally {
    for (const x of readings) {
      await x.chunks?.return?.(undefined);
      for (const lane of x.lanes) lane.end();
    }
  }
  return { failures, readSomething, interrupted };
}
