// The context lane: most lines a busy gateway writes at warning level are plugins chatting
// (`wasm log …: [key-auth] … no consumer matched`), each one a candidate that only a context
// pattern can claim. The diagnosis needs little of them: which plugins exist, and which plugin was
// active last before a crash or failure. So in `analyze` the scanner hands on such a line only
//   - when its text (with ids, hashes and other long hex runs masked) is new, so every plugin
//     still shows up, or
//   - when it is the newest context line before any line but a skipped one or a failed request
//     that cannot be blamed on a plugin (those wait behind it), so crash attribution sees the same
//     last activity (the lines dropped are older ones, which it never looks at), or
//   - at the end of the input (the time window), or
//   - while a block (a crash, a Wasm panic) may be open, which it would end or join.
// The others are counted as skipped lines of their layout, like the prefilter's, in line order.
// `tail` and `--no-prefilter` hand on every line.
import { LAYOUT_IDS, LAYOUT_INDEX, type LayoutId } from '../model.js';
import { MAX_BLOCK_RECORDS } from '../limits.js';
import type { ByteLiteralSearch } from './literal-hits.js';
import { AI_LOG_START, envoyLevelStart, envoyLoggerEnd, isDigit, isLoggerChar, istioTimestampEnd, startsWith } from './prefilter.js';

/** Distinct masked texts remembered; past this the memory starts over (and each comes once more). */
export const MAX_KEYS = 4096;

/** What the lane makes of a candidate line. */
export const LANE_PASS = 0;
/** The line is held (or dropped): the caller hands nothing on for now. */
export const LANE_HOLD = 1;


export interface HeaderSniff {
  /** Where the line as the assembler reads it starts (after a collector's time, if any). */
  start: number;
  /** Where the line as written starts (a held line is kept and handed on from here). */
  lineStart: number;
  /** The layout the full parse gives the line ('envoy', 'istio-go', 'envoy-istio'), or null. */
  layout: LayoutId | null;
  /** True for trace/debug/info/warn(ing): below error. */
  low: boolean;
  /** True for trace/debug/info: below warning (no pattern of minLevel warning can match it). */
  quiet: boolean;
  /** Not low and maybe a crash record: any level but `error`, or an error of the backtrace logger. */
  crashable: boolean;
  /** The logger (Istio: the scope) is `wasm`. */
  wasmLogger: boolean;
  /** Where the message starts at the earliest. */
  messageStart: number;
}

/**
 * After L1's `] ` at p: past an optional `[path:line] ` (no blanks in it, as the parser reads it),
 * else p.
 */
function sourceLocationEnd(b: Uint8Array, p: number, e: number): number {
  if (b[p] !== 91) return p;
  let q = p + 1;
  const limit = Math.min(e, q + 512);
  while (q < limit && b[q] !== 93 && b[q] !== 32 && b[q] !== 9) q++;
  if (b[q] !== 93) return p;
  let d = q - 1;
  while (d > p + 1 && isDigit(b[d])) d--;
  if (d === q - 1 || b[d] !== 58 || d === p + 1) return p;
  return b[q + 1] === 32 ? q + 2 : q + 1;
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

/** The level word b[p, end) is trace, debug or info (a low word that is not a warning). */
function belowWarning(b: Uint8Array, p: number, end: number): boolean {
  return !(end - p >= 4 && b[p] === 119 && b[p + 1] === 97 && b[p + 2] === 114 && b[p + 3] === 110); // `warn…`
}

/**
 * Reads the header of b[s, e) as far as the scanner needs: a well-formed L1 header
 * `[YYYY-MM-DD HH:MM:SS.mmm][tid][level][logger] [path:line] ` or an Istio text header
 * `YYYY-MM-DDTHH:MM:SS.fZ<TAB>level<TAB>`, its layout, whether its level is below error, and
 * where the message starts at the earliest (the literal search skips the bytes before it).
 */
export function sniffHeader(b: Uint8Array, s: number, e: number, out: HeaderSniff): HeaderSniff {
  out.start = s;
  out.lineStart = s;
  out.layout = null;
  out.low = false;
  out.quiet = false;
  out.crashable = false;
  out.wasmLogger = false;
  out.messageStart = s;
  if (e - s < 30) return out;
  const c0 = b[s];
  if (c0 === 91) {
    const levelStart = envoyLevelStart(b, s, e);
    if (levelStart < 0) return out;
    const p = levelWordEnd(b, levelStart, e);
    if (p === levelStart || b[p] !== 93) return out;
    const q = envoyLoggerEnd(b, p + 1, e);
    if (q < 0 || (q < e && b[q] !== 32)) return out;
    out.layout = 'envoy';
    out.low = belowError(b, levelStart, e) === p - levelStart;
    out.quiet = out.low && belowWarning(b, levelStart, p);
    out.crashable = !out.low && (!isWord(b, levelStart, p, ERROR) || isWord(b, p + 2, q - 1, BACKTRACE));
    out.wasmLogger = isWord(b, p + 2, q - 1, WASM);
    out.messageStart = sourceLocationEnd(b, q + 1, e);
    return out;
  }
  if (isDigit(c0)) {
    const levelStart = istioTimestampEnd(b, s, e) + 1;
    if (levelStart === 0 || b[levelStart - 1] !== 9) return out; // `Z` then a TAB: Istio's own line, no collector prefix
    const n = levelWordEnd(b, levelStart, e);
    if (n === levelStart || b[n] !== 9) return out;
    const p = n + 1;
    const envoy = b[p] === 101 && b[p + 1] === 110 && b[p + 2] === 118 && b[p + 3] === 111 && b[p + 4] === 121 && b[p + 5] === 32;
    out.layout = envoy ? 'envoy-istio' : 'istio-go';
    out.low = belowError(b, levelStart, e) === n - levelStart;
    out.quiet = out.low && belowWarning(b, levelStart, n);
    // L2 writes Envoy's logger after `envoy `; Istio's own lines have no crash logger.
    out.crashable = !out.low && (!isWord(b, levelStart, n, ERROR) || (envoy && loggerAt(b, p + 6, e, BACKTRACE)));
    out.wasmLogger = loggerAt(b, envoy ? p + 6 : p, e, WASM);
    out.messageStart = p;
    return out;
  }
  return out;
}

const ERROR = Buffer.from('error');
const BACKTRACE = Buffer.from('backtrace');
const WASM = Buffer.from('wasm');

/** The end of a run of lowercase letters (a level word, at most 10) from p. */
function levelWordEnd(b: Uint8Array, p: number, e: number): number {
  let q = p;
  while (q < e && q < p + 10 && b[q]! >= 97 && b[q]! <= 122) q++;
  return q;
}

/** b[s, e) is exactly `word`. */
function isWord(b: Uint8Array, s: number, e: number, word: Uint8Array): boolean {
  return e - s === word.length && startsWith(b, s, e, word);
}

/** The logger (or scope) name at p is exactly `word`. */
function loggerAt(b: Uint8Array, p: number, e: number, word: Uint8Array): boolean {
  return startsWith(b, p, e, word) && !isLoggerChar(b[p + word.length]);
}

/**
 * A key of b[s, e) with every whole token of 8+ hex digits and dashes that holds a digit (request
 * ids, UUIDs, hashes) read as one placeholder: two lines that differ only there have one key.
 * 53 bits from two hashes of the masked text (FNV-1a, and a second multiplier mixed with the
 * length): a line that is not chatter must not share a chatter line's key, or it would be held
 * unsearched, so 32 bits would not do.
 */
export function maskedKey(b: Uint8Array, s: number, e: number): number {
  // One pass: a run of hex digits and dashes is hashed on its own, then either its hashes or, for
  // an id, a placeholder go into the key.
  let h = 0x811c9dc5;
  let g = 0x2545f491;
  let len = 0;
  let run = 0;
  let run2 = 0;
  let runStart = -1;
  let digit = 0;
  for (let i = s; i <= e; i++) {
    const c = i < e ? b[i]! : 32;
    const k = HEX_CLASS[c]!;
    if (k !== 0) {
      if (runStart < 0) {
        runStart = i;
        run = 0x811c9dc5;
        run2 = 0x2545f491;
        digit = 0;
      }
      run = Math.imul(run ^ c, 0x01000193);
      run2 = Math.imul(run2 ^ c, 0x5bd1e995);
      digit |= k;
      continue;
    }
    if (runStart >= 0) {
      const n = i - runStart;
      // A whole token (not part of a word) of 8+ characters with a digit: an id.
      const id = n >= 8 && (digit & 2) !== 0 && (runStart === s || WORD[b[runStart - 1]!] === 0) && (i === e || WORD[c] === 0);
      h = Math.imul(h ^ (id ? 1 : run), 0x01000193);
      g = Math.imul(g ^ (id ? 1 : run2), 0x5bd1e995);
      len += id ? 1 : n;
      runStart = -1;
    }
    if (i === e) break;
    h = Math.imul(h ^ c, 0x01000193);
    g = Math.imul(g ^ c, 0x5bd1e995);
    len++;
  }
  g = Math.imul(g ^ len, 0x5bd1e995);
  g ^= g >>> 15;
  return (h >>> 0) * 0x200000 + ((g >>> 0) & 0x1fffff);
}

/** 1 for [0-9A-Za-z_] (line-index.ts hands the kernel a copy). */
export const WORD = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = /\w/.test(String.fromCharCode(c)) ? 1 : 0;
  return t;
})();

/** 2 for a digit, 1 for a hex letter or a dash, 0 for anything else (line-index.ts hands the kernel a copy). */
export const HEX_CLASS = (() => {
  const t = new Uint8Array(256);
  for (let c = 48; c <= 57; c++) t[c] = 2;
  for (const c of 'abcdefABCDEF-') t[c.charCodeAt(0)] = 1;
  return t;
})();

/**
 * Whether a literal could lose or gain an occurrence where maskedKey masks: when it could, two lines
 * with one key may differ in holding it, and a key alone cannot tell a line is chatter. (A masked
 * run is a whole token of hex digits and dashes, so only a literal whose hex-and-dash part can be
 * such a token's edge — at the literal's own edge, or set off by non-word characters — can.)
 */
export function riskyLiteral(l: string): boolean {
  const hexDash = (c: string | undefined): boolean => c !== undefined && /[0-9a-fA-F-]/.test(c);
  const word = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);
  for (let i = 0; i < l.length; ) {
    if (!hexDash(l[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < l.length && hexDash(l[j])) j++;
    const opens = i === 0 || !word(l[i - 1]);
    const closes = j === l.length || !word(l[j]);
    if (opens && closes && (i === 0 || j === l.length || (j - i >= 8 && /\d/.test(l.slice(i, j))))) return true;
    i = j;
  }
  return false;
}

/** Where the lane hands lines on: the scanner's sink, in line order. */
export interface LaneOutput {
  forward(buf: Buffer, start: number, end: number, number: number, cut: number, hits: Int32Array | undefined): void;
  skipRun(first: number, count: number, layout: LayoutId): void;
}

/** Runs and lines behind a held line before it is let go anyway (a bound, not a rule of the diagnosis). */
const MAX_PENDING = 1024;
/** Bytes of access lines behind a held line before it is let go anyway. */
const MAX_PENDING_BYTES = 256 * 1024;
/** Numbers per pending entry: first line number, count (0: a line), layout index or cut, end of the line's bytes. */
const ENTRY = 4;

/**
 * The lane's state for one input. For each candidate line the scanner asks `mayHold` (before
 * searching it), `knows` (its masked text was chatter before: held without a search) or
 * `consider` (after the search). While a line is held, the lines the prefilter skipped after it
 * and access lines that cannot read plugin activity wait behind it (`deferSkip`, `deferLine`), so
 * the sink sees every line in order. Any other line the scanner hands on first lets the held line
 * go (`release`), and so does the end of the input; a newer chatter line drops it.
 */
export class ContextLane {
  /** Masked texts of lines found to be chatter. */
  private readonly keys = new Set<number>();
  /** The key of the last line handed on, when it was chatter with a new key (else −1). */
  private lastNewKey = -1;
  /** A crash block may be open: it takes records a dropped line would have ended. */
  private crashOpen = false;
  /** A Wasm panic block may be open (it takes plugin lines): records it has taken at most. */
  private panicOpen = false;
  private panicRecords = 0;
  /**
   * The held line: its bytes (in the scanner's piece until detach() copies them into `own`: most
   * held lines are dropped before the piece ends, uncopied), where its message starts, number,
   * cut, hits (if searched) and layout.
   */
  private heldBuf: Buffer = Buffer.alloc(0);
  private heldStart = 0;
  private own: Buffer = Buffer.alloc(0);
  private heldLen = 0;
  private heldMessageStart = 0;
  private heldNumber = 0;
  private heldCut = 0;
  private heldHits: Int32Array;
  private heldHitsEnd = 0;
  private heldLayout: LayoutId = 'envoy';
  private holding = false;
  /**
   * What waits behind the held line, in order: skipped runs (first, count, layout index) and
   * access lines (number, 0, cut, end of its bytes in pendingBytes).
   */
  private readonly pending = new Int32Array(MAX_PENDING * ENTRY);
  private pendingCount = 0;
  private pendingBytes: Buffer = Buffer.alloc(0);
  private pendingBytesLen = 0;
  /** The last run in pending: its layout, where its count is, the number that extends it. */
  private runLayout: LayoutId | null = null;
  private runAt = 0;
  private runNext = -1;
  private out: LaneOutput | null = null;

  /**
   * @param laneLiteral laneLiteral[id] === 1 when every pattern with literal `id` is a context
   *   pattern without a signal; 2 when the others need warning or above, so a line below warning
   *   holding it is still chatter (catalog/match.ts `laneLiterals`).
   * @param search The scanner's literal search (a line held unsearched is searched when handed on).
   * @param keysDecide No literal is risky (riskyLiteral): a known key alone says "chatter".
   */
  constructor(
    private readonly laneLiteral: Uint8Array,
    private readonly search: ByteLiteralSearch,
    readonly keysDecide: boolean,
  ) {
    this.heldHits = new Int32Array(search.maxOutput);
  }

  /** Where lines are handed on (set once by the scanner). */
  bind(out: LaneOutput): void {
    this.out = out;
  }

  /** A line is held: skipped lines must wait behind it (deferSkip). */
  get isHolding(): boolean {
    return this.holding;
  }

  /** A low-level L1/Istio line while no block may be open: it may be held (if it is chatter). */
  mayHold(h: HeaderSniff): boolean {
    return h.layout !== null && h.low && !this.crashOpen && !this.panicOpen;
  }

  /** With keysDecide: this masked text was chatter before, so this line is too. */
  knows(key: number): boolean {
    return this.keysDecide && this.keys.has(key);
  }

  /** Hold a line known to be chatter (knows(key)), unsearched; a line held before is dropped. */
  holdKnown(b: Buffer, e: number, h: HeaderSniff, number: number, cut: number): void {
    this.dropHeld();
    this.hold(b, e, h, number, cut, null, 0);
  }

  /**
   * A searched candidate line b[h.start, e) with its hits (hits[0, hitsEnd) as
   * ByteLiteralSearch.scan wrote them), and its masked key if mayHold (else −1). LANE_HOLD: the
   * lane keeps it (a line it held before is dropped). LANE_PASS: the caller hands it on after
   * release().
   */
  consider(b: Buffer, e: number, h: HeaderSniff, number: number, cut: number, hits: Int32Array, hitsEnd: number, keyIn: number): number {
    if (!this.chatter(h, hits, hitsEnd)) {
      this.noteBlocks(b, e, h);
      return LANE_PASS;
    }
    const key = keyIn >= 0 ? keyIn : maskedKey(b, h.messageStart, e);
    // A newer context line came: the held one is no longer the newest before anything.
    this.dropHeld();
    if (!this.keys.has(key)) {
      if (this.keys.size >= MAX_KEYS) this.keys.clear();
      this.keys.add(key);
      this.lastNewKey = key;
      return LANE_PASS;
    }
    this.hold(b, e, h, number, cut, hits, hitsEnd);
    return LANE_HOLD;
  }

  /** While holding: `count` lines the prefilter skipped, from `number` on, wait behind the held line. */
  deferSkip(number: number, layout: LayoutId, count = 1): void {
    const p = this.pending;
    // Most skipped lines extend the run before them: no lookup for those.
    if (layout === this.runLayout && this.runNext === number) {
      p[this.runAt]! += count;
      this.runNext += count;
      return;
    }
    if (this.pendingCount === MAX_PENDING) {
      this.release();
      this.out!.skipRun(number, count, layout);
      return;
    }
    const n = this.pendingCount++ * ENTRY;
    p[n] = number;
    p[n + 1] = count;
    p[n + 2] = LAYOUT_INDEX.get(layout)!;
    this.runLayout = layout;
    this.runAt = n + 1;
    this.runNext = number + count;
  }

  /**
   * While holding: an access-log line that cannot read plugin activity (scanner.ts says which)
   * waits behind the held line instead of letting it go. The held line then stays the newest
   * context line before whatever comes next, and is dropped if that is newer chatter: a gateway
   * that fails requests keeps one chatter line per failed request otherwise.
   */
  deferLine(buf: Buffer, start: number, end: number, number: number, cut: number): void {
    const len = end - start;
    if (this.pendingCount === MAX_PENDING || this.pendingBytesLen + len > MAX_PENDING_BYTES) {
      this.release();
      this.out!.forward(buf, start, end, number, cut, undefined);
      return;
    }
    if (this.pendingBytes.length < this.pendingBytesLen + len) {
      const bigger = Buffer.alloc(Math.min(MAX_PENDING_BYTES, Math.max(2 * this.pendingBytes.length, this.pendingBytesLen + len, 4096)));
      this.pendingBytes.copy(bigger, 0, 0, this.pendingBytesLen);
      this.pendingBytes = bigger;
    }
    buf.copy(this.pendingBytes, this.pendingBytesLen, start, end);
    this.pendingBytesLen += len;
    const n = this.pendingCount++ * ENTRY;
    const p = this.pending;
    p[n] = number;
    p[n + 1] = 0;
    p[n + 2] = cut;
    p[n + 3] = this.pendingBytesLen;
    this.runNext = -1;
  }

  /** Hand the held line on, then what waited behind it. */
  release(): void {
    if (!this.holding) return;
    this.holding = false;
    const start = this.heldStart;
    if (this.heldHitsEnd === 0) this.heldHitsEnd = this.search.scan(this.heldBuf, start, start + this.heldMessageStart, start + this.heldLen, this.heldHits, 0);
    this.out!.forward(this.heldBuf, start, start + this.heldLen, this.heldNumber, this.heldCut, this.heldHits.subarray(0, this.heldHitsEnd));
    this.flushPending();
  }

  /** The held line is no longer needed: counted as a skipped line of its layout, then what waited. */
  private dropHeld(): void {
    if (!this.holding) return;
    this.holding = false;
    this.out!.skipRun(this.heldNumber, 1, this.heldLayout);
    this.flushPending();
  }

  private flushPending(): void {
    const p = this.pending;
    const out = this.out!;
    let lineStart = 0;
    for (let o = 0; o < this.pendingCount * ENTRY; o += ENTRY) {
      if (p[o + 1] !== 0) out.skipRun(p[o]!, p[o + 1]!, LAYOUT_IDS[p[o + 2]!]!);
      else {
        out.forward(this.pendingBytes, lineStart, p[o + 3]!, p[o]!, p[o + 2]!, undefined);
        lineStart = p[o + 3]!;
      }
    }
    this.pendingCount = 0;
    this.pendingBytesLen = 0;
    this.runNext = -1;
  }

  /**
   * A whole JSON access record was handed on or queued: a record of the `access` logger, which
   * ends a Wasm panic block (a crash block lets it pass).
   */
  noteAccessRecord(): void {
    this.panicOpen = false;
  }

  /**
   * What a line handed on does to the blocks the assembler may have open: THE BLOCK CONTRACT
   * (parse/assemble.ts, above BlockKind) — a crash block takes crash records and lines of no known
   * layout and ends at any other record; a Wasm panic block takes plugin lines and ends after
   * MAX_BLOCK_RECORDS records at the latest. While one may be open no line is held, so every record
   * the block would see is there.
   */
  private noteBlocks(b: Uint8Array, e: number, h: HeaderSniff): void {
    // A line of no known layout may continue the line before: if that was the first of its key,
    // its record (and what the catalog makes of it) is not plain chatter, and the key is no proof.
    if (h.layout === null && this.lastNewKey >= 0) this.keys.delete(this.lastNewKey);
    this.lastNewKey = -1;
    if (h.layout !== null) {
      // A header line is a record: a crash record (critical, or an error of the backtrace logger)
      // keeps a crash block going or starts one; any other ends it. A panic block starts with an
      // error `panic:` line of a plugin and ends at a record of another logger.
      this.crashOpen = !h.low && h.crashable;
      if (!h.low && contains(b, h.start, e, PANIC)) {
        this.panicOpen = true;
        this.panicRecords = 0;
      } else if (this.panicOpen && (!h.wasmLogger || ++this.panicRecords >= MAX_BLOCK_RECORDS)) this.panicOpen = false;
      return;
    }
    // A continuation (a bullet, a dump, a blank line) starts nothing and ends nothing; any other
    // line of no known layout might be a crash text, a pasted or wrapped header: anything (but a
    // panic block's first line says `panic`).
    if (plainContinuation(b, h.start, e)) return;
    this.crashOpen = true;
    if (contains(b, h.start, e, PANIC)) {
      this.panicOpen = true;
      this.panicRecords = 0;
    }
  }

  /** Only context literals, at least one, in a low-level line away from blocks. */
  private chatter(h: HeaderSniff, hits: Int32Array, hitsEnd: number): boolean {
    if (!this.mayHold(h) || hitsEnd <= 1) return false;
    // The search must have covered the message.
    if (hits[0]! > h.messageStart - h.start) return false;
    // 1: only context patterns have it; 2: nothing else can match a line below warning.
    for (let i = 1; i < hitsEnd; i += 2) {
      const f = this.laneLiteral[hits[i]!];
      if (f !== 1 && !(f === 2 && h.quiet)) return false;
    }
    return true;
  }

  /** The scanner's piece is about to be reused: a line held in it is copied. */
  detach(): void {
    if (!this.holding || this.heldBuf === this.own) return;
    const len = this.heldLen;
    if (this.own.length < len) this.own = Buffer.alloc(Math.max(len, 2 * this.own.length, 1024));
    this.heldBuf.copy(this.own, 0, this.heldStart, this.heldStart + len);
    this.heldBuf = this.own;
    this.heldStart = 0;
  }

  private hold(b: Buffer, e: number, h: HeaderSniff, number: number, cut: number, hits: Int32Array | null, hitsEnd: number): void {
    this.heldBuf = b;
    this.heldStart = h.lineStart;
    this.heldLen = e - h.lineStart;
    this.heldMessageStart = h.messageStart - h.lineStart;
    if (hits !== null) this.heldHits.set(hits.subarray(0, hitsEnd), 0);
    this.heldHitsEnd = hits === null ? 0 : hitsEnd;
    this.heldNumber = number;
    this.heldCut = cut;
    this.heldLayout = h.layout!;
    this.holding = true;
  }
}


const PANIC = Buffer.from('panic');

function contains(b: Uint8Array, s: number, e: number, needle: Uint8Array): boolean {
  const first = needle[0]!;
  const last = e - needle.length;
  for (let i = s; i <= last; i++) {
    if (b[i] !== first) continue;
    let k = 1;
    while (k < needle.length && b[i + k] === needle[k]) k++;
    if (k === needle.length) return true;
  }
  return false;
}

/**
 * A line that can only continue a record or be a record of no known layout, never start a block:
 * blank, or its first non-blank character is punctuation that no header, wrapper, paste marker
 * (`>`, backticks), raw crash text (`#`) or JSON object starts with: `* cannot fetch…`, `}`, `-`.
 */
export function plainContinuation(b: Uint8Array, s: number, e: number): boolean {
  let p = s;
  while (p < e && (b[p] === 32 || b[p] === 9)) p++;
  if (p === e) return true;
  return PLAIN_START[b[p]!] === 1;
}

const PLAIN_START = (() => {
  const t = new Uint8Array(256);
  for (const c of '*-})]"\',:;=+|./~!?(&%$@^_<\\') t[c.charCodeAt(0)] = 1;
  return t;
})();

/** A line in Higress' default access-log layout (its message is built from fields, never searched). */
export function isAccessLine(b: Uint8Array, s: number, e: number): boolean {
  return startsWith(b, s, e, AI_LOG_START);
}
