// The line index (src/lines/line-index.ts): the committed kernel bytes are the assembled WAT, the
// kernel gives exactly the records of its JavaScript contract on random input, and a scanner
// hands its sink the same calls with either.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assembleLineIndex, wasmModuleSource } from '../scripts/wasm-assemble.mjs';
import { INDEX_RECORDS, KERNEL_MEMORY, LineIndex, MAX_NEEDLES, skippableAccess } from '../src/lines/line-index.js';
import { MAX_FLAT_KEYS } from '../src/parse/flat-record.js';
import { MAX_LINE_BYTES, READ_CHUNK } from '../src/limits.js';
import { classifyFast, FAST_CANDIDATE } from '../src/lines/prefilter.js';
import { maskedKey } from '../src/lines/context-lane.js';
import { isTextAccessRecord } from '../src/lines/prefilter.js';
import { LineScanner, type LineSink } from '../src/lines/scanner.js';
import type { LayoutId } from '../src/model.js';

/**
 * A line in Higress' JSON access-log layout; `pad` (0..60) puts response_code at offsets 173..233,
 * around the 200 bytes the search skips.
 */
function accessLine(code: string, flags: string, pad: number, extra = '', quote = '"'): string {
  return (
    `{"ai_log":"-","authority":"${'a'.repeat(pad)}","bytes_received":"0",` +
    `"downstream_remote_address":"10.0.0.2:5000","duration":"3","method":"GET","path":"/p${extra}","protocol":"HTTP/1.1",` +
    `"request_id":"r","response_code":${quote}${code}","response_flags":"${flags}","route_name":"r1","upstream_cluster":"c"}`
  );
}

const lineArb = fc.oneof(
  fc
    .tuple(
      fc.oneof(fc.constant('200'), fc.constantFrom('204', '404', '499', '503', '599', '2x0', '20', '100', '1000')),
      fc.oneof(fc.constant('-'), fc.constantFrom('UF', 'URX,UF', '-x', '')),
      // Often right at the 200-byte mark (pad 25).
      fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 23, max: 27 })),
      fc.constantFrom('', '"response_code":"200', '","response_flags":"-'),
      fc.oneof(fc.constant('"'), fc.constantFrom('x', '')),
    )
    .map(([c, f, p, x, q]) => accessLine(c, f, p, x, q)),
  // Cut short anywhere: the bounds of the search and the checks after it.
  fc.tuple(fc.constantFrom('200', '503'), fc.integer({ min: 0, max: 400 })).map(([c, n]) => accessLine(c, '-', 0).slice(0, n)),
  fc.constantFrom(
    '',
    '{"ai_log":',
    '[2026-05-20 08:15:44.031][12][info][main] starting',
    '2026-05-20T08:15:42.517302Z\tinfo\twasm\tfetching image plugins/key-auth',
    '2026-05-20T08:15:42Z stdout F ' + accessLine('200', '-', 0),
    '{"level":"info","msg":"x"}',
  ),
  // Behind the time `kubectl logs --timestamps` adds: skipped only for `…Z` and one space.
  fc
    .tuple(
      fc.constantFrom('2026-05-20T08:15:42.123456789Z ', '2026-05-20T08:15:42Z ', '2026-05-20T08:15:42.1234567890Z ', '2026-05-20T16:15:42.1+08:00 ', '2026-05-20T08:15:42Z  ', '2026-05-20T08:15:42Z\t', 'x026-05-20T08:15:42Z ', '2026-05-20T08:15:42.Z '),
      fc.constantFrom('200', '503'),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 400 }),
    )
    .map(([t, c, p, cut]) => (t + accessLine(c, '-', p)).slice(0, cut < 30 ? cut : undefined)),
  // Istio's TEXT access log: mostly successful, else failed, cut, behind kubectl's time, or damaged where the
  // checks read.
  fc
    .tuple(
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom('', '2026-05-20T08:15:42.123Z ') }, fc.constantFrom('2026-05-20T08:15:42Z  ', 'x ')),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant('[2026-05-20T08:17:39.142Z]') },
        fc.constantFrom('[2026-05-20T08:17:39.142123456789012345Z]', '[2026-05-20 08:17:39.142]', '[2026-05-20T08:17:39.142Z'),
      ),
      fc.oneof({ weight: 4, arbitrary: fc.constant(' "GET /a HTTP/1.1" ') }, fc.constantFrom(' "GET /a" b" ', '  "GET /a HTTP/1.1" ', ' "GET /a HTTP/1.1"')),
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom('200 - ', '404 - ') }, fc.constantFrom('503 - ', '200 UF ', '2000 - ', '20 - ', '200 -', '500 - ')),
      fc.oneof({ weight: 4, arbitrary: fc.constant(1000) }, fc.integer({ min: 0, max: 140 })),
    )
    .map(([t, stamp, request, status, cut]) =>
      `${t}${stamp}${request}${status}via_upstream - "-" 0 91 3 2 "-" "curl/8" "r" "h" "10.0.0.1:80" outbound|80||c 10.0.0.5:1 10.0.0.2:80 10.0.0.3:2 - r1`.slice(0, cut),
    ),
  fc.string({ maxLength: 80 }),
);

/** Lines joined with LF or CRLF, maybe without a last terminator. */
const inputArb = fc
  .tuple(fc.array(fc.tuple(lineArb, fc.boolean()), { minLength: 0, maxLength: 60 }), fc.boolean())
  .map(([lines, last]) => {
    const text = lines.map(([l, crlf]) => l + (crlf ? '\r\n' : '\n')).join('');
    return Buffer.from(last ? text + 'tail without newline' : text);
  });

/** Everything scan() reports for a piece, until its lines are all looked at. */
function scanAll(index: LineIndex, piece: Buffer, skipAccess: boolean): number[][] {
  const b = index.load(piece);
  const out: number[][] = [];
  let from = 0;
  for (;;) {
    const n = index.scan(from, b.length, skipAccess);
    for (let i = 0; i < n * 3; i += 3) out.push([index.records[i]!, index.records[i + 1]!, index.records[i + 2]!]);
    out.push([-1, index.consumed, index.tailSkip]);
    from = index.consumed;
    if (n < INDEX_RECORDS) return out;
  }
}

/** The joined parts in the index's memory, and a window of them `lead` bytes in and `trail` before the end. */
function loadWindow(index: LineIndex, parts: string[], lead: number, trail: number): { line: Buffer; b: Buffer; s: number; e: number } {
  const line = Buffer.from(parts.join(''));
  const b = index.load(line);
  const s = Math.min(lead, b.length);
  return { line, b, s, e: Math.max(s, b.length - trail) };
}

describe('line index', () => {
  it('carries the bytes of line-index.wat as committed', async () => {
    const wat = readFileSync(new URL('../src/lines/line-index.wat', import.meta.url), 'utf8');
    const committed = readFileSync(new URL('../src/lines/line-index.wasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(wasmModuleSource(await assembleLineIndex(wat)));
  });

  it('writes its memory map as KERNEL_MEMORY says: every address in line-index.wat is named and equal', () => {
    const wat = readFileSync(new URL('../src/lines/line-index.wat', import.meta.url), 'utf8');
    const table: Record<string, number> = KERNEL_MEMORY;
    // The code without its line comments; `(;NAME;)` block comments stay.
    const code = wat.replace(/;;.*$/gm, '');
    const named = [...code.matchAll(/\b(\d+)\s*\(;([A-Z_]+);\)/g)].map((m) => [m[2] as string, Number(m[1])] as const);
    expect(named.length).toBeGreaterThan(15);
    for (const [name, value] of named) expect([name, value]).toEqual([name, table[name]]);
    // Every entry is used by the kernel and described in its header.
    const used = new Set(named.map(([n]) => n));
    const header = wat.slice(0, wat.indexOf('(module'));
    for (const name of Object.keys(table)) {
      expect(used.has(name), `${name} used in the kernel`).toBe(true);
      expect(header, `${name} in the header`).toMatch(new RegExp(`\\b${name}\\b`));
    }
    // No address or bound written without its name: decimal constants and offsets of 256 and more,
    // and the memory's page counts.
    const unnamed = code.replace(/\b\d+\s*\(;[A-Z_]+;\)/g, '');
    expect([...unnamed.matchAll(/(?:i32\.const|offset=)\s*(\d+)/g)].map((m) => Number(m[1])).filter((n) => n >= 256)).toEqual([]);
    expect(unnamed).toMatch(/\(memory \(export "memory"\)\s*\)/);
    // The map itself: regions in order, none overlapping, the input piece and its padding in memory.
    const m = KERNEL_MEMORY;
    expect(m.RC_AT + 16).toBeLessThanOrEqual(m.FLAGS_AT);
    expect(m.FLAGS_AT + 20).toBeLessThanOrEqual(m.AI_LOG_AT);
    expect(m.AI_LOG_AT + 10).toBeLessThanOrEqual(m.HEX_CLASS_AT);
    expect(m.HEX_CLASS_AT + 256).toBeLessThanOrEqual(m.WORD_AT);
    expect(m.WORD_AT + 256).toBeLessThanOrEqual(m.RECORDS_AT);
    expect(m.RECORDS_END).toBe(m.RECORDS_AT + INDEX_RECORDS * 12);
    expect(m.RECORDS_END).toBeLessThanOrEqual(m.NEEDLES_AT);
    expect(m.NEEDLES_AT + MAX_NEEDLES * 64).toBeLessThanOrEqual(m.KEYS_AT);
    expect(m.KEYS_AT + MAX_FLAT_KEYS * m.KEY_ENTRY).toBeLessThanOrEqual(m.SLOTS_AT);
    expect(m.SLOTS_AT + MAX_FLAT_KEYS * 12).toBeLessThanOrEqual(m.KEY_LENGTHS_AT);
    expect(m.KEY_LENGTHS_AT + m.KEY_ENTRY * 4).toBeLessThanOrEqual(m.TOKENS_AT);
    expect(m.TOKENS_AT + 40 * 8).toBeLessThanOrEqual(m.INPUT_AT);
    expect(m.INPUT_AT + READ_CHUNK + 64).toBeLessThanOrEqual(m.PAGES * 65536);
    expect(m.MAX_LINE).toBe(MAX_LINE_BYTES);
  });

  it('runs the WebAssembly kernel on this Node, with the scanner’s and the reader’s sizes', () => {
    expect(new LineIndex().native).toBe(true);
    expect(new LineIndex({ native: false }).native).toBe(false);
  });

  it('skips exactly the lines the prefilter skips as access-json on their own', () => {
    const b = Buffer.from(accessLine('200', '-', 40) + '\n' + accessLine('503', 'UF', 40) + '\n' + accessLine('404', '-', 40) + '\r\n');
    for (const native of [true, false]) {
      const index = new LineIndex({ native });
      const recs = scanAll(index, b, true);
      // Only the 503 line is a record; one skipped line before it, one after.
      expect(recs).toHaveLength(2);
      expect(recs[0]![2]).toBe(1);
      expect(b.subarray(recs[0]![0]!, recs[0]![1]!).toString()).toContain('"response_code":"503"');
      expect(recs[1]).toEqual([-1, b.length, 1]);
      // Without skipping, every line is a record.
      expect(scanAll(index, b, false).filter((r) => r[0]! >= 0)).toHaveLength(3);
    }
  });

  it('gives the records of its JavaScript contract on random input (property)', () => {
    const native = new LineIndex();
    const js = new LineIndex({ native: false });
    fc.assert(
      fc.property(inputArb, fc.boolean(), (input, skipAccess) => {
        expect(scanAll(native, input, skipAccess)).toEqual(scanAll(js, input, skipAccess));
        // And each skip is what the prefilter says of that line.
        const recs = scanAll(js, input, true);
        let pos = 0;
        for (const [s, nl, skipped] of recs) {
          for (let k = 0; k < Math.abs(skipped!); k++) {
            const end = input.indexOf(10, pos);
            const e = input[end - 1] === 13 ? end - 1 : end;
            expect(classifyFast(input, pos, e, undefined)).toBe(skipped! > 0 ? 'access-json' : 'access-text');
            pos = end + 1;
          }
          // A record without a line ends a run whose layout changes after it.
          if (s === -1 && nl === -1) continue;
          if (s! >= 0) {
            expect(s).toBe(pos);
            expect(skippableAccess(input, s!, nl!)).toBe(null);
            pos = nl! + 1;
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leaves a line longer than the scanner keeps to the scanner', () => {
    const base = accessLine('200', '-', 40, '').length;
    const sized = (n: number): string => accessLine('200', '-', 40, 'q'.repeat(n - base));
    const b = Buffer.from([MAX_LINE_BYTES - 1, MAX_LINE_BYTES, MAX_LINE_BYTES + 1].map((n) => sized(n) + '\n').join(''));
    for (const native of [true, false]) {
      const recs = scanAll(new LineIndex({ native }), b, true);
      // The first two are skipped; the third, too long, is a record after them.
      expect(recs[0]![1]! - recs[0]![0]!).toBe(MAX_LINE_BYTES + 1);
      expect(recs[0]![2]).toBe(2);
      expect(recs[1]).toEqual([-1, b.length, 0]);
    }
  });

  it('computes the context lane’s masked key as the JavaScript does (property)', () => {
    const index = new LineIndex();
    const token = fc.oneof(
      fc.stringMatching(/^[0-9a-fA-F-]{1,40}$/),
      fc.constantFrom('req-', '_x', 'abcdef12', '1234567', '12345678', 'deadbeef-0000', ' ', '[', ']', '\t', 'é'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), fc.nat(8), fc.nat(8), (parts, lead, trail) => {
        const { line, b, s, e } = loadWindow(index, parts, lead, trail);
        expect(index.maskedKey(b, s, e)).toBe(maskedKey(b, s, e));
        // Not in the kernel's memory: the JavaScript answers.
        expect(index.maskedKey(Buffer.from(line), s, e)).toBe(maskedKey(line, s, e));
      }),
      { numRuns: 1000 },
    );
    // Ids are masked, other text is not.
    const key = (t: string): number => index.maskedKey(index.load(Buffer.from(t)), 0, t.length);
    expect(key('req 0123abcd-99 done')).toBe(key('req 9f9f9f9f-11 done'));
    expect(key('req abcdefab done')).not.toBe(key('req abcdefac done'));
  });

  it('reads a TEXT access record as the JavaScript does (property)', () => {
    const index = new LineIndex();
    const js = new LineIndex({ native: false });
    let records = 0;
    // Mostly whole records, now and then damaged where a reading could go wrong: the time, the status, a byte
    // beyond ASCII or a backslash, an unclosed quote, the 16th field, the line's end.
    const stamp = fc.oneof(
      { weight: 6, arbitrary: fc.constant('[2026-05-20T08:17:39.142Z] ') },
      { weight: 1, arbitrary: fc.constantFrom('[2026-05-20T08:17:39Z] ', '[2026-05-20T08:17:39.142Z]', '[2026-0X-20T08:17:39Z] ', '[2026-05-20 08:17:39.142] ', '') },
    );
    const request = fc.oneof({ weight: 6, arbitrary: fc.constant('"GET /a HTTP/1.1" ') }, { weight: 1, arbitrary: fc.constantFrom('"-" ', '"open ', '') });
    const code = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('503', '0', '20') }, { weight: 1, arbitrary: fc.constantFrom('5030', '"5"', 'x', '') });
    const field = fc.oneof(
      { weight: 8, arbitrary: fc.stringMatching(/^[!#-[\]-~]{1,6}$/) },
      { weight: 2, arbitrary: fc.constantFrom('"curl/8.5.0"', '"a b"', '"-"', '-', 'outbound|80||x') },
      { weight: 1, arbitrary: fc.constantFrom('é', '\\', '"open', '\t', '  ', '\r') },
    );
    fc.assert(
      fc.property(stamp, request, code, fc.array(field, { minLength: 10, maxLength: 20 }), fc.constantFrom(0, 0, 0, 1), fc.nat(8), (head, request, code, fields, lead, trail) => {
        const { line, b, s, e } = loadWindow(index, [head, request, code, ' ', ...fields.flatMap((f) => [f, ' '])], lead, trail);
        const kernel = index.textRecord(b, s, e);
        if (kernel) records++;
        expect(kernel).toBe(isTextAccessRecord(b, s, e));
        expect(js.textRecord(Buffer.from(line), s, e)).toBe(isTextAccessRecord(line, s, e));
      }),
      { numRuns: 2000 },
    );
    expect(records).toBeGreaterThan(100);
    // A record the kernel takes (the scanner's common case) and one it does not.
    const record = Buffer.from(`[2026-05-20T08:17:39.142Z] "POST / HTTP/2" 500 - via_upstream - "-" 2814 19085 51 50 "172.17.0.124" "curl/8.5.0" "da54" "shop.example.com" "10.0.5.40:80" outbound|80||frontend 10.0.1.5:55020 172.17.0.2:443 172.17.0.124:12529 shop.example.com shop-frontend`);
    const loaded = index.load(record);
    expect(index.textRecord(loaded, 0, record.length)).toBe(true);
    expect(index.textRecord(loaded, 0, 60)).toBe(false);
  });

  it('finds its needles and `\\u` as the JavaScript does (property)', () => {
    const index = new LineIndex();
    const needles = ['wasm', 'Func', 'anic'].map((n) => Buffer.from(n));
    index.setNeedles(needles);
    const js = new LineIndex({ native: false });
    js.setNeedles(needles);
    const token = fc.oneof(fc.constantFrom('wasm', 'was', 'Func', 'panic', '\\u', '\\', 'u', 'x', ' ', '"a":"b"'), fc.string({ maxLength: 5 }));
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), fc.nat(6), fc.nat(6), (parts, lead, trail) => {
        const { line, b, s, e } = loadWindow(index, parts, lead, trail);
        const expected = [Buffer.from('\\u'), ...needles].some((n) => {
          const i = line.indexOf(n, s);
          return i >= 0 && i + n.length <= e;
        });
        expect(index.holdsNeedle(b, s, e)).toBe(expected);
        expect(js.holdsNeedle(js.load(line), s, e)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
    expect(() => index.setNeedles([Buffer.from('abc')])).toThrow();
  });

  it('stops when its records are full and goes on from there', () => {
    const lines = INDEX_RECORDS + 500;
    const b = Buffer.from('x\n'.repeat(lines));
    for (const native of [true, false]) {
      const recs = scanAll(new LineIndex({ native }), b, true);
      expect(recs.filter((r) => r[0]! >= 0)).toHaveLength(lines);
      expect(recs.filter((r) => r[0] === -1)).toHaveLength(2);
    }
  });
});

/** A sink that writes down every call. */
class Recorder implements LineSink {
  readonly calls: string[] = [];
  line(text: string, number: number, cut: number): void {
    this.calls.push(`line ${number} ${cut} ${text}`);
  }
  skip(number: number, layout: LayoutId): void {
    const last = this.calls[this.calls.length - 1];
    const m = last ? /^skip (\d+)-(\d+) (\S+)$/.exec(last) : null;
    // Runs merged, so skip() and skipRun() read the same.
    if (m && m[3] === layout && Number(m[2]) === number - 1) this.calls[this.calls.length - 1] = `skip ${m[1]}-${number} ${layout}`;
    else this.calls.push(`skip ${number}-${number} ${layout}`);
  }
}

/** What a scanner must hand its sink: lines split one by one, each classified by the prefilter. */
function reference(data: Buffer, noPrefilter: boolean): string[] {
  const r = new Recorder();
  let pos = 0;
  let number = 0;
  while (pos < data.length) {
    let nl = data.indexOf(10, pos);
    if (nl < 0) nl = data.length;
    number++;
    let end = nl;
    let cut = 0;
    if (end - pos > MAX_LINE_BYTES) {
      cut = end - pos - MAX_LINE_BYTES;
      end = pos + MAX_LINE_BYTES;
    }
    if (cut === 0 && end > pos && data[end - 1] === 13) end--;
    const layout = noPrefilter ? FAST_CANDIDATE : classifyFast(data, pos, end, undefined);
    if (layout !== FAST_CANDIDATE) r.skip(number, layout);
    else r.line(data.toString('utf8', pos, end), number, cut);
    pos = nl + 1;
  }
  return r.calls;
}

describe('scanner over the line index', () => {
  it('hands the sink the calls of a line-by-line reference, with the kernel and with its JavaScript contract (property)', () => {
    const longLine = accessLine('200', '-', 0, 'q'.repeat(MAX_LINE_BYTES));
    fc.assert(
      fc.property(
        inputArb,
        fc.array(fc.integer({ min: 1, max: READ_CHUNK + 5000 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        (input, sizes, long, noPrefilter) => {
          const data = long ? Buffer.concat([input, Buffer.from(longLine + '\n'), input]) : input;
          const run = (native: boolean): string[] => {
            const r = new Recorder();
            const sc = new LineScanner(r, { nativeIndex: native, noPrefilter });
            let off = 0;
            for (let i = 0; off < data.length; i++) {
              const n = sizes[i % sizes.length]!;
              sc.push(data.subarray(off, off + n));
              off += n;
            }
            sc.end();
            return r.calls;
          };
          const expected = reference(data, noPrefilter);
          expect(run(true)).toEqual(expected);
          expect(run(false)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
