// The context lane: most lines a busy gateway writes at warning level are plugins chatting
// (`wasm log …: [key-auth] … no consumer matched`), each one a candidate that only a context
// pattern can claim. The diagnosis needs little of them: which plugins exist, and which plugin was
// active last before a crash or failure. So in `analyze` the scanner hands on such a line only
//   - when its text (with ids, hashes and other long hex runs masked) is new, so every plugin
//     still shows up, or
//   - when it is the newest context line before a line that is handed on, so crash attribution
//     sees the same last activity (at the same distance in events), or
//   - at the end of the input (the time window), or
//   - within QUIET_LINES after a line that may start a block (error and worse, unknown shapes),
//     where a block could take it in.
// The others are counted as skipped lines of their layout, like the prefilter's. `tail` and
// `--no-prefilter` hand on every line.
import type { LayoutId } from '../model.js';

/** Lines after a possible block start during which the lane is off (a block takes ≤ 400 records). */
export const QUIET_LINES = 400;
/** Distinct masked texts remembered; past this the memory starts over (and each comes once more). */
export const MAX_KEYS = 4096;

/** What the lane makes of a candidate line. */
export const LANE_PASS = 0;
/** The line is held (or dropped): the caller hands nothing on for now. */
export const LANE_HOLD = 1;

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 48 && c <= 57;

export interface HeaderSniff {
  /** The layout the full parse gives the line ('envoy', 'istio-go', 'envoy-istio'), or null. */
  layout: LayoutId | null;
  /** True for trace/debug/info/warn(ing): below error. */
  low: boolean;
  /** Where the message starts at the earliest. */
  messageStart: number;
}

/** Level words below error, as both L1 and the Istio layouts spell them. */
function belowError(b: Uint8Array, p: number, end: number): number {
  for (const w of LOW_WORDS) {
    if (p + w.length > end) continue;
    let k = 0;
    while (k < w.length && b[p + k] === w[k]) k++;
    if (k === w.length) return w.length;
  }
  return 0;
}
const LOW_WORDS = ['warning', 'warn', 'info', 'debug', 'trace'].map((w) => Buffer.from(w));

const isLoggerChar = (c: number | undefined): boolean =>
  c !== undefined &&
  ((c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45);

/**
 * Reads the header of b[s, e) as far as the lane needs: a well-formed L1 header
 * `[YYYY-MM-DD HH:MM:SS.mmm][tid][level][logger] ` or an Istio text header
 * `YYYY-MM-DDTHH:MM:SS.fZ<TAB>level<TAB>`, its layout and whether its level is below error.
 */
export function sniffHeader(b: Uint8Array, s: number, e: number, out: HeaderSniff): HeaderSniff {
  out.layout = null;
  out.low = false;
  out.messageStart = s;
  if (e - s < 30) return out;
  const c0 = b[s];
  if (c0 === 91) {
    if (!isDigit(b[s + 1]) || b[s + 11] !== 32 || b[s + 20] !== 46 || b[s + 24] !== 93 || b[s + 25] !== 91) return out;
    let p = s + 26;
    const tidEnd = Math.min(e, p + 12);
    while (p < tidEnd && isDigit(b[p])) p++;
    if (p === s + 26 || b[p] !== 93 || b[p + 1] !== 91) return out;
    p += 2;
    const n = belowError(b, p, e);
    const levelStart = p;
    while (p < e && p < levelStart + 10 && b[p]! >= 97 && b[p]! <= 122) p++;
    if (p === levelStart || b[p] !== 93 || b[p + 1] !== 91) return out;
    const low = n === p - levelStart;
    p += 2;
    const loggerStart = p;
    while (p < e && p < loggerStart + 64 && isLoggerChar(b[p])) p++;
    if (p === loggerStart || b[p] !== 93 || (p + 1 < e && b[p + 1] !== 32)) return out;
    out.layout = 'envoy';
    out.low = low;
    out.messageStart = p + 1;
    return out;
  }
  if (isDigit(c0) && b[s + 4] === 45 && b[s + 7] === 45 && b[s + 10] === 84 && b[s + 13] === 58 && b[s + 16] === 58) {
    let p = s + 19;
    if (b[p] === 46) {
      p++;
      const fracEnd = Math.min(e, p + 9);
      while (p < fracEnd && isDigit(b[p])) p++;
    }
    if (b[p] !== 90 || b[p + 1] !== 9) return out; // `Z` then a TAB: Istio's own line, no collector prefix
    p += 2;
    const n = belowError(b, p, e);
    if (n === 0 || b[p + n] !== 9) return out;
    p += n + 1;
    const envoy = b[p] === 101 && b[p + 1] === 110 && b[p + 2] === 118 && b[p + 3] === 111 && b[p + 4] === 121 && b[p + 5] === 32;
    out.layout = envoy ? 'envoy-istio' : 'istio-go';
    out.low = true;
    out.messageStart = p;
    return out;
  }
  return out;
}

/**
 * A 53-bit key of b[s, e) with every run of 8+ hex digits and dashes that holds a digit (request
 * ids, UUIDs, hashes, dates) read as one placeholder: two lines that differ only there have one key.
 */
export function maskedKey(b: Uint8Array, s: number, e: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x2545f491;
  let i = s;
  while (i < e) {
    const c = b[i]!;
    if (isHexOrDash(c)) {
      let j = i;
      let digit = false;
      while (j < e && isHexOrDash(b[j]!)) {
        if (isDigit(b[j])) digit = true;
        j++;
      }
      if (j - i >= 8 && digit) {
        h1 = Math.imul(h1 ^ 0x01, 0x01000193);
        h2 = Math.imul(h2 ^ 0x01, 0x5bd1e995);
      } else {
        for (let k = i; k < j; k++) {
          h1 = Math.imul(h1 ^ b[k]!, 0x01000193);
          h2 = Math.imul(h2 ^ b[k]!, 0x5bd1e995);
        }
      }
      i = j;
      continue;
    }
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    i++;
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

function isHexOrDash(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 45;
}

/**
 * The lane's state for one input. The scanner asks `consider` about each candidate line it would
 * hand on (with the line's literal hits) and must hand on the held line (`takeHeld`) before any
 * other line it hands on, and at the end.
 */
export class ContextLane {
  private readonly keys = new Set<number>();
  private quietUntil = 0;
  private readonly sniff: HeaderSniff = { layout: null, low: false, messageStart: 0 };
  /** The held line: its bytes, number, cut, hits and layout. */
  private held: Buffer = Buffer.alloc(0);
  private heldLen = 0;
  private heldNumber = 0;
  private heldCut = 0;
  private heldHits: Int32Array = new Int32Array(0);
  private heldHitsEnd = 0;
  private heldLayout: LayoutId = 'envoy';
  private holding = false;

  /**
   * @param laneLiteral laneLiteral[id] === 1 when every pattern with literal `id` is a context
   *   pattern that is not a memory signal (catalog/match.ts `laneLiterals`).
   */
  constructor(private readonly laneLiteral: Uint8Array) {}

  get hasHeld(): boolean {
    return this.holding;
  }

  /**
   * A candidate line b[s, e) with its hits (hits[0, hitsEnd) as ByteLiteralSearch.scan wrote
   * them). LANE_HOLD: the lane keeps it (a line it held before is dropped: `dropped` is called with
   * its number and layout). LANE_PASS: hand it on (after the held line, if any).
   */
  consider(
    b: Uint8Array,
    s: number,
    e: number,
    number: number,
    cut: number,
    hits: Int32Array,
    hitsEnd: number,
    dropped: (number: number, layout: LayoutId) => void,
  ): number {
    const h = sniffHeader(b, s, e, this.sniff);
    if (!this.eligible(h, number, hits, hitsEnd)) {
      // Anything but a low-level header line or an access line may start a block.
      if (!(h.layout !== null && h.low) && !isAccessLine(b, s, e)) this.quietUntil = number + QUIET_LINES;
      return LANE_PASS;
    }
    const key = maskedKey(b, h.messageStart, e);
    if (this.holding) {
      // A newer context line came: the held one is no longer the newest before anything.
      this.holding = false;
      dropped(this.heldNumber, this.heldLayout);
    }
    if (!this.keys.has(key)) {
      if (this.keys.size >= MAX_KEYS) this.keys.clear();
      this.keys.add(key);
      return LANE_PASS;
    }
    this.hold(b, s, e, number, cut, hits, hitsEnd, h.layout!);
    return LANE_HOLD;
  }

  /** Hand the held line to `take` and forget it. */
  takeHeld(take: (buf: Buffer, start: number, end: number, number: number, cut: number, hits: Int32Array) => void): void {
    if (!this.holding) return;
    this.holding = false;
    take(this.held, 0, this.heldLen, this.heldNumber, this.heldCut, this.heldHits.subarray(0, this.heldHitsEnd));
  }

  private eligible(h: HeaderSniff, number: number, hits: Int32Array, hitsEnd: number): boolean {
    if (h.layout === null || !h.low || number <= this.quietUntil || hitsEnd <= 1) return false;
    // The search must have covered the message; every literal found must be a context one.
    if (hits[0]! > h.messageStart) return false;
    for (let i = 1; i < hitsEnd; i += 2) if (this.laneLiteral[hits[i]!] !== 1) return false;
    return true;
  }

  private hold(b: Uint8Array, s: number, e: number, number: number, cut: number, hits: Int32Array, hitsEnd: number, layout: LayoutId): void {
    const len = e - s;
    if (this.held.length < len) this.held = Buffer.alloc(Math.max(len, 2 * this.held.length, 1024));
    this.held.set(b.subarray(s, e), 0);
    this.heldLen = len;
    if (this.heldHits.length < hitsEnd) this.heldHits = new Int32Array(Math.max(hitsEnd, 2 * this.heldHits.length, 64));
    this.heldHits.set(hits.subarray(0, hitsEnd), 0);
    this.heldHitsEnd = hitsEnd;
    this.heldNumber = number;
    this.heldCut = cut;
    this.heldLayout = layout;
    this.holding = true;
  }
}

const AI_LOG = Buffer.from('{"ai_log":');

function isAccessLine(b: Uint8Array, s: number, e: number): boolean {
  if (e - s < AI_LOG.length) return false;
  for (let i = 0; i < AI_LOG.length; i++) if (b[s + i] !== AI_LOG[i]) return false;
  return true;
}
