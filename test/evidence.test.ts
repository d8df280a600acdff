// Evidence as the text report and tail show it (issue 15, part 1): the message part of each line, a short time on
// the report's clock, access-log entries as `code flags cluster details`, same messages folded, long ones wrapped
// under an indent instead of cut. Markdown and JSON keep the full lines (checked in markdown.test.ts / here).
import { describe, expect, it } from 'vitest';
import type { ClockInfo } from '../src/model.js';
import { evidenceRows, shortLine, wrapLine } from '../src/report/evidence.js';
import { runCli } from './helpers/cli.js';

const SHANGHAI: ClockInfo = { zone: '+08:00', localOffset: '+08:00', source: 'inferred', basis: 'x' };
const UNKNOWN: ClockInfo = { zone: null, localOffset: null, source: 'unknown', basis: 'x' };

describe('the telling part of a line', () => {
  it('drops the header of every Envoy and Istio layout, keeping the message', () => {
    const cases: Array<[string, string]> = [
      [
        '[2026-05-20 16:07:50.890][262][critical][backtrace] [external/envoy/source/server/backtrace.h:127] Caught Segmentation fault, suspect faulting address 0x0',
        'Caught Segmentation fault, suspect faulting address 0x0',
      ],
      [
        '2025-06-03T02:11:09.512844Z\terror\tenvoy wasm external/envoy/source/extensions/common/wasm/wasm_vm.cc:41\tFailed to load Wasm module due to a missing import: wasi_snapshot_preview1.sock_accept\tthread=61',
        'Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.sock_accept',
      ],
      ['[Envoy (Epoch 0)] [2024-03-11 06:40:02.118][39][warning][wasm] wasm log higress-system.key-auth-1.0.0: [key-auth] no consumer matched', 'wasm log higress-system.key-auth-1.0.0: [key-auth] no consumer matched'],
      ['2026-05-20T08:07:51.026674Z\terror\tEnvoy exited with error: signal: segmentation fault', 'Envoy exited with error: signal: segmentation fault'],
      ['2026-05-20T07:59:03.009108Z\terror\twasm\terror in applying failopen rbac config: 3 errors occurred:', 'error in applying failopen rbac config: 3 errors occurred:'],
      ['\t* cannot fetch Wasm module http://h/p.wasm: status code 404', '* cannot fetch Wasm module http://h/p.wasm: status code 404'],
      ['2026-05-20 10:20:02,991 INFO spawned: \'gateway\' with pid 4242', "spawned: 'gateway' with pid 4242"],
    ];
    for (const [line, text] of cases) expect(shortLine(line).text, line).toBe(text);
  });
  it('shows an access-log entry as code, flags, cluster and details (the transport failure when details lack it)', () => {
    const json =
      '{"ai_log":"-","authority":"api.demo.internal","bytes_received":"0","bytes_sent":"190","downstream_local_address":"10.244.1.37:80","downstream_remote_address":"10.244.0.1:5000","duration":"12","istio_policy_status":"-","method":"GET","path":"/v1/invoices","protocol":"HTTP/1.1","request_id":"r","requested_server_name":"-","response_code":"503","response_flags":"UF","route_name":"billing","start_time":"2026-04-11T11:29:23.674Z","trace_id":"-","upstream_cluster":"outbound|443||billing.finance.example.com.dns","upstream_host":"10.0.0.9:443","upstream_local_address":"-","upstream_service_time":"-","upstream_transport_failure_reason":"TLS_error:_CERTIFICATE_VERIFY_FAILED","user_agent":"curl","x_forwarded_for":"-","response_code_details":"upstream_reset_before_response_started{connection_failure}"}';
    const s = shortLine(json, SHANGHAI);
    expect(s.text).toBe('503 UF outbound|443||billing.finance.example.com.dns upstream_reset_before_response_started{connection_failure} TLS_error:_CERTIFICATE_VERIFY_FAILED');
    // The access log prints UTC: shown on the report's clock.
    expect(s.time).toBe('19:29:23');
    const text = '[2026-05-20T08:20:31.114Z] "GET /api HTTP/1.1" 503 UH no_healthy_upstream - "-" 0 19 0 - "-" "curl" "id" "api.demo" "-" outbound|8080||order.svc - 10.0.0.1:80 10.0.0.2:5000 - -';
    expect(shortLine(text).text).toBe('503 UH outbound|8080||order.svc no_healthy_upstream');
  });
  it('a short time on the report clock: local times as printed, UTC converted; with the offset unknown, UTC keeps its Z', () => {
    const envoy = '[2026-05-20 16:07:50.890][262][critical][backtrace] Caught Segmentation fault';
    const agent = '2026-05-20T08:07:51.026674Z\terror\tEnvoy exited with error: signal: segmentation fault';
    expect(shortLine(envoy, SHANGHAI).time).toBe('16:07:50');
    expect(shortLine(agent, SHANGHAI).time).toBe('16:07:51');
    expect(shortLine(agent, UNKNOWN).time).toBe('08:07:51Z');
    expect(shortLine(envoy, UNKNOWN).time).toBe('16:07:50');
    expect(shortLine('\t* a bullet').time).toBeNull();
  });
  it("shows Higress' escaped newlines of a Wasm VM message as ↵, spaces folded", () => {
    const trap =
      '2025-08-06T17:29:15.252605Z\twarning\tenvoy wasm external/envoy/source/extensions/common/wasm/wasm_vm.cc:38\tFunction: proxy_on_response_body failed: Uncaught RuntimeError: memory access out of bounds\\nProxy-Wasm plugin in-VM backtrace:\\n  0:  0x2b9a1 - runtime.alloc\tthread=21';
    expect(shortLine(trap).text).toBe('Function: proxy_on_response_body failed: Uncaught RuntimeError: memory access out of bounds ↵ Proxy-Wasm plugin in-VM backtrace: ↵ 0: 0x2b9a1 - runtime.alloc');
  });
  it('finds the header behind a collector wrapper left on the line, and strips escape sequences', () => {
    expect(shortLine('2025-12-02T09:15:09.122419579Z 2025-12-02T09:15:09.121765Z\terror\twasm\tconvert the wasm config: 2 errors occurred:').text).toBe(
      'convert the wasm config: 2 errors occurred:',
    );
    const evil = shortLine('[2026-05-20 16:07:50.890][1][error][wasm] bad \x1b]0;pwned\x07thing \x1b[31mred\x1b[0m');
    expect(evil.text).toBe('bad thing red');
    expect(evil.text).not.toMatch(/\x1b/);
  });
});

describe('rows and wrapping', () => {
  it('folds lines whose message reads the same into the first, with the time of the last', () => {
    const line = (n: number, time: string) => ({ input: 'gw.log', line: n, text: `[2026-05-20 ${time}.000][1][warning][upstream] same words` });
    const rows = evidenceRows([line(3, '10:00:00'), { input: 'gw.log', line: 4, text: '\t* other' }, line(9, '10:05:00'), line(12, '10:09:00')]);
    expect(rows.map((r) => [r.line, r.text, r.same.map((e) => e.line), r.lastTime])).toEqual([
      [3, 'same words', [9, 12], '10:09:00'],
      [4, '* other', [], null],
    ]);
  });
  it('wraps at spaces under a narrower first line, cuts words longer than a line at punctuation, and says what it left out', () => {
    expect(wrapLine('aaa bbb ccc ddd', 7, 10, 10)).toEqual(['aaa bbb', 'ccc ddd']);
    const url = 'x outbound|443||billing.finance.example.com.dns';
    const parts = wrapLine(url, 10, 20, 10);
    expect(parts.join('')).toBe(url);
    for (const [i, p] of parts.entries()) expect([...p].length).toBeLessThanOrEqual(i === 0 ? 10 : 20);
    // Prose keeps a command whole on its own line.
    expect(wrapLine('run higress-doctor check url http://a.example/very/long/path/plugin.wasm now', 20, 20, 10, false)).toEqual([
      'run higress-doctor',
      'check url',
      'http://a.example/very/long/path/plugin.wasm',
      'now',
    ]);
    const long = wrapLine('word '.repeat(100).trim(), 20, 20, 3);
    expect(long).toHaveLength(3);
    expect(long[2]).toMatch(/^… [\d,]+ more characters \(--format json has the whole line\)$/);
    for (const l of wrapLine('日本語のログ 文字列 '.repeat(10), 8, 8, 100)) expect([...l].length).toBeLessThanOrEqual(8);
  });
});

describe('the text report', () => {
  it('shows the message part of each evidence line with input:line and a short time; JSON and Markdown keep the full lines', () => {
    for (const columns of ['80', '200']) {
      const r = runCli(['analyze', 'samples/tls-certificate-upstream-verify.log'], { env: { COLUMNS: columns } });
      const out = r.stdout;
      expect(out).not.toContain('{"ai_log"');
      expect(out).toMatch(/tls-certificate-upstream-verify\.log:25 {2}11:29:23\s+503 UF/);
      expect(out.replace(/\n {9}/g, '')).toContain('CERTIFICATE_VERIFY_FAILED');
      expect(out).toMatch(/same message on lines 26, 28, 29, 30, 32, 33, 34/);
      // Only a command or URL longer than a line may stand out (whole, so that a copy of it works).
      for (const l of out.split('\n')) if (/\S \S/.test(l.trim())) expect([...l].length, l).toBeLessThanOrEqual(Number(columns));
    }
    const json = JSON.parse(runCli(['analyze', 'samples/tls-certificate-upstream-verify.log', '--format', 'json']).stdout);
    expect(json.incidents[0].evidence[0].text).toMatch(/^\{"ai_log":"-"/);
    const md = runCli(['analyze', 'samples/tls-certificate-upstream-verify.log', '--format', 'markdown']).stdout;
    expect(md).toMatch(/tls-certificate-upstream-verify\.log:25: \{"ai_log":"-"/);
  });
  it('keeps what proves the diagnosis on screen at 80 columns (the status code, connection refused)', () => {
    const fetch = runCli(['analyze', 'samples/wasm-fetch-bad-address-plugin-server-404.log'], { env: { COLUMNS: '80' } }).stdout;
    expect(fetch).toMatch(/^ {5}wasm-fetch-bad-address-plugin-server-404\.log:24 {2}09:15:09\n {9}convert the wasm config: 2 errors occurred:$/m);
    expect(fetch.replace(/\n {9}/g, ' ')).toMatch(/\* cannot fetch Wasm module [^\n]+ wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404/);
    const xds = runCli(['analyze', 'samples/xds-disconnected-pilot-down.log'], { env: { COLUMNS: '80' } }).stdout;
    expect(xds.replace(/\n {9}/g, ' ')).toMatch(/connect: connection refused"/);
  });
});
