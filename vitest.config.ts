import { availableParallelism } from 'node:os';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The longest files, longest first: each starts as soon as a worker is free, so that none is left to
 * run alone at the end (a clean clone has no timings cached for vitest's own order, which is then by
 * file size). package.test.ts alone is about a fifth of the suite.
 */
const LONGEST_FIRST = ['test/package.test.ts', 'test/check.test.ts', 'test/kube.test.ts', 'test/tail-tmux.test.ts', 'test/follow.test.ts', 'test/markdown.test.ts'];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (s: TestSpecification): number => {
      const i = LONGEST_FIRST.findIndex((f) => s.moduleId.endsWith(`/${f}`));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    return sorted.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default on N cores is N-1 workers: one file at a time on a 2-core machine (CI's), though most
    // files wait on child processes, servers and timers much of their time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LongestFirst },
  },
});
