// `higress-doctor tail [FILE|-]`: follow a live log through rotation and show incidents as they form. The same
// Pipeline as `analyze` reads every byte (src/tui/session.ts); a throttled store turns it into frames
// (src/tui/store.ts) for one of three outputs:
//   ui      the live screen (Ink, loaded only here, only for this mode) — default when stdout is a terminal
//   text    one line per new/changed incident on stdout, status lines on stderr — default otherwise
//   ndjson  one JSON object per line: status, incident and summary objects (see src/tui/plain-output.ts)
// Exit codes: 0 when stopped by the operator (q, Ctrl-C, SIGTERM) or at the end of stdin; 2 with one line on
// stderr for bad options or an unreadable input. tail never exits 1: it has no end-of-run verdict.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { DEFAULT_INPUT } from './analyze.js';
import { writeOutputFile, writeStdout } from './output.js';
import { watchStdoutReader } from './stdout-watch.js';
import { loadRunCatalog } from '../catalog/compiled.js';
import { renderMarkdown } from '../report/markdown.js';
import { createRedactor, type Redactor } from '../report/redact.js';
import { PLAIN, styleFor } from '../report/style.js';
import { InputError } from '../sources/open.js';
import type { Zone } from '../diagnose/clock.js';
import { FollowError } from '../sources/follow.js';
import { TailSession } from '../tui/session.js';
import type { KubeOptions } from './analyze-kube.js';
import { DEFAULT_CONTROLLER_SELECTOR } from '../sources/kube.js';
import type { FollowerOptions } from '../sources/kube-follow.js';
import { LiveStore, type Frame } from '../tui/store.js';
import {
  ndjsonIncident,
  ndjsonStatus,
  ndjsonSummary,
  statusEvents,
  summaryLine,
  textIncident,
  textStatus,
  type PlainFormat,
} from '../tui/plain-output.js';

export interface TailOptions {
  readonly path: string;
  /** True when no FILE was given (the default path). */
  readonly isDefault: boolean;
  readonly format: 'ui' | PlainFormat;
  readonly backlogLines: number;
  readonly fromStart: boolean;
  readonly patterns: string[];
  readonly redact: boolean;
  /** `--tz`: the container's zone. */
  readonly zone: Zone | null;
}

/** Options as commander hands them over, checked. */
export function parseTailOptions(file: string | undefined, o: Record<string, unknown>, stdoutIsTTY = Boolean(process.stdout.isTTY)): TailOptions {
  const raw = String(o.lines ?? '1000').trim();
  if (!/^\d+$/.test(raw)) throw new InputError(`--lines takes a whole number of lines ≥ 0 (got ${raw})`);
  const format = (o.format as TailOptions['format'] | undefined) ?? (stdoutIsTTY ? 'ui' : 'text');
  if (format === 'ui' && !stdoutIsTTY) {
    throw new InputError('--format ui needs a terminal on standard output; use --format text or --format ndjson');
  }
  return {
    path: file ?? DEFAULT_INPUT,
    isDefault: file === undefined,
    format,
    backlogLines: Number(raw),
    fromStart: o.fromStart === true,
    patterns: (o.patterns as string[] | undefined) ?? [],
    redact: o.redact === true,
    zone: (o.tz as Zone | undefined) ?? null,
  };
}

/** Refuse what can never be followed; a missing file is fine (we wait for it). */
function checkPath(path: string): void {
  if (path === '-') return;
  let isFile = false;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(`cannot follow ${path}: is a directory (give the log file itself)`);
    if (!st.isFile()) throw new InputError(`cannot follow ${path}: not a regular file (to follow a pipe, use: … | higress-doctor tail -)`);
    isFile = true;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'EACCES' || code === 'EPERM') throw new InputError(`cannot read ${path}: permission denied`);
    if (code === 'ENOTDIR') throw new InputError(`cannot follow ${path}: a part of the path is not a directory`);
    throw new InputError(`cannot read ${path}: ${code?.toLowerCase() ?? (e as Error).message}`);
  }
  if (isFile) {
    try {
      accessSync(path, constants.R_OK);
    } catch {
      throw new InputError(`cannot read ${path}: permission denied`);
    }
  }
}

function asUserError(e: unknown): unknown {
  if (e instanceof FollowError) return new InputError(e.message);
  return e;
}

const stamp = (d: Date): string => {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
};

export async function tailCommand(file: string | undefined, o: Record<string, unknown>, kube: KubeOptions | null = null, docker: string | null = null): Promise<number> {
  const parsed = parseTailOptions(file, o);
  const opts: TailOptions = kube || docker ? { ...parsed, isDefault: false } : parsed;
  // The compiled built-in catalog when it is current (no YAML parser to load), as in analyze.
  const catalog = await loadRunCatalog(opts.patterns);
  if (!kube && !docker) checkPath(opts.path);
  const redactor = opts.redact ? createRedactor() : null;
  const session = kube
    ? new TailSession({ catalog, path: kubeSourceLabel(kube), kube: followerOptions(kube, opts), zone: opts.zone })
    : docker
    ? new TailSession({
        catalog,
        path: `docker container ${docker}`,
        docker: { container: docker, backlogLines: opts.fromStart ? -1 : opts.backlogLines, ...(o.dockerPoll !== undefined ? { pollMs: Math.max(50, Number(o.dockerPoll) || 2000) } : {}) },
        zone: opts.zone,
      })
    : new TailSession({ catalog, path: opts.path, backlogLines: opts.backlogLines, fromStart: opts.fromStart, zone: opts.zone });
  const store = new LiveStore(session, { redactor });
  return opts.format === 'ui' ? runUi(session, store, redactor) : runPlain(session, store, opts);
}

/** What the header and status lines call a cluster source. */
function kubeSourceLabel(k: KubeOptions): string {
  const selectors = [k.selector, ...(k.withController ? [DEFAULT_CONTROLLER_SELECTOR] : [])];
  return `${k.target.context ? `${k.target.context}: ` : ''}namespace ${k.target.namespace}, ${selectors.join(' + ')}`;
}

function followerOptions(k: KubeOptions, opts: TailOptions): FollowerOptions {
  return {
    target: k.target,
    selectors: [k.selector, ...(k.withController ? [DEFAULT_CONTROLLER_SELECTOR] : [])],
    roles: ['gateway', 'controller'],
    maxStreams: k.maxStreams,
    backlogLines: opts.fromStart ? -1 : opts.backlogLines,
    ...(k.pollMs !== undefined ? { pollMs: k.pollMs } : {}),
  };
}

async function runUi(session: TailSession, store: LiveStore, redactor: Redactor | null): Promise<number> {
  const { runTui } = await import('../tui/run.js');
  const ac = new AbortController();
  const reading = session.run(ac.signal);
  // runTui reports a reading failure itself; this keeps it from being an unhandled rejection meanwhile.
  reading.catch(() => undefined);
  store.start();
  let exportRedactor: Redactor | null = redactor;
  const command = ['higress-doctor', ...process.argv.slice(2)].join(' ');
  const exported: string[] = [];
  const onExport = (): string => {
    // Exports are always redacted; with --redact, with the screen's pseudonyms.
    exportRedactor ??= createRedactor();
    const md = renderMarkdown(session.pipeline.snapshot(), { command, redact: exportRedactor });
    const base = `higress-doctor-${stamp(new Date())}`;
    let path = resolve(`${base}.md`);
    for (let n = 2; existsSync(path); n++) path = resolve(`${base}-${n}.md`);
    writeOutputFile(path, md, session.isStdin || session.streams ? [] : [session.path]);
    exported.push(path);
    // Always in the current folder: the short form fits a narrow screen; the summary gives the full path.
    return `./${basename(path)}`;
  };
  let error: Error | null;
  try {
    ({ error } = await runTui({ store, onExport, reading, logOnStdin: session.isStdin }));
  } finally {
    ac.abort();
    store.stop();
  }
  await reading.catch(() => undefined);
  if (error) throw asUserError(error);
  const last = store.refresh();
  const summary = summaryLine(last.diagnosis, last);
  writeStdout(exported.length ? `${summary.trimEnd()} Exported: ${exported.join(', ')}\n` : summary);
  return 0;
}

/** A signal after a plain run ended: leave as the run leaves (main sets the exit code before the loop drains). */
const exitOnLateSignal = (): void => process.exit();

async function runPlain(session: TailSession, store: LiveStore, opts: TailOptions): Promise<number> {
  const format = opts.format as PlainFormat;
  const style = format === 'text' ? styleFor(process.stdout) : PLAIN;
  const ac = new AbortController();
  let prev: Frame | null = null;
  let closed = false;
  const out = (text: string): void => {
    if (closed) return;
    if (!writeStdout(text)) {
      // The reader went away (`| head`): stop quietly.
      closed = true;
      ac.abort();
    }
  };
  const emit = (f: Frame): void => {
    for (const e of statusEvents(prev, f)) {
      // The error that ends the run is the one line main() prints: no `failed` line before it.
      if (format === 'text' && e.state === 'failed' && !e.stream) continue;
      if (format === 'ndjson') out(ndjsonStatus(e, f));
      else process.stderr.write(textStatus(e, f));
    }
    for (const c of f.changes) out(format === 'ndjson' ? ndjsonIncident(c, f.at) : textIncident(c, f.at, style));
    prev = f;
  };
  const unsubscribe = store.subscribe(emit);
  // Like `tail -f`: a reader that went away ends the run within a second, even when nothing is written.
  const unwatch = watchStdoutReader(() => {
    closed = true;
    ac.abort();
  });
  const stop = (): void => ac.abort();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, stop);
  if (format === 'text' && opts.isDefault && !existsSync(opts.path)) {
    process.stderr.write(`higress-doctor: ${opts.path} (the default input) does not exist yet; waiting for it. Give a log file, or - for stdin.\n`);
  }
  store.start();
  let error: unknown = null;
  try {
    await session.run(ac.signal);
  } catch (e) {
    error = e;
  } finally {
    store.stop();
    unwatch();
    for (const s of signals) {
      // The run is over and the summary on its way out: a signal now ends the process as the run does, instead
      // of killing it (no summary, no exit code) between here and the exit. Added before `stop` goes: with no
      // listener at all for a moment, the signal's default action would be back.
      if (!process.listeners(s).includes(exitOnLateSignal)) process.on(s, exitOnLateSignal);
      process.off(s, stop);
    }
  }
  // The last records were closed at the end of reading: report them too.
  const last = store.refresh();
  unsubscribe();
  if (error) throw asUserError(error);
  if (format === 'ndjson') out(ndjsonSummary(last));
  else process.stderr.write(summaryLine(last.diagnosis, last));
  return 0;
}
