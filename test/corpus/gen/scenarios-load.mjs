// Scenarios: a fetched module does not fit this gateway (incompatible), the plugin rejects its
// configuration, or the plugin traps / panics / takes Envoy down at run time.
import { site, traffic, agentStartup, wasmLoadFailure, reject, TYPE, fatalSignal, agentExit, FRAMES, fetchingImage, allInOneBanner } from './blocks.mjs';

const wfs = (log, s, path, n = 3) => {
  for (let i = 0; i < n; i++) {
    log.wait(400, 600).access({ authority: s.authority, path, method: 'POST', code: 503, details: 'wasm_fail_stream', route: s.route, cluster: s.cluster, upstreamHost: '-', upstreamLocal: '-', svcTime: '-', duration: 0, bytesOut: 0, ua: s.ua });
  }
};

/** Higress (escaped) form of a V8 trap: one physical line with literal \n between the parts. */
function trapEscaped(cb, trap, frames) {
  return `Function: ${cb} failed: ${trap}\\nProxy-Wasm plugin in-VM backtrace:` + frames.map((f, i) => `\\n${String(i).padStart(3, ' ')}:  ${f}`).join('');
}
/** Plain Envoy form: real newlines. */
function trapMulti(cb, trap, frames) {
  return `Function: ${cb} failed: ${trap}\nProxy-Wasm plugin in-VM backtrace:` + frames.map((f, i) => `\n${String(i).padStart(3, ' ')}:  ${f}`).join('');
}

/** Go wasip1 runtime printing a panic one write at a time (docs/formats.md §4.5). */
function shreddedPanic(log, { prefix, value, funcs, tid }) {
  const toks = ['panic: ', value, '', 'goroutine ', '1', ' [', 'running', ']:'];
  for (const [fn, file, line, off] of funcs) {
    toks.push(fn, '(', '0x' + log.r.hex(5).replace(/^0/, '1'), ', ', '0x' + log.r.int(1, 9), ')', '\t', file, ':', String(line), ' +0x', off);
  }
  for (const t of toks) {
    log.now += log.r.int(2, 40);
    log.envoy('error', 'wasm', 'wasmLog', `wasm log${prefix}: ${t}`, { tid, stamp: log.now });
  }
}

export const LOAD = [
  // ----------------------------------------------------------------------------- incompatible
  {
    cause: 'wasm-module-incompatible', variant: 'go124-sched-yield', version: '2.0', env: 'docker', start: '2025-07-23T07:36:10Z',
    subject: { plugin: 'my-filter' },
    note: 'plugin built with Go 1.24 wasip1 imports wasi_snapshot_preview1.sched_yield which the 2.0 gateway lacks → missing import, Failed to initialize Wasm code, fail-closed critical and ECDS rejection are knock-on.',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      const routes = site(log, 'internal');
      traffic(log, routes, 3);
      log.wait(3000);
      wasmLoadFailure(log, { filter: 'higress-system.my-filter-1.0.0', vm: ['Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.sched_yield'], base: ['Failed to initialize Wasm code'], failClosed: true });
      traffic(log, routes, 2);
      wfs(log, routes[0], '/api/notice', 3);
    },
  },
  {
    cause: 'wasm-module-incompatible', variant: 'wasi-fd-pread', version: '2.2', env: 'k8s', start: '2026-02-09T10:33:51Z',
    subject: { plugin: 'geoip-tag' },
    note: 'module opens a GeoIP database through WASI (fd_pread) → Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.fd_pread.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 5);
      wasmLoadFailure(log, { filter: 'higress-system.geoip-tag-1.0.0', vm: ['Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.fd_pread'], base: ['Failed to initialize Wasm code'], failClosed: false });
      traffic(log, routes, 4);
      log.wait(20000);
      wasmLoadFailure(log, { filter: 'higress-system.geoip-tag-1.0.0', vm: ['Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.fd_pread'], base: ['Failed to initialize Wasm code'], failClosed: false });
    },
  },
  {
    cause: 'wasm-module-incompatible', variant: 'redis-abi-on-1x', version: '1.x', env: 'k8s', start: '2024-09-10T02:28:19Z', lead: 'startup',
    subject: { plugin: 'ai-cache' },
    note: 'plugin built with a newer wasm-go SDK needs env.proxy_redis_init, which the Higress 1.x Envoy does not export → missing import (L3 layout).',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 4);
      const ref = 'oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/ai-cache:1.0.0';
      fetchingImage(log, ref);
      log.wait(1200);
      wasmLoadFailure(log, { filter: 'higress-system.ai-cache-1.0.0', vm: ['Failed to load Wasm module due to a missing import: env.proxy_redis_init'], base: ['Failed to initialize Wasm code'], failClosed: true });
      traffic(log, routes, 3);
    },
  },
  {
    cause: 'wasm-module-incompatible', variant: 'unknown-abi-version', version: '2.1', env: 'k8s', start: '2025-11-17T06:55:04Z', wrapper: 'kubectl-timestamps', lead: 'startup',
    subject: { plugin: 'hello-wasi' },
    note: 'a plain WASI program (no proxy_abi_version export) deployed as plugin → Wasm VM failed Missing or unknown Proxy-Wasm ABI version, then Failed to load Wasm code.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 4);
      wasmLoadFailure(log, { filter: 'higress-system.hello-wasi-1.0.0', base: ['Missing or unknown Proxy-Wasm ABI version', 'Failed to load Wasm code'], failClosed: true });
      traffic(log, routes, 4);
    },
  },
  {
    cause: 'wasm-module-incompatible', variant: 'import-type-mismatch', version: '2.2', env: 'k8s', start: '2026-04-01T21:12:40Z', tail: 'reconnect',
    subject: { plugin: 'traffic-tag' },
    note: 'SDK/host ABI drift → Failed to load Wasm module due to an import type mismatch: env.proxy_get_property, want: … but host exports: …',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      wasmLoadFailure(log, { filter: 'higress-system.traffic-tag-1.0.0', vm: ['Failed to load Wasm module due to an import type mismatch: env.proxy_get_property, want: i32 i32 i32 i32 i32 -> i32, but host exports: i32 i32 i32 i32 -> i32'], base: ['Failed to initialize Wasm code'], failClosed: false });
      traffic(log, routes, 4);
    },
  },
  {
    cause: 'wasm-module-incompatible', variant: 'bad-function-signature', version: '2.0', env: 'k8s', start: '2025-03-12T13:47:22Z', tail: 'reconnect',
    subject: { plugin: 'legacy-auth' },
    note: 'module exports proxy_on_request_headers with the old 2-argument ABI → Bad function signature for: proxy_on_request_headers.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      wasmLoadFailure(log, { filter: 'higress-system.legacy-auth-1.0.0', vm: ['Bad function signature for: proxy_on_request_headers, want: i32 i32 i32 -> i32, but the module exports: i32 i32 -> i32'], base: ['Failed to initialize Wasm code'], failClosed: true });
      traffic(log, routes, 2);
      wfs(log, routes[1], '/api/v1/orders', 2);
    },
  },
  {
    cause: 'wasm-module-incompatible', variant: 'missing-malloc', version: '2.1', env: 'k8s', start: '2025-12-01T00:40:15Z', lead: 'startup',
    subject: { plugin: 'rust-demo' },
    note: 'module built without the allocator export → Wasm VM failed Wasm module is missing malloc function.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 4);
      wasmLoadFailure(log, { filter: 'higress-system.rust-demo-1.0.0', base: ['Wasm module is missing malloc function.', 'Failed to initialize Wasm code'], failClosed: false });
      traffic(log, routes, 3);
    },
  },
  {
    cause: 'wasm-module-incompatible', variant: 'dev-envoy-startup-compose', version: '2.0', env: 'docker', start: '2025-07-30T08:02:11Z', layout: 'L1', wrapper: 'compose', composeName: 'envoy-1  ',
    subject: { plugin: 'my-plugin' },
    note: 'local plugin test with the gateway image as plain Envoy (L1, info level): missing import wasi_snapshot_preview1.sock_accept, then error initializing configuration … Unable to create Wasm HTTP filter and exit.',
    build(log) {
      const tid = 1;
      log.mainTid = 1;
      log.envoy('info', 'main', 'server/server.cc:432', 'initializing epoch 0 (base id=0, hot restart version=disabled)', { tid });
      log.envoy('info', 'main', 'server/server.cc:434', 'statically linked extensions:', { tid });
      log.envoy('info', 'main', 'server/server.cc:840', 'runtime: {}', { tid });
      log.envoy('info', 'admin', 'server/admin/admin.cc:66', 'admin address: 0.0.0.0:9901', { tid });
      log.envoy('info', 'config', 'server/configuration_impl.cc:109', 'loading 1 cluster(s)', { tid });
      log.envoy('info', 'config', 'server/configuration_impl.cc:113', 'loading 1 listener(s)', { tid });
      log.envoy('error', 'wasm', 'wasmVm', 'Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.sock_accept', { tid });
      log.envoy('error', 'wasm', 'wasmFail', 'Wasm VM failed Failed to initialize Wasm code', { tid });
      log.envoy('critical', 'wasm', 'wasmFailClosed', 'Plugin configured to fail closed failed to load', { tid });
      log.envoy('critical', 'main', 'server/server.cc:131', "error initializing configuration '/etc/envoy/envoy.yaml': Unable to create Wasm HTTP filter my-plugin", { tid });
      log.envoy('info', 'main', 'server/server.cc:1002', 'exiting', { tid });
      log.raw('Unable to create Wasm HTTP filter my-plugin');
    },
  },

  // ----------------------------------------------------------------------------- plugin config
  {
    cause: 'wasm-plugin-config', variant: 'key-auth-consumers-required', version: '2.2', env: 'k8s', start: '2026-03-09T09:18:44Z',
    subject: { plugin: 'key-auth' },
    note: 'wasm-go wrapper: parse rule config failed: … consumers is required, plugin start failed → Failed to configure base Wasm plugin → ECDS rejection.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 5);
      wasmLoadFailure(log, {
        filter: 'higress-system.key-auth-1.0.0', failClosed: false,
        preLogs: [
          { level: 'warning', msg: 'wasm log: [key-auth] [nil] [nil] parse rule config failed: consumers is required' },
          { level: 'error', msg: 'wasm log: [key-auth] [nil] [nil] plugin start failed' },
        ],
        base: ['Failed to configure base Wasm plugin'],
      });
      traffic(log, routes, 5);
    },
  },
  {
    cause: 'wasm-plugin-config', variant: 'older-rule-matcher-only-one', version: '2.1', env: 'k8s', start: '2025-09-02T04:06:31Z', lead: 'startup',
    subject: { plugin: 'basic-auth' },
    note: "older in-tree rule matcher: there is only one of  '_match_route_', … can present in configuration. (rule with two matcher kinds).",
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 4);
      wasmLoadFailure(log, {
        filter: 'higress-system.basic-auth-1.0.0', failClosed: false, via: 'lds', listener: '0.0.0.0_80',
        preLogs: [
          { level: 'warning', msg: "wasm log: [basic-auth] [nil] [nil] parse rule config failed: there is only one of  '_match_route_', '_match_domain_', '_match_service_' and '_match_route_prefix_' can present in configuration." },
          { level: 'error', msg: 'wasm log: [basic-auth] [nil] [nil] plugin start failed' },
        ],
        base: ['Failed to configure base Wasm plugin'],
      });
      traffic(log, routes, 3);
    },
  },
  {
    cause: 'wasm-plugin-config', variant: 'rule-matcher-at-least-one', version: '2.2', env: 'docker', start: '2026-05-19T06:35:27Z', tz: 8, lead: 'startup',
    subject: { plugin: 'ai-statistics' },
    note: "current wasm-go rule matcher: there is at least one of  '_match_route_', … (a _rules_ entry without any matcher).",
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 4, { aiLog: true });
      wasmLoadFailure(log, {
        filter: 'higress-system.ai-statistics-1.0.0', failClosed: false,
        preLogs: [
          { level: 'warning', msg: "wasm log: [ai-statistics] [nil] [nil] parse rule config failed: there is at least one of  '_match_route_', '_match_domain_', '_match_service_' and '_match_route_prefix_' can present in configuration." },
          { level: 'error', msg: 'wasm log: [ai-statistics] [nil] [nil] plugin start failed' },
        ],
        base: ['Failed to configure base Wasm plugin'],
      });
      traffic(log, routes, 4, { aiLog: true });
    },
  },
  {
    cause: 'wasm-plugin-config', variant: 'not-valid-json', version: '2.0', env: 'docker', start: '2025-04-25T10:20:58Z', wrapper: 'docker-json',
    subject: { plugin: 'request-block' },
    note: 'configuration pasted with a trailing comma → the plugin configuration is not a valid json: …, start fails, Failed to configure base Wasm plugin.',
    build(log) {
      agentStartup(log, { flags: false });
      const routes = site(log, 'shop');
      traffic(log, routes, 3);
      wasmLoadFailure(log, {
        filter: 'higress-system.request-block-1.0.0', failClosed: false,
        preLogs: [
          { level: 'warning', msg: 'wasm log: [request-block] [nil] [nil] the plugin configuration is not a valid json: {"block_urls":["/swagger.html","/actuator",],"blocked_code":403}' },
          { level: 'error', msg: 'wasm log: [request-block] [nil] [nil] plugin start failed' },
        ],
        base: ['Failed to configure base Wasm plugin'],
      });
      traffic(log, routes, 3);
    },
  },
  {
    cause: 'wasm-plugin-config', variant: 'old-prefix-1x', version: '1.x', env: 'k8s', start: '2024-03-27T07:59:03Z', lead: 'startup',
    subject: { plugin: 'basic-auth' },
    note: 'Higress 1.x wrapper logs only [plugin] as prefix: parse rule config failed: … credential must be base64 of user:password, plugin start failed.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 4);
      wasmLoadFailure(log, {
        filter: 'higress-system.basic-auth-1.0.0', failClosed: false,
        preLogs: [
          { level: 'warning', msg: 'wasm log: [basic-auth] parse rule config failed: invalid credential format: admin123, must be base64 of user:password' },
          { level: 'error', msg: 'wasm log: [basic-auth] plugin start failed' },
        ],
        base: ['Failed to configure base Wasm plugin'],
      });
      traffic(log, routes, 4);
    },
  },
  {
    cause: 'wasm-plugin-config', variant: 'global-config-no-valid-rules', version: '2.2', env: 'k8s', start: '2026-01-30T03:11:36Z', tail: 'reconnect',
    subject: { plugin: 'ai-proxy' },
    note: 'ai-proxy provider without a type: parse rule config failed: parse config failed, no valid rules; global config parse error:…',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 4, { aiLog: true });
      wasmLoadFailure(log, {
        filter: 'higress-system.ai-proxy.internal', failClosed: false,
        preLogs: [
          { level: 'warning', msg: 'wasm log: [ai-proxy] [nil] [nil] parse rule config failed: parse config failed, no valid rules; global config parse error:missing type in provider config' },
          { level: 'error', msg: 'wasm log: [ai-proxy] [nil] [nil] plugin start failed' },
        ],
        base: ['Failed to configure base Wasm plugin'],
      });
      traffic(log, routes, 3, { aiLog: true });
    },
  },
  {
    cause: 'wasm-plugin-config', variant: 'rust-plugin-configure-false', version: '2.1', env: 'k8s', start: '2025-10-06T14:54:12Z', damage: ['tabs-4'], lead: 'startup',
    subject: { plugin: 'ai-data-masking' },
    note: 'Rust plugin logs its own parse error and returns false from on_configure → Failed to configure base Wasm plugin → rejection; tabs pasted as 4 spaces.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 4, { aiLog: true });
      wasmLoadFailure(log, {
        filter: 'higress-system.ai-data-masking-1.0.0', failClosed: false,
        preLogs: [{ level: 'error', msg: 'wasm log: [ai-data-masking] failed to parse plugin config: unknown field `deny_openapi`, expected one of `deny_openai`, `deny_jsonpath`, `deny_raw`, `deny_code`, `deny_message` at line 1 column 17' }],
        base: ['Failed to configure base Wasm plugin'],
      });
      traffic(log, routes, 3, { aiLog: true });
    },
  },

  // ----------------------------------------------------------------------------- runtime crash
  {
    cause: 'wasm-plugin-crash', variant: 'trap-escaped-unreachable', version: '2.2', env: 'k8s', start: '2026-04-22T09:02:09Z', lead: 'startup',
    subject: { plugin: 'ai-guard' },
    note: 'Higress escaped single-line V8 trap: Function: proxy_on_http_call_response failed: Uncaught RuntimeError: unreachable\\nProxy-Wasm plugin in-VM backtrace:…; 503 wasm_fail_stream follow.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 6, { aiLog: true });
      const tid = log.worker();
      log.envoy('error', 'wasm', 'wasmVm', trapEscaped('proxy_on_http_call_response', 'Uncaught RuntimeError: unreachable', [
        '0x1b2c3 - runtime._panic', '0x1c0d1 - runtime.nilPanic', '0x2f9a0 - github.com/higress-group/wasm-go/pkg/wrapper.(*CommonPluginCtx[...]).OnHttpCallResponse', '0x30a11 - proxy_on_http_call_response',
      ]), { tid });
      wfs(log, routes[0], '/v1/chat/completions', 4);
      traffic(log, routes, 2, { aiLog: true });
    },
  },
  {
    cause: 'wasm-plugin-crash', variant: 'trap-escaped-oob-l2', version: '2.1', env: 'k8s', start: '2025-11-25T05:16:48Z', lead: 'startup',
    subject: { plugin: 'ai-data-masking' },
    note: 'escaped trap in L2 with thread= at the end: proxy_on_request_body … memory access out of bounds.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 5, { aiLog: true });
      const tid = log.worker();
      log.envoy('error', 'wasm', 'wasmVm', trapEscaped('proxy_on_request_body', 'Uncaught RuntimeError: memory access out of bounds', [
        '0x44d18 - dlmalloc::dlmalloc::Dlmalloc<A>::malloc', '0x3e2a7 - ai_data_masking::DataMaskingRoot::mask_body', '0x39a02 - <ai_data_masking::DataMasking as proxy_wasm::traits::HttpContext>::on_http_request_body', '0x51c90 - proxy_on_request_body',
      ]), { tid });
      wfs(log, routes[1], '/v1/chat/completions', 3);
    },
  },
  {
    cause: 'wasm-plugin-crash', variant: 'istio-trap-multiline', version: 'istio', env: 'k8s', start: '2025-12-12T18:40:02Z', lead: 'startup',
    subject: { plugin: 'header-audit' },
    note: 'plain Envoy (upstream istio) prints the trap with real newlines; thread= lands on the last backtrace line.',
    build(log) {
      log.xdsAddr = 'istiod.istio-system.svc:15012';
      const routes = [{ authority: 'api.apps.example.com', route: 'default', cluster: 'outbound|8000||api-gw.platform.svc.cluster.local', port: 8000, paths: ['/v2/accounts', '/v2/payments'], ips: ['10.12.2.16'], ua: 'Go-http-client/1.1' }];
      traffic(log, routes, 5);
      log.envoy('error', 'wasm', 'wasmVm', trapMulti('proxy_on_response_headers', 'Uncaught RuntimeError: divide by zero', [
        '0x9f12 - header_audit::ratio', '0xa3c4 - <header_audit::Audit as proxy_wasm::traits::HttpContext>::on_http_response_headers', '0xc801 - proxy_on_response_headers',
      ]), { tid: log.worker() });
      for (let i = 0; i < 3; i++) log.wait(500).access({ authority: routes[0].authority, path: '/v2/payments', code: 503, details: 'wasm_fail_stream', route: 'default', cluster: routes[0].cluster, upstreamHost: '10.12.2.16:8000', svcTime: '12', duration: 13 });
    },
  },
  {
    cause: 'wasm-plugin-crash', variant: 'shredded-go-panic-tick', version: '2.0', env: 'k8s', start: '2025-05-29T23:01:17Z',
    subject: { plugin: 'quota-sync' },
    note: 'unrecovered Go panic in a tick callback printed token by token (wasm log: panic: / goroutine / 1 / running …) and closed by Function: proxy_on_tick failed: Uncaught RuntimeError: unreachable.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 5);
      const tid = log.mainTid;
      shreddedPanic(log, {
        prefix: '', tid, value: 'runtime error: index out of range [2] with length 2',
        funcs: [['main.(*quotaSync).onTick', '/workspace/quota-sync/main.go', 141, '1d'], ['github.com/higress-group/wasm-go/pkg/wrapper.(*CommonPluginCtx[...]).OnTick', '/go/pkg/mod/github.com/higress-group/wasm-go@v1.0.0/pkg/wrapper/plugin_wrapper.go', 512, '4']],
      });
      log.envoy('error', 'wasm', 'wasmVm', trapEscaped('proxy_on_tick', 'Uncaught RuntimeError: unreachable', ['0x8a7f1 - runtime.exit', '0x5f3c2 - runtime.fatalpanic', '0x5e9d0 - runtime.gopanic', '0x61a44 - runtime.goPanicIndex', '0x2d10e - main.(*quotaSync).onTick', '0x9c001 - wasm_pc_f_loop_export', '0x9c2e8 - proxy_on_tick']), { tid });
      traffic(log, routes, 3);
    },
  },
  {
    cause: 'wasm-plugin-crash', variant: 'recovered-panic-escaped', version: '2.2', env: 'k8s', start: '2026-05-14T01:30:18Z',
    subject: { plugin: 'my-guard' },
    note: 'current wasm-go wrapper recovers: recovered from panic runtime error: invalid memory address or nil pointer dereference, stack: … (escaped, one line) on every request of one route.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      for (let i = 0; i < 3; i++) {
        const rid = log.r.uuid();
        log.envoy('error', 'wasm', 'wasmLog', `wasm log higress-system.my-guard-1.0.0: [my-guard] [nil] [${rid}] recovered from panic runtime error: invalid memory address or nil pointer dereference, stack: goroutine 1 [running]:\\ngithub.com/higress-group/wasm-go/pkg/wrapper.recoverFunc()\\n\\t/go/pkg/mod/github.com/higress-group/wasm-go@v1.1.2/pkg/wrapper/plugin_wrapper.go:1098 +0xb\\npanic({0x2a1c0, 0x4e3b10})\\n\\t/usr/local/go/src/runtime/panic.go:785 +0x11\\nmain.onHttpRequestHeaders(...)\\n\\t/workspace/my-guard/main.go:77 +0x2c`, { tid: log.worker() });
        log.access({ authority: 'api.demo.internal', path: '/api/v1/orders', method: 'POST', code: 500, details: 'via_upstream', route: 'order-api', cluster: 'outbound|8080||order-service.default.svc.cluster.local', upstreamPort: 8080, requestId: rid, ua: 'okhttp/4.12.0' });
        traffic(log, routes, 2);
      }
    },
  },
  {
    cause: 'wasm-plugin-crash', variant: 'recovered-panic-multiline', version: '2.1', env: 'docker', start: '2025-08-28T10:48:55Z', tz: 8,
    subject: { plugin: 'custom-jwt' },
    note: 'first recover support (2025-04) printed the raw multi-line Go stack after recovered from panic …, stack:.',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      const routes = site(log, 'internal');
      traffic(log, routes, 3);
      const rid = log.r.uuid();
      log.envoy('error', 'wasm', 'wasmLog', `wasm log higress-system.custom-jwt-1.0.0: [custom-jwt] [nil] [${rid}] recovered from panic interface conversion: interface {} is nil, not string, stack: goroutine 1 [running]:\ngithub.com/alibaba/higress/plugins/wasm-go/pkg/wrapper.recoverFunc()\n\t/root/go/pkg/mod/github.com/alibaba/higress/plugins/wasm-go@v1.4.3/pkg/wrapper/plugin_wrapper.go:386 +0x7\npanic({0x21ae0, 0x3d09c8})\n\t/usr/local/go/src/runtime/panic.go:785 +0x12\nmain.claimString(...)\n\t/src/custom-jwt/claims.go:52\nmain.onHttpRequestHeaders({0x3e1a40, 0x4a2f00}, {0x3b8c20, 0x49c0e0}, {0x0, 0x0, 0x0})\n\t/src/custom-jwt/main.go:118 +0x3a`, { tid: log.worker() });
      log.access({ authority: 'portal.intra.example.com', path: '/api/report/daily', code: 500, details: 'via_upstream', route: 'report-api', cluster: 'outbound|9090||report-api.dns', upstreamPort: 9090, requestId: rid, ua: 'axios/1.7.7' });
      traffic(log, routes, 3);
    },
  },
  {
    cause: 'wasm-plugin-crash', variant: 'segfault-wasm-frames-after-update', version: '2.2', env: 'k8s', start: '2026-04-28T14:05:51Z', wrapper: 'kubectl-prefix',
    subject: { plugin: 'mcp-server' },
    note: 'segfault right after the mcp-server plugin was updated; frames show proxy_wasm:: and Envoy::Extensions::Common::Wasm:: symbols → wasm-plugin-crash; Envoy exited with error: signal: segmentation fault.',
    build(log) {
      const routes = site(log, 'mcp');
      traffic(log, routes, 4);
      log.go('info', 'wasm', 'fetching image mcp-server/all-in-one from registry higress-registry.cn-hangzhou.cr.aliyuncs.com with tag 2.0.1');
      log.wait(4000);
      log.envoy('warning', 'wasm', 'wasmLog', `wasm log higress-system.mcp-server-2.0.1: [mcp-server] [nil] [${log.r.uuid()}] session not found, sessionId=7f0c1e22-51d4-4b1e-9b1c-2e5a0f7d9c31`, { tid: log.worker() });
      traffic(log, routes, 2);
      const tid = log.worker();
      fatalSignal(log, {
        tid, addr: '0x18',
        frames: ['Envoy::Extensions::Common::Wasm::Context::getBuffer()', 'proxy_wasm::exports::get_buffer_bytes()', 'proxy_wasm::V8::registerHostFunctionImpl<>()::{lambda()#1}::__invoke()', null, null, null, 'proxy_wasm::V8::getModuleFunctionImpl<>()::{lambda()#1}::operator()()', 'proxy_wasm::ContextBase::onResponseBody()', 'Envoy::Extensions::Common::Wasm::Context::encodeData()', 'Envoy::Http::FilterManager::encodeData()', 'Envoy::Router::Filter::onUpstreamData()', ...FRAMES.asyncTail.slice(1)],
      });
      agentExit(log, 'signal: segmentation fault');
    },
  },
  {
    cause: 'wasm-plugin-crash', variant: 'segfault-wasm-frames-epoch', version: '1.x', env: 'docker', start: '2024-10-16T08:31:24Z',
    subject: { plugin: 'de-graphql' },
    note: 'Higress 1.x: backtrace lines all carry [Envoy (Epoch 0)]; frames include proxy_wasm::ContextBase::onRequestBody → wasm-plugin-crash; Epoch 0 exited with error: signal: segmentation fault.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 5);
      log.envoy('warning', 'wasm', null, `wasm log higress-system.de-graphql-1.0.0: [de-graphql] request body too large, skip graphql transform`, { tid: log.worker() });
      traffic(log, routes, 2);
      fatalSignal(log, {
        tid: log.worker(), addr: '0x0',
        frames: [null, null, 'proxy_wasm::V8::getModuleFunctionImpl<>()::{lambda()#1}::operator()()', 'proxy_wasm::ContextBase::onRequestBody()', 'Envoy::Extensions::Common::Wasm::Context::decodeData()', 'Envoy::Http::FilterManager::decodeData()', 'Envoy::Http::ConnectionManagerImpl::ActiveStream::decodeData()', ...FRAMES.http1TailOld.slice(3)],
      });
      agentExit(log, 'signal: segmentation fault');
    },
  },
  {
    cause: 'wasm-plugin-crash', variant: 'trap-multiline-l1', version: '2.2', env: 'docker', start: '2026-06-03T02:58:39Z', tz: 8,
    subject: { plugin: 'ai-intent' },
    note: 'the same trap as re-formatted by a reporter (multi-line in L1): TinyGo runtime.runtimePanic in proxy_on_response_body; 503 wasm_fail_stream follow.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 5, { aiLog: true });
      log.envoy('error', 'wasm', 'wasmVm', trapMulti('proxy_on_response_body', 'Uncaught RuntimeError: unreachable', [
        '0x4e3c - runtime.runtimePanic', '0x5a21 - runtime.lookupPanic', '0x23bf7 - main.parseIntentResponse', '0x24c10 - main.onHttpResponseBody', '0x3f7d2 - proxy_on_response_body',
      ]), { tid: log.worker() });
      wfs(log, routes[0], '/v1/chat/completions', 3);
    },
  },
  {
    cause: 'wasm-plugin-crash', variant: 'wamr-trap', version: '2.1', env: 'k8s', start: '2025-12-18T07:07:27Z', wrapper: 'cri', lead: 'startup',
    subject: { plugin: 'ai-statistics' },
    note: 'WAMR-run (AOT) plugin traps: Function: proxy_on_log failed: Exception: out of bounds memory access (single line, WAMR wording).',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 5, { aiLog: true });
      log.envoy('error', 'wasm', 'wasmVm', 'Function: proxy_on_log failed: Exception: out of bounds memory access', { tid: log.worker() });
      traffic(log, routes, 2, { aiLog: false });
      log.envoy('error', 'wasm', 'wasmVm', 'Function: proxy_on_log failed: Exception: out of bounds memory access', { tid: log.worker() });
      traffic(log, routes, 2, { aiLog: false });
    },
  },
  {
    cause: 'wasm-plugin-crash', variant: 'shredded-panic-request', version: '2.1', env: 'k8s', start: '2025-10-21T16:22:40Z',
    subject: { plugin: 'sign-verify' },
    note: 'Go panic during a request from a stream context: every token carries the plugin prefix (wasm log higress-system.sign-verify-1.0.0: …), then the escaped trap.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 4);
      const tid = log.worker();
      shreddedPanic(log, {
        prefix: ' higress-system.sign-verify-1.0.0', tid, value: 'runtime error: invalid memory address or nil pointer dereference',
        funcs: [['main.verifySignature', '/src/sign-verify/verify.go', 63, '3a'], ['main.onHttpRequestHeaders', '/src/sign-verify/main.go', 101, '12']],
      });
      log.envoy('error', 'wasm', 'wasmVm', trapEscaped('proxy_on_request_headers', 'Uncaught RuntimeError: unreachable', ['0x7d3a0 - runtime.exit', '0x51a7e - runtime.fatalpanic', '0x50f12 - runtime.gopanic', '0x53b08 - runtime.panicmem', '0x1e6f4 - main.verifySignature', '0x8f201 - wasm_pc_f_loop_export', '0x8f3c9 - proxy_on_request_headers']), { tid });
      wfs(log, routes[1], '/api/report/export', 3);
    },
  },
];
