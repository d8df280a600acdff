// Live source for `tail`: follows a log file by name, like `tail -F`, and yields raw bytes.
// One kept byte offset per open file; bytes are read with positioned reads on the open handle, so
// nothing is yielded twice or skipped. Wake-ups come from a change notifier (ChangeNotifier: chokidar
// watching the file's directory — create/rename/unlink of the name are directory events — or a
// timer that polls, chosen by option or HIGRESS_DOCTOR_FOLLOW=poll, and taken automatically when
// watching fails, e.g. on some network or overlay filesystems) plus a slow safety poll for
// filesystems where events get lost. Rotation is decided by comparing the inode the name points at with the
// inode we hold open (decideFollow, a pure function the loop asks after each read); truncation by
// the held file getting shorter than our offset.
import type { Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { errnoText } from './errno.js';

export type FollowState = 'following' | 'waiting' | 'rotated' | 'truncated' | 'stopped';

export interface FollowStatus {
  state: FollowState;
  at: Date;
  path: string;
  /** Where the next yielded byte sits in the file being read (0 when none is open); chunks continue from here. */
  offset: number;
  detail?: string;
}

export interface FollowOptions {
  /** Start with the last N lines of the existing file (like tail -n N); default 1000. Ignored with fromStart. */
  backlogLines?: number;
  /** Start at byte 0 of the existing file. */
  fromStart?: boolean;
  /** Stop following; the iterator ends cleanly. */
  signal?: AbortSignal;
  /** Called on every state change (and on each rotation/truncation). */
  onStatus?: (s: FollowStatus) => void;
  /** Largest chunk read and yielded at once; default 1 MiB. */
  readChunkBytes?: number;
  /**
   * Read every chunk into one buffer: a yielded chunk holds until the next is asked for, so the consumer must be
   * done with it by then (the pipeline is: its scanner copies what it keeps). A fresh buffer per read made a
   * follower at 100,000 lines/s hold ~20 MiB of read buffers waiting for the garbage collector.
   */
  reuseBuffer?: boolean;
  /**
   * How long to wait after a rename before deciding the old file is done (drain it first); default 1000 ms.
   * We switch to the new file as soon as it has bytes (the writer has moved on), or once the old file has been
   * quiet this long. Covers writers that keep writing the renamed file until they reopen (logrotate `create`).
   */
  rotationGraceMs?: number;
  /**
   * What wakes the follower: `watch` (chokidar; the default) or `poll` (a timer; the default when the environment
   * has HIGRESS_DOCTOR_FOLLOW=poll), or a notifier of one's own. A notifier that fails to start or reports an error
   * is replaced by polling.
   */
  notifier?: NotifierKind | (() => ChangeNotifier);
  /** Interval of the poll notifier, ms; default POLL_MS. */
  pollMs?: number;
}

/**
 * What tells the follower that the file may have changed. It only wakes it: the follower then stats and reads
 * and decides by itself, so a spurious wake-up costs a stat and a lost one the safety poll's latency.
 */
export interface ChangeNotifier {
  /**
   * Starts watching `dir` for changes of `file` (of any name in `dir` while `anyName()` is true: a renamed file
   * being drained); calls `changed` for each possible change and `failed` when it stops working. Resolves once
   * it watches (or when `signal` aborts); rejects when it cannot watch.
   */
  start(dir: string, file: string, on: { changed: () => void; failed: (err: unknown) => void; anyName: () => boolean }, signal?: AbortSignal): Promise<void>;
  /** Stops; resolves when its handles are released. Harmless when not started. */
  stop(): Promise<void>;
}

export type NotifierKind = 'watch' | 'poll';

/** Interval of the poll notifier by default, ms. */
export const POLL_MS = 250;

/** The default kind: HIGRESS_DOCTOR_FOLLOW=poll asks for polling. */
export function defaultNotifierKind(env: NodeJS.ProcessEnv = process.env): NotifierKind {
  return env.HIGRESS_DOCTOR_FOLLOW === 'poll' ? 'poll' : 'watch';
}

/** chokidar on the directory: the name's create/rename/unlink are directory events. */
export function watchNotifier(): ChangeNotifier {
  let w: FSWatcher | null = null;
  return {
    async start(dir, file, on, signal) {
      const base = basename(file);
      const watcher = watch(dir, {
        persistent: true,
        ignoreInitial: true,
        depth: 0,
        // No event merging or dot-file hiding: every event only triggers a stat, it is never trusted as is.
        atomic: false,
        ignored: (p: string) => {
          const r = resolve(p);
          return r !== dir && r !== file;
        },
      });
      w = watcher;
      watcher.on('all', on.changed);
      // Raw events arrive before chokidar's own filtering and throttling. Other files in the directory only
      // matter while draining a renamed file (its new name differs).
      watcher.on('raw', (_event: string, name: string | null | undefined) => {
        if (!name || basename(name) === base || on.anyName()) on.changed();
      });
      watcher.on('error', (err: unknown) => {
        on.changed();
        on.failed(err);
      });
      await new Promise<void>((res) => {
        const done = (): void => {
          signal?.removeEventListener('abort', done);
          res();
        };
        watcher.once('ready', done);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
    async stop() {
      const watcher = w;
      w = null;
      if (watcher) await watcher.close().catch(() => undefined);
    },
  };
}

/** A timer: "maybe changed" every `intervalMs`, for filesystems whose changes are not reported (NFS, some overlays). */
export function pollNotifier(intervalMs = POLL_MS): ChangeNotifier {
  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    async start(_dir, _file, on) {
      if (timer) clearInterval(timer);
      timer = setInterval(on.changed, Math.max(1, intervalMs));
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

/** A failure to read the followed input; `code` is the errno code when there is one. */
export class FollowError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined, cause?: unknown) {
    super(message, { cause });
    this.name = 'FollowError';
    this.code = code;
  }
}

const MIB = 1024 * 1024;
const SAFETY_POLL_MS = 1000;
const BACKLOG_BLOCK = 64 * 1024;
const NL = 0x0a;

/** Yields raw byte chunks in file order, across rotation/truncation, until aborted. Never re-reads data it has yielded. */
export function followFile(path: string, opts: FollowOptions = {}): AsyncIterable<Buffer> {
  return { [Symbol.asyncIterator]: () => followLoop(path, opts) };
}

/** Reads stdin until it ends (for `tail -`), same chunk contract. The caller owns the stream: abort only stops reading. */
export function followStream(stream: NodeJS.ReadableStream, opts: { signal?: AbortSignal } = {}): AsyncIterable<Buffer> {
  return { [Symbol.asyncIterator]: () => streamLoop(stream, opts.signal) };
}

/**
 * Byte offset where the last `lines` lines of the first `size` bytes begin, scanning backwards in blocks.
 * An unterminated last line counts as a line (as in tail). With 0 lines the result is still a line start:
 * the end of the file, or the start of an unterminated last line.
 */
export async function findBacklogStart(
  fh: Pick<FileHandle, 'read'>,
  size: number,
  lines: number,
  blockSize: number = BACKLOG_BLOCK,
): Promise<number> {
  if (size <= 0) return 0;
  if (!(lines >= 0)) lines = 0;
  if (lines === Infinity) return 0;
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(blockSize, size)));
  let wanted = Math.max(1, Math.floor(lines));
  let end = size;
  let first = true;
  while (end > 0) {
    const start = Math.max(0, end - buf.length);
    const len = end - start;
    const { bytesRead } = await fh.read(buf, 0, len, start);
    // The file shrank under us: start over from 0 rather than guess.
    if (bytesRead < len) return 0;
    let i = len - 1;
    if (first) {
      first = false;
      // A newline ending the file terminates the last line; it does not start a new one.
      if (buf[i] === NL) {
        if (lines < 1) return size;
        i--;
      }
    }
    for (; i >= 0; i--) {
      if (buf[i] === NL && --wanted === 0) return start + i + 1;
    }
    end = start;
  }
  return 0;
}

/** Coalesces wake-up requests; a request made while nobody waits makes the next wait return at once. */
class Waker {
  private pending = false;
  private release: (() => void) | null = null;

  readonly notify = (): void => {
    const release = this.release;
    if (release) {
      this.release = null;
      release();
    } else {
      this.pending = true;
    }
  };

  /** Resolves on notify or after `ms` (no timer when ms is undefined). The timer never outlives the wait. */
  wait(ms?: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((res) => {
      const timer = ms === undefined ? undefined : setTimeout(() => {
        this.release = null;
        res();
      }, ms);
      this.release = () => {
        if (timer) clearTimeout(timer);
        res();
      };
    });
  }
}

/** What the follower knows of the file it holds open. */
export interface HeldFile {
  dev: number;
  ino: number;
  /** Date.now() of the last read that returned bytes. */
  lastDataAt: number;
}

/** What the name points at now (a stat of the path), or null when nothing does. */
export interface NamedFile {
  dev: number;
  ino: number;
  size: number;
}

/** What to do after reading the held file to its end, given what the name points at. */
export type FollowStep =
  /** Nothing held and the name exists: open it from 0 (a re-created file when one was held before). */
  | { readonly do: 'open'; readonly recreated: boolean }
  /** Nothing held and nothing at the name: wait for it. */
  | { readonly do: 'wait-for-file' }
  /** The name is the held file (`back`: it had been renamed away and came back). */
  | { readonly do: 'follow'; readonly back: boolean }
  /** Another file has the name and the writer moved on (it has bytes, or the old one went quiet): drain the old one, open the new one from 0. */
  | { readonly do: 'switch' }
  /** Another file has the name but is empty and the old one is not quiet yet: keep draining it, look again within waitMs. */
  | { readonly do: 'drain-old'; readonly waitMs: number }
  /** The name is gone: keep reading the renamed file (the writer may still write it). */
  | { readonly do: 'keep-renamed' }
  /** The name is gone and the held file is deleted and quiet: drain it and let it go. */
  | { readonly do: 'release' }
  /** The name is gone and the held file is deleted but not quiet yet: look again within waitMs. */
  | { readonly do: 'linger'; readonly waitMs: number };

/**
 * The rotation and truncation decision, as a pure function of what is held and what the name
 * points at (the loop does the reading, the watching and the waiting). `links`: the held file's
 * link count, read when the name is gone (0: deleted). Returns the step and when the name was
 * first seen pointing elsewhere (null while it points at the held file).
 */
export function decideFollow(
  held: HeldFile | null,
  named: NamedFile | null,
  links: number,
  everHeld: boolean,
  detachedSince: number | null,
  now: number,
  graceMs: number,
): { step: FollowStep; detachedSince: number | null } {
  if (!held) return { step: named ? { do: 'open', recreated: everHeld } : { do: 'wait-for-file' }, detachedSince: null };
  if (named && named.dev === held.dev && named.ino === held.ino) return { step: { do: 'follow', back: detachedSince !== null }, detachedSince: null };
  const since = detachedSince ?? now;
  const quietFor = now - Math.max(since, held.lastDataAt);
  if (named) {
    // Bytes in the new file mean the writer has moved on (a single writer appends in order), so
    // whatever it wrote to the old file is already there.
    if (named.size > 0 || quietFor >= graceMs) return { step: { do: 'switch' }, detachedSince: null };
    return { step: { do: 'drain-old', waitMs: graceMs - quietFor }, detachedSince: since };
  }
  // A deleted file that has gone quiet only holds disk space; a renamed one may still be written.
  if (links > 0) return { step: { do: 'keep-renamed' }, detachedSince: since };
  if (quietFor >= graceMs) return { step: { do: 'release' }, detachedSince: null };
  return { step: { do: 'linger', waitMs: graceMs - quietFor }, detachedSince: since };
}

interface Held extends HeldFile {
  fh: FileHandle;
  dev: number;
  offset: number;
}

function errCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isAbsent(err: unknown): boolean {
  const code = errCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function readError(path: string, err: unknown): FollowError {
  return new FollowError(`cannot read ${path}: ${errnoText(err)}`, errCode(err), err);
}

async function* followLoop(path: string, opts: FollowOptions): AsyncGenerator<Buffer, void, undefined> {
  const file = resolve(path);
  const dir = dirname(file);
  const chunkBytes = Math.max(1, Math.floor(opts.readChunkBytes ?? MIB)) || MIB;
  let shared: Buffer | null = null;
  const readBuffer = (len: number): Buffer => (opts.reuseBuffer ? (shared ??= Buffer.allocUnsafeSlow(chunkBytes)).subarray(0, len) : Buffer.allocUnsafe(len));
  const backlog = opts.backlogLines ?? 1000;
  const graceMs = Math.max(0, opts.rotationGraceMs ?? 1000);
  const signal = opts.signal;

  const waker = new Waker();
  const pollMs = opts.pollMs ?? POLL_MS;
  const choice = opts.notifier ?? defaultNotifierKind();
  let notifier: ChangeNotifier = typeof choice === 'function' ? choice() : choice === 'poll' ? pollNotifier(pollMs) : watchNotifier();
  let polling = choice === 'poll';
  /** Why the notifier stopped working (then it is replaced by polling at the next arming). */
  let notifierFailure: unknown = null;
  let armed = false;
  let watchedDirIno = -1;
  let held: Held | null = null;
  let everHeld = false;
  /** When we first saw the name not pointing at the held file (renamed away, deleted, replaced). */
  let detachedSince: number | null = null;
  let state: FollowState | null = null;
  let failure: unknown = null;

  /** A note for the next status (the switch to polling, when it happens before the first status). */
  let note: string | null = null;
  const report = (next: FollowState, detail?: string): void => {
    if (note !== null) {
      detail = detail === undefined ? note : `${detail}; ${note}`;
      note = null;
    }
    state = next;
    const s: FollowStatus = { state: next, at: new Date(), path, offset: held?.offset ?? 0 };
    if (detail !== undefined) s.detail = detail;
    opts.onStatus?.(s);
  };

  /** Closes of watchers still under way; the iterator does not finish before they are done. */
  const closing = new Set<Promise<void>>();
  const closeWatcher = async (): Promise<void> => {
    const was = armed;
    armed = false;
    watchedDirIno = -1;
    if (was) {
      const p = notifier.stop().catch(() => undefined);
      closing.add(p);
      void p.then(() => closing.delete(p));
    }
    await Promise.all(closing);
  };

  /** From now on a timer wakes the follower: the notifier could not watch. */
  const fallBackToPolling = async (err: unknown): Promise<void> => {
    await closeWatcher();
    notifier = pollNotifier(pollMs);
    polling = true;
    notifierFailure = null;
    const why = `cannot watch ${dir} (${err instanceof Error ? err.message : String(err)}); polling every ${pollMs} ms`;
    if (state !== null) report(state, why);
    else note = why;
  };

  const notifierEvents = {
    changed: waker.notify,
    failed: (err: unknown): void => {
      if (!polling) notifierFailure = err ?? new Error('watcher failed');
      waker.notify();
    },
    anyName: (): boolean => detachedSince !== null,
  };

  const onAbort = (): void => {
    waker.notify();
    // The fs.watch handles keep the process alive; drop them now even if the consumer is slow to pull.
    void closeWatcher();
  };

  /** Watch the directory if it exists and is not watched yet (or was replaced, or its notifier failed). */
  const armWatcher = async (): Promise<void> => {
    if (notifierFailure !== null) await fallBackToPolling(notifierFailure);
    let dirStat: Stats;
    try {
      dirStat = await stat(dir);
    } catch {
      await closeWatcher();
      return;
    }
    if (!dirStat.isDirectory()) return;
    if (armed && watchedDirIno === dirStat.ino) return;
    await closeWatcher();
    if (signal?.aborted) return;
    armed = true;
    watchedDirIno = dirStat.ino;
    try {
      await notifier.start(dir, file, notifierEvents, signal);
    } catch (err) {
      // A notifier that cannot watch only costs latency: polling takes over.
      await fallBackToPolling(err);
      if (signal?.aborted) return;
      armed = true;
      watchedDirIno = dirStat.ino;
      await notifier.start(dir, file, notifierEvents, signal);
    }
  };

  /** Opens the name; null when it does not exist (any more). */
  const openHeld = async (offsetOf: (fh: FileHandle, size: number) => Promise<number>): Promise<Held | null> => {
    let fh: FileHandle;
    try {
      fh = await open(file, 'r');
    } catch (err) {
      if (isAbsent(err)) return null;
      throw readError(path, err);
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new FollowError(`cannot read ${path}: not a regular file`, undefined);
      const offset = await offsetOf(fh, st.size);
      everHeld = true;
      return { fh, dev: st.dev, ino: st.ino, offset, lastDataAt: Date.now() };
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err instanceof FollowError ? err : readError(path, err);
    }
  };

  const closeHeld = async (): Promise<void> => {
    const h = held;
    held = null;
    if (h) await h.fh.close().catch(() => undefined);
  };

  /** Reads the held file from the kept offset to its current end, yielding chunks. */
  async function* drain(h: Held): AsyncGenerator<Buffer, void, undefined> {
    for (;;) {
      let size: number;
      try {
        size = (await h.fh.stat()).size;
      } catch (err) {
        throw readError(path, err);
      }
      if (size < h.offset) {
        // Same inode, shorter: copytruncate (or `> file`). The writer continues at the new end.
        const was = h.offset;
        h.offset = 0;
        report('truncated', `size ${size} < offset ${was}; restarting at 0`);
      }
      if (size === h.offset) return;
      while (h.offset < size) {
        if (signal?.aborted) return;
        const len = Math.min(chunkBytes, size - h.offset);
        const buf = readBuffer(len);
        let bytesRead: number;
        try {
          ({ bytesRead } = await h.fh.read(buf, 0, len, h.offset));
        } catch (err) {
          throw readError(path, err);
        }
        // Shrank while we read; the stat at the top of the loop sorts it out.
        if (bytesRead === 0) break;
        if (signal?.aborted) return;
        // Reported before the offset moves: a status's offset is where the next yielded byte sits in the file.
        if (state !== 'following' && detachedSince === null) report('following');
        h.offset += bytesRead;
        h.lastDataAt = Date.now();
        yield bytesRead === len ? buf : buf.subarray(0, bytesRead);
      }
    }
  }

  if (signal?.aborted) {
    report('stopped', 'aborted before start');
    return;
  }
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Watch before the first read so no change after it goes unseen.
    await armWatcher();
    held = await openHeld(async (fh, size) => {
      if (opts.fromStart) return 0;
      return findBacklogStart(fh, size, backlog);
    });
    if (held) report('following', opts.fromStart ? 'from start' : `backlog of ${backlog} lines`);
    else report('waiting', 'file does not exist yet');

    while (!signal?.aborted) {
      let timeout = SAFETY_POLL_MS;
      if (held) {
        yield* drain(held);
        if (signal?.aborted) break;
      }

      let named: Stats | null;
      try {
        named = await stat(file);
      } catch (err) {
        if (!isAbsent(err)) throw readError(path, err);
        named = null;
      }

      // The held file's link count matters only when the name is gone (0: deleted).
      let links = 1;
      if (held && !named) {
        try {
          links = (await held.fh.stat()).nlink;
        } catch {
          links = 0;
        }
      }
      const d = decideFollow(held, named, links, everHeld, detachedSince, Date.now(), graceMs);
      detachedSince = d.detachedSince;
      const step = d.step;
      switch (step.do) {
        case 'open':
          held = await openHeld(async () => 0);
          if (held) {
            report(step.recreated ? 'rotated' : 'following', 'file appeared; reading it from 0');
            await armWatcher();
            continue;
          }
          if (state !== 'waiting') report('waiting', 'file does not exist');
          await armWatcher();
          break;
        case 'wait-for-file':
          if (state !== 'waiting') report('waiting', 'file does not exist');
          await armWatcher();
          break;
        case 'follow':
          if (step.back) report('following', 'file is back');
          break;
        case 'switch': {
          yield* drain(held!);
          if (signal?.aborted) break;
          await closeHeld();
          const next = await openHeld(async () => 0);
          if (next) {
            held = next;
            report('rotated', 'new file at the path; reading it from 0');
          } else {
            report('waiting', 'file does not exist');
          }
          await armWatcher();
          continue;
        }
        case 'drain-old':
        case 'linger':
          if (step.do === 'linger' && state !== 'waiting') report('waiting', 'file renamed or deleted; draining the old file');
          if (step.do === 'linger') await armWatcher();
          timeout = Math.min(timeout, step.waitMs);
          break;
        case 'keep-renamed':
          if (state !== 'waiting') report('waiting', 'file renamed or deleted; draining the old file');
          await armWatcher();
          break;
        case 'release':
          if (state !== 'waiting') report('waiting', 'file renamed or deleted; draining the old file');
          await armWatcher();
          yield* drain(held!);
          if (signal?.aborted) break;
          await closeHeld();
          break;
      }
      if (signal?.aborted) break;
      if (notifierFailure !== null) await armWatcher();
      await waker.wait(Math.max(1, timeout));
    }
  } catch (err) {
    failure = err;
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await closeWatcher();
    await closeHeld();
    report('stopped', failure ? (failure instanceof Error ? failure.message : String(failure)) : 'ended');
  }
}

async function* streamLoop(stream: NodeJS.ReadableStream, signal: AbortSignal | undefined): AsyncGenerator<Buffer, void, undefined> {
  if (signal?.aborted) return;
  const r = stream as NodeJS.ReadableStream & { readableEnded?: boolean; errored?: unknown; destroyed?: boolean };
  const waker = new Waker();
  let ended = r.readableEnded === true;
  let failure: unknown = r.errored ?? null;
  const onEnd = (): void => {
    ended = true;
    waker.notify();
  };
  const onError = (err: unknown): void => {
    failure = err;
    waker.notify();
  };
  stream.on('readable', waker.notify);
  stream.on('end', onEnd);
  stream.on('close', onEnd);
  stream.on('error', onError);
  signal?.addEventListener('abort', waker.notify, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) return;
      let chunk: string | Buffer | null;
      while ((chunk = stream.read() as string | Buffer | null) !== null) {
        if (chunk.length === 0) continue;
        yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        if (signal?.aborted) return;
      }
      if (failure) throw readError('stdin', failure);
      if (ended) return;
      await waker.wait();
    }
  } finally {
    signal?.removeEventListener('abort', waker.notify);
    stream.removeListener('readable', waker.notify);
    stream.removeListener('end', onEnd);
    stream.removeListener('close', onEnd);
    stream.removeListener('error', onError);
    // Stop pulling from the source (lets a process whose stdin is still open exit).
    if (!ended) stream.pause();
  }
}
