// `--since` / `--until` for every source: a time (`2026-05-20T08:00:00Z`, `2026-05-20 08:00:00+08:00`; without a
// zone, UTC) or a duration back from now (`90m`, `1h30m`, `2d`).
import type { TimeWindowFact } from '../model.js';
import type { Timeline } from '../diagnose/timeline.js';
import { InputError } from '../sources/open.js';

const DURATION = /^(?:\d+(?:\.\d+)?(?:d|h|m|s|ms))+$/;

function durationMs(s: string): number {
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(d|h|ms|m|s)/g)) {
    const n = Number(m[1]);
    ms += m[2] === 'd' ? n * 86_400_000 : m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
  }
  return ms;
}

/** Epoch ms of a `--since`/`--until` value; an InputError (exit 2) when it is neither a time nor a duration. */
export function whenMs(flag: string, v: string, now = Date.now()): number {
  const s = v.trim();
  if (DURATION.test(s)) return now - durationMs(s);
  if (/^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?)?(?:Z|[+-]\d\d:?\d\d)?$/i.test(s)) {
    let iso = s.replace(' ', 'T').replace(',', '.');
    if (/^\d{4}-\d\d-\d\d$/.test(iso)) iso += 'T00:00:00';
    if (!/(?:Z|[+-]\d\d:?\d\d)$/i.test(iso)) iso += 'Z';
    const t = Date.parse(iso);
    if (Number.isFinite(t)) return t;
  }
  throw new InputError(`${flag} takes a time (2026-05-20T08:00:00Z; without a zone, UTC) or a duration back from now (30m, 2h, 1d), not ${v}`);
}

/** Both bounds, checked against each other. */
export function windowOf(since: string | undefined, until: string | undefined, now = Date.now()): { since?: number; until?: number } {
  const w = { ...(since !== undefined ? { since: whenMs('--since', since, now) } : {}), ...(until !== undefined ? { until: whenMs('--until', until, now) } : {}) };
  if (w.since !== undefined && w.until !== undefined && w.since > w.until) throw new InputError(`--since (${new Date(w.since).toISOString()}) is after --until (${new Date(w.until).toISOString()}): nothing would be read`);
  return w;
}

/** What the report says about the window. */
export function windowFact(t: Timeline): TimeWindowFact | null {
  if (!t.hasWindow) return null;
  const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
  return { since: iso(t.window.since), until: iso(t.window.until), leftOut: { before: t.before, after: t.after } };
}
