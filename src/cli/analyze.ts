// `higress-doctor analyze [FILE|DIR|-]...`: read every input to its end, diagnose, render once.
import type { Diagnosis, Severity } from '../model.js';
import { SEVERITY_RANK } from '../model.js';
import { compiledScanPlan, loadRunCatalog } from '../catalog/compiled.js';
import { Pipeline } from '../pipeline.js';
import { COMPRESSED_NAME, resolveInputs, InputError, type InputSpec } from '../sources/open.js';
import { forgoScanWorker, scanInputs } from '../lines/scan-inputs.js';
import { writeOutputFile, writeStdout } from './output.js';
import { formatBytes, notAGatewayLog } from '../report/summary.js';
import type { Zone } from '../diagnose/clock.js';
import { statSync } from 'node:fs';
import { Timeline } from '../diagnose/timeline.js';
import { streamsOf } from './merge-inputs.js';
import { windowFact, windowOf } from './window.js';

export const DEFAULT_INPUT = '/var/log/higress/gateway.log';

export type FailOn = Severity | 'none';

export interface AnalyzeOptions {
  format: 'text' | 'json' | 'markdown';
  failOn: FailOn;
  patterns: string[];
  output?: string;
  /** undefined: on for Markdown, off otherwise. */
  redact?: boolean;
  maxBytes?: number;
  color?: boolean;
  noPrefilter?: boolean;
  /** `--tz`: the container's zone. */
  zone?: Zone | null;
  /** `--top N`: text and Markdown show the N highest-ranked incidents or families. */
  top?: number;
  command: string;
  /** `--since` / `--until` as given (cli/window.ts reads them). */
  since?: string;
  until?: string;
}

/** Run the analysis; returns the exit code (0, 1; errors throw and become 2). */
export async function analyze(args: string[], opts: AnalyzeOptions, signal?: AbortSignal): Promise<number> {
  let inputs: InputSpec[];
  try {
    inputs = await resolveInputs(args.length > 0 ? args : [DEFAULT_INPUT]);
  } catch (e) {
    if (args.length > 0) throw e;
    throw new InputError(`cannot read ${DEFAULT_INPUT} (the default input): no such file; give a log file, a folder or - for stdin`);
  }
  // Several streams (files, rotated sets, stdin): one timeline, merged by time (cli/analyze-merge.ts).
  const window = windowOf(opts.since, opts.until);
  const streams = streamsOf(inputs);
  if (streams.length > 1) {
    // Merged streams are read on this thread, a chunk at a time each: a prestarted worker would only idle.
    await forgoScanWorker();
    return (await import('./analyze-merge.js')).analyzeMerged(inputs, streams, opts, window, signal);
  }
  const timeline = window.since !== undefined || window.until !== undefined ? new Timeline(opts.zone ?? null, window) : undefined;
  // Big files are scanned on a second thread, which boots (and, with the built-in catalog, starts
  // scanning with the plan the build wrote) while this thread loads the catalog (lines/scan-inputs.ts).
  const scan = scanInputs(inputs, { inProcess: opts.noPrefilter === true, ahead: opts.patterns.length === 0 ? compiledScanPlan : null });
  try {
    // The compiled built-in catalog when it is current; the YAML parser is loaded only when needed.
    const catalog = await loadRunCatalog(opts.patterns);
    const pipeline = new Pipeline(catalog, { noPrefilter: opts.noPrefilter, contextLane: true, zone: opts.zone ?? null, ...(timeline ? { timeline } : {}) });
    const progress = new Progress(totalBytes(inputs));
    let readSomething = false;
    const failures: string[] = [];
    // SIGINT stops reading: between chunks for files; stdin, which may wait for data forever, is
    // closed so its read ends at once. (No Promise.race against a long-lived promise here: each race
    // would leave a reaction on it holding its chunk, and memory would grow with the input.)
    const onAbort = (): void => scan.stopStdin();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const step of scan.steps(pipeline.scanPlan)) {
        // Stopped between pieces, or before the next input (the first is always begun).
        if (signal?.aborted && (step.kind !== 'input' || pipeline.inputs.length > 0)) break;
        if (step.kind === 'input') pipeline.beginInput(step.spec.name);
        else if (step.kind === 'cut') {
          pipeline.failInput(step.message);
          failures.push(step.message);
        } else {
          pipeline.push(step.piece);
          if (step.bytes > 0) readSomething = true;
          progress.add(step.bytes);
        }
      }
    } catch (e) {
      if (!signal?.aborted) throw e;
    }
    // The loop's end closed the worker: its memory goes before the report is built (peak RSS).
    const interrupted = signal?.aborted ?? false;
    signal?.removeEventListener('abort', onAbort);
    pipeline.endInput();
    progress.done();
    return await finishAnalysis(pipeline.snapshot(), { paths: inputs.map((i) => i.path), failures, readSomething, interrupted, timeline }, opts);
  } finally {
    await scan.close();
  }
}

/** What every local run ends with: the checks on what was read, the report, the exit code. */
export async function finishAnalysis(
  snapshot: Diagnosis,
  run: { paths: string[]; failures: string[]; readSomething: boolean; interrupted: boolean; timeline?: Timeline | undefined },
  opts: AnalyzeOptions,
): Promise<number> {
  const { failures, readSomething, interrupted } = run;
  const w = run.timeline ? windowFact(run.timeline) : null;
  const diagnosis = w ? { ...snapshot, environment: { ...snapshot.environment, window: w } } : snapshot;
  if (!readSomething && failures.length > 0) throw new InputError(failures[0]!);
  if (notAGatewayLog(diagnosis)) {
    const names = diagnosis.inputs.map((i) => i.name).join(', ');
    // A script reading JSON still gets its one document (no incident, every line unparsed): `| jq` and a
    // harness that parses stdout see what was read instead of nothing. The exit code and the line say the rest.
    if (opts.format === 'json') await writeReport(diagnosis, opts, run.paths, interrupted);
    throw new InputError(
      `${names}: ${diagnosis.stats.lines === 1 ? 'its one line is not' : `none of the ${diagnosis.stats.lines} lines read is`} in a layout a Higress gateway writes (Envoy, pilot-agent/Istio, access log, supervisord), nor a kernel or Kubernetes pod-status line: is this the gateway's log?`,
    );
  }
  for (const f of failures) process.stderr.write(`higress-doctor: ${f}\n`);
  for (const i of diagnosis.inputs) if (i.bytes === 0 && !i.error) process.stderr.write(`higress-doctor: ${i.name} is empty: nothing to analyse\n`);
  const note = run.timeline?.windowNote();
  if (note) process.stderr.write(`higress-doctor: --since/--until ${note}\n`);
  return writeReport(diagnosis, opts, run.paths, interrupted);
}

/** Every analyze ends here (files, --kube, --docker): the report rendered and written, then the exit code. */
export async function writeReport(diagnosis: Diagnosis, opts: AnalyzeOptions, inputPaths: string[], interrupted: boolean): Promise<number> {
  const redact = opts.redact ?? opts.format === 'markdown';
  const text = await render(diagnosis, opts, redact);
  if (opts.output) writeOutputFile(opts.output, text, inputPaths);
  else writeStdout(text);
  if (interrupted) return 130;
  return exitCode(diagnosis, opts.failOn);
}

/**
 * Renderers are loaded for the chosen format only: fewer modules to load at start-up. JSON comes in pieces
 * (report/json.ts jsonPieces), written one at a time.
 */
export async function render(raw: Diagnosis, opts: AnalyzeOptions, redact: boolean): Promise<string | Iterable<string>> {
  // Markdown strips and redacts the raw diagnosis itself (it also turns incident ids in notes into numbers).
  if (opts.format === 'markdown') {
    const { renderMarkdown } = await import('../report/markdown.js');
    return renderMarkdown(raw, { command: opts.command, maxBytes: opts.maxBytes, redact, ...(opts.top !== undefined ? { top: opts.top } : {}) });
  }
  // Escape sequences stripped before redaction: `10.0.\x1b[m0.1` is an address only once the escape is gone.
  const [{ prepareDiagnosis }, { redactionNote }] = await Promise.all([import('../report/prepare.js'), import('../report/redact.js')]);
  const { diagnosis: d, redactor } = prepareDiagnosis(raw, { redact });
  switch (opts.format) {
    case 'json': {
      // With --redact, what was hidden, by kind and count (`"redacted": {"ip": 3, "token": 1}`); never a value.
      const { jsonPieces } = await import('../report/json.js');
      return jsonPieces(d, redactor ? { redacted: redactor.counts } : {});
    }
    default: {
      const [{ renderText }, { styleFor }] = await Promise.all([import('../report/text.js'), import('../report/style.js')]);
      const tty = !opts.output && process.stdout.isTTY;
      const style = opts.color === false ? styleFor({ isTTY: false }) : styleFor({ isTTY: tty });
      // Piped: 200 columns, or what COLUMNS says (`COLUMNS=80 higress-doctor analyze … | less`).
      const columns = Number(process.env.COLUMNS);
      const width = tty ? process.stdout.columns : Number.isInteger(columns) && columns > 0 ? columns : 200;
      const text = renderText(d, { style, width, ...(opts.top !== undefined ? { top: opts.top } : {}) });
      return redactor ? `${text}${redactionNote(redactor.counts)}\n` : text;
    }
  }
}

export function exitCode(d: Diagnosis, failOn: FailOn): number {
  if (failOn === 'none') return 0;
  return d.incidents.some((i) => SEVERITY_RANK[i.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}

/** The bytes the inputs hold when every one is a plain file (stdin and .gz read another amount): else null. */
function totalBytes(inputs: readonly InputSpec[]): number | null {
  let total = 0;
  for (const i of inputs) {
    if (i.path === '-' || COMPRESSED_NAME.test(i.path)) return null;
    try {
      total += statSync(i.path).size;
    } catch {
      return null;
    }
  }
  return total > 0 ? total : null;
}

/** A progress line on stderr for long runs, only when stderr is a terminal; percent and time left when the size is known. */
export class Progress {
  private bytes = 0;
  private readonly start: number;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly total: number | null,
    private readonly enabled = Boolean(process.stderr.isTTY),
    private readonly now: () => number = Date.now,
    private readonly write: (s: string) => void = (s) => void process.stderr.write(s),
  ) {
    this.start = now();
  }

  add(n: number): void {
    this.bytes += n;
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.start < 1000 || now - this.lastDraw < 250) return;
    this.lastDraw = now;
    this.write(`\r\x1b[K${progressText(this.bytes, this.total, (now - this.start) / 1000)}`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.write('\r\x1b[K');
  }
}

/** `reading… 412.0 MiB of 1.00 GiB (40%) at 205.9 MiB/s, about 3s left`; without a total, the bytes and the rate. */
export function progressText(bytes: number, total: number | null, secs: number): string {
  const rate = secs > 0 ? bytes / secs : 0;
  const head = `reading… ${formatBytes(bytes)}`;
  if (total === null || total <= 0) return `${head} at ${formatBytes(rate)}/s`;
  const pct = Math.min(100, Math.floor((bytes / total) * 100));
  const left = rate > 0 ? Math.max(0, (total - bytes) / rate) : NaN;
  const eta = Number.isFinite(left) ? `, about ${left < 60 ? `${Math.ceil(left)}s` : `${Math.floor(left / 60)}m ${String(Math.ceil(left % 60)).padStart(2, '0')}s`} left` : '';
  return `${head} of ${formatBytes(total)} (${pct}%) at ${formatBytes(rate)}/s${eta}`;
}
