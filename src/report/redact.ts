// Redaction of report text before any rendering (text, Markdown, JSON, TUI export).
//
// Reports get pasted into support tickets; the log lines they quote carry client addresses, credentials, cookies
// and, in AI gateways, whole prompts and answers. Each distinct value is replaced by a pseudonym that is stable
// within one redactor (`<ip-1>`, `<token-2>`, …), so the reader still sees "the same client" or "the same key"
// without seeing it. What helps diagnosis stays readable: loopback and unspecified addresses, ports, host names,
// plugin names, URL paths and harmless query values (`version`, `model`, …), versions, timestamps, digests, request
// ids, hex addresses, file:line locations, stack frames, error texts.
//
// The rules run in a fixed order over the whole string; structured forms (PEM blocks, JSON keys, headers, URL
// credentials, parameters, a credential name followed by its value) come before the shape-only ones (Bearer, JWT,
// vendor keys, webhooks, e-mail, card and phone numbers, IP), so a value is named after the key that carries it;
// then every URL query value that is not harmless, then any remaining high-entropy run. A rule never touches text
// that already is a pseudonym, which makes `text()` idempotent. Input should already have gone through
// `stripControls` (sanitize.ts). docs/redaction.md lists what is found, with examples, and its known limits.

import { createHash, createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Diagnosis } from '../model.js';

/** What a pseudonym stands for. */
export type RedactionKind =
  | 'ip'
  | 'email'
  | 'user'
  | 'token'
  | 'key'
  | 'secret'
  | 'pem'
  | 'cookie'
  | 'query'
  | 'phone'
  | 'card'
  | 'idno'
  | 'body';

export const REDACTION_KINDS: readonly RedactionKind[] = [
  'ip',
  'email',
  'user',
  'token',
  'key',
  'secret',
  'pem',
  'cookie',
  'query',
  'phone',
  'card',
  'idno',
  'body',
];

const KIND_ALTERNATION = REDACTION_KINDS.join('|');

/**
 * Matches a pseudonym (not global: safe for `.test`; use `new RegExp(PSEUDONYM_RE.source, 'g')` to replace all).
 * A Markdown renderer needs it: outside code, `<ip-1>` parses as an HTML tag and disappears on GitHub.
 */
export const PSEUDONYM_RE = new RegExp(`<(?:${KIND_ALTERNATION})-\\d+>`);
const PSEUDONYMS_G = new RegExp(PSEUDONYM_RE.source, 'g');
const PSEUDONYM_EXACT_RE = new RegExp(`^${PSEUDONYM_RE.source}$`);

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

/** The closing line of a redacted text report: what was hidden, by kind and count, never a value. */
export function redactionNote(counts: Readonly<Record<string, number>>): string {
  const what = describeRedactions(counts);
  return what
    ? `Redacted: ${what}. Each distinct value is replaced by a pseudonym (<ip-1>, <token-1>, …) that is the same wherever it appears.`
    : 'Redaction: on; nothing to redact was found.';
}

const KIND_WORDS: Record<RedactionKind, readonly [string, string]> = {
  ip: ['IP', 'IPs'],
  email: ['e-mail address', 'e-mail addresses'],
  user: ['user name', 'user names'],
  token: ['token', 'tokens'],
  key: ['access key', 'access keys'],
  secret: ['secret', 'secrets'],
  pem: ['PEM block (key or certificate)', 'PEM blocks (keys or certificates)'],
  cookie: ['cookie', 'cookies'],
  query: ['URL query value', 'URL query values'],
  phone: ['phone number', 'phone numbers'],
  card: ['bank-card number', 'bank-card numbers'],
  idno: ['ID-card number', 'ID-card numbers'],
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
  let out = redactValue(d, r, 'model') as Diagnosis;
  if (r instanceof PseudonymRedactor) out = hideFragments(out, r);
  return { ...out, incidents: rekeyIds(d, out.incidents) };
}

/**
 * Text derived from a log line can hold a piece of a secret without the context that identified it: a title or a
 * subject filled with a captured field (`apiToken Dq8…` captured as `Dq8… unauthorized`), an unexplained-error
 * template whose numbers became `<n>` (`access_token <n>.Pl4nt…<n>`, `https://bob:<n>…`). Once the whole diagnosis
 * is redacted, every run that is a credential redacted anywhere in it, or a piece (6+ characters) of any redacted
 * value that looks like part of a credential (a digit, an inner capital, or 16+ characters), becomes that value's
 * pseudonym.
 */
function hideFragments(d: Diagnosis, r: PseudonymRedactor): Diagnosis {
  const values = r.redactedValues();
  if (values.length === 0) return d;
  // One search over all values first: most runs are in none (a tail session can hold thousands of values).
  const all = values.map(([v]) => v).join('\u0000');
  const exact = new Map(values.filter(([, name]) => EXACT_KINDS.has(name.slice(1, name.lastIndexOf('-')))));
  const seen = new Map<string, string>();
  const hide = (run: string): string => {
    const known = seen.get(run);
    if (known !== undefined) return known;
    let out = exact.get(run) ?? run; // a whole credential: `Cr2w` of `https://Cr2w:…@`
    if (out === run && run.length >= 6 && (run.length >= 16 || /\d|[a-z][A-Z]/.test(run)) && all.includes(run)) {
      out = values.find(([v]) => v.includes(run))?.[1] ?? run;
    }
    seen.set(run, out);
    return out;
  };
  // A whole value with a dot or a tilde (`ab.C4~x`, a query value): FRAGMENT_RE's runs would cut it in pieces.
  const dotted = [...exact.keys()].some((v) => /[.~]/.test(v));
  const fix = (s: string): string => {
    let t = s.replace(FRAGMENT_RE, (run: string, at: number) => (s[at - 1] === '<' && s[at + run.length] === '>' ? run : hide(run)));
    if (dotted) {
      t = t.replace(VALUE_RE, (run: string) => {
        const bare = run.replace(/\.+$/, ''); // a sentence's full stop after it
        const name = exact.get(run) ?? exact.get(bare);
        return name === undefined ? run : exact.has(run) ? name : name + run.slice(bare.length);
      });
    }
    return t;
  };
  return walkStrings(d, fix, 'model') as Diagnosis;
}

const FRAGMENT_RE = /[A-Za-z0-9+_%-]{4,}/g;
const VALUE_RE = /(?<![A-Za-z0-9+_%.~-])[A-Za-z0-9+_%.~-]{4,}(?![A-Za-z0-9+_%~-])/g;
const CREDENTIAL_KINDS: ReadonlySet<string> = new Set(['user', 'token', 'key', 'secret', 'cookie']);
/**
 * Values replaced wherever derived text holds one whole: credentials, and URL query values — a title that quotes a
 * line can cut the query out of its URL (`bind?a=mTuG&version=2 failed`), and without the URL the value is a word.
 */
const EXACT_KINDS: ReadonlySet<string> = new Set([...CREDENTIAL_KINDS, 'query']);
/** The lines derived text comes from: redacted in full, with their context, so not searched for pieces. */
const SOURCE_FIELDS: ReadonlySet<string> = new Set(['evidence', 'example']);

function walkStrings(value: unknown, fn: (s: string) => string, mode: WalkMode): unknown {
  if (typeof value === 'string') return mode === 'safe' ? value : fn(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => walkStrings(v, fn, mode));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    let next: WalkMode = mode;
    if (mode === 'model') next = OPEN_MAPS.has(k) ? 'data' : SAFE_FIELDS.has(k) || SOURCE_FIELDS.has(k) ? 'safe' : 'model';
    out[k] = walkStrings(v, fn, next);
  }
  return out;
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
  /** Every value named so far, whatever its kind → its pseudonym. */
  private readonly anyKind = new Map<string, string>();

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
    try {
      let t = s;
      t = redactPem(t, p);
      t = redactJsonFields(t, p);
      t = redactHeaders(t, p);
      t = redactUserinfo(t, p);
      t = redactParams(t, p);
      t = redactSpaced(t, p);
      t = redactBearer(t, p);
      t = redactShapes(t, p);
      t = redactWebhooks(t, p);
      t = redactEmails(t, p);
      t = redactNumbers(t, p);
      t = redactIPv6(t, p);
      t = redactIPv4(t, p);
      t = redactQueries(t, p);
      t = redactRandom(t, p);
      return t;
    } catch {
      // A rule that fails must not let the text through unredacted, nor stop the report.
      return WITHHELD;
    }
  }

  /** Each value replaced so far (4+ characters) with its pseudonym. */
  redactedValues(): [string, string][] {
    const out: [string, string][] = [];
    for (const map of this.maps.values()) for (const [v, name] of map) if (v.length >= 4) out.push([v, name]);
    return out;
  }

  private pseudonym(kind: RedactionKind, value: string): string {
    // A credential found by two rules (`api_key=v` here, `v` alone there) keeps the first rule's name, so the
    // reader sees one value. Only random-looking values: a user name equal to a password must not show it.
    const shared = looksSecret(value) ? this.anyKind.get(value) : undefined;
    if (shared !== undefined) {
      const k = shared.slice(1, shared.lastIndexOf('-')) as RedactionKind;
      this.hits.set(k, (this.hits.get(k) ?? 0) + 1);
      return shared;
    }
    let map = this.maps.get(kind);
    if (map === undefined) {
      map = new Map();
      this.maps.set(kind, map);
    }
    let name = map.get(value);
    if (name === undefined) {
      name = `<${kind}-${map.size + 1}>`;
      map.set(value, name);
      if (!this.anyKind.has(value)) this.anyKind.set(value, name);
    }
    this.hits.set(kind, (this.hits.get(kind) ?? 0) + 1);
    return name;
  }
}

/** What `text()` returns if a rule throws (a bug): nothing of the input, and nothing a second pass would change. */
export const WITHHELD = '[text withheld: redaction failed]';

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

/**
 * Vendor credential shapes recognisable without context: cloud access keys (Alibaba Cloud `LTAI`, AWS `AKIA`/`ASIA`,
 * Tencent Cloud `AKID`, Google `AIza`), model-provider keys (`sk-…`: OpenAI, Anthropic `sk-ant-`, DashScope,
 * DeepSeek, Moonshot; Hugging Face `hf_`, Groq `gsk_`), code hosts and registries (GitHub, GitLab `glpat-`, npm,
 * Docker Hub `dckr_pat_`), chat and mail services (Slack, SendGrid), payment (Stripe), Google OAuth, and the
 * developer services secretlint's recommended preset knows (Shopify, Grafana, Vault, Vercel, Databricks, Linear,
 * Notion, Figma, 1Password): docs/redaction.md compares the two.
 */
const VENDOR_KEY =
  'LTAI[A-Za-z0-9]{12,40}|(?:AKIA|ASIA)[A-Z0-9]{16}|AKID[A-Za-z0-9]{32}|AIza[0-9A-Za-z_-]{35}|sk-[A-Za-z0-9_-]{20,}' +
  '|hf_[A-Za-z0-9]{30,}|gsk_[A-Za-z0-9]{40,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}' +
  '|glpat-[A-Za-z0-9_-]{20,}|npm_[A-Za-z0-9]{36}|dckr_pat_[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}' +
  '|xapp-[A-Za-z0-9-]{10,}|SG\\.[\\w-]{16,}\\.[\\w-]{16,}|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|ya29\\.[\\w-]{20,}' +
  '|GOCSPX-[\\w-]{20,}|shp(?:at|ca|pa|ss)_[A-Fa-f0-9]{32,64}|gl(?:c|sa)_[A-Za-z0-9+/_]{32,}={0,2}|hv[sbr]\\.[\\w-]{80,}' +
  '|vc[pikar]_[A-Za-z0-9]{20,}|dapi[a-f0-9]{32}(?:-\\d)?|lin_api_[A-Za-z0-9_]{32,}|ntn_[A-Za-z0-9]{40,}' +
  '|figd_[\\w-]{40,}|ops_eyJ[A-Za-z0-9+/=]{60,}';

const SHAPE_RE = new RegExp(
  `(?:(?<![A-Za-z0-9])|(?<=\\\\[ntr]))(?<!<[a-z]+-\\d+>)(?:${VENDOR_KEY})(?![A-Za-z0-9]|<[a-z]+-\\d+>)` +
    // JWTs, and base64-encoded JSON without dots (a docker config.json, a Kubernetes secret): `eyJ…`
    '|eyJ[A-Za-z0-9_-]{6,}\\.[A-Za-z0-9_-]{6,}\\.[A-Za-z0-9_-]*|(?<![A-Za-z0-9+/])eyJ[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=.])',
  'g',
);

const JWT_EXACT_RE = /^eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*$/;
const CLOUD_KEY_EXACT_RE = new RegExp(`^(?:${VENDOR_KEY})$`);

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
  ['sig', 'secret'],
  ['xsign', 'secret'],
  ['xsig', 'secret'],
  ['auth', 'secret'],
  ['sk', 'secret'],
  ['pwd', 'secret'],
  ['pass', 'secret'],
  ['username', 'user'],
]);

/** Suffixes of a name (lower-cased, `-`/`_`/`.` removed) that mark a secret whatever the prefix. First match wins. */
const STRONG_SUFFIXES: readonly (readonly [RegExp, RedactionKind])[] = [
  [/(?:password|passwd|passphrase)$/, 'secret'],
  [/secretaccesskey$/, 'secret'],
  [/(?:api|access|account|app|auth|signing|encryption|master|subscription)keys?(?:id)?$/, 'key'],
  [/(?:apitokens?|secretid|privatekeyid)$/, 'key'],
  [/(?:secret|secretkey|privatekey)$/, 'secret'],
  [/(?:access|refresh|id|auth|session|security|bearer|csrf|xsrf|xauth|xaccess|private|oauth|bot|app|user)token$/, 'token'],
  [/(?:sessionid|sessid)$/, 'token'],
  [/credentials?$/, 'secret'],
  [/signature$/, 'secret'],
];

function classifyName(raw: string): NameClass | null {
  const lower = raw.toLowerCase();
  const n = lower.replace(/[-_.]/g, '');
  if (n === 'authorization' || n === 'proxyauthorization') return { special: 'authorization', kind: 'token', weak: false };
  if (n === 'cookie' || n === 'setcookie') return { special: 'cookie', kind: 'cookie', weak: false };
  const weak = WEAK_NAMES.get(n) ?? WEAK_NAMES.get(lower);
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
  // In prose, a value that already holds a pseudonym was judged by a rule before (see proseValue).
  if (requireKnown && PSEUDONYM_RE.test(v)) return null;
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
// 1. PEM blocks (config dumps, SDS debug output, service-account JSON): private keys and certificates alike, with
//    real or escaped (`\n`) newlines, and a block cut before its END line. Evidence is often quoted one physical
//    line at a time, so a key's base64 body can arrive without its BEGIN line: a line that is nothing but a long
//    mixed-case base64 run is treated as key material too (hex digests are single-case and stay).

const PEM_RE = /-----BEGIN ([A-Z0-9 ]{1,40})-----[\s\S]*?(?:-----END \1-----|$)/g;
const BASE64_LINE_RE = /^[ \t]*([A-Za-z0-9+/]{40,}={0,2})[ \t]*$/gm;

function redactPem(s: string, p: Namer): string {
  let t = s;
  if (t.includes('-----BEGIN ')) t = replaceEach(t, PEM_RE, (m) => p('pem', m[0]));
  if (t.length >= 40) {
    t = replaceEach(t, BASE64_LINE_RE, (m) => {
      const blob = m[1] ?? '';
      if (!/[a-z]/.test(blob) || !/[A-Z]/.test(blob) || !/[0-9]/.test(blob)) return null;
      return m[0].replace(blob, p('pem', blob));
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
  'system',
  'input',
  'inputs',
  'text',
  'parts',
  'query',
  'choices',
  'output',
  'response',
  'history',
]);

/**
 * Body keys that other JSON also uses for a name (`"input":"gateway.log"` in a report, `"text":"ok"`): a single
 * short token under them is not content and is left to the other rules.
 */
const SHARED_BODY_KEYS: ReadonlySet<string> = new Set(['input', 'inputs', 'text', 'query', 'output', 'response']);

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
    const shared = isBody && SHARED_BODY_KEYS.has(lower);
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
      if (!(shared && v.type === 'string' && /^[\w.:/@+-]{1,64}$/.test(s.slice(v.cs, v.ce)))) rep = redactBodyValue(s, v, q, p);
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
  /(?:(?<![A-Za-z0-9_.\\-])|(?<=%[0-9A-Fa-f]{2})|(?<=\\[ntr]))(?<!<[a-z]+-\d+>)((?:proxy-)?authorization|set-cookie|cookie)(?:([ \t]*=[ \t]*|[ \t]*:[ \t]*\[|',[ \t]*'|%3A(?:%20|\+)*|%3D)|([ \t]*:[ \t]*))/gi;

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
  /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,15}:\/\/)([^\s/?#@:"'<>\\[\]]+)(?::([^\s/?#@"'\\<>][^\s/?#@"'\\]*)?)?@/g;
const USERINFO_ENC_RE =
  /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,15}%3A%2F%2F)((?:[\w.~+-]|%(?!3A|40|2F)[0-9A-F]{2})+)(?:%3A((?:[\w.~+!$*,;=-]|%(?!40|2F)[0-9A-F]{2})*))?%40/gi;

/** `curl -u user:pass`, `--user=user:pass`, `--proxy-user user:pass` (remediation text, pasted commands). */
const CLI_USER_RE = /(?<!\S)(-u|--user|--proxy-user)([ \t]+|=)(["']?)([^\s:'"<>]+):([^\s'"<>][^\s'"]*)\3/g;

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
//    Go's `map[X-Api-Key:[v]]`, Envoy's header dump `'x-api-key', 'v'`, lists (`apiTokens:[a b]`,
//    `apiTokens: [a, b]`). `=`, `%3D`, `:[` and `', '` are structured: the value always goes. After a bare `:` the
//    text may be prose (`signature: invalid`), so the value must look like a credential (`proseValue`).

const PARAM_RE =
  /(?:(?<![A-Za-z0-9_.\\-])|(?<=%[0-9A-Fa-f]{2})|(?<=\\[ntr]))(?<!<[a-z]+-\d+>)([A-Za-z_][\w.-]{0,63}?)(?:([ \t]*=(?!>)[ \t]*|%3D|%253D|[ \t]*:\[|',[ \t]*')|([ \t]*:[ \t]*))/gi;
const ENCODED_STOP_RE = /%(?:26|22|27|20|2C|3B|5C|7D|5D|29)/i;

function redactParams(s: string, p: Namer): string {
  if (!/[=:']|%3D/i.test(s)) return s;
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
    // A list of values: Go prints `map[apiTokens:[a b]]`, YAML flow style `apiTokens: [a, b]`.
    const list = (m[2] !== undefined && m[2].endsWith('[')) || (colon && s[at] === '[');
    if (list) {
      const open = m[2] !== undefined && m[2].endsWith('[') ? at : at + 1;
      const done = redactList(s, open, eol(at), (v) => (colon && !proseValue(v, cls, name) ? null : p(kindOf(v, cls.kind), v)));
      return { text: s.slice(m.index, open) + done.text, end: done.end };
    }
    const span = valueSpan(s, at, eol, colon ? stopColon : stopEq);
    const vs = span.vs;
    let ve = span.ve;
    // Prose (`signature: invalid`) is judged on its first characters; only a value judged secret is read whole.
    if (colon && !isPasswordName(name) && !proseValue(s.slice(vs, Math.min(ve, vs + PROBE)), cls, name)) return null;
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

/**
 * The items of a `[a b]` / `[a, b]` / `["a","b"]` list that starts at `open` (just after its `[`), each passed
 * through `fn`; the replacement runs to the closing `]` (or the end of the line when the list was cut). The list is
 * consumed even when nothing in it changes, so a second pass reads it as the first did.
 */
function redactList(s: string, open: number, limit: number, fn: (v: string) => string | null): Span {
  // Searched in a bounded window: a hostile line of `apiTokens: [` must not cost a scan to its end per bracket.
  const window = Math.min(limit, open + 4 * PROBE);
  const rel = s.slice(open, window).indexOf(']');
  const close = rel === -1 ? window : open + rel;
  const text = s.slice(open, close).replace(/[^\s,'"\\]+/g, (item) => {
    if (isEmptyValue(item) || PSEUDONYM_RE.test(item) || !/[A-Za-z0-9]/.test(item)) return item;
    return fn(item) ?? item;
  });
  return { text, end: close };
}

/**
 * Whether the text after a credential name in prose is its value (`password hunter2`, `secret: abc123`) rather
 * than more prose (`password expired`, `signature: invalid`, `token is not-found`). A weak name (`key`, `token`)
 * needs a random-looking value; a strong one (`password`, `apiToken`, `AccessKeySecret`) a value that is not a
 * plain word: it holds a digit or a symbol, or is long and mixed-case.
 */
function proseValue(v: string, cls: NameClass, name: string): boolean {
  // A value holding a pseudonym lost a part to another rule (in this pass or an earlier one): judging what is left
  // could redact more on a second pass than on the first, and `text()` must be idempotent.
  if (!/^[A-Za-z0-9!@#$%^&*+~]/.test(v) || PSEUDONYM_RE.test(v)) return false;
  if (cls.weak) return looksSecret(v);
  const t = v.slice(0, PROBE);
  if (t.length < (isPasswordName(name) ? 4 : 6)) return false;
  if (/^[A-Za-z]+(?:['_-][A-Za-z]+)*$/.test(t)) return looksSecret(t);
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// 5b. A credential name followed by its value with only a space or an arrow between them, as plugins and people
//     write it: `apiToken sk-…`, `password hunter2`, `secret → v`, `password is v`, `api key v`, Go's header
//     pairs `[authorization Bearer v] [x-api-key v]`, `密码：v`. The value must pass `proseValue`.

const SPACED_RE =
  /(?:(?<![\w.\/\\-])|(?<=\\[ntr]))(?<!<[a-z]+-\d+>)((?:(?:api|access|secret|private|client|app|auth|refresh|session|id|security)[ \t])?[A-Za-z_][\w.-]{1,63}?)((?:[ \t]*(?:\u2192|\u21d2|->|=>|:=|\uff1a)[ \t]*)|[ \t]+(?:(?:is|was|set to)[ \t]+)?)(?=[^\s<])/gi;
const CJK_RE = /(密码|口令|密钥|秘钥|私钥|令牌|访问密钥|AccessKey ?Secret)[ \t]*[:：=为是]?[ \t]*(?=[^\s<:：=为是])/g;
const SPACED_VALUE_RE = /(?:<[a-z]+-\d+>|[^\s"'\\,;)\]}<>])+/y;

function redactSpaced(s: string, p: Namer): string {
  let t = s;
  if (/[ \t\u2192\u21d2>=\uff1a]/.test(t)) {
    const eol = lineEnds(t);
    const src = t;
    t = replaceEach(src, SPACED_RE, (m) => {
      const name = (m[1] ?? '').replace(/[ \t]+/g, '');
      const cls = classifyName(name);
      if (cls === null) return null;
      const at = m.index + m[0].length;
      const head = src.slice(m.index, at);
      if (cls.special === 'authorization') {
        AUTH_VALUE_RE.lastIndex = 0;
        const vm = AUTH_VALUE_RE.exec(src.slice(at, Math.min(eol(at), at + 4 * PROBE)));
        if (vm === null) return null;
        const rep = redactAuthValue(vm[0], p, true);
        return rep === null ? null : { text: head + rep, end: at + vm[0].length };
      }
      if (cls.special === 'cookie') {
        COOKIE_VALUE_RE.lastIndex = at;
        const vm = COOKIE_VALUE_RE.exec(src);
        if (vm === null || vm.index + vm[0].length > eol(at)) return null;
        return { text: head + p('cookie', vm[0]), end: at + vm[0].length };
      }
      if (src[at] === '[') {
        const done = redactList(src, at + 1, eol(at), (v) => (proseValue(v, cls, name) ? p(kindOf(v, cls.kind), v) : null));
        return { text: src.slice(m.index, at + 1) + done.text, end: done.end };
      }
      const v = readProseValue(src, at, eol(at));
      // Another field follows, not a value: `main.verifySignature\tthread=24` (Istio tab layout).
      if (v === null || /^[a-z_]+=[^=]/.test(v.value) || !proseValue(v.value, cls, name)) return null;
      return { text: src.slice(m.index, v.vs) + p(kindOf(v.value, cls.kind), v.value), end: v.ve };
    });
  }
  if (/[密口秘私令]|AccessKey/.test(t)) {
    const eol = lineEnds(t);
    const src = t;
    t = replaceEach(src, CJK_RE, (m) => {
      const at = m.index + m[0].length;
      const v = readProseValue(src, at, eol(at));
      if (v === null || v.value.length < 4 || /^[A-Za-z]+$/.test(v.value) || PSEUDONYM_RE.test(v.value)) return null;
      const kind: RedactionKind = m[1] === '令牌' ? 'token' : m[1] === '访问密钥' ? 'key' : 'secret';
      return { text: src.slice(m.index, v.vs) + p(kindOf(v.value, kind), v.value), end: v.ve };
    });
  }
  return t;
}

/** A value in prose: quoted, or a run up to a space or a delimiter, without trailing `.`, `,` or `:`. */
function readProseValue(s: string, at: number, limit: number): { value: string; vs: number; ve: number } | null {
  let vs = at;
  let ve: number;
  const q = s[at];
  if (q === '"' || q === "'") {
    const rel = s.slice(at + 1, Math.min(limit, at + 1 + 4 * PROBE)).indexOf(q);
    if (rel === -1) return null;
    const close = at + 1 + rel;
    vs = at + 1;
    ve = close;
  } else {
    SPACED_VALUE_RE.lastIndex = at;
    const m = SPACED_VALUE_RE.exec(s);
    if (m === null) return null;
    ve = Math.min(at + m[0].length, limit, at + 4 * PROBE);
    while (ve > vs && /[.,:]/.test(s[ve - 1] ?? '')) ve--;
  }
  const value = s.slice(vs, ve);
  if (isEmptyValue(value) || value.startsWith('<')) return null;
  return { value, vs, ve };
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
  return replaceEach(s, SHAPE_RE, (m) => p(kindOf(m[0], m[0].includes('.') ? 'token' : 'secret'), m[0]));
}

// ---------------------------------------------------------------------------------------------------------------
// 7b. Webhook URLs whose path is the credential: Slack `hooks.slack.com/services/T…/B…/<secret>`, Discord
//     `…/api/webhooks/<id>/<token>`, Feishu/Lark `…/bot/v2/hook/<token>`. The host and the fixed part stay.

const WEBHOOK_RE =
  /(hooks\.slack\.com\/(?:services|workflows|triggers)\/(?:[A-Za-z0-9]+\/){1,3}|discord(?:app)?\.com\/api\/webhooks\/\d+\/|(?:feishu\.cn|larksuite\.com|larkoffice\.com)\/open-apis\/bot\/v2\/hook\/)([\w-]{16,})/g;

function redactWebhooks(s: string, p: Namer): string {
  if (!/hooks|webhooks/.test(s)) return s;
  return replaceEach(s, WEBHOOK_RE, (m) => (m[1] ?? '') + p('token', m[2] ?? ''));
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
//    not yield `<ip-1>` and then, on a second pass, a fresh `::10`; a pseudonym after a dot counts as the digits it
//    may have replaced (`::1:2.031sk-…` → `::1:2.<token-1>` is not an address either).

const IPV4_RE =
  /(?:(?<![A-Za-z0-9.])|(?<=\\[ntr]))(?<!<[a-z]+-\d+>)(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?![A-Za-z0-9]|\.(?:\d|<[a-z]+-\d+>)|<[a-z]+-\d+>)/g;
const IPV6_RE =
  /(?:(?<![\w:.])|(?<=\\[ntr]))(?<!<[a-z]+-\d+>)(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?:%[\w.-]{1,32})?(?![\w:]|\.(?:\d|<[a-z]+-\d+>)|<[a-z]+-\d+>)/g;

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

// ---------------------------------------------------------------------------------------------------------------
// 10. Numbers a user types into a prompt: mainland-China resident ID numbers (checksum), bank-card numbers (Luhn,
//     issuer prefix, grouped as printed on the card or not), phone numbers (mainland mobile, `+` international,
//     North-American). Digit runs that are times, sizes or ids fail the checks: epoch milliseconds start with 1,
//     byte counts and durations are shorter, a run glued to letters or dots is not a number on its own.

const IDNO_RE =
  /(?:(?<![\w.+-])|(?<=\\[ntr]))(?<!<[a-z]+-\d+>)[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\w<]|[.-](?:\d|<[a-z]+-\d+>))/g;
const CARD_RE =
  /(?:(?<![\w.+\/-])|(?<=\\[ntr]))(?<!<[a-z]+-\d+>)(?:\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{3})?|\d{4}([ -])\d{6}\2\d{5}|\d{15,19})(?![\w<]|[.:-](?:\d|<[a-z]+-\d+>))/g;
const PHONE_RE =
  /(?:(?<![\w+\/.-])|(?<=\\[ntr]))(?<!<[a-z]+-\d+>)(?:(?:\+|00)86[ -]?)?1[3-9]\d([ -]?)\d{4}\1\d{4}(?![\w<]|[.:-](?:\d|<[a-z]+-\d+>))|(?:(?<![\w+%])|(?<=\\[ntr]))(?<!<[a-z]+-\d+>)\+[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?![\w<]|[.:-](?:\d|<[a-z]+-\d+>))|(?<!<[a-z]+-\d+>)\(\d{3}\) ?\d{3}[ -]\d{4}(?![\d<])|(?<![\w.-])(?<!<[a-z]+-\d+>)\d{3}-\d{3}-\d{4}(?![\w<-])/g;

function redactNumbers(s: string, p: Namer): string {
  if (!/\d{3}/.test(s)) return s;
  let t = s;
  // A number followed by a pseudonym that stands for digits (an address, another number) may be the first groups
  // of a longer run that was judged before: `+4539 1488 0343 6467::…` is no phone, nor is `+4539 1488 0343 <ip-1>`.
  const cut = (x: string, m: RegExpExecArray): boolean => /^[ .:-]?<(?:ip|card|phone|idno)-\d+>/.test(x.slice(m.index + m[0].length));
  if (/\d{17}[\dXx]/.test(t)) {
    const src = t;
    t = replaceEach(src, IDNO_RE, (m) => (idNumberValid(m[0]) && !cut(src, m) ? p('idno', m[0].toUpperCase()) : null));
  }
  if (/\d{4}/.test(t)) {
    const src = t;
    t = replaceEach(src, CARD_RE, (m) => {
      const digits = m[0].replace(/\D/g, '');
      return digits.length >= 13 && digits.length <= 19 && /^[2-69]/.test(digits) && luhn(digits) && !cut(src, m) ? p('card', digits) : null;
    });
  }
  const src = t;
  return replaceEach(src, PHONE_RE, (m) => {
    const digits = m[0].replace(/\D/g, '');
    if ((m[0].startsWith('+') && (digits.length < 8 || digits.length > 15)) || cut(src, m)) return null;
    return p('phone', digits.replace(/^(?:00)?86(?=1[3-9]\d{9}$)/, ''));
  });
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** GB 11643 check character (ISO 7064 MOD 11-2). */
function idNumberValid(id: string): boolean {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * weights[i]!;
  return '10X98765432'[sum % 11] === id[17]!.toUpperCase();
}

// ---------------------------------------------------------------------------------------------------------------
// 11. URL query values. Which parameter names hold secrets cannot be guessed (`sign`, `x-sign`, `sig`, `ticket`,
//     `code`, `X-Amz-Security-Token`, …), so every value goes except those of a short list of harmless names; the
//     scheme, host, port and path stay. URLs inside a query value, raw or URL-encoded once or twice, get the same
//     treatment. Runs after the rules that name a value by its key or shape, whose pseudonyms stay.

const QUERY_KEEP: ReadonlySet<string> = new Set([
  'version',
  'v',
  'api-version',
  'apiversion',
  'format',
  'alt',
  'lang',
  'locale',
  'model',
  'stream',
  'limit',
  'offset',
  'page',
  'page_size',
  'per_page',
  'sort',
  'order',
  'timeout',
  'watch',
  'resourceversion',
  'expires',
  'x-amz-algorithm',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
  'x-goog-algorithm',
  'x-goog-date',
  'x-goog-expires',
  'x-goog-signedheaders',
]);

/** A URL (`scheme://host[/path]`) or an absolute path, up to its `?`. */
const QUERY_RE = /(?:(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,15}:\/\/[^\s/?#"'\\`|]+(?:\/[^\s?#"'\\`|]*)?|(?<![\w.~%:/-])(?<!<[a-z]+-\d+>)\/[^\s?#"'<>\\`|]*)\?/g;
/** The same URL-encoded once (`%3A%2F%2F…%3F`) or twice (`%253A…`); group 1 is the escape (`%` or `%25`). */
const ENC_QUERY_RE = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,15}(%(?:25)?)3A(?:\1)2F(?:\1)2F(?:[\w.~-]|%(?!(?:25)?(?:3F|23|26|22|20))[0-9A-Fa-f]{2})*?(?:\1)3F/gi;
const QUERY_END_RE = /[\s"'\\`#|\])}]/g;

function redactQueries(s: string, p: Namer): string {
  // Fresh regex objects: a query value that is a URL recurses, and a shared global regex's lastIndex would be reset
  // under the outer loop (which then never ends).
  let t = s;
  if (t.includes('?')) {
    const end = scanner(t, new RegExp(QUERY_END_RE));
    const src = t;
    t = replaceEach(src, new RegExp(QUERY_RE), (m) => {
      const qs = m.index + m[0].length;
      const qe = trimQueryEnd(src, qs, end(qs));
      const done = redactQueryString(src.slice(qs, qe), '&', '=', p);
      // Past the query even when nothing changed: `/a?/a?/a?…` must not read the rest of the line once per `?`.
      return { text: m[0] + (done ?? src.slice(qs, qe)), end: qe };
    });
  }
  if (/%(?:25)?3F/i.test(t)) {
    const src = t;
    const stop = scanner(src, /[\s"'\\`#|\])}&]/g);
    t = replaceEach(src, new RegExp(ENC_QUERY_RE), (m) => {
      const esc = (m[1] ?? '%').toUpperCase();
      const qs = m.index + m[0].length;
      let qe = trimQueryEnd(src, qs, stop(qs));
      // An encoded quote, space or `#` ends a once-encoded URL (its query cannot hold them unencoded twice).
      if (esc === '%') {
        const inner = /%(?:22|20|23)/i.exec(src.slice(qs, qe));
        if (inner !== null) qe = qs + inner.index;
      }
      const done = redactQueryString(src.slice(qs, qe), `${esc}26`, `${esc}3D`, p);
      return { text: m[0] + (done ?? src.slice(qs, qe)), end: qe };
    });
  }
  return t;
}

/** A query's end without the prose punctuation that may follow it (`?token=v: wasm module`, `…?x=1.`). */
function trimQueryEnd(s: string, qs: number, qe: number): number {
  let e = Math.min(qe, qs + 64 * PROBE);
  while (e > qs && /[.,;:!?]/.test(s[e - 1] ?? '')) e--;
  return e;
}

/** `a=1&b=2` with every value that is not harmless replaced; null when nothing changed. */
function redactQueryString(q: string, amp: string, eq: string, p: Namer): string | null {
  if (q === '') return null;
  const lowerQ = q.toLowerCase();
  const ampL = amp.toLowerCase();
  const eqL = eq.toLowerCase();
  let out = '';
  let changed = false;
  let from = 0;
  while (from <= q.length) {
    let to = lowerQ.indexOf(ampL, from);
    if (to === -1) to = q.length;
    const pair = q.slice(from, to);
    const at = lowerQ.slice(from, to).indexOf(eqL);
    let rep = pair;
    if (at === -1) {
      // A bare value (`?sk-…`); one that holds a pseudonym was judged before (see proseValue).
      if (looksSecret(pair) && !PSEUDONYM_RE.test(pair)) rep = p('query', pair);
    } else {
      const name = pair.slice(0, at);
      const value = pair.slice(at + eq.length);
      const v = redactQueryValue(name, value, p);
      if (v !== null) rep = name + eq + v;
    }
    if (rep !== pair) changed = true;
    out += rep;
    if (to >= q.length) break;
    out += q.slice(to, to + amp.length);
    from = to + amp.length;
  }
  return changed ? out : null;
}

function redactQueryValue(name: string, value: string, p: Namer): string | null {
  if (isEmptyValue(value) || isPseudonym(value)) return null;
  if (QUERY_KEEP.has(name.toLowerCase())) return null;
  // A URL in a parameter (`redirect=https://…?code=…`, `src=http%3A%2F%2F…`): its own query goes, not its address.
  if (/^[A-Za-z][A-Za-z0-9+.-]{0,15}(?::\/\/|%(?:25)?3A%(?:25)?2F)/i.test(value)) {
    const inner = redactQueries(value, p);
    return inner === value ? null : inner;
  }
  const cls = classifyName(name);
  const kind: RedactionKind = cls === null ? 'query' : cls.special === 'cookie' ? 'cookie' : cls.kind;
  return p(kindOf(value, kind), value);
}

// ---------------------------------------------------------------------------------------------------------------
// 12. High-entropy runs anywhere (base64, base64url, base62, hex): a credential nobody named. What must stay is
//     recognised by shape or by the words just before it: digests (`sha256:…`, `checksum …`, `Envoy version: …`),
//     UUIDs and other ids (`request_id`, `trace_id`, the wasm-go `[plugin] [id] [request id]` prefix), C++ mangled
//     symbols, and identifiers (words, camelCase, pod names `higress-gateway-6f7c9d8b5-x2k4p`), which are too
//     regular to pass the test.

const RUN_RE = /(?<![A-Za-z0-9+/=_-])(?<!<[a-z]+-\d+>)[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-]|<[a-z]+-\d+>)/g;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIGEST_BEFORE_RE = /(?<![A-Za-z0-9_-])(?:sha-?(?:1|224|256|384|512)|md5|digest|checksum|hash|commit|revision|version|etag|fingerprint|match)[\s:=@"'(\\]*$/i;
const ID_BEFORE_RE =
  /(?<![A-Za-z0-9_-])(?:(?:x-)?(?:request|trace|span|parent|correlation|chat|message|conversation|x-b3-?[a-z]*)[_-]?id|id|traceparent|x-b3-[a-z]+)[\\"'\s]*(?:[:=]|',)[\\"'\s]*$|\] \[[^\]\s]*\] \[$/i;

function redactRandom(s: string, p: Namer): string {
  if (s.length < 16) return s;
  return replaceEach(s, RUN_RE, (m) => {
    let start = m.index;
    let run = m[0];
    // The run may begin inside an escape: `\tAbc…` (a docker json-file line), `%2FAbc…` (URL-encoded).
    if (s[start - 1] === '\\' && /^[ntr]/.test(run)) {
      start++;
      run = run.slice(1);
    } else if (s[start - 1] === '%' && /^[0-9A-Fa-f]{2}/.test(run)) {
      start += 2;
      run = run.slice(2);
    }
    const core = run.replace(/^[/_-]+/, '').replace(/[/_=-]+$/, '');
    if (core.length < 16) return null;
    start += run.indexOf(core);
    const before = s.slice(Math.max(0, start - 40), start);
    if (DIGEST_BEFORE_RE.test(before) || ID_BEFORE_RE.test(before)) return null;
    // A symbol in a stack frame: `Wasm::Context::onHttpCallSuccess()`, `pkg.handleRequest2(…)`.
    if (before.endsWith('::') || s[start + core.length] === '(') return null;
    const end = start + core.length + (run.slice(run.indexOf(core) + core.length).match(/^=+/)?.[0].length ?? 0);
    const whole = s.slice(start, end);
    let rep: string | null = null;
    // A URL path (`/a/0a/0aa1f`, `example/v2/x` after a host's dot) is judged piece by piece, never as one token.
    const path = run.startsWith('/') || (s[start - 1] === '.' && /^[a-z]{2,}\//.test(core));
    if (!path && randomRun(core)) {
      rep = p(kindOf(whole, 'token'), whole);
    } else if (path || /[/_-]/.test(core)) {
      // Too many separators for one token: a path or a name, whose pieces may still hold one (`/hook/<token>`).
      let changed = false;
      const pieces = whole.replace(/[A-Za-z0-9+=]{16,}/g, (piece) => {
        if (!randomChunk(piece.replace(/=+$/, ''))) return piece;
        changed = true;
        return p(kindOf(piece, 'token'), piece);
      });
      if (changed) rep = pieces;
    }
    return rep === null ? null : { text: s.slice(m.index, start) + rep, end };
  });
}

function randomRun(r: string): boolean {
  if (r.startsWith('_Z') || UUID_RE.test(r)) return false;
  if (/^(?:[0-9a-f]+|[0-9A-F]+)$/.test(r)) return r.length >= 32 && entropy(r) >= 3;
  const pieces = r.split(/[/_-]+/);
  if (pieces.length > 1) {
    // A path (`com/services/T0A1/B0B2`): two words between slashes; its pieces are judged one by one by the caller.
    if (r.split('/').filter((w) => /^(?:[a-z]{3,}|[A-Z][a-z]{2,})$/.test(w)).length >= 2) return false;
    // `higress-gateway-6f7c9d8b5-x2k4p`, `v1/chat/completions`: words joined by separators name something.
    const words = pieces.filter((w) => /^[A-Z]?[a-z]{2,}$/.test(w)).reduce((n, w) => n + w.length, 0);
    if (words * 5 >= r.length * 2) return false;
    // Dashed hex (`3c1f0d2e-1111`, ids in the UUID family) is an id.
    if (pieces.every((w) => /^[0-9a-f]+$/i.test(w))) return false;
  }
  return randomChunk(r);
}

/**
 * A random-looking string rather than a word, an identifier or a number: several character classes, enough class
 * changes (random base62 changes class at ~60% of positions, `DeltaAggregatedResources` at ~20%), not made of
 * words (an identifier's letters stand mostly in lower-case runs of 3+ with vowels), and enough Shannon entropy for
 * its length. Measured on uniformly random base62 strings, it misses ~0.6% of 24-character, ~0.03% of 32-character
 * and under 0.01% of 40-character ones (the price of keeping `onHttpCallResponse` and `DeltaAggregatedResources`).
 */
function randomChunk(c: string): boolean {
  if (c.length < 16) return false;
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let changes = 0;
  let prev = -1;
  for (let i = 0; i < c.length; i++) {
    const ch = c.charCodeAt(i);
    const cls = ch >= 97 && ch <= 122 ? 0 : ch >= 65 && ch <= 90 ? 1 : ch >= 48 && ch <= 57 ? 2 : 3;
    if (cls === 0) lower++;
    else if (cls === 1) upper++;
    else if (cls === 2) digit++;
    if (prev !== -1 && cls !== prev) changes++;
    prev = cls;
  }
  const letters = lower + upper;
  if (letters < 4) return false;
  const ratio = changes / c.length;
  let inWords = 0;
  for (const w of c.match(/[A-Z]?[a-z]{3,}/g) ?? []) inWords += w.length;
  const vowels = c.match(/[aeiouAEIOU]/g)?.length ?? 0;
  // (Long random strings have lower-case runs too: past 32 characters an identifier must be mostly words.)
  if (inWords * (c.length < 32 ? 2 : 1.4) >= letters && vowels * 4 >= letters && ratio < 0.45) return false;
  if (digit < 2) {
    if (c.length < 20 || lower < 2 || upper < 2 || ratio < 0.3) return false;
  } else if (ratio < 0.25) {
    return false;
  }
  return entropy(c) >= 0.7 * Math.log2(Math.min(c.length, 64));
}

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) counts.set(s.charCodeAt(i), (counts.get(s.charCodeAt(i)) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const q = n / s.length;
    h -= q * Math.log2(q);
  }
  return h;
}
