// An input the main thread reads for the scan worker: stdin. A pipe (`kubectl logs … | higress-doctor analyze -`,
// `analyze <(…)`) is how a big log often arrives, and the worker scans it as it scans a file (parallel.ts), but it
// must not read the pipe itself: a thread blocked in a read — synchronous, or on libuv's pool — cannot be stopped,
// and Node waits for it at exit, so Ctrl-C on a pipe that stays open would hang the command (measured: both kinds of
// read kept `process.exit()` from returning). So the main thread reads (its event loop, as in-process) and copies
// each chunk into a ring of slots in shared memory; the worker takes them in order, waiting on the ring in short
// sleeps it can be stopped in. Reading waits while every slot is unread: memory stays flat, the pipe's writer waits.
// The pipe is read into one buffer (a socket's `onread`), not as a stream: a stream's fresh 64 KiB buffer per read
// is garbage V8 collects late when little else is allocated — 300 MB through a stream peaked at 84 MiB, at 48 this way.
import type { Socket } from 'node:net';
import { errnoText } from '../sources/errno.js';

/** Slots in the feed: chunks read but not yet taken before reading waits. */
export const FEED_SLOTS = 64;
/** Bytes a slot holds: a pipe's read (64 KiB on Linux) in one slot; a longer chunk takes several. */
export const FEED_SLOT_BYTES = 64 * 1024;

// Control words: slots written and taken (counts from 0), the feed's state, the error text's length, then each slot's length.
const WRITTEN = 0;
const TAKEN = 1;
const STATE = 2;
const ERROR_LENGTH = 3;
const LENGTHS = 4;

const OPEN = 0;
const ENDED = 1;
const FAILED = 2;

/** Longest error text the feed carries. */
const ERROR_BYTES = 1024;
/** How long either side sleeps before it looks again (whether it was stopped, whether the other side moved). */
const NAP_MS = 100;

// Node 20 has it (V8 8.7+); TypeScript declares it with the ES2024 library only.
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, ms: number): { async: boolean; value: unknown } }).waitAsync;

export interface Feed {
  readonly control: Int32Array;
  readonly data: SharedArrayBuffer;
  readonly error: SharedArrayBuffer;
}

export function newFeed(): Feed {
  return {
    control: new Int32Array(new SharedArrayBuffer((LENGTHS + FEED_SLOTS) * 4)),
    data: new SharedArrayBuffer(FEED_SLOTS * FEED_SLOT_BYTES),
    error: new SharedArrayBuffer(ERROR_BYTES),
  };
}

/** Main side: the writing end of a feed. */
class FeedWriter {
  private written = 0;
  constructor(private readonly feed: Feed) {}

  get full(): boolean {
    return this.written - Atomics.load(this.feed.control, TAKEN) >= FEED_SLOTS;
  }

  /** Resolves once a slot is free, or after a nap (look at `full` again). */
  async room(): Promise<void> {
    const c = this.feed.control;
    const taken = Atomics.load(c, TAKEN);
    if (this.written - taken < FEED_SLOTS) return;
    const w = waitAsync(c, TAKEN, taken, NAP_MS);
    if (w.async) await w.value;
  }

  /** One slot's bytes at most, into the next slot (the caller made sure it is free). */
  write(piece: Uint8Array): void {
    const c = this.feed.control;
    const k = this.written % FEED_SLOTS;
    new Uint8Array(this.feed.data, k * FEED_SLOT_BYTES, piece.length).set(piece);
    Atomics.store(c, LENGTHS + k, piece.length);
    Atomics.store(c, WRITTEN, ++this.written);
    Atomics.notify(c, WRITTEN);
  }

  /** No more slots: the worker scans those written and ends (a failure already marked stays). */
  end(): void {
    Atomics.compareExchange(this.feed.control, STATE, OPEN, ENDED);
    Atomics.notify(this.feed.control, WRITTEN);
  }

  fail(e: unknown): void {
    const c = this.feed.control;
    if (Atomics.load(c, STATE) !== OPEN) return;
    const text = Buffer.from(errnoText(e), 'utf8').subarray(0, ERROR_BYTES);
    new Uint8Array(this.feed.error).set(text);
    Atomics.store(c, ERROR_LENGTH, text.length);
    Atomics.store(c, STATE, FAILED);
    Atomics.notify(c, WRITTEN);
  }
}

/**
 * Feeding in progress: `done` once the source ended or failed (or stop() was called). stop() closes the source and
 * ends the feed where it is: the worker scans what was fed and ends (Ctrl-C: the diagnosis so far).
 */
export interface Feeding {
  readonly done: Promise<void>;
  stop(): void;
}

/**
 * Main side: read the pipe (or socket) at `fd` into the feed in order, then mark it ended (or failed, with the
 * read error's text). Reading pauses while every slot is unread.
 */
export function feedFromPipe(feed: Feed, fd: number): Feeding {
  const writer = new FeedWriter(feed);
  let stopped = false;
  let waiting = false;
  let pipe: Socket | null = null;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const close = (): void => {
    stopped = true;
    finish();
  };
  const resumeWithRoom = async (): Promise<void> => {
    if (waiting) return;
    waiting = true;
    while (writer.full && !stopped) await writer.room();
    waiting = false;
    if (!stopped) pipe?.resume();
  };
  const buffer = Buffer.allocUnsafeSlow(FEED_SLOT_BYTES);
  // node:net only here (the main thread, a pipe on stdin): the scan worker, which loads this module, never needs it.
  void import('node:net').then(({ Socket }) => {
    if (stopped) return;
    // `onread` is Node's (since 12.2) for sockets it makes; @types/node lists it for connect() only.
    const p = new Socket({
      fd,
      readable: true,
      writable: false,
      onread: {
        buffer,
        callback: (n: number) => {
          writer.write(buffer.subarray(0, n));
          if (!writer.full) return true;
          // Paused by returning false; read again once the worker has taken a slot (looked at after the pause:
          // a resume before it would be undone).
          queueMicrotask(() => void resumeWithRoom());
          return false;
        },
      },
    } as ConstructorParameters<typeof Socket>[0]);
    pipe = p;
    p.on('end', () => {
      writer.end();
      close();
    });
    p.on('error', (e) => {
      writer.fail(e);
      close();
    });
  }, (e: unknown) => {
    writer.fail(e);
    close();
  });
  return {
    done,
    stop: () => {
      if (stopped) return;
      writer.end();
      close();
      pipe?.destroy();
    },
  };
}

/** Main side, for any source of chunks (tests): as feedFromPipe. */
export function feedFrom(feed: Feed, source: AsyncIterable<Buffer | string>): Feeding {
  const writer = new FeedWriter(feed);
  let stopped = false;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  void (async () => {
    try {
      for await (const chunk of source) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        for (let at = 0; at < bytes.length; at += FEED_SLOT_BYTES) {
          while (writer.full) {
            if (stopped) return;
            await writer.room();
          }
          if (stopped) return;
          writer.write(bytes.subarray(at, Math.min(bytes.length, at + FEED_SLOT_BYTES)));
        }
        if (stopped) return;
      }
      writer.end();
    } catch (e) {
      writer.fail(e);
    } finally {
      finish();
    }
  })();
  return {
    done,
    stop: () => {
      stopped = true;
      writer.end();
      (source as { destroy?: () => void }).destroy?.();
      // A source that never yields again is left waiting: the feed is done with it.
      finish();
    },
  };
}

/** A read of the feed failed on the main side: its text is the read error's. */
export class FeedError extends Error {}

/**
 * Worker side: the feed's chunks in order, each copied into `into` (a slot's bytes at least: the scanner's line
 * index reads them there) and valid until the next is asked for. `idle()` is called before each wait for more — the
 * worker hands over what it has scanned, so a pipe that pauses (or is interrupted) still shows its lines so far.
 */
export async function* readFeed(feed: Feed, into: Buffer, idle: () => void, aborted: () => boolean): AsyncGenerator<Buffer> {
  if (into.length < FEED_SLOT_BYTES) throw new Error('readFeed: `into` is smaller than a slot');
  const c = feed.control;
  for (let taken = 0; ; ) {
    while (Atomics.load(c, WRITTEN) === taken) {
      const state = Atomics.load(c, STATE);
      // Ended or failed after its last slot was written: look at the count once more before believing it.
      if (state !== OPEN && Atomics.load(c, WRITTEN) === taken) {
        if (state === ENDED) return;
        throw new FeedError(Buffer.from(new Uint8Array(feed.error, 0, Atomics.load(c, ERROR_LENGTH))).toString('utf8'));
      }
      if (state !== OPEN) break;
      if (aborted()) return;
      idle();
      Atomics.wait(c, WRITTEN, taken, NAP_MS);
    }
    const k = taken % FEED_SLOTS;
    const length = Atomics.load(c, LENGTHS + k);
    into.set(new Uint8Array(feed.data, k * FEED_SLOT_BYTES, length), 0);
    // Taken: the slot may be written again.
    Atomics.store(c, TAKEN, ++taken);
    Atomics.notify(c, TAKEN);
    yield into.subarray(0, length);
  }
}
