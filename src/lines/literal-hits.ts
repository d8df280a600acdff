// Which catalog literals a candidate line holds, found on its bytes where the line is scanned.
// The scan worker runs this next to the prefilter, so the thread that matches gets, with each
// line, the literals present (and where each last ends) instead of searching the text again.
//
// Bytes and text agree: literals are searched as their UTF-8 bytes, and a UTF-8 decoder never
// merges bytes of a valid sequence with a broken one before it, so a literal is in the decoded
// line exactly when its bytes are in the raw line.

/**
 * Aho–Corasick over bytes: a table-driven automaton over the byte values that occur in the
 * literals (any other byte resets it). Ids are the literals' indexes in the list it was built from.
 * Entries are 16-bit (state, and a flag for states where literals end) so that the table stays in
 * the CPU's cache: with 32-bit row offsets it did not, and every byte cost a cache miss.
 */
export class ByteLiteralSearch {
  private readonly classOf = new Uint8Array(256);
  private readonly classes: number;
  /** delta[state * classes + class] = next state, | ENDS when literals end there. */
  private readonly delta: Uint16Array;
  private readonly outputs: Array<readonly number[] | null>;
  /** slot[id] = position in the current output of literal id, valid when stamp[id] === gen. */
  private readonly slot: Int32Array;
  private readonly stamp: Int32Array;
  private gen = 0;

  constructor(literals: readonly string[]) {
    const encoded = literals.map((l) => Buffer.from(l, 'utf8'));
    let classes = 1;
    for (const b of encoded) for (const c of b) if (this.classOf[c] === 0) this.classOf[c] = classes++;
    if (classes > 255) throw new Error('too many distinct bytes in the literals');
    this.classes = classes;
    this.slot = new Int32Array(literals.length);
    this.stamp = new Int32Array(literals.length);
    const edges: number[][] = [[]];
    const own: number[][] = [[]];
    encoded.forEach((b, id) => {
      if (b.length === 0) return;
      let s = 0;
      for (const c of b) {
        const k = this.classOf[c]!;
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
    if (states > STATE_MASK) throw new Error('too many literal bytes for the search automaton');
    const delta = new Uint16Array(states * classes);
    const outputs: Array<readonly number[] | null> = new Array<readonly number[] | null>(states).fill(null);
    const fail = new Int32Array(states);
    const queue = new Int32Array(states);
    const encode = (t: number): number => (outputs[t] ? t | ENDS : t);
    const decode = (v: number): number => v & STATE_MASK;
    let tail = 0;
    queue[tail++] = 0;
    // Breadth first: a state's row is its failure state's row with its own edges written over it.
    for (let q = 0; q < tail; q++) {
      const s = queue[q]!;
      const row = s * classes;
      if (s !== 0) delta.copyWithin(row, fail[s]! * classes, fail[s]! * classes + classes);
      const e = edges[s]!;
      for (let j = 0; j < e.length; j += 2) {
        const k = e[j]!;
        const t = e[j + 1]!;
        const f = s === 0 ? 0 : decode(delta[fail[s]! * classes + k]!);
        fail[t] = f;
        const merged = outputs[f] ? [...own[t]!, ...outputs[f]!] : own[t]!;
        outputs[t] = merged.length > 0 ? merged : null;
        delta[row + k] = encode(t);
        queue[tail++] = t;
      }
    }
    this.delta = delta;
    this.outputs = outputs;
  }

  /** Most numbers one line can add to an output: the offset searched from, an (id, end) pair per literal. */
  get maxOutput(): number {
    return 1 + this.slot.length * 2;
  }

  /**
   * Searches the line b[start, end) from `from` on (the bytes before it are a header no message
   * starts in) and writes into out from `at`: `from − start`, then an (id, end) pair per literal
   * found, each literal once, `end` = offset from `start` just past its last occurrence. Returns
   * the new end of the output.
   */
  scan(b: Uint8Array, start: number, from: number, end: number, out: Int32Array, at: number): number {
    if (this.gen === 0x7fffffff) {
      this.stamp.fill(0);
      this.gen = 0;
    }
    const gen = ++this.gen;
    const classOf = this.classOf;
    const delta = this.delta;
    const classes = this.classes;
    out[at] = from - start;
    let n = at + 1;
    let state = 0;
    for (let i = from; i < end; i++) {
      const v = delta[state * classes + classOf[b[i]!]!]!;
      state = v & STATE_MASK;
      if (v >= ENDS) {
        for (const id of this.outputs[state]!) {
          if (this.stamp[id] === gen) out[this.slot[id]! + 1] = i + 1 - start;
          else {
            this.stamp[id] = gen;
            this.slot[id] = n;
            out[n] = id;
            out[n + 1] = i + 1 - start;
            n += 2;
          }
        }
      }
    }
    return n;
  }
}

const ENDS = 0x8000;
const STATE_MASK = 0x7fff;

/**
 * The literal ids of a line's hits (as scan() wrote them) that can lie in its text from `from` on
 * (a message that is the line's tail from `from`): a hit whose last occurrence ends at or before
 * `from` is not in it. Null when the search started past `from` (the message must be searched).
 * `from` counts characters, hits count bytes; bytes ≥ characters, so nothing present is dropped
 * (and a search that started at byte k started at or before character k).
 */
export function hitsFrom(hits: Int32Array, from: number): number[] | null {
  if (hits[0]! > from) return null;
  const ids: number[] = [];
  for (let i = 1; i < hits.length; i += 2) if (hits[i + 1]! > from) ids.push(hits[i]!);
  return ids;
}
