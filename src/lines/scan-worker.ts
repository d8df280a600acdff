// The scan worker (see parallel.ts): reads an input with readInput and runs the LineScanner with
// its prefilter over it, writing the scanner's output into the ring's slots and handing each full
// (or due) slot to the main thread. It waits while every slot is unconsumed, and stops when told.
import { parentPort, workerData } from 'node:worker_threads';
import { InputError, readInput, TruncatedInput } from '../sources/open.js';
import { LineScanner } from './scanner.js';
import { scannerOptionsFor } from './plan.js';
import { readFeed } from './feed.js';
import {
  BATCH_INPUT_BYTES,
  BatchWriter,
  CTRL_ABORT,
  CTRL_CONSUMED,
  CTRL_POSTED,
  CTRL_WAITING,
  RING_SLOTS,
  slotViews,
  type FromWorker,
  type Ring,
  type ToWorker,
} from './parallel.js';

const port = parentPort!;
const ring = (workerData as { ring: Ring }).ring;
const control = ring.control;
const views = Array.from({ length: RING_SLOTS }, (_, k) => slotViews(ring, k));

const aborted = (): boolean => Atomics.load(control, CTRL_ABORT) !== 0;

function send(m: FromWorker): void {
  port.postMessage(m);
}

/** Block (this thread only) until batch number `n` may be written: its slot has been consumed. */
function waitForSlot(n: number): void {
  for (;;) {
    if (aborted()) return;
    const consumed = Atomics.load(control, CTRL_CONSUMED);
    if (n - consumed < RING_SLOTS) return;
    // Say we sleep, then look again before sleeping: a slot freed in between is not missed.
    Atomics.store(control, CTRL_WAITING, 1);
    if (Atomics.load(control, CTRL_CONSUMED) === consumed) Atomics.wait(control, CTRL_CONSUMED, consumed, 200);
    Atomics.store(control, CTRL_WAITING, 0);
  }
}

async function scan(m: ToWorker): Promise<void> {
  let posted = 0; // batches handed over in this scan (CTRL_CONSUMED restarts at 0 too)
  let scanner: LineScanner | null = null;
  const post = (lines: number): void => {
    const b = writer.batch(lines, scanner!.byteCount);
    send({ type: 'batch', slot: posted % RING_SLOTS, textLen: b.text.length, opCount: b.opCount, hitsLen: writer.hitCount, lines: b.lines, bytes: b.bytes });
    posted++;
    Atomics.add(control, CTRL_POSTED, 1);
    waitForSlot(posted);
    const v = views[posted % RING_SLOTS]!;
    writer.reset(v.text, v.ops, v.hits);
  };
  const first = views[0]!;
  const writer = new BatchWriter(first.text, first.ops, post, m.plan.noPrefilter ? null : first.hits);
  scanner = new LineScanner(writer, scannerOptionsFor(m.plan)());
  let since = 0;
  /** Another slot is free: handing this one over now does not make the worker wait. */
  const slotFree = (): boolean => posted + 1 - Atomics.load(control, CTRL_CONSUMED) < RING_SLOTS;
  // Stdin comes through the feed the main thread fills (feed.ts). While it waits for more, what was scanned goes
  // over: a pipe that pauses still shows its lines so far (and so does Ctrl-C then).
  const idle = (): void => {
    if (!writer.empty && slotFree()) {
      post(scanner!.lines);
      since = 0;
    }
  };
  const stdin = m.feed ? readFeed(m.feed, scanner.readBuffer, idle, aborted) : undefined;
  try {
    // Chunks are read (or fed) straight into the scanner's line index: no copy.
    for await (const chunk of readInput({ name: m.path, path: m.path }, stdin, scanner.readBuffer)) {
      if (aborted()) return;
      scanner.push(chunk);
      since += chunk.length;
      // Due for progress, but only while the main thread keeps up: when every other slot is still
      // unconsumed (it is starting up, or busy), this slot keeps filling until it is full, so
      // reading runs ahead in the ring's fixed memory instead of waiting.
      if (since >= BATCH_INPUT_BYTES && slotFree()) {
        post(scanner.lines);
        since = 0;
      }
    }
  } catch (e) {
    // What was read before the failure still counts, as in-process: the last partial line too.
    scanner.end();
    post(scanner.lines);
    if (e instanceof TruncatedInput) send({ type: 'error', kind: 'truncated', message: e.message });
    else if (e instanceof InputError) send({ type: 'error', kind: 'input', message: e.message });
    else send({ type: 'error', kind: 'other', message: (e as Error)?.message ?? String(e) });
    return;
  }
  scanner.end();
  if (!writer.empty) post(scanner.lines);
  send({ type: 'end', lines: scanner.lines, bytes: scanner.byteCount });
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'scan') {
    scan(m).catch((e: unknown) => send({ type: 'error', kind: 'other', message: (e as Error)?.message ?? String(e) }));
  }
});
