// Tail scenario: a writer appends generated gateway.log lines at a fixed rate while
// `node bin/higress-doctor.js tail FILE --format ndjson` follows the file; we measure how late the tool reports
// what was written (lag) and how its memory behaves over time.
//
// How lag is measured (honest version):
// - Once per second the writer appends a marker: a single-line pilot-agent fault whose subject is unique,
//   `…cannot fetch Wasm module http://localhost:8002/plugins/bench-marker-000017/1.0.0/plugin.wasm: … status code 404`.
//   Its L4 timestamp is the writer's wall clock at the moment of writing. The marker is a real fault, so a working
//   `tail` must emit an incident update that names it (subject, title or evidence contain `bench-marker-000017`).
// - write time = monotonic clock right after the write() syscall that put the marker in the file returned;
//   arrival time = monotonic clock when the first ndjson line containing the marker id reached this process
//   through the tail's stdout pipe. lag = arrival − write. It includes file-change detection, reading, parsing,
//   multi-line assembly (incl. any idle flush), diagnosis, rendering and the pipe. The writer runs on a thread of
//   its own (generating 100,000 lines/s keeps a thread busy: sharing the reader's event loop, it delayed the
//   reader's timestamps by seconds); both read the process-wide monotonic clock (process.hrtime).
// - A marker never reported within the grace period after the run counts as missing (lag = ∞ for the goal).
// RSS: /proc/<pid>/status VmRSS of the tail process every 250 ms; CPU from /proc/<pid>/stat utime+stime.

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

import { fmt, probeCli, repoRoot } from './common.js';
import { type Mix, generateLines } from './generate.js';
import { median } from './measure.js';

export interface TailOptions {
  readonly root: string;
  readonly outDir: string;
  readonly seconds: number;
  /** Lines per second appended. */
  readonly rate: number;
  readonly seed: number;
  /** Generated content (default healthy). */
  readonly mix?: Mix;
  /** Time given to the tool to start following before the first write, ms. */
  readonly startupMs?: number;
  /** How long to wait for late markers after the writer stops, ms. */
  readonly graceMs?: number;
}

export interface TailSample {
  /** Seconds since the writer started. */
  readonly t: number;
  readonly rssKiB: number;
}

export interface TailResult {
  readonly date: string;
  readonly seconds: number;
  readonly rate: number;
  readonly linesWritten: number;
  readonly bytesWritten: number;
  readonly achievedRate: number;
  readonly markersSent: number;
  readonly markersSeen: number;
  readonly lagMs: { readonly p50: number; readonly p95: number; readonly max: number; readonly all: readonly number[] };
  readonly ndjsonLines: number;
  readonly ndjsonBadLines: number;
  readonly rss: {
    readonly peakKiB: number | null;
    readonly firstThirdMaxKiB: number;
    readonly lastThirdMaxKiB: number;
    readonly growthKiB: number;
    readonly slopeMiBPerMin: number;
    readonly samples: readonly TailSample[];
  };
  readonly cpuPercent: number | null;
  readonly exit: string;
  readonly stderrTail: string;
  /** flatRss: null when the run was too short to tell (fewer than six samples after its first 5 s: `--quick`). */
  readonly goals: { readonly lag: boolean; readonly flatRss: boolean | null; readonly rssBudget: boolean };
}

export type TailOutcome = { readonly skipped: string } | TailResult;

const MARKER = /bench-marker-(\d{6})/g;

function marker(n: number): string {
  const now = new Date();
  const us = String(Math.floor((performance.timeOrigin + performance.now()) * 1000) % 1000).padStart(3, '0');
  const ts = now.toISOString().slice(0, 23) + us + 'Z';
  const url = `http://localhost:8002/plugins/bench-marker-${String(n).padStart(6, '0')}/1.0.0/plugin.wasm`;
  return (
    `${ts}\terror\twasm\terror in applying failopen rbac config: cannot fetch Wasm module ${url}: ` +
    'wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404'
  );
}

function procStatus(pid: number): { rss: number; hwm: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(s);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(s);
    return rss && hwm ? { rss: Number(rss[1]), hwm: Number(hwm[1]) } : null;
  } catch {
    return null;
  }
}

/** utime + stime in clock ticks (USER_HZ, 100 on Linux). */
function cpuTicks(pid: number): number | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Milliseconds on the process-wide monotonic clock (the same on every thread, unlike performance.now). */
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

interface WriterJob {
  readonly file: string;
  readonly seconds: number;
  readonly rate: number;
  readonly seed: number;
  readonly mix: Mix;
}

interface WriterReport {
  readonly written: number;
  readonly bytes: number;
  readonly elapsed: number;
  readonly sentAt: ReadonlyArray<readonly [number, number]>;
}

/** Lines generated ahead and written again in turn: generating 100,000 lines/s would take the thread's time. */
const POOL_LINES = 200_000;

/** What the writer thread posts: its start (the clock's zero), then its report. */
type WriterMessage = { readonly ready: number } | WriterReport;

/**
 * The writer (on its own thread): self-correcting ticks, each one writes what is due by now. Its clock starts
 * when its pool of lines is ready (`ready` is called with that moment): a schedule started before (when the
 * thread was made) found itself seconds behind on a slow machine and caught up with a burst of several
 * seconds of lines at once, and the lag measured that burst, not `tail`.
 */
async function writeAtRate(job: WriterJob, ready: (t0: number) => void): Promise<WriterReport> {
  const fd = openSync(job.file, 'a');
  const gen = generateLines({ seed: job.seed, mix: job.mix });
  const poolLines = Math.max(1, Math.min(POOL_LINES, job.rate * job.seconds));
  const pool = Buffer.from(Array.from({ length: poolLines }, () => (gen.next().value as string) + '\n').join(''), 'latin1');
  // Where each line of the pool starts (and, last, the pool's end).
  const starts = new Int32Array(poolLines + 1);
  for (let i = 0, at = 0; i < poolLines; i++) {
    starts[i] = at;
    at = pool.indexOf(10, at) + 1;
    starts[i + 1] = at;
  }
  // Lines [from, to) of the endless sequence, written straight from the pool.
  const writeLines = (from: number, to: number): number => {
    let n = 0;
    for (let i = from; i < to; ) {
      const k = i % poolLines;
      const take = Math.min(to - i, poolLines - k);
      n += writeSync(fd, pool, starts[k]!, starts[k + take]! - starts[k]!);
      i += take;
    }
    return n;
  };
  const t0 = nowMs();
  ready(t0);
  const sentAt: Array<[number, number]> = [];
  let written = 0;
  let bytes = 0;
  let markers = 0;
  const endMs = job.seconds * 1000;
  for (;;) {
    const el = nowMs() - t0;
    const due = Math.min(job.rate * job.seconds, Math.floor((job.rate * el) / 1000));
    if (written < due) {
      bytes += writeLines(written, due);
      written = due;
    }
    if (markers * 1000 <= el && markers < job.seconds) {
      const m = markers++;
      bytes += writeSync(fd, Buffer.from(marker(m) + '\n', 'latin1'));
      sentAt.push([m, nowMs()]);
    }
    if (el >= endMs && written >= due) break;
    await sleep(10);
  }
  closeSync(fd);
  return { written, bytes, elapsed: (nowMs() - t0) / 1000, sentAt };
}

export async function runTail(opts: TailOptions): Promise<TailOutcome> {
  const probe = await probeCli(opts.root, ['tail', '--help']);
  if (!probe.ok) return { skipped: `\`higress-doctor tail\` is not available yet (${probe.reason})` };

  mkdirSync(opts.outDir, { recursive: true });
  const file = join(opts.outDir, `tail-${process.pid}.log`);
  closeSync(openSync(file, 'w'));
  const bin = join(opts.root, 'bin', 'higress-doctor.js');
  const child = spawn(process.execPath, [bin, 'tail', file, '--format', 'ndjson'], {
    cwd: opts.root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  let exited: string | null = null;
  child.on('exit', (code, signal) => (exited = `exit ${code ?? signal}`));
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4096)));

  const sentAt = new Map<number, number>();
  const arrivedAt = new Map<number, number>();
  let ndjsonLines = 0;
  let ndjsonBad = 0;
  let partial = '';
  child.stdout.on('data', (b: Buffer) => {
    const now = nowMs();
    const parts = (partial + b.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.trim() === '') continue;
      ndjsonLines++;
      try {
        JSON.parse(line);
      } catch {
        ndjsonBad++;
      }
      for (const m of line.matchAll(MARKER)) {
        const n = Number(m[1]);
        if (!arrivedAt.has(n)) arrivedAt.set(n, now);
      }
    }
  });

  await sleep(opts.startupMs ?? 1500);
  if (exited !== null) {
    rmSync(file, { force: true });
    return { skipped: `\`higress-doctor tail\` ended before any write (${exited}): ${stderr.trim().split('\n')[0] ?? ''}` };
  }

  const job: WriterJob = { file, seconds: opts.seconds, rate: opts.rate, seed: opts.seed, mix: opts.mix ?? 'healthy' };
  const writer = new Worker(new URL(import.meta.url), { workerData: { job } });
  // Two messages, the length of the run apart: the moment it starts writing, then its report.
  const next = (): Promise<WriterMessage> =>
    new Promise((resolve, reject) => {
      writer.once('message', resolve);
      writer.once('error', reject);
    });
  const ready = await next();
  if (!('ready' in ready)) throw new Error('tail bench: the writer reported before it was ready');
  const t0 = ready.ready;
  const samples: TailSample[] = [];
  let peak: number | null = null;
  const cpu0 = pid !== undefined ? cpuTicks(pid) : null;
  const sampler = setInterval(() => {
    const s = pid !== undefined ? procStatus(pid) : null;
    if (s) {
      samples.push({ t: (nowMs() - t0) / 1000, rssKiB: s.rss });
      peak = Math.max(peak ?? 0, s.hwm);
    }
  }, 250);
  const report = await next();
  if ('ready' in report) throw new Error('tail bench: the writer was ready twice');
  await writer.terminate();
  const { written, bytes, elapsed } = report;
  for (const [n, at] of report.sentAt) sentAt.set(n, at);

  // Grace period for the last markers.
  const graceEnd = nowMs() + (opts.graceMs ?? 3000);
  while (nowMs() < graceEnd && arrivedAt.size < sentAt.size && exited === null) await sleep(50);
  clearInterval(sampler);
  const last = pid !== undefined ? procStatus(pid) : null;
  if (last) peak = Math.max(peak ?? 0, last.hwm);
  const cpu1 = pid !== undefined ? cpuTicks(pid) : null;
  const cpuPercent = cpu0 !== null && cpu1 !== null ? ((cpu1 - cpu0) / 100 / ((nowMs() - t0) / 1000)) * 100 : null;

  if (exited === null) {
    child.kill('SIGINT');
    for (let i = 0; i < 60 && exited === null; i++) await sleep(50);
    if (exited === null) child.kill('SIGKILL');
    for (let i = 0; i < 20 && exited === null; i++) await sleep(50);
  }
  rmSync(file, { force: true });

  const lags: number[] = [];
  for (const [n, sent] of sentAt) {
    const arrived = arrivedAt.get(n);
    lags.push(arrived === undefined ? Number.POSITIVE_INFINITY : Math.max(0, arrived - sent));
  }
  const sorted = lags.filter(Number.isFinite).sort((a, b) => a - b);
  const seen = sorted.length;
  const warm = samples.filter((s) => s.t >= 5);
  const third = Math.max(1, Math.floor(warm.length / 3));
  const firstMax = Math.max(0, ...warm.slice(0, third).map((s) => s.rssKiB));
  const lastMax = Math.max(0, ...warm.slice(-third).map((s) => s.rssKiB));
  const half = warm.slice(Math.floor(warm.length / 2));
  const slope = regressionSlope(half.map((s) => s.t), half.map((s) => s.rssKiB)); // KiB per second
  const maxLag = lags.length === 0 ? Number.POSITIVE_INFINITY : Math.max(...lags);
  const peakKiB: number | null = peak;
  return {
    date: new Date().toISOString(),
    seconds: opts.seconds,
    rate: opts.rate,
    linesWritten: written,
    bytesWritten: bytes,
    achievedRate: written / elapsed,
    markersSent: sentAt.size,
    markersSeen: seen,
    lagMs: { p50: median(sorted), p95: percentile(sorted, 95), max: maxLag, all: lags },
    ndjsonLines,
    ndjsonBadLines: ndjsonBad,
    rss: {
      peakKiB,
      firstThirdMaxKiB: firstMax,
      lastThirdMaxKiB: lastMax,
      growthKiB: lastMax - firstMax,
      slopeMiBPerMin: (slope * 60) / 1024,
      samples,
    },
    cpuPercent,
    exit: exited ?? 'still running after SIGKILL',
    stderrTail: stderr.trim().split('\n').slice(-5).join('\n'),
    goals: {
      lag: seen === sentAt.size && seen > 0 && maxLag < 1000,
      flatRss: warm.length >= 6 ? lastMax - firstMax <= 10 * 1024 : null,
      rssBudget: peakKiB !== null && peakKiB <= 100 * 1024,
    },
  };
}

function regressionSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    num += dx * ((ys[i] as number) - my);
    den += dx * dx;
  }
  return den === 0 ? 0 : num / den;
}

export function renderTail(r: TailOutcome): string {
  if ('skipped' in r) return `Tail scenario skipped: ${r.skipped}\n`;
  const mib = (k: number | null): string => (k === null ? '—' : fmt(k / 1024, 1));
  const pf = (b: boolean | null): string => (b === null ? 'not measured (run too short)' : b ? 'PASS' : 'FAIL');
  return [
    `Tail scenario (${r.date}): ${r.rate} lines/s for ${r.seconds} s → wrote ${r.linesWritten} lines ` +
      `(${fmt(r.bytesWritten / 1e6, 1)} MB, achieved ${fmt(r.achievedRate)} lines/s), ${r.markersSent} markers`,
    '',
    '| metric | value | goal |',
    '| --- | --- | --- |',
    `| markers reported | ${r.markersSeen} / ${r.markersSent} | all |`,
    `| lag p50 / p95 / max | ${fmt(r.lagMs.p50)} / ${fmt(r.lagMs.p95)} / ${Number.isFinite(r.lagMs.max) ? fmt(r.lagMs.max) : '∞ (missing)'} ms | max < 1000 ms — ${pf(r.goals.lag)} |`,
    `| peak RSS (VmHWM) | ${mib(r.rss.peakKiB)} MiB | ≤ 100 MiB — ${pf(r.goals.rssBudget)} |`,
    `| RSS max, first vs last third (after 5 s) | ${mib(r.rss.firstThirdMaxKiB)} → ${mib(r.rss.lastThirdMaxKiB)} MiB (Δ ${mib(r.rss.growthKiB)}) | Δ ≤ 10 MiB — ${pf(r.goals.flatRss)} |`,
    `| RSS slope, second half | ${fmt(r.rss.slopeMiBPerMin, 2)} MiB/min | ≈ 0 |`,
    `| tail CPU | ${r.cpuPercent === null ? '—' : fmt(r.cpuPercent) + ' %'} of one core | |`,
    `| ndjson lines (unparseable) | ${r.ndjsonLines} (${r.ndjsonBadLines}) | |`,
    `| tail exit after SIGINT | ${r.exit} | |`,
    '',
  ].join('\n');
}

async function cli(argv: string[]): Promise<number> {
  let seconds = 30;
  let rate = 20_000;
  let seed = 1;
  let mix: Mix = 'healthy';
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--seconds' && v) (seconds = Number(v)), i++;
    else if (argv[i] === '--mix' && (v === 'healthy' || v === 'busy')) (mix = v), i++;
    else if (argv[i] === '--rate' && v) (rate = Number(v)), i++;
    else if (argv[i] === '--seed' && v) (seed = Number(v)), i++;
    else {
      process.stderr.write('usage: tail [--seconds 30] [--rate 20000] [--seed 1] [--mix healthy|busy]\n');
      return 2;
    }
  }
  const root = repoRoot();
  const r = await runTail({ root, outDir: join(root, 'bench', 'out'), seconds, rate, seed, mix });
  process.stdout.write(renderTail(r));
  return 'skipped' in r ? 0 : r.goals.lag && r.goals.flatRss !== false && r.goals.rssBudget ? 0 : 1;
}

if (!isMainThread && (workerData as { job?: WriterJob } | null)?.job) {
  const { job } = workerData as { job: WriterJob };
  void writeAtRate(job, (t0) => parentPort!.postMessage({ ready: t0 })).then((r) => parentPort!.postMessage(r));
} else if (isMainThread && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  cli(process.argv.slice(2)).then((code) => (process.exitCode = code));
}

