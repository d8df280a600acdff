// Inputs: files (plain or gzip, or xz/bzip2/zstd through the host's command, told apart by magic bytes, not by
// name), folders of logs with rotated sets read oldest first, and stdin. Each input is read as a stream of large
// chunks, as UTF-8 (a UTF-16 file is converted).
import { closeSync, createReadStream, openSync, promises as fsp, readSync, type Stats as FsStats } from 'node:fs';
import { basename, join } from 'node:path';
import type { Gunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

type Zlib = typeof import('node:zlib');
let zlibModule: Zlib | null = null;
/** zlib is loaded for compressed input only: in every thread it costs start-up time and memory. */
async function loadZlib(): Promise<Zlib> {
  return (zlibModule ??= await import('node:zlib'));
}

export interface InputSpec {
  /** Name shown in evidence (`gateway.log:1042`). */
  readonly name: string;
  /** Path on disk, or '-' for stdin. */
  readonly path: string;
}

/** An error the user must see as one line, with exit code 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

import { READ_CHUNK } from '../limits.js';
import { errnoText, gzipFailureText } from './errno.js';
import { byCodeUnits } from '../words.js';


/** Expand the command-line inputs into the files to read, in the order they were written. */
export async function resolveInputs(args: readonly string[]): Promise<InputSpec[]> {
  const out: InputSpec[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push({ name: 'stdin', path: '-' });
      continue;
    }
    let st: FsStats;
    try {
      st = await fsp.stat(arg);
    } catch (e) {
      throw new InputError(`cannot read ${arg}: ${errnoText(e)}`);
    }
    if (st.isDirectory()) {
      const files = await logsInFolder(arg);
      if (files.length === 0) throw new InputError(`no log files in ${arg} (looked for *.log, *.log.N, *.log.N.gz, *.gz, and .xz, .bz2, .zst)`);
      out.push(...files.map((f) => ({ name: f.slice(arg.length).replace(/^[/\\]+/, '') || basename(f), path: f })));
    } else if (st.isFile() || st.isFIFO() || st.isCharacterDevice()) {
      if (st.isCharacterDevice() && !arg.startsWith('/dev/stdin') && !arg.startsWith('/dev/fd/')) {
        throw new InputError(`cannot read ${arg}: a device, not a log file`);
      }
      out.push({ name: basename(arg), path: arg });
    } else {
      throw new InputError(`cannot read ${arg}: not a regular file`);
    }
  }
  return out;
}

/** A compressed file's name: gzip (zlib reads it), xz, bzip2, zstd (the host's command does). */
export const COMPRESSED_NAME = /\.(?:gz|xz|bz2|zst)$/i;

/**
 * A log file's name as logrotate and supervisord write a rotated set: its set's name and its generation
 * (`gateway.log.3.xz` → gateway.log, 3; `gateway.log` → 0); null for a name that is no log.
 */
export function rotatedName(name: string): { base: string; gen: number } | null {
  const m = /^(.*?\.log)(?:\.(\d+))?(?:\.(?:gz|xz|bz2|zst))?$/.exec(name) ?? /^(.*?)(?:\.(\d+))?\.(?:gz|xz|bz2|zst)$/.exec(name);
  return m ? { base: m[1]!, gen: m[2] ? Number(m[2]) : 0 } : null;
}

/**
 * Log files of a folder, each rotated set oldest first: supervisord/logrotate number backups
 * upwards from the newest (`gateway.log.1` is newer than `gateway.log.10`), with or without `.gz`.
 */
export async function logsInFolder(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (e) {
    throw new InputError(`cannot read ${dir}: ${errnoText(e)}`);
  }
  const logs: Array<{ base: string; gen: number; name: string }> = [];
  for (const name of names) {
    const r = rotatedName(name);
    if (!r) continue;
    const st = await fsp.stat(join(dir, name)).catch(() => null);
    if (!st?.isFile()) continue;
    logs.push({ ...r, name });
  }
  logs.sort((a, b) => byCodeUnits(a.base, b.base) || b.gen - a.gen || byCodeUnits(a.name, b.name));
  return logs.map((l) => join(dir, l.name));
}

/**
 * The bytes of one input, decompressed when it starts with the gzip magic. A truncated or
 * damaged gzip yields what decoded, then throws a GzipError the caller reports and goes on.
 * `into` (READ_CHUNK bytes at least): where the chunks of a file are put, read or decompressed
 * (the scanner's line index reads them there without a copy).
 */
export function readInput(spec: InputSpec, stdin: AsyncIterable<Buffer | string> = process.stdin, into?: Buffer): AsyncGenerator<Buffer> {
  return utf16AsUtf8(readBytes(spec, stdin, into));
}

/**
 * A log saved as UTF-16 read as the UTF-8 every reader after this expects. Windows PowerShell 5's `>` and
 * `Out-File` write UTF-16LE with a byte-order mark, so `kubectl logs … > gateway.log` on a Windows desk gives
 * a file in which every other byte is 0: no line of it was in any layout. Decided on the first piece (after
 * gunzip): a UTF-16 mark, or, without one, the zero bytes of ASCII text in UTF-16LE/BE. Anything else passes
 * through untouched — the same chunks, still in the caller's buffer.
 */
export async function* utf16AsUtf8(chunks: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  try {
    const first = await chunks.next();
    if (first.done) return;
    const encoding = utf16Of(first.value);
    if (encoding === null) {
      yield first.value;
      yield* chunks;
      return;
    }
    // TextDecoder keeps a code unit or surrogate pair cut between two chunks for the next one, and drops the mark.
    const decoder = new TextDecoder(encoding);
    let piece: IteratorResult<Buffer> = first;
    let failure: { error: unknown } | null = null;
    try {
      while (!piece.done) {
        const text = decoder.decode(piece.value, { stream: true });
        if (text.length > 0) yield Buffer.from(text, 'utf8');
        piece = await chunks.next();
      }
    } catch (e) {
      failure = { error: e };
    }
    // What the decoder held back (an odd last byte, half a pair: U+FFFD, like any damaged text) ends the input; after a
    // read that failed part way (a truncated .gz) too, so what decoded still counts, as for UTF-8.
    const rest = decoder.decode();
    if (rest.length > 0) yield Buffer.from(rest, 'utf8');
    if (failure !== null) throw failure.error;
  } finally {
    // A reader that stops early (Ctrl-C, an abort) closes the input: a no-op once it has ended.
    await chunks.return(undefined);
  }
}

/** The first bytes of an input are gzip's magic (zlib reads it; scan-inputs.ts reads its trailer). */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** `utf-16le`/`utf-16be` when the first bytes of an input say so (see utf16AsUtf8), else null. */
export function utf16Of(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  // No mark: ASCII text in UTF-16 has a zero in every pair, on one side only. Log text (UTF-8) has no zero bytes.
  const pairs = Math.min(256, head.length >> 1);
  if (pairs < 16) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) zeroEven++;
    if (head[i + 1] === 0) zeroOdd++;
  }
  if (zeroOdd >= pairs * 0.9 && zeroEven === 0) return 'utf-16le';
  if (zeroEven >= pairs * 0.9 && zeroOdd === 0) return 'utf-16be';
  return null;
}

async function* readBytes(spec: InputSpec, stdin: AsyncIterable<Buffer | string>, into?: Buffer): AsyncGenerator<Buffer> {
  if (spec.path === '-') {
    yield* decodeStream(stdin, 'stdin');
    return;
  }
  let fd: number;
  try {
    fd = openSync(spec.path, 'r');
  } catch (e) {
    throw new InputError(`cannot read ${spec.path}: ${errnoText(e)}`);
  }
  // One buffer per input, refilled for each chunk: fresh buffers cost a page fault per 4 KiB.
  // Each chunk is valid until the next one is asked for (the pipeline copies what it keeps).
  if (into && into.length < READ_CHUNK) throw new Error('readInput: `into` is smaller than READ_CHUNK');
  const buf = into ?? Buffer.allocUnsafeSlow(READ_CHUNK);
  try {
    const head = readChunk(fd, spec.path, buf);
    const other = compressionOf(head);
    if (other !== null) {
      yield* decompressWith(other, spec.path);
      return;
    }
    if (isGzip(head)) {
      // Compressed: through zlib, synchronously into reused buffers when this Node allows it
      // (no buffer per chunk: freed only by a later GC, those made RSS grow with the input),
      // else as a stream. `buf` then holds compressed input (the first chunk is in it already).
      const zlib = await loadZlib();
      const sync = syncGunzip(zlib);
      const rest = sync ? null : createReadStream('', { fd, highWaterMark: READ_CHUNK, autoClose: false });
      let delivered = 0;
      // Decompressed chunks go to `into`; the compressed ones then need a buffer of their own.
      const compressed = into ? Buffer.allocUnsafeSlow(READ_CHUNK) : buf;
      const first = into ? compressed.subarray(0, head.copy(compressed)) : head;
      try {
        const outs = sync
          ? gunzipFileSync(sync, zlib, fd, first, compressed, spec.path, into)
          : gunzip(first, rest![Symbol.asyncIterator]() as AsyncIterator<Buffer>, spec.path);
        for await (const out of outs) {
          delivered += out.length;
          yield out;
        }
      } catch (e) {
        if (!(e instanceof TruncatedInput) || !e.message.includes('damaged gzip')) throw e;
        // zlib drops a member's last output when non-gzip bytes follow it in the same write.
        // Decode the file's first member again, raw, and deliver what was not delivered yet.
        yield* salvageFirstMember(spec.path, delivered);
        throw new TruncatedInput(`${spec.path}: damaged gzip (data after the compressed stream is not gzip); analysed what decoded`);
      }
      return;
    }
    // Plain files are read synchronously in large chunks: the fastest way through big logs.
    // Every few chunks the event loop gets a turn, so Ctrl-C is still seen.
    let chunk: Buffer = head;
    for (let n = 1; chunk.length > 0; n++) {
      yield chunk;
      if (n % 16 === 0) await new Promise<void>((r) => setImmediate(r));
      chunk = readChunk(fd, spec.path, buf);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The next READ_CHUNK bytes (at most) of fd into buf (at least READ_CHUNK long): buf itself when
 * full, else the part read; empty at the end. Plain files and compressed input read through this.
 */
function readChunk(fd: number, label: string, buf: Buffer): Buffer {
  let n: number;
  try {
    n = readSync(fd, buf, 0, READ_CHUNK, null);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new InputError(`cannot read ${label}: is a directory`);
    if (code === 'EAGAIN') return readChunkRetry(fd, buf);
    throw new TruncatedInput(`${label}: read failed: ${errnoText(e)}`);
  }
  return n === READ_CHUNK ? buf : buf.subarray(0, n);
}

/** FIFOs opened non-blocking may say EAGAIN: wait a little and read again. */
function readChunkRetry(fd: number, buf: Buffer): Buffer {
  for (;;) {
    try {
      const n = readSync(fd, buf, 0, READ_CHUNK, null);
      return buf.subarray(0, n);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * Compressions Node cannot decode itself (its zlib has gzip, not these): logrotate's `compresscmd` may be xz, bzip2
 * or zstd. Such a file is read through the host's own command when it has one; a zip archive holds several files,
 * whose line numbers would run on from one into the next, so it is refused with what to do instead.
 */
interface OtherCompression {
  readonly name: string;
  /** The host command that decompresses it to stdout with `-dc`; null: not read at all. */
  readonly command: string | null;
  readonly advice: string;
}

const COMPRESSIONS: ReadonlyArray<{ magic: readonly number[]; kind: OtherCompression }> = [
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], kind: { name: 'xz', command: 'xz', advice: 'install xz-utils, or decompress it first (xz -dc FILE > FILE.log)' } },
  { magic: [0x42, 0x5a, 0x68], kind: { name: 'bzip2', command: 'bzip2', advice: 'install bzip2, or decompress it first (bzip2 -dc FILE > FILE.log)' } },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], kind: { name: 'zstd', command: 'zstd', advice: 'install zstd, or decompress it first (zstd -dc FILE > FILE.log)' } },
  { magic: [0x50, 0x4b, 0x03, 0x04], kind: { name: 'a zip archive', command: null, advice: 'unzip it and analyse the folder of logs it holds' } },
];

/** The compression an input's first bytes announce, among those above; null for anything else (gzip included). */
export function compressionOf(head: Uint8Array): OtherCompression | null {
  for (const { magic, kind } of COMPRESSIONS) {
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) {
      // bzip2's `BZh` is followed by its block size, a digit: `BZh` alone may begin a line of text.
      if (kind.name === 'bzip2' && !(head.length > 3 && head[3]! >= 0x31 && head[3]! <= 0x39)) continue;
      return kind;
    }
  }
  return null;
}

/**
 * A file through the host's decompressor (`xz -dc -- FILE`): its output in the chunks the pipe gives. A command the
 * host lacks is one line saying what to do; one that fails part way (a truncated file) is a TruncatedInput after
 * what it decoded, like a damaged gzip. Stopping early kills it.
 */
async function* decompressWith(kind: OtherCompression, path: string): AsyncGenerator<Buffer> {
  if (kind.command === null) throw new InputError(`${path}: ${kind.name}: ${kind.advice}`);
  const { spawn } = await import('node:child_process');
  const child = spawn(kind.command, ['-dc', '--', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let spawnError: NodeJS.ErrnoException | null = null;
  child.on('error', (e) => {
    spawnError = e;
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 2000) stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let delivered = 0;
  let done = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      delivered += chunk.length;
      yield chunk;
    }
    const code = await exited;
    done = true;
    const failed = spawnError as NodeJS.ErrnoException | null;
    if (failed?.code === 'ENOENT') throw new InputError(`${path} is ${kind.name}-compressed and this host has no ${kind.command} command: ${kind.advice}`);
    if (failed) throw new InputError(`cannot run ${kind.command} for ${path}: ${errnoText(failed)}`);
    if (code !== 0) {
      // `xz: FILE: Unexpected end of input` → `Unexpected end of input`: the line around it names both already.
      const why = (stderr.trim().split('\n')[0] ?? '').replace(/^[\w-]+: /, '').replace(`${path}: `, '') || `exit code ${code}`;
      if (delivered === 0) throw new InputError(`cannot read ${path}: ${kind.command}: ${why}`);
      throw new TruncatedInput(`${path}: ${kind.command}: ${why}; analysed what decoded`);
    }
  } finally {
    if (!done) child.kill();
  }
}

export class TruncatedInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TruncatedInput';
  }
}

async function* decodeStream(stream: AsyncIterable<Buffer | string>, label: string): AsyncGenerator<Buffer> {
  const it = stream[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer | string>;
  try {
    first = await it.next();
  } catch (e) {
    throw new InputError(`cannot read ${label}: ${errnoText(e)}`);
  }
  if (first.done) return;
  const head = toBuffer(first.value);
  const other = compressionOf(head);
  if (other !== null) {
    throw new InputError(other.command === null ? `${label}: ${other.name}: ${other.advice}` : `${label} is ${other.name}-compressed: give the file itself, or pipe it through \`${other.command} -dc\``);
  }
  if (isGzip(head)) {
    yield* gunzip(head, it, label);
    return;
  }
  yield head;
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield toBuffer(r.value);
    }
  } catch (e) {
    throw new TruncatedInput(`${label}: read failed after part of the input: ${errnoText(e)}`);
  }
}

async function* gunzip(head: Buffer, rest: AsyncIterator<Buffer | string>, label: string): AsyncGenerator<Buffer> {
  const gz = (await loadZlib()).createGunzip({ chunkSize: 128 * 1024 });
  const { Readable } = await import('node:stream');
  // pipe() gives backpressure: compressed bytes are read only as fast as we consume output.
  // Copies: the stream holds chunks while zlib works, and a source may lend its chunks only until the next one
  // (the scan worker's feed, lines/feed.ts, reads every chunk into one buffer).
  const compressed = Readable.from(
    (async function* () {
      yield Buffer.from(head);
      for (;;) {
        const r = await rest.next();
        if (r.done) return;
        yield Buffer.from(toBuffer(r.value));
      }
    })(),
    { objectMode: false, highWaterMark: 256 * 1024 },
  );
  let failure: Error | null = null;
  compressed.on('error', (e) => {
    failure = e;
    gz.destroy(e);
  });
  compressed.pipe(gz);
  try {
    for await (const out of gz as AsyncIterable<Buffer>) yield out;
  } catch (e) {
    failure ??= e as Error;
  } finally {
    compressed.unpipe(gz);
    compressed.destroy();
  }
  if (failure) {
    const code = (failure as NodeJS.ErrnoException).code;
    const what = gzipFailureText(code, (failure as Error).message);
    throw new TruncatedInput(`${label}: ${what}; analysed what decoded`);
  }
}

/** zlib's synchronous step, as zlib's own *Sync functions use it: write input, get output, no allocation. */
interface ZlibStep {
  readonly gz: Gunzip;
  readonly write: (flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number) => void;
  /** After a write: [output space left, input left]. */
  readonly state: Uint32Array;
  /** The error zlib reported during the last write, if any. */
  error: { message: string; code: string } | null;
}

/** A gunzip engine driven synchronously, or null when this Node's zlib does not offer it. */
function syncGunzip(zlib: Zlib): ZlibStep | null {
  const gz = zlib.createGunzip();
  const g = gz as unknown as { _handle?: { writeSync?: unknown; onerror?: unknown }; _writeState?: unknown };
  const handle = g._handle;
  if (!handle || typeof handle.writeSync !== 'function' || !(g._writeState instanceof Uint32Array)) {
    gz.destroy();
    return null;
  }
  const step: ZlibStep = {
    gz,
    write: (handle.writeSync as ZlibStep['write']).bind(handle),
    state: g._writeState,
    error: null,
  };
  // zlib reports errors through this callback, during the write.
  handle.onerror = (message: string, _errno: number, code: string): void => {
    step.error ??= { message, code };
  };
  return step;
}

/** The zlib stream's output chunk: the sync path writes in the same windows (see below). */
const GZ_CHUNK = 128 * 1024;

/**
 * A gzip file decoded chunk by chunk into one reused output buffer (READ_CHUNK bytes), reading
 * the compressed bytes with readSync into `input` (which holds `first`, the first chunk). Each
 * chunk is valid until the next one is asked for. It makes the same zlib calls the stream path
 * makes (same input chunks, output windows ending at the same GZ_CHUNK boundaries, the output of
 * a failing call dropped), so damaged input decodes to exactly the same bytes and the same error.
 */
async function* gunzipFileSync(z: ZlibStep, zlib: Zlib, fd: number, first: Buffer, input: Buffer, label: string, into?: Buffer): AsyncGenerator<Buffer> {
  const zconst = zlib.constants;
  const out = into ? into.subarray(0, READ_CHUNK) : Buffer.allocUnsafeSlow(READ_CHUNK);
  let outLen = 0;
  let chunk: Buffer = first;
  try {
    for (let n = 1; ; n++) {
      const finish = chunk.length === 0;
      let inOff = 0;
      let inLen = chunk.length;
      for (;;) {
        const window = GZ_CHUNK - (outLen % GZ_CHUNK);
        z.write(finish ? zconst.Z_FINISH : zconst.Z_NO_FLUSH, chunk, inOff, inLen, out, outLen, window);
        if (z.error) break;
        const outLeft = z.state[0]!;
        const inLeft = z.state[1]!;
        outLen += window - outLeft;
        inOff += inLen - inLeft;
        inLen = inLeft;
        if (outLen === out.length) {
          yield out;
          outLen = 0;
        }
        if (outLeft === 0) continue; // window full: more output from the same input
        break;
      }
      if (z.error) {
        if (outLen > 0) yield out.subarray(0, outLen);
        const { message, code } = z.error;
        const what = gzipFailureText(code, message);
        throw new TruncatedInput(`${label}: ${what}; analysed what decoded`);
      }
      if (finish) break;
      if (n % 16 === 0) await new Promise<void>((r) => setImmediate(r));
      chunk = readChunk(fd, label, input);
    }
    if (outLen > 0) yield out.subarray(0, outLen);
  } finally {
    z.gz.destroy();
  }
}

/**
 * The first gzip member of a file, decoded with raw inflate (which stops at the end of the
 * deflate stream and ignores whatever follows), skipping the first `skip` output bytes.
 */
async function* salvageFirstMember(path: string, skip: number): AsyncGenerator<Buffer> {
  const head = Buffer.alloc(64 * 1024);
  const fd = openSync(path, 'r');
  let start: number;
  try {
    const n = readSync(fd, head, 0, head.length, 0);
    start = gzipHeaderLength(head.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  if (start < 0) return;
  const inflate = (await loadZlib()).createInflateRaw();
  const src = createReadStream(path, { start, highWaterMark: 256 * 1024 });
  src.on('error', (e) => inflate.destroy(e));
  src.pipe(inflate);
  let seen = 0;
  try {
    for await (const out of inflate as AsyncIterable<Buffer>) {
      const from = Math.max(0, skip - seen);
      seen += out.length;
      if (from < out.length) yield from === 0 ? out : out.subarray(from);
    }
  } catch {
    // What decoded has been delivered; the caller reports the damage.
  } finally {
    src.destroy();
  }
}

/** Length of a gzip member header (RFC 1952), or -1 when the bytes are not one. */
function gzipHeaderLength(b: Buffer): number {
  if (b.length < 10 || b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8) return -1;
  const flags = b[3]!;
  let p = 10;
  if (flags & 4) p += 2 + b.readUInt16LE(p);
  if (flags & 8) p = b.indexOf(0, p) + 1;
  if (flags & 16) p = b.indexOf(0, p) + 1;
  if (flags & 2) p += 2;
  return p > 0 && p <= b.length ? p : -1;
}

function toBuffer(v: Buffer | string): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}
