// Runs one command and measures its wall time and peak RSS.
// Peak RSS: GNU time's `%M` (the kernel's ru_maxrss of the child, KiB) when /usr/bin/time is GNU time; otherwise the
// child's /proc/<pid>/status VmHWM (the kernel's own high-water mark), polled every 10 ms — the last value read
// before exit, so growth in the final <10 ms can be missed (reported as method `proc-poll`).

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type RssMethod = 'gnu-time' | 'proc-poll';

export interface Measured {
  readonly wallMs: number;
  /** Peak resident set size of the command, KiB; null if it could not be read. */
  readonly maxRssKiB: number | null;
  /** CPU time of the command (user + system, all its threads), seconds; null without GNU time. */
  readonly cpuSec: number | null;
  readonly rssMethod: RssMethod;
  readonly code: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  /** Captured stdout (empty when sent to /dev/null), cut at `maxCapture`. */
  readonly stdout: string;
  /** Last 4 KiB of stderr. */
  readonly stderr: string;
}

export interface MeasureOptions {
  /** `capture` (default) or `null` (/dev/null, e.g. for `gzip -dc`). */
  readonly stdout?: 'capture' | 'null';
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  readonly maxCapture?: number;
  /** Force a method (tests); default: GNU time when available. */
  readonly rssMethod?: RssMethod;
}

let gnuTime: boolean | undefined;

/** True when /usr/bin/time is GNU time (accepts `-f %M -o FILE`). */
export function hasGnuTime(): boolean {
  if (gnuTime === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'hd-bench-'));
    try {
      const out = join(dir, 't');
      const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', out, 'true'], { stdio: 'ignore' });
      gnuTime = r.status === 0 && /^\d+\s*$/.test(readFileSync(out, 'utf8').trim().split('\n').pop() ?? '');
    } catch {
      gnuTime = false;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return gnuTime;
}

function readHwmKiB(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export function measure(cmd: string, args: readonly string[], opts: MeasureOptions = {}): Promise<Measured> {
  const method: RssMethod = opts.rssMethod ?? (hasGnuTime() ? 'gnu-time' : 'proc-poll');
  const maxCapture = opts.maxCapture ?? 64 << 20;
  let tmp: string | undefined;
  let file = cmd;
  let argv = [...args];
  if (method === 'gnu-time') {
    tmp = mkdtempSync(join(tmpdir(), 'hd-bench-'));
    file = '/usr/bin/time';
    argv = ['-f', '%M %U %S', '-o', join(tmp, 'rss'), cmd, ...args];
  }
  const nullFd = opts.stdout === 'null' ? openSync('/dev/null', 'w') : undefined;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', nullFd ?? 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let outLen = 0;
    let err = '';
    child.stdout?.on('data', (b: Buffer) => {
      if (outLen < maxCapture) out.push(b);
      outLen += b.length;
    });
    child.stderr?.on('data', (b: Buffer) => {
      err = (err + b.toString('utf8')).slice(-4096);
    });
    let hwm: number | null = null;
    const poll =
      method === 'proc-poll' && child.pid !== undefined
        ? setInterval(() => {
            const v = readHwmKiB(child.pid as number);
            if (v !== null) hwm = v;
          }, 10)
        : undefined;
    let timedOut = false;
    const timer =
      opts.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs)
        : undefined;
    child.on('error', (e) => {
      if (poll) clearInterval(poll);
      if (timer) clearTimeout(timer);
      if (nullFd !== undefined) closeSync(nullFd);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (poll) clearInterval(poll);
      if (timer) clearTimeout(timer);
      if (nullFd !== undefined) closeSync(nullFd);
      let maxRssKiB: number | null = hwm;
      let cpuSec: number | null = null;
      if (tmp !== undefined) {
        try {
          // With a signal GNU time writes "Command terminated by signal N" first; the numbers are the last line.
          const last = readFileSync(join(tmp, 'rss'), 'utf8').trim().split('\n').pop() ?? '';
          const m = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(last);
          maxRssKiB = m ? Number(m[1]) : null;
          cpuSec = m ? Number(m[2]) + Number(m[3]) : null;
        } catch {
          maxRssKiB = null;
        }
        rmSync(tmp, { recursive: true, force: true });
      }
      resolve({
        wallMs,
        maxRssKiB,
        cpuSec,
        rssMethod: method,
        code,
        signal,
        timedOut,
        stdout: Buffer.concat(out).subarray(0, maxCapture).toString('utf8'),
        stderr: err,
      });
    });
  });
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 === 1 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
}
