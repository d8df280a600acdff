// The byte-level prefilter: decides from a few bytes whether a line is a well-formed header of a
// known layout at a level no pattern can want (info and below), or a successful access-log entry.
// Such lines are skipped (counted by layout, not decoded). Anything it is not sure of is a
// candidate for the full parse. It must never skip a line the full parse would turn into a
// finding: it only proves "low level, known layout, none of the low-level literals present".
import type { LayoutId } from '../model.js';

export const FAST_CANDIDATE = 0;
export type FastResult = LayoutId | typeof FAST_CANDIDATE;

/**
 * Literals of the patterns that can match low-level lines: such a line is always a candidate.
 * The search stays inside the line: a table of the byte pairs that start a literal is checked at
 * every position, and only a hit is compared in full. The cost depends on the bytes of the
 * low-level lines checked, not on the number of literals (a chunk-wide search per literal did).
 */
export class FastLiterals {
  /** Needles grouped by their first two bytes (index = b0 << 8 | b1); one-byte needles by byte. */
  private readonly byPair = new Map<number, Buffer[]>();
  private readonly pairs = new Uint8Array(65536);
  private readonly singles = new Uint8Array(256);
  private readonly count: number;

  constructor(literals: readonly string[]) {
    const needles = [...new Set(literals)].filter((l) => l.length > 0).map((l) => Buffer.from(l, 'utf8'));
    this.count = needles.length;
    for (const n of needles) {
      if (n.length === 1) {
        this.singles[n[0]!] = 1;
        continue;
      }
      const key = (n[0]! << 8) | n[1]!;
      this.pairs[key] = 1;
      const list = this.byPair.get(key);
      if (list) list.push(n);
      else this.byPair.set(key, [n]);
    }
  }

  /** True when one of the literals lies entirely within b[start, end). */
  anyWithin(b: Buffer, start: number, end: number): boolean {
    const pairs = this.pairs;
    const singles = this.singles;
    const last = end - 1;
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (singles[c] === 1) return true;
      if (i < last && pairs[(c << 8) | b[i + 1]!] === 1 && this.matchAt(b, i, end, (c << 8) | b[i + 1]!)) return true;
    }
    return false;
  }

  private matchAt(b: Buffer, i: number, end: number, key: number): boolean {
    for (const n of this.byPair.get(key)!) {
      if (i + n.length > end) continue;
      let k = 2;
      while (k < n.length && b[i + k] === n[k]) k++;
      if (k === n.length) return true;
    }
    return false;
  }

  get size(): number {
    return this.count;
  }
}

export const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 48 && c <= 57;
const isBlank = (c: number | undefined): boolean => c === 9 || c === 32;
// Logger/scope characters accepted by the full parser: [A-Za-z0-9_.:-]
export const isLoggerChar = (c: number | undefined): boolean =>
  c !== undefined &&
  ((c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45);

/** The start of Higress' default JSON access-log line (line-index.wat compares it too). */
export const AI_LOG_START = Buffer.from('{"ai_log":');
const LEVEL_JSON_START = Buffer.from('{"level":"');
const EPOCH_START = Buffer.from('[Envoy (Epoch ');
export const FLAGS_KEY = Buffer.from('","response_flags":"');

export function startsWith(b: Uint8Array, s: number, e: number, prefix: Uint8Array): boolean {
  if (e - s < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[s + i] !== prefix[i]) return false;
  return true;
}

/** Length of a low level word (trace/debug/info) at p, followed by `term`, or 0. */
function lowLevelAt(b: Buffer, p: number, e: number, term: (c: number | undefined) => boolean): number {
  const c = b[p];
  let word: string;
  if (c === 105) word = 'info';
  else if (c === 100) word = 'debug';
  else if (c === 116) word = 'trace';
  else return 0;
  if (p + word.length >= e) return 0;
  for (let i = 1; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) return 0;
  return term(b[p + word.length]) ? word.length : 0;
}

/**
 * The start of an L1 header at s, `[YYYY-MM-DD HH:MM:SS.mmm][tid][`: the offset of the level
 * word after it, or −1. (Shared with the context lane's header reading.)
 */
export function envoyLevelStart(b: Uint8Array, s: number, e: number): number {
  // `[2026-05-20 08:15:44.031]` is 25 bytes; fractional digits may be 3..6 in custom builds: be strict (3).
  if (b[s] !== 91 || !isDigit(b[s + 1]) || b[s + 11] !== 32 || b[s + 20] !== 46 || b[s + 24] !== 93 || b[s + 25] !== 91) return -1;
  let p = s + 26;
  const tidEnd = Math.min(e, p + 12);
  while (p < tidEnd && isDigit(b[p])) p++;
  if (p === s + 26 || b[p] !== 93 || b[p + 1] !== 91) return -1;
  return p + 2;
}

/** An L1 logger `[name]` at p: the offset after its `]`, or −1. */
export function envoyLoggerEnd(b: Uint8Array, p: number, e: number): number {
  if (b[p] !== 91) return -1;
  let q = p + 1;
  while (q < e && isLoggerChar(b[q])) q++;
  return q > p + 1 && b[q] === 93 ? q + 1 : -1;
}

/** An Istio timestamp `YYYY-MM-DDTHH:MM:SS[.f]Z` at s: the offset after its `Z`, or −1. */
export function istioTimestampEnd(b: Uint8Array, s: number, e: number): number {
  if (b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 84 || b[s + 13] !== 58 || b[s + 16] !== 58) return -1;
  let p = s + 19;
  if (b[p] === 46) {
    p++;
    const fracEnd = Math.min(e, p + 9);
    while (p < fracEnd && isDigit(b[p])) p++;
  }
  return b[p] === 90 ? p + 1 : -1; // 'Z'
}

/** Offsets of the digits of `YYYY-MM-DDTHH:MM:SS` after its first one (the hot path reads them; no array per line). */
const STAMP_DIGITS = Uint8Array.of(1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18);
/** Offsets from the bracket of the digits of `[YYYY-MM-DD`. */
const ACCESS_DATE_DIGITS = Uint8Array.of(1, 2, 3, 4, 6, 7, 9, 10);

/**
 * Where the line the assembler reads starts when b[s, e) carries the time `kubectl logs
 * --timestamps` puts before it (`2026-05-20T08:15:44.123456789Z `, also with a `+08:00` zone),
 * else s. Only when what follows starts `[`, `{` or a digit: those lines the Unwrapper
 * (parse/wrappers.ts) peels exactly once, as this says; for anything else it is not sure, and
 * the caller treats the line as it is.
 */
export function kubectlTimeEnd(b: Uint8Array, s: number, e: number): number {
  if (e - s < 30 || !isDigit(b[s]) || b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 84 || b[s + 13] !== 58 || b[s + 16] !== 58) return s;
  for (let i = 0; i < STAMP_DIGITS.length; i++) if (!isDigit(b[s + STAMP_DIGITS[i]!])) return s;
  let p = s + 19;
  if (b[p] === 46) {
    const first = ++p;
    while (p < e && isDigit(b[p])) p++;
    if (p === first) return s;
  }
  if (b[p] === 90) p++;
  else if ((b[p] === 43 || b[p] === 45) && isDigit(b[p + 1]) && isDigit(b[p + 2]) && b[p + 3] === 58 && isDigit(b[p + 4]) && isDigit(b[p + 5])) p += 6;
  else return s;
  if (b[p] !== 32) return s;
  const c = b[p + 1];
  return c === 91 || c === 123 || isDigit(c) ? p + 1 : s;
}

/**
 * L1 header at s: `[YYYY-MM-DD HH:MM:SS.mmm][tid][level][logger]` followed by a space or the end.
 * Returns true when it is well-formed with a low level.
 */
function lowEnvoyHeader(b: Buffer, s: number, e: number): boolean {
  const p = envoyLevelStart(b, s, e);
  if (p < 0) return false;
  const n = lowLevelAt(b, p, e, (c) => c === 93);
  if (n === 0) return false;
  const q = envoyLoggerEnd(b, p + n + 1, e);
  return q >= 0 && (q === e || b[q] === 32);
}

/** Istio text header at s (`YYYY-MM-DDTHH:MM:SS[.f]Z` then blanks then level). */
function classifyIstio(b: Buffer, s: number, e: number, literals: FastLiterals | undefined, depth: number): FastResult {
  let p = istioTimestampEnd(b, s, e);
  if (p < 0 || !isBlank(b[p])) return FAST_CANDIDATE;
  const afterZ = p;
  while (p < e && isBlank(b[p])) p++;
  const n = lowLevelAt(b, p, e, isBlank);
  if (n > 0) {
    p += n;
    while (p < e && isBlank(b[p])) p++;
    if (literals && literals.anyWithin(b, s, e)) return FAST_CANDIDATE;
    // `envoy <logger>` in the third column marks Envoy in Istio's tab layout (L2).
    return b[p] === 101 && b[p + 1] === 110 && b[p + 2] === 118 && b[p + 3] === 111 && b[p + 4] === 121 && b[p + 5] === 32
      ? 'envoy-istio'
      : 'istio-go';
  }
  // A single space then something that is not a level: a collector's timestamp (kubectl --timestamps, CRI).
  if (depth > 0 || b[afterZ] !== 32 || p !== afterZ + 1) return FAST_CANDIDATE;
  // CRI: `<ts> stdout F <msg>`; partial (`P`) lines are joined by the full parser.
  if (
    (startsWith(b, p, e, STDOUT) || startsWith(b, p, e, STDERR)) &&
    b[p + 7] === 70 &&
    b[p + 8] === 32
  ) {
    return classifyInner(b, p + 9, e, literals, depth + 1);
  }
  return classifyInner(b, p, e, literals, depth + 1);
}

const STDOUT = Buffer.from('stdout ');
const STDERR = Buffer.from('stderr ');

/**
 * In the Higress access-log format the fields before `response_code` (authority, bytes, addresses,
 * duration, method, path, protocol, request id, …) take at least this many bytes even when empty,
 * so the search for it can start here.
 */
const ACCESS_PREFIX_MIN = 200;

export const RESPONSE_CODE = Buffer.from('"response_code":"');
const RC_LEN = RESPONSE_CODE.length;
const RC_LAST = RESPONSE_CODE[RC_LEN - 1]!;
/** Horspool shift table for RESPONSE_CODE. */
const RC_SHIFT = (() => {
  const t = new Uint8Array(256).fill(RC_LEN);
  for (let i = 0; i < RC_LEN - 1; i++) t[RESPONSE_CODE[i]!] = RC_LEN - 1 - i;
  return t;
})();

/**
 * First `"response_code":"` within b[from, end), or -1. A JS Horspool search bounded to the line:
 * cheaper than a native indexOf call per access line (call overhead, and no bound at the line end).
 */
function findResponseCode(b: Buffer, from: number, end: number): number {
  let p = from + RC_LEN - 1;
  while (p < end) {
    const c = b[p]!;
    if (c === RC_LAST) {
      let k = RC_LEN - 2;
      let q = p - 1;
      while (k >= 0 && b[q] === RESPONSE_CODE[k]) {
        k--;
        q--;
      }
      if (k < 0) return p - RC_LEN + 1;
    }
    p += RC_SHIFT[c]!;
  }
  return -1;
}

function classifyAccessJson(b: Buffer, s: number, e: number): FastResult {
  const p = findResponseCode(b, Math.min(s + ACCESS_PREFIX_MIN, e), e);
  if (p < 0 || p + 40 > e) return FAST_CANDIDATE;
  const c = p + 17;
  // Successful or client-error responses with no response flags cannot matter.
  if (b[c]! < 49 || b[c]! > 52 || !isDigit(b[c + 1]) || !isDigit(b[c + 2])) return FAST_CANDIDATE;
  if (!startsWith(b, c + 3, e, FLAGS_KEY)) return FAST_CANDIDATE;
  const f = c + 3 + FLAGS_KEY.length;
  return b[f] === 45 && b[f + 1] === 34 ? 'access-json' : FAST_CANDIDATE;
}

/** How far a TEXT access line's request is searched for its closing quote (line-index.wat reads the same bound). */
export const ACCESS_TEXT_REQUEST_LIMIT = 4096;

/** Istio's default TEXT access log: `[2026-…Z] "GET /p HTTP/1.1" 200 - via_upstream …`. */
function classifyAccessText(b: Buffer, s: number, e: number): FastResult {
  let p = s + 20;
  const limit = Math.min(e, s + 40);
  while (p < limit && b[p] !== 93) p++;
  if (b[p] !== 93 || b[p + 1] !== 32 || b[p + 2] !== 34) return FAST_CANDIDATE;
  p += 3;
  // The request line is short in practice; do not scan far for its closing quote.
  const reqLimit = Math.min(e, p + ACCESS_TEXT_REQUEST_LIMIT);
  while (p < reqLimit && !(b[p] === 34 && b[p + 1] === 32)) p++;
  if (p >= reqLimit) return FAST_CANDIDATE;
  const c = p + 2;
  if (b[c]! < 49 || b[c]! > 52 || !isDigit(b[c + 1]) || !isDigit(b[c + 2]) || b[c + 3] !== 32) return FAST_CANDIDATE;
  return b[c + 4] === 45 && b[c + 5] === 32 ? 'access-text' : FAST_CANDIDATE;
}

/**
 * The line b[s, e) is one access-text record as the full parse reads it (parse/layouts.ts
 * parseAccessText, timed): `[YYYY-MM-DDT…Z] "` then at least 16 fields, quoted strings or bare
 * tokens, the second one a status of 1–3 digits. Only lines it can decide with certainty: one
 * with a byte outside ASCII or a backslash (an escape inside quotes) is never one here. Its twin
 * is the parser itself: test/context-lane.test.ts compares them on random lines. The line index's kernel
 * does the same on lines in its memory (line-index.wat textRecord; test/line-index.test.ts compares the two).
 */
export function isTextAccessRecord(b: Uint8Array, s: number, e: number): boolean {
  if (e - s < 40 || b[s] !== 91 || b[s + 11] !== 84 || b[s + 5] !== 45 || b[s + 8] !== 45) return false;
  for (let i = 0; i < ACCESS_DATE_DIGITS.length; i++) if (!isDigit(b[s + ACCESS_DATE_DIGITS[i]!])) return false;
  let p = s + 12;
  while (p < e && (isDigit(b[p]) || b[p] === 58 || b[p] === 46)) p++;
  // `Z] "` wholly inside the line (line-index.wat textRecord reads no further either).
  if (p === s + 12 || p + 3 >= e || b[p] !== 90 || b[p + 1] !== 93 || b[p + 2] !== 32 || b[p + 3] !== 34) return false;
  for (let q = s; q < e; q++) if (b[q]! >= 128 || b[q] === 92) return false;
  // The fields from the request on, as the parser's tokenizer reads them (at most 40).
  p += 3;
  let tokens = 0;
  while (tokens < 40) {
    while (p < e && isSpace(b[p]!)) p++;
    if (p >= e) break;
    const first = p;
    let close = -1;
    if (b[p] === 34) for (let q = p + 1; q < e; q++) if (b[q] === 34) { close = q; break; }
    if (close >= 0) p = close + 1;
    else while (p < e && !isSpace(b[p]!)) p++;
    if (tokens === 1) {
      // The status: 1–3 digits and nothing else.
      const len = p - first;
      if (close >= 0 || len < 1 || len > 3) return false;
      for (let q = first; q < p; q++) if (!isDigit(b[q])) return false;
    }
    tokens++;
  }
  return tokens >= 16;
}

/** What a regex's `\s` is in ASCII: TAB, LF, VT, FF, CR and the space. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function classifyInner(b: Buffer, s: number, e: number, literals: FastLiterals | undefined, depth: number): FastResult {
  if (e - s < 24) return FAST_CANDIDATE;
  const c0 = b[s];
  if (c0 === 91) {
    // '['
    if (isDigit(b[s + 1])) {
      if (b[s + 11] === 32) {
        if (!lowEnvoyHeader(b, s, e)) return FAST_CANDIDATE;
        return literals && literals.anyWithin(b, s, e) ? FAST_CANDIDATE : 'envoy';
      }
      if (b[s + 11] === 84) return classifyAccessText(b, s, e);
      return FAST_CANDIDATE;
    }
    if (startsWith(b, s, e, EPOCH_START)) {
      let p = s + EPOCH_START.length;
      const limit = Math.min(e, p + 12);
      while (p < limit && isDigit(b[p])) p++;
      if (b[p] !== 41 || b[p + 1] !== 93 || b[p + 2] !== 32) return FAST_CANDIDATE;
      if (!lowEnvoyHeader(b, p + 3, e)) return FAST_CANDIDATE;
      return literals && literals.anyWithin(b, s, e) ? FAST_CANDIDATE : 'envoy-epoch';
    }
    return FAST_CANDIDATE;
  }
  if (c0 === 123) {
    // '{'
    if (startsWith(b, s, e, AI_LOG_START)) return classifyAccessJson(b, s, e);
    if (startsWith(b, s, e, LEVEL_JSON_START)) {
      const n = lowLevelAt(b, s + LEVEL_JSON_START.length, e, (c) => c === 34);
      if (n === 0) return FAST_CANDIDATE;
      return literals && literals.anyWithin(b, s, e) ? FAST_CANDIDATE : 'istio-json';
    }
    return FAST_CANDIDATE;
  }
  if (isDigit(c0)) return classifyIstio(b, s, e, literals, depth);
  return FAST_CANDIDATE;
}

/** Classify the line b[s, e): a layout id when it can be skipped, FAST_CANDIDATE otherwise. */
export function classifyFast(b: Buffer, s: number, e: number, literals: FastLiterals | undefined): FastResult {
  return classifyInner(b, s, e, literals, 0);
}
