// A bound on V8's young generation, for the commands that read a lot (`analyze`, `tail`).
//
// Most of a long run's peak memory was the young generation, not what the run keeps: V8 doubles its two
// semispaces whenever as much as their size has survived scavenges since they last grew, so any steady
// survival — a busy log's incidents filling, a long `tail` — takes them to their 16 MiB maximum (32 MiB of
// RSS), and the old generation receives more promoted garbage besides. The maximum is fixed when the isolate
// is made (a command-line flag a CLI cannot give itself; `resourceLimits` for a worker), but the growth step is
// read at each growth: once the young generation has reached the bound, a step of 1 keeps it there. Measured
// on 1 GB (docs/hot-path.md "A bound on the young generation"): peak RSS of the busy log 125 → 101 MiB, `tail`
// of 1 GB from a pipe 126 → ~85 MiB, in the same time; smaller bounds (2 or 4 MiB) promote more and end higher.
//
// The check runs where the work is (`Pipeline.push`, every few MiB of input), not on a timer: the main thread
// replays the scan worker's batches without yielding for tens of MiB, long enough to grow twice.
//
// The old generation is the other half (`analyze`, session 12): after the first full collection (~1 s into a busy
// 1 GB log, ~11 MiB live), V8 let the old generation grow to ~22 MiB before the next one, which never came before
// the end, so peak RSS rose ~2 MiB a second for the rest of the run. A full collection whenever the old generation
// has grown by a few MiB since the last one keeps it near what it holds: busy 1 GB 101-103 → 97-99 MiB, for a few
// collections of ~15-20 ms each. With 2 MiB the TEXT access log's 1 GB peaked at 95.6-97.3 MiB, with 3 MiB at
// 98.1-102.6 (five runs each; the busy log the same either way).
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The young generation's size (both semispaces) past which it stops growing, MiB. */
export const YOUNG_GENERATION_MIB = 8;

/** How far (MiB) `analyze` lets the old generation grow between two full collections. */
export const OLD_GENERATION_SLACK_MIB = 2;

/** Input bytes between two looks at the young generation's size (each reads V8's space statistics). */
const CHECK_EVERY_BYTES = 4 * 1024 * 1024;

/** V8 versions known to read these flags at each growth (Node 20's is 11.3). */
export function boundableEngine(version: string = process.versions.v8): boolean {
  const major = Number(version.split('.')[0]);
  return major >= 10 && major <= 13;
}

let bound = 0;
let sinceCheck = 0;
/** Old-generation growth (bytes) allowed between two full collections; 0: V8 decides. */
let oldSlack = 0;
/** The old generation's size at the first look or after the last full collection (-1: not looked at yet). */
let oldAfterCollection = -1;
let collectFully: (() => void) | null = null;

/**
 * From now on, stop the young generation's growth once it holds `youngMiB` (process-wide: workers have bounds of
 * their own). `oldGrowthPercent`, for a process that runs for hours (`tail`): after each full collection the old
 * generation may grow by this share of what survived before the next one, instead of V8's factor of up to 4 for a
 * small heap — `tail` of 2 GB from a pipe peaked at 91 MiB with its old generation at 30 MiB (11 MiB live), at 84
 * with 30%, in the same time. `analyze`, which ends, gains nothing from it (measured: the same peak).
 */
export function boundHeap(opts: { youngMiB?: number; oldGrowthPercent?: number; oldSlackMiB?: number } = {}): void {
  if (!boundableEngine()) return;
  bound = (opts.youngMiB ?? YOUNG_GENERATION_MIB) * 1024 * 1024;
  sinceCheck = CHECK_EVERY_BYTES;
  if (opts.oldGrowthPercent !== undefined) v8.setFlagsFromString(`--heap-growing-percent=${Math.round(opts.oldGrowthPercent)}`);
  if (opts.oldSlackMiB !== undefined && opts.oldSlackMiB > 0) {
    oldSlack = opts.oldSlackMiB * 1024 * 1024;
    oldAfterCollection = -1;
  }
}

/** Work done (input bytes): now and then, whether a bound is reached. Nothing when no bound was asked for. */
export function noteWork(bytes: number): void {
  if (bound === 0 && oldSlack === 0) return;
  sinceCheck += bytes;
  if (sinceCheck < CHECK_EVERY_BYTES) return;
  sinceCheck = 0;
  const spaces = v8.getHeapSpaceStatistics();
  if (oldSlack > 0) keepOldGenerationNearLive(oldSpaceUsed(spaces));
  if (bound === 0 || newSpaceSize(spaces) < bound) return;
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  bound = 0;
}

function keepOldGenerationNearLive(old: number): void {
  if (oldAfterCollection >= 0 && old <= oldAfterCollection + oldSlack) return;
  if (oldAfterCollection >= 0) fullCollection();
  oldAfterCollection = oldAfterCollection >= 0 ? oldGenerationBytes() : old;
}

/** A full, synchronous collection: V8's own `gc()`, made visible the first time (the flag only adds the function). */
function fullCollection(): void {
  if (collectFully === null) {
    v8.setFlagsFromString('--expose-gc');
    collectFully = runInNewContext('gc') as () => void;
  }
  collectFully();
}

type Spaces = ReturnType<typeof v8.getHeapSpaceStatistics>;
const oldSpaceUsed = (spaces: Spaces): number => spaces.find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;
const newSpaceSize = (spaces: Spaces): number => spaces.find((s) => s.space_name === 'new_space')?.space_size ?? 0;

/** What the old generation holds now, garbage not yet collected included. */
export function oldGenerationBytes(): number {
  return oldSpaceUsed(v8.getHeapSpaceStatistics());
}

/** The young generation's size now (both semispaces). */
export function youngGenerationBytes(): number {
  return newSpaceSize(v8.getHeapSpaceStatistics());
}
