// `npm run bench` — throughput and memory of `analyze` against grep/gzip baselines on generated gateway logs,
// plus (with --tail) the live-follow scenario. The full run writes bench/RESULTS.md (a partial one bench/out/RESULTS.md)
// and prints a summary.
//
//   npm run bench                          the family (FAMILY below) at 100MB and 1GB, 3 runs each, start-up, tail
//   npm run bench -- --quick --family      the family at 100MB, 1 run, a 5 s tail
//   npm run bench -- --quick               one log (healthy JSON) at 100MB, 1 run
//   npm run bench -- --single --sizes 100MB,1GB --runs 5 [--seed 1] [--mix busy] [--access text] [--wrap kubectl]
//   npm run bench -- --tail                also the tail scenario (--tail-only: just that; --no-tail: not in a family run)
//
// Method: files are generated once per (seed, size, access, generator build) and cached in bench/out/ with a
// `.meta.json`; the `.gz` is `gzip -6` of the same file. Before measuring, every file is read once (page cache warm),
// so all commands read from memory. Each run executes every command once; the order alternates between runs
// (forward, backward, …) so drift (thermal, neighbours) hits all commands alike; the reported value is the median.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

import { MB, type Machine, fmt, machine, probeCli, repoRoot, sizeLabel } from './common.js';
import { type AccessFormat, type GenerateResult, type Mix, type Wrap, generateFile, parseSize } from './generate.js';
import { FALLBACK_LITERALS, loadLiterals, toEre } from './literals.js';
import { type Measured, hasGnuTime, measure, median } from './measure.js';
import { type TailOutcome, renderTail, runTail } from './tail.js';

/** The literal of the `grep -c` baseline: rare in the file, like most fault literals. */
const GREP_LITERAL = 'cannot fetch Wasm module';

/** What a generated log is made of (bench/generate.ts options). */
interface Spec {
  readonly mix: Mix;
  readonly access: AccessFormat;
  readonly wrap: Wrap;
}

/** A member of the family of realistic logs (issue 17) and its goal. */
interface Member extends Spec {
  readonly id: string;
  readonly label: string;
  /** analyze ≤ this × `grep -c '<literal>'` on 1 GB. */
  readonly speedGoal: number;
  readonly stretch: number | null;
  /** Also measure its `.gz` against `gzip -dc`. */
  readonly gz: boolean;
  /** Also measure `wc -l` and `grep -cE '<every catalog literal>'` (the healthy log only: they do not depend on the mix). */
  readonly baselines: boolean;
}

/**
 * The family: a healthy gateway's log, a busy/storm mix, that mix with Istio's TEXT access log (as issue 17 measured
 * it), and the healthy log as `kubectl logs --timestamps` prints it (the wrapper alone; its goal is that of the
 * non-healthy members). `.gz` = the healthy log, gzip -6.
 */
const FAMILY: readonly Member[] = [
  { id: 'healthy', label: 'healthy, JSON access log', mix: 'healthy', access: 'json', wrap: 'none', speedGoal: 2, stretch: 1.5, gz: true, baselines: true },
  { id: 'busy', label: 'busy/storm mix, JSON access log', mix: 'busy', access: 'json', wrap: 'none', speedGoal: 2.5, stretch: null, gz: false, baselines: false },
  { id: 'text', label: 'busy mix, TEXT access log', mix: 'busy', access: 'text', wrap: 'none', speedGoal: 2.5, stretch: null, gz: false, baselines: false },
  { id: 'kubectl', label: 'healthy, kubectl logs --timestamps', mix: 'healthy', access: 'json', wrap: 'kubectl', speedGoal: 2.5, stretch: null, gz: false, baselines: false },
];

/** `.gz` goal: analyze of the .gz ≤ this × `gzip -dc > /dev/null` (issue 17). */
const GZ_GOAL = 1;
const RSS_GOAL_MIB = 100;
/** Peak RSS may grow at most this much from the smallest to the largest size. */
const RSS_GROWTH_GOAL = 0.2;
const TAIL_RATE = 100_000;

interface Args {
  sizes: number[];
  runs: number;
  seed: number;
  access: AccessFormat;
  mix: Mix;
  wrap: Wrap;
  family: boolean;
  tail: boolean;
  noTail: boolean;
  tailOnly: boolean;
  quick: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    sizes: [100 * MB, 1000 * MB], runs: 3, seed: 1, access: 'json', mix: 'healthy', wrap: 'none',
    family: false, tail: false, noTail: false, tailOnly: false, quick: false,
  };
  let family: boolean | null = null;
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--sizes' && v) (a.sizes = v.split(',').map(parseSize)), i++;
    else if (k === '--runs' && v) (a.runs = Math.max(1, Number(v) | 0)), i++;
    else if (k === '--seed' && v) (a.seed = Number(v) | 0), i++;
    else if (k === '--access' && (v === 'json' || v === 'text')) (a.access = v), (family ??= false), i++;
    else if (k === '--mix' && (v === 'healthy' || v === 'busy')) (a.mix = v), (family ??= false), i++;
    else if (k === '--wrap' && (v === 'none' || v === 'kubectl')) (a.wrap = v), (family ??= false), i++;
    else if (k === '--family') family = true;
    else if (k === '--single') family = false;
    else if (k === '--quick') a.quick = true;
    else if (k === '--tail') a.tail = true;
    else if (k === '--no-tail') a.noTail = true;
    else if (k === '--tail-only') a.tail = a.tailOnly = true;
    else throw new Error(`unknown argument ${k} (see the header of bench/run.ts)`);
  }
  // The full run measures the family; --quick alone keeps the one-log quick run.
  a.family = family ?? !a.quick;
  if (a.quick) {
    a.sizes = [100 * MB];
    a.runs = 1;
  }
  if (a.family && !a.noTail) a.tail = true;
  return a;
}

// ---------------------------------------------------------------------------------------------------------------
// Input files

interface Meta extends GenerateResult {
  readonly generator: string;
  readonly seed: number;
  readonly access: AccessFormat;
  readonly mix: Mix;
  readonly wrap: Wrap;
  readonly target: number;
  readonly genSeconds: number;
  gz?: { bytes: number; sourceMtimeMs: number; seconds: number };
}

interface Input {
  readonly label: string;
  readonly file: string;
  /** null when no `.gz` was asked for. */
  readonly gz: string | null;
  readonly meta: Meta;
  /** Set when the file was generated in this run. */
  readonly generatedMBps: number | null;
}

function generatorHash(): string {
  const js = fileURLToPath(new URL('./generate.js', import.meta.url));
  return createHash('sha256').update(readFileSync(js)).digest('hex').slice(0, 16);
}

async function ensureInput(
  outDir: string,
  target: number,
  seed: number,
  spec: Spec,
  withGz: boolean,
  log: (s: string) => void,
): Promise<Input> {
  const { access, mix, wrap } = spec;
  const label = sizeLabel(target);
  const name = `gateway-s${seed}-${label}${mix === 'busy' ? '-busy' : ''}${access === 'text' ? '-text' : ''}${wrap === 'kubectl' ? '-kubectl' : ''}`;
  const file = join(outDir, `${name}.log`);
  const metaFile = file + '.meta.json';
  const gen = generatorHash();
  let meta: Meta | undefined;
  let generatedMBps: number | null = null;
  try {
    const m = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
    if (m.generator === gen && m.target === target && m.mix === mix && m.wrap === wrap && m.access === access && statSync(file).size === m.bytes) meta = m;
  } catch {
    // missing or stale: generate
  }
  if (!meta) {
    log(`generating ${relative(process.cwd(), file)} (${label}, seed ${seed}, mix ${mix}, access ${access}, wrap ${wrap}) …`);
    const t0 = process.hrtime.bigint();
    const res = await generateFile(file, target, { seed, access, mix, wrap });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    meta = { ...res, generator: gen, seed, access, mix, wrap, target, genSeconds: +s.toFixed(3) };
    generatedMBps = res.bytes / MB / s;
    log(`  ${res.lines} lines, ${fmt(generatedMBps)} MB/s`);
  }
  const gz = file + '.gz';
  const mtime = statSync(file).mtimeMs;
  if (withGz && (!meta.gz || meta.gz.sourceMtimeMs !== mtime || !existsSync(gz) || statSync(gz).size !== meta.gz.bytes)) {
    log(`compressing to ${relative(process.cwd(), gz)} (gzip -6) …`);
    const tmp = gz + '.tmp';
    const fd = openSync(tmp, 'w');
    const t0 = process.hrtime.bigint();
    const r = spawnSync('gzip', ['-6', '-c', file], { stdio: ['ignore', fd, 'inherit'] });
    closeSync(fd);
    if (r.status !== 0) throw new Error(`gzip failed: ${r.status ?? r.signal}`);
    renameSync(tmp, gz);
    meta.gz = { bytes: statSync(gz).size, sourceMtimeMs: mtime, seconds: +(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(2) };
  }
  writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
  return { label, file, gz: withGz ? gz : null, meta, generatedMBps };
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

type CmdId = 'wc' | 'grepLit' | 'grepE' | 'grepRef' | 'analyze' | 'gunzip' | 'analyzeGz';

interface Cmd {
  readonly id: CmdId;
  readonly label: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly stdout: 'capture' | 'null';
  /** Exit codes that mean success (grep exits 1 when nothing matched). */
  readonly okCodes: readonly number[];
  readonly timeoutMs: number;
}

interface Row {
  readonly id: CmdId;
  readonly label: string;
  readonly runs: readonly Measured[];
  readonly medianMs: number;
  /** Median CPU time (user + system, every thread), seconds; null without GNU time. */
  readonly medianCpuSec: number | null;
  readonly maxRssKiB: number | null;
  readonly error: string | null;
}

interface AnalyzeCheck {
  readonly linesReported: number | null;
  readonly events: number | null;
  /** Unexplained templates reported, and the lines beyond the template bound. */
  readonly templates: number;
  readonly templatesOther: number;
  readonly incidents: number;
  readonly byCause: Record<string, { incidents: number; events: number }>;
  readonly parseError: string | null;
}

interface SizeResult {
  readonly label: string;
  readonly bytes: number;
  readonly gzBytes: number;
  readonly lines: number;
  readonly faults: Record<string, number>;
  /** Planted lines no pattern explains (busy mix). */
  readonly unexplained: number;
  readonly generatedMBps: number | null;
  readonly rows: readonly Row[];
  readonly grepLiteralCount: string;
  readonly grepECount: string;
  readonly analyzeCheck: AnalyzeCheck | null;
  readonly loadavg: readonly number[];
}

function checkAnalyze(stdout: string): AnalyzeCheck {
  try {
    const d = JSON.parse(stdout) as {
      stats?: { lines?: number; events?: number };
      incidents?: { cause?: string; count?: number }[];
      unclassified?: unknown[];
      unclassifiedOther?: number;
    };
    const byCause: Record<string, { incidents: number; events: number }> = {};
    for (const inc of d.incidents ?? []) {
      const c = inc.cause ?? '?';
      const e = (byCause[c] ??= { incidents: 0, events: 0 });
      e.incidents++;
      e.events += inc.count ?? 0;
    }
    return {
      linesReported: d.stats?.lines ?? null,
      events: d.stats?.events ?? null,
      templates: d.unclassified?.length ?? 0,
      templatesOther: d.unclassifiedOther ?? 0,
      incidents: d.incidents?.length ?? 0,
      byCause,
      parseError: null,
    };
  } catch (e) {
    return { linesReported: null, events: null, templates: 0, templatesOther: 0, incidents: 0, byCause: {}, parseError: (e as Error).message };
  }
}

async function benchSize(
  root: string,
  input: Input,
  ere: string,
  /** The fixed ~46-literal list, measured too when the catalog has fewer/other literals (reference only). */
  refEre: string | null,
  runs: number,
  analyzeOk: boolean,
  log: (s: string) => void,
  /** Also `wc -l` and the `grep -cE` rows. */
  baselines = true,
): Promise<SizeResult> {
  const bin = join(root, 'bin', 'higress-doctor.js');
  const slow = Math.max(120_000, (input.meta.bytes / MB) * 500); // 2 MB/s floor
  const gz = input.gz;
  const all: Cmd[] = [
    { id: 'wc', label: 'wc -l', cmd: 'wc', args: ['-l', input.file], stdout: 'capture', okCodes: [0], timeoutMs: slow },
    { id: 'grepLit', label: `grep -c '${GREP_LITERAL}'`, cmd: 'grep', args: ['-c', GREP_LITERAL, input.file], stdout: 'capture', okCodes: [0, 1], timeoutMs: slow },
    { id: 'grepE', label: `grep -cE '<${ere.split('|').length} literals>'`, cmd: 'grep', args: ['-cE', ere, input.file], stdout: 'capture', okCodes: [0, 1], timeoutMs: slow },
    ...(refEre === null
      ? []
      : [{ id: 'grepRef' as const, label: `grep -cE '<${refEre.split('|').length} reference literals>'`, cmd: 'grep', args: ['-cE', refEre, input.file], stdout: 'capture' as const, okCodes: [0, 1], timeoutMs: slow }]),
    ...(gz === null
      ? []
      : [{ id: 'gunzip' as const, label: 'gzip -dc .gz > /dev/null', cmd: 'gzip', args: ['-dc', gz], stdout: 'null' as const, okCodes: [0], timeoutMs: slow }]),
  ];
  const cmds = all.filter((c) => baselines || (c.id !== 'wc' && c.id !== 'grepE' && c.id !== 'grepRef'));
  if (analyzeOk) {
    const a = (f: string): string[] => [bin, 'analyze', f, '--format', 'json', '--fail-on', 'none'];
    cmds.push({ id: 'analyze', label: 'analyze FILE --format json', cmd: process.execPath, args: a(input.file), stdout: 'capture', okCodes: [0], timeoutMs: slow });
    if (gz !== null) {
      cmds.push({ id: 'analyzeGz', label: 'analyze FILE.gz --format json', cmd: process.execPath, args: a(gz), stdout: 'capture', okCodes: [0], timeoutMs: slow });
    }
  }
  // Paired commands run next to each other: grep -c then analyze, gzip -dc then analyze .gz.
  const rank: Record<CmdId, number> = { wc: 0, grepE: 1, grepRef: 2, grepLit: 3, analyze: 4, gunzip: 5, analyzeGz: 6 };
  cmds.sort((x, y) => rank[x.id] - rank[y.id]);
  // Warm the page cache: every command then reads from memory.
  for (const f of gz === null ? [input.file] : [input.file, gz]) await measure('cat', [f], { stdout: 'null' });

  const results = new Map<CmdId, Measured[]>(cmds.map((c) => [c.id, []]));
  const errors = new Map<CmdId, string>();
  let grepLiteralCount = '';
  let grepECount = '';
  let analyzeCheck: AnalyzeCheck | null = null;
  const load = loadavg().map((x) => +x.toFixed(2));
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? cmds : [...cmds].reverse();
    for (const c of order) {
      if (errors.has(c.id)) continue;
      const m = await measure(c.cmd, c.args, { cwd: root, stdout: c.stdout, timeoutMs: c.timeoutMs });
      const ok = !m.timedOut && m.code !== null && c.okCodes.includes(m.code);
      if (!ok) {
        const why = m.timedOut ? `timed out after ${fmt(c.timeoutMs / 1000)} s` : `exit ${m.code ?? m.signal}`;
        errors.set(c.id, `${why}: ${m.stderr.trim().split('\n').slice(-1)[0] ?? ''}`.slice(0, 300));
        log(`  ${c.label}: FAILED (${errors.get(c.id)})`);
        continue;
      }
      results.get(c.id)?.push(m);
      if (c.id === 'grepLit') grepLiteralCount = m.stdout.trim();
      if (c.id === 'grepE') grepECount = m.stdout.trim();
      if (c.id === 'analyze' && analyzeCheck === null) analyzeCheck = checkAnalyze(m.stdout);
      log(
        `  run ${r + 1}/${runs} ${c.label.padEnd(34)} ${fmt(m.wallMs / 1000, 3).padStart(8)} s  ` +
          `${m.cpuSec === null ? '' : `cpu ${fmt(m.cpuSec, 2)} s  `}${m.maxRssKiB === null ? '' : fmt(m.maxRssKiB / 1024, 1) + ' MiB'}`,
      );
    }
  }
  const rows: Row[] = cmds.map((c) => {
    const ms = results.get(c.id) ?? [];
    const rss = ms.map((m) => m.maxRssKiB).filter((x): x is number => x !== null);
    const cpu = ms.map((m) => m.cpuSec).filter((x): x is number => x !== null);
    return {
      id: c.id,
      label: c.label,
      runs: ms.map((m) => ({ ...m, stdout: m.stdout.length > 200 ? `(${m.stdout.length} chars)` : m.stdout })),
      medianMs: median(ms.map((m) => m.wallMs)),
      medianCpuSec: cpu.length > 0 ? median(cpu) : null,
      maxRssKiB: rss.length > 0 ? Math.max(...rss) : null,
      error: errors.get(c.id) ?? null,
    };
  });
  return {
    label: input.label,
    bytes: input.meta.bytes,
    gzBytes: input.meta.gz?.bytes ?? 0,
    lines: input.meta.lines,
    faults: input.meta.faults,
    unexplained: input.meta.unexplained ?? 0,
    generatedMBps: input.generatedMBps,
    rows,
    grepLiteralCount,
    grepECount,
    analyzeCheck,
    loadavg: load,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

/** analyze of a small file: the fixed cost of a run (start-up, catalog, worker) that operators pay on every file. */
interface StartupRow {
  readonly label: string;
  readonly bytes: number;
  readonly runs: number;
  readonly plainMs: number;
  readonly gzMs: number;
  readonly plainRssKiB: number | null;
  readonly gzRssKiB: number | null;
}

interface FamilyResult {
  readonly member: Member;
  readonly sizes: readonly SizeResult[];
}

interface Throughput {
  readonly date: string;
  readonly machine: Machine;
  readonly args: Args;
  readonly rssMethod: string;
  readonly literals: { source: string; count: number; note?: string };
  readonly analyze: { ok: boolean; reason: string };
  /** Wall time of analyze on a 2 MB file: the fixed cost (start-up, catalog) in every measurement. */
  readonly smoke: { bytes: number; plain: number; gz: number } | null;
  /** Single-log run (`--single`, `--quick`). */
  readonly sizes: readonly SizeResult[];
  /** Family run: every member at every size. */
  readonly family?: readonly FamilyResult[];
  readonly startup?: readonly StartupRow[];
  readonly loadavgAtEnd: readonly number[];
}

interface Goal {
  readonly what: string;
  readonly value: string;
  readonly pass: boolean | null;
}

function row(s: SizeResult, id: CmdId): Row | undefined {
  return s.rows.find((r) => r.id === id);
}

/**
 * a / b of one size: the median of the per-run ratios when both commands ran in every run (each run measures both,
 * next to each other), otherwise the ratio of the medians.
 */
function pairedRatio(s: SizeResult, a: CmdId, b: CmdId): number {
  const ra = row(s, a)?.runs ?? [];
  const rb = row(s, b)?.runs ?? [];
  if (ra.length > 0 && ra.length === rb.length) return median(ra.map((m, i) => m.wallMs / (rb[i] as Measured).wallMs));
  return (row(s, a)?.medianMs ?? NaN) / (row(s, b)?.medianMs ?? NaN);
}

const val = (x: number, d = 2): string => (Number.isFinite(x) ? `${x.toFixed(d)}×` : 'not measured');
const judge = (x: number, ok: (x: number) => boolean): boolean | null => (Number.isFinite(x) ? ok(x) : null);
/** The issues set the speed ratios for 1 GB; on smaller files the fixed start-up cost weighs in: no verdict. */
const speedNote = (s: SizeResult): string => (s.bytes >= 1e9 ? '' : ' (ratio goals are for 1 GB)');

function rssGoal(prefix: string, s: SizeResult, id: 'analyze' | 'analyzeGz'): Goal {
  const rss = row(s, id)?.maxRssKiB ?? null;
  return {
    what: `${prefix}${s.label}: peak RSS of ${id === 'analyze' ? 'analyze' : 'analyze .gz'} ≤ ${RSS_GOAL_MIB} MiB`,
    value: rss === null ? 'not measured' : `${fmt(rss / 1024, 1)} MiB`,
    pass: rss === null ? null : rss <= RSS_GOAL_MIB * 1024,
  };
}

function growthGoal(prefix: string, sizes: readonly SizeResult[], id: 'analyze' | 'analyzeGz'): Goal | null {
  if (sizes.length < 2) return null;
  const first = sizes[0] as SizeResult;
  const last = sizes[sizes.length - 1] as SizeResult;
  const a = row(first, id)?.maxRssKiB ?? null;
  const b = row(last, id)?.maxRssKiB ?? null;
  if (a === null || b === null) return null;
  const g = b / a - 1;
  return {
    what: `${prefix}peak RSS of ${id === 'analyze' ? 'analyze' : 'analyze .gz'} grows ≤ ${RSS_GROWTH_GOAL * 100}% from ${first.label} to ${last.label}`,
    value: `${fmt(a / 1024, 1)} → ${fmt(b / 1024, 1)} MiB (${g >= 0 ? '+' : ''}${fmt(g * 100, 1)}%)`,
    pass: g <= RSS_GROWTH_GOAL,
  };
}

function singleGoals(t: Throughput): Goal[] {
  const out: Goal[] = [];
  for (const s of t.sizes) {
    const note = speedNote(s);
    const big = s.bytes >= 1e9;
    const a = pairedRatio(s, 'analyze', 'grepLit');
    out.push({ what: `${s.label}: analyze ≤ 2.5× grep -c literal${note}`, value: val(a), pass: big ? judge(a, (x) => x <= 2.5) : null });
    const e = pairedRatio(s, 'analyze', 'grepE');
    out.push({ what: `${s.label}: analyze faster than grep -cE (ratio < 1)${note}`, value: val(e), pass: big ? judge(e, (x) => x < 1) : null });
    const g = pairedRatio(s, 'analyzeGz', 'gunzip');
    out.push({ what: `${s.label}: analyze .gz ≤ ${GZ_GOAL}× gzip -dc${note}`, value: val(g), pass: big ? judge(g, (x) => x <= GZ_GOAL) : null });
    out.push(rssGoal('', s, 'analyze'), rssGoal('', s, 'analyzeGz'));
  }
  for (const id of ['analyze', 'analyzeGz'] as const) {
    const g = growthGoal('', t.sizes, id);
    if (g) out.push(g);
  }
  return out;
}

function familyGoals(fam: readonly FamilyResult[]): Goal[] {
  const out: Goal[] = [];
  for (const { member: m, sizes } of fam) {
    const p = `${m.id} `;
    for (const s of sizes) {
      const note = speedNote(s);
      const big = s.bytes >= 1e9;
      const a = pairedRatio(s, 'analyze', 'grepLit');
      out.push({ what: `${p}${s.label}: analyze ≤ ${m.speedGoal}× grep -c literal${note}`, value: val(a), pass: big ? judge(a, (x) => x <= m.speedGoal) : null });
      if (m.stretch !== null) {
        const st = m.stretch;
        out.push({ what: `${p}${s.label}: stretch: analyze ≤ ${st}× grep -c literal${note}`, value: val(a), pass: big ? judge(a, (x) => x <= st) : null });
      }
      if (m.baselines) {
        const e = pairedRatio(s, 'analyze', 'grepE');
        out.push({ what: `${p}${s.label}: analyze faster than grep -cE (ratio < 1)${note}`, value: val(e), pass: big ? judge(e, (x) => x < 1) : null });
      }
      if (m.gz) {
        const g = pairedRatio(s, 'analyzeGz', 'gunzip');
        out.push({ what: `${p}${s.label}: analyze .gz ≤ ${GZ_GOAL}× gzip -dc${note}`, value: val(g), pass: big ? judge(g, (x) => x <= GZ_GOAL) : null });
      }
      out.push(rssGoal(p, s, 'analyze'));
      if (m.gz) out.push(rssGoal(p, s, 'analyzeGz'));
    }
    for (const id of m.gz ? (['analyze', 'analyzeGz'] as const) : (['analyze'] as const)) {
      const g = growthGoal(p, sizes, id);
      if (g) out.push(g);
    }
  }
  return out;
}

function tailGoals(tail: TailOutcome | null): Goal[] {
  if (tail === null || 'skipped' in tail) return [];
  const r = tail;
  const at = `tail at ${r.rate.toLocaleString('en-US')} lines/s for ${r.seconds} s`;
  return [
    {
      what: `${at}: every marker reported, max lag < 1 s`,
      value: `${r.markersSeen}/${r.markersSent}, p95 ${fmt(r.lagMs.p95)} ms, max ${Number.isFinite(r.lagMs.max) ? fmt(r.lagMs.max) + ' ms' : '∞'} (achieved ${fmt(r.achievedRate)} lines/s)`,
      pass: r.goals.lag,
    },
    { what: `${at}: peak RSS ≤ ${RSS_GOAL_MIB} MiB`, value: r.rss.peakKiB === null ? '—' : `${fmt(r.rss.peakKiB / 1024, 1)} MiB`, pass: r.goals.rssBudget },
    { what: `${at}: flat RSS (last third − first third ≤ 10 MiB)`, value: `Δ ${fmt(r.rss.growthKiB / 1024, 1)} MiB`, pass: r.goals.flatRss },
  ];
}

function startupGoals(rows: readonly StartupRow[] | undefined): Goal[] {
  return (rows ?? []).map((r) => ({
    what: `start-up: analyze of a ${r.label} (measured, to be cut; no bound set)`,
    value: `${fmt(r.plainMs / 1000, 3)} s, .gz ${fmt(r.gzMs / 1000, 3)} s (median of ${r.runs}; RSS ${r.plainRssKiB === null ? '—' : fmt(r.plainRssKiB / 1024, 1)} MiB)`,
    pass: null,
  }));
}

function goals(t: Throughput, tail: TailOutcome | null): Goal[] {
  return t.family ? [...familyGoals(t.family), ...startupGoals(t.startup), ...tailGoals(tail)] : singleGoals(t);
}

const pfx = (p: boolean | null): string => (p === null ? 'n/a' : p ? 'PASS' : 'FAIL');

function throughputTable(s: SizeResult): string {
  const lines = [
    `| command | median wall (s) | median CPU user+sys (s) | MB/s | M lines/s | peak RSS (MiB) | runs: wall / CPU (s) |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | --- |`,
  ];
  for (const r of s.rows) {
    const sec = r.medianMs / 1000;
    const runs = r.runs.map((m) => `${fmt(m.wallMs / 1000, 3)}${m.cpuSec === null || m.cpuSec === undefined ? '' : ` / ${fmt(m.cpuSec, 2)}`}`).join(', ');
    lines.push(
      `| \`${r.label}\` | ${fmt(sec, 3)} | ${r.medianCpuSec === null || r.medianCpuSec === undefined ? '—' : fmt(r.medianCpuSec, 2)} | ` +
        `${fmt(s.bytes / MB / sec)} | ${fmt(s.lines / 1e6 / sec, 2)} | ` +
        `${r.maxRssKiB === null ? '—' : fmt(r.maxRssKiB / 1024, 1)} | ${r.error ? `FAILED: ${r.error.replace(/\|/g, '\\|')}` : runs} |`,
    );
  }
  return lines.join('\n');
}

function diagnosisTable(s: SizeResult): string {
  const c = s.analyzeCheck;
  if (!c) return '_analyze did not run._';
  if (c.parseError) return `_analyze output is not JSON: ${c.parseError}_`;
  const causes = [...new Set([...Object.keys(s.faults), ...Object.keys(c.byCause)])];
  const out = [
    `analyze reported ${c.linesReported ?? '?'} lines (generated: ${s.lines}), ${c.events ?? '?'} events, ${c.incidents} incidents, ` +
      `${c.templates} unexplained templates (+${c.templatesOther} lines beyond the bound; planted unexplained lines: ${s.unexplained}).`,
    '',
    '| cause | planted events | incidents | events in incidents |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const k of causes) {
    out.push(`| ${k} | ${s.faults[k] ?? 0} | ${c.byCause[k]?.incidents ?? 0} | ${c.byCause[k]?.events ?? 0} |`);
  }
  return out.join('\n');
}

function machineBlock(m: Machine): string {
  return [
    `- date: ${m.date}`,
    `- nproc: ${m.nproc}; CPU: ${m.cpuModel}; kernel ${m.kernel}`,
    `- memory: ${m.memTotalGiB} GiB`,
    `- node ${m.node}; ${m.grep}; ${m.gzip}; ${m.locale}`,
    `- load average at start (1/5/15 min): ${m.loadavgAtStart.join(' / ')}`,
    '',
    '```',
    m.free,
    '```',
  ].join('\n');
}

function sizeSection(title: string, s: SizeResult): string[] {
  const out: string[] = [];
  out.push(`### ${title}: ${s.bytes} bytes, ${s.lines} lines${s.gzBytes ? `, .gz ${fmt(s.gzBytes / MB, 1)} MB` : ''} (load avg at start ${s.loadavg.join(' / ')})`, '');
  out.push(throughputTable(s), '');
  const a = pairedRatio(s, 'analyze', 'grepLit');
  out.push(`analyze / grep -c, paired median: ${val(a)}. grep -c literal count: ${s.grepLiteralCount || '—'}${s.grepECount ? `; grep -cE count: ${s.grepECount}` : ''}.`);
  if (s.generatedMBps !== null) out.push(`Generated in this run at ${fmt(s.generatedMBps)} MB/s.`);
  out.push('', diagnosisTable(s), '');
  return out;
}

function renderThroughput(t: Throughput, tail: TailOutcome | null): string {
  const out: string[] = [];
  const kind = t.family ? 'family' : 'single log';
  out.push(`## Throughput and memory — ${t.args.quick ? 'quick' : 'full'} ${kind} run (${t.args.runs} run(s) per command, median)`, '');
  out.push(machineBlock(t.machine), '');
  out.push(
    `Peak RSS method: ${t.rssMethod === 'gnu-time' ? 'GNU time `%M` (ru_maxrss); CPU = GNU time `%U + %S` (all threads of the command)' : '/proc/<pid>/status VmHWM polled every 10 ms (no CPU times)'}. ` +
      `grep -cE literals: ${t.literals.count} from the ${t.literals.source}${t.literals.note ? ` (${t.literals.note})` : ''}. ` +
      `MB = 10⁶ bytes; .gz throughput counts uncompressed bytes. Ratios are the median of per-run ratios (each run measures both commands, one after the other).`,
    '',
  );
  if (!t.analyze.ok) out.push(`**analyze not measured**: ${t.analyze.reason}`, '');
  if (t.smoke) {
    out.push(
      `Fixed cost: \`analyze\` of a ${fmt(t.smoke.bytes / MB)} MB file takes ${fmt(t.smoke.plain / 1000, 3)} s ` +
        `(.gz: ${fmt(t.smoke.gz / 1000, 3)} s) — process start-up and catalog loading are part of every wall time below.`,
      '',
    );
  }
  if (t.family) {
    out.push('Family (bench/run.ts `FAMILY`, bench/generate.ts options):', '');
    for (const { member: m } of t.family) {
      out.push(`- **${m.id}**: ${m.label} (\`--mix ${m.mix} --access ${m.access} --wrap ${m.wrap}\`), goal ≤ ${m.speedGoal}× grep -c${m.stretch ? ` (stretch ${m.stretch}×)` : ''}${m.gz ? `, .gz ≤ ${GZ_GOAL}× gzip -dc` : ''}`);
    }
    out.push('');
  }
  if ((t.family ? t.family.flatMap((f) => f.sizes) : t.sizes).some((s) => row(s, 'grepRef'))) {
    out.push(
      'The `reference literals` row (not a goal) greps the ~46 fault literals of bench/literals.ts, about the size of ' +
        'the ~40-pattern `grep -cE` the issue quotes; the goal row uses the catalog as it is today.',
      '',
    );
  }
  out.push('### Goals', '', '| goal | measured | result |', '| --- | --- | --- |');
  for (const g of goals(t, tail)) out.push(`| ${g.what} | ${g.value} | ${pfx(g.pass)} |`);
  out.push('');
  if (t.family) for (const f of t.family) for (const s of f.sizes) out.push(...sizeSection(`${f.member.id}, ${s.label}`, s));
  else for (const s of t.sizes) out.push(...sizeSection(s.label, s));
  out.push(`Load average at end: ${t.loadavgAtEnd.join(' / ')}.`, '');
  return out.join('\n');
}

function renderResults(t: Throughput | null, tail: TailOutcome | null): string {
  return [
    '# higress-doctor benchmark results',
    '',
    'Generated by `npm run bench` (bench/run.ts); see bench/README.md for the method. Do not edit by hand.',
    '',
    t ? renderThroughput(t, tail) : '## Throughput and memory\n\n_Not run yet._\n',
    '## Tail scenario',
    '',
    tail ? renderTail(tail) : '_Not run yet (`npm run bench -- --tail`)._\n',
  ].join('\n');
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Median wall time and peak RSS of `analyze` on a small file and its .gz, `runs` times each, alternating. */
async function startupRow(root: string, label: string, input: Input, runs: number): Promise<StartupRow> {
  const bin = join(root, 'bin', 'higress-doctor.js');
  const files = input.gz === null ? [input.file] : [input.file, input.gz];
  for (const f of files) await measure('cat', [f], { stdout: 'null' });
  const walls: number[][] = files.map(() => []);
  const rss: (number | null)[] = files.map(() => null);
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      const f = files[i];
      if (f === undefined) continue;
      const m = await measure(process.execPath, [bin, 'analyze', f, '--format', 'json', '--fail-on', 'none'], { cwd: root, timeoutMs: 120_000 });
      walls[i]?.push(m.wallMs);
      if (m.maxRssKiB !== null) rss[i] = Math.max(rss[i] ?? 0, m.maxRssKiB);
    }
  }
  return {
    label,
    bytes: input.meta.bytes,
    runs,
    plainMs: median(walls[0] ?? []),
    gzMs: median(walls[1] ?? []),
    plainRssKiB: rss[0] ?? null,
    gzRssKiB: rss[1] ?? null,
  };
}

function printSize(title: string, s: SizeResult): void {
  process.stdout.write(`\n${title} (${s.lines} lines)\n`);
  process.stdout.write(
    `${'command'.padEnd(36)} ${'median s'.padStart(9)} ${'CPU s'.padStart(7)} ${'MB/s'.padStart(7)} ${'Mlines/s'.padStart(9)} ${'RSS MiB'.padStart(8)}\n`,
  );
  for (const r of s.rows) {
    const sec = r.medianMs / 1000;
    process.stdout.write(
      `${r.label.padEnd(36)} ${fmt(sec, 3).padStart(9)} ${(r.medianCpuSec === null || r.medianCpuSec === undefined ? '—' : fmt(r.medianCpuSec, 2)).padStart(7)} ${fmt(s.bytes / MB / sec).padStart(7)} ` +
        `${fmt(s.lines / 1e6 / sec, 2).padStart(9)} ${(r.maxRssKiB === null ? '—' : fmt(r.maxRssKiB / 1024, 1)).padStart(8)}` +
        (r.error ? `  FAILED: ${r.error}` : '') +
        '\n',
    );
  }
  const c = s.analyzeCheck;
  if (c && !c.parseError) {
    process.stdout.write(`analyze: ${c.events ?? '?'} events, ${c.incidents} incidents, ${c.templates} unexplained templates (+${c.templatesOther})\n`);
  }
}

// ---------------------------------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const root = repoRoot();
  const outDir = join(root, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  const log = (s: string): void => void process.stderr.write(s + '\n');
  const lastThroughput = join(outDir, 'last-throughput.json');
  const lastTail = join(outDir, 'last-tail.json');
  const healthy: Spec = FAMILY[0] as Member;
  const single: Spec = { mix: args.mix, access: args.access, wrap: args.wrap };

  let throughput: Throughput | null = readJson<Throughput>(lastThroughput);
  if (!args.tailOnly) {
    const m = machine();
    if ((m.loadavgAtStart[0] ?? 0) > 0.35 * m.nproc) {
      log(`note: load average ${m.loadavgAtStart.join(' ')} — the machine is not idle, numbers will be noisy`);
    }
    const lit = loadLiterals(join(root, 'patterns'));
    if (lit.note) log(`note: ${lit.note}`);
    const ere = toEre(lit.literals);
    const refEre = lit.source === 'catalog' ? toEre(FALLBACK_LITERALS) : null;
    const analyzeProbe = await probeCli(root, ['analyze', '--help']);
    let analyze = { ok: analyzeProbe.ok, reason: analyzeProbe.ok ? '' : `\`higress-doctor analyze\` is not available (${analyzeProbe.reason})` };
    let smokeMs: Throughput['smoke'] = null;
    if (analyze.ok) {
      // A real run on a small file (plain and .gz) catches a half-built CLI before spending minutes on big ones.
      const smoke = await ensureInput(outDir, 2 * MB, args.seed, args.family ? healthy : single, true, log);
      const walls: number[] = [];
      for (const f of [smoke.file, smoke.gz as string]) {
        const m = await measure(process.execPath, [join(root, 'bin', 'higress-doctor.js'), 'analyze', f, '--format', 'json', '--fail-on', 'none'], {
          cwd: root,
          timeoutMs: 120_000,
        });
        walls.push(m.wallMs);
        const bad = m.code !== 0 ? `exit ${m.code ?? m.signal}: ${m.stderr.trim().split('\n').pop() ?? ''}` : checkAnalyze(m.stdout).parseError;
        if (bad && analyze.ok) {
          analyze = { ok: false, reason: `analyze failed on ${relative(root, f)}: ${bad}` };
          log(`note: ${analyze.reason} — measuring the baselines only`);
        }
      }
      smokeMs = { bytes: smoke.meta.bytes, plain: walls[0] ?? NaN, gz: walls[1] ?? NaN };
    }
    const sizes: SizeResult[] = [];
    let family: FamilyResult[] | undefined;
    let startup: StartupRow[] | undefined;
    if (args.family) {
      family = [];
      if (analyze.ok) {
        // Start-up: what operators pay on every small or rotated file. At least 5 runs: they are short.
        const n = Math.max(5, args.runs);
        log(`start-up: analyze of 2 MB and 10 MB files (${n} runs each) …`);
        startup = [
          await startupRow(root, '2 MB file', await ensureInput(outDir, 2 * MB, args.seed, healthy, true, log), n),
          await startupRow(root, '10 MB rotated file (gateway.log.N, and .gz)', await ensureInput(outDir, 10 * MB, args.seed, healthy, true, log), n),
        ];
      }
      for (const member of FAMILY) {
        const res: SizeResult[] = [];
        for (const target of args.sizes) {
          const input = await ensureInput(outDir, target, args.seed, member, member.gz, log);
          log(`benchmarking ${member.id} ${input.label} (${args.runs} run(s)) …`);
          res.push(await benchSize(root, input, ere, refEre, args.runs, analyze.ok, log, member.baselines));
        }
        family.push({ member, sizes: res });
      }
    } else {
      for (const target of args.sizes) {
        const input = await ensureInput(outDir, target, args.seed, single, true, log);
        log(`benchmarking ${input.label} (${args.runs} run(s)) …`);
        sizes.push(await benchSize(root, input, ere, refEre, args.runs, analyze.ok, log));
      }
    }
    throughput = {
      date: new Date().toISOString(),
      machine: m,
      args,
      rssMethod: hasGnuTime() ? 'gnu-time' : 'proc-poll',
      literals: { source: lit.source, count: lit.literals.length, ...(lit.note ? { note: lit.note } : {}) },
      analyze,
      smoke: smokeMs,
      sizes,
      ...(family ? { family } : {}),
      ...(startup ? { startup } : {}),
      loadavgAtEnd: loadavg().map((x) => +x.toFixed(2)),
    };
    writeFileSync(lastThroughput, JSON.stringify(throughput, null, 2) + '\n');
  }

  let tail: TailOutcome | null = readJson<TailOutcome>(lastTail);
  if (args.tail) {
    // The family run follows at issue 17's 100,000 lines/s; the single-log run at issue 5's 20,000.
    const rate = args.family ? TAIL_RATE : 20_000;
    const seconds = args.quick ? 5 : 30;
    log(`tail scenario: ${rate} lines/s for ${seconds} s …`);
    tail = await runTail({ root, outDir, seconds, rate, seed: args.seed });
    if ('skipped' in tail) log(`note: tail scenario skipped: ${tail.skipped}`);
    else writeFileSync(lastTail, JSON.stringify(tail, null, 2) + '\n');
  } else if (!args.tailOnly) {
    log('note: tail scenario not run (add --tail)');
  }

  // Only the full run (the family at its sizes and runs, with the tail) replaces the committed results; a partial
  // run (--quick, --single, --tail-only, other sizes or runs) writes beside the cached files, so that trying
  // something never overwrites the record with a fragment.
  const full = args.family && !args.quick && !args.tailOnly && args.tail && args.runs >= 3 && args.sizes.join() === [100 * MB, 1000 * MB].join();
  const resultsFile = full ? join(root, 'bench', 'RESULTS.md') : join(outDir, 'RESULTS.md');
  writeFileSync(resultsFile, renderResults(throughput, tail));
  // Summary on stdout.
  if (throughput && !args.tailOnly) {
    if (throughput.family) for (const f of throughput.family) for (const s of f.sizes) printSize(`${f.member.id} ${s.label}`, s);
    else for (const s of throughput.sizes) printSize(s.label, s);
    process.stdout.write('\nGoals:\n');
    for (const g of goals(throughput, args.tail ? tail : null)) process.stdout.write(`  ${pfx(g.pass).padEnd(4)}  ${g.what}: ${g.value}\n`);
    if (!throughput.analyze.ok) process.stdout.write(`  (analyze not measured: ${throughput.analyze.reason})\n`);
  }
  if (args.tail && tail) process.stdout.write('\n' + renderTail(tail));
  process.stdout.write(`\nWrote ${relative(process.cwd(), resultsFile)}${full ? '' : ' (a partial run: bench/RESULTS.md is written by the full `npm run bench` only)'}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: Error) => {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exitCode = 2;
  },
);
