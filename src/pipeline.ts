// The one pipeline both commands run: bytes → lines → records → events → findings → incidents.
// `analyze` pushes every input through it and takes one snapshot; `tail` pushes as bytes arrive
// and takes snapshots to redraw.
import type { Diagnosis, Finding, InputStats, LogEvent } from './model.js';
import { LineScanner } from './lines/scanner.js';
import { scannerOptionsFor, type ScanPlan } from './lines/plan.js';
import type { ScannerOptions } from './lines/scanner.js';
import { replayBatch } from './lines/parallel.js';
import type { Piece } from './lines/scan-inputs.js';
import { Assembler } from './parse/assemble.js';
import type { Catalog } from './catalog/load.js';
import { matchEvent } from './catalog/match.js';
import { scanPlanFor } from './catalog/scan-plan.js';
import { Diagnoser } from './diagnose/diagnose.js';
import type { Zone } from './diagnose/clock.js';
import { MinHeap } from './heap.js';
import { CAUSES_READING_PLUGIN_ACTIVITY } from './diagnose/correlations.js';
import type { LaneClock, Timeline } from './diagnose/timeline.js';
import { noteWork } from './memory.js';

export interface PipelineOptions {
  /** Decode and parse every line (the reference path the prefilter is tested against). */
  noPrefilter?: boolean;
  /** Called for every event with what the catalog made of it (tail's "recent lines" strip). */
  onEvent?: (event: LogEvent, matched: boolean) => void;
  /**
   * Hold back lines only context patterns can claim, but for the ones the diagnosis needs
   * (lines/context-lane.ts): `analyze`. Off: every candidate line becomes an event (`tail`).
   */
  contextLane?: boolean;
  /** The process an event comes from (a fleet's pod): process-bound correlations stay within it. */
  scopeOf?: (event: LogEvent) => string;
  /** The container's zone (`--tz`): Envoy's local times are read in it; else the log tells it, or not. */
  zone?: Zone | null;
  /**
   * `--since`/`--until` for inputs read one after another (diagnose/timeline.ts): each event's instant
   * decides, and what falls outside is counted there. Lanes opened with a `clock` use its timeline instead.
   */
  timeline?: Timeline;
}

/**
 * An input read side by side with others (one container's log among a fleet's, kube.ts): its own
 * line numbers and records, while its events join the one diagnosis.
 */
export interface Lane {
  readonly stats: InputStats;
  /**
   * Whole lines are best: a line cut between two pushes waits for its end in this lane only. A
   * timed lane takes the time (epoch ms) of the chunk's first line; its events are held until
   * release() passes that time, so the events of all timed lanes reach the diagnosis in time order.
   */
  push(chunk: Buffer, time?: number): void;
  /** Close a record waiting for continuation lines (tail's idle flush). */
  flush(): void;
  /** End of this input: its last line and records are closed; later pushes are refused. */
  end(): void;
}

/** An event of a timed lane waiting for its turn. */
interface HeldEvent {
  readonly time: number;
  readonly order: number;
  readonly event: LogEvent;
  readonly findings: Finding[];
}

const heldBefore = (a: HeldEvent, b: HeldEvent): boolean => a.time < b.time || (a.time === b.time && a.order < b.order);

export class Pipeline {
  readonly inputs: InputStats[] = [];
  private readonly lanes = new Set<Lane>();
  private readonly diagnoser: Diagnoser;
  private readonly assembler: Assembler;
  /** What a scanner of this pipeline's inputs needs (here, or on the scan worker). */
  readonly scanPlan: ScanPlan;
  /** Made on first use: an input scanned on the worker needs none of it here. */
  private scannerOptions: (() => ScannerOptions) | null = null;
  private scanner: LineScanner | null = null;
  private current: InputStats | null = null;
  /** The current input is scanned on the scan worker (its pieces are batches). */
  private scannedElsewhere = false;

  constructor(
    private readonly catalog: Catalog,
    private readonly opts: PipelineOptions = {},
  ) {
    this.scanPlan = scanPlanFor(catalog, opts, CAUSES_READING_PLUGIN_ACTIVITY);
    this.diagnoser = new Diagnoser({ scopeOf: opts.scopeOf, zone: opts.zone ?? null });
    this.assembler = new Assembler(this.onAssembled);
    this.windowClock = opts.timeline?.hasWindow ? opts.timeline.lane() : null;
  }

  private readonly onAssembled = (event: LogEvent): void => {
    if (this.windowClock) this.windowClock.place(event, matchEvent(this.catalog, event), this.deliverPlaced);
    else this.deliver(event, matchEvent(this.catalog, event));
  };

  /** The sequential inputs' clock when a window is given (`--since`/`--until`). */
  private readonly windowClock: LaneClock | null;
  private readonly deliverPlaced = (event: LogEvent, findings: Finding[]): void => this.deliver(event, findings);

  private deliver(event: LogEvent, findings: Finding[]): void {
    this.diagnoser.onEvent(event, findings);
    this.opts.onEvent?.(event, findings.length > 0);
  }

  /** Events of timed lanes, oldest first by (time, order). */
  private readonly held = new MinHeap<HeldEvent>(heldBefore);
  private heldOrder = 0;

  /**
   * Deliver the held events of timed lanes stamped at or before `time`, oldest first: the caller
   * pushes nothing older any more. Each gets its sequence number now, in time order.
   */
  release(time: number): void {
    const sequence = this.assembler.shared.sequence;
    while (this.held.size > 0 && this.held.peek()!.time <= time) {
      const top = this.held.pop()!;
      (top.event as { seq: number }).seq = ++sequence.seq;
      this.deliver(top.event, top.findings);
    }
  }

  private hold(e: HeldEvent): void {
    this.held.push(e);
  }

  /** Open a lane (see Lane). The scanner, the costly part, is made on its first push. */
  openLane(name: string, opts: { timed?: boolean; clock?: LaneClock } = {}): Lane {
    const stats: InputStats = { name, lines: 0, bytes: 0 };
    this.inputs.push(stats);
    // A timed lane's events get their sequence numbers when released; until then a private count.
    const shared = this.assembler.shared;
    const clock = opts.clock ?? null;
    // A lane with a clock is timed by its events' own times (diagnose/timeline.ts), not by its pushes'.
    const timed = (opts.timed ?? false) || clock !== null;
    // First line number and time of each push, to tell an event's time by its first line. Events
    // come in line order: the pushes before the last event's are dropped (memory stays flat).
    let firstLines: number[] = [];
    let times: number[] = [];
    let from = 0;
    const timeOf = (line: number): number => {
      let lo = from;
      let hi = firstLines.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (firstLines[mid]! <= line) lo = mid;
        else hi = mid - 1;
      }
      from = lo;
      if (from > 4096 && from > firstLines.length / 2) {
        firstLines = firstLines.slice(from);
        times = times.slice(from);
        from = 0;
        return times[0]!;
      }
      return times[lo] ?? -Infinity;
    };
    const place = (event: LogEvent, findings: Finding[], key: number): void => this.hold({ time: key, order: ++this.heldOrder, event, findings });
    const assembler = clock
      ? new Assembler((event) => clock.place(event, matchEvent(this.catalog, event), place), { stats: shared.stats, sequence: { seq: 0 } })
      : timed
      ? new Assembler((event) => this.hold({ time: timeOf(event.line), order: ++this.heldOrder, event, findings: matchEvent(this.catalog, event) }), {
          stats: shared.stats,
          sequence: { seq: 0 },
        })
      : new Assembler(this.onAssembled, shared);
    assembler.beginInput(name);
    let scanner: LineScanner | null = null;
    let ended = false;
    const lane: Lane = {
      stats,
      push: (chunk, time) => {
        if (ended) throw new Error(`push() after end() of lane ${name}`);
        noteWork(chunk.length);
        this.scannerOptions ??= scannerOptionsFor(this.scanPlan);
        scanner ??= new LineScanner(assembler, this.scannerOptions());
        if (timed && time !== undefined) {
          firstLines.push(scanner.lines + 1);
          times.push(time);
        }
        scanner.push(chunk);
        stats.bytes = scanner.byteCount;
        stats.lines = scanner.lines;
      },
      flush: () => assembler.flush(),
      end: () => {
        if (ended) return;
        ended = true;
        if (scanner) {
          scanner.end();
          stats.lines = scanner.lines;
        }
        assembler.flush();
        clock?.end(place);
        scanner = null;
        this.lanes.delete(lane);
      },
    };
    this.lanes.add(lane);
    return lane;
  }

  /** Start reading an input; line numbers restart at 1. */
  beginInput(name: string): InputStats {
    this.endInput();
    const stats: InputStats = { name, lines: 0, bytes: 0 };
    this.inputs.push(stats);
    this.current = stats;
    this.assembler.beginInput(name);
    return stats;
  }

  /**
   * A piece of the current input (lines/scan-inputs.ts): raw bytes go through this pipeline's
   * scanner; a batch the scan worker already scanned (lines/parallel.ts) is replayed into the
   * assembler in order, so the stages after the scanner run the same either way. One input's pieces
   * are all of one kind.
   */
  push(piece: Piece): void {
    const current = this.current;
    if (!current) throw new Error('push() before beginInput()');
    noteWork(piece instanceof Uint8Array ? piece.length : piece.bytes - current.bytes);
    if (piece instanceof Uint8Array) {
      this.scannerOptions ??= scannerOptionsFor(this.scanPlan);
      this.scanner ??= new LineScanner(this.assembler, this.scannerOptions());
      this.scanner.push(piece);
      current.bytes = this.scanner.byteCount;
      current.lines = this.scanner.lines;
    } else {
      this.scannedElsewhere = true;
      replayBatch(piece, this.assembler);
      current.bytes = piece.bytes;
      current.lines = piece.lines;
    }
  }

  /** Close open records (end of input, or idle in `tail`: a record waiting for more lines is done). */
  flush(): void {
    this.assembler.flush();
    for (const lane of this.lanes) lane.flush();
  }

  endInput(): void {
    // A worker-scanned input was ended there (its last unterminated line came in the last batch).
    if (this.scanner && this.current && !this.scannedElsewhere) {
      this.scanner.end();
      this.current.lines = this.scanner.lines;
      this.current.bytes = this.scanner.byteCount;
    }
    this.assembler.flush();
    this.windowClock?.end(this.deliverPlaced);
    this.scanner = null;
    this.current = null;
    this.scannedElsewhere = false;
  }

  /** Mark the current input as cut short (truncated gzip, read error); what was read still counts. */
  failInput(message: string): void {
    if (this.current) this.current.error = message;
  }

  /** End every open lane and deliver what timed lanes still hold (the end of an `analyze --kube` run). */
  endLanes(): void {
    for (const lane of [...this.lanes]) lane.end();
    this.release(Infinity);
  }

  snapshot(): Diagnosis {
    return this.diagnoser.snapshot(this.inputs, this.assembler.stats);
  }
}
