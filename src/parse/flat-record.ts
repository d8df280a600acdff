// A flat JSON record read without JSON.parse (and, with the same kernel, a TEXT access line split into its fields). Most lines the main thread parses in a busy log are
// failed requests of the JSON access log: ~900 bytes and some 25 keys, of which a handful matter.
// JSON.parse builds every key and value of them (~9 µs a line, and the garbage); the line index's
// kernel (lines/line-index.wat `flatRecord`) instead checks, 16 bytes at a time, that the line is
// `{"key":value,…}` with no escape, no white space and plain ASCII — a subset of JSON on which
// reading needs no decoding — and says where the values of the keys asked for lie. A line it does not
// read that way is left to JSON.parse, so the answer is always JSON.parse's (a property test compares
// the two on random records).
import { KERNEL_MEMORY, kernelModule } from '../lines/line-index.js';
import { MAX_LINE_BYTES } from '../limits.js';

const { KEYS_AT, KEY_ENTRY, KEY_LENGTHS_AT, SLOTS_AT, TOKENS_AT, INPUT_AT } = KERNEL_MEMORY;

/** Keys one reader may ask for (the kernel's key table holds 16). */
export const MAX_FLAT_KEYS = 16;

interface FlatKernel {
  memory: { buffer: ArrayBuffer };
  flatRecord(s: number, e: number, count: number): number;
  textTokens(s: number, e: number): number;
}

// The little of the WebAssembly API used here (TypeScript declares it with the DOM library only).
declare const WebAssembly: { Instance: new (module: object) => { exports: unknown } };

/** A value as JSON.parse gives it: undefined for a key the record lacks. */
export type FlatValue = string | number | boolean | null | undefined;

/**
 * Buffer's own coders, which toString() and write() call after their argument checks (a third of the cost
 * for a short value): present in Node 20 and later; the reader is not made without them.
 */
type RawCoders = Buffer & { latin1Slice(start: number, end: number): string; utf8Write(text: string, offset: number): number };
const hasRawCoders = (b: Buffer): b is RawCoders =>
  typeof (b as Partial<RawCoders>).latin1Slice === 'function' && typeof (b as Partial<RawCoders>).utf8Write === 'function';

/** Below this length String.prototype.slice copies (V8 makes no sliced string), and costs less than decoding. */
const SLICE_COPIES_BELOW = 13;

export class FlatRecordReader {
  private readonly kernel: FlatKernel;
  private readonly mem: RawCoders;
  /** The text read last. */
  private text = '';
  private readonly slots: Int32Array;
  private readonly tokens: Int32Array;
  private readonly count: number;

  private constructor(module: object, keys: readonly string[]) {
    if (keys.length > MAX_FLAT_KEYS || keys.some((k) => k.length === 0 || k.length >= KEY_ENTRY || !/^[ -~]+$/.test(k) || /["\\]/.test(k))) {
      throw new Error('flat record reader: up to 16 plain ASCII keys of at most 47 bytes');
    }
    this.kernel = new WebAssembly.Instance(module).exports as unknown as FlatKernel;
    this.mem = Buffer.from(this.kernel.memory.buffer) as RawCoders;
    const lengths = new Int32Array(this.kernel.memory.buffer, KEY_LENGTHS_AT, KEY_ENTRY);
    keys.forEach((key, k) => {
      this.mem[KEYS_AT + KEY_ENTRY * k] = key.length;
      this.mem.write(key, KEYS_AT + KEY_ENTRY * k + 1, 'latin1');
      lengths[key.length]! |= 1 << k;
    });
    this.slots = new Int32Array(this.kernel.memory.buffer, SLOTS_AT, keys.length * 3);
    this.tokens = new Int32Array(this.kernel.memory.buffer, TOKENS_AT, 80);
    this.count = keys.length;
  }

  /** A reader of these keys; null where the engine has no WebAssembly SIMD (JSON.parse reads every line then). */
  static create(keys: readonly string[]): FlatRecordReader | null {
    const module = kernelModule();
    return module === null || !hasRawCoders(Buffer.alloc(0)) ? null : new FlatRecordReader(module, keys);
  }

  /** Whether `text` is a flat record; then value(k) gives what JSON.parse(text)[keys[k]] would. */
  read(text: string): boolean {
    return this.load(text) && this.kernel.flatRecord(INPUT_AT, INPUT_AT + text.length, this.count) === 1;
  }

  /** `text` into the kernel's input, when it is plain ASCII and fits (what both readings need). */
  private load(text: string): boolean {
    if (text.length > MAX_LINE_BYTES) return false;
    // As many bytes as characters: ASCII only (any other character takes two or more in UTF-8).
    if (this.mem.utf8Write(text, INPUT_AT) !== text.length) return false;
    this.text = text;
    return true;
  }

  /** Whether the record read last holds the k-th key (value(k) without decoding it). */
  has(k: number): boolean {
    return this.slots[k * 3] !== 0;
  }

  /**
   * The fields of a line of Istio's TEXT access log from `from` on, as layouts.ts accessTextTokens reads them (the
   * kernel's textTokens splits, the strings are the line's own slices); null for a line beyond ASCII (the
   * JavaScript reads it then).
   */
  textTokens(text: string, from: number): string[] | null {
    if (from > text.length || !this.load(text)) return null;
    const n = this.kernel.textTokens(INPUT_AT + from, INPUT_AT + text.length);
    const at = this.tokens;
    const tokens = new Array<string>(n);
    for (let k = 0; k < n; k++) tokens[k] = text.slice(at[2 * k]! - INPUT_AT, at[2 * k + 1]! - INPUT_AT);
    return tokens;
  }

  /** The value of the k-th key after a read() that returned true. */
  value(k: number): FlatValue {
    const s = this.slots;
    const kind = s[k * 3]!;
    if (kind === 0) return undefined;
    if (kind === 2) return null;
    const from = s[k * 3 + 1]!;
    const to = s[k * 3 + 2]!;
    // A fresh string either way: a slice of the line would keep the whole line alive where the value is kept.
    const text = to - from < SLICE_COPIES_BELOW ? this.text.slice(from, to) : this.mem.latin1Slice(INPUT_AT + from, INPUT_AT + to);
    if (kind === 1) return text;
    if (kind === 3) return Number(text);
    return text === 'true';
  }
}
