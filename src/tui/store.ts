// The throttled store between the reading side and whoever shows it (the Ink screen, or the text/ndjson
// lines). Reading never waits for it: the session pushes every chunk through the pipeline at once and only bumps
// a version number; on a timer (at most 5×/s) the store takes a snapshot when that number moved, adds what a
// snapshot cannot know (rates per 10 s, new/changed marks, lines/s, lag behind the writer) and hands out one
// immutable Frame. No React here.
import { createHmac, randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Diagnosis, Incident } from '../model.js';
import { prepareDiagnosis, stripDiagnosis } from '../report/prepare.js';
import { redactDiagnosis, type Redactor } from '../report/redact.js';
import { stripControls } from '../sanitize.js';
import { BUCKETS_KEPT, BUCKET_MS, RateTracker, type IncidentChange } from './rates.js';
import type { Restart, SourceStatus, TailSession } from './session.js';
import type { StreamEvent, StreamInfo } from '../sources/kube-follow.js';

/** One incident as the screen shows it: the incident plus its recent history. */
export interface LiveIncident {
  readonly incident: Incident;
  /** Occurrences per 10 s, oldest first; the last bucket holds the frame's time. BUCKETS_KEPT long. */
  readonly buckets: readonly number[];
  readonly firstShownAt: number;
  readonly changedAt: number;
  readonly markBase: number;
}

/** A recent notable line, sanitised (and redacted when asked). */
export interface RecentView {
  readonly seq: number;
  readonly at: number;
  readonly input: string;
  readonly line: number;
  readonly level: string | null;
  readonly text: string;
}

export interface Frame {
  /** Wall-clock ms when the frame was made. */
  readonly at: number;
  /** Counts up with every frame. */
  readonly seq: number;
  readonly source: { readonly name: string; readonly path: string; readonly isStdin: boolean };
  readonly status: SourceStatus;
  readonly restarts: readonly Restart[];
  readonly startedAt: number;
  readonly lines: number;
  readonly bytes: number;
  /** Lines read per second over the last few seconds. */
  readonly linesPerSecond: number;
  /** Bytes written to the file that the pipeline has not read yet; null when unknown (stdin, no file). */
  readonly lagBytes: number | null;
  /** The pipeline's diagnosis, escape sequences stripped (and redacted when `--redact`). */
  readonly diagnosis: Diagnosis;
  /** In the diagnosis' order (most probable root cause first). */
  readonly incidents: readonly LiveIncident[];
  readonly recent: readonly RecentView[];
  /** Incidents new or changed since the previous frame. */
  readonly changes: readonly IncidentChange[];
  /** `tail --kube`: each container stream's state (absent when following a file or stdin). */
  readonly streams?: readonly StreamInfo[];
  /** `tail --kube`: the latest stream changes, numbered (what the ndjson status objects report, each once). */
  readonly streamLog?: readonly StreamEvent[];
}

export interface LiveStoreOptions {
  /** Shortest time between two snapshots (default 200 ms: 5 frames/s at most). */
  readonly intervalMs?: number;
  /** A frame at least this often even when nothing was read, so rates and clocks move (default 1000 ms). */
  readonly idleMs?: number;
  /** Redact everything shown (`--redact`). */
  readonly redactor?: Redactor | null;
  readonly now?: () => number;
  /** How many recent lines frames carry (default 20). */
  readonly recentMax?: number;
}

const RATE_WINDOW_MS = 5_000;

export class LiveStore {
  private readonly rates = new RateTracker();
  private readonly listeners = new Set<(f: Frame) => void>();
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly idleMs: number;
  private readonly redactor: Redactor | null;
  private readonly recentMax: number;
  private readonly recentText = new Map<number, string>();
  private timer: NodeJS.Timeout | null = null;
  private current: Frame | null = null;
  private seenVersion = -1;
  private seq = 0;
  private samples: Array<{ t: number; lines: number }> = [];
  private fileSize: number | null = null;
  private statPending = false;
  private lastStatAt = 0;
  private restartsSeen = 0;
  private readonly idKey = randomBytes(32);

  constructor(
    private readonly session: TailSession,
    opts: LiveStoreOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.intervalMs = opts.intervalMs ?? 200;
    this.idleMs = opts.idleMs ?? 1000;
    this.redactor = opts.redactor ?? null;
    this.recentMax = opts.recentMax ?? 20;
  }

  /** Start the timer; frames go to subscribers. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  subscribe(fn: (f: Frame) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The latest frame (made now if there is none yet). */
  frame(): Frame {
    return this.current ?? this.refresh();
  }

  /** A new frame if something changed or the idle time passed; notifies subscribers. */
  tick(): void {
    const now = this.now();
    if (this.session.version === this.seenVersion && this.current && now - this.current.at < this.idleMs) return;
    this.refresh();
  }

  /** Makes a frame now, whatever changed, and notifies subscribers. */
  refresh(): Frame {
    const now = this.now();
    this.seenVersion = this.session.version;
    this.pollFileSize(now);
    // Escape sequences out first, as analyze does (and before redaction: `10.0.\x1b[m0.1` is an address only
    // once the escape is gone).
    const clean = prepareDiagnosis(this.session.pipeline.snapshot(), { redact: false }).diagnosis;
    const diagnosis = this.redactor ? this.redacted(clean) : clean;
    const changes = this.rates.update(diagnosis.incidents, now);
    const last = Math.floor(now / BUCKET_MS);
    const incidents = diagnosis.incidents.map((incident): LiveIncident => {
      const h = this.rates.history(incident.id)!;
      return {
        incident,
        buckets: this.rates.buckets(incident.id, last * BUCKET_MS, BUCKETS_KEPT),
        firstShownAt: h.firstShownAt,
        changedAt: h.changedAt,
        markBase: h.markBase,
      };
    });
    const lines = this.session.lines;
    this.samples.push({ t: now, lines });
    while (this.samples.length > 2 && now - this.samples[1]!.t >= RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const span = (now - first.t) / 1000;
    // At least a second: a burst read in the first instant is not a rate.
    const linesPerSecond = span > 0 ? (lines - first.lines) / Math.max(1, span) : 0;
    const offset = this.session.fileOffset;
    const lagBytes =
      this.session.isStdin || offset === null || this.fileSize === null || this.session.status.state !== 'following'
        ? null
        : Math.max(0, this.fileSize - offset);
    const frame: Frame = {
      at: now,
      seq: ++this.seq,
      source: { name: this.session.name, path: this.session.path, isStdin: this.session.isStdin },
      status: this.session.status,
      restarts: [...this.session.restarts],
      startedAt: this.session.startedAt,
      lines,
      bytes: this.session.bytes,
      linesPerSecond,
      lagBytes,
      diagnosis,
      incidents,
      recent: this.recentViews(),
      changes,
      ...(this.session.streams ? { streams: [...this.session.streams], streamLog: [...this.session.streamLog] } : {}),
    };
    this.current = frame;
    for (const fn of this.listeners) fn(frame);
    return frame;
  }

  /**
   * The diagnosis redacted for display. redactDiagnosis re-keys incident ids from the log text seen so far, so
   * they would change with every frame; the screen and the ndjson updates need one id per incident for the whole
   * session. Ids are re-keyed here with a key that lives only in this process: stable, and just as impossible to
   * turn back into the address a raw id hashes.
   */
  private redacted(raw: Diagnosis): Diagnosis {
    // Strip escape sequences before redacting: one wedged into an address would hide it.
    const red = redactDiagnosis(stripDiagnosis(raw), this.redactor!);
    const rekey = (id: string): string => createHmac('sha256', this.idKey).update(id).digest('hex').slice(0, id.length);
    if (red.incidents.length !== raw.incidents.length) return red;
    const incidents = red.incidents.map((inc, k) => {
      const src = raw.incidents[k]!;
      return { ...inc, id: rekey(src.id), rootOf: src.rootOf === null ? null : rekey(src.rootOf) };
    });
    return { ...red, incidents };
  }

  private recentViews(): RecentView[] {
    const lines = this.session.recent(this.recentMax);
    const keep = new Map<number, string>();
    const out = lines.map((l): RecentView => {
      // Sanitise (then redact) each line once, not on every frame.
      let text = this.recentText.get(l.seq);
      if (text === undefined) {
        text = stripControls(l.text);
        if (this.redactor) text = this.redactor.text(text);
      }
      keep.set(l.seq, text);
      return { seq: l.seq, at: l.at, input: l.input, line: l.line, level: l.level, text };
    });
    this.recentText.clear();
    for (const [k, v] of keep) this.recentText.set(k, v);
    return out;
  }

  /** Size of the file at the path, looked up at most once a second off the reading path. */
  private pollFileSize(now: number): void {
    if (this.session.restarts.length !== this.restartsSeen) {
      // Another file (or the same one cut short) now: the size we had is not comparable with the new offset.
      this.restartsSeen = this.session.restarts.length;
      this.fileSize = null;
      this.lastStatAt = 0;
    }
    if (this.session.isStdin || this.session.streams || this.statPending || now - this.lastStatAt < 1000) return;
    this.statPending = true;
    this.lastStatAt = now;
    const generation = this.restartsSeen;
    stat(this.session.path).then(
      (st) => {
        if (generation === this.restartsSeen) this.fileSize = st.isFile() ? st.size : null;
      },
      () => {
        this.fileSize = null;
      },
    ).finally(() => {
      this.statPending = false;
    });
  }
}
