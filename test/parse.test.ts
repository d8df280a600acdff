// Lines → records → events: layouts, wrappers, multi-line blocks and their end rules.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { accessTextTokens, parseHeader, useFlatRecords } from '../src/parse/layouts.js';
import { jsonEnvelope, Unwrapper } from '../src/parse/wrappers.js';
import { Assembler, MAX_RECORD_LINES } from '../src/parse/assemble.js';
import { LineScanner } from '../src/lines/scanner.js';
import type { LogEvent } from '../src/model.js';

function events(text: string, noPrefilter = false): { events: LogEvent[]; asm: Assembler } {
  const out: LogEvent[] = [];
  const asm = new Assembler((e) => out.push(e));
  asm.beginInput('t.log');
  const sc = new LineScanner(asm, { noPrefilter });
  sc.push(Buffer.from(text));
  sc.end();
  asm.flush();
  return { events: out, asm };
}

describe('layouts', () => {
  it('reads Envoy L1 with source location', () => {
    const h = parseHeader('[2026-05-20 08:15:44.031][61][warning][config] [external/envoy/source/x.cc:296] delta config for T rejected: boom')!;
    expect(h).toMatchObject({ layout: 'envoy', level: 'warning', logger: 'config', thread: '61', time: '2026-05-20 08:15:44.031', message: 'delta config for T rejected: boom' });
  });
  it('reads L1 that lost its timestamp and thread (pasted)', () => {
    const h = parseHeader('[error][wasm] [external/envoy/source/extensions/common/wasm/wasm_vm.cc:38] Failed to load')!;
    expect(h).toMatchObject({ layout: 'envoy', level: 'error', logger: 'wasm', message: 'Failed to load', time: null });
  });
  it('reads L3 with the Epoch prefix', () => {
    const h = parseHeader('[Envoy (Epoch 0)] [2024-03-11 06:40:02.118][39][warning][wasm] wasm log x: y')!;
    expect(h).toMatchObject({ layout: 'envoy-epoch', level: 'warning', logger: 'wasm', message: 'wasm log x: y' });
  });
  it('reads L2 with location and thread, and without location, and with TABs turned to spaces', () => {
    expect(parseHeader('2025-06-03T02:11:09.512844Z\terror\tenvoy wasm external/envoy/source/extensions/common/wasm/wasm_vm.cc:41\tFailed X\tthread=27')).toMatchObject({
      layout: 'envoy-istio', level: 'error', logger: 'wasm', thread: '27', message: 'Failed X', closed: true,
    });
    expect(parseHeader('2022-05-18T10:18:02.435367Z\terror\tenvoy wasm\tFailed Y')).toMatchObject({ layout: 'envoy-istio', logger: 'wasm', message: 'Failed Y', closed: false });
    expect(parseHeader('2020-08-06T04:28:28.400765Z     critical        envoy assert    panic: out of memory')).toMatchObject({
      layout: 'envoy-istio', level: 'critical', logger: 'assert', message: 'panic: out of memory',
    });
  });
  it('reads Istio Go lines with and without a scope, warn → warning', () => {
    expect(parseHeader('2026-05-20T08:15:42.517302Z\terror\twasm\terror in applying failopen rbac config: x')).toMatchObject({ layout: 'istio-go', level: 'error', logger: 'wasm', message: 'error in applying failopen rbac config: x' });
    expect(parseHeader('2026-05-20T10:20:01.000211Z\twarn\tEnvoy may have been out of memory killed.')).toMatchObject({ layout: 'istio-go', level: 'warning', logger: null });
    expect(parseHeader('2025-02-18T02:38:22.639059Z     info    ads     All caches have been synced')).toMatchObject({ logger: 'ads', message: 'All caches have been synced' });
  });
  it('reads Istio JSON lines and the Higress access log', () => {
    expect(parseHeader('{"level":"error","time":"2026-05-20T08:15:42.517302Z","scope":"wasm","msg":"boom"}')).toMatchObject({ layout: 'istio-json', level: 'error', logger: 'wasm', message: 'boom' });
    const a = parseHeader('{"ai_log":"-","authority":"api.example.com","response_code":"503","response_flags":"UH","upstream_cluster":"outbound|443||llm.dns","upstream_host":"-","response_code_details":"no_healthy_upstream","start_time":"2026-05-20T08:20:31.114Z"}')!;
    expect(a.layout).toBe('access-json');
    expect(a.level).toBe('error');
    expect(a.message).toContain('access 503 flags=UH details=no_healthy_upstream cluster=outbound|443||llm.dns');
  });
  it("reads Istio's TEXT access log", () => {
    const a = parseHeader('[2026-05-20T08:20:31.114Z] "GET /v1/models HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure} - "delayed_connect_error:_111" 0 91 1 - "-" "curl/8" "req-1" "api.example.com" "10.0.3.17:8080" outbound|8080||svc.default.svc.cluster.local - 172.17.0.2:8080 172.17.0.1:51844 - default')!;
    expect(a).toMatchObject({ layout: 'access-text', level: 'error' });
    expect(a.access).toMatchObject({ code: '503', flags: 'UF', cluster: 'outbound|8080||svc.default.svc.cluster.local', upstreamHost: '10.0.3.17:8080' });
  });
  it('reads supervisord, klog, script echo lines and raw blocks', () => {
    expect(parseHeader('2026-05-20 10:20:01,512 INFO exited: gateway (exit status 0; expected)')).toMatchObject({ layout: 'supervisord', level: 'info' });
    expect(parseHeader('E0520 08:14:58.201337     57 reflector.go:166] failed to list *v1.Secret')).toMatchObject({ layout: 'klog', level: 'error' });
    expect(parseHeader('Checking the readiness of Higress Pilot...')).toMatchObject({ layout: 'script' });
    expect(parseHeader('panic: runtime error: invalid memory address')).toMatchObject({ layout: 'raw', rawKind: 'go-panic', level: 'critical' });
    expect(parseHeader('# Fatal process out of memory: Zone')).toMatchObject({ rawKind: 'v8' });
    expect(parseHeader('just some text')).toBeNull();
  });
});

describe('wrappers', () => {
  it('unwraps docker json-file, joining partial pieces', () => {
    const u = new Unwrapper();
    expect(u.unwrap('{"log":"2026-05-20T10:20:01.000245Z\\terror\\tEnvoy exited\\n","stream":"stdout","time":"2026-05-20T10:20:01Z"}')).toEqual({ text: '2026-05-20T10:20:01.000245Z\terror\tEnvoy exited', wrapper: 'docker-json' });
    expect(u.unwrap('{"log":"part one ","stream":"stdout","time":"x"}').text).toBeNull();
    expect(u.unwrap('{"log":"part two\\n","stream":"stdout","time":"x"}')).toEqual({ text: 'part one part two', wrapper: 'docker-json' });
  });
  it('unwraps CRI (with P pieces), kubectl --timestamps, --prefix and compose', () => {
    const u = new Unwrapper();
    expect(u.unwrap('2026-05-20T10:20:01.000245678Z stderr P [2026-05-20 10:20:01.000][1][error]').text).toBeNull();
    expect(u.unwrap('2026-05-20T10:20:01.000245678Z stderr F [wasm] hello')).toEqual({ text: '[2026-05-20 10:20:01.000][1][error][wasm] hello', wrapper: 'cri' });
    expect(u.unwrap('2026-05-20T10:20:01.123456789Z [2026-05-20 10:20:01.000][1][error][wasm] hi')).toEqual({ text: '[2026-05-20 10:20:01.000][1][error][wasm] hi', wrapper: 'kubectl-timestamps' });
    expect(u.unwrap('[pod/higress-gateway-6f7c9d8b5-x2k4p/higress-gateway] 2026-05-20T10:20:01.000245Z\terror\tx')).toEqual({ text: '2026-05-20T10:20:01.000245Z\terror\tx', wrapper: 'kubectl-prefix' });
    expect(u.unwrap('higress  | Mode=full')).toEqual({ text: 'Mode=full', wrapper: 'compose' });
  });
  it('unwraps a kubectl --timestamps line that starts with a TAB (a multi-error bullet)', () => {
    const { events: ev } = events(
      '2025-12-02T09:15:09.122419579Z 2025-12-02T09:15:09.121765Z\terror\twasm\tconvert the wasm config: 1 error occurred:\n2025-12-02T09:15:09.122421957Z \t* cannot fetch Wasm module http://h/p.wasm: status code 404\n2025-12-02T09:15:09.122425537Z \n',
      true,
    );
    expect(ev).toHaveLength(1);
    expect(ev[0]!.time).toBe('2025-12-02T09:15:09.121765Z');
    expect(ev[0]!.message.split('\n')[1]).toBe('\t* cannot fetch Wasm module http://h/p.wasm: status code 404');
  });
  it('peels a markdown quote from every line, so blocks behind it stay blocks', () => {
    const u = new Unwrapper();
    expect(u.unwrap('> [2026-05-20 10:20:01.000][1][error][wasm] hello')).toEqual({ text: '[2026-05-20 10:20:01.000][1][error][wasm] hello', wrapper: 'quote' });
    expect(u.unwrap('>#')).toEqual({ text: '#', wrapper: 'quote' });
    expect(u.unwrap('> > x').text).toBe('x');
    const block = ['#', '# Fatal error in , line 0', '# Check failed: 12 == (*__errno_location ()).', '#'];
    const quoted = events(block.map((l) => `> ${l}`).join('\n') + '\n').events;
    const plain = events(block.join('\n') + '\n').events;
    expect(quoted.map((e) => [e.layout, e.lines.length, e.message])).toEqual(plain.map((e) => [e.layout, e.lines.length, e.message]));
  });
  it("peels journalctl's prefix from gateway lines only; the host's own lines in the journal stay syslog lines", () => {
    const u = new Unwrapper();
    const j = 'Dec 07 11:02:03 node-1 higress-gateway[2214]: ';
    for (const inner of [
      '[2026-05-20 10:20:01.000][1][error][wasm] hello',
      '[Envoy (Epoch 0)] [2026-05-20 10:20:01.000][1][error][wasm] hello',
      '2026-05-20T10:20:01.000245Z\terror\twasm\tconvert the wasm config: 1 error occurred:',
      '\t* cannot fetch Wasm module http://h/p.wasm: status code 404',
      '{"level":"error","msg":"x"}',
    ]) expect(u.unwrap(j + inner)).toEqual({ text: inner, wrapper: 'journald' });
    expect(u.unwrap('Dec  7 11:02:03 node-1 3f2a9c1b7e44: [2026-05-20 10:20:01.000][1][info][main] x').wrapper).toBe('journald');
    // The kernel's OOM report and other host lines are left to the syslog layout.
    const kernel = 'Dec 07 11:02:04 node-1 kernel: Out of memory: Killed process 2214 (envoy) total-vm:2097152kB';
    expect(u.unwrap(kernel)).toEqual({ text: kernel, wrapper: null });
    expect(events(`${kernel}\n`).events[0]!.layout).toBe('syslog');
    const { events: ev } = events(`${j}2025-12-02T09:15:09.121765Z\terror\twasm\tconvert the wasm config: 1 error occurred:\n${j}\t* cannot fetch Wasm module http://h/p.wasm: status code 404\n`);
    expect(ev).toHaveLength(1);
    expect(ev[0]!.layout).toBe('istio-go');
    expect(ev[0]!.message.split('\n')[1]).toBe('\t* cannot fetch Wasm module http://h/p.wasm: status code 404');
  });
  it("peels a host's own time and a multi-pod viewer's pod and container names before a gateway line, and nothing else", () => {
    const u = new Unwrapper();
    const t = '2025-11-25 13:12:28.243537256  ';
    for (const inner of [
      '2025-11-25T05:12:28.359586Z\terror\twasm\tconvert the wasm config: 3 errors occurred:',
      '\t* cannot fetch Wasm module http://localhost:8080/p/2.0.0/plugin.wasm: wasm module download request failed: status code 404',
      '[2026-05-20 10:20:01.000][1][error][wasm] hello',
      '{"level":"error","msg":"x"}',
    ]) expect(u.unwrap(t + inner)).toEqual({ text: inner, wrapper: 'host-time' });
    // supervisord's and Spring's own times, then a level word: their lines, not a prefix.
    for (const own of ['2026-05-20 08:15:44,123 INFO spawned: \'envoy\' with pid 12', '2026-05-20 08:15:44.123 ERROR 1 --- [main] o.s.Boot : failed'])
      expect(u.unwrap(own)).toEqual({ text: own, wrapper: null });
    const pc = 'istio-pilot-7d9f8b-x2k4p discovery ';
    for (const inner of [
      '2019-08-21T14:00:54.823655Z\tinfo\tads\tADS: "172.24.110.134:36838" terminated',
      '[2026-05-20 10:20:01.000][1][error][wasm] hello',
      '[2026-05-20T08:20:31.114Z] "GET /v1/models HTTP/1.1" 503 UH no_healthy_upstream - "-" 0 19 0 - "-" "curl" "r" "a" "-" outbound|80||svc - - - - -',
    ]) expect(u.unwrap(pc + inner)).toEqual({ text: inner, wrapper: 'pod-container' });
    // Pod names before a gateway process's raw output (a crash block, a Go panic) are learnt from it too.
    const raw = new Unwrapper();
    expect(raw.unwrap(`${pc}Caught Segmentation fault, suspect faulting address 0x0`)).toEqual({ text: 'Caught Segmentation fault, suspect faulting address 0x0', wrapper: 'pod-container' });
    expect(raw.unwrap(`${pc}Backtrace (use tools/stack_decode.py to get line numbers):`).wrapper).toBe('pod-container');
    expect(new Unwrapper().unwrap(`${pc}#3  Envoy::SignalAction::sigHandler`).text).toBe('#3  Envoy::SignalAction::sigHandler');
    expect(new Unwrapper().unwrap('the gateway crashed: see panic: below').wrapper).toBe(null);
    // The container's name alone, before a gateway line; then before every line it starts.
    const c = new Unwrapper();
    expect(c.unwrap('istio-proxy {"level":"error", "msg":"Function: proxy_on_log failed: Uncaught RuntimeError: unreachable", "scope":"envoy wasm"}')).toEqual({
      text: '{"level":"error", "msg":"Function: proxy_on_log failed: Uncaught RuntimeError: unreachable", "scope":"envoy wasm"}',
      wrapper: 'pod-container',
    });
    expect(c.unwrap('istio-proxy Proxy-Wasm plugin in-VM backtrace:')).toEqual({ text: 'Proxy-Wasm plugin in-VM backtrace:', wrapper: 'pod-container' });
    // A word before what is no gateway header stays: `payload {a: 1}`, `envoy exited`.
    for (const own of ['payload {a: 1}', 'envoy exited with code 1']) expect(new Unwrapper().unwrap(own)).toEqual({ text: own, wrapper: null });
    // A log store's CSV export: the longest field beside the time, its doubled quotes single again.
    const csv = new Unwrapper();
    expect(csv.unwrap('"2023-05-03T07:00:41.216Z","""istio-proxy""","#1: Envoy::Http::TypedHeaderMapImpl<>::get() [0x561313e8f5d2]"')).toEqual({ text: '#1: Envoy::Http::TypedHeaderMapImpl<>::get() [0x561313e8f5d2]', wrapper: 'csv' });
    expect(csv.unwrap('"2026-05-20T08:15:44Z","{""level"":""error"",""msg"":""x""}"')).toEqual({ text: '{"level":"error","msg":"x"}', wrapper: 'csv' });
    // Without a time field, or with two long fields, it is somebody's CSV, not a log export; an untimed access line stays.
    for (const own of ['"a","b"', '"2026-05-20T08:15:44Z","a long first field of some other table here","and a long second field beside it, not a label"', '"GET /v1/models HTTP/1.1" 503 UH no_healthy_upstream - "-" 0 19 0 - "-"'])
      expect(csv.unwrap(own)).toEqual({ text: own, wrapper: null });
    // Loki's labels after logcli's time; a JSON object or a brace of anything else stays.
    const loki = new Unwrapper();
    expect(loki.unwrap('2026-05-20T16:15:44+08:00 {container="envoy", app="a \\"b\\""} [2026-05-20 10:20:01.000][1][error][wasm] hello')).toEqual({ text: '[2026-05-20 10:20:01.000][1][error][wasm] hello', wrapper: 'kubectl-timestamps' });
    for (const own of ['{"level":"error","msg":"x"}', '{container=envoy} x', '{ "a": 1 }']) expect(loki.unwrap(own).text).toBe(own);
    // Two words before a date in a sentence are the sentence's own: no level follows the time.
    const sentence = 'failed since 2024-01-01T12:00:00Z connection refused';
    expect(u.unwrap(sentence)).toEqual({ text: sentence, wrapper: null });
    // A multi-error list behind the host's time is one record of the Istio layout, its bullets in it.
    const { events: ev } = events(`${t}2025-11-25T05:12:28.359586Z\terror\twasm\tconvert the wasm config: 1 error occurred:\n${t}\t* cannot fetch Wasm module http://h/p.wasm: status code 404\n`);
    expect(ev.map((e) => [e.layout, e.level, e.lines.length])).toEqual([['istio-go', 'error', 2]]);
    // Once a line began with such a time, it is peeled before raw lines too (a crash block keeps its block); the first
    // raw line in that shape is left as it is, and a supervisord line is never peeled.
    const later = new Unwrapper();
    expect(later.unwrap(`${t}Caught Segmentation fault, suspect faulting address 0x0`).wrapper).toBe(null);
    expect(later.unwrap(`${t}#0: __restore_rt [0x7f2c1e0a3420]`)).toEqual({ text: '#0: __restore_rt [0x7f2c1e0a3420]', wrapper: 'host-time' });
    expect(later.unwrap('2026-05-20 08:15:44,123 INFO exited: envoy (terminated by SIGSEGV)').wrapper).toBe(null);
    const block = [
      '[2026-05-20 10:20:01.000][14][critical][backtrace] [./source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0',
      'Backtrace (use tools/stack_decode.py to get line numbers):',
      '#0: __restore_rt [0x7f2c1e0a3420]',
      '#1: proxy_wasm::ContextBase::onResponseHeaders() [0x55d6c2b1c2a0]',
    ];
    const plain = events(block.join('\n') + '\n').events;
    const behind = events(block.map((l) => t + l).join('\n') + '\n').events;
    expect(behind.map((e) => [e.layout, e.kind, e.lines.length])).toEqual(plain.map((e) => [e.layout, e.kind, e.lines.length]));
  });
  it("peels journalctl's prefix from whatever a gateway's unit or container writes: a raw crash block keeps its block", () => {
    const u = new Unwrapper();
    const j = 'Dec 07 11:02:03 node-1 envoy[2214]: ';
    for (const inner of ['Caught Segmentation fault, suspect faulting address 0x0', '#0: __restore_rt [0x7f2c1e0a3420]', 'Checking the readiness of Higress Pilot...', 'panic: runtime error: invalid memory address or nil pointer dereference'])
      expect(u.unwrap(j + inner)).toEqual({ text: inner, wrapper: 'journald' });
    // The host's own programs keep the syslog layout, whatever their line says.
    for (const host of ['Dec 07 11:02:04 node-1 systemd[1]: higress.service: Main process exited, code=killed, status=9/KILL', 'Dec 07 11:02:04 node-1 kubelet[901]: Killing container with id envoy'])
      expect(u.unwrap(host)).toEqual({ text: host, wrapper: null });
    const block = [
      '[2026-05-20 10:20:01.000][14][critical][backtrace] [./source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0',
      'Backtrace (use tools/stack_decode.py to get line numbers):',
      'Envoy version: 0a1b2c3d/1.27.3/Clean/RELEASE/BoringSSL',
      '#0: __restore_rt [0x7f2c1e0a3420]',
      '#1: proxy_wasm::ContextBase::onResponseHeaders() [0x55d6c2b1c2a0]',
    ];
    const plain = events(block.join('\n') + '\n').events;
    const behind = events(block.map((l) => j + l).join('\n') + '\n').events;
    expect(plain).toHaveLength(1);
    expect(behind.map((e) => [e.layout, e.kind, e.lines.length, e.message])).toEqual(plain.map((e) => [e.layout, e.kind, e.lines.length, e.message]));
  });
  it("peels a markdown table row (a log viewer's rows pasted into an issue): the line is the long cell, pipes unescaped", () => {
    const u = new Unwrapper();
    const line = '[2025-11-02T23:09:49.230Z] "GET /echo/ HTTP/2" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 95 0 - "10.0.0.1" "curl/8" "id" "echo.example.com" "10.0.0.2:80" outbound|80||echo.svc.cluster.local - 10.0.0.3:8443 10.0.0.1:41151 - -';
    const escaped = line.replace(/\|/g, '\\|');
    expect(u.unwrap(`  | ${escaped} |  `)).toEqual({ text: line, wrapper: 'table' });
    expect(u.unwrap(`| ${escaped} |`)).toEqual({ text: line, wrapper: 'table' });
    // A short time or label cell beside it.
    expect(u.unwrap(`| 2025-11-02 23:09:49.230 | ${escaped} | gateway |`)).toEqual({ text: line, wrapper: 'table' });
    // A short line beside the viewer's time column (Kibana writes `Nov 2, 2025 @ 23:09:49.230`).
    expect(u.unwrap('| 2025-11-02 23:09:49.230 | Envoy exited |').text).toBe('Envoy exited');
    expect(u.unwrap('| Nov 2, 2025 @ 23:09:49.230 | Envoy exited |').text).toBe('Envoy exited');
    // Inside a quote, indented with a list item.
    expect(u.unwrap(`   > | ${escaped} |`)).toEqual({ text: line, wrapper: 'quote' });
    // Separator rows hold nothing of the log.
    for (const sep of ['-- | -- | --', '|---|---|', '| :--- | ---: |', '  |----|  ']) expect(u.unwrap(sep).text, sep).toBeNull();
    // Not a row: a real table of two long cells, a line that only starts with a pipe, a YAML document separator.
    const table = '| the first column holds a long description of something | the second column holds another long text |';
    expect(u.unwrap(table)).toEqual({ text: table, wrapper: null });
    for (const plain of ['| starts with a pipe only', '---', '  |-- src/a.ts']) expect(u.unwrap(plain)).toEqual({ text: plain, wrapper: null });
  });
  it("reads a collector's or log store's JSON record (Fluent Bit, Kibana, journalctl -o json) as its line; a gateway's own JSON lines stay", () => {
    const envoy = '[2025-01-02 03:04:05.123][14][critical][backtrace] [./source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0';
    const record = (key: string, v: string, before = '"@timestamp":"2025-01-02T03:04:05.000Z",'): string => `{${before}${JSON.stringify(key)}:${JSON.stringify(v)},"kubernetes":{"pod_name":"higress-gateway-1"}}`;
    expect(jsonEnvelope(record('log', `${envoy}\n`))).toBe(envoy);
    expect(jsonEnvelope(record('message', envoy))).toBe(envoy);
    expect(jsonEnvelope(record('MESSAGE', `${envoy}\r\n`, '"SYSLOG_IDENTIFIER":"envoy",'))).toBe(envoy);
    // A multi-line message stays one text (its lines are the event's).
    const multi = '2025-01-02T03:04:06.123456Z\terror\twasm\tconvert the wasm config: 1 error occurred:\n\t* cannot fetch Wasm module http://h/p.wasm: status code 404';
    expect(jsonEnvelope(record('message', multi))).toBe(multi);
    // Istio's JSON lines, zap's and logrus' carry `msg`; the access log carries `response_code`: they are the log itself.
    for (const own of [
      '{"level":"error","time":"2025-01-02T03:04:05.000Z","scope":"wasm","msg":"cannot fetch Wasm module"}',
      '{"level":"error","ts":1735787045.1,"logger":"gateway-api","msg":"failed","message":"also here"}',
      '{"authority":"a","response_code":"503","response_flags":"UH","message":"x"}',
      '{"log":{"nested":"object"}}',
      '[1, 2]',
      '{"cut": "off',
    ])
      expect(jsonEnvelope(own), own).toBeNull();
    // Read as the line: a crash block whose every line is a record assembles as the plain block; an Istio line in a
    // Kibana record is an Istio event.
    const lines = [envoy, 'Backtrace (use tools/stack_decode.py to get line numbers):', 'Envoy version: 0a1b2c3d/1.27.3/Clean/RELEASE/BoringSSL', '#0: __restore_rt [0x7f2c1e0a3420]'];
    const plain = events(lines.join('\n') + '\n').events;
    const wrapped = events(lines.map((l) => record('log', `${l}\n`)).join('\n') + '\n').events;
    expect(plain).toHaveLength(1);
    expect(wrapped.map((e) => [e.layout, e.kind, e.lines.length, e.message])).toEqual(plain.map((e) => [e.layout, e.kind, e.lines.length, e.message]));
    const istio = events(record('message', multi) + '\n').events;
    expect(istio.map((e) => [e.layout, e.level, e.wrapper])).toEqual([['istio-go', 'error', 'json-envelope']]);
  });
  it("peels a terminal viewer's box (k9s): borders padded or cut by the pane, border lines carry nothing", () => {
    const u = new Unwrapper();
    const line = '[2026-05-20 10:20:01.000][1][info][main] [source/server/server.cc:1] exiting';
    expect(u.unwrap(`│ ${line}          │`)).toEqual({ text: line, wrapper: 'box' });
    expect(u.unwrap(`│ ${line}`)).toEqual({ text: line, wrapper: 'box' });
    expect(u.unwrap(`${line} │`)).toEqual({ text: line, wrapper: 'box' });
    // Indentation inside the box is the line's own (a continuation line stays one).
    expect(u.unwrap('│ \t* cannot fetch Wasm module http://h/p.wasm: status code 404   │')).toEqual({ text: '\t* cannot fetch Wasm module http://h/p.wasm: status code 404', wrapper: 'box' });
    // Stacked with a collector's wrapper inside.
    expect(u.unwrap('│ [pod/gw-7d9f/higress-gateway] Mode=full   │')).toEqual({ text: 'Mode=full', wrapper: 'box' });
    for (const border of ['┌──────── Logs(higress-system/gw-7d9f:higress-gateway)[tail] ────────┐', '└──────────────────────┘', '├──────────┤', '│                          │']) {
      expect(u.unwrap(border).text, border).toBeNull();
    }
    // Box-drawing characters inside a line leave it alone.
    expect(u.unwrap('tree: ├── a')).toEqual({ text: 'tree: ├── a', wrapper: null });
    expect(u.unwrap('a line ending in spaces  ')).toEqual({ text: 'a line ending in spaces  ', wrapper: null });
  });
  it('does not mistake an Istio line with TABs lost for a kubectl timestamp', () => {
    const u = new Unwrapper();
    expect(u.unwrap('2020-01-04T15:26:26.987721Z     warn    Envoy may have been out of memory killed.')).toEqual({ text: '2020-01-04T15:26:26.987721Z     warn    Envoy may have been out of memory killed.', wrapper: null });
    // Nor a zap line (Envoy Gateway's controller) whose TABs became spaces, its level in capitals.
    const zap = '2024-10-01T11:39:52.811Z        ERROR   xds-translator  runner/runner.go:85     failed to translate xds ir';
    expect(u.unwrap(zap)).toEqual({ text: zap, wrapper: null });
    // Spaces before anything else are the line's own: a heap dump's rows, YAML.
    expect(u.unwrap('2026-05-20T10:20:01.123456789Z      30 pages *      1 spans ~    0.2 MiB;    2.7 MiB cum')).toEqual({ text: '     30 pages *      1 spans ~    0.2 MiB;    2.7 MiB cum', wrapper: 'kubectl-timestamps' });
    expect(u.unwrap('2026-05-20T10:20:01.123456789Z   - message: x')).toEqual({ text: '  - message: x', wrapper: 'kubectl-timestamps' });
  });
});

describe('assembly', () => {
  it('reads a paste indented as a whole (a markdown code block) as the log it was: blocks, frames and a heap dump keep their shape', () => {
    const plain = [
      '',
      '[2026-05-20 10:20:01.000][14][critical][backtrace] [./source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0',
      'Backtrace (use tools/stack_decode.py to get line numbers):',
      'Envoy version: 0a1b2c3d/1.27.3/Clean/RELEASE/BoringSSL',
      '#0: __restore_rt [0x7f2c1e0a3420]',
      '#1: proxy_wasm::ContextBase::onResponseHeaders() [0x55d6c2b1c2a0]',
      '2026-05-20T10:20:02.000245Z\terror\twasm\tconvert the wasm config: 1 error occurred:',
      '\t* cannot fetch Wasm module http://h/p.wasm: status code 404',
      '',
    ];
    const shape = (ev: LogEvent[]): unknown[] => ev.map((e) => [e.layout, e.kind, e.lines.length, e.message]);
    const want = shape(events(plain.join('\n')).events);
    expect(want.filter((w) => (w as unknown[])[1] === 'crash')).toHaveLength(1);
    for (const indent of ['  ', '    ', '        ']) expect(shape(events(plain.map((l) => (l ? indent + l : l)).join('\n')).events), JSON.stringify(indent)).toEqual(want);
    // Lines of its own leading spaces keep what is theirs beyond the paste's indentation; V8's `#` block is raw text from
    // its first line on (nothing open could take it as a continuation).
    const v8 = ['#', '# Fatal error in , line 0', '# Check failed: page_allocator_->SetPermissions(free_address, free_size, PageAllocator::kNoAccess).', '#', ''];
    expect(shape(events(['', ...v8.map((l) => (l ? `    ${l}` : l))].join('\n')).events).slice(-1)).toEqual(shape(events(v8.join('\n')).events));
    // A line with less indentation ends the paste's: an indented line after it is a continuation again.
    const after = events(['    [2026-05-20 10:20:01.000][1][error][config] first', '[2026-05-20 10:20:02.000][1][error][config] second', '      indented continuation', ''].join('\n')).events;
    expect(after.map((e) => e.lines)).toEqual([['[2026-05-20 10:20:01.000][1][error][config] first'], ['[2026-05-20 10:20:02.000][1][error][config] second', '      indented continuation']]);
  });
  it("markdown bold opened before a header is the paste's emphasis: the header is read, and an indented paste's indentation learnt from it", () => {
    const lines = ['**[2023-01-12 13:46:57.029][2263826][debug][init] [source/common/init/watcher_impl.cc:31] init manager Server destroyed', 'unable to bind domain socket with base_id=0, id=0, errno=98 (see --base-id option**)'];
    for (const paste of [lines, lines.map((l) => `    ${l}`)]) {
      const ev = events(paste.join('\n') + '\n').events;
      expect(ev.map((e) => [e.layout, e.lines.length])).toEqual([
        ['envoy', 1],
        ['raw', 1],
      ]);
    }
    // Bold anywhere else stays the line's own.
    expect(events('**not a header** [2023-01-12 13:46:57.029]\n').events[0]!.layout).toBe('unknown');
  });
  it('an indented paste of lines no layout reads: each timed line is a line of its own, as unindented', () => {
    const unread = ['2026-06-08 11:19:42 gw-1 failed scraping envoy metrics: connect: connection refused', '2026-06-08 11:19:42 gw-1 Envoy exited with error: signal: killed'];
    const plain = events(unread.join('\n') + '\n').events;
    const indented = events(unread.map((l) => `    ${l}`).join('\n') + '\n').events;
    expect(plain.map((e) => e.layout)).toEqual(['unknown', 'unknown']);
    expect(indented.map((e) => [e.layout, e.level, e.lines.length])).toEqual(plain.map((e) => [e.layout, e.level, e.lines.length]));
    // An indented line without a date still continues the record before it.
    const cont = events(['something nobody reads', '    and its indented continuation', ''].join('\n')).events;
    expect(cont.map((e) => e.lines.length)).toEqual([2]);
  });
  it('reads a YAML quoted scalar folded over more-indented lines as one text', () => {
    // A status pasted under a fence line: the fence opens a record, the indented YAML continues it.
    const { events: ev } = events(
      [
        '```',
        '  conditions:',
        "  - message: 'Wasm: wasm module download failed after 1 attempts, last error:",
        '      wasm module download request failed: status code 404.',
        "      It''s gone.'",
        '    reason: Invalid',
        '    detail: "a long \\',
        '      text"',
        "    note: 'never closed",
        '  status: "False"',
        '```',
        '',
      ].join('\n'),
      true,
    );
    const m = ev[0]!.message.split('\n');
    expect(m).toEqual([
      '```',
      '  conditions:',
      "  - message: 'Wasm: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404. It''s gone.'",
      '    reason: Invalid',
      '    detail: "a long text"',
      "    note: 'never closed",
      '  status: "False"',
    ]);
    expect(ev[0]!.lineMap).toEqual([1, 2, 3, 6, 7, 9, 10]);
    // The physical lines stay as they were (evidence).
    expect(ev[0]!.lines).toHaveLength(10);
  });
  it('folds a scalar of a pod status pasted on its own (a kube record)', () => {
    const { events: ev } = events("    message: 'back-off 5m0s restarting failed container=higress-gateway\n      pod=higress-gateway-7d9f_higress-system(0a1b)'\n", true);
    expect(ev).toHaveLength(1);
    expect(ev[0]!.layout).toBe('kube');
    expect(ev[0]!.message).toBe("    message: 'back-off 5m0s restarting failed container=higress-gateway pod=higress-gateway-7d9f_higress-system(0a1b)'");
  });
  it('joins hashicorp multi-error bullets (and the blank lines after) to their header', () => {
    const { events: ev, asm } = events('2025-03-02T11:04:09.883120Z\terror\twasm\tconvert the wasm config: 2 errors occurred:\n\t* cannot fetch Wasm module a: x\n\t* cannot fetch Wasm module b: y\n\n\n2025-03-02T11:04:10.000000Z\tinfo\tads\tok\n', true);
    expect(ev.length).toBe(2);
    expect(ev[0]!.message.split('\n')).toHaveLength(5);
    expect(ev[0]!.lineMap).toEqual([1, 2, 3, 4, 5]);
    expect(asm.stats.unparsed).toBe(0);
  });
  it('assembles an Envoy crash block across backtrace records, ending at the agent line', () => {
    const text = [
      '[2026-05-20 10:11:12.300][23][critical][assert] [external/envoy/source/common/http/conn_manager_impl.cc:1012] assert failure: state_.x. Details: y',
      '[2026-05-20 10:11:12.345][23][critical][backtrace] [external/envoy/source/server/backtrace.h:127] Caught Aborted, suspect faulting address 0x0',
      '[2026-05-20 10:11:12.345][23][critical][backtrace] [external/envoy/source/server/backtrace.h:112] Envoy version: abc/1.36.4-dev/Clean/RELEASE/BoringSSL',
      '[2026-05-20 10:11:12.351][23][critical][backtrace] [external/envoy/source/server/backtrace.h:118] #0: __restore_rt [0x7f3a1c6b1520]',
      'Our FatalActions triggered a fatal signal.',
      '2026-05-20T10:11:12.402817Z\terror\tEnvoy exited with error: signal: aborted',
    ].join('\n');
    const { events: ev } = events(text);
    expect(ev.map((e) => e.kind)).toEqual(['crash', null]);
    expect(ev[0]!.message).toContain('assert failure');
    expect(ev[0]!.message).toContain('#0: __restore_rt');
    expect(ev[0]!.endLine).toBe(5);
  });
  it('restores the escaped newlines of a Higress Wasm trap into frames', () => {
    const { events: ev } = events('2025-06-03T09:02:11.406193Z\terror\tenvoy wasm external/envoy/source/extensions/common/wasm/wasm_vm.cc:41\tFunction: proxy_on_http_call_response failed: Uncaught RuntimeError: unreachable\\nProxy-Wasm plugin in-VM backtrace:\\n  0:  0x1b2c3 - runtime._panic\tthread=64\n');
    expect(ev[0]!.message.split('\n')).toEqual(['Function: proxy_on_http_call_response failed: Uncaught RuntimeError: unreachable', 'Proxy-Wasm plugin in-VM backtrace:', '  0:  0x1b2c3 - runtime._panic']);
  });
  it('glues a Go panic that a Wasm plugin wrote one token per record', () => {
    const tokens = ['panic: ', 'runtime error: index out of range', ' [', '3', ']', '\n', 'goroutine ', '1', ' [running]:'];
    const lines = tokens.map((t) => `[2026-05-20 09:30:18.033][62][error][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log: ${t}`);
    lines.push('[2026-05-20 09:30:18.034][62][error][wasm] [external/envoy/source/extensions/common/wasm/wasm_vm.cc:41] Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable');
    const { events: ev } = events(lines.join('\n'));
    expect(ev).toHaveLength(1);
    expect(ev[0]!.kind).toBe('wasm-panic');
    expect(ev[0]!.message).toContain('wasm log: panic: runtime error: index out of range [3]');
    expect(ev[0]!.message).toContain('Function: proxy_on_request_headers failed');
  });
  it('keeps a Go runtime panic with its goroutine dump as one raw event', () => {
    const { events: ev } = events('panic: assignment to entry in nil map\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:12 +0x1d\n2026-05-20T08:00:00.000000Z\tinfo\tx\ty\n', true);
    expect(ev[0]!.kind).toBe('go-panic');
    expect(ev[0]!.message).toContain('main.main()');
    expect(ev[0]!.endLine).toBe(5);
  });
  it('counts unknown lines as unparsed and does not let an unknown line swallow the next ones', () => {
    const { events: ev, asm } = events('hello world\nanother line\n  indented continuation\n');
    expect(ev).toHaveLength(2);
    expect(asm.stats.unparsed).toBe(3);
    expect(asm.stats.lines).toBe(3);
  });
  it('bounds a record that never ends', () => {
    const body = Array.from({ length: MAX_RECORD_LINES + 50 }, (_, i) => `  name: "x${i}"`).join('\n');
    const { events: ev, asm } = events(`[2026-05-20 08:30:05.118][1][warning][config] [x.cc:1] gRPC config for T rejected: Proto constraint validation failed\n${body}\n`);
    expect(ev.length).toBeGreaterThan(1);
    expect(ev[0]!.lines.length).toBeLessThanOrEqual(200);
    expect(asm.stats.lines).toBe(MAX_RECORD_LINES + 51);
  });
  it('closes L2 records at the thread= terminator', () => {
    const { events: ev } = events('2025-06-03T03:01:44.905113Z\twarning\tenvoy config external/x.cc:128\tgRPC config for T rejected: Proto constraint validation failed: name: "a"\nvirtual_hosts {\n}\n\n\tthread=14\nstray text\n');
    expect(ev[0]!.endLine).toBe(5);
    expect(ev[0]!.message).not.toContain('thread=');
    expect(ev[1]!.layout).toBe('unknown');
  });
});

describe('TEXT access-log fields', () => {
  // The reading the tokenizer replaced, kept as its reference.
  const byRegex = (text: string, from: number): string[] => {
    const tokens: string[] = [];
    const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
    re.lastIndex = from;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null && tokens.length < 40) tokens.push(m[1] ?? m[2]!);
    return tokens;
  };
  it('reads what the regex read, on random lines', () => {
    const piece = fc.oneof(
      fc.constantFrom('"', '\\', '\\"', '""', ' ', '  ', '\t', '\u00a0', '\u2028', '\u3000', '\ufeff', '\r', '-', '503', 'UF', '"GET /a HTTP/1.1"', 'é', '\u{1F600}', '\\\u2028', '"x\\\r"'),
      fc.stringMatching(/^[ -~]{0,10}$/),
    );
    const line = fc.array(piece, { maxLength: 60 }).map((p) => p.join(''));
    // Both readings: the kernel's (plain ASCII lines) and the JavaScript's.
    for (const kernel of [true, false]) {
      useFlatRecords(kernel);
      fc.assert(
        fc.property(line, fc.nat(5), (text, from) => {
          expect(accessTextTokens(text, from)).toEqual(byRegex(text, from));
        }),
        { numRuns: 3000 },
      );
    }
    useFlatRecords(true);
  });
  it('stops at 40 fields', () => {
    const text = Array.from({ length: 50 }, (_, i) => `f${i}`).join(' ');
    expect(accessTextTokens(text, 0)).toEqual(byRegex(text, 0));
    expect(accessTextTokens(text, 0)).toHaveLength(40);
  });
});

describe('wrappers with colours and stacked times', () => {
  it('stern --timestamps: the pod and container names before kubectl\'s time are peeled, then the time', () => {
    const u = new Unwrapper();
    const pc = 'higress-gateway-7d9f8b-x2k4p higress-gateway ';
    const ts = '2026-02-17T20:11:50.194203870Z ';
    for (const inner of [
      '2026-02-17T20:11:50.193576Z\tinfo\tOpening status port 15020',
      '[2026-02-17 20:12:39.120][61][critical][backtrace] [./source/server/backtrace.h:127] Caught Segmentation fault, suspect faulting address 0x20',
      '{"ai_log":"-","authority":"a","response_code":"503","response_flags":"UH"}',
    ])
      expect(u.unwrap(pc + ts + inner)).toEqual({ text: inner, wrapper: 'pod-container' });
    // Words, then a time, then a sentence: no prefix.
    const own = 'restarted higress 2026-02-17T20:11:50Z because of an upgrade';
    expect(new Unwrapper().unwrap(own)).toEqual({ text: own, wrapper: null });
  });
  it('colour codes a terminal tool wrote are not part of the line: its wrapper and layout are read through them', () => {
    const lines = [
      '\x1b[36mhigress-gateway-1  |\x1b[0m [2026-05-20 08:15:44.031][61][warning][config] [external/envoy/source/x.cc:296] delta config for T rejected: boom',
      '\x1b[32mhigress-gateway-1  |\x1b[0m 2026-05-20T08:15:45.000000Z\t\x1b[31merror\x1b[0m\tads\tpush failed',
    ];
    const { events: evs, asm } = events(`${lines.join('\n')}\n`);
    expect(evs.map((e) => [e.layout, e.level, e.message])).toEqual([
      ['envoy', 'warning', 'delta config for T rejected: boom'],
      ['istio-go', 'error', 'push failed'],
    ]);
    expect(asm.stats.unparsed).toBe(0);
  });
});
