// Helpers for the end-to-end test of `tail`'s screen: a private tmux server (its own socket, so a developer's
// tmux is never touched), a poll of the visible pane, and a check that dist/ is not older than src/.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

let serial = 0;

export class Tmux {
  readonly socket = `hd-test-${process.pid}-${++serial}`;

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** A detached session of the given size running `command` through sh. */
  start(name: string, command: string, width: number, height: number): void {
    this.tmux(['new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), command]);
  }

  /** The visible screen as plain text (no escape sequences). */
  capture(name: string): string {
    return this.tmux(['capture-pane', '-p', '-t', name]);
  }

  /** Keys in tmux's names (`Enter`, `Escape`, `Down`, `C-c`) or literal text with `literal`. */
  send(name: string, keys: string[], literal = false): void {
    this.tmux(['send-keys', '-t', name, ...(literal ? ['-l'] : []), ...keys]);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
  }
}

export interface ScreenWait {
  readonly screen: string;
  /** How long it took from the start of the wait. */
  readonly ms: number;
}

/** Polls the pane every 50 ms until `pred` holds; fails with the last screen when `timeoutMs` passes. */
export async function waitForScreen(t: Tmux, name: string, pred: (screen: string) => boolean, what: string, timeoutMs: number): Promise<ScreenWait> {
  const start = Date.now();
  let screen = '';
  for (;;) {
    try {
      screen = t.capture(name);
    } catch {
      screen = '(pane gone)';
    }
    if (pred(screen)) return { screen, ms: Date.now() - start };
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen was:\n${screen}`);
    await sleep(50);
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than a file under src/ (npm test builds first; a lone vitest may not). */
export function ensureBuilt(root: string): void {
  let built = 0;
  try {
    built = statSync(join(root, 'dist', 'src', 'cli', 'tail.js')).mtimeMs;
  } catch {
    built = 0;
  }
  if (built >= newestMtime(join(root, 'src'))) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
}

/** An environment for the program under test: no CI variables (Ink draws nothing live under CI), a UTF-8 terminal. */
export function cleanEnv(extra: Record<string, string> = {}): string {
  const keep = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    ...extra,
  };
  return `env -i ${Object.entries(keep)
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(' ')}`;
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
