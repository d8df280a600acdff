import { PassThrough } from 'node:stream';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ChangeNotifier,
  decideFollow,
  defaultNotifierKind,
  findBacklogStart,
  followFile,
  followStream,
  type FollowOptions,
} from '../src/sources/follow.js';
import {
  Collector,
  LineWriter,
  buildFollowModule,
  makeTmpDir,
  openUp,
  removeDir,
  runChild,
  runWriterProcess,
  sleep,
  waitFor,
  writerLine,
} from './helpers/follow-tools.js';

// A pass-through fs/promises whose stat() can run writer actions first: that puts them exactly between the
// follower's last read of a file and its look at the name, the window where rotations lose or repeat bytes.
const hooks = vi.hoisted(() => ({ beforeStat: null as null | ((path: string) => void) }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const stat = ((...args: Parameters<typeof real.stat>) => {
    hooks.beforeStat?.(String(args[0]));
    return real.stat(...args);
  }) as typeof real.stat;
  return { ...real, default: { ...real, stat }, stat };
});

let dir: string;
const running: Array<Collector & { ac: AbortController }> = [];

beforeEach(() => {
  dir = makeTmpDir();
});

afterEach(async () => {
  // Stop every follower and let it close its watcher and fd before the next test counts handles.
  hooks.beforeStat = null;
  const stopping = running.splice(0);
  for (const c of stopping) c.ac.abort();
  await Promise.all(stopping.map((c) => c.done));
  removeDir(dir);
});

/** Follows `path` in the background; every follower is aborted after its test. */
function follow(path: string, opts: FollowOptions = {}): Collector & { ac: AbortController } {
  const ac = new AbortController();
  const c = new Collector((onStatus) => followFile(path, { ...opts, signal: ac.signal, onStatus })) as Collector & {
    ac: AbortController;
  };
  c.ac = ac;
  running.push(c);
  return c;
}

function lines(from: number, to: number, tag = 'x'): string {
  let s = '';
  for (let i = from; i <= to; i++) s += `2025-05-20T08:14:58.${String(i % 1000).padStart(3, '0')}Z\twarn\t${tag} line ${i}\n`;
  return s;
}

/** Line starts as tail -n sees them: the reference for findBacklogStart. */
function referenceStart(data: Buffer, n: number): number {
  const size = data.length;
  if (size === 0) return 0;
  const starts = [0];
  for (let i = 0; i < size; i++) if (data[i] === 10 && i + 1 < size) starts.push(i + 1);
  if (n === 0) return data[size - 1] === 10 ? size : starts[starts.length - 1]!;
  return starts[Math.max(0, starts.length - n)]!;
}

async function countingHandle(path: string): Promise<{ fh: FileHandle; reader: Pick<FileHandle, 'read'>; read: () => number }> {
  const fh = await open(path, 'r');
  let bytes = 0;
  const reader = {
    read: async (buf: Buffer, off: number, len: number, pos: number) => {
      const r = await fh.read(buf, off, len, pos);
      bytes += r.bytesRead;
      return r;
    },
  } as unknown as Pick<FileHandle, 'read'>;
  return { fh, reader, read: () => bytes };
}

describe('findBacklogStart', () => {
  it('finds where the last N lines begin (tail -n semantics) for edge cases', async () => {
    const cases: Array<[string, number, number]> = [
      ['a\nb\nc\n', 2, 2],
      ['a\nb\nc', 2, 2],
      ['a\nb\nc\n', 5, 0],
      ['a\nb\nc\n', 3, 0],
      ['a\nb\nc\n', 0, 6],
      ['a\nb\nc', 0, 4],
      ['\n\n\n', 1, 2],
      ['abc', 1, 0],
      ['', 3, 0],
    ];
    for (const [text, n, want] of cases) {
      const p = join(dir, 'case.log');
      writeFileSync(p, text);
      const fh = await open(p, 'r');
      try {
        for (const block of [1, 2, 3, 64 * 1024]) {
          expect(await findBacklogStart(fh, Buffer.byteLength(text), n, block), `${JSON.stringify(text)} n=${n} block=${block}`).toBe(want);
        }
      } finally {
        await fh.close();
      }
    }
  });

  it('agrees with a reference on random files and block sizes', async () => {
    const p = join(dir, 'prop.log');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('a', 'b', '\n', '\r'), { maxLength: 60 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 9 }),
        async (chars, n, block) => {
          const data = Buffer.from(chars.join(''));
          writeFileSync(p, data);
          const fh = await open(p, 'r');
          try {
            expect(await findBacklogStart(fh, data.length, n, block)).toBe(referenceStart(data, n));
          } finally {
            await fh.close();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads only the tail of a big file, not the whole file', async () => {
    const p = join(dir, 'big.log');
    const text = lines(1, 100_000);
    writeFileSync(p, text);
    const size = Buffer.byteLength(text);
    const { fh, reader, read } = await countingHandle(p);
    try {
      const start = await findBacklogStart(reader, size, 10);
      expect(text.slice(start)).toBe(lines(99_991, 100_000));
      expect(read()).toBeLessThanOrEqual(64 * 1024);
      expect(read()).toBeLessThan(size / 10);
    } finally {
      await fh.close();
    }
  });
});

describe('decideFollow (the rotation decision, pure)', () => {
  const held = { dev: 1, ino: 10, lastDataAt: 1000 };
  const same = { dev: 1, ino: 10, size: 50 };
  const other = (size: number) => ({ dev: 1, ino: 11, size });
  it('decides each case from what is held and what the name points at', () => {
    expect(decideFollow(null, null, 1, false, null, 2000, 1000).step).toEqual({ do: 'wait-for-file' });
    expect(decideFollow(null, same, 1, true, null, 2000, 1000).step).toEqual({ do: 'open', recreated: true });
    expect(decideFollow(held, same, 1, true, null, 2000, 1000)).toEqual({ step: { do: 'follow', back: false }, detachedSince: null });
    expect(decideFollow(held, same, 1, true, 1500, 2000, 1000).step).toEqual({ do: 'follow', back: true });
    // A new file with bytes: the writer moved on.
    expect(decideFollow(held, other(1), 1, true, null, 1100, 1000)).toEqual({ step: { do: 'switch' }, detachedSince: null });
    // An empty new file: drain the old one until it has been quiet for the grace time.
    expect(decideFollow(held, other(0), 1, true, null, 1100, 1000)).toEqual({ step: { do: 'drain-old', waitMs: 1000 }, detachedSince: 1100 });
    expect(decideFollow(held, other(0), 1, true, 1100, 2200, 1000).step).toEqual({ do: 'switch' });
    // The name is gone: a renamed file is kept; a deleted one is let go once quiet.
    expect(decideFollow(held, null, 1, true, null, 5000, 1000).step).toEqual({ do: 'keep-renamed' });
    expect(decideFollow(held, null, 0, true, 1200, 1500, 1000).step).toEqual({ do: 'linger', waitMs: 700 });
    expect(decideFollow(held, null, 0, true, 1200, 2300, 1000)).toEqual({ step: { do: 'release' }, detachedSince: null });
  });
});

describe('followFile', () => {
  it('starts with the last N lines of a big existing file, at a line start, then follows appends', async () => {
    const log = join(dir, 'gateway.log');
    const all = lines(1, 120_000); // ~6 MB
    writeFileSync(log, all);
    const c = follow(log, { backlogLines: 500 });
    const backlog = lines(119_501, 120_000);
    await c.waitForText(backlog);
    expect(c.text()).toBe(backlog);
    expect(c.chunks[0]!.toString('utf8').startsWith('2025-05-20T08:14:58.501Z\twarn\tx line 119501\n')).toBe(true);
    expect(c.statuses[0]).toMatchObject({ state: 'following', path: log, offset: Buffer.byteLength(all) - Buffer.byteLength(backlog) });

    const more = lines(120_001, 120_010);
    writeFileSync(log, more, { flag: 'a' });
    await c.waitForText(backlog + more);
    expect(c.text()).toBe(backlog + more);
    expect(c.trackedOffset()).toBe(statSync(log).size);
  });

  it('defaults to a backlog of 1000 lines and starts a partial last line at its beginning', async () => {
    const log = join(dir, 'gateway.log');
    writeFileSync(log, lines(1, 1500) + 'half a li');
    const c = follow(log);
    const want = lines(502, 1500) + 'half a li';
    await c.waitForText(want);
    expect(c.text()).toBe(want);
    writeFileSync(log, 'ne\n', { flag: 'a' });
    await c.waitForText(want + 'ne\n');
    expect(c.text()).toBe(want + 'ne\n');
  });

  it('fromStart yields the whole file in chunks no larger than readChunkBytes', async () => {
    const log = join(dir, 'gateway.log');
    const all = lines(1, 5000);
    writeFileSync(log, all);
    const c = follow(log, { fromStart: true, backlogLines: 3, readChunkBytes: 4096 });
    await c.waitForText(all);
    expect(c.text()).toBe(all);
    expect(c.chunks.length).toBeGreaterThan(1);
    expect(Math.max(...c.chunks.map((b) => b.length))).toBeLessThanOrEqual(4096);
  });

  it('sees appends, including lines written in pieces', async () => {
    const log = join(dir, 'gateway.log');
    writeFileSync(log, '');
    const c = follow(log);
    await waitFor(() => c.statuses.length > 0, 'first status');
    const w = new LineWriter(log);
    w.open();
    for (let i = 0; i < 30; i++) {
      w.lines(1 + (i % 4));
      if (i % 5 === 0) w.raw('partial ');
      if (i % 5 === 0) w.raw('line end\n');
      await sleep(5);
    }
    w.close();
    await c.waitForText(w.written);
    expect(c.text()).toBe(w.written);
    expect(c.states()).not.toContain('rotated');
    expect(c.states()).not.toContain('truncated');
  });

  it('rename rotation (supervisord style): appends just before and after each rename are neither lost nor duplicated', async () => {
    const log = join(dir, 'gateway.log');
    const w = new LineWriter(log);
    w.open();
    w.lines(20);
    const c = follow(log);
    await c.waitForText(w.written);

    const rotations = 6;
    for (let r = 1; r <= rotations; r++) {
      w.lines(150); // just before the rename, not yet read by the follower
      for (let k = Math.min(r - 1, 9); k >= 1; k--) renameSync(`${log}.${k}`, `${log}.${k + 1}`);
      renameSync(log, `${log}.1`);
      w.lines(3); // the writer still holds the renamed file
      w.close();
      w.open(); // new gateway.log
      w.lines(100); // just after the rename
      await c.waitForText(w.written);
      expect(c.text()).toBe(w.written);
      expect(c.trackedOffset()).toBe(statSync(log).size);
    }
    w.close();
    expect(c.states().filter((s) => s === 'rotated')).toHaveLength(rotations);
    const rotated = c.statuses.find((s) => s.state === 'rotated')!;
    expect(rotated.offset).toBe(0);
    expect(c.error).toBeUndefined();
  });

  for (const how of ['renamed', 'deleted'] as const) {
    it(`${how} between the last read and the look at the name: the old file is drained before switching`, async () => {
      const log = join(dir, 'gateway.log');
      const w = new LineWriter(log);
      w.open();
      w.lines(10);
      const c = follow(log);
      await c.waitForText(w.written);
      let fired = false;
      hooks.beforeStat = (p) => {
        if (p !== log || fired) return;
        fired = true;
        w.lines(5); // unread bytes in the old file
        if (how === 'renamed') renameSync(log, `${log}.1`);
        else unlinkSync(log);
        w.lines(2); // the writer has not reopened yet
        w.close();
        w.open();
        w.lines(4);
      };
      await waitFor(() => fired, 'the follower to look at the name');
      await c.waitForText(w.written);
      expect(c.text()).toBe(w.written);
      expect(c.states()).toContain('rotated');
      w.lines(3);
      await c.waitForText(w.written);
      expect(c.text()).toBe(w.written);
      w.close();
    });
  }

  it('rename rotation against a concurrent writer process: output equals everything written, in order', async () => {
    const log = join(dir, 'gateway.log');
    const c = follow(log, { readChunkBytes: 64 * 1024 });
    await waitFor(() => c.statuses.length > 0, 'first status');
    const rotations = 8;
    const written = await runWriterProcess(log, rotations, 3000, (k) =>
      waitFor(() => c.states().filter((s) => s === 'rotated').length >= k, `rotation ${k} to be followed`),
    );
    let want = '';
    for (let i = 1; i <= written; i++) want += writerLine(i);
    await c.waitForText(want);
    expect(c.text() === want).toBe(true);
    expect(c.trackedOffset()).toBe(statSync(log).size);
    expect(c.states().filter((s) => s === 'rotated')).toHaveLength(rotations);
  });

  it('rename rotation (logrotate create style): keeps draining the old file until the writer moves to the new one', async () => {
    const log = join(dir, 'gateway.log');
    const w = new LineWriter(log);
    w.open();
    w.lines(10);
    const c = follow(log, { rotationGraceMs: 10_000 });
    await c.waitForText(w.written);

    renameSync(log, `${log}.1`);
    writeFileSync(log, ''); // `create`: an empty new file appears at once
    w.lines(5); // writer has not reopened yet
    await sleep(300);
    w.lines(5);
    await c.waitForText(w.written);
    expect(c.text()).toBe(w.written);
    expect(c.states()).not.toContain('rotated');

    w.close(); // SIGUSR1: the writer reopens by name
    w.open();
    w.lines(7);
    await c.waitForText(w.written);
    expect(c.text()).toBe(w.written);
    expect(c.states()).toContain('rotated');
    w.close();
  });

  it('switches to an empty new file once the old one has been quiet for rotationGraceMs', async () => {
    const log = join(dir, 'gateway.log');
    writeFileSync(log, lines(1, 3));
    const c = follow(log, { rotationGraceMs: 200 });
    await c.waitForText(lines(1, 3));
    renameSync(log, `${log}.1`);
    writeFileSync(log, '');
    await waitFor(() => c.states().includes('rotated'), 'rotated status');
    writeFileSync(log, lines(4, 6), { flag: 'a' });
    await c.waitForText(lines(1, 6));
    expect(c.text()).toBe(lines(1, 6));
  });

  it.each([
    ['watch', false],
    ['poll', false],
    ['watch', true],
  ] as const)('model (%s notifier, one read buffer: %s): random writes, rotations, truncations, deletions and re-creations lose no line and read none twice (property)', async (notifier, reuseBuffer) => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('write', 'rotate', 'truncate', 'delete', 'recreate'), { minLength: 3, maxLength: 8 }), async (actions) => {
        const d = makeTmpDir('hd-follow-model-');
        const log = join(d, 'gateway.log');
        writeFileSync(log, lines(1, 5));
        let n = 5;
        let inFile = 5;
        let want = lines(1, 5);
        let rotated = 0;
        const c = follow(log, { fromStart: true, rotationGraceMs: 50, notifier, pollMs: 20, reuseBuffer, ...(reuseBuffer ? { readChunkBytes: 64 } : {}) });
        try {
          await c.waitForText(want);
          for (const a of actions) {
            if (a === 'rotate') {
              renameSync(log, `${log}.${++rotated}`);
              inFile = 0;
            } else if (a === 'truncate' && inFile >= 3) {
              // copytruncate: what follows is shorter than what was there, so the shrink is seen.
              truncateSync(log, 0);
              inFile = 0;
            } else if (a === 'delete' || a === 'recreate') {
              unlinkSync(log);
              inFile = 0;
              if (a === 'delete') await waitFor(() => c.states().at(-1) === 'waiting', 'waiting after delete');
            }
            const k = a === 'write' ? 3 : 1;
            writeFileSync(log, lines(n + 1, n + k), { flag: 'a' });
            want += lines(n + 1, n + k);
            n += k;
            inFile += k;
            await c.waitForText(want);
            expect(c.text()).toBe(want);
          }
        } finally {
          c.ac.abort();
          removeDir(d);
        }
      }),
      { numRuns: 10 },
    );
  });

  it('reads every chunk into one buffer when asked (reuseBuffer), each valid until the next is asked for', async () => {
    const log = join(dir, 'gateway.log');
    writeFileSync(log, lines(1, 1000));
    const ac = new AbortController();
    const seen: Buffer[] = [];
    let text = '';
    for await (const chunk of followFile(log, { fromStart: true, reuseBuffer: true, readChunkBytes: 8192, signal: ac.signal })) {
      seen.push(chunk);
      text += chunk.toString('latin1');
      if (text.length >= lines(1, 1000).length) ac.abort();
    }
    expect(text).toBe(lines(1, 1000));
    expect(seen.length).toBeGreaterThan(2);
    expect(new Set(seen.map((b) => b.buffer)).size).toBe(1);
  });

  it('polls when told to (option or HIGRESS_DOCTOR_FOLLOW=poll), and watches by default', () => {
    expect(defaultNotifierKind({})).toBe('watch');
    expect(defaultNotifierKind({ HIGRESS_DOCTOR_FOLLOW: 'poll' })).toBe('poll');
    expect(defaultNotifierKind({ HIGRESS_DOCTOR_FOLLOW: 'watch' })).toBe('watch');
  });

  it('falls back to polling when the notifier cannot watch, and keeps following', async () => {
    const log = join(dir, 'gateway.log');
    writeFileSync(log, lines(1, 3));
    let starts = 0;
    const broken = (): ChangeNotifier => ({
      start: async () => {
        starts++;
        throw new Error('inotify: no space left on device');
      },
      stop: async () => undefined,
    });
    const c = follow(log, { fromStart: true, notifier: broken, pollMs: 20 });
    await c.waitForText(lines(1, 3));
    writeFileSync(log, lines(4, 6), { flag: 'a' });
    await c.waitForText(lines(1, 6));
    expect(starts).toBe(1);
    expect(c.statuses.some((s) => /cannot watch .*no space left on device.*polling every 20 ms/.test(s.detail ?? ''))).toBe(true);
    expect(c.trackedOffset()).toBe(statSync(log).size);
  });

  it('falls back to polling when a watching notifier fails later', async () => {
    const log = join(dir, 'gateway.log');
    writeFileSync(log, lines(1, 3));
    let fail: ((err: unknown) => void) | null = null;
    let stopped = 0;
    const flaky = (): ChangeNotifier => ({
      start: async (_d, _f, on) => {
        fail = on.failed;
      },
      stop: async () => void stopped++,
    });
    const c = follow(log, { fromStart: true, notifier: flaky, pollMs: 20 });
    await c.waitForText(lines(1, 3));
    expect(fail).not.toBeNull();
    fail!(new Error('watch handle closed by the filesystem'));
    await waitFor(() => c.statuses.some((s) => /polling every 20 ms/.test(s.detail ?? '')), 'the switch to polling');
    expect(stopped).toBe(1);
    writeFileSync(log, lines(4, 6), { flag: 'a' });
    await c.waitForText(lines(1, 6));
  });

  it('copy-truncate: restarts at 0 when the same file gets shorter', async () => {
    const log = join(dir, 'gateway.log');
    const w = new LineWriter(log);
    w.open();
    w.lines(100);
    const c = follow(log);
    await c.waitForText(w.written);

    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    w.lines(10); // O_APPEND writer continues at the new end
    await c.waitForText(w.written);
    expect(c.text()).toBe(w.written);
    expect(c.states()).toContain('truncated');
    expect(c.states()).not.toContain('rotated');

    w.lines(5);
    await c.waitForText(w.written);
    expect(c.text()).toBe(w.written);
    expect(c.trackedOffset()).toBe(statSync(log).size);
    w.close();
  });

  it('waits for a file that does not exist yet, then follows it from 0', async () => {
    const log = join(dir, 'gateway.log');
    const c = follow(log, { backlogLines: 1 });
    await waitFor(() => c.statuses.length > 0, 'first status');
    expect(c.statuses[0]).toMatchObject({ state: 'waiting', path: log });
    await sleep(100);
    writeFileSync(log, lines(1, 50));
    await c.waitForText(lines(1, 50));
    expect(c.text()).toBe(lines(1, 50));
    expect(c.states()).toEqual(['waiting', 'following']);
    writeFileSync(log, lines(51, 52), { flag: 'a' });
    await c.waitForText(lines(1, 52));
    expect(c.text()).toBe(lines(1, 52));
    expect(c.trackedOffset()).toBe(statSync(log).size);
  });

  it('waits when even the directory is missing, and picks the file up once both exist', async () => {
    const sub = join(dir, 'higress');
    const log = join(sub, 'gateway.log');
    const c = follow(log);
    await waitFor(() => c.statuses.length > 0, 'first status');
    expect(c.states()).toEqual(['waiting']);
    mkdirSync(sub);
    writeFileSync(log, lines(1, 5));
    await c.waitForText(lines(1, 5));
    writeFileSync(log, lines(6, 8), { flag: 'a' });
    await c.waitForText(lines(1, 8));
    expect(c.text()).toBe(lines(1, 8));
  });

  it('deleted and re-created: drains nothing twice and reads the new file from 0', async () => {
    const log = join(dir, 'gateway.log');
    writeFileSync(log, lines(1, 40));
    const c = follow(log);
    await c.waitForText(lines(1, 40));
    unlinkSync(log);
    await waitFor(() => c.states().includes('waiting'), 'waiting after delete');
    writeFileSync(log, lines(41, 60, 'new'));
    const want = lines(1, 40) + lines(41, 60, 'new');
    await c.waitForText(want);
    expect(c.text()).toBe(want);
    expect(c.states()).toContain('rotated');
    writeFileSync(log, lines(61, 62, 'new'), { flag: 'a' });
    await c.waitForText(want + lines(61, 62, 'new'));
    expect(c.text()).toBe(want + lines(61, 62, 'new'));
    expect(c.trackedOffset()).toBe(statSync(log).size);
  });

  it('deleted and immediately re-created with content in between events', async () => {
    const log = join(dir, 'gateway.log');
    const w = new LineWriter(log);
    w.open();
    w.lines(10);
    const c = follow(log);
    await c.waitForText(w.written);
    w.lines(4); // unread when the file goes away
    unlinkSync(log);
    w.lines(2); // still written to the deleted file through the open fd
    w.close();
    w.open();
    w.lines(6);
    await c.waitForText(w.written);
    expect(c.text()).toBe(w.written);
    w.close();
  });

  it('abort ends the iterator cleanly and leaves no watcher, timer or fd behind', async () => {
    const log = join(dir, 'gateway.log');
    // Descriptors this process holds on the log file (Linux /proc; elsewhere the check is skipped).
    const fdsOnLog = (): number => {
      if (!existsSync('/proc/self/fd')) return 0;
      let n = 0;
      for (const f of readdirSync('/proc/self/fd')) {
        try {
          if (readlinkSync(`/proc/self/fd/${f}`) === log) n++;
        } catch {
          // closed while we looked
        }
      }
      return n;
    };
    const count = (kind: string): number => process.getActiveResourcesInfo().filter((k) => k === kind).length;
    // Handles of the previous test's follower are released asynchronously; start from a settled count.
    await waitFor(() => count('FSEventWrap') === 0, 'watchers of earlier tests to close');
    const timersBefore = count('Timeout');

    writeFileSync(log, lines(1, 5));
    const c = follow(log);
    await c.waitForText(lines(1, 5));
    expect(count('FSEventWrap')).toBeGreaterThan(0);
    expect(fdsOnLog()).toBe(existsSync('/proc/self/fd') ? 1 : 0);
    c.ac.abort();
    await c.done;
    expect(c.finished).toBe(true);
    expect(c.error).toBeUndefined();
    expect(c.statuses.at(-1)).toMatchObject({ state: 'stopped' });
    // The safety-poll timer is cleared, not left to fire.
    expect(count('Timeout')).toBeLessThanOrEqual(timersBefore);
    await waitFor(
      () => count('FSEventWrap') === 0 && count('Timeout') <= timersBefore && fdsOnLog() === 0,
      () => `handles to close: ${JSON.stringify({ watch: count('FSEventWrap'), timers: count('Timeout'), timersBefore, fdsOnLog: fdsOnLog() })}`,
    );
  });

  it('abort while waiting for a missing file, abort before start, and break out of the loop all end cleanly', async () => {
    const missing = follow(join(dir, 'nope.log'));
    await waitFor(() => missing.states().includes('waiting'), 'waiting');
    missing.ac.abort();
    await missing.done;
    expect(missing.error).toBeUndefined();
    expect(missing.states().at(-1)).toBe('stopped');

    const ac = new AbortController();
    ac.abort();
    const got: Buffer[] = [];
    for await (const b of followFile(join(dir, 'nope.log'), { signal: ac.signal })) got.push(b);
    expect(got).toHaveLength(0);

    const log = join(dir, 'gateway.log');
    writeFileSync(log, lines(1, 3));
    const states: string[] = [];
    let text = '';
    for await (const b of followFile(log, { onStatus: (s) => states.push(s.state) })) {
      text += b.toString('utf8');
      if (text === lines(1, 3)) break;
    }
    expect(states.at(-1)).toBe('stopped');
  });

  it('a process that follows and then aborts exits on its own (no open handles left)', async () => {
    openUp(dir);
    const mod = buildFollowModule(dir);
    const log = join(dir, 'gateway.log');
    writeFileSync(log, lines(1, 3));
    const script = `
      import { followFile } from ${JSON.stringify(pathToFileURL(mod).href)};
      import { appendFileSync } from 'node:fs';
      const ac = new AbortController();
      let text = '';
      setTimeout(() => appendFileSync(${JSON.stringify(log)}, 'END\\n'), 100);
      for await (const b of followFile(${JSON.stringify(log)}, { signal: ac.signal })) {
        text += b.toString('utf8');
        if (text.endsWith('END\\n')) setTimeout(() => ac.abort(), 50);
      }
      console.log(JSON.stringify({ lines: text.split('\\n').length - 1 }));
    `;
    const r = await runChild(script, { timeoutMs: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.killed).toBe(false);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ lines: 4 });
  });

  it('permission denied surfaces as a thrown error with a clear message', async () => {
    const log = join(dir, 'gateway.log');
    writeFileSync(log, lines(1, 3));
    chmodSync(log, 0o000);
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!asRoot) {
      await expect(async () => {
        for await (const _ of followFile(log)) void _;
      }).rejects.toThrow(`cannot read ${log}: permission denied`);
      return;
    }
    // root reads anything: run the follower as nobody in a child process.
    openUp(dir);
    const mod = buildFollowModule(dir);
    const script = `
      import { followFile } from ${JSON.stringify(pathToFileURL(mod).href)};
      try {
        for await (const _ of followFile(${JSON.stringify(log)})) {}
        console.log('no error');
      } catch (err) {
        console.log(JSON.stringify({ message: err.message, code: err.code }));
      }
    `;
    const r = await runChild(script, { uid: 65534, gid: 65534 });
    expect(r.stderr).toBe('');
    expect(r.killed).toBe(false);
    expect(JSON.parse(r.stdout)).toEqual({ message: `cannot read ${log}: permission denied`, code: 'EACCES' });
  });

  it('a directory at the path is an error, not a crash', async () => {
    const p = join(dir, 'gateway.log');
    mkdirSync(p);
    await expect(async () => {
      for await (const _ of followFile(p)) void _;
    }).rejects.toThrow(`cannot read ${p}: not a regular file`);
  });
});

describe('followStream', () => {
  it('yields every chunk until the stream ends', async () => {
    const s = new PassThrough();
    const c = new Collector(() => followStream(s));
    s.write('first li');
    s.write('ne\nsecond line\n');
    await sleep(20);
    s.end('tail without newline');
    await c.done;
    expect(c.error).toBeUndefined();
    expect(c.text()).toBe('first line\nsecond line\ntail without newline');
  });

  it('turns string chunks back into bytes', async () => {
    const s = new PassThrough();
    s.setEncoding('utf8');
    const c = new Collector(() => followStream(s));
    s.end('héllo wörld ✓\n');
    await c.done;
    expect(c.chunks.every((b) => Buffer.isBuffer(b))).toBe(true);
    expect(c.text()).toBe('héllo wörld ✓\n');
  });

  it('abort ends it without destroying the caller’s stream; an error surfaces as a thrown error', async () => {
    const s = new PassThrough();
    const ac = new AbortController();
    const c = new Collector(() => followStream(s, { signal: ac.signal }));
    s.write('x\n');
    await c.waitForText('x\n');
    ac.abort();
    await c.done;
    expect(c.error).toBeUndefined();
    expect(s.destroyed).toBe(false);

    const bad = new PassThrough();
    const d = new Collector(() => followStream(bad));
    bad.write('y\n');
    await d.waitForText('y\n');
    bad.destroy(new Error('boom'));
    await d.done;
    expect(String(d.error)).toContain('cannot read stdin: boom');
    expect(d.text()).toBe('y\n');
  });
});
