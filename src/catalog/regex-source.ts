// Reading a pattern's regex from its source, once per catalog: the names of its groups in the
// order a match lists them, and the plain substrings every match must contain (a cheap test that
// skips the regex when one is missing).

/**
 * Named groups of a regex in source order (the order `m.groups` lists them), read from its
 * source: escapes and classes are stepped over, `(?<name>` is a group (`(?<=` and `(?<!` are
 * not). Null when the source reads oddly (then each match's groups are listed instead).
 */
export function groupNamesOf(re: RegExp): string[] | null {
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

/**
 * Literal substrings every match of `re` contains, found by a conservative reading of its source:
 * runs of plain characters in the parts that must always match (the top-level sequence, groups
 * without a quantifier, positive lookarounds). Alternatives, optional or repeated parts, classes
 * and anything not understood contribute nothing, so the answer can be incomplete but never wrong.
 * For a case-insensitive regex they hold case-insensitively. Unicode-mode regexes give none.
 */
export function requiredSubstrings(re: RegExp): string[] {
  return readRequirements(re)?.all ?? [];
}

/**
 * Sets of substrings of which every match of `re` contains at least one, beyond requiredSubstrings: what
 * alternatives require between them. `ab(?=xy|yz)|bc` gives [ab, bc] and [xy, yz, bc]: no match lacks both of the
 * first or all of the second. A pattern whose regex reads two shapes (an access entry's flag or details, or a reply's
 * body) is then skipped, without running it, for a message that holds none of what either shape needs. Conservative
 * like requiredSubstrings: incomplete, never wrong.
 */
export function requiredAlternatives(re: RegExp): string[][] {
  const r = readRequirements(re);
  if (!r) return [];
  // A set holding a part of a required substring is met whenever the regex could match at all.
  return r.anyOf.filter((set) => !set.some((x) => r.all.some((a) => a.includes(x))));
}

function readRequirements(re: RegExp): { all: string[]; anyOf: string[][] } | null {
  if (re.unicode || (re as RegExp & { unicodeSets?: boolean }).unicodeSets) return null;
  const out = new Set<string>();
  const anyOf: string[][] = [];
  try {
    const end = requiredIn(re.source, 0, out, true, anyOf);
    if (end !== re.source.length) return null;
  } catch {
    return null;
  }
  return { all: [...out].filter((x) => x.length >= 2), anyOf: anyOf.filter((set) => set.every((x) => x.length >= 2)) };
}

/** At most this many sets from one alternation (each a choice of one requirement per branch). */
const MAX_ANY_OF = 16;

/**
 * The sets an alternation requires: one requirement from each branch (a substring, or a set of its own), together.
 * A branch requiring nothing gives none. A set with a substring of another of its members keeps the shorter
 * (where the longer is, the shorter is too).
 */
function alternativesOf(branches: ReadonlyArray<{ readonly found: readonly string[]; readonly anyOf: readonly string[][] }>): string[][] {
  const choices = branches.map((b) => uniqueSets([...b.found.map((x) => [x]), ...b.anyOf]));
  if (choices.some((c) => c.length === 0)) return [];
  let sets: string[][] = [[]];
  for (const c of choices) {
    const next: string[][] = [];
    for (const set of sets) for (const pick of c) if (next.length < MAX_ANY_OF) next.push([...set, ...pick]);
    sets = next;
  }
  return uniqueSets(sets);
}

/** Each set simplified (members once, a member holding another dropped), each set once. */
function uniqueSets(sets: readonly (readonly string[])[]): string[][] {
  const seen = new Map<string, string[]>();
  for (const set of sets) {
    const unique = [...new Set(set)];
    const simple = unique.filter((x) => !unique.some((y) => y !== x && x.includes(y))).sort();
    const key = simple.join('\u0000');
    if (!seen.has(key)) seen.set(key, simple);
  }
  return [...seen.values()];
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
function requiredIn(src: string, i: number, out: Set<string>, take: boolean, outAny: string[][]): number {
  const branches: Array<{ found: string[]; anyOf: string[][] }> = [];
  let found: string[] = [];
  // Sets this branch requires one of (from alternations in its groups).
  let anyOf: string[][] = [];
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
      branches.push({ found, anyOf });
      found = [];
      anyOf = [];
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
    let innerAny: string[][] = [];
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
      const mineAny: string[][] = [];
      const close = requiredIn(src, j, mine, kind !== 'negative', mineAny);
      if (src[close] !== ')') throw new Error('unclosed group');
      i = close + 1;
      inner = mine;
      innerAny = mineAny;
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
      if (inner && q.min >= 1) {
        for (const x of inner) found.push(x);
        anyOf.push(...innerAny);
      }
      continue;
    }
    if (lit !== null) {
      run += lit;
      continue;
    }
    flush();
    if (inner) for (const x of inner) found.push(x);
    anyOf.push(...innerAny);
  }
  flush();
  if (take) {
    if (branches.length === 0) {
      for (const x of found) out.add(x);
      outAny.push(...anyOf);
    } else {
      const all = [...branches, { found, anyOf }];
      for (const x of commonSubstrings(all.map((b) => b.found))) out.add(x);
      outAny.push(...alternativesOf(all));
    }
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
