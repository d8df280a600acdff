// Which catalog literals a candidate line holds, found on its bytes where the line is scanned.
// The scan worker runs this next to the prefilter, so the thread that matches gets, with each
// line, the literals present (and where each last ends) instead of searching the text again.
//
// Bytes and text agree: literals are searched as their UTF-8 bytes, and a UTF-8 decoder never
// merges bytes of a valid sequence with a broken one before it, so a literal is in the decoded
// line exactly when its bytes are in the raw line.
import { buildAutomaton, ENDS, STATE_MASK } from './automaton.js';

/**
 * Aho–Corasick over bytes (automaton.ts), over the byte values that occur in the literals.
 * Ids are the literals' indexes in the list it was built from.
 */
export class ByteLiteralSearch {
  private readonly classOf = new Uint8Array(256);
  private readonly classes: number;
  private readonly delta: Uint16Array;
  private readonly outputs: ReadonlyArray<readonly number[] | null>;
  /** slot[id] = position in the current output of literal id, valid when stamp[id] === gen. */
  private readonly slot: Int32Array;
  private readonly stamp: Int32Array;
  private gen = 0;

  constructor(literals: readonly string[]) {
    const encoded = literals.map((l) => Buffer.from(l, 'utf8'));
    let classes = 1;
    for (const b of encoded) for (const c of b) if (this.classOf[c] === 0) this.classOf[c] = classes++;
    if (classes > 255) throw new Error('too many distinct bytes in the literals');
    this.slot = new Int32Array(literals.length);
    this.stamp = new Int32Array(literals.length);
    const a = buildAutomaton(
      encoded.map((b) => Array.from(b, (c) => this.classOf[c]!)),
      classes,
    );
    this.classes = a.classes;
    this.delta = a.delta;
    this.outputs = a.outputs;
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
