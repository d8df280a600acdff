// A child process of the built CLI whose stdout is read line by line as it arrives (for the ndjson and text
// tests of `tail` through a pipe), with a polling wait. Lives next to tmux.ts: both drive the real binary.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sleep } from './tmux.js';

export class LineReader {
  readonly lines: string[] = [];
  readonly errLines: string[] = [];
  readonly exited: Promise<number | null>;
  readonly child: ChildProcess;
  private rest = '';
  private errRest = '';

  constructor(root: string, args: string[], opts: { cwd?: string; stdin?: 'pipe' | 'ignore'; env?: NodeJS.ProcessEnv } = {}) {
    // No CI variables and no terminal: the default format is text, nothing uses Ink.
    const env = { ...(opts.env ?? process.env) };
    for (const k of Object.keys(env)) if (k === 'CI' || k.startsWith('CI_') || k === 'CONTINUOUS_INTEGRATION') delete env[k];
    this.child = spawn(process.execPath, [join(root, 'bin', 'higress-doctor.js'), ...args], {
      cwd: opts.cwd ?? root,
      env,
      stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (d: string) => {
      const parts = (this.rest + d).split('\n');
      this.rest = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (d: string) => {
      const parts = (this.errRest + d).split('\n');
      this.errRest = parts.pop() ?? '';
      this.errLines.push(...parts);
    });
    this.exited = new Promise((res) => this.child.on('close', (code) => res(code)));
  }

  /** Parsed JSON of every complete stdout line so far (throws on a line that is not JSON). */
  json(): Array<Record<string, unknown>> {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** Polls until `cond` holds; generous by default, since this proves behaviour, not speed. */
  async waitFor(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > until) {
        throw new Error(`timed out waiting for ${what}\nstdout:\n${this.lines.join('\n')}\nstderr:\n${this.errLines.join('\n')}`);
      }
      await sleep(25);
    }
  }
}
