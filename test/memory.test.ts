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

/** The largest young generation (MiB) a run of 3 million short-lived objects saw, with or without the bound. */
function largestYoungGeneration(bound: boolean): number {
  const script = `
    const { boundHeap, noteWork, youngGenerationBytes } = await import(${JSON.stringify(MEMORY)});
    if (${bound}) boundHeap({ youngMiB: 4 });
    const keep = new Array(20000);
    let max = 0;
    for (let i = 0; i < 3000000; i++) {
      keep[i % keep.length] = { i, s: 'line ' + i, a: [i, i + 1] };
      if (i % 1000 === 0) {
        noteWork(4 * 1024 * 1024);
        max = Math.max(max, youngGenerationBytes());
      }
    }
    console.log(max / 1048576);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return Number(r.stdout.trim());
}

/** The largest old generation (MiB) a run of 3 million objects, 50,000 of them alive at a time, saw. */
function largestOldGeneration(slackMiB: number): number {
  const script = `
    const { boundHeap, noteWork, oldGenerationBytes } = await import(${JSON.stringify(MEMORY)});
    if (${slackMiB} > 0) boundHeap({ oldSlackMiB: ${slackMiB} });
    const keep = new Array(50000);
    let max = 0;
    for (let i = 0; i < 3000000; i++) {
      keep[i % keep.length] = { i, s: 'line ' + i, a: [i, i + 1] };
      if (i % 1000 === 0) {
        noteWork(4 * 1024 * 1024);
        max = Math.max(max, oldGenerationBytes());
      }
    }
    console.log(max / 1048576);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return Number(r.stdout.trim());
}

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
