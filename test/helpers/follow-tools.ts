// Helpers for test/follow.test.ts: temp folders, a polling wait, a background consumer, a line writer,
// and a way to run the follower in a separate Node process (for exit and permission checks).
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { FollowState, FollowStatus } from '../../src/sources/follow.js';

export const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

export function makeTmpDir(prefix = 'hd-follow-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Polls `cond` until true; generous default because CI filesystems are slow. Never asserts on speed. */
export async function waitFor(cond: () => boolean, what: string | (() => string), timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(20);
  }
}

/** Consumes an iterable in the background, keeping every chunk and status. */
export class Collector {
  readonly chunks: Buffer[] = [];
  readonly statuses: FollowStatus[] = [];
  error: unknown = undefined;
  finished = false;
  readonly done: Promise<void>;
  private bytes = 0;

  constructor(make: (onStatus: (s: FollowStatus) => void) => AsyncIterable<Buffer>) {
    const it = make((s) => {
      this.statuses.push(s);
      this.events.push(s);
    });
    this.done = (async () => {
      try {
        for await (const chunk of it) {
          this.chunks.push(Buffer.from(chunk));
          this.bytes += chunk.length;
          this.events.push(chunk.length);
        }
      } catch (err) {
        this.error = err;
      } finally {
        this.finished = true;
      }
    })();
  }

  /** Statuses and chunk lengths, interleaved in the order they happened. */
  readonly events: Array<FollowStatus | number> = [];

  /**
   * The file offset a consumer computes the way `tail`'s session does: take `offset` from a following, rotated or
   * truncated status, then add the length of every chunk. Must equal the size of the file once caught up.
   */
  trackedOffset(): number | null {
    let off: number | null = null;
    for (const e of this.events) {
      if (typeof e === 'number') {
        if (off !== null) off += e;
      } else if (e.state === 'following' || e.state === 'rotated' || e.state === 'truncated') off = e.offset;
      else if (e.state === 'stopped') off = null;
    }
    return off;
  }

  get length(): number {
    return this.bytes;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  states(): FollowState[] {
    return this.statuses.map((s) => s.state);
  }

  /**
   * Waits until exactly `expected` has arrived. Fails early, showing where, as soon as the bytes received so far
   * are not a prefix of it (a lost or repeated byte), or when more than expected arrives.
   */
  async waitForText(expected: string, timeoutMs?: number): Promise<void> {
    const want = Buffer.from(expected, 'utf8');
    let problem = '';
    await waitFor(
      () => {
        const got = Buffer.concat(this.chunks);
        const n = Math.min(got.length, want.length);
        const at = got.subarray(0, n).equals(want.subarray(0, n)) ? n : firstDifference(got, want);
        if (at < n || got.length > want.length) {
          problem = `output differs at byte ${at}: got ${JSON.stringify(got.subarray(Math.max(0, at - 60), at + 60).toString())}, want ${JSON.stringify(want.subarray(Math.max(0, at - 60), at + 60).toString())}`;
          return true;
        }
        return got.length === want.length || this.finished;
      },
      () => `${want.length} bytes (have ${this.bytes}; states ${this.states().join(',')}; error ${String(this.error)})`,
      timeoutMs,
    );
    if (problem) throw new Error(problem);
  }
}

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Writes numbered lines like a log writer; holds its own fd (opened in append mode, like supervisord). */
export class LineWriter {
  written = '';
  private fd: number | null = null;
  private n = 0;

  constructor(
    private readonly path: string,
    private readonly tag = 'w',
  ) {}

  open(): void {
    this.fd = openSync(this.path, 'a');
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Appends `count` lines through the held fd (which may point at a renamed file). */
  lines(count: number): void {
    if (this.fd === null) throw new Error('writer not open');
    let s = '';
    for (let i = 0; i < count; i++) {
      this.n++;
      s += `${new Date(0).toISOString()} info ${this.tag} line ${String(this.n).padStart(7, '0')} upstream connect error\n`;
    }
    writeSync(this.fd, s);
    this.written += s;
  }

  /** Appends raw text (e.g. half a line). */
  raw(s: string): void {
    if (this.fd === null) throw new Error('writer not open');
    writeSync(this.fd, s);
    this.written += s;
  }
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Transpiles src/sources/follow.ts into `dir` as plain ESM so a child Node process (which cannot load .ts on
 * Node 20) can run it. The chokidar import is pointed at the repo's copy.
 */
export function buildFollowModule(dir: string): string {
  const src = readFileSync(join(repoRoot, 'src/sources/follow.ts'), 'utf8');
  const out = ts.transpileModule(src, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const chokidarUrl = pathToFileURL(createRequire(join(repoRoot, 'package.json')).resolve('chokidar')).href;
  const target = join(dir, 'follow.mjs');
  // Its own relative imports are transpiled beside it, as .mjs (no package.json says "module" there).
  for (const m of out.matchAll(/from ['"]\.\/([\w-]+)\.js['"]/g)) {
    const dep = readFileSync(join(repoRoot, 'src/sources', `${m[1]}.ts`), 'utf8');
    writeFileSync(join(dir, `${m[1]}.mjs`), ts.transpileModule(dep, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
  }
  writeFileSync(target, out.replace(/from ['"]chokidar['"]/, `from '${chokidarUrl}'`).replace(/from ['"]\.\/([\w-]+)\.js['"]/g, "from './$1.mjs'"));
  return target;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the child had to be killed because it did not exit on its own. */
  killed: boolean;
}

/** Runs an ESM script in a child Node process; kills it if it has not exited after `timeoutMs`. */
export function runChild(script: string, opts: { uid?: number; gid?: number; timeoutMs?: number } = {}): Promise<ChildResult> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
      cwd: tmpdir(),
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 20_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      rej(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, stdout, stderr, killed });
    });
  });
}

/** Makes a temp folder readable by another user (mkdtemp creates 0700). */
export function openUp(dir: string): void {
  chmodSync(dir, 0o755);
}

/** The n-th line the writer process writes (shared so the test can rebuild the expected text). */
export function writerLine(n: number): string {
  return `2025-05-20 08:14:58.${String(n % 1000).padStart(3, '0')}][${n % 97}][warning][upstream] line ${n} of the concurrent writer\n`;
}

const WRITER_SCRIPT = `
import { closeSync, existsSync, openSync, renameSync, writeSync } from 'node:fs';
const [log, rotationsArg, everyArg] = process.argv.slice(1);
const rotations = Number(rotationsArg), every = Number(everyArg);
${writerLine.toString()}
let fd = openSync(log, 'a');
let n = 0;
const write = (count) => { let s = ''; for (let i = 0; i < count; i++) s += writerLine(++n); writeSync(fd, s); };
let allowed = true;
process.on('message', (m) => { if (m === 'rotate-ok') allowed = true; });
let done = 0, next = every;
// About 25 lines per millisecond at most: fast, but a rate a follower can keep up with.
const tick = () => new Promise((r) => setTimeout(r, 1));
while (done < rotations) {
  write(25);
  await tick();
  if (!allowed || n < next) continue;
  allowed = false;
  write(20); // just before the rename
  for (let k = 9; k >= 1; k--) if (existsSync(log + '.' + k)) renameSync(log + '.' + k, log + '.' + (k + 1));
  renameSync(log, log + '.1');
  write(3); // still through the old fd
  closeSync(fd);
  fd = openSync(log, 'a');
  write(20); // just after
  done++;
  next = n + every;
  process.send({ rotated: done });
}
for (let i = 0; i < 20; i++) { write(25); await tick(); }
closeSync(fd);
process.send({ done: n }, () => process.disconnect());
`;

/**
 * Runs a supervisord-like writer in another process: it writes continuously and rotates by rename every
 * `every` lines, but not before `mayRotate(k)` has confirmed that rotation k-1 was followed (two renames inside
 * one wake-up would skip a whole file, as with tail -F). Resolves with the number of lines written.
 */
export function runWriterProcess(
  log: string,
  rotations: number,
  every: number,
  mayRotate: (rotationsSoFar: number) => Promise<void>,
): Promise<number> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER_SCRIPT, log, String(rotations), String(every)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let lines = -1;
    child.on('message', (m: { rotated?: number; done?: number }) => {
      if (m.rotated !== undefined) {
        const k = m.rotated;
        mayRotate(k).then(
          // The writer may disconnect between the check and the send: a lost answer is no failure.
          () => child.connected && child.send('rotate-ok', () => undefined),
          (err: unknown) => {
            child.kill('SIGKILL');
            rej(err);
          },
        );
      }
      if (m.done !== undefined) lines = m.done;
    });
    child.on('error', rej);
    child.on('close', (code) => (code === 0 && lines >= 0 ? res(lines) : rej(new Error(`writer exited with ${code}`))));
  });
}
