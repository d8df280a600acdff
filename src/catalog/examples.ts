// Every pattern proves itself: its `examples.match` texts must be won by it with the cause and
// fields it claims, its `examples.nomatch` texts must not be. The texts run through the real
// pipeline stages (prefilter, wrappers, layouts, multi-line assembly), not through the regex alone.
import type { Finding, LogEvent } from '../model.js';
import { LineScanner } from '../lines/scanner.js';
import { FastLiterals } from '../lines/prefilter.js';
import { Assembler } from '../parse/assemble.js';
import type { Catalog, CompiledPattern } from './load.js';
import { matchEvent } from './match.js';

export interface ExampleResult {
  readonly patternId: string;
  readonly file: string;
  readonly kind: 'match' | 'nomatch';
  readonly index: number;
  readonly ok: boolean;
  readonly problem?: string;
}

/** Events of a text, as the pipeline would make them. */
export function eventsOf(text: string, catalog: Catalog, input = 'example'): LogEvent[] {
  const events: LogEvent[] = [];
  const asm = new Assembler((e) => events.push(e));
  asm.beginInput(input);
  const scanner = new LineScanner(asm, { literals: new FastLiterals(catalog.lowLevelLiterals) });
  scanner.push(Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'utf8'));
  scanner.end();
  asm.flush();
  return events;
}

export function findingsOf(text: string, catalog: Catalog): Finding[] {
  return eventsOf(text, catalog).flatMap((e) => matchEvent(catalog, e));
}

export function runExamples(catalog: Catalog, only?: ReadonlySet<string>): ExampleResult[] {
  const results: ExampleResult[] = [];
  for (const p of catalog.patterns) {
    if (only && !only.has(p.id)) continue;
    p.spec.examples.match.forEach((ex, index) => {
      results.push({ patternId: p.id, file: p.file, kind: 'match', index, ...checkMatch(p, catalog, ex) });
    });
    p.spec.examples.nomatch.forEach((text, index) => {
      const mine = findingsOf(text, catalog).filter((f) => f.patternId === p.id);
      results.push({
        patternId: p.id,
        file: p.file,
        kind: 'nomatch',
        index,
        ok: mine.length === 0,
        problem: mine.length ? `matched, but must not (cause ${mine[0]!.cause})` : undefined,
      });
    });
  }
  return results;
}

function checkMatch(
  p: CompiledPattern,
  catalog: Catalog,
  ex: CompiledPattern['spec']['examples']['match'][number],
): { ok: boolean; problem?: string } {
  const all = findingsOf(ex.text, catalog);
  const mine = all.filter((f) => f.patternId === p.id);
  if (mine.length === 0) {
    const others = [...new Set(all.map((f) => f.patternId))];
    return { ok: false, problem: others.length ? `claimed by ${others.join(', ')} instead` : 'no match' };
  }
  if (ex.count !== undefined && mine.length !== ex.count) return { ok: false, problem: `expected ${ex.count} finding(s), got ${mine.length}` };
  const f = mine.find((x) => x.cause === ex.cause);
  if (!f) return { ok: false, problem: `expected cause ${ex.cause}, got ${mine.map((x) => x.cause).join(', ')}` };
  for (const [k, v] of Object.entries(ex.fields ?? {})) {
    const got = k in f.subject ? f.subject[k] : f.fields[k];
    if (got !== v) return { ok: false, problem: `field ${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(got)}` };
  }
  return { ok: true };
}
