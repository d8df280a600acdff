// The first stages on a second thread: a scan worker (scan-worker.ts) reads a file (plain or gzip,
// with the same readInput) and runs the same LineScanner and prefilter over it; the lines that
// need the full parse travel back as bytes, skipped lines as counted runs, in batches. The main
// thread replays each batch into its LineSink (the Assembler) in order, so everything after the
// scanner is exactly what it is without the worker.
//
// Batches live in a fixed ring of slots in shared memory: nothing is allocated or copied per batch
// but the candidate lines themselves, and the worker waits while every slot is unconsumed, so
// memory stays flat however far ahead reading could run.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { LAYOUT_IDS, LAYOUT_INDEX, type LayoutId } from '../model.js';
import { InputError, TruncatedInput, type InputSpec } from '../sources/open.js';
import { type LineSink } from './scanner.js';
import { MAX_LINE_BYTES } from '../limits.js';
import type { ScanPlan } from './plan.js';
import { EMBEDDED } from '../embedded.js';
import { feedFrom, feedFromPipe, newFeed, type Feed, type Feeding } from './feed.js';

/** Inputs smaller than this are scanned in-process (scan-inputs.ts): starting the worker would cost more. */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;
/**
 * A gzip file holding less than this is read in-process: there the worker's gunzip overlaps too little of the run.
 * Measured (session 12, quiet machine, 3 runs each): 30 MB of log gzipped 0.47–0.66 s in-process against 0.57–0.66
 * on the worker, 100 MB 0.78–0.93 s against 0.76–0.83 (the worker's heap: +13 MiB of RSS).
 */
export const GZIP_WORKER_MIN_BYTES = 64 * 1024 * 1024;
/** Slots in the ring: batches handed over but not yet replayed before the worker waits. */
export const RING_SLOTS = 8;
/** Candidate bytes a slot holds (a line is at most MAX_LINE_BYTES). */
export const SLOT_TEXT_BYTES = 192 * 1024;
/** Ops a slot holds. */
export const SLOT_OPS = 8 * 1024;
/** Numbers a slot holds for the literal hits of its lines ((id, end) pairs). */
export const SLOT_HITS = 16 * 1024;
/** A batch is also handed over after this many input bytes (progress, latency). */
export const BATCH_INPUT_BYTES = 4 * 1024 * 1024;

const OP_LINE = 1;
const OP_SKIP = 2;
/**
 * Numbers per op: kind, first line number, (end offset in text | layout index), (cut | count),
 * (end of the line's literal hits in the hits buffer | unused).
 */
const OP_SIZE = 5;

export interface ScanBatch {
  /** Candidate lines' bytes, back to back. */
  readonly text: Uint8Array;
  readonly ops: Int32Array;
  readonly opCount: number;
  /** The lines' literal hits, back to back, when the writer searched for literals. */
  readonly hits: Int32Array | null;
  /** Lines and bytes of the input scanned so far (bytes: whole chunks). */
  readonly lines: number;
  readonly bytes: number;
}


/**
 * Records what the scanner hands its sink, as a batch, in the buffers it is given. When the next
 * line does not fit, `full(lines)` is called (lines: those recorded so far) and must hand the batch
 * over and `reset()` the writer; without `full`, the buffers grow.
 */
export class BatchWriter implements LineSink {
  private textLen = 0;
  private opCount = 0;
  private hitsLen = 0;
  private lastLayout: LayoutId | null = null;
  private lastIndex = 0;

  constructor(
    private text: Uint8Array = new Uint8Array(SLOT_TEXT_BYTES),
    private ops: Int32Array = new Int32Array(SLOT_OPS * OP_SIZE),
    private readonly full?: (lines: number) => void,
    /** When the scanner searches lines for literals: where their hits go (see literal-hits.ts). */
    private hits: Int32Array | null = null,
  ) {
    if (text.length < MAX_LINE_BYTES) throw new Error('batch text buffer smaller than a line');
  }

  get textBytes(): number {
    return this.textLen;
  }

  get empty(): boolean {
    return this.opCount === 0;
  }

  get hitCount(): number {
    return this.hitsLen;
  }

  /** Start a new batch in these buffers. */
  reset(text: Uint8Array = this.text, ops: Int32Array = this.ops, hits: Int32Array | null = this.hits): void {
    this.text = text;
    this.ops = ops;
    this.hits = hits;
    this.textLen = 0;
    this.opCount = 0;
    this.hitsLen = 0;
  }

  /** The batch as it stands (views of the writer's buffers). */
  batch(lines: number, bytes: number): ScanBatch {
    const hits = this.hits ? this.hits.subarray(0, this.hitsLen) : null;
    return { text: this.text.subarray(0, this.textLen), ops: this.ops, opCount: this.opCount, hits, lines, bytes };
  }

  line(text: string, number: number, cut: number, hits?: Int32Array): void {
    const b = Buffer.from(text, 'utf8');
    this.lineBytes(b, 0, b.length, number, cut, hits);
  }

  lineBytes(buf: Buffer, start: number, end: number, number: number, cut: number, hits?: Int32Array): void {
    const len = end - start;
    // A line without hits is stored as a search that began past its end: it is searched again.
    const hitsNeed = this.hits === null ? 0 : hits === undefined ? 1 : hits.length;
    if (
      this.textLen + len > this.text.length ||
      (this.opCount + 1) * OP_SIZE > this.ops.length ||
      this.hitsLen + hitsNeed > (this.hits?.length ?? 0)
    ) {
      this.makeRoom(number - 1, len, hitsNeed);
    }
    buf.copy(this.text, this.textLen, start, end);
    this.textLen += len;
    if (this.hits !== null) {
      if (hits === undefined) this.hits[this.hitsLen] = 0x7fffffff;
      else this.hits.set(hits, this.hitsLen);
      this.hitsLen += hitsNeed;
    }
    this.op(OP_LINE, number, this.textLen, cut, this.hitsLen);
  }

  skip(number: number, layout: LayoutId): void {
    this.skipRun(number, 1, layout);
  }

  skipRun(first: number, count: number, layout: LayoutId): void {
    // Called for most lines of a big log: one Map lookup per change of layout, not per line.
    if (layout !== this.lastLayout) {
      this.lastLayout = layout;
      this.lastIndex = LAYOUT_INDEX.get(layout)!;
    }
    const index = this.lastIndex;
    const ops = this.ops;
    const o = (this.opCount - 1) * OP_SIZE;
    // Consecutive skips of one layout are one run.
    if (this.opCount > 0 && ops[o] === OP_SKIP && ops[o + 2] === index && ops[o + 1]! + ops[o + 3]! === first) {
      ops[o + 3]! += count;
      return;
    }
    if ((this.opCount + 1) * OP_SIZE > ops.length) this.makeRoom(first - 1, 0, 0);
    this.op(OP_SKIP, first, index, count);
  }

  private makeRoom(lines: number, len: number, hitsNeed: number): void {
    if (this.full) {
      this.full(lines);
      if (hitsNeed > (this.hits?.length ?? 0)) throw new Error('batch hits buffer smaller than a line needs');
      return;
    }
    if (this.textLen + len > this.text.length) {
      const bigger = new Uint8Array(Math.max(this.text.length * 2, this.textLen + len));
      bigger.set(this.text.subarray(0, this.textLen));
      this.text = bigger;
    }
    if (this.hits !== null && this.hitsLen + hitsNeed > this.hits.length) {
      const bigger = new Int32Array(this.hits.length * 2 + hitsNeed);
      bigger.set(this.hits.subarray(0, this.hitsLen));
      this.hits = bigger;
    }
    if ((this.opCount + 1) * OP_SIZE > this.ops.length) {
      const bigger = new Int32Array(this.ops.length * 2);
      bigger.set(this.ops);
      this.ops = bigger;
    }
  }

  private op(kind: number, number: number, a: number, b: number, c = 0): void {
    const o = this.opCount * OP_SIZE;
    this.ops[o] = kind;
    this.ops[o + 1] = number;
    this.ops[o + 2] = a;
    this.ops[o + 3] = b;
    this.ops[o + 4] = c;
    this.opCount++;
  }

  /** A copy of the batch so far, and a fresh start (for in-process use and tests). */
  take(lines: number, bytes: number): ScanBatch {
    const batch: ScanBatch = {
      text: this.text.slice(0, this.textLen),
      ops: this.ops.slice(0, this.opCount * OP_SIZE),
      opCount: this.opCount,
      hits: this.hits ? this.hits.slice(0, this.hitsLen) : null,
      lines,
      bytes,
    };
    this.reset();
    return batch;
  }
}

/** Main side: hand a batch's lines to `sink` in order, as the scanner would have. */
export function replayBatch(batch: ScanBatch, sink: LineSink): void {
  const text = Buffer.from(batch.text.buffer, batch.text.byteOffset, batch.text.byteLength);
  const ops = batch.ops;
  const hits = batch.hits;
  let pos = 0;
  let hitPos = 0;
  for (let o = 0; o < batch.opCount * OP_SIZE; o += OP_SIZE) {
    if (ops[o] === OP_LINE) {
      const end = ops[o + 2]!;
      if (hits === null) sink.line(text.toString('utf8', pos, end), ops[o + 1]!, ops[o + 3]!);
      else {
        const hitEnd = ops[o + 4]!;
        sink.line(text.toString('utf8', pos, end), ops[o + 1]!, ops[o + 3]!, hits.subarray(hitPos, hitEnd));
        hitPos = hitEnd;
      }
      pos = end;
    } else {
      const first = ops[o + 1]!;
      const layout = LAYOUT_IDS[ops[o + 2]!]!;
      const count = ops[o + 3]!;
      if (sink.skipRun) sink.skipRun(first, count, layout);
      else for (let k = 0; k < count; k++) sink.skip(first + k, layout);
    }
  }
}

// ---- shared memory and messages -------------------------------------------------------------------

/** Control words shared with the worker. */
export const CTRL_POSTED = 0;
export const CTRL_CONSUMED = 1;
export const CTRL_ABORT = 2;
/** 1 while the worker sleeps waiting for CTRL_CONSUMED to move (only then is it woken). */
export const CTRL_WAITING = 3;

const SLOT_BYTES = SLOT_TEXT_BYTES + SLOT_OPS * OP_SIZE * 4 + SLOT_HITS * 4;

/** The ring's buffers: the control words and the slots. */
export interface Ring {
  readonly control: Int32Array;
  readonly slots: SharedArrayBuffer;
}

export function newRing(): Ring {
  return { control: new Int32Array(new SharedArrayBuffer(16)), slots: new SharedArrayBuffer(RING_SLOTS * SLOT_BYTES) };
}

/** Views of slot k: its text, its ops and its lines' literal hits. */
export function slotViews(ring: Ring, k: number): SlotViews {
  const base = k * SLOT_BYTES;
  return {
    text: new Uint8Array(ring.slots, base, SLOT_TEXT_BYTES),
    ops: new Int32Array(ring.slots, base + SLOT_TEXT_BYTES, SLOT_OPS * OP_SIZE),
    hits: new Int32Array(ring.slots, base + SLOT_TEXT_BYTES + SLOT_OPS * OP_SIZE * 4, SLOT_HITS),
  };
}

interface SlotViews {
  readonly text: Uint8Array;
  readonly ops: Int32Array;
  readonly hits: Int32Array;
}

/** `plan`: what the scanner needs of the catalog (pipeline.ts ScanPlan); `feed`: stdin, read by the main thread (feed.ts). */
export type ToWorker = { type: 'scan'; path: string; plan: ScanPlan; feed?: Feed };
export type FromWorker =
  | { type: 'batch'; slot: number; textLen: number; opCount: number; hitsLen: number; lines: number; bytes: number }
  | { type: 'end'; lines: number; bytes: number }
  | { type: 'error'; kind: 'truncated' | 'input' | 'other'; message: string };

// ---- host ------------------------------------------------------------------------------------------

/** What the one-file build's entry is told when it is started as the scan worker (cli/bundle-entry.ts). */
export const SCAN_WORKER_ROLE = 'scan-worker';
// The built scan-worker.js beside this module; in the one-file build, that build itself.
const WORKER_URL = EMBEDDED ? new URL(import.meta.url) : new URL('./scan-worker.js', import.meta.url);

/**
 * A scan worker for one run: scans the inputs it is given, one after the other (scan-inputs.ts
 * decides which, and when it starts and stops). Used only where it exists as a built module (not
 * when running from TypeScript sources).
 */
export class ScanWorker {
  private readonly worker: Worker;
  private readonly ring = newRing();
  private readonly views: SlotViews[];
  private failed: Error | null = null;
  private listener: ((m: FromWorker) => void) | null = null;
  /** Stdin being fed to the worker, while a scan of it runs. */
  private feeding: Feeding | null = null;
  /** endStdin() was called: a scan of stdin that begins later is fed nothing. */
  private stdinEnded = false;

  private constructor() {
    this.views = Array.from({ length: RING_SLOTS }, (_, k) => slotViews(this.ring, k));
    this.worker = new Worker(WORKER_URL, {
      workerData: { ring: this.ring, role: SCAN_WORKER_ROLE },
      // Its heap holds a chunk and the scanner's carry: small limits keep RSS flat.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
      stdout: false,
      stderr: false,
    });
    this.worker.on('message', (m: FromWorker) => this.listener?.(m));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`scan worker exited (${code})`)));
    this.worker.unref();
  }

  /** A worker when the build has one, else null (the caller scans in-process). */
  static start(): ScanWorker | null {
    if (!EMBEDDED && !existsSync(WORKER_URL)) return null;
    try {
      return new ScanWorker();
    } catch {
      return null;
    }
  }

  private fail(e: Error): void {
    this.failed ??= e;
    this.listener?.({ type: 'error', kind: 'other', message: e.message });
  }

  /**
   * Scan one input on the worker: batches in order (each valid until the next is asked for), then
   * the end. Errors of reading come as the same errors readInput throws (TruncatedInput,
   * InputError). Breaking out of the loop stops the worker. Stdin (`-`, a pipe) is read here — the
   * pipe at fd 0, or `stdin` when given (tests) — and fed to the worker (feed.ts).
   */
  async *scan(spec: InputSpec, plan: ScanPlan, stdin?: AsyncIterable<Buffer | string>): AsyncGenerator<ScanBatch> {
    if (this.failed) throw this.failed;
    const feed = spec.path === '-' ? newFeed() : null;
    const feeding = feed ? (stdin ? feedFrom(feed, stdin) : feedFromPipe(feed, 0)) : null;
    this.feeding = feeding;
    if (this.stdinEnded) feeding?.stop();
    const control = this.ring.control;
    const queue: FromWorker[] = [];
    let wake: (() => void) | null = null;
    this.listener = (m) => {
      queue.push(m);
      wake?.();
    };
    Atomics.store(control, CTRL_POSTED, 0);
    Atomics.store(control, CTRL_CONSUMED, 0);
    Atomics.store(control, CTRL_ABORT, 0);
    Atomics.store(control, CTRL_WAITING, 0);
    this.worker.ref();
    this.worker.postMessage({ type: 'scan', path: spec.path, plan, ...(feed ? { feed } : {}) } satisfies ToWorker);
    let finished = false;
    let ended = false;
    try {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((r) => (wake = r));
        wake = null;
        const m = queue.shift()!;
        if (m.type === 'batch') {
          const v = this.views[m.slot]!;
          yield { text: v.text.subarray(0, m.textLen), ops: v.ops, opCount: m.opCount, hits: v.hits.subarray(0, m.hitsLen), lines: m.lines, bytes: m.bytes };
          // The slot is free again.
          Atomics.add(control, CTRL_CONSUMED, 1);
          if (Atomics.load(control, CTRL_WAITING) !== 0) Atomics.notify(control, CTRL_CONSUMED);
        } else if (m.type === 'end') {
          finished = true;
          ended = true;
          return;
        } else {
          finished = true;
          if (m.kind === 'truncated') throw new TruncatedInput(m.message);
          if (m.kind === 'input') throw new InputError(m.message);
          throw new Error(m.message);
        }
      }
    } finally {
      this.listener = null;
      this.worker.unref();
      if (!finished) this.abort();
      if (feeding) {
        this.feeding = null;
        // Read to its end; or else left with the pipe maybe still open (abandoned, or a failure the worker
        // reported): closed, so that no read keeps the process alive.
        if (ended) await feeding.done;
        else feeding.stop();
      }
    }
  }

  /** Stdin being scanned is read no further (SIGINT): the worker scans what it was fed, then the scan ends. */
  endStdin(): void {
    this.stdinEnded = true;
    this.feeding?.stop();
  }

  /** Stop the current scan (the worker is not reused after that). */
  private abort(): void {
    Atomics.store(this.ring.control, CTRL_ABORT, 1);
    Atomics.notify(this.ring.control, CTRL_CONSUMED);
    this.failed ??= new Error('scan worker stopped');
    void this.worker.terminate();
  }

  private closing: Promise<unknown> | null = null;

  /** Stop the worker; resolves once its thread is gone (and its memory with it). */
  async close(): Promise<void> {
    this.closing ??= this.worker.terminate();
    await this.closing;
  }
}
