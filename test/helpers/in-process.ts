// `higress-doctor analyze` run inside the test process: the built CLI's own main() (dist/, what
// bin/higress-doctor.js starts), with the report written through --output to a temporary file and
// stderr caught. For tests about the diagnosis of many logs, where a Node process per run would cost
// most of the time; the tests about the process itself (exit codes, signals, stdin, pipes) and the
// golden reports run the real CLI (helpers/cli.ts). What this leaves out of the run: the bin's
// prestart of the scan worker (big files only) and the check of a tty, which a pipe fails as well.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** `analyze ARGS` as the CLI would run it with stdout to a pipe; paths relative to the package folder. */
export async function analyzeInProcess(args: string[]): Promise<InProcessResult> {
  if (args.some((a) => a === '-o' || a.startsWith('--output') || a === '-')) throw new Error('analyzeInProcess writes through --output itself and reads no stdin');
  const main = await mainOf();
  const dir = mkdtempSync(join(tmpdir(), 'hd-inproc-'));
  const out = join(dir, 'report');
  const stderr: string[] = [];
  const write = process.stderr.write;
  const cwd = process.cwd();
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    stderr.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  try {
    process.chdir(ROOT);
    const code = await main(['analyze', ...args, '--output', out]);
    let stdout = '';
    try {
      stdout = readFileSync(out, 'utf8');
    } catch {
      // No report (an error): stdout would have been empty too.
    }
    return { code, stdout, stderr: stderr.join('') };
  } finally {
    process.stderr.write = write;
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
}
