// Measured accuracy on the labelled corpus (test/corpus/labels.json): top-1 root cause per
// scenario, false alarms on healthy logs, and a confusion table. Used by `npm run eval` and by a
// test that keeps it at 100%.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../src/catalog/load.js';
import { Pipeline } from '../src/pipeline.js';
import type { Diagnosis } from '../src/model.js';
import { SEVERITY_RANK } from '../src/model.js';

export interface Label {
  file: string;
  cause: string;
  subject?: Record<string, string>;
  higress?: string;
  layout?: string;
  wrapper?: string | null;
  note?: string;
}

export interface Outcome {
  label: Label;
  predicted: string;
  ok: boolean;
  why?: string;
}

export interface EvalResult {
  outcomes: Outcome[];
  faultTotal: number;
  faultCorrect: number;
  healthyTotal: number;
  falseAlarms: number;
  confusion: Map<string, Map<string, number>>;
}

export function diagnoseFile(path: string, catalog: Catalog): Diagnosis {
  const p = new Pipeline(catalog);
  p.beginInput(path.split('/').pop()!);
  p.push(readFileSync(path));
  p.endInput();
  return p.snapshot();
}

/** The prediction: the top incident's cause, or `healthy` when no incident reaches error. */
export function predict(d: Diagnosis): string {
  const top = d.incidents[0];
  if (!top || SEVERITY_RANK[top.severity] < SEVERITY_RANK.error) return 'healthy';
  return top.cause;
}

export function evaluate(dir: string, catalog: Catalog): EvalResult {
  const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as Label[];
  return score(dir, labels, catalog, predict);
}

/**
 * The held-out rule for real excerpts (DIR/cases.json: file, cause, …): the first incident must
 * carry the labelled cause, whatever its severity; a `healthy` log may have incidents, none at
 * error level or above.
 */
export function predictReal(d: Diagnosis): string {
  const top = d.incidents[0];
  if (!top) return 'healthy';
  if (!d.incidents.some((i) => SEVERITY_RANK[i.severity] >= SEVERITY_RANK.error)) return `healthy (top ${top.cause}/${top.severity})`;
  return top.cause;
}

export function evaluateReal(dir: string, catalog: Catalog): EvalResult {
  const labels = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as Label[];
  return score(dir, labels, catalog, (d, label) => {
    const p = predictReal(d);
    // A fault is right when its cause comes first, at any severity.
    if (label.cause !== 'healthy' && d.incidents[0]?.cause === label.cause) return label.cause;
    return p.startsWith('healthy') && label.cause === 'healthy' ? 'healthy' : p;
  });
}

/** Only the patterns of one tier (see docs/patterns.md `tier`). */
export function onlyTier(catalog: Catalog, tier: 'exact' | 'general'): Catalog {
  const patterns = catalog.patterns.filter((p) => (p.spec.tier ?? 'exact') === tier);
  return { ...catalog, patterns };
}

function score(dir: string, labels: readonly Label[], catalog: Catalog, predictOf: (d: Diagnosis, label: Label) => string): EvalResult {
  const outcomes: Outcome[] = [];
  const confusion = new Map<string, Map<string, number>>();
  for (const label of labels) {
    const d = diagnoseFile(join(dir, label.file), catalog);
    const predicted = predictOf(d, label);
    let ok = predicted === label.cause;
    let why: string | undefined;
    if (ok && label.subject && d.incidents[0]) {
      for (const [k, v] of Object.entries(label.subject)) {
        if (d.incidents[0].subject[k] !== v) {
          ok = false;
          why = `subject ${k}: expected ${v}, got ${d.incidents[0].subject[k] ?? '(none)'}`;
        }
      }
    }
    if (!ok && !why) why = `top: ${d.incidents.slice(0, 3).map((i) => `${i.cause}/${i.severity}/${i.confidence}`).join(', ') || '(no incidents)'}`;
    outcomes.push({ label, predicted, ok, why });
    const row = confusion.get(label.cause) ?? new Map<string, number>();
    row.set(predicted, (row.get(predicted) ?? 0) + 1);
    confusion.set(label.cause, row);
  }
  const faults = outcomes.filter((o) => o.label.cause !== 'healthy');
  const healthy = outcomes.filter((o) => o.label.cause === 'healthy');
  return {
    outcomes,
    faultTotal: faults.length,
    faultCorrect: faults.filter((o) => o.ok).length,
    healthyTotal: healthy.length,
    falseAlarms: healthy.filter((o) => !o.ok).length,
    confusion,
  };
}

export function formatResult(r: EvalResult): string {
  const out: string[] = [];
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
  out.push(`top-1 accuracy: ${r.faultCorrect}/${r.faultTotal} (${pct(r.faultCorrect, r.faultTotal)})`);
  out.push(`healthy logs: ${r.healthyTotal - r.falseAlarms}/${r.healthyTotal} clean, ${r.falseAlarms} false alarm(s)`);
  out.push('', 'confusion (rows: label, columns: predicted; only non-zero cells):');
  for (const [label, row] of [...r.confusion.entries()].sort()) {
    const cells = [...row.entries()].sort((a, b) => b[1] - a[1]).map(([p, n]) => (p === label ? `${n}` : `${p}:${n}`));
    out.push(`  ${label.padEnd(26)} ${cells.join('  ')}`);
  }
  const misses = r.outcomes.filter((o) => !o.ok);
  if (misses.length) {
    out.push('', 'misses:');
    for (const m of misses) out.push(`  ${m.label.file}: expected ${m.label.cause}, got ${m.predicted} — ${m.why}`);
  }
  return `${out.join('\n')}\n`;
}
