// The line index: where the lines of a piece of input are, and which of them are successful
// access-log lines the prefilter skips. Those are ~85% of a busy gateway's log; a WebAssembly
// kernel (line-index.wat: 16 bytes per compare) finds and counts them, so the scanner's
// JavaScript visits only the other lines. Where WebAssembly SIMD is missing, indexOf and the
// prefilter give the same records (the suite compares the two on random input).
import { LINE_INDEX_WASM } from './line-index.wasm.js';
import { ACCESS_TEXT_REQUEST_LIMIT, AI_LOG_START, classifyFast, FLAGS_KEY, isDigit, istioTimestampEnd, isTextAccessRecord, RESPONSE_CODE } from './prefilter.js';
import { HEX_CLASS, maskedKey, WORD } from './context-lane.js';
import { MAX_LINE_BYTES, READ_CHUNK } from '../limits.js';

/** Records one scan() writes at most; the rest of the piece needs another call. */
export const INDEX_RECORDS = 4096;

/** Needles hasNeedle takes at most. */
export const MAX_NEEDLES = 8;

/**
 * The kernel's memory map: the one definition. line-index.wat writes each of these numbers with its
 * name beside it (`256 (;RC_AT;)`); test/line-index.test.ts checks every named number in the text
 * against this table, and that no address in the text lacks its name.
 */
export const KERNEL_MEMORY = {
  RC_AT: 256,
  FLAGS_AT: 272,
  /** The last 4 of the 20 bytes at FLAGS_AT. */
  FLAGS_TAIL_AT: 272 + 16,
  AI_LOG_AT: 296,
  /** The last 2 of the 10 bytes at AI_LOG_AT. */
  AI_LOG_TAIL_AT: 296 + 8,
  HEX_CLASS_AT: 512,
  WORD_AT: 768,
  RECORDS_AT: 1024,
  RECORDS_END: 1024 + INDEX_RECORDS * 12,
  NEEDLES_AT: 51200,
  KEYS_AT: 52224,
  /** Bytes per key at KEYS_AT: its length, then the key. */
  KEY_ENTRY: 48,
  SLOTS_AT: 53248,
  KEY_LENGTHS_AT: 53504,
  TOKENS_AT: 53760,
  INPUT_AT: 65536,
  /** 64 KiB pages: the input piece and 64 bytes of padding fit. */
  PAGES: 6,
  MAX_LINE: MAX_LINE_BYTES,
  REQUEST_LIMIT: ACCESS_TEXT_REQUEST_LIMIT,
} as const;
const { RC_AT, FLAGS_AT, AI_LOG_AT, HEX_CLASS_AT, WORD_AT, NEEDLES_AT, RECORDS_AT, INPUT_AT } = KERNEL_MEMORY;

const UNICODE_ESCAPE = Buffer.from('\\u');

/** The kernel's exports. */
interface Kernel {
  memory: { buffer: ArrayBuffer };
  consumed: { value: number };
  tailSkip: { value: number };
  scan(s: number, e: number, skipAccess: number): number;
  maskedKey(s: number, e: number): number;
  hasNeedle(s: number, e: number, count: number): number;
  flatRecord(s: number, e: number, count: number): number;
  textRecord(s: number, e: number): number;
}

// The little of the WebAssembly API used here (TypeScript declares it with the DOM library only).
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

let compiled: object | null | undefined;

/** The kernel's module, compiled once per thread; null where this engine has no WebAssembly SIMD. */
export function kernelModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = WebAssembly.validate(LINE_INDEX_WASM) ? new WebAssembly.Module(LINE_INDEX_WASM) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export class LineIndex {
  /** Where a piece of input goes (load() puts it there, or a reader fills it directly). */
  readonly input: Buffer;
  /**
   * After scan(): per record, the line's start, its newline (offsets in `input`), and the skipped lines before it:
   * a count of successful JSON access lines, or minus a count of TEXT ones. A record of -1, -1 has no line: it
   * only ends a run of skipped lines whose layout changes after it.
   */
  readonly records: Int32Array;
  /** After scan(): where the first line not looked at starts (offset in `input`). */
  consumed = 0;
  /** After scan(): skippable lines after the last record (counted as in `records`). */
  tailSkip = 0;
  /** The WebAssembly kernel does the work (false: the JavaScript equivalent). */
  readonly native: boolean;
  private readonly kernel: Kernel | null;
  private needles: Buffer[] = [];
  /** The view of the input load() returned last. */
  private view: Buffer | null = null;

  constructor(opts: { native?: boolean } = {}) {
    const module = opts.native === false ? null : kernelModule();
    if (module) {
      const k = new WebAssembly.Instance(module).exports as unknown as Kernel;
      const mem = Buffer.from(k.memory.buffer);
      mem.set(RESPONSE_CODE.subarray(0, 16), RC_AT);
      mem.set(FLAGS_KEY, FLAGS_AT);
      mem.set(AI_LOG_START, AI_LOG_AT);
      mem.set(HEX_CLASS, HEX_CLASS_AT);
      mem.set(WORD, WORD_AT);
      this.kernel = k;
      this.input = mem.subarray(INPUT_AT, INPUT_AT + READ_CHUNK);
      this.records = new Int32Array(k.memory.buffer, RECORDS_AT, INDEX_RECORDS * 3);
    } else {
      this.kernel = null;
      this.input = Buffer.allocUnsafeSlow(READ_CHUNK);
      this.records = new Int32Array(INDEX_RECORDS * 3);
    }
    this.native = this.kernel !== null;
  }

  /** `piece` (at most READ_CHUNK) in `input`: copied, unless a reader put it there. */
  load(piece: Buffer): Buffer {
    if (piece.buffer !== this.input.buffer || piece.byteOffset !== this.input.byteOffset) this.input.set(piece, 0);
    this.view = this.input.subarray(0, piece.length);
    return this.view;
  }

  /** The kernel has b in its memory: b is the view load() returned last (or the input itself). */
  private inMemory(b: Buffer): boolean {
    return b === this.view || (b.buffer === this.input.buffer && b.byteOffset === this.input.byteOffset);
  }

  /**
   * The whole lines of input[from, end): records for each (with skipAccess, each but the lines
   * the prefilter skips as successful `access-json` entries, counted into the next record or
   * tailSkip). Returns the number of records; INDEX_RECORDS means the records are full and the
   * lines from `consumed` on were not looked at.
   */
  scan(from: number, end: number, skipAccess: boolean): number {
    const k = this.kernel;
    if (k === null) return this.scanJs(from, end, skipAccess);
    // The kernel takes addresses and answers with offsets in `input`.
    const n = k.scan(from + INPUT_AT, end + INPUT_AT, skipAccess ? 1 : 0);
    this.consumed = k.consumed.value;
    this.tailSkip = k.tailSkip.value;
    return n;
  }

  /** maskedKey (context-lane.ts) of b[s, e), computed by the kernel when b is this index's input. */
  maskedKey(b: Buffer, s: number, e: number): number {
    const k = this.kernel;
    if (k !== null && this.inMemory(b)) return k.maskedKey(s + INPUT_AT, e + INPUT_AT);
    return maskedKey(b, s, e);
  }

  /** isTextAccessRecord (prefilter.ts) of b[s, e), decided by the kernel when b is this index's input. */
  textRecord(b: Buffer, s: number, e: number): boolean {
    const k = this.kernel;
    if (k !== null && this.inMemory(b)) return k.textRecord(s + INPUT_AT, e + INPUT_AT) === 1;
    return isTextAccessRecord(b, s, e);
  }

  /**
   * The 4-byte needles holdsNeedle() looks for (at most MAX_NEEDLES). Throws on others: the caller
   * must not rely on a search it did not get.
   */
  setNeedles(needles: readonly Uint8Array[]): void {
    if (needles.length > MAX_NEEDLES || needles.some((n) => n.length !== 4)) throw new Error('line index: up to 8 needles of 4 bytes');
    this.needles = needles.map((n) => Buffer.from(n));
    if (this.kernel === null) return;
    const mem = Buffer.from(this.kernel.memory.buffer);
    needles.forEach((n, k) => {
      for (let j = 0; j < 4; j++) mem.fill(n[j]!, NEEDLES_AT + 64 * k + 16 * j, NEEDLES_AT + 64 * k + 16 * (j + 1));
    });
  }

  /** Whether b[s, e) holds `\u` or one of the needles (the kernel looks when b is this index's input). */
  holdsNeedle(b: Buffer, s: number, e: number): boolean {
    const k = this.kernel;
    if (k !== null && this.inMemory(b)) return k.hasNeedle(s + INPUT_AT, e + INPUT_AT, this.needles.length) !== 0;
    const line = b.subarray(s, e);
    return line.includes(UNICODE_ESCAPE) || this.needles.some((n) => line.includes(n));
  }

  /** The kernel's contract, in JavaScript: the fallback, and what the suite checks the kernel against. */
  private scanJs(from: number, end: number, skipAccess: boolean): number {
    const b = this.input;
    const r = this.records;
    let pos = from;
    let skip = 0;
    let n = 0;
    for (;;) {
      const nl = b.indexOf(10, pos);
      if (nl < 0 || nl >= end) break;
      const layout = skipAccess ? skippableAccess(b, pos, nl) : null;
      if (layout !== null) {
        const one = layout === 'access-json' ? 1 : -1;
        // A run of the other layout ends here: a record without a line carries it.
        if (skip !== 0 && Math.sign(skip) !== one) {
          if (n === INDEX_RECORDS) break;
          r[n * 3] = -1;
          r[n * 3 + 1] = -1;
          r[n * 3 + 2] = skip;
          skip = 0;
          n++;
        }
        skip += one;
      } else {
        if (n === INDEX_RECORDS) break;
        r[n * 3] = pos;
        r[n * 3 + 1] = nl;
        r[n * 3 + 2] = skip;
        skip = 0;
        n++;
      }
      pos = nl + 1;
    }
    this.consumed = pos;
    this.tailSkip = skip;
    return n;
  }
}

/**
 * The line b[s, nl) is one the prefilter skips as a successful access line (`access-json`, or Istio's TEXT log,
 * `access-text`) on its own or behind the time `kubectl logs --timestamps` adds (`…Z ` only; not inside another
 * collector's prefix, not cut): what the kernel's $skippable decides. Null for any other line.
 */
export function skippableAccess(b: Buffer, s: number, nl: number): 'access-json' | 'access-text' | null {
  if (nl - s > MAX_LINE_BYTES) return null;
  const e = nl > s && b[nl - 1] === 13 ? nl - 1 : nl;
  if (b[s] !== 123 && b[s] !== 91) {
    const z = isDigit(b[s]) && e - s >= 24 ? istioTimestampEnd(b, s, e) : -1;
    if (z < 0 || b[z] !== 32 || (b[z + 1] !== 123 && b[z + 1] !== 91)) return null;
  }
  const layout = classifyFast(b, s, e, undefined);
  return layout === 'access-json' || layout === 'access-text' ? layout : null;
}
