// Writing results: stdout that may close early (`| head`), or --output FILE that may fail.
import { closeSync, openSync, realpathSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';

export class OutputError extends Error {}

/** Write to stdout, a text or its pieces in order; a closed pipe ends quietly (returns false) instead of throwing. */
export function writeStdout(text: string | Iterable<string>): boolean {
  if (typeof text !== 'string') {
    for (const piece of text) if (!writeStdout(piece)) return false;
    return true;
  }
  try {
    writeAllSync(1, text);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') return false;
    if (code === 'EAGAIN') {
      // Non-blocking stdout (rare): fall back to the stream.
      process.stdout.write(text);
      return true;
    }
    throw new OutputError(`cannot write to standard output: ${code ?? (e as Error).message}`);
  }
}

function writeAllSync(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      throw e;
    }
  }
}

/** Write the report (a text or its pieces) to a file, refusing to overwrite one of the inputs. */
export function writeOutputFile(path: string, text: string | Iterable<string>, inputs: readonly string[]): void {
  const target = resolve(path);
  let targetReal = target;
  try {
    targetReal = realpathSync(target);
  } catch {
    // Does not exist yet: fine.
  }
  for (const i of inputs) {
    if (i === '-') continue;
    let real = resolve(i);
    try {
      real = realpathSync(i);
    } catch {
      /* keep resolved */
    }
    if (real === targetReal || targetReal.startsWith(`${real}/`)) throw new OutputError(`refusing to write --output ${path}: it is one of the inputs`);
  }
  let fd: number;
  try {
    fd = openSync(target, 'w');
  } catch (e) {
    throw new OutputError(`cannot write ${path}: ${describeFsError(e)}`);
  }
  try {
    for (const piece of typeof text === 'string' ? [text] : text) writeAllSync(fd, piece);
  } catch (e) {
    throw new OutputError(`cannot write ${path}: ${describeFsError(e)}`);
  } finally {
    closeSync(fd);
  }
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return 'no space left on device';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such directory';
  if (code === 'EISDIR') return 'is a directory';
  return code?.toLowerCase() ?? (e as Error).message;
}
