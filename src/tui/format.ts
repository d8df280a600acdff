// Small string helpers for the live screen and the plain `tail` output. Pure functions; no React.
import type { Severity } from '../model.js';
import { stripControls, truncateDisplay } from '../sanitize.js';

/** Log text made safe and one line wide: escape sequences stripped, newlines shown, cut to `max` characters. */
export function safeLine(text: string, max: number): string {
  return truncateDisplay(stripControls(text).replace(/\t/g, ' '), Math.max(0, max));
}

/** Wall-clock HH:MM:SS (local time, as the operator's terminal clock shows). */
export function clock(at: Date | number): string {
  const d = typeof at === 'number' ? new Date(at) : at;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `2026-05-20T08:15:42.517302Z` / `2026-05-20 10:11:12.345` → `08:15:42` (or `05-20 08:15:42` when `withDate`). */
export function logClock(time: string | null, withDate = false): string {
  if (!time) return '—';
  const m = /(?:\d{4}-(\d{2})-(\d{2})[T ])?(\d{2}:\d{2}:\d{2})/.exec(time);
  if (!m) return safeLine(time, withDate ? 14 : 8);
  return withDate && m[1] ? `${m[1]}-${m[2]} ${m[3]}` : m[3]!;
}

const GROUP = /\B(?=(\d{3})+(?!\d))/g;

/** 12345 → `12,345`. */
export function grouped(n: number): string {
  return String(Math.round(n)).replace(GROUP, ',');
}

/** Lines per second shown with sensible precision. */
export function perSecond(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '0';
  if (n < 10) return n.toFixed(1);
  return grouped(n);
}

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * One character per bucket, scaled to the largest bucket shown: `·` for none, `▁`…`█` for some.
 * Any non-zero bucket gets at least `▁`, so a single event stays visible next to a burst.
 */
export function sparkline(buckets: readonly number[]): string {
  const max = Math.max(0, ...buckets);
  return buckets
    .map((n) => {
      if (n <= 0 || max <= 0) return '·';
      const level = Math.ceil((n / max) * BARS.length) - 1;
      return BARS[Math.min(BARS.length - 1, Math.max(0, level))]!;
    })
    .join('');
}

export const SEVERITY_LABEL: Record<Severity, string> = { critical: 'CRIT', error: 'ERROR', warning: 'WARN', info: 'INFO' };

/** Ink colour names per severity (the text report uses the same hues). */
export const SEVERITY_COLOR: Record<Severity, string> = { critical: 'redBright', error: 'red', warning: 'yellow', info: 'cyan' };

/** Subject values joined for a list column (`key-auth · http://…`); keys are in the detail pane. */
export function subjectValues(subject: Readonly<Record<string, string>>): string {
  const v = Object.values(subject).map((s) => stripControls(s));
  return v.length ? v.join(' · ') : '—';
}

/** `plugin=key-auth · url=http://…` */
export function subjectPairs(subject: Readonly<Record<string, string>>): string {
  return Object.entries(subject)
    .map(([k, v]) => `${k}=${stripControls(v)}`)
    .join(' · ');
}

/**
 * Greedy word wrap by code points for prose (remediation, explanations): at most `maxLines` lines of `width`,
 * the last one ending in `…` when text was left over. Words longer than a line are cut.
 */
export function wrapWords(text: string, width: number, maxLines: number): string[] {
  const w = Math.max(1, width);
  const len = (s: string): number => [...s].length;
  const lines: string[] = [];
  let line = '';
  for (const word of stripControls(text).split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (len(next) <= w) line = next;
    else {
      if (line) lines.push(line);
      line = truncateDisplay(word, w);
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, Math.max(0, maxLines));
  if (kept.length > 0) kept[kept.length - 1] = `${truncateDisplay(kept[kept.length - 1]!, w - 1).replace(/…$/, '')}…`;
  return kept;
}

/** `3m 05s`, `42s`, `1h 02m`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** What the screen needs of a restart of the followed file (store.ts `Restart`). */
export interface RestartLabel {
  readonly kind: 'rotation' | 'truncation';
  readonly at: number;
  readonly input: string;
}

/** The mark of an input read after a restart of the file: ↻ a rotation, ↧ a truncation. */
export const RESTART_MARK: Record<RestartLabel['kind'], string> = { rotation: '↻', truncation: '↧' };

/**
 * Short screen names of the inputs read after a rotation or truncation: `gateway.log (after 04:31:39 rotation)`
 * becomes `gateway.log↻04:31`, so `input:line` leaves the line its room. Seconds are added only where two restarts
 * share a minute, `#n` where they share a second. The data (JSON, ndjson, exports) keeps the full names.
 */
export function shortInputNames(restarts: readonly RestartLabel[], name: string): Map<string, string> {
  const out = new Map<string, string>();
  const minute = (r: RestartLabel): string => clock(r.at).slice(0, 5);
  const used = new Map<string, number>();
  for (const r of restarts) {
    const sameMinute = restarts.filter((o) => o !== r && minute(o) === minute(r)).length > 0;
    let label = `${name}${RESTART_MARK[r.kind]}${sameMinute ? clock(r.at) : minute(r)}`;
    const n = (used.get(label) ?? 0) + 1;
    used.set(label, n);
    if (n > 1) label = `${label}#${n}`;
    out.set(r.input, label);
  }
  return out;
}
