// The fast path against the reference path on a generated gateway.log (bench/generate.ts): the
// byte prefilter, the scan worker (the CLI reads files of WORKER_MIN_BYTES and more on a second
// thread) and the synchronous gzip reader must not change the diagnosis. No timing is asserted.
import { closeSync, copyFileSync, cpSync, mkdtempSync, openSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GenerateOptions, generateFile } from '../bench/generate.js';
import { loadCatalog } from '../src/catalog/load.js';
import { WORKER_MIN_BYTES } from '../src/lines/parallel.js';
import type { Diagnosis } from '../src/model.js';
import { Pipeline } from '../src/pipeline.js';
import { scanPlanFor } from '../src/catalog/scan-plan.js';
import { CAUSES_READING_PLUGIN_ACTIVITY } from '../src/diagnose/correlations.js';
import { compiledScanPlan, loadRunCatalog } from '../src/catalog/compiled.js';
import { requiredAlternatives, requiredSubstrings } from '../src/catalog/regex-source.js';
import type { ScanPlan } from '../src/lines/plan.js';
import { ROOT, runCli } from './helpers/cli.js';

const catalog = loadCatalog();
const dir = mkdtempSync(join(tmpdir(), 'hd-perf-'));
const file = join(dir, 'gateway.log');
let bytes: Buffer;

/** As `analyze` runs the pipeline (with the context lane), in-process. */
function run(buf: Buffer, noPrefilter: boolean, chunk = 1 << 20): Diagnosis {
  const p = new Pipeline(catalog, { noPrefilter, contextLane: true });
  p.beginInput('gateway.log');
  for (let i = 0; i < buf.length; i += chunk) p.push(buf.subarray(i, Math.min(buf.length, i + chunk)));
  p.endInput();
  return p.snapshot();
}

/**
 * What must not depend on the path. (With --no-prefilter every line is an event, so event
 * numbers differ; notes count events by their marks, Bounds.events, and do not.)
 */
function essence(d: Diagnosis) {
  return {
    incidents: d.incidents.map((i) => ({
      id: i.id,
      cause: i.cause,
      count: i.count,
      confidence: i.confidence,
      subject: i.subject,
      evidence: i.evidence.map((e) => `${e.input}:${e.line}`),
      // Notes count events by their marks (Bounds.events), the same on every path.
      notes: i.notes,
      rootOf: i.rootOf,
    })),
    unclassified: d.unclassified.map((u) => [u.template, u.count]),
    lines: d.stats.lines,
    unparsed: d.stats.unparsed,
    plugins: d.environment.plugins,
    envoyVersion: d.environment.envoyVersion,
  };
}

describe('fast path on a generated gateway.log', () => {
  beforeAll(async () => {
    // Just over the worker threshold, so the CLI takes the worker path; every fault kind is planted.
    const r = await generateFile(file, WORKER_MIN_BYTES + 4 * 1024 * 1024, { seed: 7 });
    expect(r.lines).toBeGreaterThan(10_000);
    bytes = readFileSync(file);
  });

  it('gives the diagnosis of the reference path (every line parsed)', () => {
    const fast = run(bytes, false);
    const slow = run(bytes, true);
    expect(fast.stats.lines).toBe(slow.stats.lines);
    expect(fast.stats.events).toBeLessThan(slow.stats.events);
    expect(fast.incidents.length).toBeGreaterThan(5);
    expect(essence(fast)).toEqual(essence(slow));
  });

  it('does not depend on chunk boundaries', () => {
    const reference = run(bytes, false);
    expect(run(bytes, false, 64 * 1024 + 7)).toEqual(reference);
  });

  it('CLI: a scan plan that is not the loaded catalog’s is dropped for the right one', () => {
    // A copy of the package whose dist/scan-plan.json does not fit its catalog (as after a build
    // older than patterns/): the scan begun with it must be redone with the catalog's plan.
    const pkg = mkdtempSync(join(tmpdir(), 'hd-stale-'));
    for (const d of ['bin', 'dist', 'patterns']) cpSync(join(ROOT, d), join(pkg, d), { recursive: true });
    copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
    const planFile = join(pkg, 'dist/scan-plan.json');
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as ScanPlan;
    // Literal ids that mean other literals: matching with them would go wrong.
    writeFileSync(planFile, JSON.stringify({ ...plan, matchLiterals: [...plan.matchLiterals].reverse() }));
    const r = spawnSync(process.execPath, [join(pkg, 'bin/higress-doctor.js'), 'analyze', file, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.status).toBe(0);
    const w = JSON.parse(r.stdout) as Diagnosis;
    const inProcess = JSON.parse(JSON.stringify(run(bytes, false))) as Diagnosis;
    expect(w.stats).toEqual(inProcess.stats);
    expect(w.incidents.map((i) => [i.id, i.count, i.evidence])).toEqual(inProcess.incidents.map((i) => [i.id, i.count, i.evidence]));
  });

  it('scanInputs: the worker\'s batches give the in-process diagnosis, after an early scan with the right plan, a stale one or none', async () => {
    // The built module: only there is the worker's module beside it.
    const built = (await import(pathToFileURL(join(ROOT, 'dist/src/lines/scan-inputs.js')).href)) as typeof import('../src/lines/scan-inputs.js');
    const reference = run(bytes, false);
    const plan = new Pipeline(catalog, { contextLane: true }).scanPlan;
    const stale: ScanPlan = { ...plan, matchLiterals: [...plan.matchLiterals].reverse() };
    for (const ahead of [plan, stale, null]) {
      const p = new Pipeline(catalog, { contextLane: true });
      const scan = built.scanInputs([{ name: 'gateway.log', path: file }], { ahead: () => ahead });
      let batches = 0;
      let chunks = 0;
      for await (const step of scan.steps(p.scanPlan)) {
        if (step.kind === 'input') p.beginInput(step.spec.name);
        else if (step.kind === 'piece') {
          if (step.piece instanceof Uint8Array) chunks++;
          else batches++;
          p.push(step.piece);
        }
      }
      p.endInput();
      expect([batches > 0, chunks], String(ahead === stale)).toEqual([true, 0]);
      expect(p.snapshot(), String(ahead === stale)).toEqual(reference);
    }
  });

  it('scanInputs: leaving the loop stops the worker; in-process with the option', async () => {
    const built = (await import(pathToFileURL(join(ROOT, 'dist/src/lines/scan-inputs.js')).href)) as typeof import('../src/lines/scan-inputs.js');
    const plan = new Pipeline(catalog, { contextLane: true }).scanPlan;
    const spec = { name: 'gateway.log', path: file };
    let n = 0;
    for await (const step of built.scanInputs([spec, spec], { ahead: () => plan }).steps(plan)) if (step.kind === 'piece' && ++n === 2) break;
    expect(n).toBe(2);
    const kinds = new Set<string>();
    for await (const step of built.scanInputs([spec], { inProcess: true }).steps(plan)) if (step.kind === 'piece') kinds.add(step.piece instanceof Uint8Array ? 'chunk' : 'batch');
    expect([...kinds]).toEqual(['chunk']);
  });

  it('stdin fed to the worker (lines/feed.ts): the in-process diagnosis, plain or gzipped, in chunks of any size', async () => {
    const built = (await import(pathToFileURL(join(ROOT, 'dist/src/lines/parallel.js')).href)) as typeof import('../src/lines/parallel.js');
    const reference = run(bytes, false);
    const plan = new Pipeline(catalog, { contextLane: true }).scanPlan;
    // Chunks smaller and larger than a feed slot (64 KiB), cut anywhere.
    const chunksOf = (b: Buffer, size: number): Buffer[] => Array.from({ length: Math.ceil(b.length / size) }, (_, k) => b.subarray(k * size, (k + 1) * size));
    for (const [what, input, size] of [
      ['plain, 5,000-byte chunks', bytes, 5_000],
      ['plain, 300,001-byte chunks', bytes, 300_001],
      ['gzip', gzipSync(bytes), 70_000],
    ] as const) {
      const worker = built.ScanWorker.start()!;
      const p = new Pipeline(catalog, { contextLane: true });
      p.beginInput('gateway.log');
      let batches = 0;
      try {
        for await (const batch of worker.scan({ name: 'stdin', path: '-' }, plan, Readable.from(chunksOf(input, size)))) {
          batches++;
          p.push(batch);
        }
      } finally {
        await worker.close();
      }
      p.endInput();
      expect(batches, what).toBeGreaterThan(1);
      expect(p.snapshot(), what).toEqual(reference);
    }
  });

  it('a gzip file goes to the worker by what it holds (its trailer), not by its own size', async () => {
    const built = (await import(pathToFileURL(join(ROOT, 'dist/src/lines/scan-inputs.js')).href)) as typeof import('../src/lines/scan-inputs.js');
    const much = join(dir, 'much.log.gz');
    const little = join(dir, 'little.log.gz');
    // 65 MiB of a repeated line is a gzip of a few dozen KB; 17 MiB (past the plain files' bound) is not enough.
    writeFileSync(much, gzipSync(Buffer.alloc(65 * 1024 * 1024, 'x\n')));
    const some = join(dir, 'some.log.gz');
    writeFileSync(some, gzipSync(Buffer.alloc(17 * 1024 * 1024, 'x\n')));
    expect(built.worthAWorker({ name: 'some', path: some })).toBe(false);
    writeFileSync(little, gzipSync(bytes.subarray(0, 1_000_000)));
    expect(statSync(much).size).toBeLessThan(1024 * 1024);
    expect(built.worthAWorker({ name: 'much', path: much })).toBe(true);
    expect(built.worthAWorker({ name: 'little', path: little })).toBe(false);
    // Not gzip, small: in-process whatever its last bytes say.
    const plain = join(dir, 'plain.log');
    writeFileSync(plain, Buffer.concat([Buffer.from('plain line\n'), Buffer.from([0xff, 0xff, 0xff, 0x7f])]));
    expect(built.worthAWorker({ name: 'plain', path: plain })).toBe(false);
  });

  it('stdin goes to the worker when it is a pipe, not from a file (however big) or a device', () => {
    const decide = (stdin: 'pipe' | number): string => {
      const script = `import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/src/lines/scan-inputs.js')).href)}).then((m) => console.log(m.worthAWorker({ name: '-', path: '-' })))`;
      const r = spawnSync(process.execPath, ['-e', script], { stdio: [stdin, 'pipe', 'pipe'], input: stdin === 'pipe' ? 'x\n' : undefined, encoding: 'utf8' });
      return r.stdout.trim();
    };
    expect(decide('pipe')).toBe('true');
    const small = openSync(join(ROOT, 'samples', 'offline-seed-incident.log'), 'r');
    const big = openSync(file, 'r');
    const nul = openSync('/dev/null', 'r');
    try {
      expect(decide(small)).toBe('false');
      expect(decide(big)).toBe('false');
      expect(decide(nul)).toBe('false');
    } finally {
      for (const fd of [small, big, nul]) closeSync(fd);
    }
  });

  it('CLI: stdin from a pipe is scanned on a worker thread (Node\'s trace events name each thread)', () => {
    const trace = join(dir, 'trace-stdin.json');
    const r = runCli(['analyze', '-', '--format', 'json'], {
      input: readFileSync(join(ROOT, 'samples', 'offline-seed-incident.log')),
      env: { NODE_OPTIONS: `--trace-event-categories=node.environment --trace-event-file-pattern=${trace}` },
    });
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).incidents.length).toBeGreaterThan(0);
    const events = (JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: Array<{ name: string; args?: { name?: string } }> }).traceEvents;
    expect(events.some((e) => e.name === 'thread_name' && /^\[worker \d+\]$/.test(e.args?.name ?? ''))).toBe(true);
  });

  it('stdin fed to the worker: a read that fails says so, as in-process (nothing read: cannot read; later: cut short); ended before its scan began: nothing', async () => {
    const built = (await import(pathToFileURL(join(ROOT, 'dist/src/lines/parallel.js')).href)) as typeof import('../src/lines/parallel.js');
    const builtOpen = (await import(pathToFileURL(join(ROOT, 'dist/src/sources/open.js')).href)) as typeof import('../src/sources/open.js');
    const plan = new Pipeline(catalog, { contextLane: true }).scanPlan;
    const failing = (before: Buffer[]) =>
      (async function* () {
        yield* before;
        throw Object.assign(new Error('read EIO'), { code: 'EIO' });
      })();
    const outcome = async (before: Buffer[]): Promise<{ error: unknown; lines: number }> => {
      const worker = built.ScanWorker.start()!;
      let lines = 0;
      try {
        for await (const batch of worker.scan({ name: 'stdin', path: '-' }, plan, failing(before))) lines = batch.lines;
        return { error: null, lines };
      } catch (e) {
        return { error: e, lines };
      } finally {
        await worker.close();
      }
    };
    // Stdin ended (Ctrl-C) before its scan began, on a pipe that never writes: the scan ends at once, with nothing.
    const worker = built.ScanWorker.start()!;
    worker.endStdin();
    const never = (async function* (): AsyncGenerator<Buffer> {
      await new Promise(() => undefined);
    })();
    let seen = 0;
    try {
      for await (const batch of worker.scan({ name: 'stdin', path: '-' }, plan, never)) seen += batch.lines;
    } finally {
      await worker.close();
    }
    expect(seen).toBe(0);
    const none = await outcome([]);
    expect(none.error).toBeInstanceOf(builtOpen.InputError);
    expect(String(none.error)).toMatch(/cannot read stdin: read EIO/);
    const some = await outcome([bytes.subarray(0, 3_000_000)]);
    expect(some.error).toBeInstanceOf(builtOpen.TruncatedInput);
    expect(String(some.error)).toMatch(/stdin: read failed after part of the input: read EIO/);
    // What came before the failure was scanned and handed over.
    expect(some.lines).toBeGreaterThan(1000);
  });

  it('the scan plan the build wrote is the plan of the built-in catalog', async () => {
    const catalog = await loadRunCatalog([]);
    expect(compiledScanPlan()).toEqual(scanPlanFor(catalog, { contextLane: true }, CAUSES_READING_PLUGIN_ACTIVITY));
  });

  it('the required substrings the build worked out are those of each pattern\'s regex', async () => {
    // The built modules: only they find dist/catalog.json current (its manifest names built modules).
    const built = (await import(pathToFileURL(join(ROOT, 'dist/src/catalog/compiled.js')).href)) as typeof import('../src/catalog/compiled.js');
    const catalog = built.loadCompiledCatalog()!;
    expect(catalog).not.toBeNull();
    const carried = catalog.patterns.filter((p) => p.required !== undefined);
    expect(carried.length).toBe(catalog.patterns.length);
    for (const p of carried) expect(p.required, p.id).toEqual(requiredSubstrings(p.regex));
    for (const p of carried) expect(p.anyOf, p.id).toEqual(requiredAlternatives(p.regex));
  });

  it('CLI: the scan worker, gzip and the reference path agree with the in-process pipeline', () => {
    const inProcess = JSON.parse(JSON.stringify(run(bytes, false))) as Diagnosis;
    const viaWorker = runCli(['analyze', file, '--format', 'json', '--fail-on', 'none']);
    expect(viaWorker.code).toBe(0);
    const w = JSON.parse(viaWorker.stdout) as Diagnosis;
    expect(w.stats).toEqual(inProcess.stats);
    expect(w.incidents.map((i) => [i.id, i.count, i.evidence])).toEqual(inProcess.incidents.map((i) => [i.id, i.count, i.evidence]));
    expect(w.unclassified).toEqual(inProcess.unclassified);

    const gz = join(dir, 'gateway.log.gz');
    writeFileSync(gz, gzipSync(bytes));
    const viaGz = runCli(['analyze', gz, '--format', 'json', '--fail-on', 'none']);
    expect(viaGz.code).toBe(0);
    expect(viaGz.stdout.replaceAll('gateway.log.gz', 'gateway.log')).toBe(viaWorker.stdout);

    // Piped to stdin (the scan worker is fed from this thread, lines/feed.ts), plain and gzipped: the same report.
    for (const input of [bytes, gzipSync(bytes)]) {
      const piped = runCli(['analyze', '-', '--format', 'json', '--fail-on', 'none'], { input });
      expect(piped.code).toBe(0);
      const d = JSON.parse(piped.stdout) as Diagnosis;
      expect(d.stats).toEqual(w.stats);
      expect(d.incidents.map((i) => [i.id, i.count, i.evidence.map((e) => [e.line, e.text])])).toEqual(w.incidents.map((i) => [i.id, i.count, i.evidence.map((e) => [e.line, e.text])]));
      expect(d.unclassified.map((u) => [u.template, u.count])).toEqual(w.unclassified.map((u) => [u.template, u.count]));
    }

    const reference = runCli(['analyze', file, '--format', 'json', '--fail-on', 'none', '--no-prefilter']);
    expect(reference.code).toBe(0);
    expect(essence(JSON.parse(reference.stdout) as Diagnosis)).toEqual(essence(w));
  });
});

// The other members of the bench's family (issue 17): a busy gateway (hundreds of incident subjects,
// long multi-error lists, crash loops, unexplained lines), its TEXT access log, and both mixes as
// `kubectl logs --timestamps` prints them. A few MB each, in-process: every fast path (prefilter,
// line index, literal hits, context lane) against the reference path.
//
// These samples found that the correlations' event bounds counted every event, so a crash linked
// its knock-on failures (and named how many events back a plugin was active) only on the path that
// drops more chatter; the bounds now count events with a finding other than chatter (Bounds.events).
describe.each<[string, GenerateOptions]>([
  ['busy mix', { seed: 11, mix: 'busy' }],
  ['busy mix, TEXT access log', { seed: 12, mix: 'busy', access: 'text' }],
  ['busy mix, kubectl --timestamps', { seed: 13, mix: 'busy', wrap: 'kubectl' }],
  ['healthy mix, kubectl --timestamps', { seed: 14, wrap: 'kubectl' }],
])('fast path on a generated log: %s', (_name, opts) => {
  let sample: Buffer;
  let planted = 0;
  beforeAll(async () => {
    const f = join(dir, `family-${opts.seed}.log`);
    const r = await generateFile(f, opts.mix === 'busy' ? 3_000_000 : 6_000_000, opts);
    planted = Object.values(r.faults).reduce((a, b) => a + b, 0);
    sample = readFileSync(f);
  });

  it('is read as the generator meant it: the fast path skips lines, access lines are recognised', () => {
    const fast = run(sample, false);
    const slow = run(sample, true);
    expect(planted).toBeGreaterThan(0);
    expect(fast.stats.lines).toBe(slow.stats.lines);
    expect(fast.stats.events).toBeLessThan(slow.stats.events);
    expect(fast.incidents.length).toBeGreaterThan(opts.mix === 'busy' ? 20 : 3);
    // The access lines were recognised as such (under the kubectl prefix too), not left unparsed.
    const access = (fast.stats.layouts['access-json'] ?? 0) + (fast.stats.layouts['access-text'] ?? 0);
    expect(access).toBeGreaterThan(fast.stats.lines / 2);
  });

  it('gives the diagnosis of the reference path (every line parsed)', () => {
    expect(essence(run(sample, false))).toEqual(essence(run(sample, true)));
  });

  it('does not depend on chunk boundaries', () => {
    expect(run(sample, false, 64 * 1024 + 7)).toEqual(run(sample, false));
  });
});
