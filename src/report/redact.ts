// Redaction of report text before any rendering (text, Markdown, JSON, TUI export).
//
// Reports get pasted into support tickets; the log lines they quote carry client addresses, credentials, cookies
// and, in AI gateways, whole prompts and answers. Each distinct value is replaced by a pseudonym that is stable
// within one redactor (`<ip-1>`, `<token-2>`, …), so the reader still sees "the same client" or "the same key"
// without seeing it. What helps diagnosis stays readable: loopback and unspecified addresses, ports, host names,
// plugin names and URL paths, versions, timestamps, hex addresses, file:line locations, error texts.
//
// The rules run in a fixed order over the whole string; structured forms (JSON keys, headers, URLs, parameters)
// come before the shape-only ones (Bearer, JWT, cloud keys, e-mail, IP), so a value is named after the key that
// carries it. A rule never touches text that already is a pseudonym, which makes `text()` idempotent.
// Input should already have gone through `stripControls` (sanitize.ts).

import { createHash, createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Diagnosis } from '../model.js';

/** What a pseudonym stands for. */
export type RedactionKind = 'ip' | 'email' | 'user' | 'token' | 'key' | 'secret' | 'cookie' | 'body';

export const REDACTION_KINDS: readonly RedactionKind[] = [
  'ip',
  'email',
  'user',
  'token',
  'key',
  'secret',
  'cookie',
  'body',
];

/**
 * Matches a pseudonym (not global: safe for `.test`; use `new RegExp(PSEUDONYM_RE.source, 'g')` to replace all).
 * A Markdown renderer needs it: outside code, `<ip-1>` parses as an HTML tag and disappears on GitHub.
 */
export const PSEUDONYM_RE = /<(?:ip|email|user|token|key|secret|cookie|body)-\d+>/;
const PSEUDONYMS_G = new RegExp(PSEUDONYM_RE.source, 'g');
const PSEUDONYM_EXACT_RE = /^<(?:ip|email|user|token|key|secret|cookie|body)-\d+>$/;

export function isPseudonym(s: string): boolean {
  return PSEUDONYM_EXACT_RE.test(s);
}

export interface Redactor {
  /** The text with every sensitive value replaced by its pseudonym. Never throws; idempotent. */
  text(s: string): string;
  /** Distinct values replaced so far, per kind (`{ ip: 3, token: 1 }`): "3 IPs" means `<ip-1>`…`<ip-3>`. */
  readonly counts: Readonly<Record<string, number>>;
  /** Replacements made so far, per kind (a value seen twice counts twice). */
  readonly occurrences: Readonly<Record<string, number>>;
}

/** One redactor per report: pseudonyms are stable within it. */
export function createRedactor(): Redactor {
  return new PseudonymRedactor();
}

/** "3 IPs, 1 token" for a report footer; empty string when nothing was redacted. */
export function describeRedactions(counts: Readonly<Record<string, number>>): string {
  const parts: string[] = [];
  for (const kind of REDACTION_KINDS) {
    const n = counts[kind] ?? 0;
    if (n > 0) parts.push(`${n} ${n === 1 ? KIND_WORDS[kind][0] : KIND_WORDS[kind][1]}`);
  }
  return parts.join(', ');
}

const KIND_WORDS: Record<RedactionKind, readonly [string, string]> = {
  ip: ['IP', 'IPs'],
  email: ['e-mail address', 'e-mail addresses'],
  user: ['user name', 'user names'],
  token: ['token', 'tokens'],
  key: ['access key', 'access keys'],
  secret: ['secret', 'secrets'],
  cookie: ['cookie', 'cookies'],
  body: ['request/response body', 'request/response bodies'],
};

// ---------------------------------------------------------------------------------------------------------------
// Diagnosis

/**
 * Fields whose string values are never redacted: identifiers, enums, times, versions, input names, pattern ids and
 * the environment's plugin list. Every other string anywhere in the Diagnosis is redacted — deny by default, so a
 * field added to the model later cannot leak log text. Object keys are never touched (subject keys come from the
 * catalog, not from logs).
 */
const SAFE_FIELDS = new Set([
  'id',
  'cause',
  'category',
  'severity',
  'level',
  'layout',
  'logger',
  'thread',
  'time',
  'kind',
  'firstSeen',
  'lastSeen',
  'rootOf',
  'patterns',
  'patternId',
  'input',
  'name',
  'envoyVersion',
  'higressVersion',
  'logLayouts',
  'plugins',
  'timeWindow',
  'layouts',
  'signal',
]);

/** Maps keyed by data, not by the model: their values are redacted whatever the key (a subject `name` is log text). */
const OPEN_MAPS = new Set(['subject', 'fields']);

/**
 * A new Diagnosis with every string that can carry log text redacted (titles, subject values, evidence text,
 * notes, explanation, remediation, crash frames, unclassified template and example, input error messages).
 * Counts, causes, ids, severities, confidences and ordering are unchanged; the input is not modified.
 * Pass the report's redactor to keep pseudonyms consistent with other text of the same report.
 */
export function redactDiagnosis(d: Diagnosis, r: Redactor = createRedactor()): Diagnosis {
  const out = redactValue(d, r, 'model') as Diagnosis;
  return { ...out, incidents: rekeyIds(d, out.incidents) };
}

/**
 * Incident ids are a plain hash of cause + subject, and a subject can hold an address (a plugin
 * URL): in a redacted report they are re-keyed with an HMAC whose key is derived from the
 * unredacted log text, so they stay stable for the same log but cannot be brute-forced back to
 * the address by a reader of the ticket. `rootOf` links follow the same mapping.
 */
function rekeyIds(original: Diagnosis, incidents: Diagnosis['incidents']): Diagnosis['incidents'] {
  const secret = createHash('sha256');
  for (const i of original.incidents) {
    secret.update(i.id);
    for (const e of i.evidence) secret.update(e.text);
  }
  const key = secret.digest();
  const map = (id: string): string => createHmac('sha256', key).update(id).digest('hex').slice(0, id.length);
  return incidents.map((i) => ({ ...i, id: map(i.id), rootOf: i.rootOf === null ? null : map(i.rootOf) }));
}

/** `model`: keys are model fields (SAFE_FIELDS apply); `safe`: leave strings; `data`: redact every string. */
type WalkMode = 'model' | 'safe' | 'data';

function redactValue(value: unknown, r: Redactor, mode: WalkMode): unknown {
  if (typeof value === 'string') return mode === 'safe' ? value : r.text(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, r, mode));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    let next: WalkMode = mode;
    if (mode === 'model') next = OPEN_MAPS.has(k) ? 'data' : SAFE_FIELDS.has(k) ? 'safe' : 'model';
    out[k] = redactValue(v, r, next);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The redactor

class PseudonymRedactor implements Redactor {
  private readonly maps = new Map<RedactionKind, Map<string, string>>();
  private readonly hits = new Map<RedactionKind, number>();

  get counts(): Readonly<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const kind of REDACTION_KINDS) {
      const n = this.maps.get(kind)?.size ?? 0;
      if (n > 0) out[kind] = n;
    }
    return Object.freeze(out);
  }

  get occurrences(): Readonly<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const kind of REDACTION_KINDS) {
      const n = this.hits.get(kind) ?? 0;
      if (n > 0) out[kind] = n;
    }
    return Object.freeze(out);
  }

  text(s: string): string {
    if (typeof s !== 'string' || s.length === 0) return typeof s === 'string' ? s : '';
    const p = (kind: RedactionKind, value: string): string => this.pseudonym(kind, value);
    let t = s;
    t = redactPrivateKeys(t, p);
    t = redactJsonFields(t, p);
    t = redactHeaders(t, p);
    t = redactUserinfo(t, p);
    t = redactParams(t, p);
    t = redactBearer(t, p);
    t = redactShapes(t, p);
    t = redactEmails(t, p);
    t = redactIPv6(t, p);
    t = redactIPv4(t, p);
    return t;
  }

  private pseudonym(kind: RedactionKind, value: string): string {
    let map = this.maps.get(kind);
    if (map === undefined) {
      map = new Map();
      this.maps.set(kind, map);
    }
    let name = map.get(value);
    if (name === undefined) {
      name = `<${kind}-${map.size + 1}>`;
      map.set(value, name);
    }
    this.hits.set(kind, (this.hits.get(kind) ?? 0) + 1);
    return name;
  }
}

type Namer = (kind: RedactionKind, value: string) => string;

/** A replacement for text from the match start up to `end` (which may lie beyond the match). */
interface Span {
  readonly text: string;
  readonly end: number;
}

/**
 * Replace matches of a global regex. `visit` returns the replacement of the match (string), of a longer span
 * starting at the match, or null to leave the text as it is.
 */
function replaceEach(s: string, re: RegExp, visit: (m: RegExpExecArray) => string | Span | null): string {
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let changed = false;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const r = visit(m);
    if (r === null) continue;
    const end = typeof r === 'string' ? m.index + m[0].length : r.end;
    out += s.slice(last, m.index) + (typeof r === 'string' ? r : r.text);
    last = end;
    changed = true;
    if (end > re.lastIndex) re.lastIndex = end;
  }
  return changed ? out + s.slice(last) : s;
}

/**
 * First index ≥ `from` of a character matching `stop` (a global regex), or the string's length. Memoised for the
 * left-to-right scans below: a rejected candidate must not make the next one scan the same stretch again, or a
 * hostile line (`authorization: authorization: …`) would cost quadratic time.
 */
function scanner(s: string, stop: RegExp): (from: number) => number {
  let lo = 1;
  let hi = 0;
  return (from: number): number => {
    if (from >= lo && from <= hi) return hi;
    stop.lastIndex = from;
    const m = stop.exec(s);
    lo = from;
    hi = m === null ? s.length : m.index;
    return hi;
  };
}

const lineEnds = (s: string): ((from: number) => number) => scanner(s, /\n/g);

/** How much of a value the "looks random" test reads: a credential shows its nature in its first characters. */
const PROBE = 256;

// ---------------------------------------------------------------------------------------------------------------
// What a value looks like

const SHAPE_RE =
  /(?<![A-Za-z0-9])(?<!<[a-z]+-\d+>)(?:LTAI[A-Za-z0-9]{12,40}|(?:AKIA|ASIA)[A-Z0-9]{16}|sk-[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|AIza[0-9A-Za-z_-]{35}|xox[abposr]-[A-Za-z0-9-]{10,})(?![A-Za-z0-9]|<[a-z]+-\d+>)|eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g;

const JWT_EXACT_RE = /^eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*$/;
const CLOUD_KEY_EXACT_RE =
  /^(?:LTAI[A-Za-z0-9]{12,40}|(?:AKIA|ASIA)[A-Z0-9]{16}|sk-[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|AIza[0-9A-Za-z_-]{35}|xox[abposr]-[A-Za-z0-9-]{10,})$/;

/** A value with a recognisable shape is named after the shape, wherever it appears (same key → same pseudonym). */
function kindOf(value: string, fallback: RedactionKind): RedactionKind {
  if (fallback === 'body' || fallback === 'cookie') return fallback;
  if (JWT_EXACT_RE.test(value)) return 'token';
  if (CLOUD_KEY_EXACT_RE.test(value)) return 'key';
  return fallback;
}

/**
 * Random-looking enough to be a credential rather than a word: 8+ characters with a letter and a digit, or 16+
 * characters mixing upper and lower case. Used where the context alone is too weak (`signature: invalid`,
 * `Bearer token`, `key: <value>` in prose).
 */
function looksSecret(value: string): boolean {
  // Pseudonyms left by an earlier rule or pass do not count (their digits would make `u:p@<email-1>` look random
  // on a second pass). Removing characters can only turn a yes into a no, so a second pass never redacts more.
  const v = value.slice(0, PROBE * 2).replace(PSEUDONYMS_G, '').slice(0, PROBE);
  if (v.length < 8) return false;
  if (/[0-9]/.test(v) && /[A-Za-z]/.test(v)) return true;
  return v.length >= 16 && /[a-z]/.test(v) && /[A-Z]/.test(v);
}

/**
 * Values that carry nothing: access-log `-`, masks already applied by the application, and angle-bracket
 * placeholders — Go's `<nil>`, template slots `<*>`, `<redacted>`, our own pseudonyms.
 */
function isEmptyValue(v: string): boolean {
  return v === '' || v === '-' || v === 'null' || /^(?:\*+|x{3,}|X{3,})$/.test(v) || /^<[^<>\s]*>$/.test(v);
}

// ---------------------------------------------------------------------------------------------------------------
// Key names

type NameClass =
  | { readonly kind: RedactionKind; readonly weak: boolean; readonly special?: undefined }
  | { readonly special: 'authorization' | 'cookie'; readonly kind: RedactionKind; readonly weak: false };

/** Short names that are secrets only in structured forms (`key=v`, `"key":"v"`), not in prose (`key: invalid`). */
const WEAK_NAMES: ReadonlyMap<string, RedactionKind> = new Map<string, RedactionKind>([
  ['key', 'key'],
  ['ak', 'key'],
  ['token', 'token'],
  ['session', 'token'],
  ['sign', 'secret'],
  ['auth', 'secret'],
  ['sk', 'secret'],
  ['pwd', 'secret'],
]);

/** Suffixes of a name (lower-cased, `-`/`_`/`.` removed) that mark a secret whatever the prefix. */
const STRONG_SUFFIXES: readonly (readonly [RegExp, RedactionKind])[] = [
  [/(?:password|passwd|passphrase)$/, 'secret'],
  [/(?:apikey|accesskey|accesskeyid|apitokens?|subscriptionkey)$/, 'key'],
  [/(?:secret|secretkey|privatekey)$/, 'secret'],
  [/(?:access|refresh|id|auth|session|security|bearer|csrf|xsrf|xauth|xaccess)token$/, 'token'],
  [/(?:sessionid|sessid)$/, 'token'],
  [/credentials?$/, 'secret'],
  [/signature$/, 'secret'],
];

function classifyName(raw: string): NameClass | null {
  const n = raw.toLowerCase().replace(/[-_.]/g, '');
  if (n === 'authorization' || n === 'proxyauthorization') return { special: 'authorization', kind: 'token', weak: false };
  if (n === 'cookie' || n === 'setcookie') return { special: 'cookie', kind: 'cookie', weak: false };
  const weak = WEAK_NAMES.get(n);
  if (weak !== undefined) return { kind: weak, weak: true };
  for (const [re, kind] of STRONG_SUFFIXES) if (re.test(n)) return { kind, weak: false };
  return null;
}

/** Password-family names are redacted even in prose form (`password: letmein`). */
function isPasswordName(raw: string): boolean {
  return /(?:password|passwd|passphrase|pwd)$/i.test(raw.replace(/[-_.]/g, ''));
}

const AUTH_SCHEME_RE = /^(?:bearer|basic|digest|negotiate|ntlm|token|apikey|hmac[\w-]*|aws4-hmac-sha256|acs|appcode)$/i;

/**
 * `Bearer abc` → `Bearer <token-1>`, `Basic dXNl…` → `Basic <secret-1>`, a bare credential → `<token-1>`.
 * The scheme word is kept: it tells the reader which kind of authentication was tried.
 */
function redactAuthValue(v: string, p: Namer, requireKnown: boolean): string | null {
  const m = /^([A-Za-z][\w-]*)(\s+|%20|\+)(\S[\s\S]*)$/.exec(v);
  if (m !== null && m[1] !== undefined && m[2] !== undefined && m[3] !== undefined) {
    const known = AUTH_SCHEME_RE.test(m[1]);
    if (requireKnown && !known && !looksSecret(m[3])) return null;
    if (isEmptyValue(m[3])) return null;
    const kind = /^basic$/i.test(m[1]) ? 'secret' : kindOf(m[3], 'token');
    return m[1] + m[2] + p(kind, m[3]);
  }
  if (isEmptyValue(v)) return null;
  if (requireKnown && !looksSecret(v)) return null;
  return p(kindOf(v, 'token'), v);
}

// ---------------------------------------------------------------------------------------------------------------
// 1. PEM private keys (config dumps, SDS debug output). Evidence is often quoted one physical line at a time, so
//    a key's base64 body can arrive without its BEGIN line: a line that is nothing but a long mixed-case base64
//    run is treated as key material too (a certificate line goes as well, which costs nothing; hex digests
//    are single-case and stay).

const PEM_RE = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
const BASE64_LINE_RE = /^[ \t]*([A-Za-z0-9+/]{40,}={0,2})[ \t]*$/gm;

function redactPrivateKeys(s: string, p: Namer): string {
  let t = s;
  if (t.includes('PRIVATE KEY-----')) t = replaceEach(t, PEM_RE, (m) => p('secret', m[0]));
  if (t.length >= 40) {
    t = replaceEach(t, BASE64_LINE_RE, (m) => {
      const blob = m[1] ?? '';
      if (!/[a-z]/.test(blob) || !/[A-Z]/.test(blob) || !/[0-9]/.test(blob)) return null;
      return m[0].replace(blob, p('secret', blob));
    });
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------------------
// 2. JSON-shaped key/value pairs, at any escaping depth
//
// Log lines nest JSON in JSON strings: the access log's `ai_log` value is JSON with `\"` quotes, and a line
// quoted inside a JSON report or a docker json-file wrapper adds one more level. At depth k a quote is written
// with n = 2^k − 1 backslashes; a quote closes a string of depth k when the run of backslashes before it is
// ≡ n (mod 2^(k+1)) — deeper quotes and escaped backslashes give other residues. URL-encoded (`%22`) and
// single-quoted (`'k': 'v'`) forms are handled too. Replacements keep the quoting, so JSON stays JSON.

type Quote = { readonly type: 'bs'; readonly n: number } | { readonly type: 'pct' } | { readonly type: 'sq' };

const JSON_KEY_RE =
  /(?<!\\)(\\*)"([A-Za-z_][\w.-]{0,63})\1"[ \t]*:[ \t]*|%22([A-Za-z_][\w.-]{0,63})%22(?:%3A|:)(?:%20|\+)*|'([A-Za-z_][\w.-]{0,63})'[ \t]*:[ \t]*/gi;

/** Keys whose values are request or response content wherever they appear as JSON (prompts, chat, bodies). */
const BODY_KEYS = new Set([
  'question',
  'answer',
  'prompt',
  'prompts',
  'messages',
  'content',
  'contents',
  'body',
  'reasoning',
  'reasoning_content',
  'tool_calls',
  'completion',
  'instructions',
  'system_prompt',
]);

/**
 * `ai_log` keys kept readable: the ai-statistics plugin's metadata (alibaba/higress
 * `plugins/wasm-go/extensions/ai-statistics/main.go`, wasm-go `tokenusage`). Everything else in `ai_log` —
 * `question`, `answer`, `messages` and every user-configured attribute (which may be copied from any header or
 * body path) — is replaced; numbers, booleans and null are kept whatever the key, as they cannot carry text.
 * `consumer` is an identity: it gets a `<user-N>` pseudonym so the reader can still tell consumers apart.
 */
export const AI_LOG_KEEP: ReadonlySet<string> = new Set([
  'model',
  'request_model',
  'input_token',
  'output_token',
  'total_token',
  'llm_first_token_duration',
  'llm_service_duration',
  'llm_duration_count',
  'llm_stream_duration_count',
  'response_type',
  'chat_id',
  'chat_round',
  'api',
  'route',
  'cluster',
  'cache_status',
  'safecheck_status',
  'token_ratelimit_status',
]);
const AI_LOG_KEEP_SUFFIX_RE = /_(?:tokens?|duration|count|status)$/;
const AI_LOG_USER_KEYS = new Set(['consumer', 'x-mse-consumer']);

interface JsonValue {
  readonly type: 'string' | 'compound' | 'scalar';
  /** Content span for strings (inside the quotes). */
  readonly cs: number;
  readonly ce: number;
  /** Index after the value (after the closing quote or bracket). */
  readonly end: number;
}

function quoteOf(m: RegExpExecArray): Quote {
  if (m[2] !== undefined) return { type: 'bs', n: (m[1] ?? '').length };
  if (m[3] !== undefined) return { type: 'pct' };
  return { type: 'sq' };
}

function quoteText(q: Quote): string {
  if (q.type === 'bs') return '\\'.repeat(q.n) + '"';
  return q.type === 'pct' ? '%22' : "'";
}

function backslashesBefore(s: string, j: number, floor: number): number {
  let r = 0;
  for (let k = j - 1; k >= floor && s.charCodeAt(k) === 92; k--) r++;
  return r;
}

/** Where the string that starts (content) at `from` closes: index of the closing quote token, or -1 on this line. */
function findClose(s: string, from: number, q: Quote, limit: number): number {
  if (q.type === 'bs') {
    const mod = 2 * (q.n + 1);
    for (let j = s.indexOf('"', from); j !== -1 && j < limit; j = s.indexOf('"', j + 1)) {
      const r = backslashesBefore(s, j, from);
      if (r % mod === q.n) return j - q.n;
    }
    return -1;
  }
  if (q.type === 'pct') {
    const re = /%22/gi;
    re.lastIndex = from;
    for (let m = re.exec(s); m !== null && m.index < limit; m = re.exec(s)) {
      if (s.slice(Math.max(from, m.index - 3), m.index).toLowerCase() !== '%5c') return m.index;
    }
    return -1;
  }
  for (let j = s.indexOf("'", from); j !== -1 && j < limit; j = s.indexOf("'", j + 1)) {
    if (backslashesBefore(s, j, from) % 2 === 0) return j;
  }
  return -1;
}

/** End (exclusive) of a `[`/`{` value at depth n; brackets inside strings of that depth do not count. */
function findBracketEnd(s: string, start: number, n: number, limit: number): number {
  const mod = 2 * (n + 1);
  let depth = 0;
  let inString = false;
  for (let i = start; i < limit; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      if (backslashesBefore(s, i, start) % mod === n) inString = !inString;
      continue;
    }
    if (inString) continue;
    if (c === 91 || c === 123) depth++;
    else if ((c === 93 || c === 125) && --depth === 0) return i + 1;
  }
  return limit; // cut line: the value runs to the end of it
}

function readJsonValue(s: string, at: number, q: Quote, limit: number): JsonValue | null {
  const open = quoteText(q);
  if (s.startsWith(open, at) || (q.type === 'pct' && s.slice(at, at + 3).toLowerCase() === '%22')) {
    const cs = at + open.length;
    const close = findClose(s, cs, q, limit);
    if (close === -1) return { type: 'string', cs, ce: limit, end: limit };
    return { type: 'string', cs, ce: close, end: close + open.length };
  }
  const c = s[at];
  if (q.type === 'bs' && (c === '[' || c === '{')) {
    return { type: 'compound', cs: at, ce: at, end: findBracketEnd(s, at, q.n, limit) };
  }
  const scalar = /[\w.+-]+/y;
  scalar.lastIndex = at;
  const m = scalar.exec(s);
  if (m === null) return null;
  return { type: 'scalar', cs: at, ce: at + m[0].length, end: at + m[0].length };
}

/** Each string at depth n inside [from, to) passed through `fn` (arrays of credentials). */
function redactStringsIn(s: string, from: number, to: number, n: number, fn: (v: string) => string | null): string {
  const q: Quote = { type: 'bs', n };
  const mod = 2 * (n + 1);
  let out = '';
  let last = from;
  for (let j = s.indexOf('"', from); j !== -1 && j < to; j = s.indexOf('"', j + 1)) {
    if (backslashesBefore(s, j, from) % mod !== n) continue;
    const cs = j + 1;
    const close = findClose(s, cs, q, to);
    const ce = close === -1 ? to : close;
    const rep = fn(s.slice(cs, ce));
    out += s.slice(last, cs) + (rep ?? s.slice(cs, ce));
    last = ce;
    if (close === -1) break;
    j = close + n; // the closing quote itself
  }
  return out + s.slice(last, to);
}

function redactJsonFields(s: string, p: Namer): string {
  if (!s.includes('"') && !s.includes("'") && !/%22/i.test(s)) return s;
  const re = new RegExp(JSON_KEY_RE.source, 'gi');
  const eol = lineEnds(s);
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const name = m[2] ?? m[3] ?? m[4] ?? '';
    const q = quoteOf(m);
    const at = m.index + m[0].length;
    const lower = name.toLowerCase();
    const cls = classifyName(name);
    const isAiLog = lower === 'ai_log' && q.type === 'bs';
    const isBody = cls === null && BODY_KEYS.has(lower);
    if (cls === null && !isAiLog && !isBody) continue;
    const v = readJsonValue(s, at, q, eol(at));
    if (v === null) continue;
    let rep: string | null = null;
    if (isAiLog) {
      if (v.type === 'string' && q.type === 'bs') {
        const inner = s.slice(v.cs, v.ce);
        const done = redactAiLog(inner, 2 * q.n + 1, p);
        if (done !== null && done !== inner) rep = s.slice(at, v.cs) + done + s.slice(v.ce, v.end);
      }
    } else if (isBody) {
      rep = redactBodyValue(s, v, q, p);
    } else if (cls !== null) {
      rep = redactSecretValue(s, v, q, cls, p);
    }
    if (rep === null) continue; // leave it; keys nested in it are still visited
    out += s.slice(last, at) + rep;
    last = v.end;
    re.lastIndex = Math.max(v.end, at);
  }
  return last === 0 ? s : out + s.slice(last);
}

/** The opening quote exactly as written (its backslashes, or `%22`, or `'`). */
function openQuote(s: string, v: JsonValue, q: Quote): string {
  return s.slice(v.cs - quoteText(q).length, v.cs);
}

/** Replacement for [value start, v.end) of a secret-named key, or null to leave it. */
function redactSecretValue(s: string, v: JsonValue, q: Quote, cls: NameClass, p: Namer): string | null {
  const one = (content: string): string | null => {
    if (isEmptyValue(content)) return null;
    if (cls.special === 'authorization') return redactAuthValue(content, p, false);
    return p(kindOf(content, cls.kind), content);
  };
  if (v.type === 'string') {
    const rep = one(s.slice(v.cs, v.ce));
    return rep === null ? null : openQuote(s, v, q) + rep + s.slice(v.ce, v.end);
  }
  if (v.type === 'compound') {
    // A list of credentials (`"credentials":["a","b"]`, Go's `"Authorization":["Bearer x"]`): each string goes.
    // An object under a secret-ish key is left to its own keys.
    if (s[v.cs] !== '[' || q.type !== 'bs') return null;
    const done = redactStringsIn(s, v.cs, v.end, q.n, one);
    return done === s.slice(v.cs, v.end) ? null : done;
  }
  const raw = s.slice(v.cs, v.ce);
  if (raw === 'true' || raw === 'false') return null;
  return one(raw);
}

/** Replacement for [value start, v.end) of a content key: strings and whole arrays/objects become `<body-N>`. */
function redactBodyValue(s: string, v: JsonValue, q: Quote, p: Namer): string | null {
  if (v.type === 'scalar') return null;
  if (v.type === 'string') {
    const content = s.slice(v.cs, v.ce);
    if (isEmptyValue(content)) return null;
    return openQuote(s, v, q) + p('body', content) + s.slice(v.ce, v.end);
  }
  // Arrays/objects (chat `messages`) become one quoted pseudonym, so the surrounding JSON still parses.
  return quoteText(q) + p('body', s.slice(v.cs, v.end)) + quoteText(q);
}

/**
 * The inside of an `ai_log` string: a JSON object whose quotes carry n backslashes. Top-level keys in
 * AI_LOG_KEEP stay, `consumer` is pseudonymised, secret-named keys get their kind, everything else with text
 * becomes `<body-N>`. Deeper keys are inside values that are either kept or replaced as a whole.
 */
function redactAiLog(inner: string, n: number, p: Namer): string | null {
  if (!inner.includes('"')) return null; // `-` or junk
  const re = new RegExp(JSON_KEY_RE.source, 'gi');
  const eol = lineEnds(inner);
  const q: Quote = { type: 'bs', n };
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(inner)) !== null) {
    if (m[2] === undefined || (m[1] ?? '').length !== n) continue;
    const name = m[2];
    const lower = name.toLowerCase();
    const at = m.index + m[0].length;
    const v = readJsonValue(inner, at, q, eol(at));
    if (v === null) continue;
    re.lastIndex = Math.max(v.end, at);
    const cls = classifyName(name);
    let rep: string | null = null;
    if (cls !== null) {
      rep = redactSecretValue(inner, v, q, cls, p);
    } else if (AI_LOG_USER_KEYS.has(lower)) {
      if (v.type === 'string') {
        const content = inner.slice(v.cs, v.ce);
        if (!isEmptyValue(content)) rep = openQuote(inner, v, q) + p('user', content) + inner.slice(v.ce, v.end);
      }
    } else if (!AI_LOG_KEEP.has(lower) && !AI_LOG_KEEP_SUFFIX_RE.test(lower)) {
      rep = redactBodyValue(inner, v, q, p);
    }
    if (rep === null) continue;
    out += inner.slice(last, at) + rep;
    last = v.end;
  }
  return out + inner.slice(last);
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Authorization / Cookie headers outside JSON
//    `Authorization: Bearer x`, `authorization=x`, Go's `map[Authorization:[Bearer x]]`, Envoy's header dump
//    `'authorization', 'Bearer x'`, URL-encoded `authorization%3D…`.

const HEADER_RE =
  /(?:(?<![A-Za-z0-9_.-])|(?<=%[0-9A-Fa-f]{2}))((?:proxy-)?authorization|set-cookie|cookie)(?:([ \t]*=[ \t]*|[ \t]*:[ \t]*\[|',[ \t]*'|%3A(?:%20|\+)*|%3D)|([ \t]*:[ \t]*))/gi;

const AUTH_VALUE_RE = /(?:[A-Za-z][\w-]*(?:[ \t]+|%20|\+))?[^\s"',;&\\\]}]+/y;
const COOKIE_VALUE_RE = /[^\s=;"'\\\]}]+=[^\s;"'\\\]}]*(?:;[ \t]*[^\s=;"'\\\]}]+(?:=[^\s;"'\\\]}]*)?)*;?/y;

function redactHeaders(s: string, p: Namer): string {
  if (!/authorization|cookie/i.test(s)) return s;
  const eol = lineEnds(s);
  const stop = scanner(s, /["'\\\]}\t\r\n]/g);
  return replaceEach(s, HEADER_RE, (m) => {
    const structured = m[2] !== undefined;
    const at = m.index + m[0].length;
    const { vs, ve } = valueSpan(s, at, eol, stop);
    const isCookie = /cookie$/i.test(m[1] ?? '');
    if (s[vs] === '<') return null; // a placeholder or pseudonym; decided before reading on
    // Read with sticky patterns. In prose the window is bounded: a rejected match must not consume a long run
    // that the next match would consume again. Structured values are always taken, so they are read whole.
    const vre = isCookie ? COOKIE_VALUE_RE : AUTH_VALUE_RE;
    const base = structured ? 0 : vs;
    vre.lastIndex = structured ? vs : 0;
    const vm = vre.exec(structured ? s : s.slice(vs, Math.min(ve, vs + 4 * PROBE + 1)));
    let end: number;
    if (vm !== null) {
      // Cookie: `name=value; name2=value2` (Set-Cookie adds `Path=/; HttpOnly`), no spaces except after `;`.
      // Authorization: one scheme word and one credential; what follows (`, user-agent: …`) is not part of it.
      end = Math.min(base + vm.index + vm[0].length, ve);
    } else if (isCookie && structured) {
      end = ve; // `cookie=opaque-blob`
      while (end > vs && /\s/.test(s[end - 1] ?? '')) end--;
    } else {
      return null; // prose: "cookie: not found"
    }
    if (!structured && end - vs > 4 * PROBE) return null; // prose does not carry 1 KB credentials
    const value = s.slice(vs, end);
    if (value.startsWith('<') || isEmptyValue(value)) return null;
    const rep = isCookie ? p('cookie', value) : redactAuthValue(value, p, !structured);
    if (rep === null) return null;
    return { text: s.slice(m.index, vs) + rep, end };
  });
}

/**
 * Where a value that starts at `at` lies: inside its quotes when quoted (`"…"`, `'…'`, `\"…\"`), else up to the
 * first character `stop` finds. Never past the end of the line.
 */
function valueSpan(
  s: string,
  at: number,
  eol: (from: number) => number,
  stop: (from: number) => number,
): { vs: number; ve: number } {
  const limit = eol(at);
  const qm = /(\\*)(["'])/y;
  qm.lastIndex = at;
  const q = qm.exec(s);
  if (q !== null) {
    const vs = at + q[0].length;
    const close = s.indexOf(q[0], vs);
    return { vs, ve: close === -1 || close > limit ? limit : close };
  }
  return { vs: at, ve: Math.min(stop(at), limit) };
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Credentials in URLs: `https://user:pass@host` → `https://<user-1>:<secret-1>@host`, also URL-encoded, and
//    in command lines (`curl -u user:pass`).

const USERINFO_RE =
  /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,15}:\/\/)([^\s/?#@:"'<>\\[\]][^\s/?#@:"'\\[\]]*)(?::([^\s/?#@"'\\<>][^\s/?#@"'\\]*)?)?@/g;
const USERINFO_ENC_RE =
  /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,15}%3A%2F%2F)((?:[\w.~+-]|%(?!3A|40|2F)[0-9A-F]{2})+)(?:%3A((?:[\w.~+!$*,;=-]|%(?!40|2F)[0-9A-F]{2})*))?%40/gi;

/** `curl -u user:pass`, `--user=user:pass`, `--proxy-user user:pass` (remediation text, pasted commands). */
const CLI_USER_RE = /(?<!\S)(-u|--user|--proxy-user)([ \t]+|=)(["']?)([^\s:'"<>][^\s:'"]*):([^\s'"<>][^\s'"]*)\3/g;

function redactUserinfo(s: string, p: Namer): string {
  const visit =
    (sep: string, at: string) =>
    (m: RegExpExecArray): string | null => {
      const user = m[2] ?? '';
      const pass = m[3];
      if (isPseudonym(user)) return null;
      let out = (m[1] ?? '') + p(kindOf(user, 'user'), user);
      if (pass !== undefined) out += sep + (pass === '' || isPseudonym(pass) ? pass : p(kindOf(pass, 'secret'), pass));
      else if (m[0].slice(0, -at.length).endsWith(sep)) out += sep;
      return out + at;
    };
  let t = s;
  if (t.includes('@')) t = replaceEach(t, USERINFO_RE, visit(':', '@'));
  if (/%40/i.test(t)) t = replaceEach(t, USERINFO_ENC_RE, visit('%3A', '%40'));
  if (t.includes('-u') || t.includes('-user')) {
    t = replaceEach(t, CLI_USER_RE, (m) => {
      const [, flag = '', gap = '', quote = '', user = '', pass = ''] = m;
      return `${flag}${gap}${quote}${p(kindOf(user, 'user'), user)}:${p(kindOf(pass, 'secret'), pass)}${quote}`;
    });
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------------------
// 5. Secret-named parameters: `?api_key=v&x=1`, `password: v`, `X-Api-Key: v`, `api_key%3Dv`, `token="v"`,
//    Go's `map[X-Api-Key:[v]]`. `=`, `%3D` and `:[` are structured: the value always goes. After a bare `:` the
//    text may be prose (`signature: invalid`), so the value must look random unless the name is a password.

const PARAM_RE =
  /(?:(?<![A-Za-z0-9_.-])|(?<=%[0-9A-Fa-f]{2}))([A-Za-z_][\w.-]{0,63}?)(?:([ \t]*=[ \t]*|%3D|%253D|[ \t]*:\[)|([ \t]*:[ \t]*))/gi;
const ENCODED_STOP_RE = /%(?:26|22|27|20|2C|3B|5C|7D|5D|29)/i;

function redactParams(s: string, p: Namer): string {
  if (!/[=:]|%3D/i.test(s)) return s;
  const eol = lineEnds(s);
  const stopColon = scanner(s, /[\s"',;)\]}\\]/g);
  const stopEq = scanner(s, /[\s&"'\\,;)\]}]/g);
  return replaceEach(s, PARAM_RE, (m) => {
    const name = m[1] ?? '';
    const cls = classifyName(name);
    if (cls === null || cls.special !== undefined) return null;
    const colon = m[3] !== undefined;
    const encoded = m[2] !== undefined && m[2].startsWith('%');
    const at = m.index + m[0].length;
    // `::` (C++ scopes, IPv6) and `://` (URLs) are not separators.
    if (colon && (s[at] === ':' || s[at] === '/')) return null;
    const span = valueSpan(s, at, eol, colon ? stopColon : stopEq);
    const vs = span.vs;
    let ve = span.ve;
    const prose = colon && (cls.weak || !isPasswordName(name));
    // Prose (`signature: invalid`) is judged on its first characters; only a value judged secret is read whole.
    if (prose && !looksSecret(s.slice(vs, Math.min(ve, vs + PROBE)))) return null;
    if (encoded && vs === at) {
      const stop = ENCODED_STOP_RE.exec(s.slice(vs, ve));
      if (stop !== null) ve = vs + stop.index;
    }
    // A colon that ends the value or is followed by a space closes it (`?token=v: wasm module …`).
    const colonEnd = s.slice(vs, ve).search(/:(?=\s|$)/);
    if (colonEnd > 0) ve = vs + colonEnd;
    const value = s.slice(vs, ve);
    if (isEmptyValue(value) || value.startsWith('<')) return null;
    return { text: s.slice(m.index, vs) + p(kindOf(value, cls.kind), value), end: ve };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 6. Bearer tokens anywhere. `Bearer realm="…"` (a challenge) and `Bearer token` (prose) are not tokens.

const BEARER_RE = /\b(Bearer)(\s+|%20|\+)([A-Za-z0-9\-._~+/]+=*)/gi;

function redactBearer(s: string, p: Namer): string {
  if (!/bearer/i.test(s)) return s;
  return replaceEach(s, BEARER_RE, (m) => {
    const tok = m[3] ?? '';
    if (/^[A-Za-z]+=$/.test(tok) || !looksSecret(tok)) return null;
    return (m[1] ?? '') + (m[2] ?? '') + p(kindOf(tok, 'token'), tok);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 7. Values recognisable by shape alone: JWTs, cloud access keys.

function redactShapes(s: string, p: Namer): string {
  return replaceEach(s, SHAPE_RE, (m) => p(kindOf(m[0], 'token'), m[0]));
}

// ---------------------------------------------------------------------------------------------------------------
// 8. E-mail addresses (also `%40`-encoded, and `%2540`: a URL inside a URL's parameter); the pseudonym is per
// address, case-insensitively.

// Local parts: RFC 5322 atext minus the characters that delimit values in log lines (' " = / & ? { } | ` ( ) , ; :
// < > [ ]), so `mail=bob@x.example` keeps its `mail=`.
// Inside a URL-encoded parameter (`%3Downer%3Dops%2540corp.example`) the delimiters are encoded (once or twice):
// an address may start after one, and its local part does not run across one.
const ENCODED_DELIMITER = '(?:25)?(?:2[026789CcFf]|3[A-Fa-f]|5[BDbd]|60|7[B-Db-d])';
const EMAIL_RE = new RegExp(
  `(?:(?<![A-Za-z0-9!#$%*+^_~.-])|(?<=%${ENCODED_DELIMITER}))(?<!<[a-z]+-\\d+>)(?!\\.)` +
    `(?:[A-Za-z0-9!#$*+^_~.-]|%(?!${ENCODED_DELIMITER})){1,64}(?:@|%40|%2540)` +
    `[A-Za-z0-9][A-Za-z0-9-]*(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,24}(?![A-Za-z0-9_-]|<[a-z]+-\\d+>)`,
  'g',
);

function redactEmails(s: string, p: Namer): string {
  if (!s.includes('@') && !/%(?:25)?40/i.test(s)) return s;
  return replaceEach(s, EMAIL_RE, (m) => p('email', m[0].replace(/%(?:25)?40/i, '@').toLowerCase()));
}

// ---------------------------------------------------------------------------------------------------------------
// 9. IP addresses. Loopback, unspecified and IPv4-mapped loopback stay: they say "this host", which matters for
//    diagnosis (`127.0.0.1:15000`, `0.0.0.0:80`, `[::1]:15000`). Ports stay; brackets stay.
//    Guards: a dotted quad next to letters, digits or dots (`v1.2.3.4`, OIDs) is not an address; IPv6 candidates
//    need two colons and must validate, so `08:15:44.031`, `Envoy::Wasm` and `std::bad_alloc` are left alone.
//    Text glued to a pseudonym counts as glued to a word (here and in the other shape rules): `10.1.2.3::10` must
//    not yield `<ip-1>` and then, on a second pass, a fresh `::10`.

const IPV4_RE =
  /(?<![A-Za-z0-9.])(?<!<[a-z]+-\d+>)(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?![A-Za-z0-9]|\.\d|<[a-z]+-\d+>)/g;
const IPV6_RE =
  /(?<![\w:.])(?<!<[a-z]+-\d+>)(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?:%[\w.-]{1,32})?(?![\w:]|\.\d|<[a-z]+-\d+>)/g;

function keepIPv4(ip: string): boolean {
  return ip === '0.0.0.0' || ip.startsWith('127.');
}

function canonicalIPv6(ip: string): string {
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip.toLowerCase();
  }
}

function keepIPv6(canon: string): boolean {
  return canon === '::1' || canon === '::' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(canon) || canon === '::ffff:0:0';
}

function redactIPv6(s: string, p: Namer): string {
  if (!s.includes(':')) return s;
  return replaceEach(s, IPV6_RE, (m) => {
    const zone = m[0].indexOf('%');
    const addr = zone === -1 ? m[0] : m[0].slice(0, zone);
    if (!isIPv6(addr)) return null;
    const canon = canonicalIPv6(addr);
    if (keepIPv6(canon)) return null;
    return p('ip', canon);
  });
}

function redactIPv4(s: string, p: Namer): string {
  if (!/\d\.\d/.test(s)) return s;
  return replaceEach(s, IPV4_RE, (m) => (!isIPv4(m[0]) || keepIPv4(m[0]) ? null : p('ip', m[0])));
}
