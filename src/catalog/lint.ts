// The catalog's lint: what a pattern file must be beyond its schema (compileSpec checks fields,
// regexes and the declared tier and signals). Run by the suite on the built-in catalog and by
// `higress-doctor patterns test` on the user's files, so both hold pattern files to one standard.
import { CAUSE_IDS } from '../causes.js';
import { riskyLiteral } from '../lines/context-lane.js';
import type { CompiledPattern } from './load.js';

export interface LintProblem {
  readonly file: string;
  readonly id: string;
  readonly problem: string;
}

/**
 * A regex must stay linear on the hostile lines a log can hold: this long on 64 KiB of them means
 * catastrophic backtracking (a linear regex takes well under a millisecond per KiB), not a slow
 * machine. Speed itself is measured by `npm run bench`, never asserted.
 */
export const REGEX_HANG_MS = 1000;

/**
 * Problems of `patterns`; `whole`: they are the whole built-in catalog (every cause must be
 * covered); `hangMs`: the regex budget on hostile input.
 */
export function lintPatterns(patterns: readonly CompiledPattern[], whole = false, hangMs = REGEX_HANG_MS): LintProblem[] {
  const out: LintProblem[] = [];
  const say = (p: CompiledPattern, problem: string): void => {
    out.push({ file: p.file, id: p.id, problem });
  };
  const seen = new Set<string>();
  for (const p of patterns) {
    if (!/^HD-[A-Z]+-\d{3}$/.test(p.id)) say(p, 'the id must look like HD-<AREA>-<nnn>');
    if (seen.has(p.id)) say(p, 'the id is used twice');
    seen.add(p.id);
    if (p.spec.explanation.length <= 20) say(p, 'the explanation must say what the line means (more than 20 characters)');
    if (p.spec.examples.nomatch.length === 0) say(p, 'needs a near-miss example (examples.nomatch)');
    const shown = new Set(p.spec.examples.match.map((e) => e.cause));
    // The fallback cause need not be shown when rules cover the space, but each rule's must be.
    for (const r of p.rules) if (!shown.has(r.cause)) say(p, `no example yields ${r.cause}, the cause of a rule`);
    for (const l of p.literals) if (riskyLiteral(l)) say(p, `the literal ${JSON.stringify(l)} starts or ends with a hex-looking word an id mask could cut (context lane)`);
    if (p.spec.harmless && p.spec.role !== 'context') say(p, 'only a context pattern can call its line harmless (`harmless: true`)');
    const slow = hostileCost(p, hangMs);
    if (slow !== null) say(p, `the regex takes ${slow} ms on hostile 64 KiB input (catastrophic backtracking)`);
  }
  if (whole) {
    const yielded = new Set(patterns.flatMap((p) => [p.spec.cause, ...p.rules.map((r) => r.cause)]));
    for (const c of CAUSE_IDS) if (c !== 'unknown' && !yielded.has(c)) out.push({ file: '(catalog)', id: '-', problem: `no pattern yields ${c}` });
  }
  return out;
}

/** The worst time of the regex on lines built to make a backtracking regex blow up, if too long. */
function hostileCost(p: CompiledPattern, hangMs: number): number | null {
  const re = new RegExp(p.regex.source, p.regex.flags.replace('g', ''));
  for (const lit of p.literals.length ? p.literals : ['']) {
    const inputs = [lit + ' '.repeat(65536), lit + 'a'.repeat(65536), (lit + ': ').repeat(Math.floor(65536 / (lit.length + 2))), lit + '\t* '.repeat(20000) + 'x'];
    for (const s of inputs) {
      const t0 = performance.now();
      re.exec(s);
      const ms = performance.now() - t0;
      if (ms > hangMs) return Math.round(ms * 10) / 10;
    }
  }
  return null;
}
