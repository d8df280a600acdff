// The labelled corpus stays at 100% top-1 with no false alarm: a miss is a catalog bug.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load.js';
import { evaluate, formatResult } from '../eval/evaluate.js';

const dir = new URL('./corpus', import.meta.url).pathname;

describe('corpus accuracy', () => {
  it.runIf(existsSync(`${dir}/labels.json`))('names the labelled root cause first in every scenario, and raises no alarm on healthy logs', () => {
    const r = evaluate(dir, loadCatalog());
    expect(r.faultTotal).toBeGreaterThanOrEqual(80);
    expect(r.healthyTotal).toBeGreaterThanOrEqual(10);
    const misses = r.outcomes.filter((o) => !o.ok).map((o) => `${o.label.file}: ${o.why}`);
    expect(misses, formatResult(r)).toEqual([]);
  });
});
