// The context lane (src/lines/context-lane.ts): analyze holds back plugin chatter that only
// context patterns can claim. It must change nothing of the diagnosis but the number of events.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCatalog } from '../src/catalog/load.js';
import { laneLiterals, matchLiterals } from '../src/catalog/match-index.js';
import { maskedKey, plainContinuation, riskyLiteral, sniffHeader, type HeaderSniff } from '../src/lines/context-lane.js';
import type { Diagnosis } from '../src/model.js';
import { Pipeline } from '../src/pipeline.js';
import { accessNeedles } from '../src/catalog/scan-plan.js';
import { isTextAccessRecord } from '../src/lines/prefilter.js';
import { parseHeader } from '../src/parse/layouts.js';
import { CAUSES_READING_PLUGIN_ACTIVITY } from '../src/diagnose/correlations.js';

const catalog = loadCatalog();

function analyze(bytes: Buffer, contextLane: boolean, chunk = 1 << 20): Diagnosis {
  const p = new Pipeline(catalog, { contextLane });
  p.beginInput('x.log');
  for (let i = 0; i < bytes.length; i += chunk) p.push(bytes.subarray(i, Math.min(bytes.length, i + chunk)));
  p.endInput();
  return p.snapshot();
}

/**
 * Everything but the number of events (the lane's only business) and the internal event sequence
 * numbers of incidents (which count events; they are not in any report).
 */
function withoutEventCount(d: Diagnosis): unknown {
  const incidents = d.incidents.map((i) => ({ ...i, firstSeq: 0, lastSeq: 0 }));
  return JSON.parse(JSON.stringify({ ...d, incidents, stats: { ...d.stats, events: 0 } }));
}

const ctx = (plugin: string, id: string, tid = 61): string =>
  `[2026-05-20 08:15:44.031][${tid}][warning][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log higress-system.${plugin}-1.0.0: [${plugin}] [nil] [${id}] no consumer matched`;
const fetching = (plugin: string): string =>
  `2026-05-20T08:15:42.517302Z\tinfo\twasm\tfetching image plugins/${plugin} from registry higress-registry.cn-hangzhou.cr.aliyuncs.com with tag 1.0.0`;
const access200 =
  '{"ai_log":"-","authority":"a","bytes_received":"0","bytes_sent":"1","downstream_local_address":"1.1.1.1:1","downstream_remote_address":"2.2.2.2:2","duration":"1","istio_policy_status":"-","method":"GET","path":"/","protocol":"HTTP/1.1","request_id":"r","requested_server_name":"a","response_code":"200","response_flags":"-","route_name":"r","start_time":"2026-05-20T08:15:44.000Z"}';
const access503 = access200.replace('"response_code":"200","response_flags":"-"', '"response_code":"503","response_flags":"UH"').replace('"route_name":"r"', '"route_name":"r","response_code_details":"no_healthy_upstream","upstream_cluster":"outbound|80||svc"');

const accessFailStream = access503
  .replace('"response_code_details":"no_healthy_upstream"', '"response_code_details":"wasm_fail_stream"')
  .replace('"response_flags":"UH"', '"response_flags":"-"');

// Istio's default TEXT access log (docs/formats.md §L10): request, code, flags, details, …, cluster, route.
const text200 =
  '[2026-05-20T08:15:44.000Z] "GET /api HTTP/1.1" 200 - via_upstream - "-" 0 12 3 2 "10.0.0.1" "curl/8.5.0" "9b2c" "api.example.com" "10.0.3.18:8080" outbound|8080||orders.default.svc.cluster.local 172.17.0.2:40000 172.17.0.2:443 10.0.0.1:5000 api.example.com orders-route';
const text503 = text200.replace('" 200 - via_upstream', '" 503 UF,URX upstream_reset_before_response_started{connection_failure}');
const textFailStream = text200.replace('" 200 - via_upstream', '" 503 - wasm_fail_stream');

describe('context lane', () => {
  it('masks ids and hashes, not names', () => {
    const key = (s: string): number => {
      const b = Buffer.from(s);
      return maskedKey(b, 0, b.length);
    };
    expect(key('wasm log p: [p] [nil] [f7f01391-8b4a-4c79-987e-0a055dc3f680] x')).toBe(key('wasm log p: [p] [nil] [00000000-1111-2222-3333-444444444444] x'));
    expect(key('req 3c1f0d2e done')).toBe(key('req 9a0b7c6d done'));
    expect(key('wasm log p: [key-auth] x')).not.toBe(key('wasm log p: [jwt-auth] x'));
    expect(key('plugin1 up')).not.toBe(key('plugin2 up'));
    // Short or digit-free runs are words, not ids.
    expect(key('deadbeef cafe')).not.toBe(key('facade00 cafe'.replace('00', 'ed')));
    // A line must not share a chatter line's key by chance: no collision among 100,000 texts.
    const keys = new Set<number>();
    for (let i = 0; i < 100_000; i++) keys.add(key(`wasm log p: [p${i % 97}] request ${i.toString(36)} done in ${i % 1000} ms`));
    expect(keys.size).toBe(100_000);
  });

  it('knows which literals an id mask could cut into (catalog/lint.ts applies it to every pattern)', () => {
    expect(riskyLiteral('Bad function signature')).toBe(true); // `Bad` could end an id: `1234-Bad`
    expect(riskyLiteral('status code 404')).toBe(true);
    expect(riskyLiteral('id 0a055dc3f680 x')).toBe(true);
    expect(riskyLiteral('fetching image ')).toBe(false);
    expect(riskyLiteral('wasm log higress-system.')).toBe(false);
    expect(riskyLiteral(' [0x')).toBe(false);
  });

  it('reads L1 and Istio headers, their level and where the message starts', () => {
    const sniff = (s: string): HeaderSniff => sniffHeader(Buffer.from(s), 0, Buffer.byteLength(s), { start: 0, lineStart: 0, layout: null, low: false, quiet: false, crashable: false, wasmLogger: false, messageStart: 0 });
    const l1 = ctx('key-auth', 'x');
    expect(sniff(l1)).toMatchObject({ layout: 'envoy', low: true, messageStart: l1.indexOf('wasm log') });
    expect(sniff(l1.replace('[warning]', '[error]'))).toMatchObject({ layout: 'envoy', low: false });
    expect(sniff(fetching('cors'))).toMatchObject({ layout: 'istio-go', low: true, messageStart: fetching('cors').indexOf('wasm\t') });
    expect(sniff(`2026-05-20T08:15:42.517302Z\twarn\tenvoy wasm\tx`)).toMatchObject({ layout: 'envoy-istio', low: true });
    // Not a header it knows: the whole line is the message.
    expect(sniff(`> ${l1}`)).toMatchObject({ layout: null, messageStart: 0 });
    expect(sniff('[2026-05-20 08:15:44.031][61][warning][wasm] [no location] wasm log x')).toMatchObject({ messageStart: 45 });
  });

  it('tells crash-capable, plugin and continuation lines apart', () => {
    const sniff = (s: string): HeaderSniff => sniffHeader(Buffer.from(s), 0, Buffer.byteLength(s), { start: 0, lineStart: 0, layout: null, low: false, quiet: false, crashable: false, wasmLogger: false, messageStart: 0 });
    const l1 = (level: string, logger: string): string => `[2026-05-20 08:15:44.031][61][${level}][${logger}] [a.cc:1] x y z`;
    expect(sniff(l1('critical', 'main'))).toMatchObject({ low: false, crashable: true, wasmLogger: false });
    expect(sniff(l1('error', 'backtrace'))).toMatchObject({ crashable: true });
    expect(sniff(l1('error', 'wasm'))).toMatchObject({ crashable: false, wasmLogger: true });
    expect(sniff(l1('warning', 'wasmx'))).toMatchObject({ low: true, wasmLogger: false });
    const istio = (level: string, scope: string): string => `2026-05-20T08:15:42.517302Z\t${level}\t${scope}\tsome message here`;
    expect(sniff(istio('error', 'wasm'))).toMatchObject({ layout: 'istio-go', low: false, quiet: false, crashable: false, wasmLogger: true });
    expect(sniff(istio('fatal', 'wasm'))).toMatchObject({ crashable: true });
    expect(sniff(istio('critical', 'envoy backtrace a.cc:1'))).toMatchObject({ layout: 'envoy-istio', crashable: true });
    expect(sniff(istio('error', 'envoy backtrace a.cc:1'))).toMatchObject({ crashable: true });
    expect(sniff(istio('error', 'envoy wasm a.cc:1'))).toMatchObject({ crashable: false, wasmLogger: true });
    const plain = (s: string): boolean => plainContinuation(Buffer.from(s), 0, Buffer.byteLength(s));
    expect(['', '   ', '\t* cannot fetch', '  }', '- x'].every(plain)).toBe(true);
    // Anything that may be a header, a wrapper, a paste or crash text is not.
    expect(['  [2026-05-20 08:15:44.031][61][critical][backtrace] x', '> [x', '`x`', '#0: f', 'Caught x', '{"log":"x"}', '2026-05-20T08:15:42Z x'].some(plain)).toBe(false);
  });

  it('lets through only literals no other kind of pattern has', () => {
    const lits = matchLiterals(catalog);
    const lane = laneLiterals(catalog);
    const on = new Set(lits.filter((_, i) => lane[i] === 1));
    expect(on.has('wasm log higress-system.')).toBe(true);
    expect(on.has('fetching image ')).toBe(true);
    expect(on.has('cannot fetch Wasm module')).toBe(false);
    for (const p of catalog.patterns) if (p.spec.role !== 'context') for (const l of p.literals) expect(on.has(l), l).toBe(false);
  });

  it('holds an info line whose other literals only warning-level patterns have (2), not a warning one', () => {
    const lits = matchLiterals(catalog);
    const lane = laneLiterals(catalog);
    // `fetch` of the general tier is inside every `fetching image …` line.
    expect(lane[lits.indexOf('fetch')]).toBe(2);
    const info = Array.from({ length: 200 }, (_, i) => fetching(i % 2 === 0 ? 'key-auth' : 'ai-proxy')).join('\n');
    const on = analyze(Buffer.from(`${info}\n`), true);
    const off = analyze(Buffer.from(`${info}\n`), false);
    expect(on.stats.events).toBeLessThan(10);
    expect(off.stats.events).toBe(200);
    expect(withoutEventCount(on)).toEqual(withoutEventCount(off));
    // At warning the general pattern could match: the line is decoded.
    const warn = info.replaceAll('\tinfo\t', '\twarn\t');
    expect(analyze(Buffer.from(`${warn}\n`), true).stats.events).toBe(200);
  });

  it('drops most chatter and keeps the diagnosis: plugins, crash attribution, time window', () => {
    const lines: string[] = [fetching('key-auth')];
    for (let i = 0; i < 300; i++) {
      lines.push(ctx(i % 2 === 0 ? 'key-auth' : 'ai-proxy', `${(i * 7919).toString(16).padStart(8, '0')}-1111-2222-3333-444444444444`));
      lines.push(access200);
      if (i % 50 === 0) lines.push(access503);
    }
    lines.push(ctx('geo-ip', 'aaaaaaaa-1111-2222-3333-444444444444'), ctx('geo-ip', 'bbbbbbbb-1111-2222-3333-444444444444'));
    lines.push(
      '[2026-05-20 08:16:00.000][61][critical][backtrace] [./source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0',
      '[2026-05-20 08:16:00.000][61][critical][backtrace] [./source/server/backtrace.h:91] Backtrace (use tools/stack_decode.py to get line numbers):',
      '[2026-05-20 08:16:00.000][61][critical][backtrace] [./source/server/backtrace.h:92] Envoy version: 0f3e2c1b5a/1.27.7/Clean/RELEASE/BoringSSL',
      '[2026-05-20 08:16:00.000][61][critical][backtrace] [./source/server/backtrace.h:96] #0: __restore_rt [0x7f1c3e1f2520]',
    );
    for (let i = 0; i < 40; i++) lines.push(ctx('key-auth', `${(i * 104729).toString(16).padStart(8, '0')}-1111-2222-3333-444444444444`), access200);
    lines.push(ctx('cors', 'cccccccc-1111-2222-3333-444444444444'));
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const on = analyze(bytes, true);
    const off = analyze(bytes, false);
    expect(on.stats.events).toBeLessThan(off.stats.events / 3);
    expect(withoutEventCount(on)).toEqual(withoutEventCount(off));
    expect(on.environment.plugins).toEqual(['ai-proxy', 'cors', 'geo-ip', 'key-auth']);
    const crash = on.incidents.find((i) => i.evidence.some((e) => e.text.includes('Segmentation fault')));
    expect(crash?.subject.plugin).toBe('geo-ip');
  });

  // Each case: a line held back meets what must not change what it would have done. The lane must
  // still drop something in each (else the case proves nothing).
  const id = (n: number): string => `${n.toString(16).padStart(8, '0')}-1111-2222-3333-444444444444`;
  const held = (plugin: string, n: number): string => ctx(plugin, id(n));
  const cases: Record<string, string[]> = {
    // A 503 of a failed fail-closed plugin names the last active plugin: the held line goes first.
    'an access line that reads plugin activity': [held('key-auth', 1), held('ai-proxy', 1), held('key-auth', 2), accessFailStream, held('ai-proxy', 2), held('ai-proxy', 3)],
    // Access lines let the held line go first.
    'access lines after a held line': [held('key-auth', 1), held('key-auth', 2), access503, access200, access503, held('ai-proxy', 1), held('key-auth', 3), access503, held('key-auth', 4), held('key-auth', 5), held('key-auth', 6)],
    // An access line cut short is no record of its own: it must meet the held line, not a dropped one.
    'an access line cut short behind a held line': [held('key-auth', 1), held('ai-proxy', 1), held('key-auth', 2), access503.slice(0, -20), held('ai-proxy', 2), held('ai-proxy', 3)],
    // A JSON escape can spell a literal of a pattern that reads plugin activity: such a line goes after the held one.
    'an access line with a \\u escape': [held('key-auth', 1), held('ai-proxy', 1), held('key-auth', 2), accessFailStream.replace('wasm_fail_stream', '\\u0077asm_fail_stream'), held('ai-proxy', 2), held('ai-proxy', 3)],
    // A continuation after a skipped line belongs to the skipped record, not to the held line.
    'a skipped record with a continuation behind a held line': [
      held('key-auth', 1),
      held('ai-proxy', 1),
      held('key-auth', 2),
      '[2026-05-20 08:15:44.031][61][info][config] [source/common/config/utility.cc:1] dump:',
      '\t* cannot fetch Wasm module http://h:8002/plugins/cors/1.0.0/plugin.wasm: wasm module download request failed: status code 404',
      held('ai-proxy', 2),
      held('ai-proxy', 3),
      held('key-auth', 3),
      held('key-auth', 4),
    ],
    // A crash block lets access lines pass and ends at the next other record: with the chatter
    // after it dropped, the access line would come before the crash ("N events earlier" changes).
    'chatter and access lines after a raw crash line': [held('key-auth', 1), held('ai-proxy', 1), 'Caught Segmentation fault, suspect faulting address 0x0', held('key-auth', 2), access503, held('key-auth', 3), held('key-auth', 4), held('key-auth', 5)],
    // A Wasm panic block takes the same thread's plugin lines.
    'chatter inside a Wasm panic block': [
      held('key-auth', 1),
      '[2026-05-20 08:15:44.031][61][error][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log higress-system.key-auth-1.0.0: panic: ',
      held('key-auth', 2),
      held('key-auth', 3),
      '[2026-05-20 08:15:44.031][61][error][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log higress-system.key-auth-1.0.0: runtime error: index out of range',
      ...Array.from({ length: 5 }, (_, i) => held('ai-proxy', i)),
      // A record of another logger ends the block.
      '[2026-05-20 08:15:44.031][61][warning][config] [source/extensions/config_subscription/grpc/grpc_stream.h:193] DeltaAggregatedResources gRPC config stream to xds-grpc closed: 14, connection refused',
      ...Array.from({ length: 5 }, (_, i) => held('key-auth', 10 + i)),
    ],
    // A failed request is a record of another logger: it ends a Wasm panic block.
    'a failed request after a Wasm panic': [
      held('key-auth', 1),
      '[2026-05-20 08:15:44.031][61][error][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log higress-system.key-auth-1.0.0: panic: ',
      held('key-auth', 2),
      access503,
      ...Array.from({ length: 5 }, (_, i) => held('key-auth', 10 + i)),
    ],
    // The first line of a key took a continuation: the key proves nothing about the next one.
    'a new key whose line took a continuation': [held('ai-proxy', 1), '\t* cannot fetch Wasm module http://h:8002/plugins/key-auth/1.0.0/plugin.wasm: wasm module download request failed: status code 404', held('ai-proxy', 2), held('key-auth', 1), held('key-auth', 2), held('key-auth', 3)],
  };
  for (const [name, lines] of Object.entries(cases)) {
    it(`keeps the diagnosis: ${name}`, () => {
      const bytes = Buffer.from(lines.join('\n') + '\n');
      const on = analyze(bytes, true);
      const off = analyze(bytes, false);
      expect(withoutEventCount(on)).toEqual(withoutEventCount(off));
      expect(on.stats.events).toBeLessThan(off.stats.events);
    });
  }

  it('keeps failed requests from letting chatter through: they wait behind the held line', () => {
    const lines: string[] = [ctx('key-auth', id(0)), ctx('ai-proxy', id(0))];
    for (let i = 1; i <= 100; i++) lines.push(ctx(i % 2 === 0 ? 'key-auth' : 'ai-proxy', id(i)), access503, access200);
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const on = analyze(bytes, true);
    const off = analyze(bytes, false);
    expect(withoutEventCount(on)).toEqual(withoutEventCount(off));
    // The 100 failed requests, the two first lines of each key and the last chatter line.
    expect(on.stats.events).toBe(103);
    expect(off.stats.events).toBe(202);
  });

  it('lets failed requests of the TEXT access log wait behind the held line too', () => {
    const lines: string[] = [ctx('key-auth', id(0)), ctx('ai-proxy', id(0))];
    for (let i = 1; i <= 100; i++) lines.push(ctx(i % 2 === 0 ? 'key-auth' : 'ai-proxy', id(i)), text503, text200);
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const on = analyze(bytes, true);
    const off = analyze(bytes, false);
    expect(withoutEventCount(on)).toEqual(withoutEventCount(off));
    expect(on.incidents.some((i) => i.cause === 'upstream-unavailable')).toBe(true);
    expect(on.stats.events).toBe(103);
    expect(off.stats.events).toBe(202);
  });

  it('takes a line for a TEXT access record only when the parser does (isTextAccessRecord, property)', () => {
    const field = fc.oneof(
      fc.constantFrom('-', '"-"', '503', '200', 'UF', '"GET /a HTTP/1.1"', '""', '"a b"', '"x', 'y"', '\\"q\\"', 'é', '\t', 'outbound|80||s'),
      fc.stringMatching(/^[ -~]{0,12}$/),
    );
    const head = fc.constantFrom('[2026-05-20T08:15:44.000Z] "', '[2026-05-20T08:15:44Z] "', '[2026-05-20 08:15:44.000] "', '[2026-05-20T08:15:44.000Z] ', '[2026-05-20T08:15:44.000Z]"');
    let agreed = 0;
    fc.assert(
      fc.property(head, fc.array(field, { minLength: 0, maxLength: 30 }), fc.constantFrom(' ', '  ', '\t'), (h, fields, sep) => {
        const text = h + fields.join(sep);
        const b = Buffer.from(text);
        const mine = isTextAccessRecord(b, 0, b.length);
        const parsed = parseHeader(text)?.layout === 'access-text';
        // Never a record the parser does not read as one (the converse may fail: then it is not sure).
        if (mine) expect(parsed, text).toBe(true);
        if (mine === parsed) agreed++;
      }),
      { seed: 5, numRuns: 3000 },
    );
    expect(agreed).toBeGreaterThan(2000);
    expect(isTextAccessRecord(Buffer.from(text503), 0, text503.length)).toBe(true);
    expect(isTextAccessRecord(Buffer.from(text200.slice(0, 120)), 0, 120)).toBe(false);
  });

  it('knows which 4-byte needles an access line needs to read plugin activity', () => {
    const needles = accessNeedles(catalog, CAUSES_READING_PLUGIN_ACTIVITY)!.map((n) => Buffer.from(n).toString('latin1'));
    expect(needles.length).toBeGreaterThan(0);
    expect(needles).toContain('wasm');
    // Each literal of each pattern that may give such a finding on an access line holds one.
    for (const p of catalog.patterns) {
      const reads = (c: string): boolean => (CAUSES_READING_PLUGIN_ACTIVITY as readonly string[]).includes(c);
      if (p.spec.role === 'context' || !(reads(p.spec.cause) || p.rules.some((r) => reads(r.cause)))) continue;
      if (p.layouts && !p.layouts.has('access-json')) continue;
      for (const l of p.literals) expect(needles.some((n) => l.includes(n)), `${p.id}: ${l}`).toBe(true);
    }
    // None is in the keys every access line has.
    for (const n of needles) expect(access200.includes(n), n).toBe(false);
  });

  it('changes nothing but the event count on every sample and corpus log', () => {
    const files = [
      ...readdirSync('samples').filter((f) => f.endsWith('.log')).map((f) => join('samples', f)),
      ...readdirSync(join('test', 'corpus')).filter((f) => f.endsWith('.log')).map((f) => join('test', 'corpus', f)),
    ];
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const bytes = readFileSync(f);
      expect(withoutEventCount(analyze(bytes, true)), f).toEqual(withoutEventCount(analyze(bytes, false)));
    }
  });

  it('block contract: the lane changes nothing but the event count on mixes of chatter, faults, blocks and continuations (property)', () => {
    const pool = [
      ...['key-auth', 'ai-proxy', 'cors'].flatMap((p) => [ctx(p, 'f7f01391-8b4a-4c79-987e-0a055dc3f680'), ctx(p, '0a0b0c0d-1111-2222-3333-444444444444', 62)]),
      fetching('jwt-auth'),
      fetching('key-auth'),
      access200,
      access503,
      text200,
      text503,
      textFailStream,
      text503.slice(0, 100),
      text503.replace('UF,URX', 'UF\\,URX'),
      text503.replace('"curl/8.5.0"', '"curl/8.5.0 é"'),
      '[2026-05-20 08:15:44.031][61][info][main] [source/server/server.cc:1] starting',
      '[2026-05-20 08:15:44.031][61][warning][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log higress-system.ai-proxy-1.0.0: [ai-proxy] [nil] [nil] parse config failed: need config',
      '[2026-05-20 08:15:44.031][61][error][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log higress-system.key-auth-1.0.0: panic: ',
      '[2026-05-20 08:15:44.031][61][error][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log higress-system.key-auth-1.0.0: runtime error: index out of range',
      '[2026-05-20 08:15:44.031][61][critical][backtrace] [./source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0',
      '[2026-05-20 08:15:44.031][61][critical][backtrace] [./source/server/backtrace.h:96] #0: __restore_rt [0x7f1c3e1f2520]',
      '2026-05-20T08:15:42.517302Z\terror\twasm\terror in applying failopen rbac config: 2 errors occurred:',
      '\t* cannot fetch Wasm module http://h:8002/plugins/key-auth/1.0.0/plugin.wasm: wasm module download request failed: status code 404',
      '  continuation of something',
      'Envoy may have been out of memory killed. Check memory usage and limits.',
      '2026-05-20T08:15:42.517302Z\terror\tEnvoy exited with error: signal: killed',
      '[2026-05-20 08:15:44.031][61][warning][config] [source/extensions/config_subscription/grpc/grpc_stream.h:193] DeltaAggregatedResources gRPC config stream to xds-grpc closed: 14, connection refused',
      // Lines that read plugin activity, and block shapes the lane must not cut into.
      accessFailStream,
      access503.slice(0, -20),
      accessFailStream.replace('wasm_fail_stream', '\\u0077asm_fail_stream'),
      '[2026-05-20 08:15:44.031][61][critical][wasm] [external/envoy/source/extensions/common/wasm/wasm_vm.cc:38] Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable',
      '2026-05-20T08:15:42.517302Z\tcritical\tenvoy backtrace external/envoy/source/server/backtrace.h:104\tCaught Segmentation fault, suspect faulting address 0x0\tthread=21',
      'Caught Segmentation fault, suspect faulting address 0x0',
      '#1: Envoy::SignalAction::sigHandler() [0x55d5c0e3a1b2]',
      '    [2026-05-20 08:15:44.031][61][critical][backtrace] [./source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0',
      '',
      '  failed: index out of range',
      '[2026-05-20 08:15:44.031][61][info][config] [source/common/config/utility.cc:1] dump:',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 300 }), fc.integer({ min: 7, max: 4096 }), (picked, chunk) => {
        const bytes = Buffer.from(picked.join('\n') + '\n');
        expect(withoutEventCount(analyze(bytes, true, chunk))).toEqual(withoutEventCount(analyze(bytes, false)));
      }),
      { seed: 21, numRuns: 400 },
    );
    // The same mixes as `kubectl logs --timestamps` prints them: every line, or some, behind the collector's time
    // (with the zone spelt both ways; the lane reads past it, the assembler peels it).
    const stamp = fc.constantFrom('2026-05-20T08:15:44.123456789Z ', '2026-05-20T08:15:44Z ', '2026-05-20T16:15:44.1+08:00 ', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(stamp, fc.constantFrom(...pool)), { minLength: 1, maxLength: 300 }), fc.integer({ min: 7, max: 4096 }), (picked, chunk) => {
        const bytes = Buffer.from(picked.map(([t, l]) => t + l).join('\n') + '\n');
        expect(withoutEventCount(analyze(bytes, true, chunk))).toEqual(withoutEventCount(analyze(bytes, false)));
      }),
      { seed: 22, numRuns: 300 },
    );
  }, 120_000); // CPU-bound: 25 s on two cores shared with three other test runs, past the 30 s default under more

  it('reads past the time kubectl --timestamps puts first: the same chatter is held', () => {
    const lines: string[] = [ctx('key-auth', id(0)), ctx('ai-proxy', id(0))];
    for (let i = 1; i <= 100; i++) lines.push(ctx(i % 2 === 0 ? 'key-auth' : 'ai-proxy', id(i)), access503, text503, access200);
    const wrapped = lines.map((l, i) => `2026-05-20T08:15:${String(i % 60).padStart(2, '0')}.123456789Z ${l}`);
    const bytes = Buffer.from(wrapped.join('\n') + '\n');
    const on = analyze(bytes, true);
    const off = analyze(bytes, false);
    expect(withoutEventCount(on)).toEqual(withoutEventCount(off));
    expect(on.stats.events).toBe(203);
    expect(off.stats.events).toBe(302);
    // A held line is handed on whole: the assembler still finds the collector's time on it.
    const wrappers = new Set<string>();
    const p = new Pipeline(catalog, { contextLane: true, onEvent: (e) => wrappers.add(String(e.wrapper)) });
    p.beginInput('x.log');
    p.push(bytes);
    p.endInput();
    expect([...wrappers]).toEqual(['kubectl-timestamps']);
  });
});
