// The pieces of the fast path, each against a plain reference: substrings a regex requires, the
// catalog index of matchEvent, the batch ring of the scan worker, the low-level literal check of
// the prefilter, the literal hits found where lines are scanned, the synchronous gzip reader and the
// in-process path of scanInputs (the worker path: perf-generated.test.ts).
import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip, gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCatalog } from '../src/catalog/load.js';
import { matchEvent } from '../src/catalog/match.js';
import { matchLiterals } from '../src/catalog/match-index.js';
import { requiredAlternatives, requiredSubstrings } from '../src/catalog/regex-source.js';
import { eventsOf } from '../src/catalog/examples.js';
import { BatchWriter, replayBatch, WORKER_MIN_BYTES } from '../src/lines/parallel.js';
import { samePlan, scanInputs, wantsPrestart, type ScanStep } from '../src/lines/scan-inputs.js';
import { ByteLiteralSearch } from '../src/lines/literal-hits.js';
import { Pipeline } from '../src/pipeline.js';
import { FastLiterals } from '../src/lines/prefilter.js';
import { LineScanner, type LineSink } from '../src/lines/scanner.js';
import type { LayoutId, LogEvent } from '../src/model.js';
import { LEVEL_RANK } from '../src/model.js';
import { readInput } from '../src/sources/open.js';

const catalog = loadCatalog();

describe('requiredSubstrings', () => {
  it('finds what every match must contain, and nothing optional', () => {
    expect(requiredSubstrings(/cannot fetch Wasm module (?<url>\S+): (?<detail>.*)/)).toEqual(['cannot fetch Wasm module ', ': ']);
    expect(requiredSubstrings(/abc?d/)).toEqual(['ab']);
    expect(requiredSubstrings(/a(?:bc)?de/)).toEqual(['de']);
    expect(requiredSubstrings(/(?:abc)+de/)).toEqual(['abc', 'de']);
    expect(requiredSubstrings(/foo|bar/)).toEqual([]);
    expect(requiredSubstrings(/x(?:need conf|conf missing)y/)).toEqual(['conf']);
    expect(requiredSubstrings(/wasm log(?=[^\n]{0,9}?\bconf\b)/)).toEqual(['wasm log', 'conf']);
    expect(requiredSubstrings(/ab(?!cd)ef/)).toEqual(['ab', 'ef']);
    expect(requiredSubstrings(/a\.b\\c\tq/)).toEqual(['a.b\\c\tq']);
    expect(requiredSubstrings(/[]ab[^]cd/)).toEqual(['ab', 'cd']);
    expect(requiredSubstrings(/\x41bc\u0044ef/)).toEqual(['bc', 'ef']);
    expect(requiredSubstrings(/(a)bc\1de/)).toEqual(['bc', 'de']);
    expect(requiredSubstrings(/Conf/i)).toEqual(['Conf']);
    expect(requiredSubstrings(/conf/u)).toEqual([]);
  });

  it('finds what alternatives require between them', () => {
    expect(requiredAlternatives(/foo|bar/)).toEqual([['bar', 'foo']]);
    expect(requiredAlternatives(/ab(?=xy|yz)|bc/)).toEqual([['ab', 'bc'], ['bc', 'xy', 'yz']]);
    // Within a branch that requires nothing, the alternation requires nothing.
    expect(requiredAlternatives(/foo|\d+/)).toEqual([]);
    // What a negative lookahead holds is never required.
    expect(requiredAlternatives(/a(?!xx|yy)b/)).toEqual([]);
    // A set holding a substring of what every match requires adds nothing.
    expect(requiredAlternatives(/conf(?:ig|x)|conf/)).toEqual([]);
    // A member holding another one: the shorter is enough.
    expect(requiredAlternatives(/overload|OM|envoy overloaded/)).toEqual([['OM', 'overload']]);
    // An access entry's overload shapes: a failed request with neither OM nor `overload` is not one.
    const sets = requiredAlternatives(/^access (?<status>\d+) (?=flags=[A-Z,]{0,40}\bOM\b|[^\n]{0,400}?details=(?:overload(?=[\s,]|$)|[^\s]{0,80}overload_manager))|(?<![\w-])(?<body>envoy overloaded)\b/);
    expect(sets).toContainEqual(['OM', 'overload']);
    const message = 'access 503 flags=UF details=upstream_reset_before_response_started{connection_failure} cluster=c';
    expect(sets.every((set) => set.some((x) => message.includes(x)))).toBe(false);
  });

  it('never names a substring a match lacks (property)', () => {
    const atom = fc.oneof(
      fc.constantFrom('a', 'b', 'c', 'ab', 'ba', '.', '\\b', '[ab]', '[^a]', '\\s', 'x'),
      fc.constantFrom('(?:ab|b)', '(?:a|)', '(?=a)', '(?!b)', '(a)', '(?<n>bc)', '(?:abc|xab)'),
    );
    const quant = fc.constantFrom('', '', '', '?', '*', '+', '{2}', '{0,2}', '+?');
    const regex = fc.array(fc.tuple(atom, quant), { minLength: 1, maxLength: 6 }).map((parts) => parts.map(([a, q]) => (a.startsWith('\\b') ? a : a + q)).join(''));
    const alt = fc.oneof(regex, fc.tuple(regex, regex).map(([x, y]) => `${x}|${y}`));
    fc.assert(
      fc.property(alt, fc.boolean(), fc.array(fc.stringMatching(/^[abcx ]{0,12}$/), { minLength: 1, maxLength: 20 }), (src, ci, texts) => {
        let re: RegExp;
        try {
          re = new RegExp(src, ci ? 'i' : '');
        } catch {
          return;
        }
        const req = requiredSubstrings(re);
        const sets = requiredAlternatives(re);
        const has = (text: string, r: string): boolean => (ci ? text.toLowerCase().includes(r.toLowerCase()) : text.includes(r));
        for (const t of texts) {
          for (const text of [t, t.toUpperCase()]) {
            if (!re.test(text)) continue;
            for (const r of req) expect(has(text, r)).toBe(true);
            for (const set of sets) expect(set.some((r) => has(text, r)), `${src} on ${JSON.stringify(text)}: one of ${JSON.stringify(set)}`).toBe(true);
          }
        }
      }),
      { seed: 11, numRuns: 3000 },
    );
  });
});

/** matchEvent as it was: every pattern in order, its filters, `includes` of its literals, its regex. */
function referenceWinner(e: LogEvent): string | null {
  const message = e.message.length > 128 * 1024 ? e.message.slice(0, 128 * 1024) : e.message;
  for (const p of catalog.patterns) {
    if (p.layouts && !p.layouts.has(e.layout)) continue;
    if (p.loggers && (e.logger === null || !p.loggers.has(e.logger))) continue;
    if (e.level !== null && LEVEL_RANK[e.level] < LEVEL_RANK[p.minLevel]) continue;
    if (!p.literals.some((l) => message.includes(l))) continue;
    p.regex.lastIndex = 0;
    if (p.regex.test(message)) return p.id;
  }
  return null;
}

/** What a finding says, without the event object. */
const strip = (fs: ReturnType<typeof matchEvent>) =>
  fs.map((f) => ({
    id: f.patternId,
    cause: f.cause,
    severity: f.severity,
    confidence: f.confidence,
    alternatives: f.alternatives,
    fields: { ...f.fields },
    subject: { ...f.subject },
    title: f.title,
    explanation: f.explanation,
    remediation: f.remediation,
    line: f.line,
    text: f.text,
    notes: f.notes,
  }));

describe('matchEvent', () => {
  it('picks the pattern a plain scan of the catalog picks, for every example text', () => {
    let n = 0;
    for (const p of catalog.patterns) {
      const texts = [...p.spec.examples.match.map((x) => x.text), ...p.spec.examples.nomatch];
      for (const text of texts) {
        for (const e of eventsOf(text, catalog)) {
          const got = matchEvent(catalog, e)[0]?.patternId ?? null;
          expect(got, text.slice(0, 120)).toBe(referenceWinner(e));
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(200);
  });

  it('gives the same findings for a message it has seen, pointing at the new event', () => {
    const fresh = loadCatalog();
    let n = 0;
    for (const p of fresh.patterns) {
      for (const text of [...p.spec.examples.match.map((x) => x.text), ...p.spec.examples.nomatch]) {
        for (const e of eventsOf(text, fresh)) {
          const first = strip(matchEvent(fresh, e));
          // Again (remembered), and as a later event of the same text on another line.
          expect(strip(matchEvent(fresh, e)), text.slice(0, 120)).toEqual(first);
          const later = { ...e, line: e.line + 100, endLine: e.endLine + 100, lineMap: e.lineMap?.map((l) => l + 100), seq: e.seq + 1 };
          const moved = matchEvent(fresh, later);
          expect(moved.map((f) => f.line)).toEqual(first.map((f) => f.line + 100));
          expect(moved.every((f) => f.event === later)).toBe(true);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(200);
  });

  it('gives a failed request the findings of a fresh catalog, though it remembers the findings of its message (property)', () => {
    // Access entries of a few clusters, hosts and codes repeat their messages; a value holding ` authority=…` makes
    // two different entries one message text, which must not share findings.
    const value = (k: string, v: string): string => `"${k}":${JSON.stringify(v)}`;
    const entry = fc.record({
      code: fc.constantFrom('503', '502', '504', '500', '0', '404'),
      flags: fc.constantFrom('UF', 'UH', 'URX,UF', 'UO', '-', 'NR', 'UT'),
      details: fc.constantFrom('upstream_reset_before_response_started{connection_failure}', 'no_healthy_upstream', 'wasm_fail_stream', 'via_upstream', 'cluster_not_found'),
      cluster: fc.constantFrom('outbound|80||a.ns.svc.cluster.local', 'outbound|8080||b.ns.svc.cluster.local', '-'),
      host: fc.constantFrom('10.0.0.1:80', '10.0.0.2:8080', '-'),
      // `route=r authority=x authority=y` is the text of two entries: route `r authority=x` or authority `x authority=y`.
      route: fc.constantFrom('r', 'r authority=x'),
      authority: fc.constantFrom('api.example.com', 'y', 'x authority=y', '-'),
      tls: fc.constantFrom('-', 'TLS_error:_268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED'),
    });
    const line = (e: { code: string; flags: string; details: string; cluster: string; host: string; route: string; authority: string; tls: string }): string =>
      `{${[value('ai_log', '-'), value('authority', e.authority), value('method', 'GET'), value('path', '/'), value('response_code', e.code), value('response_flags', e.flags), value('response_code_details', e.details), value('route_name', e.route), value('start_time', '2026-05-20T08:15:44.000Z'), value('upstream_cluster', e.cluster), value('upstream_host', e.host), value('upstream_transport_failure_reason', e.tls)].join(',')}}`;
    const warm = loadCatalog();
    let n = 0;
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 30 }), (entries) => {
        for (const [k, en] of entries.entries()) {
          for (const ev of eventsOf(line(en), warm)) {
            const e = { ...ev, line: ev.line + k, seq: ev.seq + k };
            const remembered = matchEvent(warm, e);
            // A copy of the catalog object has an index of its own, with nothing remembered.
            expect(strip(remembered)).toEqual(strip(matchEvent({ ...warm }, e)));
            expect(remembered.every((f) => f.event === e)).toBe(true);
            n++;
          }
        }
      }),
      { seed: 9, numRuns: 30 },
    );
    expect(n).toBeGreaterThan(100);
    // The two entries of one message text, one after the other: the second has its own fields.
    const base = { code: '503', flags: 'UF', details: 'no_healthy_upstream', cluster: 'outbound|80||a.ns.svc.cluster.local', host: '-', tls: '-' };
    const [a] = eventsOf(line({ ...base, route: 'r authority=x', authority: 'y' }), warm);
    const [b] = eventsOf(line({ ...base, route: 'r', authority: 'x authority=y' }), warm);
    expect(a!.message).toBe(b!.message);
    expect(strip(matchEvent(warm, a!))).toEqual(strip(matchEvent({ ...warm }, a!)));
    expect(strip(matchEvent(warm, b!))).toEqual(strip(matchEvent({ ...warm }, b!)));
    expect(matchEvent(warm, b!)[0]?.fields.route).toBe('r');
  });

  it('gives findings with every field, title and explanation filled', () => {
    const [e] = eventsOf(
      '2026-05-20T08:15:42.517302Z\terror\twasm\terror in applying failopen rbac config: cannot fetch Wasm module http://h:8002/plugins/key-auth/1.0.0/plugin.wasm: wasm module download request failed: status code 404',
      catalog,
    );
    const [f] = matchEvent(catalog, e!);
    expect(f?.cause).toBe('wasm-fetch-bad-address');
    expect(f?.fields.plugin).toBe('key-auth');
    expect(f?.fields).not.toHaveProperty('message');
    expect(f?.title).toContain('http://h:8002/plugins/key-auth/1.0.0/plugin.wasm');
    expect(f?.explanation.length).toBeGreaterThan(20);
  });
});

/** A sink that records what it is handed. */
function recorder(): LineSink & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    line: (text, n, cut) => void log.push(`L${n}:${cut}:${text}`),
    skip: (n, layout: LayoutId) => void log.push(`S${n}:${layout}`),
  };
}

const sample = [
  '[2026-05-20 08:15:44.031][61][info][main] starting',
  '{"ai_log":"-","authority":"a","bytes_received":"0","bytes_sent":"1","downstream_local_address":"1.1.1.1:1","downstream_remote_address":"2.2.2.2:2","duration":"1","istio_policy_status":"-","method":"GET","path":"/","protocol":"HTTP/1.1","request_id":"r","requested_server_name":"a","response_code":"200","response_flags":"-","route_name":"r","start_time":"t"}',
  '2026-05-20T08:15:42.517302Z\terror\twasm\tcannot fetch Wasm module x: y',
  '2026-05-20T08:15:42.517302Z\tinfo\twasm\tfetching image plugins/key-auth from registry r with tag 1.0.0',
  '\t* an indented continuation',
  '',
  'ünïcödé line ✓',
].join('\n');

describe('scan worker batches', () => {
  it('replay exactly what the scanner hands its sink, however the slots fill (property)', () => {
    const literals = new FastLiterals(catalog.lowLevelLiterals);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...sample.split('\n')), { maxLength: 400 }), fc.integer({ min: 1, max: 9 }), (lines, tiny) => {
        const buf = Buffer.from(lines.join('\n') + '\n');
        const direct = recorder();
        const s1 = new LineScanner(direct, { literals });
        s1.push(buf);
        s1.end();
        // Small slots force hand-overs in the middle of a chunk, between a run of skips, …
        const replayed = recorder();
        const ops = new Int32Array(4 * tiny);
        let w: BatchWriter;
        const full = (): void => {
          replayBatch(w.batch(0, 0), replayed);
          w.reset();
        };
        w = new BatchWriter(new Uint8Array(64 * 1024), ops, full);
        const s2 = new LineScanner(w, { literals });
        s2.push(buf.subarray(0, buf.length >> 1));
        s2.push(buf.subarray(buf.length >> 1));
        s2.end();
        replayBatch(w.batch(0, 0), replayed);
        expect(replayed.log).toEqual(direct.log);
      }),
      { seed: 5, numRuns: 200 },
    );
  });
});

describe('prefilter literals', () => {
  it('are found inside the line only, wherever they are', () => {
    const lit = new FastLiterals(['exited: gateway ', 'wasm vm recover']);
    const b = Buffer.from('aaa exited: gateway 1|bbb|wasm vm recove|wasm vm recover');
    expect(lit.anyWithin(b, 0, 21)).toBe(true);
    expect(lit.anyWithin(b, 4, 20)).toBe(true);
    expect(lit.anyWithin(b, 5, 20)).toBe(false);
    expect(lit.anyWithin(b, 21, 40)).toBe(false);
    expect(lit.anyWithin(b, 40, b.length)).toBe(true);
    expect(new FastLiterals(['x']).anyWithin(Buffer.from('abxc'), 0, 2)).toBe(false);
    expect(new FastLiterals(['x']).anyWithin(Buffer.from('abxc'), 0, 3)).toBe(true);
  });
});

/** The gzip reader as a stream, the way readInput decoded files before (reference). */
async function streamGunzip(data: Buffer): Promise<{ out: Buffer; error: string | null }> {
  const parts: Buffer[] = [];
  const gz = createGunzip({ chunkSize: 128 * 1024 });
  Readable.from([data]).pipe(gz);
  try {
    for await (const c of gz as AsyncIterable<Buffer>) parts.push(c);
    return { out: Buffer.concat(parts), error: null };
  } catch (e) {
    return { out: Buffer.concat(parts), error: (e as NodeJS.ErrnoException).code ?? 'error' };
  }
}

describe('gzip files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hd-gz-'));
  const body = Buffer.from(Array.from({ length: 30_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}\n`).join(''));
  const gz = gzipSync(body);

  it('decode to the same bytes as zlib, complete or cut anywhere', async () => {
    for (const [name, data] of [
      ['whole', gz],
      ['two members', Buffer.concat([gzipSync(body.subarray(0, 50_000)), gzipSync(body.subarray(50_000))])],
      ['cut', gz.subarray(0, Math.floor(gz.length * 0.37))],
      ['cut near the end', gz.subarray(0, gz.length - 5)],
    ] as const) {
      const f = join(dir, `${name}.gz`);
      writeFileSync(f, data);
      const parts: Buffer[] = [];
      let error: unknown = null;
      try {
        for await (const c of readInput({ name, path: f })) parts.push(Buffer.from(c));
      } catch (e) {
        error = e;
      }
      const ref = await streamGunzip(data);
      expect(Buffer.concat(parts).equals(ref.out), name).toBe(true);
      expect(error === null, name).toBe(ref.error === null);
      if (error) expect(String((error as Error).message)).toMatch(/truncated gzip/);
    }
  });
});

describe('literal hits found where lines are scanned', () => {
  // Compared with Pipeline.push of batches without the hits: the message of each event searched on its own.
  const files = [
    ...readdirSync('samples').filter((f) => f.endsWith('.log')).map((f) => join('samples', f)),
    ...readdirSync(join('test', 'corpus')).filter((f) => f.endsWith('.log')).map((f) => join('test', 'corpus', f)),
  ];
  const search = new ByteLiteralSearch(matchLiterals(catalog));
  const literals = new FastLiterals(catalog.lowLevelLiterals);

  /** Every event with the patterns it matched, and the diagnosis. */
  function run(bytes: Buffer, withHits: boolean): { events: string[]; diagnosis: unknown } {
    const events: string[] = [];
    const p = new Pipeline(catalog, { onEvent: (e, matched) => void events.push(`${e.line}:${e.layout}:${matched}`) });
    p.beginInput('x.log');
    // As the scan worker does it, in small batches, replayed into the pipeline: with the hits the
    // scanner found, or without (then each event's message is searched where it is matched).
    const w = new BatchWriter(new Uint8Array(64 * 1024), new Int32Array(5 * 8), undefined, withHits ? new Int32Array(64) : null);
    const scanner = new LineScanner(w, withHits ? { literals, search } : { literals });
    scanner.push(bytes);
    scanner.end();
    const batch = w.take(scanner.lines, bytes.length);
    expect(batch.hits === null).toBe(!withHits);
    p.push(batch);
    p.endInput();
    return { events, diagnosis: p.snapshot() };
  }

  it('give the events and diagnosis of searching each message, on every sample and corpus log', () => {
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const bytes = readFileSync(f);
      expect(run(bytes, true), f).toEqual(run(bytes, false));
    }
  });

  it('hold for wrapped, pasted, non-ASCII and damaged lines (property)', () => {
    const lines = [
      ...sample.split('\n'),
      '{"log":"[2026-05-20 08:15:44.031][61][error][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log higress-system.key-auth-1.0.0: [key-auth] [nil] [nil] \\"panic\\": failed\\n","stream":"stderr","time":"2026-05-20T08:15:44.031Z"}',
      '> [2026-05-20 08:15:44.031][61][critical][backtrace] [./source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0',
      '[2026-05-20 08:15:44.031][61][warning][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log higress-system.ai-proxy-1.0.0: [ai-proxy] [nil] [nil] 请求失败 cannot fetch Wasm module ✓',
      '2026-05-20T08:15:42.517302Z\twarning\tenvoy wasm external/envoy/source/extensions/common/wasm/context.cc:1519\twasm log higress-system.key-auth-1.0.0: [key-auth] [nil] [x] no consumer matched\tthread=61',
      '2026-05-20T08:15:42.517302Z\terror\twasm\terror in applying failopen rbac config: 2 errors occurred:',
      '\t* cannot fetch Wasm module http://h:8002/plugins/key-auth/1.0.0/plugin.wasm: wasm module download request failed: status code 404',
      '[2026-05-20 08:15:44.031][61][error][wasm] [external/envoy/source/extensions/common/wasm/wasm_vm.cc:38] Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable\\nProxy-Wasm plugin in-VM backtrace:\\n  0:  0x1a2b - runtime._panic',
      'garbage \u00ff\u00fe cannot fetch Wasm module',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...lines), { maxLength: 60 }), fc.boolean(), (picked, crlf) => {
        const bytes = Buffer.from(picked.join(crlf ? '\r\n' : '\n') + '\n');
        expect(run(bytes, true)).toEqual(run(bytes, false));
      }),
      { seed: 11, numRuns: 150 },
    );
  });
});

describe('scanInputs, in-process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hd-scan-'));
  const log = readFileSync(join('samples', 'offline-seed-incident.log'));
  const a = join(dir, 'a.log');
  const cut = join(dir, 'cut.log.gz');
  const empty = join(dir, 'empty.log');
  writeFileSync(a, log);
  const gz = gzipSync(log);
  writeFileSync(cut, gz.subarray(0, gz.length >> 1));
  writeFileSync(empty, '');
  const specs = [a, cut, empty].map((path) => ({ name: path.split('/').pop()!, path }));

  /** As cli/analyze.ts feeds the pipeline from the steps. */
  async function viaSteps(): Promise<{ kinds: string[]; diagnosis: unknown }> {
    const p = new Pipeline(catalog, { contextLane: true });
    const kinds: string[] = [];
    for await (const step of scanInputs(specs).steps(p.scanPlan)) {
      kinds.push(step.kind === 'piece' ? (step.piece instanceof Uint8Array ? 'chunk' : 'batch') : step.kind);
      if (step.kind === 'input') p.beginInput(step.spec.name);
      else if (step.kind === 'cut') p.failInput(step.message);
      else p.push(step.piece);
    }
    p.endInput();
    return { kinds: [...new Set(kinds)], diagnosis: p.snapshot() };
  }

  it('gives the pipeline what reading each input by hand gives it: chunks, a cut input, an empty one', async () => {
    const p = new Pipeline(catalog, { contextLane: true });
    for (const spec of specs) {
      p.beginInput(spec.name);
      try {
        for await (const c of readInput(spec)) p.push(c);
      } catch (e) {
        p.failInput((e as Error).message);
      }
    }
    p.endInput();
    const r = await viaSteps();
    // From the sources there is no worker module: every piece is a chunk.
    expect(r.kinds).toEqual(['input', 'chunk', 'cut']);
    expect(r.diagnosis).toEqual(p.snapshot());
    expect((r.diagnosis as { inputs: Array<{ error?: string }> }).inputs.map((i) => i.error !== undefined)).toEqual([false, true, false]);
  });

  it('stops reading when the loop is left', async () => {
    const seen: ScanStep['kind'][] = [];
    for await (const step of scanInputs(specs).steps(new Pipeline(catalog).scanPlan)) {
      seen.push(step.kind);
      if (step.kind === 'piece') break;
    }
    expect(seen).toEqual(['input', 'piece']);
  });

  it('prestarts for `analyze` of a big file only, not with the in-process option', () => {
    const big = join(dir, 'big.log');
    writeFileSync(big, '');
    truncateSync(big, WORKER_MIN_BYTES);
    expect(wantsPrestart(['analyze', big])).toBe(true);
    expect(wantsPrestart(['analyze', '--format', 'json', a, big])).toBe(true);
    expect(wantsPrestart(['analyze', a])).toBe(false);
    expect(wantsPrestart(['analyze', big, '--no-prefilter'])).toBe(false);
    expect(wantsPrestart(['tail', big])).toBe(false);
    expect(wantsPrestart(['analyze', dir])).toBe(false);
  });

  it('tells a plan written for another catalog from the loaded one', () => {
    const plan = new Pipeline(catalog, { contextLane: true }).scanPlan;
    const copy = JSON.parse(JSON.stringify(plan)) as typeof plan;
    expect(samePlan(plan, copy)).toBe(true);
    expect(samePlan(plan, { ...copy, matchLiterals: [...copy.matchLiterals].reverse() })).toBe(false);
    expect(samePlan(plan, { ...copy, lowLevelLiterals: copy.lowLevelLiterals.slice(1) })).toBe(false);
    expect(samePlan(plan, { ...copy, laneLiterals: null })).toBe(false);
    expect(samePlan(plan, { ...copy, accessNeedles: copy.accessNeedles!.map((n, i) => (i === 0 ? [...n, 0] : n)) })).toBe(false);
    expect(samePlan(plan, { ...copy, noPrefilter: true })).toBe(false);
  });
});
