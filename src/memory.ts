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
import v8 from 'node:v8';

/** The young generation's size (both semispaces) past which it stops growing, MiB. */
export const YOUNG_GENERATION_MIB = 8;

/** Input bytes between two looks at the young generation's size (each reads V8's space statistics). */
const CHECK_EVERY_BYTES = 4 * 1024 * 1024;

/** V8 versions known to read these flags at each growth (Node 20's is 11.3). */
export function boundableEngine(version: string = process.versions.v8): boolean {
  const major = Number(version.split('.')[0]);
  return major >= 10 && major <= 13;
}

let bound = 0;
let sinceCheck = 0;

/**
 * From now on, stop the young generation's growth once it holds `youngMiB` (process-wide: workers have bounds of
 * their own). `oldGrowthPercent`, for a process that runs for hours (`tail`): after each full collection the old
 * generation may grow by this share of what survived before the next one, instead of V8's factor of up to 4 for a
 * small heap — `tail` of 2 GB from a pipe peaked at 91 MiB with its old generation at 30 MiB (11 MiB live), at 84
 * with 30%, in the same time. `analyze`, which ends, gains nothing from it (measured: the same peak).
 */
export function boundHeap(opts: { youngMiB?: number; oldGrowthPercent?: number } = {}): void {
  if (!boundableEngine()) return;
  bound = (opts.youngMiB ?? YOUNG_GENERATION_MIB) * 1024 * 1024;
  sinceCheck = CHECK_EVERY_BYTES;
  if (opts.oldGrowthPercent !== undefined) v8.setFlagsFromString(`--heap-growing-percent=${Math.round(opts.oldGrowthPercent)}`);
}

/** Work done (input bytes): now and then, whether the bound is reached. Nothing when no bound was asked for. */
export function noteWork(bytes: number): void {
  if (bound === 0) return;
  sinceCheck += bytes;
  if (sinceCheck < CHECK_EVERY_BYTES) return;
  sinceCheck = 0;
  if (youngGenerationBytes() < bound) return;
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  bound = 0;
}

/** The young generation's size now (both semispaces). */
export function youngGenerationBytes(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}
