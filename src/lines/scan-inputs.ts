// How `analyze` reads its inputs, in one place: scanInputs() turns the inputs into steps — an input begins, a
// piece of it, an input cut short — and the pipeline takes each piece with one method (Pipeline.push), whatever
// its origin:
//
// - a regular file of WORKER_MIN_BYTES or more is read and line-scanned on the scan worker (parallel.ts); its
//   pieces are ScanBatches, the scanner's output replayed on this thread; so is stdin when it is a pipe: this
//   thread reads it and feeds the worker (feed.ts) — `kubectl logs … | higress-doctor analyze -`;
// - anything else — a small file, stdin from a terminal or a file, every input with `--no-prefilter` (the reference
//   path), or a build without the worker module (running from the TypeScript sources) — is read here by
//   readInput; its pieces are the raw chunks, scanned by the pipeline's own scanner.
//
// The worker's life is kept here too. It boots on a thread of its own while this one loads the catalog:
// prestartScan() starts it before the CLI's modules load, and scanInputs() takes that one (or starts one) as
// soon as the inputs are known. Its scan of the first big input begins at once, with the scan plan the build
// wrote (`ahead`, the catalog itself is not loaded yet); when the plan of the catalog actually loaded differs
// (samePlan), that early scan is dropped with its worker and the input is scanned again by a fresh one (stdin,
// which cannot be read twice, waits for the catalog's plan instead). The
// worker is closed when the steps end — before the report is built, so its memory is gone by then (peak RSS).
//
// The prestart reads the command line before commander is loaded, so it must know two words of it: the command
// and the option that keeps every input in-process. They are defined here, once, and cli/main.ts defines that
// command and that option with them; nothing else of the command line is read (a big file among the
// arguments is enough: a prestarted worker nobody takes does not keep the process alive).
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { isGzip, readInput, TruncatedInput, type InputSpec } from '../sources/open.js';
import { GZIP_WORKER_MIN_BYTES, ScanWorker, WORKER_MIN_BYTES, type ScanBatch } from './parallel.js';
// Types only from plan.ts: bin/ loads this module before the worker boots, and plan.ts loads the scanner's parts.
import type { ScanPlan } from './plan.js';

/** A piece of an input for Pipeline.push: raw bytes, or lines the scan worker already scanned. */
export type Piece = Buffer | ScanBatch;

export type ScanStep =
  /** The next input begins (Pipeline.beginInput): line numbers restart. */
  | { readonly kind: 'input'; readonly spec: InputSpec }
  /** `bytes`: how many of the input's bytes this piece adds (progress). */
  | { readonly kind: 'piece'; readonly piece: Piece; readonly bytes: number }
  /** The input was cut short (a truncated gzip, a read error); what was read still counts; the next one follows. */
  | { readonly kind: 'cut'; readonly message: string };

export interface ScanInputsOptions {
  /** `--no-prefilter`: every input in-process, every line parsed (the reference path). */
  inProcess?: boolean;
  /** The scan plan written at build time, for the early scan; null, or none: no early scan. */
  ahead?: (() => ScanPlan | null) | null;
  /** What `-` reads (tests); process.stdin by default. */
  stdin?: AsyncIterable<Buffer | string>;
}

export interface InputScan {
  /**
   * Every input in order, scanned with `plan` (the plan of the catalog loaded). Leaving the loop stops the
   * scan; the worker is closed when the steps end, either way.
   */
  steps(plan: ScanPlan): AsyncGenerator<ScanStep>;
  /** Close the worker when steps() is not read to its end (the catalog failed to load); harmless after. */
  close(): Promise<void>;
  /**
   * Read stdin no further (SIGINT): a read that may wait for data forever ends now — stdin read here is closed,
   * stdin fed to the worker ends where it is (the worker scans what it was given).
   */
  stopStdin(): void;
}

/** The command line as prestartScan() reads it; cli/main.ts names its `analyze` command and option with these. */
export const SCAN_ARGV = { command: 'analyze', inProcess: '--no-prefilter' } as const;

let prestarted: ScanWorker | null = null;

/**
 * Worth a worker: a regular file big enough (plain, or gzip holding GZIP_WORKER_MIN_BYTES), or stdin when it is a
 * pipe or a socket — its size is not known, and a pipe is how big logs arrive (`kubectl logs … |`). Stdin from a
 * terminal or a file (`< file`) is read here: the feed reads pipes only.
 */
export function worthAWorker(spec: InputSpec): boolean {
  try {
    if (spec.path === '-') {
      const st = fstatSync(0);
      return st.isFIFO() || st.isSocket();
    }
    const st = statSync(spec.path);
    return st.isFile() && (st.size >= WORKER_MIN_BYTES || gunzippedSize(spec.path, st.size) >= GZIP_WORKER_MIN_BYTES);
  } catch {
    return false;
  }
}

/**
 * What a gzip file holds, as its trailer says (the size of its last member, modulo 4 GiB: a lower bound that is
 * exact for the usual one-member file); 0 for a file that is not gzip. A rotated `gateway.log.3.gz` of 10 MB holds
 * ~100 MB: by its own size it stayed in-process, where it took 5–10% longer (GZIP_WORKER_MIN_BYTES).
 */
function gunzippedSize(path: string, size: number): number {
  if (size < 18) return 0;
  let fd = -1;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(2);
    const tail = Buffer.alloc(4);
    if (readSync(fd, head, 0, 2, 0) !== 2 || !isGzip(head)) return 0;
    return readSync(fd, tail, 0, 4, size - 4) === 4 ? tail.readUInt32LE(0) : 0;
  } catch {
    return 0;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Whether the command line is `analyze` of a big file, on the worker (see the header). */
export function wantsPrestart(argv: readonly string[]): boolean {
  if (argv[0] !== SCAN_ARGV.command || argv.includes(SCAN_ARGV.inProcess)) return false;
  return argv.slice(1).some((a) => (a === '-' || !a.startsWith('-')) && worthAWorker({ name: a, path: a }));
}

/** For bin/ and the one-file build: boot the worker now when the command line will want it. */
export function prestartScan(argv: readonly string[]): void {
  if (!prestarted && wantsPrestart(argv)) prestarted = ScanWorker.start();
}

/** A run that scans nothing on the worker (several inputs merged by time): a prestarted worker goes now. */
export async function forgoScanWorker(): Promise<void> {
  const w = prestarted;
  prestarted = null;
  await w?.close();
}

/** The run's workers: the one in use, and those stopped with an abandoned scan (closed at the end). */
class Workers {
  private current: ScanWorker | null = null;
  private readonly stopped: ScanWorker[] = [];

  start(): ScanWorker | null {
    if (this.current) return this.current;
    this.current = prestarted ?? ScanWorker.start();
    prestarted = null;
    return this.current;
  }

  /** The current worker's scan was abandoned (it is not reused after that): a new one. */
  replace(): ScanWorker | null {
    if (this.current) this.stopped.push(this.current);
    this.current = null;
    return this.start();
  }

  async close(): Promise<void> {
    await Promise.all([...this.stopped, this.current].map((w) => w?.close()));
  }
}

/** Whether two plans make the same scanner (a plan written ahead still fits the catalog loaded). */
export function samePlan(a: ScanPlan, b: ScanPlan): boolean {
  const sameList = <T>(x: ReadonlyArray<T> | null, y: ReadonlyArray<T> | null, eq: (p: T, q: T) => boolean): boolean =>
    x === y || (x !== null && y !== null && x.length === y.length && x.every((v, i) => eq(v, y[i]!)));
  const same = (p: unknown, q: unknown): boolean => p === q;
  const sameNumbers = (p: readonly number[], q: readonly number[]): boolean => sameList(p, q, same);
  return (
    a.noPrefilter === b.noPrefilter &&
    sameList(a.lowLevelLiterals, b.lowLevelLiterals, same) &&
    sameList(a.matchLiterals, b.matchLiterals, same) &&
    sameList(a.laneLiterals, b.laneLiterals, same) &&
    sameList(a.accessNeedles, b.accessNeedles, sameNumbers)
  );
}

/** A scan of the first input begun with the plan written ahead. */
interface EarlyScan {
  readonly spec: InputSpec;
  readonly plan: ScanPlan;
  readonly batches: AsyncIterator<ScanBatch>;
  readonly first: Promise<IteratorResult<ScanBatch>>;
}

/** Start reading `inputs` (see the header): the worker boots and the early scan begins now. */
export function scanInputs(inputs: readonly InputSpec[], opts: ScanInputsOptions = {}): InputScan {
  // Decided once per input: the worker path and the in-process path must agree on which input is whose.
  const big = inputs.map((i) => !opts.inProcess && worthAWorker(i));
  const workers = new Workers();
  let worker = big.some(Boolean) ? workers.start() : null;
  let early = worker && big[0] && opts.ahead && inputs[0]!.path !== '-' ? beginEarlyScan(worker, inputs[0]!, opts.ahead()) : null;

  const close = async (): Promise<void> => {
    // An early scan never read (reading stopped before its input): stopped first.
    const e = early;
    early = null;
    await e?.batches.return?.();
    await workers.close();
  };

  async function* steps(plan: ScanPlan): AsyncGenerator<ScanStep> {
    try {
      if (early && !samePlan(early.plan, plan)) {
        // Written for another catalog (a build older than patterns/): scanned again with this one's plan.
        await early.batches.return?.();
        early = null;
        worker = workers.replace();
      }
      for (const [k, spec] of inputs.entries()) {
        yield { kind: 'input', spec };
        try {
          if (worker && big[k]) {
            const batches = early?.spec === spec ? resume(early) : worker.scan(spec, plan, opts.stdin);
            early = null;
            let bytes = 0;
            for await (const batch of batches) {
              yield { kind: 'piece', piece: batch, bytes: batch.bytes - bytes };
              bytes = batch.bytes;
            }
          } else {
            for await (const chunk of readInput(spec, opts.stdin)) yield { kind: 'piece', piece: chunk, bytes: chunk.length };
          }
        } catch (e) {
          if (!(e instanceof TruncatedInput)) throw e;
          yield { kind: 'cut', message: e.message };
        }
      }
    } finally {
      await close();
    }
  }

  const stopStdin = (): void => {
    const k = inputs.findIndex((i) => i.path === '-');
    if (k < 0) return;
    // Fed to the worker: process.stdin was never made (fd 0 is read by a socket of the feed's own; making it now would fail).
    if (worker && big[k]) worker.endStdin();
    else ((opts.stdin ?? process.stdin) as { destroy?: () => void }).destroy?.();
  };

  return { steps, close, stopStdin };
}

function beginEarlyScan(worker: ScanWorker, spec: InputSpec, plan: ScanPlan | null): EarlyScan | null {
  if (!plan) return null;
  const batches = worker.scan(spec, plan)[Symbol.asyncIterator]();
  // The generator runs up to its first wait now: the scan message goes out.
  const first = batches.next();
  // Awaited later; until then a failure must not count as unhandled.
  first.catch(() => undefined);
  return { spec, plan, batches, first };
}

/** The batches of an early scan, from its first on; leaving the loop stops it, as for scan(). */
async function* resume(early: EarlyScan): AsyncGenerator<ScanBatch> {
  try {
    for (let r = await early.first; !r.done; r = await early.batches.next()) yield r.value;
  } finally {
    await early.batches.return?.();
  }
}
