// `higress-doctor analyze` (or another command) run inside the test process: the built CLI's own main() (dist/, what
// bin/higress-doctor.js starts) with the argv, environment and pipes runCli gives it (helpers/cli.ts):
// NO_COLOR=1, the package folder as working directory, stdout and stderr not terminals. What the CLI
// writes to standard output (fs.writeSync on fd 1, cli/output.ts) and to process.stderr is caught.
// For tests about the diagnosis of many logs, where a Node process per run cost most of the time;
// the tests about the process itself (exit codes, signals, stdin, pipes) and the golden reports run
// the real CLI. Left out of the run: the bin's prestart of the scan worker (big files only), stdin.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './cli.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

type Main = (argv: string[]) => Promise<number>;
let loaded: Promise<Main> | undefined;
const mainOf = (): Promise<Main> => (loaded ??= import(pathToFileURL(join(ROOT, 'dist', 'src', 'cli', 'main.js')).href).then((m: { main: Main }) => m.main));

let busy = false;

/** `analyze ARGS` as `runCli(['analyze', ...ARGS])` runs it (in `cwd`, the package folder by default), in this process. */
export function analyzeInProcess(args: string[], opts: { cwd?: string } = {}): Promise<InProcessResult> {
  return cliInProcess(['analyze', ...args], opts);
}

/**
 * `higress-doctor ARGV` in this process, one run at a time: in `cwd` (the package folder by default), with
 * NO_COLOR=1 and `env` over this process's environment for the run (undefined: the variable unset).
 */
export async function cliInProcess(argv: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<InProcessResult> {
  if (argv.includes('-')) throw new Error('cliInProcess reads no stdin: run the real CLI');
  const main = await mainOf();
  if (busy) throw new Error('cliInProcess: one run at a time (it takes over fd 1, process.stderr and the environment)');
  busy = true;
  const out: Buffer[] = [];
  const err: string[] = [];
  const writeSync = fs.writeSync;
  const stderrWrite = process.stderr.write;
  const ttys = [process.stdout.isTTY, process.stderr.isTTY];
  const env = { NO_COLOR: '1', ...opts.env };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const cwd = process.cwd();
  // Standard output as the CLI writes it: whole buffers through fs.writeSync(1, …).
  fs.writeSync = ((fd: number, buffer: NodeJS.ArrayBufferView | string, ...rest: unknown[]): number => {
    if (fd !== 1) return (writeSync as (...a: unknown[]) => number)(fd, buffer, ...rest);
    if (typeof buffer === 'string') {
      out.push(Buffer.from(buffer, 'utf8'));
      return Buffer.byteLength(buffer);
    }
    const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const offset = typeof rest[0] === 'number' ? rest[0] : 0;
    const length = typeof rest[1] === 'number' ? rest[1] : bytes.length - offset;
    out.push(Buffer.from(bytes.subarray(offset, offset + length)));
    return length;
  }) as typeof fs.writeSync;
  syncBuiltinESMExports();
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    err.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  process.stdout.isTTY = false;
  process.stderr.isTTY = false;
  setEnv(env);
  try {
    process.chdir(opts.cwd ?? ROOT);
    const code = await main(argv);
    return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: err.join('') };
  } finally {
    fs.writeSync = writeSync;
    syncBuiltinESMExports();
    process.stderr.write = stderrWrite;
    [process.stdout.isTTY, process.stderr.isTTY] = ttys as [true, true];
    setEnv(saved);
    process.chdir(cwd);
    busy = false;
  }
}

function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}
