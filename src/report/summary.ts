// Small facts every renderer shows the same way.
import type { Diagnosis, Severity } from '../model.js';

export function severityCounts(d: Diagnosis): Record<Severity, number> {
  const c: Record<Severity, number> = { critical: 0, error: 0, warning: 0, info: 0 };
  for (const i of d.incidents) c[i.severity]++;
  return c;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function timeRange(d: Diagnosis): string | null {
  const { first, last } = d.environment.timeWindow;
  if (!first) return null;
  return first === last || !last ? first : `${first} … ${last}`;
}
