// What matching works out once per catalog: the patterns prepared (required substrings, group
// names), which patterns apply to an event's layout, level and logger, the literal search over a
// message, and what the scanner needs of the literals (their ids, which are chatter only).
import type { AccessFields, Finding, LayoutId, Level } from '../model.js';
import { isChatter, LAYOUT_INDEX, LEVEL_RANK } from '../model.js';
import type { Catalog, CompiledPattern } from './load.js';
import { buildAutomaton, ENDS, STATE_MASK } from '../lines/automaton.js';
import { groupNamesOf, requiredAlternatives, requiredSubstrings } from './regex-source.js';

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
  const chatter = (p: CompiledPattern): boolean => isChatter({ role: p.spec.role, signals: p.signals });
  return ix.literalList.map((_, id) => {
    const ps = ix.patternsWith(id).map((i) => ix.prepared[i]!.p);
    if (ps.every(chatter)) return 1;
    // `fetch` of a general pattern in an info line `fetching image …`: nothing but chatter can match it.
    return ps.every((p) => chatter(p) || LEVEL_RANK[p.minLevel] >= LEVEL_RANK.warning) ? 2 : 0;
  });
}

const indexes = new WeakMap<Catalog, MatchIndex>();

export function indexFor(catalog: Catalog): MatchIndex {
  let ix = indexes.get(catalog);
  if (!ix) {
    ix = new MatchIndex(catalog.patterns);
    indexes.set(catalog, ix);
  }
  return ix;
}

/** A pattern with what matching needs of it, worked out once. */
export interface Prepared {
  readonly p: CompiledPattern;
  /**
   * Substrings every match of its regex contains (beyond its literal); for a case-insensitive
   * regex, as case-insensitive regexes of the substring.
   */
  readonly required: ReadonlyArray<string | RegExp>;
  /**
   * Sets of substrings every match contains one of (requiredAlternatives), in the same form; none its literals meet.
   * Reordered as they are checked (match.ts possibleAny).
   */
  readonly anyOf: Array<ReadonlyArray<string | RegExp>>;
  /** `${because} ${explanation}` of each rule, built once. */
  readonly ruleExplanations: readonly string[];
  /** Named groups of its regex, in the order `m.groups` lists them (null: list them per match). */
  readonly groupNames: readonly string[] | null;
  /** It names a plugin (a `plugin` field or subject): a bare plugin line's own `[name]` may give it (match.ts). */
  readonly namesPlugin: boolean;
}

/** Which patterns apply to one kind of event (layout, level, logger). */
export interface Applicable {
  /** mask[i] === 1 when pattern i (catalog order) applies. */
  readonly mask: Uint8Array;
  readonly count: number;
  /** Messages matched before under these filters: the index of the pattern that won, or −1. */
  readonly winners: Map<string, number>;
  /**
   * The findings an access-log message gave (match.ts `madeBefore`): for a one-line access event
   * every field is the message's, so the same message gives the same findings but for the event.
   */
  readonly made: Map<string, { readonly access: AccessFields; readonly findings: readonly Finding[] }>;
}

/** Distinct loggers remembered per (layout, level); past this the cache for it starts over. */
const MAX_LOGGER_KEYS = 256;
const LEVEL_SLOTS = 7; // six levels and null

class MatchIndex {
  readonly prepared: Prepared[];
  /** Applicable patterns by layout and level (one slot each), then logger. */
  private readonly applicableCache: Array<Map<string | null, Applicable> | undefined> = [];
  /** Built on first use: events scanned on the worker arrive with their literal hits and need none. */
  private literals: LiteralSearch | null = null;
  /** Distinct non-empty literals by id. */
  readonly literalList: readonly string[];
  /** Pattern indexes (ascending) of each literal id. */
  private readonly patternsOf: number[][];
  /** Patterns with an empty literal: candidates for every message. */
  private readonly always: number[] = [];
  private readonly out: number[] = [];

  constructor(patterns: readonly CompiledPattern[]) {
    this.prepared = patterns.map((p) => {
      // A candidate message holds one of the pattern's literals: what every literal holds (a substring, or a member of
      // a set) is known to be there and not checked again. An empty literal (a candidate for every message) holds nothing.
      const literals = p.literals;
      const metByLiterals = (set: readonly string[]): boolean => literals.length > 0 && literals.every((l) => set.some((x) => l.includes(x)));
      const needle = (x: string): string | RegExp => (p.regex.ignoreCase ? new RegExp(x.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'i') : x);
      const required = (p.required ?? requiredSubstrings(p.regex)).filter((x) => !metByLiterals([x])).map(needle);
      // Members a literal holds first: a candidate holds one of its literals, so such a member is likely there and the
      // set met without reading the message for the others.
      const likely = (x: string): number => (literals.some((l) => l.includes(x)) ? 0 : 1);
      const anyOf = (p.anyOf ?? requiredAlternatives(p.regex))
        .filter((set) => !metByLiterals(set))
        .map((set) => [...set].sort((a, b) => likely(a) - likely(b)).map(needle));
      const ruleExplanations = p.rules.map((r) => `${r.because} ${p.spec.explanation}`);
      const namesPlugin = p.spec.subject.includes('plugin') || p.derived.some(([name]) => name === 'plugin');
      return { p, required, anyOf, ruleExplanations, groupNames: groupNamesOf(p.regex), namesPlugin };
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
      a = { mask, count, winners: new Map(), made: new Map() };
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
    this.literals ??= new LiteralSearch(this.literalList);
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

function applies(p: CompiledPattern, layout: LayoutId, level: Level | null, logger: string | null): boolean {
  if (p.layouts && !p.layouts.has(layout)) return false;
  if (p.loggers && (logger === null || !p.loggers.has(logger))) return false;
  if (level !== null && LEVEL_RANK[level] < LEVEL_RANK[p.minLevel]) return false;
  if (p.maxLevel !== null && level !== null && LEVEL_RANK[level] > LEVEL_RANK[p.maxLevel]) return false;
  return true;
}
