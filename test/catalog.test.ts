// The catalog proves itself: every pattern's examples run through the real pipeline, and the
// catalog is linted (ids, remediation, cause coverage, regex cost).
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load.js';
import { runExamples } from '../src/catalog/examples.js';
import { lintPatterns } from '../src/catalog/lint.js';
import { lintCorrelations } from '../src/diagnose/correlations.js';

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

describe('catalog lint (catalog/lint.ts)', () => {
  it('finds no problem in the built-in catalog', () => {
    expect(lintPatterns(catalog.patterns, true)).toEqual([]);
  });

  it('the correlation table applies to this catalog: its signals are declared, its causes yielded', () => {
    expect(lintCorrelations(catalog.patterns)).toEqual([]);
    // A catalog where nothing declares `memory` would leave memory-explains-crash dead: said so.
    const noMemory = catalog.patterns.map((p) => ({ ...p, signals: p.signals.filter((s) => s !== 'memory') }));
    const noRuleMemory = noMemory.map((p) => ({ ...p, rules: p.rules.map((r) => ({ ...r, signals: r.signals?.filter((s) => s !== 'memory') })) }));
    expect(lintCorrelations(noRuleMemory)).toContain('memory-explains-crash: no pattern declares the signal memory');
  });

  it('finds the problems it looks for (the lint can fail)', () => {
    const base = catalog.patterns.find((p) => p.rules.length > 0)!;
    const bad = {
      ...base,
      id: 'HD-X-1',
      literals: ['status code 404'],
      regex: /x/,
      spec: { ...base.spec, explanation: 'short', examples: { match: [], nomatch: [] } },
    };
    // A budget below any run time stands in for a regex that backtracks catastrophically.
    const problems = lintPatterns([bad, bad], false, -1).map((x) => x.problem).join('\n');
    expect(problems).toMatch(/HD-<AREA>-<nnn>/);
    expect(problems).toMatch(/used twice/);
    expect(problems).toMatch(/more than 20 characters/);
    expect(problems).toMatch(/near-miss/);
    expect(problems).toMatch(/no example yields/);
    expect(problems).toMatch(/hex-looking word/);
    expect(problems).toMatch(/catastrophic backtracking/);
    expect(lintPatterns(catalog.patterns.filter((p) => p.spec.cause !== 'port-bind' && !p.rules.some((r) => r.cause === 'port-bind')), true).map((x) => x.problem)).toContain('no pattern yields port-bind');
  });
});
