// The catalog proves itself: every pattern's examples run through the real pipeline, and the
// catalog is linted (ids, remediation, cause coverage, regex cost).
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load.js';
import { runExamples } from '../src/catalog/examples.js';
import { CAUSE_IDS } from '../src/causes.js';

const catalog = loadCatalog();

describe('catalog examples', () => {
  const results = runExamples(catalog);
  it('has examples to run', () => {
    expect(results.length).toBeGreaterThan(catalog.patterns.length);
  });
  for (const r of results) {
    it(`${r.patternId} ${r.kind} #${r.index + 1} (${r.file})`, () => {
      expect(r.problem ?? 'ok').toBe('ok');
      expect(r.ok).toBe(true);
    });
  }
});

describe('catalog lint', () => {
  it('ids follow HD-<AREA>-<nnn> and are unique', () => {
    const ids = catalog.patterns.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^HD-[A-Z]+-\d{3}$/);
  });

  it('every pattern has remediation, an explanation and a non-match example or rules', () => {
    for (const p of catalog.patterns) {
      expect(p.spec.remediation.length, p.id).toBeGreaterThan(0);
      expect(p.spec.explanation.length, p.id).toBeGreaterThan(20);
      expect(p.spec.examples.nomatch.length, `${p.id} needs a near-miss example`).toBeGreaterThan(0);
    }
  });

  it('every rule cause is exercised by an example', () => {
    for (const p of catalog.patterns) {
      const causes = new Set(p.spec.examples.match.map((e) => e.cause));
      // The fallback cause need not be shown when rules cover the space, but each rule's must be.
      for (const r of p.rules) expect(causes.has(r.cause), `${p.id}: no example yields ${r.cause}`).toBe(true);
    }
  });

  it('covers every cause id except unknown', () => {
    const yielded = new Set(catalog.patterns.flatMap((p) => [p.spec.cause, ...p.rules.map((r) => r.cause)]));
    const missing = CAUSE_IDS.filter((c) => c !== 'unknown' && !yielded.has(c));
    expect(missing).toEqual([]);
  });

  it('no regex takes more than 50 ms on hostile 64 KiB input', () => {
    for (const p of catalog.patterns) {
      const lit = p.literals[0]!;
      const inputs = [
        lit + ' '.repeat(65536),
        lit + 'a'.repeat(65536),
        (lit + ': ').repeat(Math.floor(65536 / (lit.length + 2))),
        lit + '\t* '.repeat(20000) + 'x',
      ];
      for (const s of inputs) {
        const re = new RegExp(p.regex.source, p.regex.flags.replace('g', ''));
        const t0 = performance.now();
        re.exec(s);
        const ms = performance.now() - t0;
        expect(ms, `${p.id} regex on hostile input`).toBeLessThan(50);
      }
    }
  });
});
