// The pipeline as a whole: the byte prefilter never changes the diagnosis, chunk boundaries never
// change it, every line is counted once, and inputs (gzip, rotated folders, stdin) are read in order.
import { readFileSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCatalog } from '../src/catalog/load.js';
import { Pipeline } from '../src/pipeline.js';
import type { Diagnosis } from '../src/model.js';
import { logsInFolder, readInput, resolveInputs, TruncatedInput } from '../src/sources/open.js';

const catalog = loadCatalog();
const mixed = readFileSync(new URL('./fixtures/mixed.log', import.meta.url));

function run(chunks: Buffer[], noPrefilter = false): Diagnosis {
  const p = new Pipeline(catalog, { noPrefilter });
  p.beginInput('mixed.log');
  for (const c of chunks) p.push(c);
  p.endInput();
  return p.snapshot();
}

/** What must not depend on how bytes arrive or which path parsed them. */
function essence(d: Diagnosis) {
  return {
    incidents: d.incidents.map((i) => ({ id: i.id, cause: i.cause, count: i.count, confidence: i.confidence, evidence: i.evidence.map((e) => `${e.line}`) })),
    unclassified: d.unclassified.map((u) => [u.template, u.count]),
    harmless: d.harmless.map((h) => [h.pattern, h.count]),
    lines: d.stats.lines,
  };
}

function split(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

describe('pipeline', () => {
  it('finds the faults of a mixed log and counts every line once', () => {
    const d = run([mixed]);
    const causes = d.incidents.map((i) => i.cause);
    expect(causes).toContain('wasm-fetch-bad-address');
    expect(causes).toContain('wasm-module-incompatible');
    expect(causes).toContain('oom');
    expect(d.stats.lines).toBe(mixed.toString().split('\n').length - 1);
    expect(d.stats.unparsed).toBe(1);
    expect(d.unclassified.map((u) => u.template)).toContain('something odd happened <n> times');
  });

  it('gives the same diagnosis with and without the byte prefilter', () => {
    const fast = run([mixed]);
    const slow = run([mixed], true);
    expect(essence(fast)).toEqual(essence(slow));
    expect(fast.stats.unparsed).toBe(slow.stats.unparsed);
  });

  it('is independent of chunk boundaries and line endings (property)', () => {
    const reference = essence(run([mixed], true));
    fc.assert(
      fc.property(fc.array(fc.nat(mixed.length), { maxLength: 12 }), fc.boolean(), (cuts, prefilter) => {
        expect(essence(run(split(mixed, cuts), !prefilter))).toEqual(reference);
      }),
      { seed: 42, numRuns: 150 },
    );
    const crlf = Buffer.from(mixed.toString().replace(/\n/g, '\r\n'));
    expect(essence(run(split(crlf, [7, 500, 3001])))).toEqual(reference);
  });

  it('never throws on random bytes and keeps the accounting invariant (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(3000), { maxLength: 5 }), (bytes, cuts) => {
        const buf = Buffer.from(bytes);
        const d = run(split(buf, cuts));
        const newlines = buf.filter((b) => b === 10).length;
        const last = buf.length > 0 && buf[buf.length - 1] !== 10 ? 1 : 0;
        expect(d.stats.lines).toBe(newlines + last);
        expect(d.stats.unparsed).toBeLessThanOrEqual(d.stats.lines);
        expect(essence(d)).toEqual(essence(run([buf], true)));
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('cuts an over-long line and counts the cut, without holding it', () => {
    const huge = Buffer.concat([Buffer.from('2026-05-20T08:15:42.517302Z\terror\twasm\tcannot fetch Wasm module http://h/plugins/a/1/plugin.wasm: status code 404 '), Buffer.alloc(5 * 1024 * 1024, 0x41), Buffer.from('\nnext\n')]);
    const d = run(split(huge, [1000, 70000, 2_000_000]));
    expect(d.stats.lines).toBe(2);
    expect(d.stats.cutLines).toBe(1);
    expect(d.incidents[0]!.cause).toBe('wasm-fetch-bad-address');
  });
});

describe('harmless lines', () => {
  const text = (lines: string[]): Buffer => Buffer.from(lines.join('\n') + '\n');
  const scrape = (t: string, port = '15090', host = 'localhost'): string =>
    `2026-05-20T08:15:${t}Z\terror\tfailed scraping envoy metrics: error scraping http://${host}:${port}/stats/prometheus: Get "http://${host}:${port}/stats/prometheus": dial tcp 127.0.0.1:${port}: connect: connection refused`;
  it('lists error lines a harmless context pattern recognises apart: neither incidents nor unexplained errors', () => {
    const d = run([text([scrape('49.779738'), scrape('50.779738'), '2026-05-20T08:15:51.000000Z\terror\tsomething nobody knows about went wrong'])]);
    expect(d.incidents).toEqual([]);
    expect(d.harmless.map((h) => [h.pattern, h.count, h.level, h.example.line])).toEqual([['HD-CTX-008', 2, 'error', 1]]);
    expect(d.harmless[0]!.title).toBe("pilot-agent could not scrape Envoy's own stats on localhost:15090");
    expect(d.unclassified.map((u) => u.count)).toEqual([1]);
  });
  it('leaves an error line that only a context pattern without `harmless` claims an unexplained error', () => {
    // Plugin activity is context too, but a plugin's own error line is not harmless.
    const d = run([text(['[2026-05-20 08:15:49.779][25][error][wasm] [source/extensions/common/wasm/context.cc:1192] wasm log higress-system.key-auth-1.0.0: [key-auth] something odd happened'])]);
    expect(d.harmless).toEqual([]);
    expect(d.unclassified).toHaveLength(1);
  });
  it('a pattern that is not context cannot call its line harmless (lint)', async () => {
    const { lintPatterns } = await import('../src/catalog/lint.js');
    const p = catalog.patterns.find((x) => x.id === 'HD-WASM-001')!;
    const bad = { ...p, spec: { ...p.spec, harmless: true } };
    expect(lintPatterns([bad]).map((x) => x.problem)).toContain('only a context pattern can call its line harmless (`harmless: true`)');
  });
});

describe('sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hd-src-'));
  const line = (n: number) => `2026-05-20T08:15:4${n}.000000Z\terror\tEnvoy exited with error: exit status ${n}\n`;

  it('orders a rotated set oldest first, gzip members included (by magic, not name)', async () => {
    const rot = join(dir, 'rot');
    mkdirSync(rot);
    writeFileSync(join(rot, 'gateway.log'), line(0));
    writeFileSync(join(rot, 'gateway.log.1'), gzipSync(line(1))); // gzip without .gz suffix
    writeFileSync(join(rot, 'gateway.log.2.gz'), gzipSync(line(2)));
    writeFileSync(join(rot, 'gateway.log.10'), line(9));
    writeFileSync(join(rot, 'notes.txt'), 'not a log');
    const files = await logsInFolder(rot);
    expect(files.map((f) => f.slice(rot.length + 1))).toEqual(['gateway.log.10', 'gateway.log.2.gz', 'gateway.log.1', 'gateway.log']);
    const texts: string[] = [];
    for (const spec of await resolveInputs([rot])) {
      const parts: Buffer[] = [];
      for await (const c of readInput(spec)) parts.push(c);
      texts.push(Buffer.concat(parts).toString());
    }
    expect(texts).toEqual([line(9), line(2), line(1), line(0)]);
  });

  it('reads stdin', async () => {
    const parts: Buffer[] = [];
    for await (const c of readInput({ name: 'stdin', path: '-' }, Readable.from([Buffer.from('a\n'), Buffer.from('b\n')]))) parts.push(c);
    expect(Buffer.concat(parts).toString()).toBe('a\nb\n');
  });

  it('yields what a truncated gzip decoded, then says it is truncated', async () => {
    const big = Buffer.from(Array.from({ length: 2000 }, (_, i) => `line ${i} ${'x'.repeat(50)}\n`).join(''));
    const gz = gzipSync(big);
    const f = join(dir, 'cut.gz');
    writeFileSync(f, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const parts: Buffer[] = [];
    let err: unknown;
    try {
      for await (const c of readInput({ name: 'cut.gz', path: f })) parts.push(c);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TruncatedInput);
    expect(String((err as Error).message)).toMatch(/truncated gzip/);
    const got = Buffer.concat(parts).toString();
    expect(got.length).toBeGreaterThan(1000);
    expect(big.toString().startsWith(got)).toBe(true);
  });

  it('gives one-line errors for missing files and empty folders', async () => {
    await expect(resolveInputs([join(dir, 'nope.log')])).rejects.toThrow(/cannot read .*nope\.log: no such file or directory/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(resolveInputs([empty])).rejects.toThrow(/no log files in/);
  });
});
