// Every bundled sample names its expected root cause first, in all three formats; three samples
// have their text and JSON reports pinned as golden files. The samples' diagnoses run the built CLI
// in this process (helpers/in-process.ts: a Node process per sample and format was most of this
// file's time); the golden reports run the real CLI, and the in-process run must give them too.
// Update the golden files after a deliberate change: UPDATE_GOLDEN=1 npx vitest run test/samples.test.ts
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';
import { analyzeInProcess } from './helpers/in-process.js';

interface Expectation {
  file: string;
  cause: string;
}

/** The table of samples/README.md: file and expected top cause. */
function expectations(): Expectation[] {
  const md = readFileSync(join(ROOT, 'samples/README.md'), 'utf8');
  const out: Expectation[] = [];
  for (const line of md.split('\n')) {
    const cells = line.split(' | ');
    const file = /^\| `([^`]+\.log)`/.exec(line)?.[1];
    const cause = cells[4] ? /`([a-z-]+)`/.exec(cells[4])?.[1] : undefined;
    if (file && cause && !file.includes(', ')) out.push({ file, cause });
  }
  return out;
}

const SEVERE = new Set(['error', 'critical']);

function topCause(format: string, stdout: string): string {
  if (format === 'json') {
    const d = JSON.parse(stdout);
    const top = d.incidents[0];
    return top && SEVERE.has(top.severity) ? top.cause : 'healthy';
  }
  if (format === 'markdown') {
    const row = /^\| 1 \| (\w+) \| `([a-z-]+)` \|/m.exec(stdout);
    return row && SEVERE.has(row[1]!) ? row[2]! : 'healthy';
  }
  const m = /^1\. (CRITICAL|ERROR|WARNING|INFO)\s+([a-z-]+)/m.exec(stdout);
  return m && (m[1] === 'CRITICAL' || m[1] === 'ERROR') ? m[2]! : 'healthy';
}

describe('bundled samples', () => {
  const list = expectations();
  it('are all listed with an expected cause', () => {
    expect(list.length).toBeGreaterThanOrEqual(30);
  });
  for (const { file, cause } of list) {
    it(`${file} → ${cause} first, in text, markdown and json`, async () => {
      for (const format of ['text', 'markdown', 'json']) {
        const r = await analyzeInProcess([join('samples', file), '--format', format, '--fail-on', 'none']);
        expect(r.code, r.stderr).toBe(0);
        expect(topCause(format, r.stdout), `${format} of ${file}`).toBe(cause);
      }
    });
  }
  it('reads the rotated set in write order, .gz member first', async () => {
    const d = JSON.parse((await analyzeInProcess(['samples/rotated', '--format', 'json', '--fail-on', 'none'])).stdout);
    expect(d.inputs.map((i: { name: string }) => i.name)).toEqual(['gateway.log.2.gz', 'gateway.log.1', 'gateway.log']);
    expect(d.incidents[0].cause).toBe('wasm-plugin-crash');
  });
});

const GOLDEN = ['offline-seed-incident.log', 'wasm-module-corrupt-parse-failure.log', 'envoy-crash-assert-aborted-epoch.log'];

/** Only the tool version may differ between runs. */
const normalise = (s: string): string => s.replace(/higress-doctor \d+\.\d+\.\d+/g, 'higress-doctor X.Y.Z').replace(/"version": "\d+\.\d+\.\d+"/, '"version": "X.Y.Z"');

describe('golden reports', () => {
  for (const file of GOLDEN) {
    for (const [format, ext] of [['text', 'txt'], ['json', 'json']] as const) {
      it(`${file} as ${format}`, () => {
        const r = runCli(['analyze', join('samples', file), '--format', format, '--fail-on', 'none', '--no-color']);
        const got = normalise(r.stdout);
        const path = join(ROOT, 'test/golden', `${file}.${ext}`);
        if (process.env.UPDATE_GOLDEN) {
          mkdirSync(join(ROOT, 'test/golden'), { recursive: true });
          writeFileSync(path, got);
        }
        // A missing golden file is a failure, not a new baseline: write it deliberately (UPDATE_GOLDEN=1).
        expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
        expect(got).toBe(readFileSync(path, 'utf8'));
      });
      it(`${file} as ${format}, run in this process as the samples above are`, async () => {
        const r = await analyzeInProcess([join('samples', file), '--format', format, '--fail-on', 'none', '--no-color']);
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
        expect(normalise(r.stdout)).toBe(readFileSync(join(ROOT, 'test/golden', `${file}.${ext}`), 'utf8'));
      });
    }
  }
});
