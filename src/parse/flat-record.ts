// A flat JSON record read without JSON.parse. Most lines the main thread parses in a busy log are
// failed requests of the JSON access log: ~900 bytes and some 25 keys, of which a handful matter.
// JSON.parse builds every key and value of them (~9 µs a line, and the garbage); the line index's
// kernel (lines/line-index.wat `flatRecord`) instead checks, 16 bytes at a time, that the line is
// `{"key":value,…}` with no escape, no white space and plain ASCII — a subset of JSON on which
// reading needs no decoding — and says where the values of the keys asked for lie. A line it does not
// read that way is left to JSON.parse, so the answer is always JSON.parse's (a property test compares
// the two on random records).
import { KERNEL_MEMORY, kernelModule } from '../lines/line-index.js';
import { MAX_LINE_BYTES } from '../limits.js';

const { KEYS_AT, KEY_ENTRY, KEY_LENGTHS_AT, SLOTS_AT, INPUT_AT } = KERNEL_MEMORY;

/** Keys one reader may ask for (the kernel's key table holds 16). */
export const MAX_FLAT_KEYS = 16;

interface FlatKernel {
  memory: { buffer: ArrayBuffer };
  flatRecord(s: number, e: number, count: number): number;
}

// The little of the WebAssembly API used here (TypeScript declares it with the DOM library only).
declare const WebAssembly: { Instance: new (module: object) => { exports: unknown } };

/** A value as JSON.parse gives it: undefined for a key the record lacks. */
export type FlatValue = string | number | boolean | null | undefined;

/** Buffer's own latin1 decoder (what toString('latin1') calls after its argument checks; Node 20 and later). */
type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

export class FlatRecordReader {
  private readonly kernel: FlatKernel;
  private readonly mem: Buffer;
  private readonly slots: Int32Array;
  private readonly count: number;

  private constructor(module: object, keys: readonly string[]) {
    if (keys.length > MAX_FLAT_KEYS || keys.some((k) => k.length === 0 || k.length >= KEY_ENTRY || !/^[ -~]+$/.test(k) || /["\\]/.test(k))) {
      throw new Error('flat record reader: up to 16 plain ASCII keys of at most 47 bytes');
    }
    this.kernel = new WebAssembly.Instance(module).exports as unknown as FlatKernel;
    this.mem = Buffer.from(this.kernel.memory.buffer);
    const lengths = new Int32Array(this.kernel.memory.buffer, KEY_LENGTHS_AT, KEY_ENTRY);
    keys.forEach((key, k) => {
      this.mem[KEYS_AT + KEY_ENTRY * k] = key.length;
      this.mem.write(key, KEYS_AT + KEY_ENTRY * k + 1, 'latin1');
      lengths[key.length]! |= 1 << k;
    });
    this.slots = new Int32Array(this.kernel.memory.buffer, SLOTS_AT, keys.length * 3);
    this.count = keys.length;
  }

  /** A reader of these keys; null where the engine has no WebAssembly SIMD (JSON.parse reads every line then). */
  static create(keys: readonly string[]): FlatRecordReader | null {
    const module = kernelModule();
    return module === null ? null : new FlatRecordReader(module, keys);
  }

  /** Whether `text` is a flat record; then value(k) gives what JSON.parse(text)[keys[k]] would. */
  read(text: string): boolean {
    if (text.length > MAX_LINE_BYTES) return false;
    // As many bytes as characters: ASCII only (any other character takes two or more in UTF-8).
    if (this.mem.write(text, INPUT_AT, 'utf8') !== text.length) return false;
    return this.kernel.flatRecord(INPUT_AT, INPUT_AT + text.length, this.count) === 1;
  }

  /** The value of the k-th key after a read() that returned true. */
  value(k: number): FlatValue {
    const s = this.slots;
    const kind = s[k * 3]!;
    if (kind === 0) return undefined;
    if (kind === 2) return null;
    const from = INPUT_AT + s[k * 3 + 1]!;
    // A fresh string (not a slice of the line, which would keep the whole line alive where the value is kept).
    const text = (this.mem as Latin1Buffer).latin1Slice(from, INPUT_AT + s[k * 3 + 2]!);
    if (kind === 1) return text;
    if (kind === 3) return Number(text);
    return text === 'true';
  }
}
