// Events → findings. Patterns are tried in catalog order (priority, then id); the first one
// whose filters, literal and regex all hold wins the event. A pattern with `all: true` yields a
// finding per match (one per bullet of a multi-error list, so one per plugin).
import type { Finding, LayoutId, Level, LogEvent, Signal } from '../model.js';
import { LAYOUT_INDEX, LEVEL_RANK } from '../model.js';
import type { Catalog, CompiledPattern } from './load.js';
import { buildAutomaton, ENDS, STATE_MASK } from '../lines/automaton.js';

/** Longest message text handed to a regex: bounded work per event whatever the input. */
export const MAX_MATCH_CHARS = 128 * 1024;

export function matchEvent(catalog: Catalog, event: LogEvent): Finding[] {
  const message = event.message.length > MAX_MATCH_CHARS ? event.message.slice(0, MAX_MATCH_CHARS) : event.message;
  const ix = indexFor(catalog);
  const list = ix.applicable(event.layout, event.level, event.logger);
  if (list.count === 0) return [];
  // A message seen before under the same filters is won by the same pattern (or none): matching
  // depends on nothing else. Failed requests repeat their message thousands of times.
  const cacheable = message.length <= MAX_WINNER_KEY;
  if (cacheable) {
    const known = list.winners.get(message);
    if (known !== undefined) return known < 0 ? [] : run(ix.prepared[known]!, event, message);
  }
  // Candidates in catalog order: applicable patterns with one of their literals in the message
  // (found here, or already where the line was scanned).
  const candidates = event.literalHits ? ix.candidatesOf(event.literalHits, list) : ix.candidates(message, list);
  for (let k = 0; k < candidates.length; k++) {
    const i = candidates[k]!;
    const c = ix.prepared[i]!;
    if (!possible(c.required, message)) continue;
    const findings = run(c, event, message);
    if (findings.length > 0) {
      if (cacheable) remember(list, message, i);
      return findings;
    }
  }
  if (cacheable) remember(list, message, -1);
  return [];
}

/** Messages longer than this are not remembered (the memory stays small). */
const MAX_WINNER_KEY = 1024;
/** Messages remembered per filter set; past this the memory starts over. */
const MAX_WINNERS = 1024;

function remember(list: Applicable, message: string, winner: number): void {
  if (list.winners.size >= MAX_WINNERS) list.winners.clear();
  list.winners.set(message, winner);
}

/** Substrings every match of the regex contains: when one is missing the regex cannot match. */
function possible(required: ReadonlyArray<string | RegExp>, message: string): boolean {
  for (let i = 0; i < required.length; i++) {
    const r = required[i]!;
    if (typeof r === 'string' ? !message.includes(r) : !r.test(message)) return false;
  }
  return true;
}

/**
 * The catalog's literals, in the order of the ids `LogEvent.literalHits` uses: a scanner that
 * searches lines for these (lines/literal-hits.ts) saves matchEvent the search.
 */
export function matchLiterals(catalog: Catalog): readonly string[] {
  return indexFor(catalog).literalList;
}

/**
 * For each literal id: 1 when every pattern with that literal is a context pattern without a
 * signal, so a line holding only such literals can give nothing but plugin activity (the
 * context lane, lines/context-lane.ts); 2 when the other patterns with it all need warning or
 * above, so it counts as such only in a line below warning; 0 otherwise.
 */
export function laneLiterals(catalog: Catalog): number[] {
  const ix = indexFor(catalog);
  // A signal feeds a correlation: its line must be decoded.
  const chatter = (p: CompiledPattern): boolean => p.spec.role === 'context' && p.signals.length === 0;
  return ix.literalList.map((_, id) => {
    const ps = ix.patternsWith(id).map((i) => ix.prepared[i]!.p);
    if (ps.every(chatter)) return 1;
    // `fetch` of a general pattern in an info line `fetching image …`: nothing but chatter can match it.
    return ps.every((p) => chatter(p) || LEVEL_RANK[p.minLevel] >= LEVEL_RANK.warning) ? 2 : 0;
  });
}

// ---- index: what matchEvent works out once per catalog ------------------------------------------

const indexes = new WeakMap<Catalog, MatchIndex>();

function indexFor(catalog: Catalog): MatchIndex {
  let ix = indexes.get(catalog);
  if (!ix) {
    ix = new MatchIndex(catalog.patterns);
    indexes.set(catalog, ix);
  }
  return ix;
}

/** A pattern with what matching needs of it, worked out once. */
interface Prepared {
  readonly p: CompiledPattern;
  /**
   * Substrings every match of its regex contains (beyond its literal); for a case-insensitive
   * regex, as case-insensitive regexes of the substring.
   */
  readonly required: ReadonlyArray<string | RegExp>;
  /** `${because} ${explanation}` of each rule, built once. */
  readonly ruleExplanations: readonly string[];
  /** Named groups of its regex, in the order `m.groups` lists them (null: list them per match). */
  readonly groupNames: readonly string[] | null;
}

/** Which patterns apply to one kind of event (layout, level, logger). */
interface Applicable {
  /** mask[i] === 1 when pattern i (catalog order) applies. */
  readonly mask: Uint8Array;
  readonly count: number;
  /** Messages matched before under these filters: the index of the pattern that won, or −1. */
  readonly winners: Map<string, number>;
}

/** Distinct loggers remembered per (layout, level); past this the cache for it starts over. */
const MAX_LOGGER_KEYS = 256;
const LEVEL_SLOTS = 7; // six levels and null

class MatchIndex {
  readonly prepared: Prepared[];
  /** Applicable patterns by layout and level (one slot each), then logger. */
  private readonly applicableCache: Array<Map<string | null, Applicable> | undefined> = [];
  private readonly literals: LiteralSearch;
  /** Distinct non-empty literals by id. */
  readonly literalList: readonly string[];
  /** Pattern indexes (ascending) of each literal id. */
  private readonly patternsOf: number[][];
  /** Patterns with an empty literal: candidates for every message. */
  private readonly always: number[] = [];
  private readonly out: number[] = [];

  constructor(patterns: readonly CompiledPattern[]) {
    this.prepared = patterns.map((p) => {
      // What the pattern's only literal contains is already known to be there.
      const only = p.literals.length === 1 ? p.literals[0]! : null;
      const required = requiredSubstrings(p.regex)
        .filter((x) => only === null || !only.includes(x))
        .map((x) => (p.regex.ignoreCase ? new RegExp(x.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'i') : x));
      const ruleExplanations = p.rules.map((r) => `${r.because} ${p.spec.explanation}`);
      return { p, required, ruleExplanations, groupNames: groupNamesOf(p.regex) };
    });
    const ids = new Map<string, number>();
    this.patternsOf = [];
    patterns.forEach((p, i) => {
      for (const l of p.literals) {
        if (l === '') {
          if (!this.always.includes(i)) this.always.push(i);
          continue;
        }
        let id = ids.get(l);
        if (id === undefined) {
          id = ids.size;
          ids.set(l, id);
          this.patternsOf.push([]);
        }
        const list = this.patternsOf[id]!;
        if (list[list.length - 1] !== i) list.push(i);
      }
    });
    this.literalList = [...ids.keys()];
    this.literals = new LiteralSearch(this.literalList);
  }

  /** Pattern indexes (catalog order) with literal `id`. */
  patternsWith(id: number): readonly number[] {
    return this.patternsOf[id]!;
  }

  /** Patterns whose layout, logger and level filters admit an event. */
  applicable(layout: LayoutId, level: Level | null, logger: string | null): Applicable {
    const li = LAYOUT_INDEX.get(layout);
    const slot = li === undefined ? -1 : li * LEVEL_SLOTS + (level === null ? LEVEL_SLOTS - 1 : LEVEL_RANK[level]);
    let byLogger = slot < 0 ? undefined : this.applicableCache[slot];
    if (!byLogger) {
      byLogger = new Map();
      if (slot >= 0) this.applicableCache[slot] = byLogger;
    }
    let a = byLogger.get(logger);
    if (!a) {
      const mask = new Uint8Array(this.prepared.length);
      let count = 0;
      this.prepared.forEach((c, i) => {
        if (applies(c.p, layout, level, logger)) {
          mask[i] = 1;
          count++;
        }
      });
      a = { mask, count, winners: new Map() };
      if (byLogger.size >= MAX_LOGGER_KEYS) byLogger.clear();
      byLogger.set(logger, a);
    }
    return a;
  }

  /**
   * Indexes of the applicable patterns with a literal in the message, ascending (catalog order).
   * The array is reused by the next call.
   */
  candidates(message: string, a: Applicable): readonly number[] {
    return this.candidatesOf(this.literals.find(message), a);
  }

  /** The same, from the ids of the literals known to be in the message. */
  candidatesOf(found: readonly number[], a: Applicable): readonly number[] {
    const out = this.out;
    out.length = 0;
    const mask = a.mask;
    for (let j = 0; j < this.always.length; j++) if (mask[this.always[j]!] === 1) insertSorted(out, this.always[j]!);
    for (let f = 0; f < found.length; f++) {
      const list = this.patternsOf[found[f]!]!;
      for (let j = 0; j < list.length; j++) if (mask[list[j]!] === 1) insertSorted(out, list[j]!);
    }
    return out;
  }
}

/** Insert into an ascending list of a few numbers, once (no sort: that allocates a work array). */
function insertSorted(list: number[], v: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > v) i--;
  if (i > 0 && list[i - 1] === v) return;
  list.push(v);
  for (let j = list.length - 1; j > i; j--) list[j] = list[j - 1]!;
  list[i] = v;
}


/**
 * Finds which of many literals occur in a text in one pass: Aho–Corasick (lines/automaton.ts) over
 * the UTF-16 code units that occur in the literals.
 */
class LiteralSearch {
  /** Character class of each code unit below 128 (0: in no literal). */
  private readonly ascii = new Uint8Array(128);
  /** Classes of other code units that occur in literals. */
  private readonly wide = new Map<number, number>();
  private readonly classes: number;
  private readonly delta: Uint16Array;
  private readonly outputs: ReadonlyArray<readonly number[] | null>;
  private readonly found: number[] = [];
  /** seen[id] === gen: literal id already listed for the current text. */
  private readonly seen: Int32Array;
  private gen = 0;

  constructor(literals: readonly string[]) {
    let classes = 1;
    for (const l of literals) {
      for (let i = 0; i < l.length; i++) {
        const c = l.charCodeAt(i);
        if (c < 128) {
          if (this.ascii[c] === 0) this.ascii[c] = classes++;
        } else if (!this.wide.has(c)) this.wide.set(c, classes++);
      }
    }
    this.seen = new Int32Array(literals.length);
    const a = buildAutomaton(
      literals.map((l) => Array.from({ length: l.length }, (_, i) => this.classOf(l.charCodeAt(i)))),
      classes,
    );
    this.classes = a.classes;
    this.delta = a.delta;
    this.outputs = a.outputs;
  }

  private classOf(c: number): number {
    return c < 128 ? this.ascii[c]! : (this.wide.get(c) ?? 0);
  }

  /** Ids of the literals that occur in `text`, each once. The array is reused by the next call. */
  find(text: string): readonly number[] {
    const found = this.found;
    found.length = 0;
    if (this.gen === 0x7fffffff) {
      this.seen.fill(0);
      this.gen = 0;
    }
    const gen = ++this.gen;
    const ascii = this.ascii;
    const delta = this.delta;
    const wide = this.wide.size > 0 ? this.wide : null;
    const classes = this.classes;
    const n = text.length;
    let state = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const k = c < 128 ? ascii[c]! : wide === null ? 0 : (wide.get(c) ?? 0);
      const v = delta[state * classes + k]!;
      state = v & STATE_MASK;
      if (v >= ENDS) {
        for (const id of this.outputs[state]!) {
          if (this.seen[id] !== gen) {
            this.seen[id] = gen;
            found.push(id);
          }
        }
      }
    }
    return found;
  }
}

/**
 * Named groups of a regex in source order (the order `m.groups` lists them), read from its
 * source: escapes and classes are stepped over, `(?<name>` is a group (`(?<=` and `(?<!` are
 * not). Null when the source reads oddly (then each match's groups are listed instead).
 */
function groupNamesOf(re: RegExp): string[] | null {
  const src = re.source;
  const names: string[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i++;
      if (src[i] === '^') i++;
      while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
      if (i >= src.length) return null;
    } else if (c === '(' && src.startsWith('?<', i + 1) && src[i + 3] !== '=' && src[i + 3] !== '!') {
      const close = src.indexOf('>', i + 3);
      if (close < 0) return null;
      const name = src.slice(i + 3, close);
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) return null;
      names.push(name);
      i = close;
    }
  }
  return names;
}

function applies(p: CompiledPattern, layout: LayoutId, level: Level | null, logger: string | null): boolean {
  if (p.layouts && !p.layouts.has(layout)) return false;
  if (p.loggers && (logger === null || !p.loggers.has(logger))) return false;
  if (level !== null && LEVEL_RANK[level] < LEVEL_RANK[p.minLevel]) return false;
  if (p.maxLevel !== null && level !== null && LEVEL_RANK[level] > LEVEL_RANK[p.maxLevel]) return false;
  return true;
}

/**
 * The fields of one finding: implicit ones, named groups, derived ones, in the order they were set.
 * Parallel arrays rather than an object: building, copying and listing a small object with
 * varying keys per finding (spread, for-in) cost microseconds each on the hot path.
 */
class Fields {
  /** Shared with other Fields until a key is added (then copied). */
  private keys: readonly string[];
  private ownKeys = false;

  constructor(
    keys: readonly string[],
    readonly values: string[],
    /** How many of the keys are the implicit ones (IMPLICIT_KEYS or ACCESS_KEYS, in that order). */
    private readonly base: number = keys.length,
  ) {
    this.keys = keys;
  }

  get(k: string): string | undefined {
    const i = this.keys.indexOf(k);
    return i < 0 ? undefined : this.values[i];
  }

  set(k: string, v: string): void {
    const i = this.keys.indexOf(k);
    if (i >= 0) {
      this.values[i] = v;
      return;
    }
    if (!this.ownKeys) {
      this.keys = this.keys.slice();
      this.ownKeys = true;
    }
    (this.keys as string[]).push(k);
    this.values.push(v);
  }

  copy(): Fields {
    return new Fields(this.keys, this.values.slice(), this.base);
  }

  /**
   * The fields a finding shows: all but the message, in order. The implicit ones come first and
   * are built as a literal (one shape, fast); the regex's and derived ones are added after.
   */
  shown(): Record<string, string> {
    const v = this.values;
    const access = this.base === ACCESS_KEYS.length;
    const out: Record<string, string> = access
      ? { level: v[1]!, logger: v[2]!, layout: v[3]!, kind: v[4]!, thread: v[5]!, code: v[6]!, flags: v[7]!, details: v[8]!, cluster: v[9]!, upstream_host: v[10]!, transport_failure: v[11]!, route: v[12]!, authority: v[13]! }
      : { level: v[1]!, logger: v[2]!, layout: v[3]!, kind: v[4]!, thread: v[5]! };
    const keys = this.keys;
    for (let i = this.base; i < keys.length; i++) if (keys[i] !== 'message') out[keys[i]!] = v[i]!;
    return out;
  }
}

const IMPLICIT_KEYS = ['message', 'level', 'logger', 'layout', 'kind', 'thread'];
const ACCESS_KEYS = [...IMPLICIT_KEYS, 'code', 'flags', 'details', 'cluster', 'upstream_host', 'transport_failure', 'route', 'authority'];

function implicitFields(e: LogEvent, message: string): Fields {
  const a = e.access;
  if (!a) return new Fields(IMPLICIT_KEYS, [message, e.level ?? '', e.logger ?? '', e.layout, e.kind ?? '', e.thread ?? '']);
  return new Fields(ACCESS_KEYS, [
    message,
    e.level ?? '',
    e.logger ?? '',
    e.layout,
    e.kind ?? '',
    e.thread ?? '',
    a.code,
    a.flags,
    a.details,
    a.cluster,
    a.upstreamHost,
    a.transportFailure,
    a.route,
    a.authority,
  ]);
}

function run(c: Prepared, e: LogEvent, message: string): Finding[] {
  const p = c.p;
  if (p.spec.match.all) {
    const matches: RegExpExecArray[] = [];
    p.regex.lastIndex = 0;
    for (const m of message.matchAll(p.regex)) {
      matches.push(m as RegExpExecArray);
      if (matches.length >= 100) break;
    }
    if (matches.length === 0) return [];
    const base = implicitFields(e, message);
    return matches.map((m) => finding(c, e, m, base.copy(), message));
  }
  const m = p.regex.exec(message);
  if (!m) return [];
  return [finding(c, e, m, implicitFields(e, message), message)];
}

/** `fields` is the finding's own (it is filled in here). */
function finding(c: Prepared, e: LogEvent, m: RegExpExecArray, fields: Fields, message: string): Finding {
  const p = c.p;
  const groups = m.groups;
  if (groups) {
    for (const k of c.groupNames ?? Object.keys(groups)) {
      const v = groups[k];
      if (v !== undefined) fields.set(k, v);
    }
  }
  for (const [name, from, fn] of p.derived) fields.set(name, fn(fields.get(from) ?? ''));
  const spec = p.spec;
  let cause = spec.cause as Finding['cause'];
  let confidence = spec.confidence;
  let severity = spec.severity;
  let title = spec.title;
  let explanation = spec.explanation;
  let alternatives = spec.alternatives as Finding['alternatives'];
  let remediation: readonly string[] = spec.remediation;
  let signals = p.signals;
  const rules = p.rules;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (!conditionsHold(r.when, fields, true)) continue;
    if (!conditionsHold(r.unless, fields, false)) continue;
    cause = r.cause;
    confidence = r.confidence;
    severity = r.severity ?? severity;
    title = r.title ?? title;
    explanation = c.ruleExplanations[i]!;
    alternatives = r.alternatives;
    if (r.remediation) remediation = [...r.remediation, ...spec.remediation];
    if (r.signals) signals = r.signals;
    break;
  }
  // A general-tier finding only recognised words: it is as grave as its line says, no more.
  if (p.tier === 'general' && e.level !== null) severity = LEVEL_SEVERITY[e.level];
  const subject: Record<string, string> = {};
  for (const k of spec.subject) {
    const v = fields.get(k);
    if (v) subject[k] = v;
  }
  // Context findings are most of the findings of a busy log and are read only for their subject
  // and cause (plugin activity): their texts are worked out only if somebody asks.
  if (spec.role === 'context') {
    return new ContextFinding(p.id, spec.consequenceOf as Finding['consequenceOf'], spec.match.minCount, cause, severity, confidence, alternatives, subject, e, remediation, signals, fields, title, explanation, message, m.index);
  }
  // Point the evidence at the physical line the match stands on.
  const { line, text } = lineOf(e, message, m.index);
  return {
    patternId: p.id,
    cause,
    severity,
    confidence,
    alternatives,
    fields: fields.shown(),
    subject,
    title: fillWith(title, fields),
    role: spec.role,
    tier: p.tier,
    signals,
    repeated: spec.repeated as Finding['repeated'],
    consequenceOf: spec.consequenceOf as Finding['consequenceOf'],
    minCount: spec.match.minCount,
    event: e,
    line,
    text,
    explanation: fillWith(explanation, fields),
    remediation,
  };
}

/** The physical line a match at `index` of the message stands on, and its text. */
function lineOf(e: LogEvent, message: string, index: number): { line: number; text: string } {
  const line = e.lineMap?.[countNewlines(message, index)] ?? e.line;
  const idx = e.lineNumbers.indexOf(line);
  return { line, text: e.lines[idx < 0 ? 0 : idx] ?? '' };
}

/**
 * A finding of a context pattern: same content as any finding, but fields, title, explanation and
 * evidence line are built on first read (most are never read). Plain data when serialised.
 */
class ContextFinding implements Finding {
  readonly role = 'context' as const;
  readonly tier = 'exact' as const;
  private shownFields: Record<string, string> | null = null;
  private filledTitle: string | null = null;
  private filledExplanation: string | null = null;
  private where: { line: number; text: string } | null = null;

  constructor(
    readonly patternId: string,
    readonly consequenceOf: Finding['consequenceOf'],
    readonly minCount: number | undefined,
    readonly cause: Finding['cause'],
    readonly severity: Finding['severity'],
    readonly confidence: number,
    readonly alternatives: Finding['alternatives'],
    readonly subject: Record<string, string>,
    readonly event: LogEvent,
    readonly remediation: readonly string[],
    readonly signals: readonly Signal[],
    private readonly raw: Fields,
    private readonly titleTemplate: string,
    private readonly explanationTemplate: string,
    private readonly message: string,
    private readonly index: number,
  ) {}

  get fields(): Record<string, string> {
    return (this.shownFields ??= this.raw.shown());
  }

  get title(): string {
    return (this.filledTitle ??= fillWith(this.titleTemplate, this.raw));
  }

  get explanation(): string {
    return (this.filledExplanation ??= fillWith(this.explanationTemplate, this.raw));
  }

  get line(): number {
    return (this.where ??= lineOf(this.event, this.message, this.index)).line;
  }

  get text(): string {
    return (this.where ??= lineOf(this.event, this.message, this.index)).text;
  }

  /** The same keys, in the same order, as any other finding. */
  toJSON(): Finding {
    return {
      patternId: this.patternId,
      cause: this.cause,
      severity: this.severity,
      confidence: this.confidence,
      alternatives: this.alternatives,
      fields: this.fields,
      subject: this.subject,
      title: this.title,
      role: this.role,
      tier: this.tier,
      signals: this.signals,
      consequenceOf: this.consequenceOf,
      minCount: this.minCount,
      event: this.event,
      line: this.line,
      text: this.text,
      explanation: this.explanation,
      remediation: this.remediation,
    };
  }
}

const LEVEL_SEVERITY: Record<Level, Finding['severity']> = { trace: 'info', debug: 'info', info: 'info', warning: 'warning', error: 'error', critical: 'critical' };

/** `when` (every = true): all conditions hold; `unless` (every = false): none holds. */
function conditionsHold(conds: ReadonlyArray<readonly [string, RegExp]>, fields: Fields, every: boolean): boolean {
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i]!;
    if (c[1].test(fields.get(c[0]) ?? '') !== every) return false;
  }
  return true;
}

function countNewlines(s: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0 && i < end; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** Templates split at their placeholders: text, field name, text, …, text. */
const templates = new Map<string, string[]>();

/** Replace `{field}` placeholders; a missing or empty field reads as `?`. */
export function fill(template: string, fields: Readonly<Record<string, string>>): string {
  const parts = templateParts(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) out += shownValue(fields[parts[i]!]) + parts[i + 1]!;
  return out;
}

function fillWith(template: string, fields: Fields): string {
  const parts = templateParts(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) out += shownValue(fields.get(parts[i]!)) + parts[i + 1]!;
  return out;
}

function shownValue(v: string | undefined): string {
  return v ? v.replace(/\s+/g, ' ').slice(0, 200) : '?';
}

/** A template split at its placeholders: text, field name, text, …, text. */
function templateParts(template: string): readonly string[] {
  let parts = templates.get(template);
  if (!parts) {
    parts = [];
    let last = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      parts.push(template.slice(last, m.index), m[1]!);
      last = m.index + m[0].length;
    }
    parts.push(template.slice(last));
    if (templates.size >= 1000) templates.clear();
    templates.set(template, parts);
  }
  return parts;
}

// ---- substrings a regex cannot match without --------------------------------------------------

/**
 * Literal substrings every match of `re` contains, found by a conservative reading of its source:
 * runs of plain characters in the parts that must always match (the top-level sequence, groups
 * without a quantifier, positive lookarounds). Alternatives, optional or repeated parts, classes
 * and anything not understood contribute nothing, so the answer can be incomplete but never wrong.
 * For a case-insensitive regex they hold case-insensitively. Unicode-mode regexes give none.
 */
export function requiredSubstrings(re: RegExp): string[] {
  if (re.unicode || (re as RegExp & { unicodeSets?: boolean }).unicodeSets) return [];
  const out = new Set<string>();
  try {
    const end = requiredIn(re.source, 0, out, true);
    if (end !== re.source.length) return [];
  } catch {
    return [];
  }
  return [...out].filter((x) => x.length >= 2);
}

/** Escapes that stand for one plain character (identity escapes of syntax and punctuation). */
const SYNTAX_ESCAPES = new Set([...'^$\\.*+?()[]{}|/-:,=!<>@#%&~`\'"_ ']);
const CONTROL_ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v' };

/**
 * Reads a sequence from `i` up to its closing `)` (or the end of the source) and returns that
 * index; when `take`, adds the substrings the sequence requires to `out`. With alternatives
 * (`a|b`), only what every alternative requires counts (see commonSubstrings). Throws on anything
 * it does not understand (the caller then gives up: no substrings).
 */
function requiredIn(src: string, i: number, out: Set<string>, take: boolean): number {
  const branches: string[][] = [];
  let found: string[] = [];
  let run = '';
  const flush = (): void => {
    if (run.length > 0) found.push(run);
    run = '';
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === ')') break;
    if (c === '|') {
      flush();
      branches.push(found);
      found = [];
      i++;
      continue;
    }
    if (c === '^' || c === '$') {
      // Zero-width: ends the run.
      flush();
      i++;
      continue;
    }
    // One atom: a plain character (`lit`), or something else whose own requirements are `inner`.
    let lit: string | null = null;
    let inner: Set<string> | null = null;
    if (c === '(') {
      let j = i + 1;
      let kind: 'group' | 'positive' | 'negative' = 'group';
      if (src.startsWith('?:', j)) j += 2;
      else if (src.startsWith('?=', j)) (kind = 'positive'), (j += 2);
      else if (src.startsWith('?<=', j)) (kind = 'positive'), (j += 3);
      else if (src.startsWith('?!', j)) (kind = 'negative'), (j += 2);
      else if (src.startsWith('?<!', j)) (kind = 'negative'), (j += 3);
      else if (src.startsWith('?<', j)) {
        const close = src.indexOf('>', j);
        if (close < 0) throw new Error('bad group name');
        j = close + 1;
      } else if (src[j] === '?') throw new Error('unknown group');
      const mine = new Set<string>();
      const close = requiredIn(src, j, mine, kind !== 'negative');
      if (src[close] !== ')') throw new Error('unclosed group');
      i = close + 1;
      inner = mine;
    } else if (c === '[') {
      // In JS a `]` right after `[` or `[^` closes the class (`[]`, `[^]`).
      let j = i + 1;
      if (src[j] === '^') j++;
      while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      if (src[j] !== ']') throw new Error('unclosed class');
      i = j + 1;
    } else if (c === '\\') {
      const d = src[i + 1];
      if (d === undefined) throw new Error('trailing backslash');
      i += 2;
      if (CONTROL_ESCAPES[d] !== undefined) lit = CONTROL_ESCAPES[d]!;
      else if (SYNTAX_ESCAPES.has(d)) lit = d;
      else if (d === 'b' || d === 'B') {
        // A zero-width assertion: ends the run.
      } else if (d === 'x' || d === 'u') {
        // Not taken as a character; its length must be right or what follows is misread.
        const n = d === 'x' ? 2 : 4;
        for (let k = 0; k < n; k++) if (!/[0-9A-Fa-f]/.test(src[i + k] ?? '')) throw new Error('bad escape');
        i += n;
      } else if (d === 'c') {
        if (!/[A-Za-z]/.test(src[i] ?? '')) throw new Error('bad escape');
        i++;
      } else if (d === 'k') throw new Error('named back-reference');
      else if (d >= '0' && d <= '9') {
        while (i < src.length && src[i]! >= '0' && src[i]! <= '9') i++;
      }
      // Anything else (\d \w \s \D \W \S, identity escapes of letters): one character, not taken.
    } else if (c === '.') {
      i++;
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && quantifierAt(src, i))) {
      throw new Error('nothing to repeat');
    } else {
      lit = c;
      i++;
    }
    const q = quantifierAt(src, i);
    if (q) {
      // Optional or repeated: the character does not join the run; a group repeated at least
      // once still requires what it requires.
      i = q.end;
      flush();
      if (inner && q.min >= 1) for (const x of inner) found.push(x);
      continue;
    }
    if (lit !== null) {
      run += lit;
      continue;
    }
    flush();
    if (inner) for (const x of inner) found.push(x);
  }
  flush();
  if (take) {
    if (branches.length === 0) for (const x of found) out.add(x);
    else for (const x of commonSubstrings([...branches, found])) out.add(x);
  }
  return i;
}

/**
 * Substrings (3+ characters) that every alternative requires: each is inside some required
 * substring of every branch. Only the longest are kept. A branch that requires nothing makes
 * the answer empty.
 */
function commonSubstrings(branches: readonly (readonly string[])[]): string[] {
  if (branches.some((b) => b.length === 0)) return [];
  // Candidates come from the branch with the least text (a common part is in it too).
  const size = (b: readonly string[]): number => b.reduce((n, x) => n + x.length, 0);
  const first = branches.reduce((a, b) => (size(b) < size(a) ? b : a));
  if (size(first) > 200) return [];
  const kept: string[] = [];
  const candidates = new Set<string>();
  for (const r of first) for (let a = 0; a < r.length; a++) for (let b = r.length; b - a >= 3; b--) candidates.add(r.slice(a, b));
  for (const s of [...candidates].sort((x, y) => y.length - x.length)) {
    if (kept.some((k) => k.includes(s))) continue;
    if (branches.every((b) => b.some((r) => r.includes(s)))) kept.push(s);
  }
  return kept;
}

/** A quantifier at i (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy): its minimum and end. */
function quantifierAt(src: string, i: number): { min: number; end: number } | null {
  const c = src[i];
  let min: number;
  let end: number;
  if (c === '*' || c === '?') {
    min = 0;
    end = i + 1;
  } else if (c === '+') {
    min = 1;
    end = i + 1;
  } else if (c === '{') {
    const m = /^\{(\d+)(?:,(\d*))?\}/.exec(src.slice(i, i + 24));
    if (!m) return null;
    min = Number(m[1]);
    end = i + m[0].length;
  } else return null;
  if (src[end] === '?') end++;
  return { min, end };
}
