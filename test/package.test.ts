// The files `npm run package` makes (scripts/package.mjs), used as an operator in an offline site would:
// each copied alone into an empty folder with no node_modules; the single executable with no Node on PATH
// (a `node` there fails loudly); the npm tarball installed with the registry unreachable. Their JSON must be
// byte for byte the development build's (`node bin/higress-doctor.js`; on the samples, its main() run in the test
// process), on every sample and on stdin.
// Packaging runs once, in beforeAll, into a temporary folder (dist/package/ is left alone).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './helpers/cli.js';
import { Tmux, cleanEnv, shellQuote, tmuxAvailable, waitForScreen } from './helpers/tmux.js';
import { analyzeInProcess } from './helpers/in-process.js';

const EXE = `higress-doctor-${process.platform}-${process.arch}`;
const SAMPLES = [...readdirSync(join(ROOT, 'samples')).filter((f) => f.endsWith('.log')).sort(), 'rotated'];
/** The issue's budget for the one-file build. */
const BUNDLE_BUDGET = 5 * 1024 * 1024;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a command to its end (asynchronously, so that the three builds run side by side). */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, input?: Buffer): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/** `work` on every item, at most `width` at a time; the results in the items' order. */
async function inPool<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}

/** Newest modification time under a folder. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** `npm test` builds first; a lone `vitest run test/package.test.ts` may find dist/ missing or stale. */
function ensureBuilt(): void {
  const built = ['dist/src/cli/bundle-entry.js', 'dist/catalog.json', 'dist/scan-plan.json'].map((f) => join(ROOT, f));
  const oldest = Math.min(...built.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  if (oldest >= Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'patterns')))) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

describe('the bundle imports built-in modules by require (scripts/builtins-by-require.mjs)', () => {
  const banner = "#!/usr/bin/env node\nimport { createRequire as __hdCreateRequire } from 'node:module';\nconst require = __hdCreateRequire(import.meta.url);\n";
  it('turns every form of import into the same bindings, declared before any code, and leaves strings alone', async () => {
    // @ts-expect-error: a script of the package build, plain JavaScript
    const { builtinsByRequire } = (await import('../scripts/builtins-by-require.mjs')) as { builtinsByRequire: (code: string) => string };
    const code =
      banner +
      'var early=()=>[j(\"/a\",\"b\"),typeof rf,P.sep,D.join===j];import{join as j,sep}from"node:path";import{readFileSync as rf}from"node:fs";' +
      'import*as P from"node:path";import D,{basename as bn}from"node:path";const text=\'import x from"node:fs"\';' +
      'export const out=[...early(),sep,bn(\"/x/y\"),text];';
    const rewritten = builtinsByRequire(code);
    expect(rewritten).not.toMatch(/(^|[;}\n])import\s*[\w$*{][^;]*from\s*"node:/);
    expect(rewritten).toContain('const text=\'import x from"node:fs"\'');
    const dir = mkdtempSync(join(tmpdir(), 'hd-builtins-'));
    try {
      const file = join(dir, 'm.mjs');
      writeFileSync(file, rewritten);
      const { out } = (await import(file)) as { out: unknown[] };
      expect(out).toEqual([join('/a', 'b'), 'function', '/', true, '/', 'y', 'import x from"node:fs"']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('says so when an import of a built-in has a form it does not know', async () => {
    // @ts-expect-error: a script of the package build, plain JavaScript
    const { builtinsByRequire } = (await import('../scripts/builtins-by-require.mjs')) as { builtinsByRequire: (code: string) => string };
    expect(() => builtinsByRequire(`${banner};import {\n a } from "node:fs";`)).not.toThrow();
    expect(() => builtinsByRequire(`${banner};import{a}from"node:fs"with{type:"x"};`)).toThrow(/left in the bundle/);
    expect(() => builtinsByRequire(`${banner};import/*c*/x from"node:os";`)).toThrow(/left in the bundle/);
  });
});

describe('offline artefacts (npm run package)', () => {
  let work = '';
  let out = '';
  /** The operator's folder: the bundle, the executable and a copy of samples/, nothing else. */
  let site = '';
  /** A PATH with no usable node: its `node` exits 97. */
  let noNode = '';
  let packageLog = '';
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: work, LANG: 'C.UTF-8', NO_COLOR: '1', ...extra });
  const builds = {
    development: (args: string[], input?: Buffer) => run(process.execPath, [BIN, ...args], site, env(), input),
    bundle: (args: string[], input?: Buffer) => run(process.execPath, [join(site, 'higress-doctor.mjs'), ...args], site, env(), input),
    executable: (args: string[], input?: Buffer) => run(join(site, EXE), args, site, env({ PATH: noNode }), input),
  };

  beforeAll(() => {
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'hd-package-'));
    out = join(work, 'out');
    const started = Date.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
    packageLog = `${r.stdout}${r.stderr}`;
    if (r.status !== 0) throw new Error(`scripts/package.mjs failed:\n${packageLog}`);
    console.info(`package.test: packaging took ${((Date.now() - started) / 1000).toFixed(1)} s\n${r.stdout.trim()}`);
    site = join(work, 'site');
    mkdirSync(site);
    copyFileSync(join(out, 'higress-doctor.mjs'), join(site, 'higress-doctor.mjs'));
    copyFileSync(join(out, EXE), join(site, EXE));
    chmodSync(join(site, EXE), 0o755);
    cpSync(join(ROOT, 'samples'), join(site, 'samples'), { recursive: true });
    noNode = join(work, 'no-node');
    mkdirSync(noNode);
    writeFileSync(join(noNode, 'node'), '#!/bin/sh\necho "node was called" >&2\nexit 97\n');
    chmodSync(join(noNode, 'node'), 0o755);
  }, 240_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('writes the bundle, the executable, the tarball and their SHA256SUMS, within the size budget', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const tgz = `higress-doctor-${pkg.version}.tgz`;
    expect(readdirSync(out).sort()).toEqual(['SHA256SUMS', EXE, tgz, 'higress-doctor.mjs'].sort());
    const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout.trim().split('\n').sort()).toEqual([`${EXE}: OK`, `${tgz}: OK`, 'higress-doctor.mjs: OK'].sort());
    const bundleBytes = statSync(join(out, 'higress-doctor.mjs')).size;
    expect(bundleBytes).toBeLessThan(BUNDLE_BUDGET);
    // The executable is this Node (stripped when it can be) and the bundle: nothing else rides along.
    expect(statSync(join(out, EXE)).size).toBeLessThan(statSync(process.execPath).size + 2 * bundleBytes);
    expect(readFileSync(join(out, 'higress-doctor.mjs'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('the bundle and the executable give the development build’s JSON for every sample', async () => {
    const argsOf = (sample: string): string[] => ['analyze', join('samples', sample), '--format', 'json', '--fail-on', 'none'];
    // The packaged builds run as processes, two samples at a time; the development build's JSON, the
    // reference, is made meanwhile in this process (helpers/in-process.ts: its main(), in the same folder).
    const packaged = inPool(SAMPLES, 2, (sample) => Promise.all([builds.bundle(argsOf(sample)), builds.executable(argsOf(sample))]));
    const reference: Result[] = [];
    for (const sample of SAMPLES) reference.push({ ...(await analyzeInProcess(argsOf(sample).slice(1), { cwd: site })) });
    const results = await packaged;
    for (const [n, sample] of SAMPLES.entries()) {
      const dev = reference[n]!;
      const [bundle, exe] = results[n]!;
      expect(dev.code, `${sample}: ${dev.stderr}`).toBe(0);
      expect(JSON.parse(dev.stdout).inputs.length, sample).toBeGreaterThan(0);
      expect({ sample, code: bundle.code, stderr: bundle.stderr, same: bundle.stdout === dev.stdout }).toEqual({ sample, code: 0, stderr: '', same: true });
      expect({ sample, code: exe.code, stderr: exe.stderr, same: exe.stdout === dev.stdout }).toEqual({ sample, code: 0, stderr: '', same: true });
    }
    // About 80 processes: half a minute on a quiet machine, two minutes once at a load of 10 — a ceiling, not a goal.
  }, 240_000);

  it('reads stdin, and keeps the exit codes and one-line errors', async () => {
    const input = readFileSync(join(ROOT, 'samples', 'offline-seed-incident.log'));
    const results = await Promise.all(Object.values(builds).map((b) => b(['analyze', '-', '--format', 'json'], input)));
    expect(results.map((r) => r.code)).toEqual([1, 1, 1]);
    expect(results[0]!.stdout).toContain('wasm-fetch-bad-address');
    for (const r of results) expect(r.stdout).toBe(results[0]!.stdout);
    const missing = await Promise.all(Object.values(builds).map((b) => b(['analyze', 'no-such.log'])));
    for (const r of missing) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: 'higress-doctor: cannot read no-such.log: no such file or directory\n' });
  });

  it('says the same versions as the development build, and the commit it was made from', async () => {
    const [dev, bundle, exe] = await Promise.all([builds.development(['version']), builds.bundle(['--version']), builds.executable(['version'])]);
    // The development build's commit is the one of its last `npm run build`.
    const settled = (s: string): string => s.replace(/^(runtime|commit) .*\n/gm, '');
    expect(dev.code).toBe(0);
    expect(dev.stdout).toMatch(/^higress-doctor \d+\.\d+\.\d+\ncatalog {6}\d+ patterns, fingerprint [0-9a-f]{12}\njson schema {2}1 /);
    expect(settled(bundle.stdout)).toBe(settled(dev.stdout));
    expect(settled(exe.stdout)).toBe(settled(dev.stdout));
    expect(bundle.stdout).toMatch(/^runtime .*, one-file bundle$/m);
    expect(exe.stdout).toMatch(/^runtime .*, single executable$/m);
    const head = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
    const commit = head.status === 0 ? `${head.stdout.trim()}(-dirty)?` : 'unknown';
    for (const r of [bundle, exe]) expect(r.stdout).toMatch(new RegExp(`^commit {7}${commit}$`, 'm'));
    expect(dev.stdout).toMatch(/^commit {7}([0-9a-f]{12}(-dirty)?|unknown)$/m);
  });

  it('lists and shows the built-in patterns from the pattern files it carries', async () => {
    const [dev, bundle] = await Promise.all([builds.development(['patterns', 'list']), builds.bundle(['patterns', 'list'])]);
    expect(dev.code).toBe(0);
    expect(bundle.stdout).toBe(dev.stdout);
    const shown = await builds.executable(['patterns', 'show', 'HD-WASM-001']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^file: +higress-doctor:patterns\/.+\.yaml$/m);
    expect(shown.stdout).toContain('Examples that must match:');
  });

  it('starts the scan worker from itself for a big file: same JSON, and a worker thread ran', async () => {
    // Past WORKER_MIN_BYTES (16 MiB) a second thread scans. Node's trace events name each thread
    // (NODE_OPTIONS reaches the executable too; a worker that failed to load would fail the run).
    const one = readFileSync(join(ROOT, 'samples', 'offline-seed-incident.log'));
    const big = join(site, 'big.log');
    writeFileSync(big, Buffer.concat(Array.from({ length: Math.ceil((17 * 1024 * 1024) / one.length) }, () => one)));
    const args = ['analyze', 'big.log', '--format', 'json', '--fail-on', 'none'];
    const traced = (name: string): NodeJS.ProcessEnv => ({
      NODE_OPTIONS: `--trace-event-categories=node.environment --trace-event-file-pattern=${join(work, `trace-${name}.json`)}`,
    });
    const [dev, bundle, exe] = await Promise.all([
      builds.development(args),
      run(process.execPath, [join(site, 'higress-doctor.mjs'), ...args], site, env(traced('bundle'))),
      run(join(site, EXE), args, site, env({ PATH: noNode, ...traced('exe') })),
    ]);
    rmSync(big);
    expect(dev.code, dev.stderr).toBe(0);
    expect({ bundle: bundle.stdout === dev.stdout, exe: exe.stdout === dev.stdout, stderr: bundle.stderr + exe.stderr }).toEqual({ bundle: true, exe: true, stderr: '' });
    for (const name of ['bundle', 'exe']) {
      const events = (JSON.parse(readFileSync(join(work, `trace-${name}.json`), 'utf8')) as { traceEvents: Array<{ name: string; args?: { name?: string } }> }).traceEvents;
      expect(events.some((e) => e.name === 'thread_name' && /^\[worker \d+\]$/.test(e.args?.name ?? '')), `a worker thread in the ${name}`).toBe(true);
    }
  }, 60_000);

  it('installs from the tarball with the registry unreachable, and runs', async () => {
    const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'))!;
    const prefix = join(work, 'npm-prefix');
    mkdirSync(prefix);
    copyFileSync(join(out, tgz), join(prefix, tgz));
    const npmEnv = env({ npm_config_registry: 'http://127.0.0.1:9/', npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' });
    const inst = spawnSync('npm', ['install', '--offline', `./${tgz}`], { cwd: prefix, env: npmEnv, encoding: 'utf8' });
    expect(inst.status, `${inst.stdout}${inst.stderr}`).toBe(0);
    const bin = join(prefix, 'node_modules', '.bin', 'higress-doctor');
    const args = ['analyze', join(site, 'samples', 'offline-seed-incident.log'), '--format', 'json', '--fail-on', 'none'];
    const [installed, dev] = await Promise.all([run(bin, args, prefix, env()), run(process.execPath, [BIN, ...args], prefix, env())]);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toBe(dev.stdout);
    // Nothing but the package itself was installed.
    expect(readdirSync(join(prefix, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['higress-doctor']);
  }, 60_000);

  describe.skipIf(!tmuxAvailable())('tail inside tmux', () => {
    const tmux = new Tmux();
    afterAll(() => tmux.kill());

    const fetch404 = (): string =>
      '2026-05-20T08:10:01.517302Z\terror\twasm\tcannot fetch Wasm module http://192.168.10.20:8080/plugins/key-auth/1.0.0/plugin.wasm: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404';

    for (const kind of ['bundle', 'executable'] as const) {
      it(`from the ${kind}: shows an incident as it is written, q exits 0`, async () => {
        const dir = join(work, `tail-${kind}`);
        mkdirSync(dir);
        const log = join(dir, 'gateway.log');
        writeFileSync(log, '');
        const exit = join(dir, 'exit');
        const cmd = kind === 'bundle' ? `${cleanEnv()} ${shellQuote(process.execPath)} ${shellQuote(join(site, 'higress-doctor.mjs'))}` : `${cleanEnv({ PATH: noNode })} ${shellQuote(join(site, EXE))}`;
        tmux.start(kind, `cd ${shellQuote(dir)} && ${cmd} tail gateway.log; echo $? > ${shellQuote(exit)}; sleep 60`, 120, 40);
        await waitForScreen(tmux, kind, (s) => /gateway\.log · following/.test(s), 'the header to say following', 15_000);
        writeFileSync(log, `${fetch404()}\n${fetch404()}\n`);
        await waitForScreen(tmux, kind, (s) => /wasm-fetch-bad-address/.test(s), 'the 404 incident', 10_000);
        tmux.send(kind, ['q']);
        await waitForScreen(tmux, kind, () => existsSync(exit) && readFileSync(exit, 'utf8').trim() !== '', 'the program to exit', 10_000);
        expect(readFileSync(exit, 'utf8').trim()).toBe('0');
        expect(tmux.capture(kind)).toMatch(/higress-doctor tail: 2 lines read from gateway\.log/);
      }, 40_000);
    }
  });
});
