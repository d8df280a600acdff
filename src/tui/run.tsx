// Mounts the live screen on the terminal and waits for the operator to quit. Loaded lazily by `tail` in UI mode
// only, so the other outputs never load React or Ink.
//
// The screen uses the terminal's alternate buffer (like less or top): the operator's scrollback is left as it was
// and the one-line summary printed after exit is all that remains. Keys come from the terminal even when the log
// itself arrives on stdin (`tail -`): then /dev/tty is opened for them.
import { openSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { ReadStream } from 'node:tty';
import { render } from 'ink';
import { App, type FrameSource } from './App.js';

export interface RunTuiOptions {
  readonly store: FrameSource;
  readonly onExport: () => string;
  /** The reading loop; when it fails the screen closes and the error is returned. */
  readonly reading: Promise<void>;
  /** The log is read from stdin: take keys from /dev/tty. */
  readonly logOnStdin: boolean;
  readonly stdout?: NodeJS.WriteStream;
  readonly maxFps?: number;
}

export interface RunTuiResult {
  /** The reading error that closed the screen, if any. */
  readonly error: Error | null;
}

const ENTER_ALT = '\x1b[?1049h\x1b[H\x1b[2J';
const LEAVE_ALT = '\x1b[?1049l';
const CLEAR = '\x1b[H\x1b[2J';

/** A stream for Ink's keys: the terminal, or an inert one (no keys; Ctrl-C still arrives as SIGINT). */
function keyInput(logOnStdin: boolean): { stream: NodeJS.ReadStream; close: () => void } {
  if (!logOnStdin && process.stdin.isTTY) return { stream: process.stdin, close: () => undefined };
  // stdin is the log (`tail -`) or not a terminal: the keys come from the controlling terminal, if there is one.
  try {
    const tty = new ReadStream(openSync('/dev/tty', 'r'));
    return { stream: tty as unknown as NodeJS.ReadStream, close: () => tty.destroy() };
  } catch {
    // No controlling terminal: run without keys.
  }
  const inert = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
  return { stream: inert, close: () => undefined };
}

export async function runTui(opts: RunTuiOptions): Promise<RunTuiResult> {
  const stdout = opts.stdout ?? process.stdout;
  const keys = keyInput(opts.logOnStdin);
  let error: Error | null = null;
  // Registered before Ink's own listener: a resized terminal reflows what is on it, so start from a clean
  // screen; Ink then draws the whole frame again.
  const onResize = (): void => {
    stdout.write(CLEAR);
  };
  stdout.on('resize', onResize);
  stdout.write(ENTER_ALT);
  const ink = render(<App store={opts.store} onExport={opts.onExport} />, {
    stdout,
    stdin: keys.stream,
    exitOnCtrlC: false,
    patchConsole: true,
    maxFps: opts.maxFps ?? 10,
  });
  const quit = (): void => ink.unmount();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, quit);
  opts.reading.catch((e: unknown) => {
    error = e instanceof Error ? e : new Error(String(e));
    ink.unmount();
  });
  try {
    await ink.waitUntilExit();
  } finally {
    for (const s of signals) process.off(s, quit);
    stdout.off('resize', onResize);
    stdout.write(LEAVE_ALT);
    keys.close();
  }
  return { error };
}
