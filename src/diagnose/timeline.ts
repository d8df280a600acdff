// One timeline out of several inputs (`analyze gateway.log controller.log`, a folder, `--docker`), and the
// `--since` / `--until` window for every source. Each event gets an instant (UTC epoch ms) from its own
// time: pilot-agent, the controller and the access log print UTC; Envoy prints the container's local time,
// placed on UTC with `--tz` or with the offset read so far from lines of both clocks (clock.ts OffsetVotes,
// the same reading the report's clock uses). Within one input the order is the file's: an event's key is
// the latest instant its input has reached (never lower than the previous event's), so Envoy lines whose
// offset is still unknown, lines without a time and access-log lines flushed a second late keep their
// place. Events before an input's first usable time wait for it. Nothing here reads lines: only events
// (records the catalog may explain) get a key, so the fast path for big files is untouched.
import type { Finding, LogEvent } from '../model.js';
import { clockOf, localToUtc, OffsetVotes, timeMs, type Zone } from './clock.js';

/** An event and what the catalog made of it, with its place on the timeline. */
export type PlaceEvent = (event: LogEvent, findings: Finding[], key: number) => void;

/** Events an input holds before its first usable time; past this, Envoy's local times are read as UTC. */
const MAX_PENDING = 2048;

export interface WindowOptions {
  /** Epoch ms: events before it are left out (and counted). */
  readonly since?: number;
  /** Epoch ms: events after it are left out (and counted). */
  readonly until?: number;
}

/** The instants of every input's events, one offset estimate for all, and the window. */
export class Timeline {
  private readonly votes = new OffsetVotes();
  private seq = 0;
  /** Events left out by the window. */
  before = 0;
  after = 0;
  /** Inputs whose local times had to be read as UTC (no offset known, no UTC line to follow). */
  readonly guessed = new Set<string>();

  constructor(
    private readonly zone: Zone | null,
    readonly window: WindowOptions = {},
  ) {}

  get hasWindow(): boolean {
    return this.window.since !== undefined || this.window.until !== undefined;
  }

  /**
   * A clock for one input (or one rotated set read in order); `start`: a fixed instant for lines without times (a
   * status). `windowed: false`: the window does not apply (a container's state is a fact of now, as for `--kube`).
   */
  lane(start = -Infinity, windowed = true): LaneClock {
    return new LaneClock(this, start, windowed);
  }

  /** The instant of an event, or NaN when its time is on no clock or its offset is unknown. */
  instantOf(event: LogEvent, findings: readonly Finding[]): { instant: number; localWall: number } {
    const t = event.time;
    if (t === null) return { instant: NaN, localWall: NaN };
    const kind = clockOf(event.layout, event.lines[0]);
    if (kind === null) return { instant: NaN, localWall: NaN };
    const ms = timeMs(t, kind);
    if (Number.isNaN(ms)) return { instant: NaN, localWall: NaN };
    this.votes.observeEvent(kind, event, ++this.seq, ms, findings);
    if (kind === 'utc') return { instant: ms, localWall: NaN };
    if (this.zone) return { instant: localToUtc(ms, this.zone), localWall: ms };
    const off = this.votes.current();
    return { instant: off === null ? NaN : ms - off * 60_000, localWall: ms };
  }

  /** Whether an event at `key` is inside the window (counted when not). */
  admit(key: number): boolean {
    const w = this.window;
    if (w.since !== undefined && key < w.since) {
      this.before++;
      return false;
    }
    if (w.until !== undefined && key > w.until) {
      this.after++;
      return false;
    }
    return true;
  }

  /** One sentence on what the window left out, or null. */
  windowNote(): string | null {
    if (!this.hasWindow) return null;
    const parts: string[] = [];
    if (this.before > 0) parts.push(`${this.before} before --since`);
    if (this.after > 0) parts.push(`${this.after} after --until`);
    return parts.length === 0 ? null : `left out ${parts.join(' and ')} (events: records the catalog reads; other lines are only counted as read)`;
  }
}

/** The key of each event of one input: the latest instant it reached. */
export class LaneClock {
  /** The latest instant this input reached; -Infinity before its first. Nothing it gives later is older. */
  frontier: number;
  private pending: Array<{ event: LogEvent; findings: Finding[] }> = [];
  /** Envoy's local time of the last pending event, read as printed (the fallback when nothing else comes). */
  private lastWall = NaN;

  constructor(
    private readonly timeline: Timeline,
    start: number,
    private readonly windowed = true,
  ) {
    this.frontier = start;
  }

  /** Whether events wait for this input's first time (its frontier is then -Infinity). */
  get waiting(): boolean {
    return this.pending.length > 0;
  }

  /** Give the event its key and pass it on, or hold it until this input's first usable time. */
  place(event: LogEvent, findings: Finding[], out: PlaceEvent): void {
    const { instant, localWall } = this.timeline.instantOf(event, findings);
    if (!Number.isNaN(instant)) {
      if (instant > this.frontier) this.frontier = instant;
    } else if (this.frontier === -Infinity) {
      if (!Number.isNaN(localWall)) this.lastWall = localWall;
      this.pending.push({ event, findings });
      if (this.pending.length >= MAX_PENDING && !Number.isNaN(this.lastWall)) {
        // Only Envoy's local times, and nothing tells their offset: read as UTC (said in the report).
        this.timeline.guessed.add(event.input);
        this.frontier = this.lastWall;
        this.drain(out);
      }
      return;
    }
    this.drain(out);
    this.emit(event, findings, out);
  }

  /** End of the input: what still waits goes at the last instant known (or after everything when none). */
  end(out: PlaceEvent): void {
    if (this.pending.length === 0) return;
    if (this.frontier === -Infinity && !Number.isNaN(this.lastWall)) {
      this.timeline.guessed.add(this.pending[0]!.event.input);
      this.frontier = this.lastWall;
    }
    if (this.frontier === -Infinity) this.frontier = Infinity;
    this.drain(out);
  }

  private drain(out: PlaceEvent): void {
    if (this.pending.length === 0) return;
    const held = this.pending;
    this.pending = [];
    for (const p of held) this.emit(p.event, p.findings, out);
  }

  private emit(event: LogEvent, findings: Finding[], out: PlaceEvent): void {
    // An input without any time is not judged by the window (nothing says where it stands).
    if (this.windowed && Number.isFinite(this.frontier) && !this.timeline.admit(this.frontier)) return;
    out(event, findings, this.frontier);
  }
}
