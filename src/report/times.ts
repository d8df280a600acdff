// Times as the text and Markdown reports (and tail) show them: every time of a Diagnosis is already
// on one clock (diagnose/clock.ts); here it is written for people, the zone stated once.
import type { ClockInfo, Diagnosis } from '../model.js';

const ISO = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:[.,]\d+)?(Z|[+-]\d\d:?\d\d)?$/;

/**
 * `2026-05-20 16:07:50` (or `16:07:50` without the date). The report states its zone once; a UTC
 * time in a report whose zone is unknown keeps a ` UTC`. A time in another shape is shown as printed.
 */
export function humanTime(t: string, clock: ClockInfo | undefined, withDate = true): string {
  const m = ISO.exec(t);
  // A diagnosis that does not say its clock (made by hand): times as they are.
  if (!m || clock === undefined) return t;
  const utcMark = clock !== undefined && clock.zone === null && m[3] === 'Z' ? ' UTC' : '';
  return `${withDate ? `${m[1]} ` : ''}${m[2]}${utcMark}`;
}

/** `2026-05-20 15:58:17 … 16:07:51`: the date once when both are on one day; one time when they are equal. */
export function humanRange(first: string, last: string | null, clock: ClockInfo | undefined): string {
  const from = humanTime(first, clock);
  if (last === null || last === first || humanTime(last, clock) === from) return from;
  const a = ISO.exec(first);
  const b = ISO.exec(last);
  const sameDay = a !== null && b !== null && a[1] === b[1] && (a[3] ?? '') === (b[3] ?? '');
  return `${from} … ${humanTime(last, clock, !sameDay)}`;
}

/** `UTC`, `UTC+08:00`, `Asia/Shanghai`. */
export function zoneName(zone: string): string {
  return /^[+-]\d\d:\d\d$/.test(zone) ? `UTC${zone}` : zone;
}

/**
 * What the report says about its clock (after `Clock: `): the zone and how it is known
 * (`UTC+08:00, the gateway container's local time …; offset read from Envoy's crash and …`). Null
 * when the log has no time or only UTC ones (then the window says `UTC`).
 */
export function clockNote(clock: ClockInfo | undefined, hasUtc = true): string | null {
  if (!clock || clock.source === 'none' || clock.source === 'utc') return null;
  if (clock.source === 'unknown') {
    const utc = hasUtc ? '; UTC times are marked UTC' : '';
    return `Envoy's times are the gateway container's local time, zone unknown (${clock.basis ?? 'nothing gives it'})${utc}.`;
  }
  const how = clock.source === 'option' ? clock.basis ?? 'given with --tz' : `offset read ${clock.basis ?? 'from the log'}`;
  if (clock.localOffset === 'Z') return `UTC, which is also Envoy's local clock here; ${how}.`;
  return `${zoneName(clock.zone ?? '')}, the gateway container's local time (Envoy's clock); ${how}.`;
}

/** The window for the report's header: `2026-05-20 15:58:17 … 16:07:51 UTC+08:00`, or null when no time was read. */
export function windowText(d: Diagnosis): string | null {
  const { first, last } = d.environment.timeWindow;
  const clock = d.environment.clock;
  if (!first) return null;
  const zone = clock?.zone ? ` ${zoneName(clock.zone)}` : '';
  const local = d.environment.localTimeWindow;
  const localText = local?.first ? `; Envoy's local clock ${humanRange(local.first, local.last, clock)}` : '';
  return `${humanRange(first, last, clock)}${zone}${localText}`;
}
