// The Aho–Corasick automaton both literal searches run: over the bytes of a scanned line
// (literal-hits.ts) and over the characters of an event's message (catalog/match.ts). Symbols are
// mapped to a few classes (those that occur in the literals; 0 = any other, which resets).

/** In a delta entry: literals end in the target state (see Automaton.outputs). */
export const ENDS = 0x8000;
/** In a delta entry: the target state. */
export const STATE_MASK = 0x7fff;

export interface Automaton {
  readonly classes: number;
  /**
   * delta[state * classes + class] = next state, | ENDS when literals end there. 16-bit entries
   * keep the table in the CPU's cache (with 32-bit row offsets every symbol cost a cache miss).
   */
  readonly delta: Uint16Array;
  /** Ids of the literals ending in each state (its own and through failure links), or null. */
  readonly outputs: ReadonlyArray<readonly number[] | null>;
}

/**
 * The automaton of `literals` (each a sequence of symbol classes 1..classes−1; ids are their
 * indexes; empty ones are left out).
 */
export function buildAutomaton(literals: ReadonlyArray<ArrayLike<number>>, classes: number): Automaton {
  // The trie: edges per state as [class, target] pairs.
  const edges: number[][] = [[]];
  const own: number[][] = [[]];
  literals.forEach((l, id) => {
    if (l.length === 0) return;
    let s = 0;
    for (let i = 0; i < l.length; i++) {
      const k = l[i]!;
      const e = edges[s]!;
      let t = -1;
      for (let j = 0; j < e.length; j += 2) if (e[j] === k) t = e[j + 1]!;
      if (t < 0) {
        t = edges.length;
        edges.push([]);
        own.push([]);
        e.push(k, t);
      }
      s = t;
    }
    own[s]!.push(id);
  });
  const states = edges.length;
  if (states > STATE_MASK) throw new Error('too many literal symbols for the search automaton');
  const delta = new Uint16Array(states * classes);
  const outputs: Array<readonly number[] | null> = new Array<readonly number[] | null>(states).fill(null);
  const fail = new Int32Array(states);
  const queue = new Int32Array(states);
  let tail = 0;
  queue[tail++] = 0;
  // Breadth first: a state's row is its failure state's row (a block copy) with its own edges
  // written over it; entries are already in the encoded form the searches read.
  for (let q = 0; q < tail; q++) {
    const s = queue[q]!;
    const row = s * classes;
    if (s !== 0) delta.copyWithin(row, fail[s]! * classes, fail[s]! * classes + classes);
    const e = edges[s]!;
    for (let j = 0; j < e.length; j += 2) {
      const k = e[j]!;
      const t = e[j + 1]!;
      const f = s === 0 ? 0 : delta[fail[s]! * classes + k]! & STATE_MASK;
      fail[t] = f;
      const merged = outputs[f] ? [...own[t]!, ...outputs[f]!] : own[t]!;
      outputs[t] = merged.length > 0 ? merged : null;
      delta[row + k] = outputs[t] ? t | ENDS : t;
      queue[tail++] = t;
    }
  }
  return { classes, delta, outputs };
}
