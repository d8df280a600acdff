// One clock for the whole report. Envoy (and supervisord) print the container's local time without
// a zone — L2's trailing `Z` is a literal, not UTC (docs/formats.md §L2) — while pilot-agent, pilot
// and the access log print UTC. In the all-in-one image with TZ=Asia/Shanghai the two read eight
// hours apart. The offset is read from the log where both clocks describe one moment: Envoy's crash
// block and pilot-agent's `Envoy exited` a second later, pilot-agent starting Envoy and Envoy's
// first line, or two neighbouring lines of the two clocks; `--tz` states it. Every time is then
// shown in the container's zone; where the offset cannot be known the reports say so.
import { isChatter, type Finding, type LayoutId, type LogEvent } from '../model.js';

export type ClockKind = 'utc' | 'local';

/**
 * The clock an event's time is on, by its layout; null when its time is not on either (klog has no
 * date, host logs are another machine's clock, raw lines have none).
 */
export function clockOf(layout: LayoutId, firstLine: string | undefined): ClockKind | null {
  switch (layout) {
    case 'envoy':
    case 'envoy-epoch':
    case 'envoy-istio':
    case 'supervisord':
    case 'spring':
      return 'local';
    case 'istio-go':
    case 'access-json':
    case 'access-text':
    // Go programs beside the proxy (Cilium, Envoy Gateway) write RFC 3339 times with their zone.
    case 'logfmt':
      return 'utc';
    case 'istio-json':
      // Envoy's JSON layout (`"scope":"envoy wasm"`) prints local time with a literal Z, like L2.
      return firstLine !== undefined && firstLine.includes('"scope":"envoy ') ? 'local' : 'utc';
    default:
      return null;
  }
}

const digit = (t: string, i: number): number => {
  const c = t.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};
const num = (t: string, i: number, n: number): number => {
  let v = 0;
  for (let k = 0; k < n; k++) v = v * 10 + digit(t, i + k);
  return v;
};

/**
 * Milliseconds of a printed time `YYYY-MM-DD[T ]HH:MM:SS[.,fraction][Z|±hh[:]mm]`. A local clock's
 * time is read as printed (its zone, if any, is a literal); a UTC clock's explicit offset is applied.
 * NaN when it does not read (no date, another shape). No regex: it runs for every event.
 */
export function timeMs(t: string, kind: ClockKind): number {
  if (t.length < 19) return NaN;
  const sep = t.charCodeAt(10);
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32) || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return NaN;
  const y = num(t, 0, 4);
  const mo = num(t, 5, 2);
  const d = num(t, 8, 2);
  const h = num(t, 11, 2);
  const mi = num(t, 14, 2);
  const s = num(t, 17, 2);
  if (Number.isNaN(y + mo + d + h + mi + s) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return NaN;
  let ms = 0;
  let p = 19;
  const f = t.charCodeAt(p);
  if (f === 46 || f === 44) {
    p++;
    let scale = 100;
    while (p < t.length && !Number.isNaN(digit(t, p))) {
      ms += digit(t, p) * scale;
      scale /= 10;
      p++;
    }
    ms = Math.floor(ms);
  }
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (kind === 'local' || p >= t.length) return wall;
  const z = t.charCodeAt(p);
  if (z === 90) return wall; // Z
  if (z === 43 || z === 45) {
    const oh = num(t, p + 1, 2);
    const om = num(t, t.charCodeAt(p + 3) === 58 ? p + 4 : p + 3, 2);
    if (Number.isNaN(oh + om)) return wall;
    return wall - (z === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
  }
  return wall;
}

// ---- zones --------------------------------------------------------------------------------------

/** A time zone: a fixed offset or an IANA name (with its daylight-saving rules). */
export interface Zone {
  /** As reports state it: `UTC`, `+08:00`, `Asia/Shanghai`. */
  readonly name: string;
  /** Minutes east of UTC at this instant. */
  offsetAt(utcMs: number): number;
}

export const UTC: Zone = { name: 'UTC', offsetAt: () => 0 };

export function fixedZone(minutes: number): Zone {
  return minutes === 0 ? UTC : { name: offsetText(minutes), offsetAt: () => minutes };
}

/** `+08:00`, `-05:30`, `Z` for none. */
export function offsetText(minutes: number): string {
  if (minutes === 0) return 'Z';
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** `UTC+08:00` for prose; `UTC` for none. */
export function zoneLabel(z: Zone, atMs = 0): string {
  if (z === UTC || z.name === 'UTC') return 'UTC';
  if (/^[+-]\d\d:\d\d$/.test(z.name)) return `UTC${z.name}`;
  return `${z.name} (UTC${offsetText(z.offsetAt(atMs)).replace('Z', '')})`;
}

/**
 * `--tz` and the reports' zone names: `UTC`/`Z`, `+08:00`/`+0800`/`+8`, `UTC+8`, or an IANA name
 * (`Asia/Shanghai`). Null when it names no zone.
 */
export function parseZone(spec: string): Zone | null {
  const s = spec.trim();
  if (/^(?:utc|gmt|z)$/i.test(s)) return UTC;
  const m = /^(?:(?:utc|gmt))?([+-])(\d{1,2})(?::?(\d\d))?$/i.exec(s);
  if (m) {
    const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
    if (Math.abs(minutes) > 14 * 60 || Number(m[3] ?? 0) > 59) return null;
    return fixedZone(minutes);
  }
  if (!/^[A-Za-z][\w+-]*(?:\/[\w+-]+)*$/.test(s)) return null;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: s, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    return null;
  }
  const name = fmt.resolvedOptions().timeZone;
  if (name === 'UTC' || name === 'Etc/UTC') return UTC;
  return {
    name,
    offsetAt(utcMs: number): number {
      const parts: Record<string, number> = {};
      for (const p of fmt.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
      const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
      return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
    },
  };
}

/** The instant of a wall-clock time read in zone `z` (the offset of that moment, daylight saving included). */
export function localToUtc(wallMs: number, z: Zone): number {
  const guess = wallMs - z.offsetAt(wallMs) * 60_000;
  return wallMs - z.offsetAt(guess) * 60_000;
}

/** `2026-05-20T16:07:50.890+08:00` (`…Z` in UTC). */
export function isoIn(utcMs: number, z: Zone): string {
  const off = z.offsetAt(utcMs);
  return `${new Date(utcMs + off * 60_000).toISOString().slice(0, 23)}${offsetText(off)}`;
}

/** A local time whose zone is unknown, as ISO without a zone: `2026-05-20T16:07:50.890`. */
export function isoWall(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(0, 23);
}

// ---- inferring the offset -----------------------------------------------------------------------

/** How far apart two lines describing one moment may be, beyond a whole number of quarter hours. */
const PAIR_SLACK_MS = 120_000;
/** Neighbouring lines (one right after the other) are one moment only when nearly simultaneous. */
const NEIGHBOUR_SLACK_MS = 2_000;
const QUARTER_MS = 15 * 60_000;

type PairKind = 'crash' | 'start' | 'neighbours';
const WEIGHT: Record<PairKind, number> = { crash: 5, start: 3, neighbours: 1 };

interface Stamp {
  readonly input: string;
  readonly line: number;
  readonly seq: number;
  readonly ms: number;
}

interface Vote {
  weight: number;
  pairs: number;
  /** The strongest pair seen, for the report's sentence. */
  best: { kind: PairKind; local: Stamp; utc: Stamp } | null;
}

/** What the reports say about the clock (model.ts ClockInfo), before formatting. */
export interface ClockReading {
  /** Minutes Envoy's local clock is ahead of UTC; null when unknown. */
  readonly offset: number | null;
  readonly sawLocal: boolean;
  readonly sawUtc: boolean;
  /** One sentence on what the offset rests on; null when nothing was inferred. */
  readonly basis: string | null;
}

/**
 * Votes for the offset of the local clock from pairs of events that describe one moment. A pair
 * votes for the whole number of quarter hours nearest to the difference of its times, when it is
 * within the pair's slack of one; a crash pair weighs most, neighbouring lines least.
 */
export class OffsetVotes {
  private readonly votes = new Map<number, Vote>();
  // The previous event that may pair with a neighbour, in scalars: this runs for every event.
  private prevKind: ClockKind | null = null;
  private prevInput = '';
  private prevLine = 0;
  private prevEnd = 0;
  private prevSeq = -1;
  private prevMs = NaN;
  private localCrash: Stamp | null = null;
  private utcStart: Stamp | null = null;
  sawLocal = false;
  sawUtc = false;

  /**
   * One event with a time on a known clock, in order: its physical lines, whether a finding of it
   * carries the `crash` or `restart` signal, whether it is an assembled crash block, and whether it
   * is only plugin chatter (context findings without signals). Chatter never pairs as a neighbour:
   * `analyze`'s context lane drops repeated chatter, and the pairs must not depend on it.
   */
  /** One event at `ms` on its clock, with what the catalog made of it (see observe). */
  observeEvent(kind: ClockKind, event: LogEvent, seq: number, ms: number, findings: readonly Finding[]): void {
    let crash = false;
    let restart = false;
    // Plugin chatter: context findings only, none with a signal (what the context lane may drop).
    let chatter = true;
    for (const f of findings) {
      if (f.signals.includes('crash')) crash = true;
      if (f.signals.includes('restart')) restart = true;
      if (!isChatter(f)) chatter = false;
    }
    this.observe(kind, event.input, event.line, event.endLine, seq, ms, crash, restart, event.kind === 'crash', chatter);
  }

  observe(kind: ClockKind, input: string, line: number, endLine: number, seq: number, ms: number, crash: boolean, restart: boolean, crashBlock: boolean, chatter: boolean): void {
    if (kind === 'local') this.sawLocal = true;
    else this.sawUtc = true;
    if (!chatter) {
      // Neighbours: two lines of the two clocks, one right after the other in the same input.
      if (this.prevKind !== null && this.prevKind !== kind && this.prevInput === input && this.prevEnd + 1 === line) {
        const prev: Stamp = { input, line: this.prevLine, seq: this.prevSeq, ms: this.prevMs };
        const here: Stamp = { input, line, seq, ms };
        if (kind === 'local') this.pair('neighbours', here, prev, NEIGHBOUR_SLACK_MS);
        else this.pair('neighbours', prev, here, NEIGHBOUR_SLACK_MS);
      }
      this.prevKind = kind;
      this.prevInput = input;
      this.prevLine = line;
      this.prevEnd = endLine;
      this.prevSeq = seq;
      this.prevMs = ms;
    }
    if (kind === 'local') {
      const start = this.utcStart;
      // The first local line after pilot-agent (re)started Envoy (its start-up warnings are chatter too).
      if (start && start.input === input && seq - start.seq <= 200) this.pair('start', { input, line, seq, ms }, start, PAIR_SLACK_MS);
      this.utcStart = null;
      if (crashBlock || crash) this.localCrash = { input, line, seq, ms };
    } else {
      const local = this.localCrash;
      if (local && crash && local.input === input && seq - local.seq <= 50) {
        this.pair('crash', local, { input, line, seq, ms }, PAIR_SLACK_MS);
        this.localCrash = null;
      }
      if (restart) this.utcStart = { input, line, seq, ms };
    }
  }

  private pair(kind: PairKind, local: Stamp, utc: Stamp, slack: number): void {
    const d = local.ms - utc.ms;
    const quarters = Math.round(d / QUARTER_MS);
    const offset = quarters * 15;
    if (Math.abs(d - quarters * QUARTER_MS) > slack || offset < -12 * 60 || offset > 14 * 60) return;
    let v = this.votes.get(offset);
    if (!v) {
      // Bounded: a log votes for few offsets; past 32 a stray vote is not worth keeping.
      if (this.votes.size >= 32) return;
      this.votes.set(offset, (v = { weight: 0, pairs: 0, best: null }));
    }
    v.weight += WEIGHT[kind];
    v.pairs++;
    this.cached = undefined;
    if (!v.best || WEIGHT[kind] > WEIGHT[v.best.kind]) v.best = { kind, local, utc };
  }

  /** The offset most weight agrees on; null when none, or when two offsets weigh the same. */
  reading(): ClockReading {
    const ranked = [...this.votes.entries()].sort((a, b) => b[1].weight - a[1].weight);
    const top = ranked[0];
    const base = { sawLocal: this.sawLocal, sawUtc: this.sawUtc };
    if (!top || (ranked[1] && ranked[1][1].weight === top[1].weight)) {
      return { ...base, offset: null, basis: top ? 'pairs of lines of the two clocks disagree on the offset' : null };
    }
    const [offset, v] = top;
    const others = ranked.slice(1).reduce((n, [, o]) => n + o.pairs, 0);
    const b = v.best!;
    const where = (x: Stamp, y: Stamp): string => (x.input === y.input ? `${x.input}:${x.line}, ${y.line}` : `${x.input}:${x.line}, ${y.input}:${y.line}`);
    const what =
      b.kind === 'crash'
        ? `Envoy's crash and pilot-agent's report of it (${where(b.local, b.utc)})`
        : b.kind === 'start'
          ? `pilot-agent starting Envoy and Envoy's next line (${where(b.utc, b.local)})`
          : `neighbouring lines of the two clocks (${where(b.utc, b.local)})`;
    // No counts: the context lane of `analyze` drops repeated plugin chatter, so how many
    // neighbouring pairs there are depends on the path; the decision and the first pair do not.
    const disagree = others > 0 ? '; other pairs disagree' : '';
    return { ...base, offset, basis: `from ${what}${disagree}` };
  }

  private cached: number | null | undefined = null;

  /** The offset as known so far (for correlations while reading). */
  current(): number | null {
    if (this.cached !== undefined) return this.cached;
    let best: [number, number] | null = null;
    let tie = false;
    for (const [o, v] of this.votes) {
      if (!best || v.weight > best[1]) {
        best = [o, v.weight];
        tie = false;
      } else if (v.weight === best[1]) tie = true;
    }
    this.cached = best && !tie ? best[0] : null;
    return this.cached;
  }
}
