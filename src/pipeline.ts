// The one pipeline both commands run: bytes → lines → records → events → findings → incidents.
// `analyze` pushes every input through it and takes one snapshot; `tail` pushes as bytes arrive
// and takes snapshots to redraw.
import type { Diagnosis, InputStats, LogEvent } from './model.js';
import { LineScanner } from './lines/scanner.js';
import { scannerOptionsFor, type ScanPlan } from './lines/plan.js';
import type { ScannerOptions } from './lines/scanner.js';
import { replayBatch, type ScanBatch } from './lines/parallel.js';
import { Assembler } from './parse/assemble.js';
import type { Catalog } from './catalog/load.js';
import { matchEvent } from './catalog/match.js';
import { scanPlanFor } from './catalog/scan-plan.js';
import { Diagnoser } from './diagnose/diagnose.js';
import { CAUSES_READING_PLUGIN_ACTIVITY } from './diagnose/correlations.js';

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
}

export class Pipeline {
  readonly inputs: InputStats[] = [];
  private readonly diagnoser = new Diagnoser();
  private readonly assembler: Assembler;
  /** What a scanner of this pipeline's inputs needs (here, or on the scan worker). */
  readonly scanPlan: ScanPlan;
  /** Made on first use: an input scanned on the worker needs none of it here. */
  private scannerOptions: (() => ScannerOptions) | null = null;
  private scanner: LineScanner | null = null;
  private current: InputStats | null = null;
  /** The current input is scanned on the scan worker (its lines arrive via pushScanned). */
  private scannedElsewhere = false;

  constructor(
    private readonly catalog: Catalog,
    private readonly opts: PipelineOptions = {},
  ) {
    this.scanPlan = scanPlanFor(catalog, opts, CAUSES_READING_PLUGIN_ACTIVITY);
    this.assembler = new Assembler((event) => {
      const findings = matchEvent(this.catalog, event);
      this.diagnoser.onEvent(event, findings);
      this.opts.onEvent?.(event, findings.length > 0);
    });
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
   * Lines of the current input as the scan worker's LineScanner saw them (lines/parallel.ts):
   * replayed into the assembler in order, so the stages after the scanner run as for push().
   */
  pushScanned(batch: ScanBatch): void {
    if (!this.current) throw new Error('pushScanned() before beginInput()');
    this.scannedElsewhere = true;
    replayBatch(batch, this.assembler);
    this.current.bytes = batch.bytes;
    this.current.lines = batch.lines;
  }

  push(chunk: Buffer): void {
    if (!this.current) throw new Error('push() before beginInput()');
    this.scannerOptions ??= scannerOptionsFor(this.scanPlan);
    this.scanner ??= new LineScanner(this.assembler, this.scannerOptions());
    this.scanner.push(chunk);
    this.current.bytes = this.scanner.byteCount;
    this.current.lines = this.scanner.lines;
  }

  /** Close open records (end of input, or idle in `tail`: a record waiting for more lines is done). */
  flush(): void {
    this.assembler.flush();
  }

  endInput(): void {
    // A worker-scanned input was ended there (its last unterminated line came in the last batch).
    if (this.scanner && this.current && !this.scannedElsewhere) {
      this.scanner.end();
      this.current.lines = this.scanner.lines;
      this.current.bytes = this.scanner.byteCount;
    }
    this.assembler.flush();
    this.scanner = null;
    this.current = null;
    this.scannedElsewhere = false;
  }

  /** Mark the current input as cut short (truncated gzip, read error); what was read still counts. */
  failInput(message: string): void {
    if (this.current) this.current.error = message;
  }

  snapshot(): Diagnosis {
    return this.diagnoser.snapshot(this.inputs, this.assembler.stats);
  }
}
