// Diagnosis that generalises (issue 13): each class of real-log miss has its own fixtures here,
// written from the source formats (docs/formats.md) and the shapes operators paste — never read
// from ../shared. Each test runs the whole pipeline, with and without the prefilter.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { loadCatalog, compilePatternSource } from '../src/catalog/load.js';
import { fillTemplate } from '../src/catalog/templates.js';
import { Pipeline } from '../src/pipeline.js';
import type { Diagnosis } from '../src/model.js';
import { within } from '../src/diagnose/correlations.js';
import { timeMs } from '../src/diagnose/clock.js';
import { notAGatewayLog, unrecognisedNote } from '../src/report/summary.js';
import { diagnosePaste, topCause } from './helpers/diagnose.js';

const catalog = loadCatalog();

const diagnose = diagnosePaste;
const top = topCause;

describe('1. certificate failures are the root, not what they cause', () => {
  it('an SDS secret the CA cannot generate on the xDS stream is tls-certificate', () => {
    const log = [
      '2023-03-01T08:00:01.100000Z     info    ads     ADS: new connection for node:gw-1',
      '2023-03-01T08:00:01.300000Z     warning envoy config    StreamSecrets gRPC config stream closed: 2, failed to generate secret for ROOTCA: failed to generate workload certificate: create certificate: rpc error: code = Unimplemented desc = unknown service istio.v1.auth.IstioCertificateService',
      '2023-03-01T08:00:03.300000Z     warn    Envoy proxy is NOT ready: config not received from XDS server (is Pilot running?): cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected',
    ].join('\n');
    expect(top(log)).toBe('tls-certificate');
  });
  it('a TLS verification error in an old Istio TEXT access line (one column fewer) is tls-certificate', () => {
    const line = '[2019-11-01T08:11:12.481Z] "GET / HTTP/1.1" 503 UF,URX "-" "TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED" 0 91 54 - "-" "curl/7.64.0" "ebf2c9b9-7774-41fa-9523-b32f0598ab23" "backend" "10.244.0.156:80" outbound|80||backend.default.svc.cluster.local - 10.96.113.233:80 10.244.0.155:38780 -';
    expect(top(line)).toBe('tls-certificate');
    expect(diagnose(line).incidents[0]?.subject.cluster).toBe('outbound|80||backend.default.svc.cluster.local');
    // Without its time, as pasted.
    expect(top(line.slice(line.indexOf('"')))).toBe('tls-certificate');
  });
  it('a secret the agent cannot get because the CA does not resolve is the control plane', () => {
    expect(
      top('2022-05-03T07:02:11.120537Z\twarning\tenvoy config\tStreamSecrets gRPC config stream closed: 2, failed to generate secret for default: failed to generate workload certificate: create certificate: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp: lookup istiod.istio-system.svc on 10.96.0.10:53: read udp 10.1.1.4:41237->10.96.0.10:53: i/o timeout"'),
    ).toBe('xds-disconnected');
  });
  it('an x509 failure of the config stream is tls-certificate with xds-disconnected as alternative', () => {
    const d = diagnose(
      '[2026-05-20 08:15:44.031][1][warning][config] [external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193] DeltaAggregatedResources gRPC config stream to xds-grpc closed since 75s ago: 14, connection error: desc = "transport: authentication handshake failed: x509: certificate signed by unknown authority"',
    );
    expect(d.incidents[0]?.cause).toBe('tls-certificate');
    expect(d.incidents[0]?.alternatives.map((a) => a.cause)).toContain('xds-disconnected');
  });
});

describe('2. memory exhaustion seen from outside the gateway', () => {
  const cases: Array<[string, string]> = [
    ['dmesg -T', '[Mon Mar  4 10:11:12 2024] envoy invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=-997\n[Mon Mar  4 10:11:12 2024] Memory cgroup out of memory: Killed process 4121 (envoy) total-vm:3120000kB, anon-rss:1040000kB'],
    ['dmesg', '[ 9912.331200] Memory cgroup out of memory: Killed process 4121 (envoy) total-vm:3120000kB, anon-rss:1040000kB, file-rss:0kB'],
    ['journalctl -k', 'Mar 04 10:11:12 node-7 kernel: Memory cgroup out of memory: Killed process 4121 (envoy) total-vm:3120000kB'],
    ['kubectl describe', 'Containers:\n  higress-gateway:\n    State:          Running\n    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n    Restart Count:  14'],
    ['pod YAML', 'status:\n  containerStatuses:\n  - lastState:\n      terminated:\n        exitCode: 137\n        reason: OOMKilled\n    restartCount: 9'],
    ['exit 137 only', '    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    137'],
    ['tcmalloc then abort', '    30 pages *      1 spans ~    0.2 MiB;    2.7 MiB cum; unmapped:    0.0 MiB;    0.0 MiB cum\n   114 pages *      1 spans ~    0.9 MiB;    7.7 MiB cum; unmapped:    [2024-03-04 10:11:12.888][9][critical][backtrace] [source/server/backtrace.h:104] Caught Aborted, suspect faulting address 0x6500000009\n[2024-03-04 10:11:12.889][9][critical][backtrace] [source/server/backtrace.h:91] Backtrace (use tools/stack_decode.py to get line numbers):'],
    ['older pilot-agent', '2019-06-07T09:55:41.118244Z     warn    Epoch 0 terminated with an error: signal: killed'],
    ['syslog memcg report', 'Jan  5 02:12:02 node-1 kernel: Task in /kubepods.slice/pod1.slice/docker-b272.scope killed as a result of limit of /kubepods.slice/pod1.slice\nJan  5 02:12:02 node-1 kernel: memory: usage 1048576kB, limit 1048576kB, failcnt 189'],
    ['a trap in the module allocator', '[2021-01-28 19:36:37.191][38][info][wasm] [source/extensions/common/wasm/context.cc:1171] wasm log: panic: runtime error: out of memory\n[2021-01-28 19:36:37.191][38][error][wasm] [source/extensions/common/wasm/wasm_vm.cc:39] Function: malloc failed: Uncaught RuntimeError: unreachable'],
  ];
  for (const [name, log] of cases) {
    it(`${name} → oom`, () => expect(top(log)).toBe('oom'));
  }
  it('host and Kubernetes lines are recognised layouts, not unparsed', () => {
    const d = diagnose(`${cases[0]![1]}\n${cases[2]![1]}\n${cases[3]![1]}`);
    expect(d.stats.unparsed).toBe(0);
    expect(d.stats.layouts.syslog).toBe(3);
    expect(d.stats.layouts.kube).toBeGreaterThan(0);
  });
});

describe('3. a persistent control-plane failure at warning level is an incident', () => {
  it('warnings that the controller name does not resolve', () => {
    const line = (t: string): string =>
      `2024-01-09T06:${t}Z\twarn\tsds\tfailed to warm certificate: failed to generate workload certificate: create certificate: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp: lookup higress-controller.higress-system.svc on 10.96.0.10:53: no such host"`;
    expect(top([line('12:01.1'), line('13:01.1'), line('14:01.1')].join('\n'))).toBe('xds-disconnected');
  });
  it('a periodic clean reconnect (closed: 13) is not one', () => {
    const d = diagnose('[2026-05-20 08:15:44.031][1][warning][config] [grpc_stream.h:193] DeltaAggregatedResources gRPC config stream to xds-grpc closed: 13, ');
    expect(d.incidents).toEqual([]);
  });
});

describe('4. crash output without a gateway prefix', () => {
  it('a raw Wasm trap with its in-VM backtrace is wasm-plugin-crash', () => {
    expect(top('proxy_on_vm_start failed: Uncaught RuntimeError: unreachable\nProxy-Wasm plugin in-VM backtrace:\n  0:  0x7ca4 - runtime.runtimePanic\n  1:  0x1fca - runtime.nilPanic')).toBe('wasm-plugin-crash');
  });
  it('the same V8 check once per worker thread is the VM limit', () => {
    const block = '#\n# Fatal error in , line 0\n# Check failed: page_allocator_->SetPermissions(free_address, free_size, PageAllocator::kNoAccess).\n#\n#FailureMessage Object: 0x7a850b563730';
    expect(top(block)).toBe('wasm-plugin-crash');
    expect(top(`${block}\n\n${block}\n\n${block}`)).toBe('wasm-vm-limit');
  });
  it('gdb frames of a V8 out-of-memory while creating an isolate are the VM limit', () => {
    const log = [
      '#2  0x000055d6b673eb82 in v8::Utils::ReportOOMFailure () at ../../src/api/api.cc:372',
      '#4  0x000055d6b673ee2b in v8::internal::V8::FatalProcessOutOfMemory () at ../../src/api/api.cc:338',
      '#11 v8::internal::Deserializer<v8::internal::Isolate>::Allocate () at ../../src/snapshot/deserializer.cc:1268',
    ].join('\n');
    expect(top(log)).toBe('wasm-vm-limit');
    expect(diagnose(log).stats.unparsed).toBe(0);
  });
});

describe('5. root before symptom', () => {
  const own = '[2026-05-20 08:15:44.031][61][error][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1175] wasm log higress-system.my-cache-1.0.0: [my-cache] redis init failed: dial tcp 10.0.0.9:6379: connect: connection refused';
  const configure = '[2026-05-20 08:15:44.032][61][error][wasm] [external/envoy/source/extensions/common/wasm/wasm.cc:110] Failed to configure base Wasm plugin';
  const notReady = '2026-05-20T08:15:50.000000Z\twarn\tEnvoy proxy is NOT ready: config received from XDS server, but was rejected: cds updates: 1 successful, 0 rejected; lds updates: 0 successful, 1 rejected';
  it("a plugin's own error line outranks 'Failed to configure' and NOT ready, which follow from it", () => {
    const d = diagnose([own, configure, notReady].join('\n'));
    const first = d.incidents[0]!;
    expect(first.evidence[0]!.text).toContain('redis init failed');
    expect(first.tier ?? 'exact').toBe('exact'); // corroborated by the exact knock-on
    expect(first.patterns).toContain('HD-WASM-017');
    const nr = d.incidents.find((i) => i.patterns.includes('HD-NET-015'))!;
    expect(nr.rootOf).toBe(first.id);
  });
  it('without the root, the symptoms stand alone', () => {
    const d = diagnose([configure, notReady].join('\n'));
    expect(d.incidents[0]!.cause).toBe('wasm-plugin-config');
    expect(diagnose(notReady).incidents[0]!.rootOf).toBeNull();
  });
  it('an UNAUTHORIZED answer lists a wrong address as a close alternative', () => {
    const d = diagnose('2025-03-02T11:04:09.883120Z\terror\twasm\tcannot fetch Wasm module oci://registry.example.com/plugins/jwt-auth:1.0.0: could not fetch Wasm OCI image: could not fetch manifest: GET https://registry.example.com/v2/plugins/jwt-auth/manifests/1.0.0: UNAUTHORIZED: authentication required');
    expect(d.incidents[0]!.cause).toBe('wasm-fetch-auth');
    expect(d.incidents[0]!.alternatives.find((a) => a.cause === 'wasm-fetch-bad-address')?.confidence).toBeGreaterThanOrEqual(0.3);
  });
});

describe('7. distinct subjects stay distinct', () => {
  it('three missing imports are named, not ×3 of the first', () => {
    const line = (imp: string): string => `[2026-05-20 08:15:44.031][61][error][wasm] [external/envoy/source/extensions/common/wasm/wasm_vm.cc:38] Failed to load Wasm module due to a missing import: ${imp}`;
    const d = diagnose([line('wasi_snapshot_preview1.fd_prestat_get'), line('wasi_snapshot_preview1.path_open'), line('wasi_snapshot_preview1.fd_prestat_dir_name')].join('\n'));
    const title = d.incidents[0]!.title;
    for (const imp of ['fd_prestat_get', 'path_open', 'fd_prestat_dir_name']) expect(title).toContain(imp);
    expect(title).toMatch(/which this gateway does not provide \(×3\)$/);
  });
  it('the same import three times keeps one name', () => {
    const line = '[2026-05-20 08:15:44.031][61][error][wasm] [wasm_vm.cc:38] Failed to load Wasm module due to a missing import: env.proxy_get_log_level';
    const d = diagnose([line, line, line].join('\n'));
    expect(d.incidents[0]!.title).toBe('Wasm module needs env.proxy_get_log_level, which this gateway does not provide (×3)');
  });
});

describe('6. time and restarts bound every correlation', () => {
  const oom = '2026-05-01T10:00:00.000000Z\twarn\tEnvoy may have been out of memory killed. Check memory usage and limits.\n2026-05-01T10:00:00.000100Z\terror\tEnvoy exited with error: signal: killed';
  const segv = (ts: string): string =>
    `[${ts}][12][critical][backtrace] [source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0\n[${ts}][12][critical][backtrace] [source/server/backtrace.h:91] Backtrace (use tools/stack_decode.py to get line numbers):\n[${ts}][12][critical][backtrace] [source/server/backtrace.h:92] Envoy version: 0123456789abcdef/1.36.4-dev/Clean/RELEASE/BoringSSL\n[${ts}][12][critical][backtrace] [source/server/backtrace.h:96] #0: __restore_rt [0x7f0a]`;
  it('a crash right after a memory signal is put down to memory', () => {
    const bad = '[2026-05-01 10:00:00.000][12][critical][main] [source/exe/terminate_handler.cc:22] std::terminate called! Uncaught exception \'std::bad_alloc\', see trace.';
    expect(top(`${bad}\n${segv('2026-05-01 10:00:01.000')}`)).toBe('oom');
  });
  it('a segfault three weeks after an OOM kill, with a restart between, is its own crash', () => {
    const restart = '2026-05-01T10:00:02.000000Z\tinfo\tEnvoy command: [-c etc/istio/proxy/envoy-rev.json]';
    const d = diagnose(`${oom}\n${restart}\n${segv('2026-05-22 09:00:00.000')}`);
    expect(d.incidents.map((i) => i.cause).sort()).toEqual(['envoy-crash', 'oom']);
    expect(d.incidents.find((i) => i.cause === 'envoy-crash')?.notes.join(' ')).not.toMatch(/memory signal/);
  });
  it('bounds: events, seconds on one clock, lifetimes', () => {
    const b = { events: 50, seconds: 300, sameLifetime: true };
    const utc = (t: string) => ({ clock: 'utc' as const, ms: timeMs(t, 'utc'), utc: timeMs(t, 'utc') });
    const local = (t: string, offset: number | null = null) => ({ clock: 'local' as const, ms: timeMs(t, 'local'), utc: offset === null ? NaN : timeMs(t, 'local') - offset * 60_000 });
    const none = { clock: null, ms: NaN, utc: NaN };
    const at = (mark: number, lifetime: number, t: { clock: 'utc' | 'local' | null; ms: number; utc: number }, seq = mark) => ({ seq, mark, lifetime, ...t });
    expect(within(b, at(1, 0, utc('2026-05-01T10:00:00Z')), at(40, 0, utc('2026-05-01T10:04:00Z')))).toBe(true);
    // Events count by their marks (events with a finding other than chatter), not by sequence number:
    // 300 chatter or unmatched events between are no further away.
    expect(within(b, at(1, 0, none, 1), at(40, 0, none, 340))).toBe(true);
    expect(within(b, at(1, 0, none, 1), at(60, 0, none, 61))).toBe(false);
    expect(within(b, at(1, 0, utc('2026-05-01T10:00:00Z')), at(60, 0, utc('2026-05-01T10:00:01Z')))).toBe(false);
    expect(within(b, at(1, 0, utc('2026-05-01T10:00:00Z')), at(2, 0, utc('2026-05-01T10:06:00Z')))).toBe(false);
    expect(within(b, at(1, 0, none), at(2, 1, none))).toBe(false);
    // Envoy's local time and UTC are different clocks: not compared while the offset is unknown…
    expect(within(b, at(1, 0, local('2026-05-01 18:00:00.000')), at(2, 0, utc('2026-05-01T10:00:00Z')))).toBe(true);
    // …and compared as instants once it is known (+08:00: 18:00 local is 10:00Z; 10:06Z is 6 minutes later).
    expect(within(b, at(1, 0, local('2026-05-01 18:00:00.000', 480)), at(2, 0, utc('2026-05-01T10:06:00Z')))).toBe(false);
    expect(within(b, at(1, 0, local('2026-05-01 18:00:00.000', 480)), at(2, 0, utc('2026-05-01T10:01:00Z')))).toBe(true);
    // L2's `Z` is a literal on Envoy's local clock; a Go time's offset is applied.
    expect(timeMs('2026-05-01T18:00:00.000000Z', 'local')).toBe(timeMs('2026-05-01 18:00:00.000', 'local'));
    expect(timeMs('2026-05-01T10:00:00+02:00', 'utc')).toBe(timeMs('2026-05-01T08:00:00Z', 'utc'));
  });
});

describe('8. a log that is not a gateway log', () => {
  it('has no incident and every line unparsed; a mostly unrecognised log says which share', () => {
    const nginx = Array.from({ length: 12 }, (_, i) => `127.0.0.1 - - [07/Dec/2026:05:00:${String(i).padStart(2, '0')} +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.0"`).join('\n');
    const d = diagnose(nginx);
    expect(notAGatewayLog(d)).toBe(true);
    expect(unrecognisedNote(d)).toMatch(/12 of 12, 100%/);
    const mixed = diagnose(`${nginx}\n2019-06-07T09:55:41.118244Z     warn    Epoch 0 terminated with an error: signal: killed`);
    expect(notAGatewayLog(mixed)).toBe(false);
    expect(unrecognisedNote(mixed)).toMatch(/12 of 13, 92%/);
  });
  it('analyze says so in one stderr line and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hd-not-gw-'));
    const file = join(dir, 'access.log');
    writeFileSync(file, '127.0.0.1 - - [07/Dec/2026:05:00:01 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.0"\n');
    const r = runCli(['analyze', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^higress-doctor: access\.log: its one line is not in a layout a Higress gateway writes/);
  });
});

describe('more real shapes (a fourth set, held out until scored)', () => {
  it('logfmt lines of programs beside the proxy are a layout with their own level', () => {
    const d = diagnose('2018-11-05T14:42:50.154401827Z level=warning msg="Envoy: Proxy crashed" error="signal: killed" subsys=envoy-manager\n2018-11-05T14:42:50.557005396Z level=info msg="Envoy: Proxy started with pid 82396" subsys=envoy-manager');
    expect(d.stats.layouts.logfmt).toBe(2);
    expect(d.incidents.filter((i) => i.severity === 'error' || i.severity === 'critical')).toEqual([]);
  });
  it('a crash of which only frames were pasted, through the Wasm host, is a plugin crash', () => {
    const f = (n: number, fn: string): string => `[2020-01-24 04:55:22.017][52058][critical][backtrace] [bazel-out/k8-fastbuild/bin/external/envoy/source/server/_virtual_includes/backtrace_lib/server/backtrace.h:75] #${n}: ${fn} [0x558b75aab736]`;
    expect(top([f(9, 'Envoy::Extensions::Common::Wasm::Context::onDone()'), f(10, 'Envoy::Extensions::Common::Wasm::Wasm::shutdown()')].join('\n'))).toBe('wasm-plugin-crash');
  });
  it('debug-level lines carry the failure when debug logging was on', () => {
    expect(top('[Envoy (Epoch 0)] [2023-09-13 09:56:59.888][27][debug][connection] [C2379827] TLS error: 268436496:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE')).toBe('tls-certificate');
    expect(top('front-envoy_1     | [2021-03-28 16:47:54.447][14][debug][http] [source/common/http/filter_manager.cc:858] [C6][S1] Sending local reply with details upstream_reset_before_response_started{connection failure}')).toBe('upstream-unavailable');
  });
  it('the config stream finding no healthy upstream is the control plane, also when the line was wrapped', () => {
    expect(top('[2024-03-07 03:17:04.787][1][warning][config] [./source/extensions/config_subscription/grpc/grpc_stream.h:193] DeltaAggregatedResources gRPC config stream to xds_cluster closed since 284s ag\no: 14, no healthy upstream')).toBe('xds-disconnected');
  });
  it('NOT ready with rejected updates is a configuration the gateway refused; the old ABI wording is the module', () => {
    expect(top('2023-12-25T05:47:42.790872Z\twarn\tEnvoy proxy is NOT ready: config received from XDS server, but was rejected: cds updates: 1 successful, 0 rejected; lds updates: 0 successful, 1 rejected')).toBe('bad-config');
    expect(top('E 2020-08-11T20:53:49.524885993Z virtualInbound: WASM missing Proxy-Wasm ABI version or requires an unsupported version.')).toBe('wasm-module-incompatible');
  });
  it('an access record pasted as a key | value table is read by its words', () => {
    expect(top('response_code | 503\nresponse_code_details | no_healthy_upstream\nresponse_flags | UH')).toBe('upstream-unavailable');
  });
});

describe('more real shapes (a fifth set, held out until scored)', () => {
  it('a backtrace pasted from frame #10 on is still a crash (frames of two digits)', () => {
    const frames = [12, 13, 14, 15].map((n) => `[2024-01-09 17:40:12.301][22][critical][backtrace] [./source/server/backtrace.h:104] #${n}: [0x${(0xaaaab0c0ffee + n).toString(16)}]`);
    expect(top(frames.join('\n'))).toBe('envoy-crash');
  });
  it("an older Envoy's Secret type (`envoy.api.v2.auth.Secret`) rejected is a certificate problem, not a config typo", () => {
    const line =
      '[2019-06-11 10:02:33.120][19][warning][config] [bazel-out/k8-opt/bin/external/envoy/source/common/config/_virtual_includes/grpc_mux_subscription_lib/common/config/grpc_mux_subscription_impl.h:73] gRPC config for type.googleapis.com/envoy.api.v2.auth.Secret rejected: Proto constraint validation failed (SecretValidationError.TlsCertificate: ["embedded message failed validation"] | caused by TlsCertificateValidationError.PrivateKey: ["value is required"]): name: "api.example.com"';
    expect(top(line)).toBe('tls-certificate');
  });
  it('a listener rejected because its certificate or key cannot be loaded is tls-certificate, in old and new wording', () => {
    const old = '[2019-05-02 09:01:44.502][1][warning][config] bazel-out/k8-opt/bin/source/common/config/_virtual_includes/grpc_mux_subscription_lib/common/config/grpc_mux_subscription_impl.h:70] gRPC config for type.googleapis.com/envoy.api.v2.Listener rejected: Error adding/updating listener https_443: Failed to load certificate chain from /etc/istio/ingressgateway-certs/tls.crt';
    const now = '2025-03-02T09:01:44.502311Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:128\tgRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 0.0.0.0_443: Failed to load private key from <inline>\tthread=14';
    const update = '[2019-05-02 09:01:44.502][1][warning][upstream] source/common/config/grpc_mux_impl.cc:226] gRPC config for type.googleapis.com/envoy.api.v2.Cluster update rejected: Error adding/updating cluster(s) outbound|443||api.example.com: Failed to load trusted CA certificates from /etc/certs/root-cert.pem';
    for (const l of [old, now, update]) expect(top(l)).toBe('tls-certificate');
    // A listener rejected for what is not TLS material stays a configuration error.
    expect(top(old.replace('Failed to load certificate chain from /etc/istio/ingressgateway-certs/tls.crt', 'duplicate listener https_443 found'))).toBe('bad-config');
  });
  it("a plugin's own out-of-memory line (any case, at any level) is oom, and the trap right after it is how it ends", () => {
    const log = [
      '[2024-02-20 11:30:04.001][40][error][wasm] [source/extensions/common/wasm/context.cc:1154] wasm log waf-filter vm_waf: GC Warning: Out of Memory! Heap size: 640 MiB. Returning NULL!',
      '[2024-02-20 11:30:04.001][40][info][wasm] [source/extensions/common/wasm/context.cc:1148] wasm log waf-filter vm_waf: panic: out of memory',
      '[2024-02-20 11:30:04.002][40][error][wasm] [source/extensions/common/wasm/wasm_vm.cc:38] Function: proxy_on_request_body failed: Uncaught RuntimeError: unreachable',
    ].join('\n');
    const d = diagnose(log);
    expect(d.incidents.map((i) => i.cause)).toEqual(['oom']);
    expect(d.incidents[0]!.subject.plugin).toBe('waf-filter');
    expect(top(log)).toBe('oom');
    // The same trap with no out-of-memory line before it stays a plugin crash …
    expect(top(log.split('\n')[2]!)).toBe('wasm-plugin-crash');
    // … and so does one after another plugin's out-of-memory line.
    const other = `${log.split('\n')[0]}\n[2024-02-20 11:30:04.002][40][error][wasm] [source/extensions/common/wasm/context.cc:1154] wasm log auth-filter vm_auth: panic: runtime error: index out of range\n[2024-02-20 11:30:04.002][40][error][wasm] [source/extensions/common/wasm/wasm_vm.cc:38] Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable`;
    const d2 = diagnose(other);
    expect(d2.incidents.map((i) => [i.cause, i.subject.plugin]).sort()).toEqual([
      ['oom', 'waf-filter'],
      ['wasm-plugin-crash', 'auth-filter'],
    ]);
  });
  it("V8's `Check failed: 12 ==` is out of memory only when the errno it got was 12", () => {
    const block = (errno: string): string => ['#', '# Fatal error in external/v8/src/base/platform/platform-posix.cc, line 478', `# Check failed: 12 == (*__errno_location ())${errno}.`, '#'].join('\n');
    expect(top(block(''))).toBe('oom');
    expect(top(block(' (12 vs. 12)'))).toBe('oom');
    expect(top(block(' (12 vs. 13)'))).toBe('wasm-plugin-crash');
  });
  it('an x509 error on fetching a Wasm image is the registry certificate (wasm-fetch-tls), other x509 errors stay tls-certificate', () => {
    const wasm = '2024-05-06T12:00:01.000000Z\terror\twasm\tfailed to pull plugin image from registry.corp.example: Get "https://registry.corp.example/v2/": x509: certificate signed by unknown authority';
    const xds = '2024-05-06T12:00:01.000000Z\terror\tcache\tfailed to warm certificate: rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"';
    expect(top(wasm)).toBe('wasm-fetch-tls');
    expect(top(xds)).toBe('tls-certificate');
  });

  /** The incidents at error or above: what makes a log unhealthy. */
  const grave = (d: Diagnosis): string[] => d.incidents.filter((i) => i.severity === 'error' || i.severity === 'critical').map((i) => i.cause);

  it("pilot-agent failing to scrape Envoy's own stats on the loopback address is start-up noise, not a backend", () => {
    const scrape = (ts: string, dial: string): string =>
      `${ts}\terror\tfailed scraping envoy metrics: error scraping http://localhost:15090/stats/prometheus: Get "http://localhost:15090/stats/prometheus": dial tcp ${dial}:15090: connect: connection refused`;
    const log = [
      '2026-05-20T08:15:41.100000Z\tinfo\tStarting proxy agent',
      scrape('2026-05-20T08:15:44.780877Z', '[::1]'),
      scrape('2026-05-20T08:15:59.779738Z', '127.0.0.1'),
      '2026-05-20T08:16:01.100000Z\tinfo\tEnvoy proxy is ready',
    ].join('\n');
    expect(top(log)).toBeUndefined();
    // TABs turned into single spaces, as pasted.
    expect(grave(diagnose(log.replace(/\t/g, ' ')))).toEqual([]);
  });
  it('a refused connection to anything else is still a backend', () => {
    expect(top('2026-05-20T08:15:44.780877Z\terror\tfailed scraping envoy metrics: error scraping http://10.0.3.7:15090/stats/prometheus: Get "http://10.0.3.7:15090/stats/prometheus": dial tcp 10.0.3.7:15090: connect: connection refused')).toBe('upstream-unavailable');
    const beside = diagnose(
      [
        '2026-05-20T08:15:44.780877Z\terror\tfailed scraping envoy metrics: error scraping http://localhost:15090/stats/prometheus: Get "http://localhost:15090/stats/prometheus": dial tcp 127.0.0.1:15090: connect: connection refused',
        '2026-05-20T08:15:45.000211Z\terror\tproxy\tforwarding to 10.0.3.7:8080 failed: connection refused',
      ].join('\n'),
    );
    expect(grave(beside)).toEqual(['upstream-unavailable']);
    expect(beside.incidents[0]!.evidence[0]!.text).toMatch(/forwarding to 10\.0\.3\.7:8080/);
  });
  it("a log copied out of k9s' box is read as the log inside it, its borders neither records nor unparsed", () => {
    const inner = [
      "[2026-05-20 08:15:44.031][1][critical][main] [source/server/server.cc:1] error initializing configuration '/etc/envoy/envoy.yaml': cannot bind '0.0.0.0:80': Permission denied",
      '[2026-05-20 08:15:44.032][1][info][main] [source/server/server.cc:1] exiting',
    ];
    const width = 190;
    const boxed = [
      `┌${'─'.repeat(60)} Logs(higress-system/higress-gateway-7d9f:higress-gateway)[tail] ${'─'.repeat(60)}┐`,
      ...inner.map((l) => `│ ${l.padEnd(width)}│`),
      `└${'─'.repeat(width + 1)}┘`,
    ].join('\n');
    expect(top(boxed)).toBe(top(inner.join('\n')));
    expect(top(boxed)).toBe('port-bind');
    const d = diagnose(boxed);
    expect(d.stats).toMatchObject({ lines: 4, unparsed: 0, layouts: { envoy: 2 } });
    // A pane edge cut the left border off one line and the right border off the other.
    expect(top(`${inner[0]} │\n│ ${inner[1]}`)).toBe('port-bind');
  });
  describe('an extension this Envoy build does not have is a bad configuration', () => {
    const missing = "Didn't find a registered implementation for 'envoy.filters.http.ext_proc_v9' with type URL: 'type.googleapis.com/envoy.extensions.filters.http.ext_proc_v9.v3.ExtProc'";
    it('as the bare exception text, its header cut off by the pane, inside a box', () => {
      const log = [`${missing.slice(0, 110)} │`, '│ [2026-05-20 08:15:44.032][1][info][main] [source/server/server.cc:1] exiting      │'].join('\n');
      expect(top(log)).toBe('bad-config');
      expect(diagnose(log).incidents[0]!.subject).toEqual({ extension: 'envoy.filters.http.ext_proc_v9' });
    });
    it("after newer Envoy's 'error initializing config', by name", () => {
      expect(top("[2026-05-20 08:15:44.031][1][critical][main] [source/server/server.cc:1] error initializing config '  /etc/envoy/envoy.yaml': Didn't find a registered implementation for name: 'envoy.access_loggers.fluentd_v2'")).toBe('bad-config');
    });
    it('inside a rejection, one incident: the rejection, bad-config too', () => {
      for (const rejected of [
        `[2026-05-20 08:15:44.031][1][warning][config] [source/extensions/config_subscription/grpc/delta_subscription_state.cc:1] delta config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 0.0.0.0_80: ${missing}\n`,
        `2025-06-03T02:11:09.512844Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:1\tgRPC config for type.googleapis.com/envoy.config.cluster.v3.Cluster rejected: ${missing}\tthread=14`,
      ]) {
        const d = diagnose(rejected);
        expect(d.incidents.map((i) => [i.cause, i.patterns.some((p) => p === 'HD-CONFIG-001' || p === 'HD-CONFIG-002')])).toEqual([['bad-config', true]]);
      }
    });
    it('an optional filter Envoy leaves out is no error', () => {
      expect(top("[2026-05-20 08:15:44.031][1][warning][config] [source/extensions/filters/network/http_connection_manager/config.cc:1] Can't find a registered implementation for http filter 'envoy.filters.http.ext_proc_v9' with type URL: 'envoy.extensions.filters.http.ext_proc_v9.v3.ExtProc'")).not.toBe('bad-config');
    });
  });
  describe("the Wasm fetcher's own error without 'cannot fetch Wasm module <url>:' (Envoy Gateway's policy status)", () => {
    /** A policy's status as `kubectl get … -o yaml` prints it, the message folded after `last error:`. */
    const status = (lastError: string, fence = true): string =>
      [
        ...(fence ? ['```yaml'] : []),
        'status:',
        '  ancestors:',
        '  - conditions:',
        "    - lastTransitionTime: '2026-05-20T08:15:44Z'",
        "      message: 'Wasm: wasm module download failed after 1 attempts, last error:",
        `        ${lastError}'`,
        '      reason: Invalid',
        '      status: "False"',
        '      type: Accepted',
        ...(fence ? ['```'] : []),
      ].join('\n');
    /** The first incident's cause, as an exact finding at error (the general tier's words alone stay a warning). */
    const exact = (text: string): string | undefined => {
      const cause = top(text);
      const i = diagnose(text).incidents[0];
      return i && i.tier !== 'general' && i.severity === 'error' ? cause : `${cause} (${i?.tier ?? 'exact'}, ${i?.severity})`;
    };
    it('reads the reason after last error: as the fetch patterns do, folded or not', () => {
      expect(exact(status('wasm module download request failed: status code 404.'))).toBe('wasm-fetch-bad-address');
      expect(exact(status('wasm module download request failed: status code 404.', false))).toBe('wasm-fetch-bad-address');
      expect(exact(status('wasm module download request failed: status code 401.'))).toBe('wasm-fetch-auth');
      expect(exact(status('Get "https://plugins.example.com/f.wasm": tls: failed to verify certificate: x509: certificate signed by unknown authority.'))).toBe('wasm-fetch-tls');
      expect(exact(status('Get "https://plugins.example.com/f.wasm": dial tcp 10.0.0.9:443: connect: connection refused.'))).toBe('wasm-fetch-network');
    });
    it('says the URL is not in the log instead of a question mark, and shows the whole folded message', () => {
      const i = diagnose(status('wasm module download request failed: status code 404.')).incidents[0]!;
      expect(i.severity).toBe('error');
      expect(i.title).not.toMatch(/\?/);
      expect(i.title).toMatch(/not in the log/);
      expect(i.evidence.map((e) => e.text).join('\n')).toMatch(/last error: wasm module download request failed: status code 404/);
    });
    it('the wording with its URL prefix is one finding per module, as before', () => {
      const d = diagnose(
        "2025-03-02T11:04:09.883120Z\terror\twasm\tconvert the wasm config: 1 error occurred:\n\t* cannot fetch Wasm module http://10.0.0.5/plugins/key-auth/1.0.0/plugin.wasm: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404\n\n",
      );
      expect(d.incidents.map((i) => [i.cause, i.count, i.subject.plugin])).toEqual([['wasm-fetch-bad-address', 1, 'key-auth']]);
      expect(d.incidents[0]!.title).toBe('Wasm module not found at http://10.0.0.5/plugins/key-auth/1.0.0/plugin.wasm');
    });
  });
});

describe('more real shapes (a sixth set, held out until scored)', () => {
  it("a plugin's panic written on stdout (info) is a crash, with or without the plugin's name", () => {
    expect(top('2026-03-02T08:11:09.104233Z\tinfo\tenvoy wasm\twasm log: panic: runtime error: index out of range [2] with length 2')).toBe('wasm-plugin-crash');
    const d = diagnose('[2026-03-02 08:11:09.104][31][info][wasm] [source/extensions/common/wasm/context.cc:1172] wasm log rate-guard rate-guard-root rate-guard-vm: panic: nil map write');
    expect(d.incidents[0]?.cause).toBe('wasm-plugin-crash');
    expect(d.incidents[0]?.title).toMatch(/nil map write/);
    // A panic the plugin recovered from is not one.
    expect(top('2026-03-02T08:11:09.104233Z\tinfo\tenvoy wasm\twasm log: recovered from panic: runtime error: index out of range')).not.toBe('wasm-plugin-crash');
  });
  it("an old Envoy's 'failed to listen on address … on worker' is a port that is taken", () => {
    expect(top("[2019-06-02 10:41:07.310][12][critical][config] [source/server/listener_manager_impl.cc:463] listener 'public_443' failed to listen on address '0.0.0.0:443' on worker")).toBe('port-bind');
  });
  it('a listener rejected for a certificate file it cannot read is the certificate, not the config', () => {
    expect(top('2026-03-02T08:11:09.104233Z     warning envoy config    gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 0.0.0.0_9443: Invalid path: /etc/gw/tls/server.pem')).toBe('tls-certificate');
    expect(top('[2026-03-02 08:11:09.104][1][warning][config] gRPC config for type.googleapis.com/envoy.config.cluster.v3.Cluster rejected: Error adding/updating cluster(s) outbound|443||db.example.org: Failed to load certificate chain from /etc/gw/tls/client.crt')).toBe('tls-certificate');
    // A path that is no certificate stays a configuration error.
    expect(top('2026-03-02T08:11:09.104233Z     warning envoy config    gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 0.0.0.0_9443: Invalid path: /etc/gw/lua/filter.lua')).toBe('bad-config');
  });
  it("pilot-agent's SDS socket that cannot be created is the certificates Envoy will not get", () => {
    expect(top('2026-03-02T08:11:09.104233Z\terror\tsds\tFailed to set up UDS path: failed to listen on unix socket "./var/run/secrets/workload-spiffe-uds/socket": listen unix ./var/run/secrets/workload-spiffe-uds/socket: bind: read-only file system')).toBe('tls-certificate');
  });
});

describe('more real shapes (a seventh set, held out until scored)', () => {
  it("an Istio ≥ 1.5 TEXT access line pasted without its time is an access record, not general wording", () => {
    // %REQ(…)% %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" …
    const timed = '[2026-03-02T08:11:09.104Z] "POST /api/orders HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure} - "-" 120 91 2 - "10.1.2.3" "okhttp/4.9.3" "5c1d2e3f-0a1b-4c2d-8e9f-001122334455" "orders.example.com" "10.8.0.14:8080" outbound|8080||orders.shop.svc.cluster.local - 10.8.1.2:8080 10.1.2.3:51234 - default';
    for (const line of [timed, timed.slice(timed.indexOf('"'))]) {
      const d = diagnose(line);
      expect(top(line)).toBe('upstream-unavailable');
      expect(d.incidents[0]?.tier).not.toBe('general');
      expect(d.incidents[0]?.subject.cluster).toBe('outbound|8080||orders.shop.svc.cluster.local');
    }
    // A termination detail after the response details (UC, the upstream closed the connection) reads the same way.
    const uc = '"GET /healthz HTTP/2" 503 UC upstream_reset_before_response_started{connection_termination} connection_closed "-" 0 95 0 - "10.1.2.3" "kube-probe/1.29" "0a1b2c3d" "api.example.com" "10.8.0.15:8080" outbound|80||api.shop.svc.cluster.local 10.8.1.2:37132 10.8.1.2:80 10.1.2.3:59375 - -';
    expect(top(uc)).toBe('upstream-unavailable');
    expect(diagnose(uc).incidents[0]?.tier).not.toBe('general');
  });
});

describe('a JSON record printed over several lines (jq, a log viewer\'s JSON view)', () => {
  const pretty = [
    '{',
    '  "start_time": "2024-11-08T13:54:35.382Z",',
    '  "method": "POST",',
    '  "response_code": "503",',
    '  "response_flags": "UF",',
    '  "response_code_details": "upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_No_route_to_host}",',
    '  "upstream": { "cluster": "ignored", "hosts": [1, 2] },',
    '  "upstream_cluster": "outbound|8080||predict.models.svc.cluster.local",',
    '  "upstream_host": "10.0.4.17:8080",',
  ];
  it('is read as the one-line record it is: an access entry, closed or cut after a member', () => {
    // As printed, cut after a member, indented as a whole, behind a host's own time (§W13: its members keep their indentation).
    const timed = [...pretty, '}'].map((l) => `2025-11-25 13:12:28.243537256  ${l}`);
    for (const lines of [[...pretty, '}'], pretty, [...pretty.map((l) => `    ${l}`), '    }'], timed]) {
      const text = lines.join('\n');
      const d = diagnose(text);
      expect(top(text)).toBe('upstream-unavailable');
      expect(d.incidents[0]!.tier).toBe('exact');
      expect(d.incidents[0]!.subject.cluster).toBe('outbound|8080||predict.models.svc.cluster.local');
      // At its `{` line, shown as the compact object; nothing unparsed, every line counted.
      expect(d.incidents[0]!.evidence.map((e) => e.line)).toEqual([1]);
      expect(d.incidents[0]!.evidence[0]!.text.startsWith('{"start_time":"2024-11-08T13:54:35.382Z"')).toBe(true);
      expect(d.stats.unparsed).toBe(0);
      expect(d.stats.lines).toBe(lines.length);
    }
  });
  it("is read as Istio's JSON line too; an object that is no log record stays the lines it was", () => {
    const istio = ['{', '  "level": "error",', '  "time": "2026-05-20T08:15:42.517302Z",', '  "scope": "wasm",', '  "msg": "error in applying failopen rbac config: cannot fetch Wasm module http://h:8002/plugins/key-auth/1.0.0/plugin.wasm: wasm module download request failed: status code 404"', '}'].join('\n');
    expect(top(istio)).toBe('wasm-fetch-bad-address');
    expect(diagnose(istio).stats.unparsed).toBe(0);
    const other = ['{', '  "apiVersion": "v1",', '  "kind": "ConfigMap",', '  "data": { "mesh": "x" }', '}'].join('\n');
    expect(diagnose(other).stats.unparsed).toBe(5);
    expect(diagnose(pretty.join('\n')).stats.layouts).toEqual({ 'access-json': 1 });
  });
});

describe('TAB damage', () => {
  it("Envoy's crash line cut or hard-wrapped inside 'suspect faulting address' is still the crash line, read exactly", () => {
    const cut = '[2018-05-20 12:49:08.980][327][critical][backtrace] bazel-out/k8-opt/bin/external/envoy/source/server/_virtual_includes/backtrace_lib/server/backtrace.h:114] Caught Segmentation fault, suspect faultin\ns 0x0';
    expect(top(cut)).toBe('envoy-crash');
    expect(diagnose(cut).incidents[0]!.tier).toBe('exact');
    // The same line without its header (a raw paste), cut the same way: raw crash text, the block assembled.
    const raw = 'Caught Segmentation fault, suspect faultin\nBacktrace (use tools/stack_decode.py to get line numbers):\n#0: __restore_rt [0x7f2c1e0a3420]';
    expect(top(raw)).toBe('envoy-crash');
    expect(diagnose(raw).stats.unparsed).toBe(0);
  });
  it("Envoy's JSON application log (message, Level/Message) is read like Istio's JSON; a record holding a gateway line under message stays an envelope", () => {
    const rejected = '{"source":"envoy","date":"2022-03-11T09:56:49.261+00:00","level":"warning","component":"config","process":1,"thread":1,"message":"gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 0.0.0.0_80: cannot bind \'0.0.0.0:80\': Address already in use"}';
    const d = diagnose(rejected);
    expect(d.stats.layouts).toEqual({ 'istio-json': 1 });
    expect(top(rejected)).toBe('port-bind');
    expect(d.incidents[0]!.tier).toBe('exact');
    const docs = '{"Timestamp":"2022-03-11T09:56:49.261","ThreadId":"1","Level":"critical","Message":"error initializing configuration \'/etc/envoy/envoy.yaml\': Protobuf message (type envoy.config.bootstrap.v3.Bootstrap reason INVALID_ARGUMENT:static_resources: unknown field) has unknown fields"}';
    expect(top(docs)).toBe('bad-config');
    expect(diagnose(docs).stats.unparsed).toBe(0);
    // A log store's record whose message is Envoy's crash text: the block is assembled from the lines inside.
    const crash = ['Caught Segmentation fault, suspect faulting address 0x0', 'Backtrace (use tools/stack_decode.py to get line numbers):', '#0: __restore_rt [0x7f2c1e0a3420]'].map((m) => JSON.stringify({ '@timestamp': '2026-05-20T08:15:44.031Z', level: 'error', message: m }));
    const c = diagnose(crash.join('\n'));
    expect(c.incidents.map((i) => i.cause)).toEqual(['envoy-crash']);
    expect(c.incidents[0]!.evidence.length).toBeGreaterThan(1);
  });
  it("an Istio line whose time lost its zone (a tool's local time, the Z cut off) is read by its layout, as UTC", () => {
    const line = "2024-01-04T12:06:54.5114527\terror\tcache\tresource:default request:1 CSR failed with error: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing dial tcp 10.96.0.20:15012: connect: connection refused\", retry in 3200 millisec";
    const d = diagnose(line);
    expect(d.stats.unparsed).toBe(0);
    expect(d.stats.layouts).toEqual({ 'istio-go': 1 });
    expect(top(line)).toBe('xds-disconnected');
    expect(d.incidents[0]!.firstSeen).toBe('2024-01-04T12:06:54.511Z');
  });
  it("an Istio line whose TABs were lost altogether (level glued to time and message) is still read by its layout", () => {
    const glued = [
      '2026-06-08T11:19:41.292719Zinfoads ADS: "1 terminated',
      '2026-06-08T11:19:42.225939ZerrorEnvoy exited with error: signal: killed',
    ].join('\n');
    const d = diagnose(glued);
    expect(top(glued)).toBe('oom');
    // Both lines are records of the Istio layout (time and level read), none unparsed or unexplained.
    expect(d.stats.unparsed).toBe(0);
    expect(d.unclassified).toEqual([]);
    expect(d.incidents[0]?.evidence.map((e) => e.line)).toEqual([2]);
    // Envoy's own lines in Istio's layout, glued the same way: the logger after `envoy` is still read.
    const envoy = '2026-05-20T08:15:42.517302Zwarningenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193 DeltaAggregatedResources gRPC config stream to xds-grpc closed: 14, connection refused';
    expect(top(envoy)).toBe('xds-disconnected');
    expect(diagnose(envoy).stats.unparsed).toBe(0);
  });
});

describe('more real shapes (an eighth set, held out until scored)', () => {
  const exact = (text: string): [string | undefined, string] => {
    const i = diagnose(text).incidents[0];
    return [top(text), i?.tier ?? 'none'];
  };
  it("what Envoy's main() prints itself at start-up is a record of its own, after any logger line", () => {
    const info = '[2026-05-20 08:15:44.031][7][info][main] [source/server/server.cc:436] initializing epoch 0 (base id=0, hot restart version=11.104)';
    const debug = '[2026-05-20 08:15:44.031][7][debug][init] [source/common/init/watcher_impl.cc:31] init manager Server destroyed';
    for (const sock of ['unable to bind domain socket with base_id=0, id=0, errno=98 (see --base-id option)', 'unable to bind domain socket with id=0 (see --base-id option)']) {
      for (const before of ['', `${info}\n`, `${debug}\n`, `**${debug}\n`]) expect(exact(`${before}${sock}`)).toEqual(['port-bind', 'exact']);
      expect(exact(`\`${sock}\``)).toEqual(['port-bind', 'exact']);
    }
    // TCLAP's verdict on the command line, as printed and as a viewer showed it (the container's name on a line of
    // its own before each line, the reason's indentation lost).
    const tclap = "PARSE ERROR: Argument: --log-levl\n             Couldn't find match for argument\n\nBrief USAGE: \n   envoy  [--disable-extensions <string>] [--cpuset-threads]";
    expect(exact(tclap)).toEqual(['bad-config', 'exact']);
    expect(exact(`${info}\n${tclap}`)).toEqual(['bad-config', 'exact']);
    expect(exact("envoy\nPARSE ERROR: Argument: --log-levl\nenvoy\nCouldn't find match for argument\nenvoy\nBrief USAGE:")).toEqual(['bad-config', 'exact']);
    expect(diagnose(tclap).incidents[0]?.title).toMatch(/--log-levl/);
  });
  it("a missing import in the older spelling ('WASM module', Envoy's own Wasm code before proxy-wasm-cpp-host) is the exact incompatibility", () => {
    for (const line of [
      '[2020-05-20 08:15:44.031][21][error][wasm] [external/envoy/source/extensions/common/wasm/wasm_vm.cc:39] Failed to load WASM module due to a missing import: env.proxy_set_buffer_bytes',
      '`proxy_1  | Failed to load WASM module due to a missing import: env.syscall/js.valueGet\n`',
      "When I run it: 'Failed to load WASM module due to a missing import: __wbindgen_placeholder__.__wbindgen_describe'",
    ]) {
      expect(exact(line)).toEqual(['wasm-module-incompatible', 'exact']);
    }
    expect(diagnose('Failed to load WASM module due to a missing import: env.syscall/js.valueGet').incidents[0]?.title).toMatch(/syscall\/js\.valueGet/);
  });
  it('a JSON access log with camelCase keys is read like the snake_case one', () => {
    const camel = '{"responseCodeDetails":"upstream_reset_before_response_started{connection_failure}","requestPath":"/v1/items","upstreamServiceTime":"-","requestMethod":"GET","startTime":"2026-05-20T08:15:44.031Z","bytesReceived":"0","bytesSent":"91","protocol":"HTTP/1.1","responseFlags":"UF,URX","responseCode":"503","upstreamCluster":"outbound|8080||orders.shop.svc.cluster.local","duration":"55"}';
    for (const line of [camel, `\`${camel}\``, `2026-05-20T08:15:44.031Z ${camel}`]) {
      expect(exact(line)).toEqual(['upstream-unavailable', 'exact']);
      expect(diagnose(line).incidents[0]?.subject.cluster).toBe('outbound|8080||orders.shop.svc.cluster.local');
    }
    // A successful request in the same format is not a failure.
    expect(diagnose(camel.replace('"503"', '"200"').replace('UF,URX', '-')).incidents).toEqual([]);
  });
  it("Google Cloud Logging's entries, one key a line, are read as the lines under textPayload", () => {
    const entry = (line: string): string => `  {\n    "insertTime": "2026-05-20T08:15:45.000Z",\n    "textPayload": ${JSON.stringify(`${line}\n`)},\n    "severity": "ERROR"\n  },`;
    const crash = [
      '[2026-05-20 08:15:44.031][33][critical][backtrace] [./source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0',
      '[2026-05-20 08:15:44.031][33][critical][backtrace] [./source/server/backtrace.h:91] Backtrace (use tools/stack_decode.py to get line numbers):',
      '[2026-05-20 08:15:44.031][33][critical][backtrace] [./source/server/backtrace.h:98] #0: [0x7f27578f7320]',
    ];
    expect(top(crash.map(entry).join('\n'))).toBe('envoy-crash');
    // As pasted from the console: only the textPayload lines, the last one cut before its closing quote.
    const drain = [
      '"textPayload": "2026-05-20T08:15:44.705823Z\\tinfo\\tAgent draining Proxy\\n",',
      '"textPayload": "2026-05-20T08:15:49.707019Z\\twarn\\tAborting epoch 0...\\n",',
      '"textPayload": "2026-05-20T08:15:49.707056Z\\tinfo\\tAgent has successfully terminated',
    ].join('\n');
    const d = diagnose(drain);
    expect(notAGatewayLog(d)).toBe(false);
    expect(d.stats.layouts['istio-go']).toBe(3);
    expect(top('    "textPayload": "2026-05-20T08:15:44.031000Z\\terror\\tenvoy config\\tlistener \'0.0.0.0_80\' failed to bind or apply socket options: cannot bind \'0.0.0.0:80\': Address already in use\\n",')).toBe('port-bind');
  });
  it("an SDS server that cannot get a proxy its secret is the certificate, even pasted after the proxy's NOT ready", () => {
    const notReady = 'info Envoy proxy is NOT ready: config not received from Pilot (is Pilot running?): cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected';
    const agent = 'error  sdsServiceLog  CONNECTION ID: sidecar~10.1.2.3~web-0.shop~shop.svc.cluster.local-7, RESOURCE NAME: ROOTCA, EVENT: close connection. Failed to get secret for proxy "sidecar~10.1.2.3~web-0.shop~shop.svc.cluster.local" from secret cache: failed to get root cert.';
    expect(exact(`${notReady}\n${agent}`)).toEqual(['tls-certificate', 'exact']);
    expect(exact(`2026-05-20T08:15:44.031000Z\terror\tsds\t${agent.slice(agent.indexOf('Failed'))}`)).toEqual(['tls-certificate', 'exact']);
    // A CA the agent cannot reach is the control plane.
    expect(top('2026-05-20T08:15:44.031000Z\terror\tsds\tFailed to get secret for proxy "router~10.1.2.4~gw-1.gw~gw.svc.cluster.local" from secret cache: failed to sign CSR: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 10.96.0.20:15012: connect: connection refused"')).toBe('xds-disconnected');
  });
});

describe('wrappers that hid what the lines say (the rewrap leftovers of session cover2)', () => {
  const incidents = (d: Diagnosis): string[] => d.incidents.map((i) => `${i.cause}/${i.severity}/${i.count}`);
  it("an indented paste of lines no layout reads (stern's `<pod> <container>` before each) keeps one record per line", () => {
    // Istio lines (§L4) whose TABs became spaces, each behind the pod and container names a multi-pod tail prints.
    const plain = [
      'higress-gateway-7d9f-x2k4p higress-gateway 2026-05-20T10:11:10.110935Z  warn  sds  failed to warm certificate: failed to generate workload certificate: create certificate: rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"',
      'higress-gateway-7d9f-x2k4p higress-gateway 2026-05-20T10:11:12.402817Z  error  Envoy exited with error: signal: segmentation fault',
      'higress-gateway-5b2c-q8r7t higress-gateway 2026-05-20T10:11:13.000245Z  info  Envoy command: [-c etc/istio/proxy/envoy-rev.json --drain-time-s 45]',
    ];
    const want = incidents(diagnose(plain.join('\n')));
    expect(want.length).toBeGreaterThanOrEqual(2);
    for (const indent of ['  ', '    ', '        ']) expect(incidents(diagnose(plain.map((l) => indent + l).join('\n'))), JSON.stringify(indent)).toEqual(want);
    // Deeper lines are still the continuation of the line before them, as unindented.
    const cont = ['    something nobody reads', '      and its deeper continuation', '    a line of its own', ''].join('\n');
    const p = new Pipeline(catalog, { noPrefilter: true, onEvent: (e) => lengths.push(e.lines.length) });
    const lengths: number[] = [];
    p.beginInput('paste.log');
    p.push(Buffer.from(cont));
    p.endInput();
    expect(lengths).toEqual([2, 1]);
  });
  it('a YAML status in the rows of a markdown table keeps its indentation: the folded message is read whole', () => {
    // A policy status pasted beside the log (§L12), each line in a viewer's row with its time cell (§W10).
    const yaml = [
      '```',
      '  conditions:',
      "  - message: 'Wasm: wasm module download failed after 1 attempts, last error:",
      '      wasm module download request failed: status code 404.\'',
      '    reason: Invalid',
      '```',
    ];
    const want = incidents(diagnose(yaml.join('\n')));
    expect(diagnose(yaml.join('\n')).incidents[0]?.cause).toBe('wasm-fetch-bad-address');
    const rows = yaml.map((l) => `| 2025-01-02 03:04:05.678 | ${l.replace(/\|/g, '\\|')} |`);
    expect(incidents(diagnose(rows.join('\n')))).toEqual(want);
    // The cell's own padding is not indentation: a row padded by one or two spaces reads as the bare line.
    expect(top('|  2026-05-20T10:11:12.402817Z\terror\tEnvoy exited with error: signal: segmentation fault |')).toBe('envoy-crash');
  });
});

describe('more real shapes (a ninth set, held out until scored)', () => {
  const exact = (text: string): [string | undefined, string] => {
    const i = diagnose(text).incidents[0];
    return [top(text), i?.tier ?? 'none'];
  };
  it("a TLS error in the older transport-failure form ('TLS error: <code>:<lib>:OPENSSL_internal:<REASON>', no TLS_error_end) names the certificate, whatever the reason", () => {
    // JSON access log of an Envoy before the TLS_error_end form: spaces turned to '_' in the details, the reason last.
    const json = (reason: string): string => `{"start_time":"2026-05-20T08:15:44.031Z","upstream_host":"10.244.1.37:8080","response_code_details":"upstream_reset_before_response_started{connection_failure,TLS_error:_268435612:SSL_routines:OPENSSL_internal:${reason}}","response_flags":"UF","response_code":503,"method":"POST","path":"/v1/orders","upstream_cluster":"shop/orders|8080","duration":1}`;
    for (const reason of ['HTTP_REQUEST', 'SSLV3_ALERT_HANDSHAKE_FAILURE', 'CERTIFICATE_VERIFY_FAILED', 'NO_SHARED_CIPHER']) {
      expect(exact(json(reason))).toEqual(['tls-certificate', 'exact']);
      expect(diagnose(json(reason)).incidents[0]?.subject.cluster).toBe('shop/orders|8080');
    }
    expect(diagnose(json('HTTP_REQUEST')).incidents[0]?.title).toMatch(/plain HTTP/);
    // The TEXT access log quotes the failure reason with its spaces.
    const text = '[2026-05-20T08:15:44.031Z] "GET /api/v1/orders HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure,TLS_error:_268435612:SSL_routines:OPENSSL_internal:HTTP_REQUEST} - "TLS error: 268435612:SSL routines:OPENSSL_internal:HTTP_REQUEST" 0 91 3 - "10.244.0.3" "okhttp/4.12.0" "5b8e1b2c-2f0a-4c1e-9d7b-0a1b2c3d4e5f" "api.demo.internal" "-" outbound|443||legacy-api.static - 10.244.1.37:443 10.244.0.3:51844 - order-api';
    expect(exact(text)).toEqual(['tls-certificate', 'exact']);
    // A connect failure with no TLS in it stays the upstream.
    expect(top(json('HTTP_REQUEST').replace(',TLS_error:_268435612:SSL_routines:OPENSSL_internal:HTTP_REQUEST', ''))).toBe('upstream-unavailable');
  });
  it("Envoy's '(in progress)' is a fetch still running when another configuration wants the module, not a failed fetch: a warning until '(cached)' or 503s follow", () => {
    const grave = (text: string): string[] => diagnose(text).incidents.filter((i) => i.severity === 'error' || i.severity === 'critical').map((i) => i.cause);
    const url = 'https://plugins.example.com/wasm/auth.wasm';
    const shapes: [string, string, string][] = [
      [`2026-05-20T08:15:44.031000Z\twarning\tenvoy wasm\tcreateWasm: failed to load (in progress) from ${url}`, '2026-05-20T08:15:44.031100Z\tcritical\tenvoy wasm\tPlugin configured to fail closed failed to load', `2026-05-20T08:16:14.031000Z\twarning\tenvoy wasm\tcreateWasm: failed to load (cached) from ${url}`],
      [`[2026-05-20 08:15:44.031][61][warning][wasm] [source/extensions/common/wasm/wasm.cc:1050] createWasm: failed to load (in progress) from ${url}`, '[2026-05-20 08:15:44.031][61][critical][wasm] [source/extensions/common/wasm/wasm.cc:1066] Plugin configured to fail closed failed to load', `[2026-05-20 08:16:14.031][61][warning][wasm] [source/extensions/common/wasm/wasm.cc:1050] createWasm: failed to load (cached) from ${url}`],
    ];
    for (const [progress, failClosed, cached] of shapes) {
      for (const text of [progress, `${progress}\n${failClosed}`]) {
        expect(grave(text)).toEqual([]);
        expect(top(text)).toBe('wasm-fetch-network');
      }
      // The fetch that ended without code, alone or after the in-progress line, is the failure.
      expect(grave(`${progress}\n${failClosed}\n${cached}`)).toEqual(['wasm-fetch-network']);
      expect(grave(cached)).toEqual(['wasm-fetch-network']);
    }
  });
  it('an ENVOY_BUG about a removed runtime guard is the configuration that still sets it, a warning (Envoy ignores the key and runs on)', () => {
    const guard = 'envoy.reloadable_features.allow_upstream_filters';
    for (const line of [
      `[2026-05-20 08:15:44.031][1][error][envoy_bug] [./source/common/common/assert.cc:38] envoy bug failure: false. Details: Using a removed guard ${guard}. In future version of Envoy this will be treated as invalid configuration`,
      `2026-05-20T08:15:44.031000Z\terror\tenvoy envoy_bug external/envoy/source/common/common/assert.cc:38\tenvoy bug failure: false. Details: Using a removed guard ${guard}. In future version of Envoy this will be treated as invalid configuration\tthread=1`,
      `envoy bug failure: false. Details: Using a removed guard ${guard}. In future version of Envoy this will be treated as invalid configuration\n[2026-05-20 08:15:44.031][1][error][envoy_bug] [./source/common/common/assert.h:38] stacktrace for envoy bug\n[2026-05-20 08:15:44.031][1][error][envoy_bug] [./source/common/common/assert.h:45] #0 UNKNOWN [0x55b5b951e39d]`,
    ]) {
      const i = diagnose(line).incidents[0];
      expect(top(line)).toBe('bad-config');
      expect([i?.severity, i?.tier]).toEqual(['warning', 'exact']);
      expect(i?.title).toContain(guard);
    }
    // Any other ENVOY_BUG stays an internal bug of Envoy.
    expect(top('[2026-05-20 08:15:44.031][61][error][envoy_bug] [external/envoy/source/common/common/assert.cc:47] envoy bug failure: !finished_. Details: stream already finished')).toBe('envoy-crash');
  });
});

describe('more real shapes (a tenth set, held out until scored)', () => {
  const exact = (text: string): [string | undefined, string] => {
    const i = diagnose(text).incidents[0];
    return [top(text), i?.tier ?? 'none'];
  };
  it('a file-based config rejection that names TLS material Envoy could not load is the certificate, like a gRPC one', () => {
    const shapes = (reason: string): string[] => [
      `[2026-05-20 08:15:44.031][1][warning][config] [source/extensions/config_subscription/filesystem/filesystem_subscription_impl.cc:43] Filesystem config update rejected: ${reason}`,
      `2026-05-20T08:15:44.031000Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/filesystem/filesystem_subscription_impl.cc:43\tFilesystem config update rejected: ${reason}\tthread=1`,
      `[Envoy (Epoch 0)] [2026-05-20 08:15:44.031][1][warning][config] Filesystem config update rejected: ${reason}`,
    ];
    // A Secret mounted before it was filled: the path in the message is blank.
    for (const reason of ['Failed to load incomplete certificate from , ', 'Failed to load private key from /etc/envoy/certs/tls.key', 'Failed to load certificate chain from /etc/envoy/certs/tls.crt']) {
      for (const line of shapes(reason)) expect(exact(line)).toEqual(['tls-certificate', 'exact']);
    }
    // Any other file-based rejection stays the configuration.
    for (const line of shapes('Unable to parse JSON as proto (INVALID_ARGUMENT:: invalid value)')) expect(exact(line)).toEqual(['bad-config', 'exact']);
  });
  it("Envoy that cannot start because the bootstrap's certificate or key cannot be loaded is the certificate, not the configuration's shape", () => {
    const shapes = (reason: string): string[] => [
      `[2026-05-20 08:15:44.031][1][critical][main] [source/server/server.cc:113] error initializing configuration '/etc/envoy/envoy.yaml': ${reason}`,
      `2026-05-20T08:15:44.031000Z\tcritical\tenvoy main external/envoy/source/server/server.cc:1088\terror initializing configuration '/etc/istio/proxy/envoy-rev.json': ${reason}\tthread=1`,
      `> [2026-05-20 08:15:44.031][1][critical][main] error initializing configuration '/etc/envoy/envoy.yaml': ${reason}`,
      `> error initializing configuration '/etc/envoy/envoy.yaml': ${reason}`,
    ];
    for (const reason of ['Failed to load private key from /etc/envoy/certs/serverkey.pem', 'Failed to load certificate chain from /etc/envoy/certs/servercert.pem', 'Failed to load trusted CA certificates from /etc/envoy/certs/ca.pem', 'Invalid path: /etc/envoy/certs/tls.key']) {
      for (const line of shapes(reason)) {
        expect(exact(line)).toEqual(['tls-certificate', 'exact']);
        expect(diagnose(line).incidents[0]?.severity).toBe('critical');
      }
    }
    // The bootstrap's own mistakes stay bad-config, also when they mention a certificate field.
    for (const reason of ['Protobuf message (type envoy.config.bootstrap.v3.Bootstrap reason INVALID_ARGUMENT:(static_resources.clusters[0]) hosts: Cannot find field.) has unknown fields', 'Proto constraint validation failed (TlsCertificateValidationError.CertificateChain: embedded message failed validation)']) {
      for (const line of shapes(reason)) expect(top(line)).toBe('bad-config');
    }
  });
  it("Go's 'listen tcp <addr>: bind: <errno>' is a port a gateway process cannot take, read exactly whatever message wraps it", () => {
    for (const [line, address] of [
      ['2026-05-20T08:15:44.031000Z\terror\tError listening on status port: listen tcp :15020: bind: address already in use', ':15020'],
      ['2026-05-20T08:15:44.031Z\tERROR\tdataplane.run\tdata plane stopped\t{"error": "listen tcp 127.0.0.1:9902: bind: address already in use"}', '127.0.0.1:9902'],
      ['agent.run error while running the agent {"error": "listen tcp 0.0.0.0:80: bind: permission denied"}', '0.0.0.0:80'],
      ['2026/05/20 08:15:44 admin: listen tcp6 [::1]:15000: bind: cannot assign requested address', '[::1]:15000'],
    ] as const) {
      expect(exact(line)).toEqual(['port-bind', 'exact']);
      expect(diagnose(line).incidents[0]?.subject.address).toBe(address);
    }
    // The SDS unix socket is not a port, and a refused dial is no listen.
    expect(top('2026-05-20T08:15:44.031000Z\terror\tsds\tFailed to set up UDS path: failed to listen on unix socket "./var/run/secrets/workload-spiffe-uds/socket": listen unix ./var/run/secrets/workload-spiffe-uds/socket: bind: read-only file system')).not.toBe('port-bind');
    expect(top('2026-05-20T08:15:44.031000Z\twarn\tdial tcp 10.0.0.5:15012: connect: connection refused')).not.toBe('port-bind');
  });
});

describe('more real shapes (an eleventh set, held out until scored)', () => {
  it("an agent's logfmt line that relays a line of the proxy's own is read at the relayed line's level", () => {
    const nack = (level: string): string =>
      `level=debug msg="level=${level} msg=\\"external/envoy/source/common/config/grpc_subscription_impl.cc:107] gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 18001:ingress:TCP:9090: cannot bind '0.0.0.0:9090': Address already in use\\" subsys=envoy-config threadID=77" subsys=envoy-manager`;
    for (const line of [nack('warning'), `Mar 02 10:11:12 node-1 cilium-agent[912]: ${nack('warning')}`, `time="2026-05-20T08:15:44Z" ${nack('error')}`]) {
      expect(top(line)).toBe('port-bind');
      expect(diagnose(line).incidents[0]?.severity).not.toBe('info');
    }
    // A relayed line at debug stays quiet; a plain msg that merely mentions `level=` is the agent's own.
    expect(top(nack('debug'))).toBeUndefined();
    expect(top('level=debug msg="config reloaded, level=warning kept for the envoy-config subsystem" subsys=daemon')).toBeUndefined();
  });
  it("a debugger's backtrace of an Envoy core dump, in gdb's own form or shortened to the function names, is a crash", () => {
    const short = [
      '#0  __pthread_kill_implementation',
      '#1  __pthread_kill_internal',
      '#2  __GI_raise',
      '#3  Envoy::SignalAction::sigHandler',
      '#4  <signal handler called>',
      '#5  0x0000000000000000',
      '#6  Envoy::Upstream::ClusterManagerImpl::ThreadLocalClusterManagerImpl::removeCluster()',
      '#7  event_process_active_single_queue',
      '#8  event_base_loop',
      '#9  Envoy::Server::WorkerImpl::threadRoutine()',
      '#10 start_thread',
    ].join('\n');
    const full = [
      '#0  0x00007f3a1c2e99fc in __pthread_kill_implementation (no_tid=0, signo=11, threadid=139887) at ./nptl/pthread_kill.c:44',
      '#1  0x00007f3a1c295476 in __GI_raise (sig=11) at ../sysdeps/posix/raise.c:26',
      '#2  0x000055d6b5a1c2e4 in Envoy::SignalAction::sigHandler (sig=11, info=0x7ffd5c3e1a70, context=0x7ffd5c3e1940) at source/common/signal/signal_action.cc:53',
      '#3  <signal handler called>',
      '#4  0x000055d6b6b2f0a1 in Envoy::Router::Filter::onUpstreamHeaders (this=0x2f4c8e0) at source/common/router/router.cc:1402',
    ].join('\n');
    for (const text of [short, full, short.split('\n').map((l) => `    ${l}`).join('\n')]) {
      expect(top(text)).toBe('envoy-crash');
      expect(diagnose(text).incidents[0]?.severity).toBe('critical');
    }
    const wasm = full.replace('Envoy::Router::Filter::onUpstreamHeaders (this=0x2f4c8e0) at source/common/router/router.cc:1402', 'Envoy::Extensions::Common::Wasm::Context::onRequestHeaders (this=0x2f4c8e0) at source/extensions/common/wasm/context.cc:1622');
    expect(top(wasm)).toBe('wasm-plugin-crash');
    // Frames without the signal handler, and prose that starts with a number sign, are no crash.
    expect(top('#1  issue\n#2  another one')).toBeUndefined();
    expect(top('#0  __libc_start_main\n#1  main')).toBeUndefined();
  });
  it('a config stream closed in the same second as an upstream connection failed its TLS handshake is that certificate failure', () => {
    const lines = (tlsFirst: boolean, reason: string): string => {
      const stream = '[2026-05-20 08:15:44.031][1][warning][config] [source/common/config/grpc_stream.h:92] StreamAggregatedResources gRPC config stream closed: 14, upstream connect error or disconnect/reset before headers. reset reason: connection termination';
      const tls = `[2026-05-20 08:15:44.031][1][debug][pool] [source/common/http/conn_pool_base.cc:265] [C4] client disconnected, failure reason: TLS error: 268436498:SSL routines:OPENSSL_internal:${reason}`;
      return (tlsFirst ? [tls, stream] : [stream, tls]).join('\n');
    };
    for (const tlsFirst of [false, true]) {
      for (const reason of ['SSLV3_ALERT_BAD_CERTIFICATE', 'CERTIFICATE_VERIFY_FAILED']) {
        const d = diagnose(lines(tlsFirst, reason));
        expect(top(lines(tlsFirst, reason))).toBe('tls-certificate');
        expect(d.incidents[0]?.severity).toBe('error');
        expect(d.incidents.find((i) => i.cause === 'xds-disconnected')?.rootOf).toBe(d.incidents[0]?.id);
      }
    }
    // Seconds apart they are two things: the closure stays its own warning.
    const apart = lines(false, 'CERTIFICATE_VERIFY_FAILED').replace('[2026-05-20 08:15:44.031][1][debug]', '[2026-05-20 08:16:30.031][1][debug]');
    const d = diagnose(apart);
    expect(d.incidents.find((i) => i.cause === 'xds-disconnected')?.rootOf).toBeNull();
    expect(d.incidents.find((i) => i.cause === 'tls-certificate')?.severity).toBe('warning');
  });
  it("the proto-validation exception Envoy's main() prints after `exiting` is a record of its own, whatever wraps the paste", () => {
    const reason = 'Proto constraint validation failed (BootstrapValidationError.Admin: embedded message failed validation | caused by AdminValidationError.Address: value is required): admin {';
    const exiting = '[2026-05-20 08:15:44.031][1][info][main] [source/server/server.cc:956] exiting';
    for (const text of [`${exiting}\n${reason}`, `gw_1  | ${exiting}\ngw_1  | ${reason}`, `> ${exiting}\n> ${reason}`]) {
      expect(top(text)).toBe('bad-config');
    }
  });
});

describe('the general tier', () => {
  it('names a cause from its words when no exact pattern knows the wording, and says so', () => {
    const d = diagnose('2026-05-20T10:20:01.000211Z\terror\tgateway\tlistener 0.0.0.0:443 has no usable certificate: secret "gw-cert" not supplied by SDS');
    const i = d.incidents[0]!;
    expect(i.cause).toBe('tls-certificate');
    expect(i.tier).toBe('general');
    expect(i.confidence).toBeLessThanOrEqual(0.5);
    expect(i.severity).toBe('error');
    expect(i.notes.join(' ')).toMatch(/general tier/);
  });
  it('never outranks an exact incident', () => {
    const d = diagnose(
      [
        '2026-05-20T10:20:01.000211Z\tcritical\tgateway\tfatal: the proxy process crashed with SIGSEGV',
        '[2026-05-20 10:20:02.000][1][warning][config] [grpc_stream.h:193] DeltaAggregatedResources gRPC config stream to xds-grpc closed: 14, connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:15012: connect: connection refused"',
      ].join('\n'),
    );
    expect(d.incidents.map((i) => [i.cause, i.tier ?? 'exact'])).toEqual([
      ['xds-disconnected', 'exact'],
      ['envoy-crash', 'general'],
    ]);
  });
  it('leaves healthy chatter alone', () => {
    const d = diagnose('2026-05-20T10:20:01.000211Z\tinfo\tsds\tcertificate rotated\n2026-05-20T10:20:01.000211Z\twarn\tads\tpilot version is newer than expected');
    expect(d.incidents.filter((i) => i.severity === 'error' || i.severity === 'critical')).toEqual([]);
  });
});

describe('catalog lint of the declared fields', () => {
  const base = (extra: string): string =>
    `id: HD-TEST-001\ntitle: t\nseverity: warning\n${extra}\nmatch:\n  literal: x\n  regex: 'x'\nexplanation: e\nremediation: [ r ]\nexamples:\n  match:\n    - { text: x, cause: oom }\n`;
  const problems = (src: string): string[] => {
    const r = compilePatternSource(src, 't.yaml');
    return 'problems' in r ? r.problems : [];
  };
  it('a general-tier pattern claims at most 0.5 and no signals', () => {
    expect(problems(base('tier: general\ncause: oom\nconfidence: 0.5'))).toEqual([]);
    expect(problems(base('tier: general\ncause: oom\nconfidence: 0.6')).join()).toMatch(/at most 0.5/);
    expect(problems(base('tier: general\ncause: oom\nconfidence: 0.4\nsignals: [ memory ]')).join()).toMatch(/no signals/);
  });
  it('a memory signal belongs to an oom finding; signals are known words', () => {
    expect(problems(base('cause: envoy-crash\nconfidence: 0.5\nsignals: [ memory ]')).join()).toMatch(/memory signal/);
    expect(problems(base('cause: oom\nconfidence: 0.5\nsignals: [ hunger ]')).join()).toMatch(/signals/);
    expect(problems(base('cause: oom\nconfidence: 0.5\nsignals: [ memory ]'))).toEqual([]);
  });
  it('a placeholder names a field, with or without a text for when it is empty', () => {
    expect(problems(base('cause: oom\nconfidence: 0.5').replace('title: t', 'title: "at {message|nowhere}"'))).toEqual([]);
    expect(problems(base('cause: oom\nconfidence: 0.5').replace('title: t', 'title: "at {where|nowhere}"')).join()).toMatch(/placeholder \{where\} names no field/);
    const fields = new Map([['url', 'http://h/p.wasm']]);
    expect(fillTemplate('fetch {url|its URL is not in the log} ({plugin})', fields)).toBe('fetch http://h/p.wasm (?)');
    expect(fillTemplate('fetch {url|its URL is not in the log} ({plugin|})', new Map())).toBe('fetch its URL is not in the log ()');
  });
  it('repeated names a known cause and at least two', () => {
    expect(problems(base("cause: oom\nconfidence: 0.5\nrepeated: { atLeast: 1, cause: oom, confidence: 0.5, because: b }")).join()).toMatch(/repeated/);
    expect(problems(base("cause: oom\nconfidence: 0.5\nrepeated: { atLeast: 2, cause: nope, confidence: 0.5, because: b }")).join()).toMatch(/repeated/);
  });
});

describe('more real shapes (a twelfth set, held out until scored)', () => {
  const timedOut = (time: string, type: string): string =>
    `[${time}][1][warning][config] [source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:164] gRPC config: initial fetch timed out for type.googleapis.com/envoy.config.${type}`;
  it("clusters and listeners both timing out on their initial fetch is Envoy getting nothing from its control plane", () => {
    const envoy = [
      '[2026-04-02 10:00:01.100][1][info][main] [source/server/server.cc:930] starting main dispatch loop',
      timedOut('2026-04-02 10:00:16.101', 'cluster.v3.Cluster'),
      '[2026-04-02 10:00:16.101][1][info][upstream] [source/common/upstream/cluster_manager_impl.cc:240] cm init: all clusters initialized',
      timedOut('2026-04-02 10:00:31.102', 'listener.v3.Listener'),
    ].join('\n');
    const istio = [
      '2026-04-02T10:00:16.101203Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:164\tgRPC config: initial fetch timed out for type.googleapis.com/envoy.config.cluster.v3.Cluster\tthread=1',
      '2026-04-02T10:00:31.102517Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:164\tgRPC config: initial fetch timed out for type.googleapis.com/envoy.config.listener.v3.Listener\tthread=1',
    ].join('\n');
    for (const log of [envoy, istio]) {
      expect(top(log)).toBe('xds-disconnected');
      const d = diagnose(log);
      expect(d.incidents[0]?.severity).toBe('error');
      expect(d.incidents[0]?.alternatives.map((a) => a.cause)).toContain('bad-config');
      expect(d.incidents.filter((i) => !i.rootOf)).toHaveLength(1);
    }
  });
  it('one type timing out alone, a rejection beside the timeouts, or timeouts far apart stay what they were', () => {
    // One type: a warning about that type.
    for (const type of ['cluster.v3.Cluster', 'listener.v3.Listener', 'route.v3.RouteConfiguration']) {
      const d = diagnose(timedOut('2026-04-02 10:00:16.101', type));
      expect(d.incidents[0]?.cause).toBe('bad-config');
      expect(d.incidents[0]?.severity).toBe('warning');
    }
    // A rejection explains the timeouts: the configuration is the problem, not the stream.
    const rejected = [
      timedOut('2026-04-02 10:00:16.101', 'cluster.v3.Cluster'),
      "[2026-04-02 10:00:20.500][1][warning][config] [source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:128] gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) main: duplicate listener main found",
      timedOut('2026-04-02 10:00:31.102', 'listener.v3.Listener'),
    ].join('\n');
    expect(top(rejected)).toBe('bad-config');
    expect(diagnose(rejected).incidents.some((i) => i.cause === 'xds-disconnected')).toBe(false);
    // An hour apart: two separate events, not one start-up that got nothing.
    const apart = [timedOut('2026-04-02 10:00:16.101', 'cluster.v3.Cluster'), timedOut('2026-04-02 11:05:31.102', 'listener.v3.Listener')].join('\n');
    expect(diagnose(apart).incidents.some((i) => i.cause === 'xds-disconnected')).toBe(false);
  });
});

describe('more real shapes (a fourteenth set, held out until scored)', () => {
  it("Envoy ≤1.10's frames (`thr<tid> #n <address>`) without the signal line are a crash", () => {
    const frames = [4, 5, 6]
      .map((n) => `[2019-05-02 10:41:07.512][000031][critical][backtrace] [bazel-out/k8-opt/bin/source/server/_virtual_includes/backtrace_lib/server/backtrace.h:117] thr<31> #${n} 0x8c41a${n} (unknown)`)
      .join('\n');
    expect(top(frames)).toBe('envoy-crash');
    // Envoy 1.6 wrote them without the brackets around the source location and without `(unknown)`.
    expect(top('[2018-06-11 09:12:40.117][95][critical][backtrace] bazel-out/local-dbg/bin/source/server/_virtual_includes/backtrace_lib/server/backtrace.h:95] thr<95> #30 0x502b37')).toBe('envoy-crash');
    // `thr<` elsewhere in a message is not a frame.
    expect(top('[2019-05-02 10:41:07.512][000031][warning][main] [source/server/server.cc:100] thr<31> #1 pool is idle')).toBeUndefined();
  });
  it("Cilium's agent relaying Envoy's backtrace (subsys=envoy-backtrace, a leftover `[` before the message) is read as Envoy's", () => {
    const relayed = [
      'time="2025-02-11T08:02:17.40211355Z" level=error msg="[#3: [0x55d01a2b4c11]" subsys=envoy-backtrace threadID=77',
      'time="2025-02-11T08:02:17.40213012Z" level=error msg="[#4: [0x55d01a2b0e97]" subsys=envoy-backtrace threadID=77',
    ].join('\n');
    expect(top(relayed)).toBe('envoy-crash');
    // After kubectl's time, and with a collector's count after the record.
    const kubectl = '2025-02-11T08:02:17.402300000Z time="2025-02-11T08:02:17.40211355Z" level=error msg="[#3: [0x55d01a2b4c11]" subsys=envoy-backtrace threadID=77 (1 occurrences)';
    expect(top(kubectl)).toBe('envoy-crash');
    const d = diagnose(relayed);
    expect(d.incidents[0]?.severity).toBe('critical');
    // A bracket that closes stays part of the message, and the agent's own subsystems are not Envoy's backtrace.
    expect(top('time="2025-02-11T08:02:17.40211355Z" level=error msg="[#3] endpoints unhealthy" subsys=envoy-manager')).not.toBe('envoy-crash');
    expect(top('time="2025-02-11T08:02:17.40211355Z" level=info msg="[#3: [0x55d01a2b4c11]" subsys=hubble')).toBeUndefined();
  });
  it("a config stream closed with a code but no message, the paste's trailing space lost (`closed: 1,`), is a disconnect; `closed: 13,` stays the periodic reconnect", () => {
    const closed = (code: string): string => `[2018-06-11 09:12:40.117][1][warning][upstream] source/common/config/grpc_mux_impl.cc:205] gRPC config stream closed: ${code},`;
    expect(top(closed('1'))).toBe('xds-disconnected');
    expect(top(closed('14'))).toBe('xds-disconnected');
    expect(top(closed('13'))).toBeUndefined();
    expect(top(closed('0'))).toBeUndefined();
  });
  it('a listener rejected only because it has no filter chains (nothing attached to it) is a warning, other rejections stay errors', () => {
    const rejected = (error: string): string =>
      `[2026-03-02 11:20:45.001][1][warning][config] [source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138] gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) default/eg/tcp: ${error}`;
    const empty = diagnose(rejected("error adding listener '0.0.0.0:10080': no filter chains specified"));
    expect(empty.incidents[0]?.cause).toBe('bad-config');
    expect(empty.incidents[0]?.severity).toBe('warning');
    const dup = diagnose(rejected("error adding listener '0.0.0.0:10080': multiple filter chains with the same matching rules are defined"));
    expect(dup.incidents[0]?.cause).toBe('bad-config');
    expect(dup.incidents[0]?.severity).toBe('error');
    // The same words wrapped by a terminal viewer's box still read as one line.
    const boxed = [
      '│ [2026-03-02 11:20:45.001][1][warning][config] [source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138] gRPC config for type.googleapis.com/envoy.config.l │',
      "│ istener.v3.Listener rejected: Error adding/updating listener(s) default/eg/tcp: error adding listener '0.0.0.0:10080': no filter chains specified                        │",
    ].join('\n');
    expect(diagnose(boxed).incidents[0]?.severity).toBe('warning');
  });
  it('the control plane closing the config stream with 13 three times within a minute is a disconnect; once in a while (every ~30 min) stays the periodic reconnect', () => {
    const close = (time: string): string =>
      `[${time}][15][warning][config] [./source/common/config/grpc_stream.h:163] StreamAggregatedResources gRPC config stream to mesh-xds.example.internal:443 closed: 13,`;
    const loop = ['2026-03-02 07:10:01.120', '2026-03-02 07:10:03.500', '2026-03-02 07:10:09.004', '2026-03-02 07:10:31.877'].map(close).join('\n');
    expect(top(loop)).toBe('xds-disconnected');
    expect(diagnose(loop).incidents[0]?.severity).toBe('warning');
    // Istio's forced reconnect: once every ~30 minutes, all day.
    const periodic = ['2026-03-02 07:10:01.120', '2026-03-02 07:41:13.002', '2026-03-02 08:12:30.450', '2026-03-02 08:43:02.918'].map(close).join('\n');
    expect(top(periodic)).toBeUndefined();
    // Several streams of one connection closing in the same instant (a control-plane rollout, Envoy's own shutdown): one moment, not a loop.
    const instant = ['2026-03-02 07:10:01.120', '2026-03-02 07:10:01.120', '2026-03-02 07:10:01.121', '2026-03-02 07:10:01.121'].map(close).join('\n');
    expect(top(instant)).toBeUndefined();
    // Without times nothing says how often.
    expect(top([1, 2, 3, 4].map(() => close('x').replace('[x]', '')).join('\n'))).toBeUndefined();
    // A real disconnect beside the periodic closes is reported whatever came first.
    const refused = `[2026-03-02 08:50:00.000][15][warning][config] [./source/common/config/grpc_stream.h:163] StreamAggregatedResources gRPC config stream to mesh-xds.example.internal:443 closed: 14, upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: delayed connect error: 111`;
    expect(top(`${periodic}\n${refused}`)).toBe('xds-disconnected');
    // A symptom does not vanish into a periodic close that is not reported.
    const notReady = '2026-03-02T08:43:05.000000Z\twarn\tEnvoy proxy is NOT ready: config not received from XDS server (is Istiod running?): cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected';
    expect(diagnose(`${periodic}\n${notReady}`).incidents.map((i) => i.cause)).toContain('xds-disconnected');
  });
  it('a config stream closed with PermissionDenied or Unauthenticated is the control plane refusing the proxy, at error, also when quoted bare up to the code', () => {
    for (const code of ['7', '16']) {
      for (const line of [
        `[2026-03-02 07:10:01.120][1][warning][config] [./source/extensions/config_subscription/grpc/grpc_stream.h:193] StreamAggregatedResources gRPC config stream to xds_cluster closed: ${code}, ${code === '7' ? 'permission denied' : 'unauthenticated'}`,
        `gRPC config stream closed: ${code}`,
      ]) {
        const d = diagnose(line);
        expect(top(line)).toBe('xds-disconnected');
        expect(d.incidents[0]?.severity).toBe('error');
      }
    }
    // Quoted bare, 13 and 0 stay the reconnect.
    expect(top('gRPC config stream closed: 13')).toBeUndefined();
    expect(top('gRPC config stream closed: 0')).toBeUndefined();
  });
});

describe('more real shapes (a thirteenth set, held out until scored)', () => {
  const crash = (time: string, tid: number): string[] => [
    `[${time}][${tid}][critical][assert] [external/envoy/source/common/http/conn_manager_impl.cc:656] assert failure: request_headers_ != nullptr.`,
    `[${time}][${tid}][critical][backtrace] [external/envoy/source/server/backtrace.h:104] Caught Aborted, suspect faulting address 0x53900000017`,
    `[${time}][${tid}][critical][backtrace] [external/envoy/source/server/backtrace.h:91] Backtrace (use tools/stack_decode.py to get line numbers):`,
    `[${time}][${tid}][critical][backtrace] [external/envoy/source/server/backtrace.h:92] Envoy version: 0b5ce2c5a7c6f7d8e9f0a1b2c3d4e5f6a7b8c9d0/1.16.2/Clean/RELEASE/BoringSSL`,
  ];
  it("a Wasm VM failing without naming its plugin just before a crash is blamed for it, in the older wording too", () => {
    // Envoy's Wasm code of 2020 wrote `… thread-local Wasm code`; proxy-wasm-cpp-host `… Wasm plugin`.
    for (const failure of ['Failed to configure thread-local Wasm code', 'Failed to configure thread-local Wasm plugin', 'Failed to start thread-local Wasm']) {
      const log = [
        `[2026-03-04 09:12:40.118][21][error][wasm] [external/envoy/source/extensions/common/wasm/wasm.cc:129] Wasm VM failed ${failure}`,
        ...crash('2026-03-04 09:12:40.119', 21),
      ].join('\n');
      expect(top(log)).toBe('wasm-plugin-crash');
      const d = diagnose(log);
      expect(d.incidents[0]?.subject.plugin).toBeUndefined();
      expect(d.incidents[0]?.title).toContain('a Wasm plugin');
      expect(d.incidents[0]?.alternatives.map((a) => a.cause)).toContain('envoy-crash');
    }
    // Alone, the older wording is the plugin rejecting its configuration, not an unexplained error.
    const alone = diagnose('[2026-03-04 09:12:40.118][21][error][wasm] [external/envoy/source/extensions/common/wasm/wasm.cc:129] Wasm VM failed Failed to configure thread-local Wasm code');
    expect(alone.incidents[0]?.cause).toBe('wasm-plugin-config');
    expect(alone.unclassified).toHaveLength(0);
  });
  it('a named plugin keeps its name, and a VM failure far away or absent blames no plugin', () => {
    const named = [
      "[2026-03-04 09:12:40.100][21][warning][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1181] wasm log auth-filter auth_root auth_vm: rejecting configuration: missing field 'issuer'",
      '[2026-03-04 09:12:40.118][21][error][wasm] [external/envoy/source/extensions/common/wasm/wasm.cc:129] Wasm VM failed Failed to configure thread-local Wasm code',
      ...crash('2026-03-04 09:12:40.119', 21),
    ].join('\n');
    expect(top(named)).toBe('wasm-plugin-crash');
    expect(diagnose(named).incidents[0]?.subject.plugin).toBe('auth-filter');
    // Without a Wasm line, or with one an hour before: an Envoy crash.
    expect(top(crash('2026-03-04 09:12:40.119', 21).join('\n'))).toBe('envoy-crash');
    const apart = [
      '[2026-03-04 08:02:11.000][21][error][wasm] [external/envoy/source/extensions/common/wasm/wasm.cc:129] Wasm VM failed Failed to configure thread-local Wasm code',
      ...crash('2026-03-04 09:12:40.119', 21),
    ].join('\n');
    expect(top(apart)).toBe('envoy-crash');
    // A Wasm line at info is no failure.
    const info = ['[2026-03-04 09:12:40.118][21][info][wasm] [external/envoy/source/extensions/common/wasm/wasm.cc:88] Base Wasm created 1 now active', ...crash('2026-03-04 09:12:40.119', 21)].join('\n');
    expect(top(info)).toBe('envoy-crash');
  });
  it("Envoy's older Wasm exception texts in a rejected listener name the module, not the listener", () => {
    const rejected = (head: string, error: string): string => `${head}gRPC config for type.googleapis.com/envoy.api.v2.Listener rejected: Error adding/updating listener(s) 10.8.3.21_9080: ${error}\nvirtualInbound: ${error}`;
    const heads = [
      '[Envoy (Epoch 0)] [2020-07-14 12:30:51.207][17][warning][config] [external/envoy/source/common/config/grpc_subscription_impl.cc:87] ',
      '2020-07-14T12:30:51.207166Z\twarning\tenvoy config\t[external/envoy/source/common/config/grpc_subscription_impl.cc:101] ',
      '2020-07-14T12:30:51.207166Z     warning envoy config    ',
    ];
    for (const head of heads) {
      expect(top(rejected(head, 'Failed to initialize WASM code from /var/local/lib/wasm-filters/hello.wasm'))).toBe('wasm-module-incompatible');
      expect(top(rejected(head, 'Failed to configure WASM code'))).toBe('wasm-plugin-config');
      // Other reasons stay the listener's own.
      expect(top(rejected(head, 'duplicate listener 10.8.3.21_9080 found'))).toBe('bad-config');
    }
    const d = diagnose(rejected(heads[0]!, 'Failed to initialize WASM code from /var/local/lib/wasm-filters/hello.wasm'));
    expect(d.incidents[0]?.subject.source).toBe('/var/local/lib/wasm-filters/hello.wasm');
  });
  it("an SDK's words for a root id it registered no context under are the plugin's configuration, even bare", () => {
    const bare = 'wasm log auth_vm: Missing root context factory for root id:  at: ~lib/@solo-io/proxy-runtime/assembly/runtime.ts(1044:5)';
    expect(top(bare)).toBe('wasm-plugin-config');
    expect(notAGatewayLog(diagnose(bare))).toBe(false);
    expect(top('[2026-03-04 09:12:40.118][21][error][wasm] [source/extensions/common/wasm/context.cc:1181] wasm log auth-filter auth_root auth_vm: no context factory for root_id: auth_root')).toBe('wasm-plugin-config');
    const older = diagnose('2026-03-04T09:12:40.118552Z\twarning\tenvoy wasm\twasm log auth_vm: did not find root id auth_root');
    expect(older.incidents[0]?.cause).toBe('wasm-plugin-config');
    expect(older.incidents[0]?.severity).toBe('warning');
    expect(older.incidents[0]?.subject.rootid).toBe('auth_root');
  });
});

describe('more real shapes (a fifteenth set, held out until scored)', () => {
  it("Google tcmalloc's own lines (a failed aligned mmap, its fatal out-of-memory abort) are out of memory, by an exact pattern", () => {
    const older = [
      'external/com_github_google_tcmalloc/tcmalloc/system-alloc.cc:550] MmapAligned() failed (size, alignment) 1073741824 1073741824 @ 0x55aa10edc4 0x55aa1011a4 0x55aa100be4',
      'external/com_github_google_tcmalloc/tcmalloc/arena.cc:34] FATAL ERROR: Out of memory trying to allocate internal tcmalloc data (bytes, object-size) 131072 48 @ 0x55aa10f0d4 0x55aa10a534',
    ].join('\n');
    const newer = [
      'external/com_github_google_tcmalloc/tcmalloc/system-alloc.cc:640] MmapAligned() failed - unable to allocate with tag (hint, size, alignment) - is something limiting address placement? 0x3a2b40000000 1073741824 1073741824 @ 0x55bb2cfa88 0x55bb2cb6a0',
      'external/com_github_google_tcmalloc/tcmalloc/arena.cc:58] FATAL ERROR: Out of memory trying to allocate internal tcmalloc data (bytes, object-size); is something preventing mmap from succeeding (sandbox, VSS limitations)? 131072 640 @ 0x55bb2cfde4 0x55bb2b2fdc',
    ].join('\n');
    for (const log of [older, newer, newer.split('\n')[1]!]) {
      expect(top(log)).toBe('oom');
      const d = diagnose(log);
      expect(d.incidents[0]?.tier).not.toBe('general');
      expect(d.incidents[0]?.patterns).toContain('HD-RES-050');
    }
    // The address-space advice comes with it: free memory does not rule this out.
    expect(diagnose(newer).incidents[0]?.remediation.join(' ')).toMatch(/virtual address|address space|ulimit -v/i);
    // gperftools' own large-alloc notice stays what it was.
    expect(diagnose('tcmalloc: large alloc 1419976704 bytes == 0x1c26000 @  0xb0d5ba 0xb90aeb').incidents[0]?.patterns ?? []).not.toContain('HD-RES-050');
  });
  it("the kernel's memory-cgroup usage line of an OOM report is out of memory, also pasted without the report's header", () => {
    const dmesg = [
      '[81234.556601] RSP: 002b:00007ffd1c2a4e50 EFLAGS: 00010206',
      '[81234.556604] RAX: 000000c000a1e000 RBX: 00007f9a2c1e3000 RCX: 000000c000b2c000',
      '[81234.556631] memory: usage 262144kB, limit 262144kB, failcnt 1204',
      '[81234.556633] memory+swap: usage 0kB, limit 9007199254740988kB, failcnt 0',
      '[81234.556634] kmem: usage 5120kB, limit 9007199254740988kB, failcnt 0',
    ].join('\n');
    expect(top(dmesg)).toBe('oom');
    expect(top('Mar  2 07:10:01 worker-2 kernel: memory: usage 1048576kB, limit 1048576kB, failcnt 77')).toBe('oom');
    // The swap and kernel-memory lines alone are no report of a kill.
    expect(top('[81234.556633] memory+swap: usage 0kB, limit 9007199254740988kB, failcnt 0\n[81234.556634] kmem: usage 5120kB, limit 9007199254740988kB, failcnt 0')).toBeUndefined();
  });
  it("an allocator's out-of-memory frame in a debugger's backtrace is out of memory, also under a `(gdb) bt` prompt and indented as a whole", () => {
    const frames = [
      '#0  __GI_raise (sig=sig@entry=6) at ../sysdeps/unix/sysv/linux/raise.c:50',
      '#1  0x0000561a7c0d1e56 in Envoy::SignalAction::sigHandler (sig=6, info=0x7f0c21ff0bf0, context=0x7f0c21ff0ac0) at source/common/signal/signal_action.cc:52',
      '#2  <signal handler called>',
      '#3  0x00007f0c2200a921 in __GI_abort () at abort.c:79',
      '#4  0x0000561a7c07a676 in os_panic () at external/com_github_fdio_vpp_vcl/src/vppinfra/unix-misc.c:177',
      '#5  0x0000561a7c07a775 in os_out_of_memory () at external/com_github_fdio_vpp_vcl/src/vppinfra/unix-misc.c:221',
      '#6  0x0000561a7c07c21a in clib_mem_alloc_aligned_at_offset (size=68719476744, align=8, align_offset=<optimized out>, os_out_of_memory_on_failure=1)',
    ];
    const indent = (lines: string[]): string => lines.map((l) => `    ${l}`).join('\n');
    for (const log of [frames.join('\n'), ['(gdb) bt', ...frames].join('\n'), indent(['(gdb) bt', ...frames]), indent(['(lldb) bt', ...frames]), indent(frames)]) {
      expect(top(log)).toBe('oom');
    }
    // A segfault with no out-of-memory frame stays Envoy's crash, prompt or not.
    const segv = ['(gdb) bt', '#0  0x0000561a7d2f0a1b in Envoy::Router::Filter::onUpstreamHeaders (this=0x0) at source/common/router/router.cc:1402', '#1  0x0000561a7c0d1e56 in Envoy::SignalAction::sigHandler (sig=11, info=0x7f0c21ff0bf0, context=0x7f0c21ff0ac0) at source/common/signal/signal_action.cc:52', '#2  <signal handler called>'];
    expect(top(indent(segv))).toBe('envoy-crash');
    // A prompt alone is no crash.
    expect(top('    (gdb) bt\n    No stack.')).toBeUndefined();
  });
  it("a DNS-typed cluster whose lookup fails or comes back empty is the upstream going away, at warning, in debug and trace lines", () => {
    const debug = [
      '[2026-04-11 08:02:17.309][27][debug][dns] [source/extensions/network/dns_resolver/cares/dns_impl.cc:315] dns resolution for billing.internal.example started',
      '[2026-04-11 08:02:17.310][27][debug][dns] [source/extensions/network/dns_resolver/cares/dns_impl.cc:130] dns resolution for billing.internal.example failed with c-ares status 12',
      '[2026-04-11 08:02:17.311][27][debug][dns] [source/extensions/network/dns_resolver/cares/dns_impl.cc:236] dns resolution for billing.internal.example completed with status 1',
    ].join('\n');
    const trace = '[2026-04-11 08:02:17.311][27][trace][upstream] [source/extensions/clusters/strict_dns/strict_dns_cluster.cc:184] async DNS resolution complete for billing.internal.example details cares_norecords:Domain name not found';
    // A reporter's own reformat of the same lines (time, logger, level in parentheses) is read by its words.
    const reformatted = [
      '2026-04-11T08:02:17.311Z: upstream (trace): async DNS resolution complete for billing.internal.example details cares_failure:Timeout while contacting DNS servers',
      '2026-04-11T08:02:17.311Z: upstream (debug): membership update for TLS cluster billing added 0 removed 2',
    ].join('\n');
    for (const log of [debug, trace, reformatted]) {
      expect(top(log)).toBe('upstream-unavailable');
      const d = diagnose(log);
      expect(d.incidents[0]?.severity).toBe('warning');
      expect(d.incidents[0]?.subject.address).toBe('billing.internal.example');
    }
    // A lookup that worked is nothing.
    expect(top('[2026-04-11 08:02:17.311][27][debug][dns] [source/extensions/network/dns_resolver/cares/dns_impl.cc:236] dns resolution for billing.internal.example completed with status 0')).toBeUndefined();
    expect(top('[2026-04-11 08:02:17.311][27][trace][upstream] [source/extensions/clusters/strict_dns/strict_dns_cluster.cc:184] async DNS resolution complete for billing.internal.example details cares_success:Completed')).toBeUndefined();
  });
  it("Kubernetes' image fields in a pasted pod description or manifest are no Wasm fetch", () => {
    const describe = [
      '    Last State:     Terminated',
      '      Reason:       OOMKilled',
      '      Exit Code:    137',
      'Init Containers:',
      '  mesh-init:',
      '    Image:         registry.local/mesh/agent:1.8.0',
      '    Image ID:      docker-pullable://registry.local/mesh/agent@sha256:0e660ca8ae28d864e3eaaed0e273b2f8cd348af207e2b715237e869d7a8b5dcc',
    ].join('\n');
    const d = diagnose(describe);
    expect(d.incidents.map((i) => i.cause)).toEqual(['oom']);
    expect(diagnose('        imagePullPolicy: IfNotPresent\n        imagePullSecrets:\n        - name: plugin-registry').incidents).toHaveLength(0);
    // A failed pull of a plugin image is still read by the general tier.
    expect(top('2026-05-20T10:20:01.000211Z\terror\twasm\tfailed to pull plugin image harbor.local/waf:1.0: dial tcp 10.0.0.5:443: i/o timeout')).toBe('wasm-fetch-network');
  });
});

describe('more real shapes (an eighteenth set, held out until scored)', () => {
  it('a listener that terminates TLS with no certificate is the certificate, at start-up and in a rejected update', () => {
    const wordings = ['No TLS certificates found for server context', 'A single TLS certificate is required for server contexts', 'Missing tls_certificates specification for server context'];
    for (const reason of wordings) {
      const startup = `[2026-02-10 06:41:12.330][1][critical][main] [source/server/server.cc:113] error initializing configuration '/srv/edge/envoy.yaml': ${reason}`;
      expect(top(startup)).toBe('tls-certificate');
      // Behind docker compose's service column, after the debug lines of the listener being built.
      const compose = [
        'edge_1  | [2026-02-10 06:41:12.329][1][debug][config] [source/server/listener_manager_impl.cc:386] begin add/update listener: name=https hash=4407125518236011243',
        `edge_1  | ${startup}`,
      ].join('\n');
      expect(top(compose)).toBe('tls-certificate');
      const rejected = `2026-02-10T06:41:12.330417Z\twarning\tenvoy config\tgRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 0.0.0.0_8443: ${reason}`;
      expect(top(rejected)).toBe('tls-certificate');
      expect(diagnose(rejected).incidents[0]?.subject.listener).toBe('0.0.0.0_8443');
    }
    // Other start-up errors keep their cause.
    expect(top("[2026-02-10 06:41:12.330][1][critical][main] [source/server/server.cc:113] error initializing configuration '/srv/edge/envoy.yaml': Unable to parse JSON as proto (INVALID_ARGUMENT:static_resources.listeners[0]: invalid name tls_context)")).toBe('bad-config');
  });

  it("the Higress controller failing to reconcile the McpBridge's service sources is the McpBridge's configuration", () => {
    const tab = [
      '2026-02-10T06:41:12.101044Z\tinfo\tnew nacos2 watcher with config Name:registry-a',
      '2026-02-10T06:41:12.101390Z\terror\tcan not create naming client, err:Post "http://nacos-a.example:8848/nacos/v1/auth/users/login": dial tcp: lookup nacos-a.example: no such host',
      '2026-02-10T06:41:22.101871Z\terror\tReconcileRegistries failed, err:new nacos2 watcher timeout',
      '2026-02-10T06:41:22.101903Z\terror\tingress\tMcpbridge reconcile failed, err:ReconcileRegistries failed, Init Watchers failed',
    ].join('\n');
    expect(top(tab)).toBe('bad-config');
    const d = diagnose(tab);
    // One incident for the two lines of one failure.
    expect(d.incidents.filter((i) => i.cause === 'bad-config')).toHaveLength(1);
    expect(d.incidents[0]?.severity).toBe('error');
    expect(top('2026-02-10T06:41:22.101903Z     error   ingress Mcpbridge reconcile failed, err:ReconcileRegistries failed, Init Watchers failed')).toBe('bad-config');
    expect(top('{"level":"error","time":"2026-02-10T06:41:22.101903Z","scope":"ingress","msg":"Mcpbridge reconcile failed, err:zookeeper watcher: dial tcp 10.0.0.9:2181: i/o timeout"}')).toBe('bad-config');
    expect(top('2026-02-10T06:41:22.101903Z\tinfo\tingress\tMcpbridge reconciled')).toBeUndefined();
  });

  it("pilot-agent's NOT ready at info (Istio before 1.7) is a disconnect once it persists, not while a proxy starts", () => {
    const notReady = (t: string): string =>
      `2026-02-10T06:41:${t}Z\tinfo\tEnvoy proxy is NOT ready: config not received from Pilot (is Pilot running?): cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected`;
    const persisting = ['10.120331', '12.119870', '14.120455', '16.120013', '18.121900', '20.119742', '22.120301'].map(notReady).join('\n');
    expect(top(persisting)).toBe('xds-disconnected');
    expect(diagnose(persisting).incidents[0]?.severity).toBe('warning');
    // The spaced layout too.
    expect(top(persisting.replace(/\t/g, '     '))).toBe('xds-disconnected');
    // A proxy that starts: three or four probes, then ready.
    const starting = [...['10.120331', '12.119870', '14.120455', '16.120013'].map(notReady), '2026-02-10T06:41:18.120201Z\tinfo\tEnvoy proxy is ready'].join('\n');
    expect(top(starting)).toBeUndefined();
    // Istio 1.1 wrote the counters straight after `NOT ready: `.
    const older = ['10.120331', '12.119870', '14.120455', '16.120013', '18.121900', '20.119742'].map((t) => notReady(t).replace('config not received from Pilot (is Pilot running?): ', '')).join('\n');
    expect(top(older)).toBe('xds-disconnected');
    // Rejected updates in the counters are the configuration, not the stream.
    expect(top(persisting.replace(/lds updates: 0 successful, 0 rejected/g, 'lds updates: 0 successful, 3 rejected'))).toBe('bad-config');
    expect(top(older.replace(/lds updates: 0 successful, 0 rejected/g, 'lds updates: 0 successful, 3 rejected'))).toBe('bad-config');
    // Without times nothing says how long it lasted.
    expect(top(Array.from({ length: 8 }, () => notReady('00.000000').replace(/^\S+\t/, '')).join('\n'))).toBeUndefined();
  });

  it('a message wrapped under its own column beside a time of day is read as one line, indented or not', () => {
    const pad = ' '.repeat(20);
    const rejected = [
      '08:02:11.482113020  Received first request in a new xDS stream for this proxy',
      `${pad}typeURL=type.googleapis.com/envoy.config.cluster.v3.Cluster`,
      '08:02:11.519630114  gRPC config for type.googleapis.com/envoy.config.cluster.v3.Cluster',
      `${pad}rejected: Error adding/updating cluster(s) outbound|443||api.example.internal:`,
      `${pad}Proto constraint validation failed (ClusterValidationError.ConnectTimeout:`,
      `${pad}value must be greater than 0s)`,
    ].join('\n');
    expect(top(rejected)).toBe('bad-config');
    expect(top(rejected.split('\n').map((l) => `    ${l}`).join('\n'))).toBe('bad-config');
    const stream = [
      '08:02:11.482113  StreamAggregatedResources gRPC config stream to xds-grpc closed since 31s ago: 14,',
      '                 connection error: desc = "transport: authentication handshake failed: x509:',
      '                 certificate signed by unknown authority"',
    ].join('\n');
    expect(top(stream)).toBe('tls-certificate');
    // Lines deeper than the text's column are content of their own, not its wrap.
    const deeper = ['08:02:11.519630114  gRPC config for type.googleapis.com/envoy.config.cluster.v3.Cluster', `${pad}      rejected: Error adding/updating cluster(s) outbound|443||api.example.internal: unknown field`].join('\n');
    // (only the general tier's wording is left to read it)
    expect(diagnose(deeper).incidents[0]?.tier).toBe('general');
    expect(diagnose(rejected).incidents[0]?.tier).toBe('exact');
  });
});

describe('more real shapes (a sixteenth set, held out until scored)', () => {
  it("a Higress C++ plugin naming a field it cannot find or convert refuses its configuration, however it was pasted", () => {
    const texts = [
      "can't find 'secret' in consumer",
      "'issuer' field in consumerconvert to string failed",
    ];
    for (const text of texts) {
      const message = `wasm log: [extensions/hmac_auth/plugin.cc:212]::operator()() ${text}`;
      const shapes = [
        `[2026-05-02 10:04:11.201][33][warning][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1544] ${message}`,
        `2026-05-02T10:04:11.201733Z\twarning\tenvoy wasm external/envoy/source/extensions/common/wasm/context.cc:1544\t${message}\tthread=33`,
        // From its source location on: no time, thread or level, a layout of no kind.
        `[external/envoy/source/extensions/common/wasm/context.cc:1544] ${message}`,
      ];
      for (const shape of shapes) {
        expect(top(shape)).toBe('wasm-plugin-config');
        const d = diagnose(shape);
        expect(notAGatewayLog(d)).toBe(false);
        // The source folder's underscores become the published name's hyphens.
        expect(d.incidents[0]?.subject.plugin).toBe('hmac-auth');
      }
    }
    // With Envoy's own line for the same plugin (named the published way), one incident.
    const grouped = diagnose([
      "[2026-05-02 10:04:11.201][33][warning][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1544] wasm log: [extensions/hmac_auth/plugin.cc:212]::operator()() can't find 'secret' in consumer",
      '[2026-05-02 10:04:11.202][33][critical][wasm] [external/envoy/source/extensions/common/wasm/wasm.cc:751] Plugin higress-system.hmac-auth.internal failed to load',
    ].join('\n'));
    expect(grouped.incidents.map((i) => [i.cause, i.subject.plugin])).toEqual([['wasm-plugin-config', 'hmac-auth']]);
    // The same plugins' run-time lines are no configuration complaint.
    expect(top("[2026-05-02 10:04:11.201][33][warning][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1544] wasm log higress-system.hmac-auth.internal: [extensions/hmac_auth/plugin.cc:388]::checkPlugin() signature mismatch")).not.toBe('wasm-plugin-config');
  });

  it('a Wasm module file missing at its path is a module never delivered, in a rejection or bare', () => {
    const heads = [
      '[2026-05-02 10:04:11.201][33][warning][config] [external/envoy/source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:128] ',
      '2026-05-02T10:04:11.201733Z\twarning\tenvoy config\t',
      '2026-05-02T10:04:11.201733Z     warning envoy config    [external/envoy/source/common/config/grpc_subscription_impl.cc:101] ',
    ];
    const paths = ['/var/local/lib/wasm-filters/rate-guard.wasm', '/var/local/lib/wasme-cache/9c1f2e3d4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff', '/etc/istio/extensions/stats-filter.compiled.wasm'];
    for (const head of heads) {
      for (const path of paths) {
        const listener = `${head}gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) virtualInbound: Invalid path: ${path}`;
        expect(top(listener)).toBe('wasm-fetch-bad-address');
        expect(diagnose(listener).incidents[0]?.subject.listener).toBe('virtualInbound');
        expect(top(`${head}gRPC config for type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig rejected: Invalid path: ${path}`)).toBe('wasm-fetch-bad-address');
      }
      // A certificate file missing stays the certificate's.
      expect(top(`${head}gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 0.0.0.0_443: Invalid path: /etc/gateway/certs/tls.crt`)).toBe('tls-certificate');
    }
    // Quoted bare, only a module's path is read as one.
    expect(top('Invalid path: /var/local/lib/wasm-filters/rate-guard.wasm')).toBe('wasm-fetch-bad-address');
    expect(top('Invalid path: /etc/gateway/certs/tls.crt')).not.toBe('wasm-fetch-bad-address');
  });

  it("an nginx-based host's proxy_on_configure failure is the plugin refusing its configuration, not a download", () => {
    const log = [
      '2025-01-09 04:12:33 [error] 61#61: failed to configure plugin context 7, rc: 0',
      '2025/01/09 04:12:33 [error] 61#61: *88123 [lua] wasm.lua:115: phase_func(): waf-guard: failed to fetch wasm plugin ctx: failed to run proxy_on_configure, client: 192.0.2.14, server: _, request: "GET /login HTTP/1.1", host: "shop.example.com"',
    ];
    for (const line of log) expect(top(line)).toBe('wasm-plugin-config');
    const d = diagnose(log.join('\n'));
    expect(d.incidents.map((i) => i.cause)).not.toContain('wasm-fetch-network');
    expect(d.incidents.find((i) => i.subject.plugin === 'waf-guard')?.cause).toBe('wasm-plugin-config');
  });

  it("Envoy giving up its own fetch of remote code is the fetch's failure, and the fail-closed plugin follows from it", () => {
    const log = [
      '[2026-05-02 10:04:11.201][1][warning][config] [source/common/config/datasource.cc:100] Retry limit exceeded for fetching data from remote data source.',
      '[2026-05-02 10:04:11.202][1][critical][wasm] [source/extensions/common/wasm/wasm.cc:616] Plugin rate-guard failed to load',
      '[2026-05-02 10:04:11.202][1][critical][wasm] [source/extensions/common/wasm/wasm.cc:476] Plugin configured to fail closed failed to load',
    ].join('\n');
    expect(top(log)).toBe('wasm-fetch-network');
    // One incident: the plugin that did not load and the fail-closed line are its knock-ons.
    const d = diagnose(log);
    expect(d.incidents.map((i) => i.cause)).toEqual(['wasm-fetch-network']);
    expect(d.incidents[0]?.subject.plugin).toBe('rate-guard');
    expect(d.unclassified).toHaveLength(0);
    expect(top('2026-05-02T10:04:11.201733Z\twarning\tenvoy config external/envoy/source/common/config/datasource.cc:100\tRetry limit exceeded for fetching data from remote data source.\tthread=1')).toBe('wasm-fetch-network');
    // Quoted shortened next to the plugin it cost.
    const quoted = diagnose('Retry limit exceeded ... Plugin rate-guard failed to load ... configured to fail closed');
    expect(quoted.incidents[0]?.cause).toBe('wasm-fetch-network');
    expect(quoted.incidents[0]?.subject.plugin).toBe('rate-guard');
  });

  it("Envoy 1.3x's words for a plugin that did not load (`Plugin <name> failed to load`, `Unable to create Wasm plugin`) follow the plugin's own failure", () => {
    const log = [
      "[2026-05-02 10:04:11.200][61][warning][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log: [model-router] [nil] [nil] parse rule config failed: modelKey is required",
      '[2026-05-02 10:04:11.201][61][critical][wasm] [external/envoy/source/extensions/common/wasm/wasm.cc:751] Plugin higress-system.model-router.internal failed to load',
      '[2026-05-02 10:04:11.202][61][warning][config] [external/envoy/source/extensions/config_subscription/grpc/delta_subscription_state.cc:285] delta config for type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig rejected: Unable to create Wasm plugin higress-system.model-router.internal',
    ].join('\n');
    const d = diagnose(log);
    expect(d.incidents.map((i) => i.cause)).toEqual(['wasm-plugin-config']);
    expect(d.unclassified).toHaveLength(0);
    // Alone, the rejection is the plugin's, not a configuration Envoy could not parse.
    expect(top('[2026-05-02 10:04:11.202][61][warning][config] [external/envoy/source/extensions/config_subscription/grpc/delta_subscription_state.cc:285] delta config for type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig rejected: Unable to create Wasm plugin higress-system.model-router.internal')).not.toBe('bad-config');
  });

  it("an Istio-layout line wrapped after its source location reads its message from the next line", () => {
    const wrapped = [
      '2026-05-02T10:04:11.201733Z critical envoy wasm external/envoy/source/extensions/common/wasm/context.cc:1157',
      'wasm log istio-system.token-filter: Failed to read the session store: backend unavailable thread=48',
    ].join('\n');
    const d = diagnose(wrapped);
    expect(d.unclassified[0]?.template).toContain('Failed to read the session store');
    // What patterns anchor at the message's start holds for the wrapped line too.
    const plugin = diagnose([
      '2026-05-02T10:04:11.201733Z warning envoy wasm external/envoy/source/extensions/common/wasm/context.cc:1544',
      'wasm log: [key-auth] [nil] [nil] parse rule config failed: parse config failed, no valid rules; global config parse error:key-auth: keys is required',
    ].join('\n'));
    expect(plugin.incidents[0]?.cause).toBe('wasm-plugin-config');
    expect(plugin.incidents[0]?.subject.plugin).toBe('key-auth');
  });
});

describe('more real shapes (a seventeenth set, held out until scored)', () => {
  const abortBlock = (frames: string[]): string[] => [
    '[2026-04-02 10:01:07.311][1][critical][backtrace] [external/envoy/source/server/backtrace.h:104] Caught Aborted, suspect faulting address 0x1',
    '[2026-04-02 10:01:07.311][1][critical][backtrace] [external/envoy/source/server/backtrace.h:91] Backtrace (use tools/stack_decode.py to get line numbers):',
    '[2026-04-02 10:01:07.312][1][critical][backtrace] [external/envoy/source/server/backtrace.h:92] Envoy version: 5b7a9c3e1d2f4a6b8c0d1e2f3a4b5c6d7e8f9a0b/1.15.3/Clean/RELEASE/BoringSSL',
    ...frames.map((f, i) => `[2026-04-02 10:01:07.312][1][critical][backtrace] [external/envoy/source/server/backtrace.h:96] #${i}: ${f}`),
  ];
  it("proxy-wasm's stub for a host call the host does not implement, written bare before Envoy's abort, is the module's incompatibility", () => {
    // The stub writes its words to stderr without a prefix and aborts; Envoy's handler prints the block after it.
    const log = ['unimplemented proxy-wasm API', ...abortBlock(['__restore_rt [0x7f1c2a4b5730]'])].join('\n');
    expect(top(log)).toBe('wasm-module-incompatible');
    expect(diagnose(log).incidents[0]?.severity).toBe('critical');
    // Cut before the stub line, the frames alone still name the stub.
    const frames = abortBlock(['__restore_rt [0x7f1c2a4b5730]', 'proxy_wasm::ContextBase::unimplemented() [0x55e2c1a0b7f1]', 'proxy_wasm::exports::log() [0x55e2c1a0c9d2]']).join('\n');
    expect(top(frames)).toBe('wasm-module-incompatible');
    // With the stub line and Wasm frames both, the stub line still leads.
    expect(top(`unimplemented proxy-wasm API\n${frames}`)).toBe('wasm-module-incompatible');
    // An embedder that logs the stub and carries on: still the module's call, at the logger's line.
    expect(top('2026-04-02T10:01:07.311920Z\terror\tenvoy wasm\t[WASM] unimplemented proxy-wasm API called')).toBe('wasm-module-incompatible');
    // Other Wasm frames without the stub stay a plugin crash; no Wasm frame, an Envoy crash.
    expect(top(abortBlock(['__restore_rt [0x7f1c2a4b5730]', 'proxy_wasm::ContextBase::onRequestHeaders() [0x55e2c1a0b7f1]']).join('\n'))).toBe('wasm-plugin-crash');
    expect(top(abortBlock(['__restore_rt [0x7f1c2a4b5730]', 'Envoy::Http::ConnectionManagerImpl::ActiveStream::decodeHeaders() [0x55e2c1a0b7f1]']).join('\n'))).toBe('envoy-crash');
  });
  it("a crash in Istio's own Wasm extensions compiled into the proxy (NullVM: Stackdriver, stats, Wasm::Common) is a plugin crash, in every layout", () => {
    const segv = (prefix: string, frame: string): string =>
      [
        `${prefix}Caught Segmentation fault, suspect faulting address 0x20`,
        `${prefix}Backtrace (use tools/stack_decode.py to get line numbers):`,
        `${prefix}#0: __restore_rt [0x7f2b81c0e890]`,
        `${prefix}#1: ${frame} [0x55a0c3b2e1d4]`,
      ].join('\n');
    const prefixes = [
      '[Envoy (Epoch 0)] [2026-04-02 10:01:07.311][20][critical][backtrace] [bazel-out/k8-opt/bin/external/envoy/source/server/_virtual_includes/backtrace_lib/server/backtrace.h:75] ',
      '2026-04-02T10:01:07.311920Z\tcritical\tenvoy backtrace\t',
      '',
    ];
    for (const prefix of prefixes) {
      for (const frame of ['Extensions::Stackdriver::Log::Logger::flush()', 'Extensions::AccessLogPolicy::PluginRootContext::onTick()', 'Wasm::Common::extractPartialLocalNodeFlatBuffer()']) {
        expect(top(segv(prefix, frame))).toBe('wasm-plugin-crash');
      }
      // Envoy's own code with similar words is no plugin.
      expect(top(segv(prefix, 'Envoy::Stats::SymbolTableImpl::toString()'))).toBe('envoy-crash');
      expect(top(segv(prefix, 'Envoy::Extensions::Common::Aws::MetadataFetcher::fetch()'))).toBe('envoy-crash');
    }
  });
  it("the older wordings of the missing allocator export are the module's incompatibility, every line explained", () => {
    for (const words of ['Wasm missing malloc', 'WASM missing malloc/free', 'Wasm module is missing malloc function.']) {
      const log = [
        `[2026-04-02 10:01:07.311][40][error][wasm] [external/envoy/source/extensions/common/wasm/wasm.cc:123] Wasm VM failed ${words}`,
        '[2026-04-02 10:01:07.311][40][error][wasm] [external/envoy/source/extensions/common/wasm/wasm.cc:123] Wasm VM failed Failed to initialize Wasm code',
      ].join('\n');
      const d = diagnose(log);
      expect(top(log)).toBe('wasm-module-incompatible');
      expect(d.incidents[0]?.confidence).toBeGreaterThanOrEqual(0.85);
      expect(d.unclassified).toHaveLength(0);
    }
  });
  it("wasmtime's trap words outside Envoy's `Function: … failed` line are a plugin crash read exactly, not by the general tier", () => {
    for (const line of [
      '2026/04/02 10:01:07 [error] 61#61: failed to call function: wasm trap: wasm `unreachable` instruction executed',
      'gateway-1  | 2026/04/02 10:01:07 [error] 61#61: *88 [wasm] error while executing at wasm backtrace: wasm trap: out of bounds memory access',
    ]) {
      const d = diagnose(line);
      expect(top(line)).toBe('wasm-plugin-crash');
      expect(d.incidents[0]?.tier).not.toBe('general');
    }
    // Envoy's own line keeps its callback.
    const envoy = diagnose('[2026-04-02 10:01:07.311][40][error][wasm] [source/extensions/common/wasm/wasm_vm.cc:38] Function: proxy_on_request_headers failed: wasm trap: wasm `unreachable` instruction executed');
    expect(envoy.incidents[0]?.subject.callback ?? envoy.incidents[0]?.title).toContain('proxy_on_request_headers');
  });
  it("frames cut from the middle of a backtrace in Istio's TAB layout, Envoy's bracketed location after the logger, are a crash — a plugin's when they run through the Wasm host", () => {
    const at = (i: number, frame: string, line = 96): string =>
      `2026-04-02T10:01:07.3${String(10 + i).padStart(2, '0')}411Z\tcritical\tenvoy backtrace\t[bazel-out/k8-opt/bin/external/envoy/source/server/_virtual_includes/backtrace_lib/server/backtrace.h:${line}] #${i}: ${frame}`;
    const wasm = [at(18, '[0x2f1c0a895348]', 98), at(19, 'v8::internal::Execution::CallWasm() [0x55c1e0add963]'), at(20, 'Envoy::Extensions::Common::Wasm::Context::onResponseHeaders() [0x55c1e09addb9]')].join('\n');
    expect(top(wasm)).toBe('wasm-plugin-crash');
    const native = [at(18, '[0x2f1c0a895348]', 98), at(19, 'Envoy::Http::ConnectionManagerImpl::onData() [0x55c1e0add963]'), at(20, 'Envoy::Network::ConnectionImpl::onReadReady() [0x55c1e09addb9]')].join('\n');
    expect(top(native)).toBe('envoy-crash');
    // The location belongs to the layout: a Wasm line of the same shape keeps its callback and message.
    const trap = diagnose('2026-04-02T10:01:07.311411Z\terror\tenvoy wasm\t[external/envoy/source/extensions/common/wasm/wasm_vm.cc:38] Function: proxy_on_tick failed: Uncaught RuntimeError: unreachable');
    expect(trap.incidents[0]?.cause).toBe('wasm-plugin-crash');
    expect(trap.incidents[0]?.evidence[0]?.text).toContain('wasm_vm.cc:38');
  });
  it("V8's Wasm C API glue in the frames (`wasm::FuncData::v8_callback`, `wasm::Func::call`) is the Wasm host, also behind docker compose's prefix without the signal line", () => {
    const frame = (i: number, f: string): string =>
      `envoy_1        | [2026-04-02 10:01:07.311][19][critical][backtrace] [bazel-out/k8-opt/bin/source/server/_virtual_includes/backtrace_lib/server/backtrace.h:96] #${i}: ${f}`;
    expect(top([frame(4, 'wasm::FuncData::v8_callback() [0x55d7a8a7448f]'), frame(5, '[0x1c3e15dec2a]'), frame(6, '[0x1c3e15d93a1]')].join('\n'))).toBe('wasm-plugin-crash');
    expect(top([frame(4, 'wasm::Func::call() [0x55d7a8a7448f]'), frame(5, '[0x1c3e15dec2a]')].join('\n'))).toBe('wasm-plugin-crash');
  });
});

describe('more real shapes (a nineteenth set, held out until scored)', () => {
  it("an in-VM backtrace through the module's own allocator failing is the plugin running out of memory, with or without its trap line", () => {
    const frames = (first: string, second: string, tail: string): string[] => [
      'Proxy-Wasm plugin in-VM backtrace:',
      `  0:  0x6a1f - ${first}`,
      `  1:  0x1c3 - ${second}`,
      '  2:  0x9e20 - malloc',
      `  3:  0x4d12 - ${tail}`,
    ];
    // A bare paste of TinyGo's frames: runtime.alloc raising its panic (its only one is `out of memory`).
    for (const panic of ['runtime.runtimePanic', 'runtime.runtimePanicAt']) {
      expect(top(frames(panic, 'runtime.alloc', '_Znwm').join('\n'))).toBe('oom');
    }
    // Behind Envoy's trap line, in its default layout and in Istio's TAB layout with the newlines escaped.
    const trap = '[2026-04-02 10:01:07.311][40][error][wasm] [source/extensions/common/wasm/wasm_vm.cc:38] Function: proxy_on_response_body failed: Uncaught RuntimeError: unreachable';
    expect(top([trap, ...frames('runtime.runtimePanic', 'runtime.alloc', 'proxy_on_response_body')].join('\n'))).toBe('oom');
    const istio = `2026-04-02T10:01:07.311411Z\terror\tenvoy wasm\texternal/envoy/source/extensions/common/wasm/wasm_vm.cc:38\tFunction: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable\\n${frames('runtime.runtimePanicAt', 'runtime.alloc', 'proxy_on_request_headers').join('\\n')}\tthread=24`;
    expect(top(istio)).toBe('oom');
    // Rust's allocation-error handler in the frames.
    expect(top(['Proxy-Wasm plugin in-VM backtrace:', '  0:  0x1f2a3 - __rust_start_panic', '  1:  0x1ee40 - alloc::alloc::handle_alloc_error', '  2:  0x1e011 - proxy_on_request_body'].join('\n'))).toBe('oom');
    // A panic of another kind stays a plugin crash, even with runtime.alloc further down.
    expect(top(frames('runtime.runtimePanic', 'runtime.slicePanic', 'runtime.alloc').join('\n'))).not.toBe('oom');
    expect(top([trap, ...frames('runtime._panic', 'main.onHttpRequestBody', 'proxy_on_response_body')].join('\n'))).toBe('wasm-plugin-crash');
  });
  // Collected after the first fix, scored before the next.
  it("the kubelet's eviction for node memory pressure is oom in every place it is quoted; disk pressure is not", () => {
    const evictions = [
      'The node was low on resource: memory. Container higress-controller was using 2811904Ki, which exceeds its request of 1Gi. ',
      '`The node was low on resource: memory. container pilot was using 900123ki, which exceeds its request of 512Mi`',
      'Status:       Failed\nReason:       Evicted\nMessage:      The node was low on resource: memory. ',
      '  Warning  Evicted  2m  kubelet  The node was low on resource: memory. Threshold quantity: 100Mi, available: 61220Ki. ',
      'Message:  The node had condition: [MemoryPressure]. ',
    ];
    for (const text of evictions) expect(top(text)).toBe('oom');
    const named = diagnose(evictions[0]!);
    expect(named.incidents[0]?.title).toContain('higress-controller');
    expect(top('Message:      The node was low on resource: ephemeral-storage. Container istio-proxy was using 52Ki, which exceeds its request of 0. ')).not.toBe('oom');
  });
  it("a multi-pod viewer's pod and container names before a paste that opens with the Wasm host's backtrace words are a prefix", () => {
    const lines = ['Proxy-Wasm plugin in-VM backtrace:', '  0:  0x51c2 - runtime.runtimePanicAt', '  1:  0x3a0 - runtime.alloc', '  2:  0x9f12 - malloc'];
    const prefixed = lines.map((l) => `higress-gateway-7d9f6c5b4-x2k4p higress-gateway ${l}`).join('\n');
    expect(top(lines.join('\n'))).toBe('oom');
    expect(top(prefixed)).toBe('oom');
    // Two words before a sentence that merely mentions the words stay in the line.
    expect(diagnose('see also the proxy-wasm docs for what Proxy-Wasm plugin in-VM backtrace: means').incidents[0]?.cause).not.toBe('oom');
  });
});

describe('more real shapes (a twentieth set, held out until scored)', () => {
  it("a log viewer's date column (the date alone, a space, the line) is a host's time before each line: a V8 fatal block behind it keeps its check", () => {
    const day = (line: string): string => `2025-12-02 ${line}`;
    const log = [
      'Envoy command: [-c etc/istio/proxy/envoy-rev.json --drain-time-s 45 --concurrency 4]',
      day('[2025-12-02 08:11:45.210][31][info][main] [external/envoy/source/server/server.cc:932] runtime: {}'),
      day('2025-12-02T08:11:45.224100Z\tinfo\txdsproxy\tconnected to upstream XDS server: 127.0.0.1:15012'),
      day(''),
      day('#'),
      day('# Fatal error in ../../src/wasm/wasm-objects.cc, line 88'),
      day('# Check failed: !instance.is_null().'),
      day('#'),
    ].join('\n');
    const d = diagnose(log);
    expect(top(log)).toBe('wasm-plugin-crash');
    expect(d.incidents[0]?.title).toContain('!instance.is_null()');
    // The gateway's own lines behind the column are read as theirs.
    const fetch = [day('[2025-12-02 08:11:45.210][31][info][main] [external/envoy/source/server/server.cc:932] runtime: {}'), day('2025-12-02T08:11:46.001200Z\terror\twasm\tcannot fetch Wasm module http://10.1.2.3:8002/plugins/basic-auth/1.0.0/plugin.wasm: wasm module download request failed: status code 404')].join('\n');
    expect(top(fetch)).toBe('wasm-fetch-bad-address');
    // Behind a multi-pod viewer's names too: the names first, the date next.
    expect(top(log.split('\n').map((l) => `higress-gateway-7c9f5-k2x8q higress-gateway ${l}`).join('\n'))).toBe('wasm-plugin-crash');
    // supervisord's own lines (a date, a time, a level) are no column to peel.
    const sup = diagnose('2025-12-02 08:11:45,210 INFO spawned: \'gateway\' with pid 14\n2025-12-02 08:11:46,212 INFO exited: gateway (exit status 1; not expected)');
    expect(sup.incidents.every((i) => i.severity !== 'critical')).toBe(true);
  });
  it("V8's fatal banner alone — the paste or the log cut before its check line — is still V8's abort, not nothing", () => {
    for (const log of ['#\n# Fatal error in , line 0', '# Fatal error in ../../src/compiler/wasm-compiler.cc, line 4210', '> #\n> # Fatal error in , line 0']) {
      const d = diagnose(log);
      expect(top(log)).toBe('wasm-plugin-crash');
      expect(d.incidents[0]?.severity).toBe('critical');
    }
    // Words of a config file's error are not V8's banner.
    expect(top('Fatal error in config file, line 3: unexpected token')).not.toBe('wasm-plugin-crash');
  });
  it("one V8 abort read line by line (an indented paste: the banner and its errno check as lines of their own) is one abort, not the VM limit's repeated banner", () => {
    const block = ['#', '# Fatal error in external/v8/src/base/platform/platform-posix.cc, line 501', '# Check failed: 12 == (*__errno_location ()) (12 vs. 1).', '#'];
    // Under a code fence's marker, indented with the list item it sits in.
    const indented = ['```', ...block].map((l) => `    ${l}`).join('\n');
    expect(top(indented)).toBe('wasm-plugin-crash');
    expect(top(block.join('\n'))).toBe('wasm-plugin-crash');
    // The banner once per worker thread, indented the same way, is still the VM limit.
    const check = ['#', '# Fatal error in , line 0', '# Check failed: page_allocator_->SetPermissions(free_address, free_size, PageAllocator::kNoAccess).', '#', ''];
    const perWorker = [...check, ...check, ...check].map((l) => `      ${l}`).join('\n');
    expect(top(perWorker)).toBe('wasm-vm-limit');
  });
  it("a plugin fetch's HTTP status in other wordings (`HTTP error 404`, `HTTP/1.1 403 Forbidden`, `status: 404`) keeps its meaning, in the gateway's line and in pilot's ECDS NACK", () => {
    const fetch = (url: string, detail: string): string => `2026-01-14T03:22:10.418200Z\terror\twasm\tconvert the wasm config: cannot fetch Wasm module ${url}: ${detail}`;
    expect(top(fetch('http://plugins.internal:8002/plugins/ai-cache/2.0.0/plugin.wasm', 'HTTP error 404'))).toBe('wasm-fetch-bad-address');
    expect(top(fetch('http://plugins.internal:8002/plugins/ai-cache/2.0.0/plugin.wasm', 'download failed, status: 404'))).toBe('wasm-fetch-bad-address');
    expect(top(fetch('https://files.internal/wasm/hmac-auth.wasm', 'wasm module download failed, last error: HTTP/1.1 403 Forbidden'))).toBe('wasm-fetch-auth');
    expect(top(fetch('https://files.internal/wasm/hmac-auth.wasm', 'HTTP status 401'))).toBe('wasm-fetch-auth');
    // A refusal is still the network, and a port with those digits is no status.
    expect(top(fetch('http://plugins.internal:4040/plugins/ai-cache/2.0.0/plugin.wasm', 'Get "http://plugins.internal:4040/plugins/ai-cache/2.0.0/plugin.wasm": dial tcp 10.1.2.3:4040: connect: connection refused'))).toBe('wasm-fetch-network');
    const nack = [
      '2026-01-14T03:22:10.418200Z\twarn\tads\tADS:ECDS: ACK ERROR higress-gateway-5c8d7-q2w9r.higress-system-7 OK:1 error occurred:',
      '\t* cannot fetch Wasm module http://plugins.internal:8002/plugins/ai-cache/2.0.0/plugin.wasm: HTTP error 404',
    ].join('\n');
    expect(top(nack)).toBe('wasm-fetch-bad-address');
  });
});

describe('more real shapes (a twenty-first set, held out until scored)', () => {
  const first = (log: string) => diagnose(log).incidents[0];
  it("Istio's SDS server failing to push a changed secret to the gateway (`NotifyProxy failed`, the cache's `failed to notify secret change`) is a certificate failure at error", () => {
    const conn = 'router~10.4.0.9~edge-gw-5f6d-abcde.edge~edge.svc.cluster.local-17';
    for (const sep of ['\t', '     ']) {
      const notify = `2026-04-02T10:01:07.311920Z${sep}error${sep}sdsServiceLog${sep}CONNECTION ID: ${conn}, RESOURCE NAME: store-cert, EVENT: NotifyProxy failed. No connection with id "${conn}" can be found`;
      const cache = `2026-04-02T10:01:07.312004Z${sep}error${sep}cacheLog${sep}CONNECTION ID: ${conn}, RESOURCE NAME: store-cert, EVENT: failed to notify secret change for proxy: no connection with id "${conn}" can be found`;
      for (const log of [notify, cache, `${notify}\n${cache}`]) {
        expect(top(log)).toBe('tls-certificate');
        expect(first(log)?.severity).toBe('error');
        expect(diagnose(log).unclassified).toHaveLength(0);
      }
      // One secret, one incident, whichever of the two lines said it.
      expect(diagnose(`${notify}\n${cache}`).incidents).toHaveLength(1);
    }
    // The push that worked is no incident.
    expect(diagnose(`2026-04-02T10:01:07.311920Z\tinfo\tsdsServiceLog\tCONNECTION ID: ${conn}, RESOURCE NAME: store-cert, EVENT: pushed key/cert pair to proxy`).incidents).toHaveLength(0);
  });
  it("the ingress SDS agent's `failed load server cert/key pair from secret …` is read exactly, one warning per secret, not by the general tier", () => {
    const line = (secret: string, scope = 'secretfetcher') => `2026-04-02T10:01:07.787721Z     warn    ${scope}   failed load server cert/key pair from secret ${secret}: server cert or private key is empty`;
    const log = [line('edge-gateway-tls'), line('registry-pull'), line('edge-gateway-tls', 'secretFetcherLog').replace('failed load', 'failed to load')].join('\n');
    const d = diagnose(log);
    expect(top(log)).toBe('tls-certificate');
    expect(d.incidents.every((i) => i.tier !== 'general' && i.severity === 'warning')).toBe(true);
    expect(d.incidents.map((i) => i.subject.secret).sort()).toEqual(['edge-gateway-tls', 'registry-pull']);
  });
  it("the Mixer client's lost reports (`Mixer Report failed with: UNAVAILABLE:…`) are the telemetry backend unavailable, read exactly under protobuf's own bracket or Envoy's", () => {
    for (const log of [
      '[libprotobuf ERROR src/istio/mixerclient/report_batch.cc:83] Mixer Report failed with: UNAVAILABLE:upstream request timeout',
      '[libprotobuf ERROR src/istio/mixerclient/report_batch.cc:83] Mixer Report failed with: DEADLINE_EXCEEDED',
      '[2026-04-02 10:01:07.311][44][warning][filter] [src/istio/mixerclient/report_batch.cc:74] Mixer Report failed with: UNAVAILABLE:no healthy upstream',
      '2026-04-02T10:01:07.311920Z\twarning\tenvoy filter\tMixer Report failed with: UNAVAILABLE:upstream connect error or disconnect/reset before headers. reset reason: connection failure',
    ]) {
      const i = first(log);
      expect(top(log)).toBe('upstream-unavailable');
      expect(i?.tier).not.toBe('general');
      expect(i?.title).toContain('Mixer');
    }
  });
  it('a config stream closed with 12 Unimplemented (`unknown service …DiscoveryService`) is the control plane not serving this API, at error in every layout; a lone 14 stays a warning', () => {
    const msg = 'gRPC config stream closed: 12, unknown service envoy.service.discovery.v2.ClusterDiscoveryService';
    for (const log of [
      `[2026-04-02 10:01:07.311][7][warning][upstream] external/envoy/source/common/config/grpc_mux_impl.cc:193] ${msg}`,
      `2026-04-02T10:01:07.31192 [2026-04-02 10:01:07.311][7][warning][upstream] external/envoy/source/common/config/grpc_mux_impl.cc:193] ${msg}`,
      `2026-04-02T10:01:07.311920Z\twarning\tenvoy config\tStreamAggregatedResources ${msg}`,
      '[2026-04-02 10:01:07.311][1][warning][config] [source/extensions/config_subscription/grpc/grpc_stream.h:193] DeltaAggregatedResources gRPC config stream to xds_cluster closed: 12, unknown service envoy.service.discovery.v3.AggregatedDiscoveryService',
    ]) {
      expect(top(log)).toBe('xds-disconnected');
      expect(first(log)?.severity).toBe('error');
    }
    // (A bare `14, transport is closing` alone is the periodic reconnect, not reported at all: HD-NET-081.)
    expect(first('[2026-04-02 10:01:07.311][7][warning][config] StreamAggregatedResources gRPC config stream closed: 14, upstream connect error or disconnect/reset before headers. reset reason: connection failure')?.severity).toBe('warning');
  });
});
describe('more real shapes (a twenty-first set, held out until scored): the ingress agent\'s missing secret', () => {
  it("`cannot find secret … and cannot find fallback secret …` is the gateway's certificate missing, at error, read exactly", () => {
    const log = [
      '2026-04-02T10:01:07.400672Z\twarn\tsecretFetcherLog\tCannot find secret edge-tls, searching for fallback secret gateway-fallback',
      '2026-04-02T10:01:07.400675Z\terror\tsecretFetcherLog\tcannot find secret edge-tls and cannot find fallback secret gateway-fallback',
    ].join('\n');
    const d = diagnose(log);
    expect(top(log)).toBe('tls-certificate');
    expect(d.incidents[0]?.severity).toBe('error');
    expect(d.incidents[0]?.subject.secret).toBe('edge-tls');
    expect(d.unclassified).toHaveLength(0);
  });
});
describe("more real shapes (a twenty-first set, held out until scored): Envoy's bare refusal of v2", () => {
  const v2 = 'The v2 xDS major version is deprecated and disabled by default. Support for v2 will be removed from Envoy at the start of Q1 2021. You may make use of v2 in Q4 2020 by following the advice in https://www.envoyproxy.io/docs/envoy/latest/faq/api/transition.';
  it('the message main() prints when it refuses a v2 bootstrap is bad-config on its own, after `exiting`, and in its later wording', () => {
    const bare = `${v2} (Unknown field in: {"static_resources":{"listeners":[{"name":"edge","address":{"socket_address":{"address":"0.0.0.0","port_value":8443}}}]}})`;
    const removed = 'The v2 xDS major version has been removed and is no longer supported. You may be missing explicit V3 configuration of the transport API version, see the advice in https://www.envoyproxy.io/docs/envoy/latest/faq/api/envoy_v3. (envoy.config.cluster.v3.Cluster)';
    const afterExit = `[2026-04-02 10:01:07.311][1][info][main] [source/server/server.cc:782] exiting\n${v2} (envoy.config.filter.network.http_connection_manager.v2.HttpConnectionManager)`;
    for (const log of [bare, removed, afterExit]) {
      expect(top(log)).toBe('bad-config');
      expect(diagnose(log).incidents[0]?.severity).not.toBe('info');
    }
    // Inside a rejected listener the listener keeps it.
    const rejected = `2026-04-02T10:01:07.339540Z     warning envoy config    gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) virtualInbound: V2 (and AUTO) xDS transport protocol versions are deprecated in stat_prefix: "authz"\n. ${v2}`;
    expect(diagnose(rejected).incidents[0]?.patterns).toContain('HD-CONFIG-002');
  });
});
describe('more real shapes (a twenty-second set, held out until scored)', () => {
  const first = (log: string) => diagnose(log).incidents[0];
  it("a plugin's client refused by the host with `bad argument` (a Redis or HTTP cluster the gateway does not have) is the plugin's configuration, in any layout and at any level", () => {
    const msgs = [
      'wasm log: failed to init redis: error status returned by host: bad argument',
      'wasm log higress-system.quota-guard-1.0.0: [quota-guard] client quota-guard fail error status returned by host: bad argument',
      'wasm log higress-system.sso-check: [sso-check] [nil] [nil] dispatch http call to auth-svc failed: error status returned by host: bad argument',
    ];
    for (const msg of msgs) {
      for (const log of [
        `[2026-05-11 02:14:07.518][52][critical][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] ${msg}`,
        `2026-05-11T02:14:07.518302Z\terror\tenvoy wasm external/envoy/source/extensions/common/wasm/context.cc:1519\t${msg}\tthread=52`,
        `web-gw-1  | 2026-05-11T02:14:07.518302Z        error   envoy wasm external/envoy/source/extensions/common/wasm/context.cc:1519 ${msg}    thread=52`,
        ` error envoy wasm external/envoy/source/extensions/common/wasm/context.cc:1519 ${msg}`,
      ]) {
        expect(top(log)).toBe('wasm-plugin-config');
        expect(first(log)?.severity).toBe('error');
        expect(first(log)?.patterns).toContain('HD-WASM-200');
      }
    }
    // A newer plugin that keeps retrying says so: still the configuration, at warning.
    const retry = ' warning envoy wasm external/envoy/source/extensions/common/wasm/context.cc:1439 wasm log: failed to init redis: error status returned by host: bad argument, will retry later';
    expect(top(retry)).toBe('wasm-plugin-config');
    expect(first(retry)?.severity).toBe('warning');
    // Another host status is not a missing cluster.
    expect(diagnose('[2026-05-11 02:14:07.518][52][warning][wasm] wasm log: [ai-cache] [nil] [nil] get property failed: error status returned by host: not found').incidents.some((i) => i.patterns.includes('HD-WASM-200'))).toBe(false);
  });
  it('a URL a plugin builds without a scheme (Go `missing protocol scheme`, `unsupported protocol scheme`, Rust `relative URL without a base`) is the plugin\'s configuration', () => {
    for (const log of [
      '[2026-05-11 02:14:07.518][52][error][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log higress-system.tool-bridge: [tool-bridge] [nil] [1f0e] call api failed, err: parse ":///orders/list": missing protocol scheme',
      '2026-05-11T02:14:07.518302Z\terror\tenvoy wasm external/envoy/source/extensions/common/wasm/context.cc:1519\twasm log: [tool-bridge] [nil] [nil] request failed: Post "orders.svc/list": unsupported protocol scheme ""\tthread=52',
      '[2026-05-11 02:14:07.518][52][critical][wasm] [source/extensions/common/wasm/context.cc:1157] wasm log edge_root: bad upstream: relative URL without a base',
    ]) {
      expect(top(log)).toBe('wasm-plugin-config');
      expect(first(log)?.patterns).toContain('HD-WASM-201');
    }
  });
  it("an Istio text line a page translator spaced out (`2026 - 05 - 11 T02: 14: 07.518302 Z error envoy wasm external / envoy / … .cc: 1519 …`) is read as the line it was: its time, level, logger, and a pretty-printed access record after it", () => {
    const spaced = '2026 - 05 - 11 T02: 14: 07.518302 Z error envoy wasm external / envoy / source / extensions / common / wasm / context.cc: 1519 wasm log higress - system.tool - bridge: [tool - bridge][orders / list] call api failed, err: parse ":///orders/list": missing protocol scheme    thread=52';
    const record = ['\t{', '\t\t"authority": "10.0.7.3:8080",', '\t\t"response_code": "202",', '\t\t"response_flags": "-",', '\t\t"upstream_cluster": "outbound|8080||orders.static",', '\t}'].join('\n');
    const d = diagnose(`${spaced}\n${record}`);
    expect(top(`${spaced}\n${record}`)).toBe('wasm-plugin-config');
    expect(d.stats.unparsed).toBe(0);
    expect(d.incidents[0]?.firstSeen).toMatch(/^2026-05-11T02:14:07\.518/);
    expect(d.incidents[0]?.subject.plugin).toBe('tool-bridge');
    // The same spacing on an info line is only a line, read, and nothing to report.
    const info = '2026 - 05 - 11 T02: 14: 07.518302 Z info xdsproxy connected to delta upstream XDS server: 127.0.0.1: 15012 id = 2';
    expect(diagnose(info).stats.unparsed).toBe(0);
    expect(diagnose(info).incidents).toHaveLength(0);
  });
});

describe('more real shapes (a twenty-third set, held out until scored)', () => {
  const first = (log: string) => diagnose(log).incidents[0];
  // Envoy's default access format (plain Envoy, Contour, Gloo, Emissary, App Mesh): request, code, flags, two byte
  // counts, duration, upstream time, then forwarded-for, user agent, request id, authority and upstream host, quoted.
  const plain = (code: number, flags: string, host = '10.2.3.4:8080') =>
    `"PUT /orders/17 HTTP/2" ${code} ${flags} 412 95 3 - "203.0.113.9" "okhttp/4.12.0" "6f1c2b9e-1a2b-4c3d-9e8f-0a1b2c3d4e5f" "orders.shop.test" "${host}"`;
  it("Envoy's own default access format is an access record, timed, untimed, cut inside its opening quote or in backticks", () => {
    for (const line of [plain(503, 'UC'), plain(502, 'UF,URX'), plain(503, 'UH', '-')]) {
      for (const log of [`[2026-04-02T10:01:07.311Z] ${line}`, line, line.slice(1), `\`${line}\``]) {
        expect(top(log)).toBe('upstream-unavailable');
        // The backend is named by the upstream host (else the authority), there being no cluster column.
        expect(first(log)?.title).toMatch(/10\.2\.3\.4:8080|orders\.shop\.test/);
      }
    }
    // A request that went well is no incident; Istio's own format keeps its cluster column.
    expect(diagnose(`[2026-04-02T10:01:07.311Z] ${plain(200, '-')}`).incidents).toHaveLength(0);
    const istio = '[2026-04-02T10:01:07.311Z] "GET /a HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure} - "-" 0 91 2 - "-" "curl/8.5.0" "0e1f" "a.test" "10.2.3.4:80" outbound|80||a.default.svc.cluster.local - 10.2.0.4:80 10.2.0.1:40212 - default';
    expect(first(istio)?.subject.cluster).toBe('outbound|80||a.default.svc.cluster.local');
  });
  it("the kernel's segfault report of an Envoy process is an Envoy crash, with or without the process and mapping; another program's is not", () => {
    for (const log of [
      'segfault at 0 ip 00005612ab34cd56 sp 00007ffe12345678 error 4 in envoy[561200000000+3000000]',
      'segfault at 18 ip 00005612ab34cd56 sp 00007f0011223344 error 6 in proxy-envoy',
      '[ 5121.004400] envoy[3121]: segfault at 18 ip 00005612ab34cd56 sp 00007f0011223344 error 6 in libstdc++.so.6[7f1100000000+1a0000]',
      'Apr  2 10:01:07 node-7 kernel: wrk:worker_3[3130]: segfault at 7f0000000010 ip 00005612ab34cd56 sp 00007f0011223344 error 4 in envoy[561200000000+3000000]',
    ]) {
      expect(top(log)).toBe('envoy-crash');
      expect(first(log)?.severity).toBe('critical');
    }
    expect(diagnose('[ 5121.004400] haproxy[811]: segfault at 0 ip 00007f11aa22bb33 sp 00007ffe12345678 error 4 in libc.so.6[7f1100000000+195000]').incidents).toHaveLength(0);
  });
  it("the App Mesh / Service Connect agent's report of Envoy's end: a signal is a crash (SIGKILL memory), an error code a failed start, code 0 and SIGTERM nothing", () => {
    const agent = (msg: string) => `[2026-04-02 10:01:07.311][7][warning] [AppNet Agent] [Envoy process 41] ${msg}`;
    expect(top(agent('Exited with code [-1]'))).toBe('envoy-crash');
    expect(top(agent('was terminated by signal: [segmentation fault] with Core Dump: [true]'))).toBe('envoy-crash');
    expect(top(agent('was terminated by signal: [killed] with Core Dump: [false]'))).toBe('oom');
    expect(first(agent('Exited with code [1]'))?.severity).toBe('error');
    for (const quiet of ['Exited with code [0]', 'was terminated by signal: [terminated] with Core Dump: [false]']) {
      expect(diagnose(agent(quiet)).incidents).toHaveLength(0);
    }
  });
  it("a Go server's handshake refused by its client's certificate alert is a certificate failure; an EOF or a plain-text probe is not", () => {
    for (const alert of ['unknown certificate authority', 'bad certificate', 'certificate expired']) {
      for (const log of [
        `2026/04/02 10:01:07 http: TLS handshake error from 10.9.8.7:40022: remote error: tls: ${alert}`,
        `time="2026-04-02T10:01:07Z" level=error msg="http: TLS handshake error from 10.9.8.7:40022: remote error: tls: ${alert}"`,
      ]) {
        expect(top(log)).toBe('tls-certificate');
        expect(first(log)?.tier).not.toBe('general');
      }
    }
    for (const noise of ['EOF', 'tls: first record does not look like a TLS handshake']) {
      expect(diagnose(`2026/04/02 10:01:07 http: TLS handshake error from 10.9.8.7:40022: ${noise}`).incidents).toHaveLength(0);
    }
  });
  it("Kuma's control plane noting (at INFO) that Envoy refused the configuration it sent is bad-config, read exactly", () => {
    const log = `2026-04-02T10:01:07.143Z\tINFO\txds.nack-backoff\tconfig was previously rejected by Envoy. Applying backoff before resending it\t{"backoff": "5s", "nodeID": "default.cart-6c8d-q7w2e.shop", "reason": "Error adding/updating listener(s) inbound:10.4.0.12:9090: unknown cluster 'meshaccesslog:otel'\\n"}`;
    expect(top(log)).toBe('bad-config');
    expect(first(log)?.tier).not.toBe('general');
    expect(first(log)?.severity).toBe('error');
  });
  it("a host's time or a viewer's pod and container before a line pasted in inline code, or before an access line cut before its time, is peeled from the first line on", () => {
    const istio = '"GET /a HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure} - "-" 0 91 2 - "-" "curl/8.5.0" "0e1f" "a.test" "10.2.3.4:80" outbound|80||a.default.svc.cluster.local - 10.2.0.4:80 10.2.0.1:40212 - default';
    const bind = "[2026-04-02 10:01:07.311][1][warning][config] [source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138] gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) edge-https: cannot bind '0.0.0.0:443': Permission denied";
    const host = '2026-04-02 10:01:07.311220  ';
    const names = 'edge-gw-7d9f6c-abcde istio-proxy ';
    for (const [log, cause] of [
      [host + istio, 'upstream-unavailable'],
      [`${host}\`${istio}\``, 'upstream-unavailable'],
      [host + plain(503, 'UC').slice(1), 'upstream-unavailable'],
      [`${host}\`${bind}\``, 'port-bind'],
      [`${names}\`${istio}\``, 'upstream-unavailable'],
      [`${names}\`${bind}\``, 'port-bind'],
    ] as const) {
      expect(top(log), log).toBe(cause);
      // Read as the line it is, not by the general tier's words.
      expect(first(log)?.tier, log).not.toBe('general');
    }
  });
  it("wasmtime's `unknown import: `<module>::<name>` has not been defined` is a module built for another host, in nginx's error log or Envoy's", () => {
    for (const log of [
      '2026/04/02 10:01:07 [error] 61#61: failed to new instance: unknown import: `env::proxy_get_log_level` has not been defined',
      '[2026-04-02 10:01:07.311][14][error][wasm] [source/extensions/common/wasm/wasm_vm.cc:38] Wasm VM failed unknown import: `env::proxy_call_foreign_function` has not been defined',
    ]) {
      expect(top(log)).toBe('wasm-module-incompatible');
      expect(first(log)?.tier).not.toBe('general');
    }
  });
});

describe('a plugin line pasted bare names its plugin (set16, left from session 11)', () => {
  it('the Wasm SDKs\' own `[name]` at the start of a message gives the plugin a pattern could not read there', () => {
    // Without Envoy's `wasm log <vm>:` the patterns' own reading of the name has nothing to read.
    const goSdk = '[basic-auth] [nil] [nil] parse rule config failed: parse config failed, no valid rules; global config parse error:basic-auth: consumers is required';
    const oneBracket = '[ai-cache] parse rule config failed: cacheKeyFrom must be one of question, messages';
    for (const [log, plugin] of [
      [goSdk, 'basic-auth'],
      [oneBracket, 'ai-cache'],
    ] as const) {
      const inc = diagnose(log).incidents[0];
      expect(inc?.cause).toBe('wasm-plugin-config');
      expect(inc?.subject.plugin).toBe(plugin);
      expect(inc?.title).toContain(`Plugin ${plugin} `);
      expect(inc?.title).not.toContain('?');
    }
    // Another logger's level word, `nil`, or Envoy's run-together ids are no plugin names.
    for (const log of [
      '[error] parse rule config failed: cacheKeyFrom must be one of question, messages',
      '[nil] parse rule config failed: cacheKeyFrom must be one of question, messages',
    ]) {
      const inc = diagnose(log).incidents[0];
      expect(inc?.cause).toBe('wasm-plugin-config');
      expect(inc?.subject.plugin).toBeUndefined();
    }
  });
});

describe('a bare `14, transport is closing` every ~30 minutes is the periodic reconnect (sets 2, 7, 13, 21: four healthy excerpts)', () => {
  const close = (t: string) => `2021-10-25T${t}Z\twarning\tenvoy config\tStreamAggregatedResources gRPC config stream closed: 14, transport is closing`;
  const reconnect = (t: string) => `2021-10-25T${t}Z\tinfo\txdsproxy\tconnected to upstream XDS server: istiod.istio-system.svc:15012`;
  it('alone, half an hour apart: nothing to report', () => {
    const log = ['14:48:20.018883', '15:19:16.529922', '15:48:59.278021'].flatMap((t) => [close(t), reconnect(t.replace(/\.\d+$/, '.9'))]).join('\n');
    expect(diagnose(log).incidents).toHaveLength(0);
  });
  it('three within a minute: the connection keeps being cut, reported', () => {
    const log = ['14:48:20.018883', '14:48:41.100000', '14:49:02.200000'].map(close).join('\n');
    const inc = diagnose(log).incidents[0];
    expect(inc?.cause).toBe('xds-disconnected');
    expect(inc?.patterns).toContain('HD-NET-081');
  });
  it('a close that says why (refused, DNS) is reported at once, as before', () => {
    const refused = '2021-10-25T14:48:20.018883Z\twarning\tenvoy config\tStreamAggregatedResources gRPC config stream closed: 14, connection error: desc = "transport: Error while dialing dial tcp 10.96.0.10:15012: connect: connection refused"';
    expect(top(refused)).toBe('xds-disconnected');
    expect(diagnose(refused).incidents[0]?.severity).toBe('error');
  });
});

describe('more real shapes (a twenty-fifth set, held out until scored)', () => {
  const first = (log: string) => diagnose(log).incidents[0];
  it("Envoy's debug line of a request it answered with wasm_fail_stream is a failed plugin, in either version's wording and any layout", () => {
    const stream = '[C88][S5120334719026351442]';
    for (const words of ['Preparing local reply with details wasm_fail_stream', 'Sending local reply with details wasm_fail_stream']) {
      for (const log of [
        `[2025-02-11 09:14:27.501][41][debug][http] [source/common/http/filter_manager.cc:1018] ${stream} ${words}`,
        `2025-02-11T09:14:27.501246Z\tdebug\tenvoy http external/envoy/source/common/http/filter_manager.cc:1018\t${stream} ${words}\tthread=41`,
        // The same line after a chat client turned its TABs into single spaces.
        `2025-02-11T09:14:27.501246Z debug envoy http external/envoy/source/common/http/filter_manager.cc:1018 ${stream} ${words} thread=41`,
      ]) {
        expect(top(log), log).toBe('wasm-plugin-crash');
        expect(first(log)?.severity).toBe('error');
      }
    }
    // After the plugin's own trap the 503s are its consequence: one incident, the trap's.
    const trap = [
      '2025-02-11T09:14:27.498001Z\terror\tenvoy wasm external/envoy/source/extensions/common/wasm/wasm_vm.cc:38\tFunction: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable\tthread=41',
      `2025-02-11T09:14:27.501246Z\tdebug\tenvoy http external/envoy/source/common/http/filter_manager.cc:1018\t${stream} Preparing local reply with details wasm_fail_stream\tthread=41`,
    ].join('\n');
    expect(diagnose(trap).incidents.map((i) => i.cause)).toEqual(['wasm-plugin-crash']);
  });
  it("the newer wording of Envoy's local-reply debug line keeps its upstream and route readings", () => {
    const reply = (details: string) =>
      `2025-02-11T09:14:27.501246Z\tdebug\tenvoy http external/envoy/source/common/http/filter_manager.cc:1018\t[C88][S51] Preparing local reply with details ${details}\tthread=41`;
    expect(top(reply('no_healthy_upstream'))).toBe('upstream-unavailable');
    expect(top(reply('upstream_reset_before_response_started{remote_connection_failure}'))).toBe('upstream-unavailable');
    expect(top(reply('route_not_found'))).toBe('bad-config');
    expect(diagnose(reply('direct_response')).incidents).toHaveLength(0);
  });
  it("a plugin that cannot read its VM configuration (the Go SDK's GetVMConfiguration) is its configuration, read exactly, bare or in a layout", () => {
    const msg = 'error reading vm configuration: error status returned by host: not found';
    for (const log of [
      `2025-02-11T09:14:27.501246Z\tcritical\tenvoy wasm\twasm log: ${msg}`,
      `[2025-02-11 09:14:27.501][18][critical][wasm] [source/extensions/common/wasm/context.cc:1157] wasm log my_root my_vm: ${msg}`,
      `envoy wasm\twasm log: ${msg}`,
    ]) {
      expect(top(log), log).toBe('wasm-plugin-config');
    }
  });
});

describe('more real shapes (a twenty-fourth set, held out until scored)', () => {
  const first = (log: string) => diagnose(log).incidents[0];
  it("an Envoy line whose source line number a page masked (`:XXXX]`, `:NNN]`) is still Envoy's header, and a logged `reset reason: <reason>` is an upstream failure", () => {
    for (const mask of ['XXXX', 'NNN', 'xxx']) {
      const log = [
        `[2024-05-02 10:01:07.311][0][info][connection] [source/common/network/connection_impl.cc:${mask}] [C${mask}] remote close`,
        `[2024-05-02 10:01:07.311][0][error][upstream] [source/common/upstream/upstream_impl.cc:${mask}] reset reason: connection failure`,
      ].join('\n');
      expect(top(log), mask).toBe('upstream-unavailable');
      expect(first(log)?.tier).not.toBe('general');
      // The location is not taken for the message: the line is read from its own words.
      expect(diagnose(log).incidents[0]?.evidence[0]?.text).toContain('reset reason');
    }
    // Envoy's router says it at debug level with the transport failure after it; a TLS reason there is the certificate.
    const router = (tfr: string) =>
      `[2024-05-02 10:01:07.311][29][debug][router] [source/common/router/router.cc:1286] [C7][S1182] upstream reset: reset reason: remote connection failure, transport failure reason: ${tfr}`;
    expect(top(router('delayed connect error: 111'))).toBe('upstream-unavailable');
    expect(top(router('TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED'))).toBe('tls-certificate');
    // A word that is no reset reason Envoy has is not read as one.
    expect(diagnose('[2024-05-02 10:01:07.311][29][debug][router] [C7][S1] upstream reset: reset reason: all good').incidents).toHaveLength(0);
  });
  it("Istio's access line quoted only up to its response details is still an access record, read by its flags and details", () => {
    const cut = (code: number, flags: string, details: string) =>
      `[2025-03-04T05:06:07.891Z] "POST /checkout HTTP/1.1" ${code} ${flags} ${details}`;
    expect(top(cut(503, 'UF', 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}'))).toBe('upstream-unavailable');
    expect(top(cut(503, 'UC', 'upstream_reset_before_response_started{connection_termination}'))).toBe('upstream-unavailable');
    const tls = cut(503, 'UF,URX', 'upstream_reset_before_response_started{connection_failure,TLS_error:_Secret_is_not_supplied_by_SDS}');
    expect(top(tls)).toBe('tls-certificate');
    expect(first(tls)?.tier).not.toBe('general');
    // A request that went well, cut the same way, is no incident; a caption line before it changes nothing.
    expect(diagnose(cut(200, '-', 'via_upstream')).incidents).toHaveLength(0);
    expect(top(`Sidecar log:\n${tls}`)).toBe('tls-certificate');
    // Prose that opens with a time and a quote is not taken for a record.
    expect(diagnose('[2025-03-04T05:06:07.891Z] "we restarted the pods" 3 times now').incidents).toHaveLength(0);
  });
  it('an access record whose TLS failure is `Secret is not supplied by SDS` is a certificate failure, read exactly', () => {
    const json = '{"start_time":"2025-03-04T05:06:07.891Z","method":"GET","path":"/cart","protocol":"HTTP/1.1","response_code":503,"response_flags":"UF,URX","response_code_details":"upstream_reset_before_response_started{connection_failure|TLS_error:_Secret_is_not_supplied_by_SDS}","upstream_cluster":"outbound|8080||cart.shop.svc.cluster.local","upstream_host":"10.4.0.9:8080","duration":0}';
    const text = '[2025-03-04T05:06:07.891Z] "GET /cart HTTP/1.1" 503 UF,URX upstream_reset_before_response_started{connection_failure,TLS_error:_Secret_is_not_supplied_by_SDS} - "TLS_error:_Secret_is_not_supplied_by_SDS" 0 91 0 - "-" "curl/8.5.0" "5c1d" "cart.shop" "10.4.0.9:8080" outbound|8080||cart.shop.svc.cluster.local - 10.4.0.9:8080 10.4.0.3:51844 - default';
    for (const log of [json, text]) {
      expect(top(log)).toBe('tls-certificate');
      expect(first(log)?.tier).not.toBe('general');
      expect(first(log)?.title).toMatch(/SDS/);
    }
  });
  it("Envoy's listener bind failure in its shortened wording (`listener '<name>' failed to bind: <reason>`) is port-bind, read exactly", () => {
    for (const log of [
      "listener '0.0.0.0_8443' failed to bind: bind: address already in use",
      "[2025-03-04 05:06:07.891][1][error][config] [source/common/listener_manager/listener_manager_impl.cc:NNN] listener '0.0.0.0_80' failed to bind: cannot bind '0.0.0.0:80': Permission denied",
      "2025-03-04T05:06:07.891220Z\terror\tenvoy config\tlistener '0.0.0.0_8443' failed to bind: bind: address already in use\tthread=1",
    ]) {
      expect(top(log), log).toBe('port-bind');
      expect(first(log)?.tier, log).not.toBe('general');
    }
  });
  it("Envoy's reply body quoted by its stable start (`upstream connect error or disconnect/reset header`, `… before header`) is an upstream failure, read exactly", () => {
    for (const log of [
      'Why do we get "upstream connect error or disconnect/reset header" from the gateway?',
      'upstream connect error or disconnect/reset before header. reset reason: connection timeout',
    ]) {
      expect(top(log), log).toBe('upstream-unavailable');
      expect(first(log)?.tier, log).not.toBe('general');
    }
  });
  it('the control plane named with a capital (`connect to Istiod: <network error>`) is xds-disconnected, read exactly', () => {
    for (const log of [
      'pilot-agent: failed to connect to Istiod: connection refused',
      '2025-03-04T05:06:07.891220Z\twarn\tcannot connect to Istiod.istio-system.svc:15012: i/o timeout',
    ]) {
      expect(top(log), log).toBe('xds-disconnected');
      expect(first(log)?.tier, log).not.toBe('general');
    }
  });
});

describe('more real shapes (a twenty-sixth set, held out until scored)', () => {
  const first = (log: string) => diagnose(log).incidents[0];
  it("an access line whose date a page masked (`[2024-1X-XXT…Z]`) is still the access record, with no time", () => {
    const envoyDefault = '[2024-1X-XXT09:10:11.222Z] "POST /orders HTTP/1.1" 503 UF 0 91 12 - "-" "okhttp/4.12.0" "a1b2" "orders.shop" "10.8.0.4:8080"';
    const istio = '[2024-XX-XXT09:10:11.222Z] "GET /cart HTTP/1.1" 503 UH no_healthy_upstream - "-" 0 19 0 - "-" "curl/8.5.0" "c3d4" "cart.shop" "-" outbound|8080||cart.shop.svc.cluster.local - 10.96.0.12:8080 10.8.0.3:51844 - default';
    for (const log of [envoyDefault, istio, `2025-11-25 13:12:28.243537256  ${istio}`]) {
      expect(top(log), log).toBe('upstream-unavailable');
      expect(first(log)?.tier, log).not.toBe('general');
      expect(first(log)?.firstSeen ?? null, log).toBeNull();
    }
    // A request that went well, masked the same way, is no incident.
    expect(diagnose('[2024-1X-XXT09:10:11.222Z] "GET /cart HTTP/1.1" 200 - via_upstream - "-" 0 512 3 2 "-" "curl/8.5.0" "c3d4" "cart.shop" "10.8.0.9:8080" outbound|8080||cart.shop.svc.cluster.local - 10.96.0.12:8080 10.8.0.3:51844 - default').incidents).toHaveLength(0);
  });
  it("an access line its writer shortened with `...` (cut after the duration, or columns dropped in the middle) keeps the columns before the cut", () => {
    // Envoy's default format cut after its byte counts and duration, the quote left open by the cut.
    const cutTail = '[2024-02-03T04:05:06.789Z] "GET /health HTTP/1.1" 503 UC 0 95 210 - ..."';
    expect(top(cutTail)).toBe('upstream-unavailable');
    // Istio's format without its time, columns dropped after the details: the flags and details still read, and a
    // cluster kept after the cut names the subject.
    const middle = (details: string) =>
      `"POST /pay HTTP/2" 503 UF,URX ${details} ... "pay.partner.example" "10.96.7.7:443" outbound|443||pay.partner.example ...`;
    const sds = middle('upstream_reset_before_response_started{remote_connection_failure|TLS_error:_Secret_is_not_supplied_by_SDS}');
    expect(top(sds)).toBe('tls-certificate');
    expect(first(sds)?.tier).not.toBe('general');
    expect(first(sds)?.title).toMatch(/outbound\|443\|\|pay\.partner\.example/);
    expect(top(middle('upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}'))).toBe('upstream-unavailable');
    // A fragment without its time and without a mark of where it was cut is not taken for a record.
    expect(diagnose('"GET /docs HTTP/1.1" 200 - see "the FAQ" for more').incidents).toHaveLength(0);
  });
  it("istiod cannot fetch the secret a credentialName names (`failed to fetch key and certificate for kubernetes://…: secret ns/name not found`): tls-certificate, read exactly", () => {
    for (const log of [
      '2025-04-02T10:11:12.131415Z\twarn\tads\tfailed to fetch key and certificate for kubernetes://billing-mtls: secret edge/billing-mtls not found',
      '2025-04-02T10:11:12.131415Z  warn  ads  failed to fetch ca certificate for kubernetes://billing-mtls-cacert: secret edge/billing-mtls not found',
    ]) {
      expect(top(log), log).toBe('tls-certificate');
      expect(first(log)?.tier, log).not.toBe('general');
      expect(first(log)?.severity, log).toBe('error');
      expect(first(log)?.title, log).toMatch(/kubernetes:\/\/billing-mtls/);
    }
  });
});

describe('more real shapes (a twenty-seventh set, held out until scored)', () => {
  const first = (log: string) => diagnose(log).incidents[0];
  it('an initial fetch that timed out while the config stream was refused is the stream\'s knock-on, not a configuration incident of its own', () => {
    const timeout = '[2025-02-11 07:08:09.100][1][warning][config] [source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:130] gRPC config: initial fetch timed out for type.googleapis.com/envoy.config.route.v3.RouteConfiguration';
    const closed = (t: string, why: string) =>
      `[2025-02-11 07:08:${t}][1][warning][config] [./source/extensions/config_subscription/grpc/grpc_stream.h:188] DeltaAggregatedResources gRPC config stream to xds_cluster closed: ${why}`;
    const log = [timeout, closed('14.200', '16, unauthenticated: token rejected'), closed('41.700', '16, unauthenticated: token rejected')].join('\n');
    const d = diagnose(log);
    expect(d.incidents[0]?.cause).toBe('xds-disconnected');
    const knock = d.incidents.find((i) => i.cause === 'bad-config');
    expect(knock?.rootOf).toBe(d.incidents[0]?.id);
    // The timeout alone stays a warning about that type; beside a rejection it is the rejection's business, not the stream's.
    expect(diagnose(timeout).incidents[0]?.cause).toBe('bad-config');
    const rejected = '[2025-02-11 07:08:10.000][1][warning][config] [source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138] gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 0.0.0.0_8080: unknown cluster \'svc-a\'';
    const withRejection = diagnose([timeout, rejected, closed('14.200', '16, unauthenticated: token rejected')].join('\n'));
    expect(withRejection.incidents.find((i) => i.patterns.includes('HD-CONFIG-006'))?.rootOf ?? null).toBeNull();
  });
  it("Envoy's debug placeholder for a TLS socket whose SDS secret has not arrived (`Create NotReadySslSocket`) is a certificate failure, at warning", () => {
    // The socket factory logs it (logger config) each time it builds a connection without the secret; the
    // connection then fails its handshake and the router retries. Other debug noise around it changes nothing.
    for (const log of [
      '2025-01-09T03:04:05.118201Z\tdebug\tenvoy config\tCreate NotReadySslSocket',
      '[2025-01-09 03:04:05.118][40][debug][config] [source/common/tls/ssl_socket.cc:402] Create NotReadySslSocket',
      '[Envoy (Epoch 0)] [2025-01-09 03:04:05.118][40][debug][config] Create NotReadySslSocket',
      [
        '2025-01-09T03:04:05.117001Z\tdebug\tenvoy router\t[C901][S7731] performing retry',
        '2025-01-09T03:04:05.117020Z\tdebug\tenvoy pool\tcreating a new connection',
        '2025-01-09T03:04:05.117031Z\tdebug\tenvoy config\tCreate NotReadySslSocket',
        '2025-01-09T03:04:05.117050Z\tdebug\tenvoy client\t[C944] connecting',
      ].join('\n'),
    ]) {
      expect(top(log), log).toBe('tls-certificate');
      expect(first(log)?.severity, log).toBe('warning');
      expect(first(log)?.tier, log).not.toBe('general');
    }
    // The placeholder's own failure reason, quoted by the router's debug line, is the same failure.
    const router = '[2025-01-09 03:04:05.121][40][debug][router] [source/common/router/router.cc:1355] [C901][S7731] upstream reset: reset reason: connection failure, transport failure reason: TLS error: Secret is not supplied by SDS';
    expect(top(router)).toBe('tls-certificate');
    expect(first(router)?.title).toMatch(/SDS/);
    // An ordinary TLS socket, or a secret becoming ready, is nothing.
    expect(diagnose('2025-01-09T03:04:05.118201Z\tdebug\tenvoy config\tCreate SslSocket').incidents).toHaveLength(0);
    expect(diagnose('[2025-01-09 03:04:05.118][40][debug][config] Secret is ready for the TLS context').incidents).toHaveLength(0);
  });
});

describe('more real shapes (a twenty-eighth set, held out until scored)', () => {
  const first = (log: string) => diagnose(log).incidents[0];
  it('an oci:// reference pinned by the digest the fetcher checks against, resolved to another manifest, is the image packaging (a multi-platform index), not a corrupt module', () => {
    const pinned = 'a1'.repeat(32);
    const resolved = '7e'.repeat(32);
    const url = `oci://registry.example.net/team/auth-filter@sha256:${pinned}`;
    const mismatch = (expected: string, ref = url) => `module downloaded from ${ref} has checksum ${resolved}, which does not match: ${expected}`;
    for (const log of [
      // pilot-agent's zap line (tabs), and the same fetcher's words behind Higress's `convert the wasm config`, spaces for tabs.
      `2025-06-01T02:03:04.050607Z\terror\twasm\terror in converting the wasm config to local: cannot fetch Wasm module ${url}: ${mismatch(pinned)}`,
      `2025-06-01T02:03:04.050607Z error wasm convert the wasm config: 1 error occurred:\n\t* cannot fetch Wasm module ${url}: ${mismatch(pinned)}\n`,
      // The fetcher's cause text alone, as a status message or a pasted fragment carries it.
      mismatch(pinned),
    ]) {
      expect(top(log), log).toBe('wasm-image-format');
      expect(first(log)?.tier, log).not.toBe('general');
    }
    // A checksum that differs from the pinned digest, or a tag with a sha256 set beside it, is still the generic mismatch.
    expect(top(mismatch('f0'.repeat(32)))).toBe('wasm-module-corrupt');
    expect(top(mismatch(pinned, 'oci://registry.example.net/team/auth-filter:2.1'))).toBe('wasm-module-corrupt');
    expect(top(`module downloaded from https://plugins.example.net/auth.wasm has checksum ${resolved}, which does not match: ${pinned}`)).toBe('wasm-module-corrupt');
  });
  it("a non-Envoy Wasm host's stub trapping a Proxy-Wasm call it does not serve (`host trap (function not yet implemented): <call>`) is wasm-module-incompatible, read exactly", () => {
    const trap = (call: string, runtime: string) => `host trap (function not yet implemented): ${call} <module: "limits", vm: "main", runtime: "${runtime}">`;
    for (const [log, call] of [
      // The nginx error log's multi-line trap: the cause is the indented line under `Caused by:`.
      [
        [
          '2024/09/10 11:12:13 [error] 811#0: *42 [wasm] error while executing at wasm backtrace:',
          '    0: 0x31c4 - <unknown>!limits::on_request',
          '    1: 0x30a0 - <unknown>!proxy_on_request_headers',
          '',
          'Caused by:',
          `    ${trap('proxy_get_shared_data', 'wasmtime')}`,
        ].join('\n'),
        'proxy_get_shared_data',
      ],
      [trap('proxy_define_metric', 'v8'), 'proxy_define_metric'],
      // Inline after the host's prefix, and in an older wording without `function`.
      ['2024/09/10 11:12:13 [error] 811#0: *42 [wasm] host trap (not yet implemented): proxy_record_metric', 'proxy_record_metric'],
    ] as const) {
      expect(top(log), log).toBe('wasm-module-incompatible');
      expect(first(log)?.tier, log).not.toBe('general');
      expect(first(log)?.severity, log).toBe('error');
      expect(first(log)?.title, log).toContain(call);
    }
    // Another kind of host trap is not this.
    expect(top('2024/09/10 11:12:13 [error] 811#0: *42 [wasm] host trap (bad usage): could not set response header')).not.toBe('wasm-module-incompatible');
  });
});

describe('more real shapes (a twenty-ninth set, held out until scored)', () => {
  const first = (log: string) => diagnose(log).incidents[0];
  it("libevent's own `Too many open files` lines (Envoy out of descriptors before it logs a line of its own) are an Envoy crash; supervisord's exit of a program named envoy or higress-gateway is the gateway's", () => {
    // libevent's default log callback: `[<severity>] <function>: <call>: <strerror>`, no time, no Envoy prefix.
    const err = '[err] evsig_init_: socketpair: Too many open files';
    expect(top(err)).toBe('envoy-crash');
    expect(first(err)?.severity).toBe('error');
    expect(first(err)?.tier).not.toBe('general');
    // A pipe it could not make is a warning (libevent falls back to a socketpair); still the descriptor limit.
    const warn = '[warn] epoll_create: Too many open files';
    expect(top(warn)).toBe('envoy-crash');
    expect(first(warn)?.severity).toBe('warning');
    // The whole start: the supervisord exit that follows is the same incident's knock-on, whatever the program's name.
    const start = [
      '[warn] evutil_make_internal_pipe_: pipe: Too many open files',
      '[err] evsig_init_: socketpair: Too many open files',
      '2025-07-08 09:10:11,213 WARN exited: higress-gateway (exit status 1; not expected)',
    ].join('\n');
    expect(top(start)).toBe('envoy-crash');
    expect(diagnose(start).incidents.filter((i) => i.rootOf === null)).toHaveLength(1);
    // supervisord's exit alone, with or without its time, for the names images give the Envoy program.
    for (const exit of ['INFO exited: envoy (exit status 0; expected)', '2025-07-08 09:10:11,213 WARN exited: higress-gateway (terminated by SIGABRT (core dumped); not expected)']) {
      expect(top(exit), exit).toBe('envoy-crash');
      expect(first(exit)?.patterns, exit).toContain('HD-CRASH-009');
    }
    // Another error from libevent, or another program's exit, is not this.
    expect(diagnose('[warn] evutil_make_internal_pipe_: pipe: Resource temporarily unavailable').incidents.some((i) => i.patterns.includes('HD-CRASH-380'))).toBe(false);
    expect(diagnose('2025-07-08 09:10:11,213 WARN exited: envoy-exporter (exit status 1; not expected)').incidents.some((i) => i.patterns.includes('HD-CRASH-009'))).toBe(false);
  });
  it('a config stream that closes within a second of Envoy opening it fails at its opening: reported at once, not held back as a periodic close', () => {
    const open = (t: string, to: string) =>
      `2025-05-06T07:08:${t}Z\tdebug\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:54\tEstablishing new gRPC bidi stream to ${to} for rpc StreamAggregatedResources(stream .envoy.service.discovery.v3.DiscoveryRequest) returns (stream .envoy.service.discovery.v3.DiscoveryResponse);\tthread=1`;
    const close = (t: string, to: string) =>
      `2025-05-06T07:08:${t}Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193\tStreamAggregatedResources gRPC config stream to ${to} closed: 13, \tthread=1`;
    const log = [open('09.100000', 'xds-grpc'), close('09.420000', 'xds-grpc')].join('\n');
    expect(top(log)).toBe('xds-disconnected');
    expect(first(log)?.title).toMatch(/closes as soon as it opens/);
    expect(first(log)?.tier).not.toBe('general');
    // Envoy's default layout, the target a host:port, debug lines of the gRPC client between the two.
    const envoy = [
      '[2025-05-06 07:08:09.100][12][debug][config] [./source/extensions/config_subscription/grpc/grpc_stream.h:54] Establishing new gRPC bidi stream to cp.mesh.internal:443 for rpc DeltaAggregatedResources(stream .envoy.service.discovery.v3.DeltaDiscoveryRequest) returns (stream .envoy.service.discovery.v3.DeltaDiscoveryResponse);',
      '[2025-05-06 07:08:09.101][12][debug][grpc] [source/common/grpc/google_async_client_impl.cc:254] notifyRemoteClose 13 ',
      '[2025-05-06 07:08:09.101][12][warning][config] [./source/extensions/config_subscription/grpc/grpc_stream.h:176] DeltaAggregatedResources gRPC config stream to cp.mesh.internal:443 closed: 13, ',
    ].join('\n');
    expect(top(envoy)).toBe('xds-disconnected');
    // The periodic reconnect closes a stream that lived half an hour: nothing, as before.
    expect(diagnose([open('09.100000', 'xds-grpc'), close('09.100000', 'xds-grpc').replace('07:08:09', '07:38:09')].join('\n')).incidents).toHaveLength(0);
    // Another stream's opening, or an opening after the close, explains nothing.
    expect(diagnose([open('09.100000', 'sds-grpc'), close('09.420000', 'xds-grpc')].join('\n')).incidents).toHaveLength(0);
    expect(diagnose([close('09.100000', 'xds-grpc'), open('09.420000', 'xds-grpc')].join('\n')).incidents).toHaveLength(0);
  });
});

describe('more real shapes (the twenty-ninth set, collected after its first fixes)', () => {
  const first = (log: string) => diagnose(log).incidents[0];
  it("a JSON record printed over several lines by a lenient printer (a value or key in single quotes, JSON5 or a hand edit) is still that one record", () => {
    const members = [
      "  \"nested_log\": '{\"round\":2,\"consumer\":\"team-a\"}',",
      '  "method": "POST",',
      '  "path": "/v1/rerank",',
      '  "response_code": "503",',
      '  "response_flags": "UF",',
      '  "start_time": "2026-04-05T06:07:08.901Z",',
      "  'upstream_cluster': 'outbound|8000||rerank.static',",
      '  "upstream_host": "10.9.8.7:8000",',
      '  "response_code_details": "upstream_reset_before_response_started{connection_failure}",',
    ];
    for (const lines of [['{', ...members, '}'], ['{', ...members]]) {
      const text = lines.join('\n');
      expect(top(text), text).toBe('upstream-unavailable');
      const d = diagnose(text);
      expect(d.incidents[0]?.tier).not.toBe('general');
      expect(d.incidents[0]?.subject.cluster).toBe('outbound|8000||rerank.static');
      expect(d.stats.layouts).toEqual({ 'access-json': 1 });
    }
    // An object that is no record stays the lines it was, quotes or not.
    expect(diagnose(['{', "  'kind': 'ConfigMap',", "  'name': 'mesh'", '}'].join('\n')).stats.unparsed).toBe(4);
  });
  it("the details of an external processor or authorizer the request could not use (`ext_proc_error_gRPC_error_<code>{…}`, `ext_authz_error`) are that service unavailable, bare, in an access record, or cut by a terminal", () => {
    for (const log of [
      // Bare, the braces cut short where a terminal wrapped the value (the rest on lines of their own).
      ['ext_proc_error_gRPC_error_14{upstream_connect_error_or_disconnect/reset_before_headers._reset_reas', 'on:_connection_failure,_transport_failure_reason:_delayed_connect_err', 'or:_111}'].join('\n'),
      // Higress' JSON access record and Envoy's TEXT access line.
      '{"authority":"models.example.org","method":"POST","path":"/v1/embeddings","protocol":"HTTP/1.1","response_code":"500","response_flags":"-","route_name":"emb","start_time":"2026-01-02T03:04:05.678Z","upstream_cluster":"-","upstream_host":"-","response_code_details":"ext_proc_error_gRPC_error_14{no_healthy_upstream}"}',
      '[2026-01-02T03:04:05.678Z] "POST /v1/embeddings HTTP/1.1" 500 - ext_proc_error_gRPC_error_4{message_timeout} - "-" 120 0 200 - "10.4.5.6" "python-httpx/0.28" "a1b2" "models.example.org" "-" - - 10.4.0.2:10080 10.4.5.6:51000 - -',
      '[2026-01-02T03:04:05.678Z] "GET /admin HTTP/2" 403 UAEX ext_authz_error - "-" 0 0 5 - "10.4.5.6" "curl/8.6.0" "c3d4" "admin.example.org" "-" - - 10.4.0.2:10443 10.4.5.6:51002 - -',
    ]) {
      expect(top(log), log).toBe('upstream-unavailable');
      expect(first(log)?.tier, log).not.toBe('general');
      expect(first(log)?.patterns, log).toContain('HD-UP-380');
    }
    // A denial by the authorizer is its decision, not the service failing.
    expect(diagnose('[2026-01-02T03:04:05.678Z] "GET /admin HTTP/2" 403 UAEX ext_authz_denied - "-" 0 0 5 - "10.4.5.6" "curl/8.6.0" "c3d4" "admin.example.org" "-" - - 10.4.0.2:10443 10.4.5.6:51002 - -').incidents.some((i) => i.patterns.includes('HD-UP-380'))).toBe(false);
  });
});

describe('more real shapes (a thirtieth set, held out until scored)', () => {
  const first = (log: string) => diagnose(log).incidents[0];
  it("a plugin's words before the host's `bad argument`, pasted bare (no `wasm log <vm>:`), still say a client named a cluster the gateway lacks", () => {
    for (const log of [
      'redis error:error status returned by host: bad argument',
      'cache lookup for key: tallest mountain failed, error: error status returned by host: bad argument\tthread=9',
      '[ai-quota] redis call failed: error status returned by host: bad argument',
      'dispatch http call to auth.internal failed: error status returned by host: bad argument',
    ]) {
      expect(top(log), log).toBe('wasm-plugin-config');
      expect(first(log)?.patterns, log).toContain('HD-WASM-200');
    }
    // The same status from a call that opens no client (a header, a property) is not this.
    expect(diagnose('failed to set request header: error status returned by host: bad argument').incidents.some((i) => i.patterns.includes('HD-WASM-200'))).toBe(false);
  });
  it("certmagic's ACME failures (the controller's automatic HTTPS) are a certificate never issued: zap's console layout with epoch or ISO time, or the record pretty-printed", () => {
    const record =
      '{"identifier": "www.example.com", "challenge_type": "http-01", "problem": {"type": "urn:ietf:params:acme:error:unauthorized", "title": "", "detail": "198.51.100.20: Invalid response from http://www.example.com/.well-known/acme-challenge/tok3n: 404", "instance": "", "subproblems": []}}';
    for (const line of [
      `1.6543210987654321e+09\terror\tacme_client\tchallenge failed\t${record}`,
      `1.6543210987654321e+09  error   acme_client     challenge failed        ${record}`,
      `1654321098.7654321\terror\tacme_client\tchallenge failed\t${record}`,
      `2022-06-04T05:38:18.765Z\terror\tacme_client\tchallenge failed\t${record}`,
    ]) {
      expect(top(line), line).toBe('tls-certificate');
      expect(first(line)?.subject.domain, line).toBe('www.example.com');
    }
    // The epoch is read as the line's time and its columns as Istio's Go layout (level, scope).
    const d = diagnose(`1.6543210987654321e+09\terror\tacme_client\tchallenge failed\t${record}`);
    expect(d.stats.layouts).toEqual({ 'istio-go': 1 });
    expect(d.incidents[0]?.firstSeen).toMatch(/^2022-06-04T/);
    // Issuance refused after validation, and a record printed over several lines.
    expect(top('1.6543210988e+09\terror\tobtain\tcould not get certificate from issuer\t{"identifier": "www.example.com", "issuer": "acme-v02.api.letsencrypt.org-directory", "error": "HTTP 400 urn:ietf:params:acme:error:caa - CAA record prevents issuance"}')).toBe('tls-certificate');
    const pretty = ['acme_client challenge failed {', '  "identifier": "www.example.com",', '  "problem": {', '    "type": "urn:ietf:params:acme:error:connection"', '  }', '}'].join('\n');
    expect(top(pretty)).toBe('tls-certificate');
    // Progress lines are not failures; another program's `challenge failed` is not ACME's.
    expect(diagnose('1.6543210987654321e+09\tinfo\tacme_client\ttrying to solve challenge\t{"identifier": "www.example.com", "challenge_type": "http-01"}').incidents).toHaveLength(0);
    expect(diagnose('2022-06-04T05:38:18.765Z\terror\tauth\tlogin challenge failed for user bob').incidents.some((i) => i.patterns.includes('HD-TLS-400'))).toBe(false);
  });
});

describe('more real shapes (a thirty-first set, held out until scored)', () => {
  const first = (log: string) => diagnose(log).incidents[0];
  it("Envoy 1.6's wording of a refused listener update (`error adding listener: '<name>' has duplicate address …`, `lds: fetch failure: <error>`) is a configuration rejected, and a failed poll (`fetch failure: network error`) is not", () => {
    const manager = "[2018-03-02 10:11:12.345][9][warning][config] external/envoy/source/server/listener_manager_impl.cc:372] error adding listener: 'http_10.20.30.40_9080' has duplicate address '10.20.30.40:9080' as existing listener";
    const subscription = "[2018-03-02 10:11:12.345][9][warning][upstream] external/envoy/source/server/lds_subscription.cc:68] lds: fetch failure: error adding listener: 'http_10.20.30.40_9080' has duplicate address '10.20.30.40:9080' as existing listener";
    for (const log of [manager, subscription, `${manager}\n${subscription}`]) {
      expect(top(log), log).toBe('bad-config');
      expect(first(log)?.severity, log).toBe('error');
      expect(first(log)?.tier, log).not.toBe('general');
    }
    expect(first(manager)?.subject.listener).toBe('http_10.20.30.40_9080');
    // Any other refusal the subscription reports is read the same way; a bind failure is the port's.
    expect(top("[2018-03-02 10:11:12.345][9][warning][upstream] external/envoy/source/common/upstream/cds_subscription.cc:70] cds: fetch failure: Proto constraint validation failed (ClusterValidationError.Name: [\"value length must be at least \" '\\x01' \" bytes\"]): ")).toBe('bad-config');
    expect(top("[2018-03-02 10:11:12.345][9][warning][upstream] external/envoy/source/server/lds_subscription.cc:68] lds: fetch failure: cannot bind '0.0.0.0:443': Address already in use")).toBe('port-bind');
    // The poll that found no control plane carries no exception text: not a configuration refused.
    const poll = "[2018-03-02 10:11:12.345][9][info][upstream] external/envoy/source/server/lds_subscription.cc:70] lds: fetch failure: network error";
    expect(diagnose(poll).incidents.some((i) => i.cause === 'bad-config')).toBe(false);
  });
});

describe('the general tier carries further (wordings by class)', () => {
  // The general tier alone, as `eval --tier general` measures it: the fallback for wording no exact pattern knows.
  const generalOnly = { ...catalog, patterns: catalog.patterns.filter((p) => p.spec.tier === 'general') };
  const general = (text: string, noPrefilter = false): Diagnosis => {
    const p = new Pipeline(generalOnly, { noPrefilter });
    p.beginInput('paste.log');
    p.push(Buffer.from(text.endsWith('\n') ? text : `${text}\n`));
    p.endInput();
    return p.snapshot();
  };
  /** The first incident at error or above (what the eval counts), the same on the fast and the reference path. */
  const grave = (text: string): { cause: string; tier: string | undefined } | undefined => {
    const pick = (d: Diagnosis) => d.incidents.filter((i) => i.severity === 'error' || i.severity === 'critical').map((i) => ({ cause: i.cause, tier: i.tier }));
    const fast = pick(general(text));
    expect(fast).toEqual(pick(general(text, true)));
    return fast[0];
  };

  it('a metrics scrape of this host refused (the agent reading Envoy\'s or the app\'s stats before they listen) is no backend down', () => {
    // pilot-agent's scrape of Envoy's stats port while Envoy (re)starts: Istio's tab layout and a bare paste of it.
    const scrape = 'failed scraping envoy metrics: error scraping http://localhost:15090/stats/prometheus: Get "http://localhost:15090/stats/prometheus": dial tcp [::1]:15090: connect: connection refused';
    for (const log of [`2026-03-04T05:06:07.891011Z\terror\t${scrape}`, scrape, `2026-03-04T05:06:07.891011Z\terror\tfailed scraping application metrics: error scraping http://localhost:8080/metrics: dial tcp 127.0.0.1:8080: connect: connection refused`]) {
      expect(grave(log), log).toBeUndefined();
    }
    // A scrape of another host refused, or a backend refusing the gateway's connection, is still one.
    expect(grave('2026-03-04T05:06:07.891011Z\terror\tfailed scraping envoy metrics: error scraping http://10.0.3.7:15090/stats/prometheus: dial tcp 10.0.3.7:15090: connect: connection refused')?.cause).toBe('upstream-unavailable');
    expect(grave('2026-03-04T05:06:07.891011Z\terror\tproxy to backend orders.default.svc:8080 failed: dial tcp 10.0.3.17:8080: connect: connection refused')?.cause).toBe('upstream-unavailable');
  });

  it('a crash told by its report (frames, an assertion, an abort, V8\'s fatal check), not by a signal\'s name: the frames decide the cause', () => {
    // Envoy's frames with the signal line cut off (docs/formats.md §D1), in each layout Envoy writes them.
    const frames = (f: (i: number, sym: string) => string) =>
      [
        f(0, '__restore_rt [0x7f0c2d8a1520]'),
        f(1, '[0x5611a0e2c4b7]'),
        f(2, 'Envoy::Http::FilterManager::decodeHeaders() [0x5611a0c1d2e0]'),
      ].join('\n');
    for (const log of [
      frames((i, s) => `[2026-05-20 08:15:44.03${i}][29][critical][backtrace] [external/envoy/source/server/backtrace.h:118] #${i}: ${s}`),
      frames((i, s) => `2026-05-20T08:15:44.03${i}000Z\tcritical\tenvoy backtrace\t#${i}: ${s}`),
      frames((i, s) => `#${i}: ${s}`),
      // backward-cpp's frames of Envoy ≤ 1.12.
      ['thr<31> #3 0x9a1b2c (unknown)', 'thr<31> #4 0x9a3f10 (unknown)'].map((l) => `[2018-04-02 10:00:00.100][31][critical][backtrace] ${l}`).join('\n'),
      // The uncaught-exception and assertion reports (§D2, §D3) and a fatal signal §D1 names but the old vocabulary lacked.
      '[2026-05-20 08:15:44.031][29][critical][main] [external/envoy/source/exe/terminate_handler.cc:16] std::terminate called! Uncaught unknown exception, see trace.',
      '[2026-05-20 08:15:44.031][29][critical][assert] [external/envoy/source/common/http/conn_manager_impl.cc:1012] assert failure: !state_.saw_connection_close_.',
      '[2026-05-20 08:15:44.031][29][critical][backtrace] [external/envoy/source/server/backtrace.h:104] Caught Floating point exception, suspect faulting address 0x5611a0e2c4b7',
      // A debugger's frames of a core dump (§L9) and the kernel's report of the same death (§L11).
      ['#0  __pthread_kill_implementation', '#1  Envoy::SignalAction::sigHandler', '#2  <signal handler called>', '#3  Envoy::Upstream::ClusterManagerImpl::postThreadLocalClusterUpdate'].join('\n'),
      'envoy[2211]: segfault at 8 ip 000055e9b805ba0c sp 00007ffc260bcef8 error 4 in envoy[55e9b6a00000+4c00000]',
    ]) {
      expect(grave(log), log).toEqual({ cause: 'envoy-crash', tier: 'general' });
    }
    // Frames through the Wasm host are a plugin's crash; V8 failing to reserve memory is the VM limit (§E).
    expect(grave(frames((i, s) => `#${i}: ${i === 2 ? 'proxy_wasm::ContextBase::onResponseHeaders() [0x5611a0c1d2e0]' : s}`))?.cause).toBe('wasm-plugin-crash');
    expect(grave(frames((i, s) => `#${i}: ${i === 2 ? 'Envoy::Extensions::Common::Wasm::Context::onRequestBody() [0x5611a0c1d2e0]' : s}`))?.cause).toBe('wasm-plugin-crash');
    expect(grave(['#', '# Fatal error in , line 0', '# Check failed: 12 == (*__errno_location ()).', '#', '#FailureMessage Object: 0x7a850b563730'].join('\n'))?.cause).toBe('wasm-vm-limit');
    // An envoy bug Envoy survives, about a runtime guard it removed, is the configuration's (HD-GEN-010's words).
    const bug = '[2026-05-20 08:15:44.031][1][error][envoy_bug] [source/common/runtime/runtime_impl.cc:501] envoy bug failure: false. Details: Using a removed guard envoy.reloadable_features.example_flag. In future version of Envoy this will be treated as invalid configuration';
    expect(grave([bug, '[2026-05-20 08:15:44.031][1][error][envoy_bug] [source/common/common/assert.h:45] #0 UNKNOWN [0x55c3bd9d986c]'].join('\n'))?.cause).toBe('bad-config');
    // Envoy's start-up notices and a word that merely contains `caught` are nothing.
    for (const quiet of [
      '[2026-05-20 08:15:44.031][1][warning][main] [external/envoy/source/server/server.cc:843] There is no configured limit to the number of allowed active downstream connections. Configure a limit in `envoy.resource_monitors.downstream_connections` resource monitor.',
      '2026-05-20T08:15:44.031000Z\twarn\tads\tcaught up with 3 pending pushes',
      '[2026-05-20 08:15:44.031][1][info][main] [external/envoy/source/server/server.cc:430] statically linked extensions:',
    ]) {
      expect(general(quiet).incidents, quiet).toHaveLength(0);
    }
  });

  it('a logfmt line (Cilium\'s agent, Contour, Kuma: `level=error msg="…"`) is read by every general vocabulary', () => {
    // docs/formats.md §L4: the agents that run Envoy write logrus' logfmt; their messages use the same words.
    const logfmt = (msg: string) => `time="2026-05-20T08:15:44Z" level=error msg="${msg}" subsys=envoy-manager`;
    expect(grave(logfmt('Envoy: failed to bind listener on port 15714: address already in use'))?.cause).toBe('port-bind');
    expect(grave(logfmt('Envoy listener update NACKed: invalid listener config: duplicate filter chain match'))?.cause).toBe('bad-config');
    expect(grave(logfmt('[#3: [0x55e706cc602b]'))?.cause).toBe('envoy-crash');
    expect(general(`time="2026-05-20T08:15:44Z" level=info msg="Envoy: Listener 0.0.0.0:15714 created" subsys=envoy-manager`).incidents).toHaveLength(0);
  });
  it("an access record's failure words (short or long response flags, details, a TLS transport failure) are read by the general tier", () => {
    // docs/formats.md §L5 (a JSON format, here an operator's own with Envoy's long flags) and §L10 (Istio's TEXT format).
    const json = (code: string, flags: string, details: string, tfr = '-') =>
      `{"start_time":"2026-05-20T08:15:44.031Z","method":"GET","path":"/api","response_code":"${code}","response_flags":"${flags}","response_code_details":"${details}","upstream_cluster":"outbound|80||shop.default.svc.cluster.local","upstream_host":"10.0.4.7:8080","upstream_transport_failure_reason":"${tfr}"}`;
    const text = (code: string, flags: string, details: string, tfr = '-') =>
      `[2026-05-20T08:15:44.031Z] "GET /api HTTP/1.1" ${code} ${flags} ${details} - "${tfr}" 0 91 3 - "-" "curl/8.5.0" "5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f" "shop.example.org" "10.0.4.7:8080" outbound|80||shop.default.svc.cluster.local - 10.0.1.5:8080 10.0.1.1:40212 - default`;
    for (const log of [
      json('503', 'UpstreamRetryLimitExceeded,UpstreamConnectionFailure', '-'),
      json('503', 'UH', 'no_healthy_upstream'),
      text('503', 'UC', 'upstream_reset_before_response_started{connection_termination}'),
      text('504', 'UT', 'upstream_response_timeout'),
    ]) {
      expect(grave(log), log).toEqual({ cause: 'upstream-unavailable', tier: 'general' });
    }
    expect(grave(json('503', 'UF', '-', 'TLS error: 1:SSL routines:tls_process_server_certificate:certificate verify failed'))?.cause).toBe('tls-certificate');
    expect(grave(text('503', 'NC', 'cluster_not_found'))?.cause).toBe('bad-config');
    // The backend's own 500 and a client that left are no failure of the gateway's.
    for (const quiet of [json('500', '-', 'via_upstream'), text('0', 'DC', 'downstream_remote_disconnect')]) {
      expect(general(quiet).incidents.filter((i) => i.severity === 'error'), quiet).toHaveLength(0);
    }
  });
  it("the configuration stream's own words (closed, cannot be opened, down since) are read, and raised to error only when they say it lasts", () => {
    // docs/formats.md §G3: Envoy's subscriptions print `<type> gRPC config stream [to <cluster>] closed[ since <n>s ago]: <code>, <message>` at warning.
    const closed = (t: string, rest: string) => `[2026-05-20 08:15:${t}][1][warning][config] [source/extensions/config_subscription/grpc/grpc_stream.h:190] StreamClusters gRPC config stream to xds_cluster closed${rest}`;
    for (const log of [
      // Down for a while, or not even opened.
      closed('44.031', ' since 312s ago: 14, upstream connect error or disconnect/reset before headers. reset reason: connection timeout'),
      [closed('44.031', ': 14, no healthy upstream'), '[2026-05-20 08:15:44.031][1][warning][config] [source/common/config/grpc_stream.h:60] Unable to establish new stream'].join('\n'),
      // Refused for what the gateway is: unauthenticated, not permitted, an API the control plane does not serve.
      closed('44.031', ': 16, invalid bearer token'),
      closed('44.031', ': 7, node is not allowed to subscribe'),
      closed('44.031', ': 12, unknown service envoy.service.discovery.v3.AggregatedDiscoveryService'),
      // The connection failing again within minutes.
      [closed('44.031', ': 14, connection refused'), closed('52.480', ': 14, connection refused')].join('\n'),
    ]) {
      expect(grave(log), log).toEqual({ cause: 'xds-disconnected', tier: 'general' });
    }
    // One close for the connection, then nothing: a control plane restarting; a warning at most, never an error.
    expect(grave(closed('44.031', ': 14, connection refused'))).toBeUndefined();
    // The periodic reconnect (status 0, `transport is closing`, a GOAWAY) is nothing at all.
    const ads = (rest: string) => `2026-05-20T08:15:44.031000Z\twarning\tenvoy config\tStreamAggregatedResources gRPC config stream closed: ${rest}`;
    for (const quiet of [
      ads('0, '),
      ads('14, transport is closing'),
      ads('14, closing transport due to: connection error: desc = "error reading from server: EOF", received prior goaway: code: NO_ERROR'),
    ]) {
      expect(general(quiet).incidents, quiet).toHaveLength(0);
    }
    // Readiness counting a rejected update is the configuration's, at the line's own warning.
    const ready = '2026-05-20T08:15:44.031000Z\twarn\tEnvoy proxy is NOT ready: config not received from XDS server (is Pilot running?): cds updates: 1 successful, 0 rejected; lds updates: 0 successful, 1 rejected';
    expect(general(ready).incidents[0]).toMatchObject({ cause: 'bad-config', severity: 'warning' });
  });

  it('a general rule may raise its warning line to error, never to critical, and never lowers a graver line', () => {
    const spec = (severity: string) => `id: HD-GEN-059
title: "x {word}"
tier: general
severity: warning
match:
  literal: "frobnicate"
  regex: '(?<word>frobnicate failed)'
cause: xds-disconnected
confidence: 0.4
rules:
  - when: { word: 'failed' }
    cause: xds-disconnected
    confidence: 0.4
    severity: ${severity}
    because: "because"
explanation: "x"
remediation: [ "Read the line." ]
docs: docs/causes.md#xds-disconnected
examples:
  match:
    - text: "2026-05-20T08:15:44.031000Z\\twarn\\tfrobnicate failed"
      cause: xds-disconnected
  nomatch: [ "frobnicate ok" ]
`;
    const critical = compilePatternSource(spec('critical'), 'x.yaml');
    expect('problems' in critical && critical.problems.join('\n')).toMatch(/error at most/);
    const compiled = compilePatternSource(spec('error'), 'x.yaml');
    if (!('pattern' in compiled)) throw new Error(compiled.problems.join('\n'));
    const p = compiled.pattern;
    const run = (line: string) => {
      const d = new Pipeline({ ...catalog, patterns: [p] }, {});
      d.beginInput('x.log');
      d.push(Buffer.from(`${line}\n`));
      d.endInput();
      return d.snapshot().incidents[0]?.severity;
    };
    expect(run('2026-05-20T08:15:44.031000Z\twarn\tfrobnicate failed')).toBe('error');
    expect(run('2026-05-20T08:15:44.031000Z\tcritical\tfrobnicate failed')).toBe('critical');
  });
  it('a listener update rejected for its certificate or key is the certificate, at error; a rejection for anything else stays a warning', () => {
    // docs/formats.md §F: Envoy prints a rejected update at warning, with the reason after `Error adding/updating listener(s) <name>:`.
    const rejected = (why: string) =>
      `[2026-05-20 08:15:44.031][1][warning][config] [source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138] gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 0.0.0.0_443: ${why}`;
    for (const log of [
      rejected('Failed to load private key from /etc/gateway/certs/shop.key'),
      rejected('Invalid path: /etc/gateway/certs/shop.crt'),
      rejected('Failed to load incomplete certificate from /etc/gateway/certs/shop.crt'),
      '2026-05-20T08:15:44.031000Z\twarn\tads\tADS:LDS: ACK ERROR gateway-7d9f Internal:Error adding/updating listener(s) 0.0.0.0_443: Failed to load private key from <inline>',
    ]) {
      expect(grave(log), log).toEqual({ cause: 'tls-certificate', tier: 'general' });
    }
    // Not the certificate's: no error from these words alone.
    expect(grave(rejected("error adding listener ':15088': no filter chains specified"))).toBeUndefined();
  });
  it("a plugin's run-time failure in the host's words (a callback that failed, out-of-bounds memory) is the plugin's; in its allocator, or its GC's heap not growing, it is memory", () => {
    // docs/formats.md §B-runtime: the host reports a failed callback as `Function: <callback> failed: <runtime's words>`.
    const failed = (why: string) => `[2026-05-20 08:15:44.031][61][error][wasm] [source/extensions/common/wasm/wasm_vm.cc:38] Function: proxy_on_request_headers failed: ${why}`;
    for (const log of [failed('wavm.outOfBoundsMemoryAccess'), failed('Exception: out of bounds memory access'), failed('wasm trap: indirect call type mismatch')]) {
      expect(grave(log), log).toEqual({ cause: 'wasm-plugin-crash', tier: 'general' });
    }
    const backtrace = [failed('Uncaught RuntimeError: unreachable'), 'Proxy-Wasm plugin in-VM backtrace:', '  0:  0x3b6e - runtime.runtimePanic', '  1:  0x1c8a - runtime.alloc', '  2:  0x87a9 - main.onBody'].join('\n');
    expect(grave(backtrace)?.cause).toBe('oom');
    // A garbage collector in a plugin (Boehm's, in TinyGo builds) failing to grow its heap, and its own `Out of Memory!`.
    expect(grave('[2026-05-20 08:15:44.031][61][error][wasm] [source/extensions/common/wasm/context.cc:1154] wasm log waf my_vm: GC Warning: Failed to expand heap by 65536 KiB')?.cause).toBe('oom');
    expect(grave('[2026-05-20 08:15:44.031][61][error][wasm] [source/extensions/common/wasm/context.cc:1154] wasm log waf my_vm: GC Warning: Out of Memory! Heap size: 512 MiB. Returning NULL!')?.cause).toBe('oom');
    // A callback that returned normally is nothing.
    expect(general('[2026-05-20 08:15:44.031][61][debug][wasm] [source/extensions/common/wasm/context.cc:1154] wasm log waf my_vm: Function: onRequestHeaders took 2 ms').incidents).toHaveLength(0);
  });
  it("Envoy's `Plugin configured to fail closed failed to load` is no configuration complaint; a plugin's own words about its config are, with or without Envoy's prefix", () => {
    // docs/formats.md §B: the knock-on of any load failure (the plugin's fail_open setting is what `configured` means).
    const knockOn = '2026-05-20T08:15:44.031000Z\tcritical\tenvoy wasm\tPlugin configured to fail closed failed to load';
    expect(general(knockOn).incidents.filter((i) => i.cause === 'wasm-plugin-config')).toHaveLength(0);
    // Its cause before it decides: a module importing what the host lacks.
    const missingImport = '2026-05-20T08:15:44.030000Z\terror\tenvoy wasm\tFailed to load Wasm module due to a missing import: wasi_snapshot_preview1.sock_accept';
    expect(grave([missingImport, knockOn, knockOn].join('\n'))?.cause).toBe('wasm-module-incompatible');
    // A plugin's own complaint, in Envoy's wrapper and pasted bare with the SDKs' `[name]` prefix (§C).
    expect(grave('2026-05-20T08:15:44.031000Z\terror\tenvoy wasm\twasm log: failed to parse plugin config: unknown variant `quota`, expected `auth` at line 1 column 40')?.cause).toBe('wasm-plugin-config');
    expect(general('[quota] rule config invalid: window must be a duration').incidents[0]?.cause).toBe('wasm-plugin-config');
  });
  it("a Wasm image that is fetched but is `in invalid format` (its media type or layers on the bullets below) is the image's format", () => {
    // docs/formats.md §A: pilot-agent's multi-error, the reason on the first line, the details as bullets.
    const log = [
      '2026-05-20T08:15:44.031000Z\terror\twasm\tconvert the wasm config: cannot fetch Wasm module oci://registry.local/plugins/waf:1.0.0: could not fetch Wasm binary: the given image is in invalid format as an OCI image: 2 errors occurred:',
      '\t* could not parse as compat variant: invalid media type application/vnd.oci.empty.v1+json (expect application/vnd.oci.image.layer.v1.tar+gzip)',
      '\t* could not parse as oci variant: number of layers must be 2 but got 3',
    ].join('\n');
    expect(grave(log)?.cause).toBe('wasm-image-format');
    // The same fetch failing on the network stays the network's.
    expect(grave('2026-05-20T08:15:44.031000Z\terror\twasm\tcannot fetch Wasm module oci://registry.local/plugins/waf:1.0.0: could not fetch Wasm binary: dial tcp 10.0.0.5:443: i/o timeout')?.cause).toBe('wasm-fetch-network');
  });
});

describe('the general tier, session 14 (wordings by class)', () => {
  // The general tier alone, as `eval --tier general` measures it; every fixture is written from docs/formats.md.
  const generalOnly = { ...catalog, patterns: catalog.patterns.filter((p) => p.spec.tier === 'general') };
  const general = (text: string, noPrefilter = false): Diagnosis => {
    const p = new Pipeline(generalOnly, { noPrefilter });
    p.beginInput('paste.log');
    p.push(Buffer.from(text.endsWith('\n') ? text : `${text}\n`));
    p.endInput();
    return p.snapshot();
  };
  /** The first incident (any severity), the same on the fast and the reference path. */
  const first = (text: string): string | undefined => {
    const fast = general(text).incidents.map((i) => i.cause);
    expect(fast).toEqual(general(text, true).incidents.map((i) => i.cause));
    return fast[0];
  };
  /** The first incident at error or above (what the eval counts). */
  const grave = (text: string): string | undefined =>
    general(text).incidents.find((i) => i.severity === 'error' || i.severity === 'critical')?.cause;

  it("a configuration Envoy cannot build (an extension it lacks, a listener it cannot add, a bootstrap it cannot read, its command line) is bad config, in every component's and version's words", () => {
    // §F1–§F2, §D4: the registry's lookup, bare on stderr and in a start-up failure.
    expect(first("Didn't find a registered implementation for 'envoy.filters.http.lua' with type URL: ''")).toBe('bad-config');
    expect(grave("[2026-05-20 08:15:44.031][1][critical][main] [source/server/server.cc:95] error initializing configuration '/etc/envoy/envoy.yaml': Didn't find a registered implementation for name: 'envoy.filters.network.dubbo_proxy'")).toBe('bad-config');
    expect(grave("[2026-05-20 08:15:44.031][1][critical][main] [source/server/server.cc:95] error initializing configuration '/etc/envoy/envoy.yaml': envoy::config::core::v3::ConfigSource::GRPC must not have a cluster name specified")).toBe('bad-config');
    // §A9: pilot reporting the NACK; another control plane's logger (logrus) saying the same.
    expect(first('2026-05-20T10:20:01.000211Z\twarn\tads\tADS:LDS: ACK ERROR gw-7d9c5b6f4-q8m2n.higress-system-4 Internal:Error adding/updating listener(s) 0.0.0.0_8080: duplicate listener 0.0.0.0_8080 found')).toBe('bad-config');
    expect(first("ERRO[0042] Error adding/updating listener(s) ingress_https: error adding listener 'ingress_https': has a different address '0.0.0.0:443' from existing listener  code=13 context=grpc")).toBe('bad-config');
    // Envoy ≤ 1.7 (§F1): a refused update on the REST subscriptions.
    expect(first("[2026-05-20 08:15:44.031][12][warning][upstream] source/server/lds_subscription.cc:68] lds: fetch failure: error adding listener: 'http_10.0.0.5_8080' has duplicate address '10.0.0.5:8080' as existing listener")).toBe('bad-config');
    // A bootstrap Envoy cannot read, the refused JSON quoted after it: its words (`xds`, `connect_timeout`) are no
    // connection failure; Envoy 1.17+ refusing a v2 bootstrap (§L9, stderr).
    expect(grave('[2026-05-20 08:15:44.031][1][critical][main] source/server/server.cc:72] error initializing configuration \'/config/envoy.json\': Unable to parse JSON as proto (INVALID_ARGUMENT:dynamic_resources.ads_config.api_type: invalid value "GRPCC"): {"dynamic_resources":{"ads_config":{"api_type":"GRPCC","cluster_names":["xds"]}},"static_resources":{"clusters":[{"name":"xds","connect_timeout":"0.25s"}]}}')).toBe('bad-config');
    expect(first('The v2 xDS major version has been removed and is no longer supported. You may be using v2 in the bootstrap. (Unknown field in: {"admin":{"access_log_path":"/dev/null"}})')).toBe('bad-config');
    // TCLAP's verdict on the command line (§L9, stderr).
    expect(first('PARSE ERROR: Argument: --concurency\n             Couldn\'t find match for argument')).toBe('bad-config');
    // Not: an optional filter Envoy leaves out, a REST poll that reached nobody, a start-up failure whose reason is a
    // plugin's load failure (its own lines before it decide).
    expect(general("[2026-05-20 08:15:44.031][1][warning][config] [source/extensions/filters/network/http_connection_manager/config.cc:322] Can't find a registered implementation for http filter 'envoy.filters.http.custom' with type URL: 'custom.Config'").incidents).toHaveLength(0);
    expect(general('[2026-05-20 08:15:44.031][12][info][upstream] source/server/lds_subscription.cc:68] lds: fetch failure: network error').incidents).toHaveLength(0);
    const missingImport = '[2026-05-20 08:15:44.030][1][error][wasm] [source/extensions/common/wasm/wasm_vm.cc:39] Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.sched_yield';
    const knockOn = "[2026-05-20 08:15:44.031][1][critical][main] [source/server/server.cc:113] error initializing configuration '/etc/envoy/envoy.yaml': Unable to create Wasm HTTP filter my-plugin";
    expect(grave([missingImport, knockOn].join('\n'))).toBe('wasm-module-incompatible');
  });

  it('a TLS context with no certificate in it is the certificate\'s, not the configuration\'s', () => {
    // Envoy's words at start-up and in a refused listener (§G4, §F1).
    expect(grave("[2026-05-20 08:15:44.031][1][critical][main] [source/server/server.cc:95] error initializing configuration '/etc/envoy/envoy.yaml': No TLS certificates found for server context")).toBe('tls-certificate');
    expect(grave('[2026-05-20 08:15:44.031][1][warning][config] [source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138] gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 0.0.0.0_443: No TLS certificates found for server context')).toBe('tls-certificate');
    // A listener with no filter chains is not a certificate's.
    expect(first("[2026-05-20 08:15:44.031][1][warning][config] [source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138] gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) inbound_15088: error adding listener ':15088': no filter chains specified")).not.toBe('tls-certificate');
  });

  it("a module that does not fit the host (an import's type, an export the host needs, a host function not implemented) is incompatible, in each runtime's words", () => {
    // §B, the VM table: V8 and WAMR, wasmtime's linker, as a start-up failure too (critical, outranking its knock-on).
    expect(first('Failed to load WASM module due to an import type mismatch: env.proxy_http_call, want: i32 i32 i32 i32 -> i32, but host exports: i32 i32 -> i32')).toBe('wasm-module-incompatible');
    expect(first('[2026-05-20 08:15:44.031][1][error][wasm] [source/extensions/common/wasm/wamr/wamr.cc:301] Failed to load Wasm module due to an import type mismatch for function env.proxy_log, want: i32 i32 -> i32, but host exports: i32 i32 i32 -> i32')).toBe('wasm-module-incompatible');
    expect(first('2026/05/20 10:20:01 [error] 61#61: failed to new instance: incompatible import type for `env::proxy_get_property`')).toBe('wasm-module-incompatible');
    expect(grave("[2026-05-20 08:15:44.031][7][critical][main] [source/server/server.cc:96] error initializing configuration '/etc/envoy.yaml': Failed to load WASM module due to an import type mismatch: env.proxy_grpc_call, want: i32 i32 -> i32, but host exports: i32 -> i32")).toBe('wasm-module-incompatible');
    // An export the host needs, in each host's spelling.
    for (const log of ['2026-05-20T10:20:01.000211Z\terror\tenvoy wasm\tWasm VM failed Wasm module is missing malloc function.', '[2026-05-20 08:15:44.031][41][error][wasm] [source/extensions/common/wasm/wasm.cc:123] Wasm VM failed Wasm missing malloc', 'WASM missing malloc/free']) {
      expect(first(log), log).toBe('wasm-module-incompatible');
    }
    // A host function the runtime does not implement (Kong's wasmx host trap, proxy-wasm-cpp-host's abort text).
    expect(first('2026/05/20 10:20:01 [error] 61#0: *1 [wasm] error while executing at wasm backtrace:\n    0: 0x1db40d - <unknown>!proxy_on_request_headers\nCaused by:\n    host trap (function not yet implemented): proxy_get_shared_queue <module: "filter", vm: "main", runtime: "wasmtime">')).toBe('wasm-module-incompatible');
    expect(first('unimplemented proxy-wasm API')).toBe('wasm-module-incompatible');
    // Not Envoy's start-up advice about a resource monitor, nor gRPC's Unimplemented on a config stream.
    expect(general("[2026-05-20 08:15:44.031][1][warning][main] [source/server/server.cc:1012] There is no configured limit to the number of allowed active downstream connections. Configure a limit in `envoy.resource_monitors.global_downstream_max_connections` resource monitor.").incidents).toHaveLength(0);
  });

  it("the host's `bad argument` to a plugin's call (a client or cluster its configuration names) is the plugin's configuration, whatever words the plugin puts before it", () => {
    // §C9: the Go SDKs' status, in Envoy's wrapper and pasted bare; the Rust SDK's `BadArgument`.
    expect(first('2026-05-20T10:20:01.000211Z\twarning\tenvoy wasm\twasm log higress-system.my-limit-1.0.0: [my-limit] load rule quota-a failed: error status returned by host: bad argument')).toBe('wasm-plugin-config');
    expect(first('store error:error status returned by host: bad argument')).toBe('wasm-plugin-config');
    expect(first('lookup for key: user-42 failed, error: error status returned by host: bad argument\tthread=281')).toBe('wasm-plugin-config');
    expect(first('[2026-05-20 08:15:44.031][41][error][wasm] [source/extensions/common/wasm/context.cc:1151] wasm log my_vm: dispatch_http_call to auth-service failed: BadArgument')).toBe('wasm-plugin-config');
    // Not the other statuses (a property that is not set).
    expect(general('2026-05-20T10:20:01.000211Z\twarning\tenvoy wasm\twasm log my_vm: get property failed: error status returned by host: not found').incidents).toHaveLength(0);
  });

  it("a plugin's runtime panic is a crash at any level its runtime prints it (TinyGo's on stdout, at info), with or without Envoy's prefix; a recovered one at warning and above", () => {
    // §C: TinyGo's panic through fd_write on stdout, which the host logs at info; the SDKs' `[name] ` prefix bare.
    expect(grave('2026-05-20T10:20:01.000211Z\tinfo\tenvoy wasm\twasm log: panic: runtime error: slice out of range')).toBe('wasm-plugin-crash');
    expect(grave('[my-guard] panic: runtime error: invalid memory address or nil pointer dereference')).toBe('wasm-plugin-crash');
    expect(grave("2026-05-20T10:20:01.000211Z\terror\tenvoy wasm\twasm log my_root my_vm: panicked at 'index out of bounds: the len is 2 but the index is 3', src/filter.rs:88:21")).toBe('wasm-plugin-crash');
    // Its heap that could not grow is memory.
    expect(grave('2026-05-20T10:20:01.000211Z\tinfo\tenvoy wasm\twasm log: panic: runtime error: out of memory')).toBe('oom');
    // wasm-go's recoverFunc at error, the request id and prefixes pushing the words far from `wasm log`.
    expect(grave('2026-05-20T10:20:01.000211Z\terror\tenvoy wasm external/envoy/source/extensions/common/wasm/context.cc:1442\twasm log higress-system.content-guard-1.0.0: [content-guard] [nil] [d3ee3cf9-b5c8-457f-a464-f2131a4e89cb] recovered from panic runtime error: invalid memory address or nil pointer dereference, stack: goroutine 1 [running]:')).toBe('wasm-plugin-crash');
    // Not a recovered panic at info (one the plugin handled), nor a panic in no plugin's line.
    expect(general('2026-05-20T10:20:01.000211Z\tinfo\tenvoy wasm\twasm log: recovered from panic: runtime error: index out of range').incidents).toHaveLength(0);
    expect(general('2026-05-20T10:20:01.000211Z\tinfo\tenvoy main\tpanic: not reached').incidents.filter((i) => i.cause === 'wasm-plugin-crash')).toHaveLength(0);
    expect(general('2026-05-20T10:20:01.000211Z\terror\tads\trecovered from panic in push: context canceled').incidents.filter((i) => i.cause === 'wasm-plugin-crash')).toHaveLength(0);
  });

  it('the program that runs Envoy saying Envoy ended with an error is a crash (a SIGKILL: memory), in each agent\'s and version\'s words', () => {
    // §D5: pilot-agent, istio <= 1.12's epochs and the older wording (at warn), pasted in prose too.
    expect(grave('2026-05-20T10:20:01.000211Z\twarn\tEpoch 0 terminated with an error: signal: killed')).toBe('oom');
    expect(grave('The proxies kept restarting with `Epoch 0 terminated with an error: signal: killed` in their logs.')).toBe('oom');
    expect(grave('2026-05-20T10:20:01.000211Z\terror\tEpoch 1 exited with error: signal: aborted (core dumped)')).toBe('envoy-crash');
    // §D5: the ECS AppNet agent (-1: a signal ended it); §L8: supervisord, the program named for Envoy or a gateway.
    expect(grave('[2026-05-20 10:20:01.112][7][warning] [AppNet Agent] [Envoy process 33] Exited with code [-1]')).toBe('envoy-crash');
    expect(grave('WARN exited: envoy (exit status 1; not expected)')).toBe('envoy-crash');
    expect(grave('2026-05-20 10:20:01,118 WARN exited: edge-gateway (terminated by SIGKILL; not expected)')).toBe('oom');
    // Not an expected exit, a normal one, a requested stop, nor a control-plane program's.
    for (const log of ['2026-05-20 10:20:01,118 INFO exited: gateway (exit status 0; expected)', '2026-05-20 10:20:01,118 WARN exited: gateway-controller (exit status 1; not expected)', '[2026-05-20 10:20:01.112][7][info] [AppNet Agent] [Envoy process 33] exited normally with code: [0]', '[2026-05-20 10:20:01.112][7][warning] [AppNet Agent] [Envoy process 33] was terminated by signal: [terminated] with Core Dump: [false]', '2026-05-20T10:20:01.000211Z\tinfo\tEpoch 0 exited normally']) {
      expect(grave(log), log).toBeUndefined();
    }
  });

  it("the kernel's and the kubelet's own words for memory exhausted at a limit are oom, at error though they carry no level", () => {
    // §E, §L11: the memory-cgroup report, from dmesg and from the journal; its usage line alone, the limit reached.
    expect(grave('[81234.567890] Task in /kubepods/burstable/pod1f2e3d4c/8a9b0c1d killed as a result of limit of /kubepods/burstable/pod1f2e3d4c')).toBe('oom');
    expect(grave('May 20 10:20:01 node-3 kernel: memory: usage 524288kB, limit 524288kB, failcnt 212')).toBe('oom');
    // The kubelet: an eviction for memory, the node's condition, its eviction manager, the event reason.
    expect(grave('Evicted: The node was low on resource: memory. Container istio-proxy was using 812340Ki, which exceeds its request of 128Mi.')).toBe('oom');
    expect(grave('W0520 10:20:01.000211    1234 eviction_manager.go:360] eviction manager: attempting to reclaim memory')).toBe('oom');
    expect(grave('  Normal  NodeHasInsufficientMemory  3m  kubelet  Node worker-2 status is now: NodeHasInsufficientMemory')).toBe('oom');
    // Not a healthy node's conditions, nor a cgroup that never hit its limit.
    expect(general('  MemoryPressure   False   Mon, 20 May 2026 10:20:01 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available').incidents).toHaveLength(0);
    expect(general('[81234.567890] memory+swap: usage 0kB, limit 9007199254740988kB, failcnt 0').incidents).toHaveLength(0);
  });

  it("a module file that is not where the filter says is a bad address, the listener it is in refused (at error), and a certificate's file stays the certificate's", () => {
    // §B-path: Envoy's read of a local data source, inside the rejection and bare.
    expect(grave('[2026-05-20 08:15:44.031][1][warning][config] [source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138] gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) virtualInbound: Invalid path: /var/local/lib/wasm-cache/5f1e0c2d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d')).toBe('wasm-fetch-bad-address');
    expect(grave('Invalid path: /etc/envoy/plugins/rate-guard.wasm')).toBe('wasm-fetch-bad-address');
    expect(grave('unable to read file: /etc/envoy/filters/auth-filter.wasm')).toBe('wasm-fetch-bad-address');
    // The same words for TLS material (§G4) are the certificate's.
    expect(grave('[2026-05-20 08:15:44.031][1][warning][config] [source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138] gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 0.0.0.0_443: Invalid path: /etc/istio/ingressgateway-certs/tls.crt')).toBe('tls-certificate');
  });
});
