// Small facts every renderer shows the same way.
import type { Diagnosis, Severity } from '../model.js';

export function severityCounts(d: Diagnosis): Record<Severity, number> {
  const c: Record<Severity, number> = { critical: 0, error: 0, warning: 0, info: 0 };
  for (const i of d.incidents) c[i.severity]++;
  return c;
}

/** Share of lines no layout explains, when it is most of a log worth the name (else null). */
export function unrecognisedShare(d: Diagnosis): number | null {
  const { lines, unparsed } = d.stats;
  return lines >= 10 && unparsed * 2 > lines ? unparsed / lines : null;
}

/** The sentence every report shows when most lines were in no known layout. */
export function unrecognisedNote(d: Diagnosis): string | null {
  const share = unrecognisedShare(d);
  if (share === null) return null;
  return `Most lines (${d.stats.unparsed} of ${d.stats.lines}, ${Math.round(share * 100)}%) are in no layout this tool knows: the diagnosis rests on the rest and on the words of those lines.`;
}

/**
 * Not a gateway log at all: lines were read, none is in a layout a gateway, its agent, the
 * kernel or Kubernetes writes, and nothing in them explains a failure (an nginx log, a random file).
 */
export function notAGatewayLog(d: Diagnosis): boolean {
  return d.stats.lines > 0 && d.stats.unparsed >= d.stats.lines && d.incidents.length === 0;
}

/** An incident's title without its `(×N)`: where the report shows the count on its own line, once is enough. */
export function titleWithoutCount(title: string): string {
  return title.replace(/ \(×\d+\)$/, '');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

