// Incident families: one failure across many subjects (16 clusters without a healthy upstream, one per cluster;
// 12 plugins that cannot be fetched) is one heading with a table of its subjects, not 16 sections that read the
// same. A family is three or more incidents of one cause, severity and set of patterns whose subjects have the
// same keys — the same message about different things. Knock-ons and incidents with knock-ons stay on their own
// (their links are the point). The reports group; JSON keeps every incident and names its family (`family`).
import { createHash } from 'node:crypto';
import type { Incident } from '../model.js';

/** A family has at least this many members. */
export const MIN_FAMILY = 3;

export interface Family {
  /** 12 hex digits from the cause, severity, patterns and subject keys: the same family gets the same id in another run. */
  readonly id: string;
  /** In rank order; the first is the family's representative (its evidence and advice are shown). */
  readonly members: readonly Incident[];
  /** The subject keys every member has (`cluster`; `plugin`, `url`). */
  readonly keys: readonly string[];
}

export type ReportItem = { readonly kind: 'incident'; readonly incident: Incident } | { readonly kind: 'family'; readonly family: Family };

function familyKey(i: Incident, hasKnockOns: ReadonlySet<string>): string | null {
  const keys = Object.keys(i.subject).sort();
  if (i.rootOf !== null || hasKnockOns.has(i.id) || keys.length === 0) return null;
  return [i.cause, i.severity, i.tier ?? 'exact', i.patterns.join(','), keys.join(',')].join('|');
}

/** The report's items in rank order: a family stands where its highest-ranked member stood. */
export function reportItems(incidents: readonly Incident[]): ReportItem[] {
  const hasKnockOns = new Set(incidents.map((i) => i.rootOf).filter((x): x is string => x !== null));
  const groups = new Map<string, Incident[]>();
  for (const i of incidents) {
    const k = familyKey(i, hasKnockOns);
    if (k === null) continue;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  const out: ReportItem[] = [];
  const placed = new Set<string>();
  for (const i of incidents) {
    const k = familyKey(i, hasKnockOns);
    const g = k === null ? undefined : groups.get(k);
    if (k === null || !g || g.length < MIN_FAMILY) {
      out.push({ kind: 'incident', incident: i });
      continue;
    }
    if (placed.has(k)) continue;
    placed.add(k);
    out.push({ kind: 'family', family: { id: createHash('sha1').update(`family|${k}`).digest('hex').slice(0, 12), members: g, keys: Object.keys(g[0]!.subject).sort() } });
  }
  return out;
}

/** The family id of each incident that is in one. */
export function familyOf(incidents: readonly Incident[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const item of reportItems(incidents)) if (item.kind === 'family') for (const i of item.family.members) m.set(i.id, item.family.id);
  return m;
}

/** How many incidents the items hold. */
export function incidentsIn(items: readonly ReportItem[]): number {
  return items.reduce((n, it) => n + (it.kind === 'family' ? it.family.members.length : 1), 0);
}
