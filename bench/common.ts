// Shared by run.ts and tail.ts: where the repo is, what machine this is, whether a CLI command exists yet.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest parent of this file with higress-doctor's package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'higress-doctor') return dir;
      } catch {
        // keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) return resolve('.');
    dir = up;
  }
}

export const MB = 1_000_000;
export const MiB = 1024 * 1024;

export function sizeLabel(bytes: number): string {
  if (bytes >= 1e9 && bytes % 1e8 === 0) return `${bytes / 1e9}GB`;
  if (bytes >= 1e6 && bytes % 1e5 === 0) return `${bytes / 1e6}MB`;
  return `${bytes}B`;
}

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return '(unavailable)';
  }
}

export interface Machine {
  readonly date: string;
  readonly nproc: number;
  readonly cpuModel: string;
  readonly memTotalGiB: number;
  readonly free: string;
  readonly node: string;
  readonly kernel: string;
  readonly grep: string;
  readonly gzip: string;
  readonly locale: string;
  readonly loadavgAtStart: readonly number[];
}

export function machine(): Machine {
  let cpuModel = '(unknown)';
  try {
    cpuModel = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux
  }
  return {
    date: new Date().toISOString(),
    nproc: availableParallelism(),
    cpuModel,
    memTotalGiB: +(totalmem() / 1024 ** 3).toFixed(1),
    free: run('free', ['-h']),
    node: process.version,
    kernel: release(),
    grep: run('grep', ['--version']).split('\n')[0] ?? '',
    gzip: run('gzip', ['--version']).split('\n')[0] ?? '',
    locale: `LANG=${process.env.LANG ?? ''} LC_ALL=${process.env.LC_ALL ?? ''}`,
    loadavgAtStart: loadavg().map((x) => +x.toFixed(2)),
  };
}

export interface Probe {
  readonly ok: boolean;
  /** Why not, in one line. */
  readonly reason: string;
}

/** Runs `node bin/higress-doctor.js <args>` briefly: ok when it exits 0 within the timeout. */
export function probeCli(root: string, args: readonly string[], timeoutMs = 20_000): Promise<Probe> {
  const bin = join(root, 'bin', 'higress-doctor.js');
  if (!existsSync(bin)) return Promise.resolve({ ok: false, reason: `${bin} does not exist` });
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-65536)));
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4096)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ ok: false, reason: e.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done({ ok: true, reason: out });
      else {
        const first = (err.trim() || out.trim()).split('\n').find((l) => l.trim() !== '') ?? '';
        done({ ok: false, reason: `exit ${code ?? signal}: ${first.slice(0, 300)}` });
      }
    });
  });
}

export function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '—';
}
