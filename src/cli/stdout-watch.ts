// Notice that the reader of stdout went away (`higress-doctor tail … | head -3`) while no line is written.
//
// A write to a pipe nobody reads fails with EPIPE, but `tail` may write nothing for hours. Node has no
// poll(2); a zero-byte write does not probe (Linux lets a null write to a pipe succeed without looking at
// its readers), and reopening /proc/self/fd/1 does not either. GNU `tail -f` does exactly this check: it
// polls its own stdout and dies of SIGPIPE within a second of the reader going away. So a watcher
// `tail -f /dev/null` shares our stdout: it writes nothing, and its death by SIGPIPE tells us.
// `--pid` ends it within a second of our own end, however we end, so it never holds the pipe open.
// Where there is no GNU tail (busybox, macOS) the watcher is absent and the next write notices instead.
import { spawn } from 'node:child_process';
import { fstatSync } from 'node:fs';

/** Start watching; `onGone` is called once when the reader of stdout has gone. Returns a stop function. */
export function watchStdoutReader(onGone: () => void, fd = 1): () => void {
  if (process.platform !== 'linux') return () => undefined;
  try {
    if (!fstatSync(fd).isFIFO()) return () => undefined;
  } catch {
    return () => undefined;
  }
  let done = false;
  const child = spawn('tail', ['-f', '-s', '1', `--pid=${process.pid}`, '/dev/null'], { stdio: ['ignore', fd, 'ignore'] });
  child.on('error', () => {
    done = true; // no tail here: the next write notices instead
  });
  child.on('exit', (code, signal) => {
    done = true;
    if (signal === 'SIGPIPE' || code === 141) onGone();
  });
  // The watcher must not keep the process alive.
  child.unref();
  return () => {
    if (!done) child.kill();
    done = true;
  };
}
