// The bounds on V8's young and old generations (src/memory.ts) in a fresh process each (the flags they set are process-wide):
// a workload whose objects survive a scavenge or two grows the young generation to its 32 MiB maximum unbounded,
// and stays at the bound when the work is noted as the pipeline notes it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundableEngine } from '../src/memory.js';
import { ROOT } from './helpers/cli.js';

const MEMORY = pathToFileURL(join(ROOT, 'dist', 'src', 'memory.js')).href;

/**
 * In a fresh process, 3 million objects made, `alive` of them alive at a time, the work noted as the pipeline notes it
 * after `bound` (a call of boundHeap, or nothing): the largest size (MiB) `space` (youngGenerationBytes or
 * oldGenerationBytes) reached.
 */
function largestSpace(space: 'youngGenerationBytes' | 'oldGenerationBytes', bound: string, alive: number): number {
  const script = `
    const { boundHeap, noteWork, ${space} } = await import(${JSON.stringify(MEMORY)});
    ${bound}
    const keep = new Array(${alive});
    let max = 0;
    for (let i = 0; i < 3000000; i++) {
      keep[i % keep.length] = { i, s: 'line ' + i, a: [i, i + 1] };
      if (i % 1000 === 0) {
        noteWork(4 * 1024 * 1024);
        max = Math.max(max, ${space}());
      }
    }
    console.log(max / 1048576);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return Number(r.stdout.trim());
}

/** The largest young generation (MiB) with 20,000 objects alive, with or without the bound. */
const largestYoungGeneration = (bound: boolean): number => largestSpace('youngGenerationBytes', bound ? 'boundHeap({ youngMiB: 4 });' : '', 20000);

/** The largest old generation (MiB) with 50,000 objects alive, with a slack (0: none, V8 decides). */
const largestOldGeneration = (slackMiB: number): number => largestSpace('oldGenerationBytes', slackMiB > 0 ? `boundHeap({ oldSlackMiB: ${slackMiB} });` : '', 50000);

describe('the old generation slack', () => {
  // Measured: ~25 MiB without a slack, ~10 with 2 MiB (about 6 MiB of the objects are alive at any time).
  it.runIf(boundableEngine())('collects fully once the old generation has grown by the slack; without it, V8 lets it grow far past what lives', () => {
    const v8Decides = largestOldGeneration(0);
    const slack = largestOldGeneration(2);
    expect(v8Decides).toBeGreaterThanOrEqual(16);
    expect(slack).toBeLessThanOrEqual(13);
  });
});

describe('the young generation bound', () => {
  it.runIf(boundableEngine())('keeps the young generation at the bound; without it, it grows to its maximum', () => {
    expect(largestYoungGeneration(false)).toBeGreaterThanOrEqual(16);
    expect(largestYoungGeneration(true)).toBeLessThanOrEqual(4);
  });
  it('is asked of known engines only (an unknown flag would be an error line on stderr)', () => {
    expect(boundableEngine('11.3.244.8-node.38')).toBe(true);
    expect(boundableEngine('13.6.233.10-node.1')).toBe(true);
    expect(boundableEngine('14.0.1')).toBe(false);
    expect(boundableEngine('9.4.146')).toBe(false);
  });
});
