#!/usr/bin/env node
// Writes the bundled samples: samples/*.log, samples/rotated/*, samples/README.md.
// Same line builders as the corpus (gen/), different scenarios and ids. Deterministic; needs the
// `gzip` command for samples/rotated/gateway.log.2.gz. Run: node test/corpus/make-samples.mjs
import { writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayLog, render, physicalLines } from './gen/lib.mjs';
import {
  site, traffic, allInOneBanner, agentStartup, xdsReconnect13, fetchErr, httpCause, ociCause, invalidOciFormat,
  fetchingImage, fetchFailure, wasmLoadFailure, reject, TYPE, fatalSignal, agentExit, abortAddr, FRAMES,
} from './gen/blocks.mjs';
import { layoutLabel } from './make-corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, '../../samples');

const LAYOUT_NAME = { envoy: 'L1 + L4 + L5', 'envoy-istio': 'L2 + L4 + L5', 'envoy-epoch': 'L3 + L4 + L5', 'istio-go': 'L4 + L5', mixed: 'L5' };

function wfs(log, s, path, n, method = 'GET') {
  for (let i = 0; i < n; i++) {
    log.wait(300, 900).access({ authority: s.authority, path, method, code: 503, details: 'wasm_fail_stream', route: s.route, cluster: s.cluster, upstreamHost: '-', upstreamLocal: '-', svcTime: '-', duration: 0, bytesOut: 0, ua: s.ua });
  }
}

function trapEscaped(cb, trap, frames) {
  return `Function: ${cb} failed: ${trap}\\nProxy-Wasm plugin in-VM backtrace:` + frames.map((f, i) => `\\n${String(i).padStart(3, ' ')}:  ${f}`).join('');
}

// ---------------------------------------------------------------------------------------------
// the README demo: the seed's offline incident

function seedIncident(log) {
  allInOneBanner(log, { checks: 4 });
  agentStartup(log, { flags: true });
  const shop = site(log, 'mcp');
  traffic(log, shop, 14, { spanMs: 30000 });
  const url = 'http://192.168.10.20:8080/plugin.wasm';
  const e404 = fetchErr(url, httpCause(log, 'wasm module download request failed: status code 404', 1));
  // every push carries every built-in plugin, each resolved to the same fixed URL
  log.wait(2000, 1000);
  fetchFailure(log, [e404, e404, e404]);
  traffic(log, shop, 12, { spanMs: 40000 });
  log.wait(5000, 4000);
  fetchFailure(log, [e404, e404, e404]);
  traffic(log, shop, 10, { spanMs: 30000 });
  log.wait(3000, 2000);
  fetchFailure(log, [e404, e404, e404, e404]);
  traffic(log, shop, 16, { spanMs: 120000, codes: { notFound: 0.06 } });
  xdsReconnect13(log);
  log.wait(400, 300);
  fetchFailure(log, [e404, e404, e404, e404]);
  traffic(log, shop, 18, { spanMs: 90000 });
  // the operator turns on mcp-server; its URL (MCP_SERVER_WASM_IMAGE_URL) is right and loads
  log.wait(6000, 3000);
  fetchFailure(log, [e404, e404, e404, e404]);
  log.wait(1500, 500);
  const mcpFilter = 'higress-system.mcp-server-1.0.0';
  log.envoy('warning', 'wasm', 'wasmLog', `wasm log: [mcp-server] [nil] [nil] redis config is empty, sse sessions are kept in this vm only`);
  traffic(log, shop, 6, { spanMs: 20000 });
  const mcp = shop[0];
  for (let i = 0; i < 3; i++) {
    const rid = log.r.uuid();
    log.access({ authority: mcp.authority, path: '/mcp/amap/sse', code: 200, route: mcp.route, cluster: mcp.cluster, upstreamIp: mcp.ips[0], upstreamPort: 80, duration: log.r.int(3000, 30000), requestId: rid, ua: mcp.ua });
    log.envoy('warning', 'wasm', 'wasmLog', `wasm log ${mcpFilter}: [mcp-server] [nil] [${rid}] session ${log.r.uuid()} not found, client must re-initialize`, { tid: log.worker() });
    traffic(log, shop, 3, { spanMs: 8000 });
  }
  log.envoy('error', 'wasm', 'wasmLog', `wasm log ${mcpFilter}: [mcp-server] [nil] [${log.r.uuid()}] tools/call maps_weather: failed to parse upstream response: unexpected end of JSON input`, { tid: log.worker() });
  traffic(log, shop, 4, { spanMs: 6000 });
  const tid = log.worker();
  log.wait(800, 400);
  fatalSignal(log, {
    tid, addr: '0x0',
    frames: [null, null, null, 'proxy_wasm::V8::getModuleFunctionImpl<>()::{lambda()#1}::operator()()', 'proxy_wasm::ContextBase::onHttpCallResponse()', 'Envoy::Extensions::Common::Wasm::Context::onHttpCallSuccess()', 'Envoy::Extensions::Common::Wasm::Context::HttpCallHandler::onSuccess()', 'Envoy::Http::AsyncRequestSharedImpl::onComplete()', 'Envoy::Http::AsyncStreamImpl::encodeData()', ...FRAMES.asyncTail.slice(1)],
  });
  agentExit(log, 'signal: segmentation fault');
}

// ---------------------------------------------------------------------------------------------

const SAMPLES = [
  {
    file: 'offline-seed-incident.log', version: '2.2', env: 'docker', start: '2026-05-20T07:58:12Z', tz: 8, cause: 'wasm-plugin-crash',
    second: 'wasm-fetch-bad-address',
    story: 'offline all-in-one: URL pattern without ${name} → every built-in plugin fetches http://192.168.10.20:8080/plugin.wasm (404, repeated pushes); then mcp-server is enabled and Envoy segfaults in Wasm code.',
    build: seedIncident,
  },
  {
    file: 'healthy-startup.log', version: '2.1', env: 'docker', start: '2025-10-09T01:20:33Z', tz: 8, cause: 'healthy',
    story: 'all-in-one start: banner, readiness checks, agent FLAG dump, Envoy start-up warnings, steady traffic with scanner 404s, one periodic closed: 13.',
    build(log) {
      allInOneBanner(log, { checks: 3 });
      agentStartup(log, { flags: true });
      const r = site(log, 'shop');
      traffic(log, r, 25, { spanMs: 60000, codes: { notFound: 0.08 } });
      xdsReconnect13(log);
      traffic(log, r, 15, { spanMs: 40000 });
    },
  },
  // ------------------------------------------------------------------------- fetch causes
  {
    file: 'wasm-fetch-bad-address-oci-manifest-unknown.log', version: '1.x', env: 'k8s', start: '2024-05-08T03:27:19Z', cause: 'wasm-fetch-bad-address',
    story: 'Higress 1.x: WasmPlugin pins ai-proxy:1.0.7, a tag the registry does not have → own-line cannot fetch Wasm module … MANIFEST_UNKNOWN, on every push.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'ai');
      traffic(log, r, 6);
      const ref = 'oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/ai-proxy:1.0.7';
      for (let i = 0; i < 3; i++) {
        fetchingImage(log, ref);
        log.wait(400, 200);
        fetchFailure(log, [fetchErr(ref, ociCause(log, 'GET https://higress-registry.cn-hangzhou.cr.aliyuncs.com/v2/plugins/ai-proxy/manifests/1.0.7: MANIFEST_UNKNOWN: manifest unknown; map[Tag:1.0.7]'))]);
        traffic(log, r, 6, { spanMs: 20000 });
        if (i === 1) xdsReconnect13(log);
      }
    },
  },
  {
    file: 'wasm-fetch-bad-address-plugin-server-404.log', version: '2.1', env: 'k8s', start: '2025-12-02T09:14:55Z', wrapper: 'kubectl-timestamps', cause: 'wasm-fetch-bad-address',
    story: 'kubectl logs --timestamps: plugin-server image lacks jwt-auth 1.1.0 and oauth 1.1.0 → convert the wasm config: 2 errors occurred: … status code 404.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 6);
      const c = httpCause(log, 'wasm module download request failed: status code 404', 1);
      const errs = ['jwt-auth', 'oauth'].map((n) => fetchErr(`http://higress-plugin-server.higress-system.svc/plugins/${n}/1.1.0/plugin.wasm`, c));
      fetchFailure(log, errs);
      traffic(log, r, 8, { spanMs: 30000 });
      fetchFailure(log, errs);
      traffic(log, r, 4);
    },
  },
  {
    file: 'wasm-fetch-network-plugin-server-refused.log', version: '2.2', env: 'docker', start: '2026-03-19T12:41:07Z', tz: 8, cause: 'wasm-fetch-network',
    story: 'all-in-one whose plugin-server (nginx :8002) is down → connection refused after 5 attempts for the default plugin URLs.',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      const r = site(log, 'ai');
      traffic(log, r, 5, { aiLog: true });
      const mk = (n, v) => {
        const u = `http://localhost:8002/plugins/${n}/${v}/plugin.wasm`;
        return fetchErr(u, httpCause(log, `Get "${u}": dial tcp 127.0.0.1:8002: connect: connection refused`, 5));
      };
      log.wait(6500, 500);
      fetchFailure(log, [mk('ai-proxy', '1.0.0'), mk('ai-statistics', '1.0.0'), mk('model-router', '1.0.0')]);
      traffic(log, r, 8, { aiLog: true, spanMs: 30000 });
      log.wait(6500, 500);
      fetchFailure(log, [mk('ai-proxy', '1.0.0'), mk('ai-statistics', '1.0.0'), mk('model-router', '1.0.0')]);
      traffic(log, r, 4, { aiLog: true });
    },
  },
  {
    file: 'wasm-fetch-network-registry-timeout.log', version: '2.0', env: 'k8s', start: '2025-04-21T22:03:40Z', wrapper: 'cri', cause: 'wasm-fetch-network',
    story: 'CRI log file of an air-gapped node: OCI fetch of key-auth from the public registry ends in context deadline exceeded.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 6);
      const ref = 'oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/key-auth:1.0.0';
      fetchingImage(log, ref);
      log.wait(30000);
      fetchFailure(log, [fetchErr(ref, ociCause(log, 'Get "https://higress-registry.cn-hangzhou.cr.aliyuncs.com/v2/": context deadline exceeded'))]);
      traffic(log, r, 6);
    },
  },
  {
    file: 'wasm-fetch-auth-harbor-unauthorized.log', version: '2.1', env: 'k8s', start: '2025-09-04T06:31:12Z', cause: 'wasm-fetch-auth',
    story: 'private Harbor project, no imagePullSecret → could not fetch manifest: … UNAUTHORIZED: authentication required.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'internal');
      traffic(log, r, 6);
      const ref = 'oci://harbor.dc1.example.org/gateway/ip-restriction:1.0.0';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, ociCause(log, 'GET https://harbor.dc1.example.org/v2/gateway/ip-restriction/manifests/1.0.0: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:gateway/ip-restriction Type:repository]]'))]);
      traffic(log, r, 6);
    },
  },
  {
    file: 'wasm-fetch-auth-http-403.log', version: '1.x', env: 'docker', start: '2024-07-11T08:45:30Z', cause: 'wasm-fetch-auth',
    story: 'Higress 1.x all-in-one pulling plugins from a private object-storage bucket → status code 403 (own line, 1.12 wording).',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      const r = site(log, 'internal');
      traffic(log, r, 5);
      const u = 'https://wasm-store.oss-cn-hangzhou.aliyuncs.com/prod/basic-auth.wasm';
      fetchFailure(log, [fetchErr(u, httpCause(log, 'wasm module download request failed: status code 403', 1))]);
      traffic(log, r, 6);
      fetchFailure(log, [fetchErr(u, httpCause(log, 'wasm module download request failed: status code 403', 1))]);
    },
  },
  {
    file: 'wasm-fetch-tls-self-signed-registry.log', version: '2.2', env: 'k8s', start: '2026-02-06T15:02:48Z', wrapper: 'kubectl-prefix', cause: 'wasm-fetch-tls',
    story: 'kubectl logs --prefix: in-house registry with a self-signed certificate → x509: certificate signed by unknown authority.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 5);
      const ref = 'oci://registry.dc1.example.org:5443/higress/cors:1.0.0';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, ociCause(log, 'Get "https://registry.dc1.example.org:5443/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority'))]);
      traffic(log, r, 5);
    },
  },
  {
    file: 'wasm-fetch-tls-istio-unknown-authority.log', version: 'istio', env: 'k8s', start: '2026-01-22T10:18:33Z', cause: 'wasm-fetch-tls',
    story: 'upstream istio 1.26+ gateway behind a TLS-inspecting proxy: error in converting the wasm config to local: … x509 … applying deny RBAC filter; 403s follow.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = [{ authority: 'shop.apps.example.com', route: 'default', cluster: 'outbound|8080||storefront.shop.svc.cluster.local', port: 8080, paths: ['/', '/cart', '/api/items'], ips: ['10.12.7.21', '10.12.9.3'], ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' }];
      traffic(log, r, 5);
      const ref = 'oci://ghcr.example.org/platform/rate-guard:2.1.0';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, ociCause(log, 'Get "https://ghcr.example.org/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority'))], { rbac: 'deny' });
      for (let i = 0; i < 5; i++) log.wait(700, 900).access({ authority: r[0].authority, path: r[0].paths[i % 3], code: 403, details: 'rbac_access_denied_matched_policy[none]', route: '-', cluster: '-', duration: 0, bytesOut: 19, ua: r[0].ua });
    },
  },
  {
    file: 'wasm-image-format-oras-single-layer.log', version: '2.2', env: 'docker', start: '2026-04-03T02:26:51Z', tz: 8, cause: 'wasm-image-format',
    story: 'offline mirror filled with oras push (one wasm layer) → the given image is in invalid format as an OCI image: invalid media type / number of layers.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'ai');
      traffic(log, r, 5, { aiLog: true });
      const ref = 'oci://192.168.10.20:5000/plugins/ai-proxy:1.0.0';
      fetchingImage(log, ref);
      log.go('info', 'wasm', 'fetching image with plain text from 192.168.10.20:5000/plugins/ai-proxy:1.0.0');
      fetchFailure(log, [fetchErr(ref, invalidOciFormat(log, ['could not parse as compat variant: invalid media type application/vnd.module.wasm.content.layer.v1+wasm (expect application/vnd.oci.image.layer.v1.tar+gzip)', 'could not parse as oci variant: number of layers must be 2 but got 1']))]);
      traffic(log, r, 5, { aiLog: true });
    },
  },
  {
    file: 'wasm-image-format-three-layers.log', version: '1.x', env: 'k8s', start: '2024-10-22T07:40:05Z', cause: 'wasm-image-format',
    story: 'Higress 1.x: plugin packaged as an ordinary container image (3 layers) → number of layers must be 1 but got 3 / must be 2 but got 3.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 5);
      const ref = 'oci://registry.dc1.example.org:5443/edge/header-stamp:v2';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, invalidOciFormat(log, ['could not parse as compat variant: number of layers must be 1 but got 3', 'could not parse as oci variant: number of layers must be 2 but got 3']))]);
      traffic(log, r, 5);
    },
  },
  {
    file: 'wasm-module-corrupt-checksum.log', version: '2.1', env: 'k8s', start: '2025-11-26T04:09:37Z', cause: 'wasm-module-corrupt',
    story: 'WasmPlugin sha256 kept from the previous build after the file on the plugin server was replaced → checksum does not match.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'ai');
      traffic(log, r, 5, { aiLog: true });
      const u = 'http://higress-plugin-server.higress-system.svc/plugins/ai-token-ratelimit/1.0.0/plugin.wasm';
      fetchFailure(log, [fetchErr(u, `module downloaded from ${u} has checksum ${log.r.hex(64)}, which does not match: ${log.r.hex(64)}`)]);
      traffic(log, r, 6, { aiLog: true });
    },
  },
  {
    file: 'wasm-module-corrupt-parse-failure.log', version: '2.2', env: 'docker', start: '2026-05-13T03:51:20Z', wrapper: 'docker-json', cause: 'wasm-module-corrupt',
    story: 'Docker json-file log of a compose-mode gateway: truncated plugin file → Wasm VM failed Failed to parse corrupted Wasm module, then the ECDS rejection.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'internal');
      traffic(log, r, 5);
      wasmLoadFailure(log, { filter: 'higress-system.request-validation-1.0.0', base: ['Failed to parse corrupted Wasm module', 'Failed to load Wasm code'], failClosed: false });
      traffic(log, r, 5);
    },
  },
  {
    file: 'wasm-module-incompatible-missing-import.log', version: '2.0', env: 'docker', start: '2025-07-24T01:12:44Z', tz: 8, cause: 'wasm-module-incompatible',
    story: 'custom plugin built with Go 1.24 wasip1 on a 2.0 all-in-one → missing import wasi_snapshot_preview1.sched_yield; fail-closed 503s are knock-on.',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 6);
      wasmLoadFailure(log, { filter: 'higress-system.order-guard-1.0.0', vm: ['Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.sched_yield'], base: ['Failed to initialize Wasm code'], failClosed: true });
      traffic(log, r, 3);
      wfs(log, r[1], '/api/v1/orders', 4, 'POST');
    },
  },
  {
    file: 'wasm-module-incompatible-abi-version.log', version: '2.2', env: 'k8s', start: '2026-03-11T08:22:01Z', cause: 'wasm-module-incompatible',
    story: 'a plain WASI program deployed as a plugin → Wasm VM failed Missing or unknown Proxy-Wasm ABI version.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 6);
      wasmLoadFailure(log, { filter: 'higress-system.hello-filter-1.0.0', base: ['Missing or unknown Proxy-Wasm ABI version', 'Failed to load Wasm code'], failClosed: false });
      traffic(log, r, 6);
    },
  },
  {
    file: 'wasm-module-incompatible-redis-import-epoch.log', version: '1.x', env: 'k8s', start: '2024-11-19T11:36:48Z', cause: 'wasm-module-incompatible',
    story: 'Higress 1.x gateway given a plugin built with a newer SDK → missing import env.proxy_redis_init ([Envoy (Epoch 0)] lines).',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'ai');
      traffic(log, r, 5);
      const ref = 'oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/cluster-key-rate-limit:1.0.0';
      fetchingImage(log, ref);
      wasmLoadFailure(log, { filter: 'higress-system.cluster-key-rate-limit-1.0.0', vm: ['Failed to load Wasm module due to a missing import: env.proxy_redis_init'], base: ['Failed to initialize Wasm code'], failClosed: false });
      traffic(log, r, 5);
    },
  },
  {
    file: 'wasm-plugin-config-parse-rule.log', version: '2.2', env: 'k8s', start: '2026-04-15T13:47:26Z', cause: 'wasm-plugin-config',
    story: 'key-auth rule without consumers: parse rule config failed, plugin start failed, Failed to configure base Wasm plugin, ECDS rejection.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 6);
      wasmLoadFailure(log, {
        filter: 'higress-system.key-auth-1.0.0', failClosed: false,
        preLogs: [
          { level: 'warning', msg: "wasm log: [key-auth] [nil] [nil] parse rule config failed: parse config failed, no valid rules; global config parse error:keys is required" },
          { level: 'error', msg: 'wasm log: [key-auth] [nil] [nil] plugin start failed' },
        ],
        base: ['Failed to configure base Wasm plugin'],
      });
      traffic(log, r, 6);
    },
  },
  {
    file: 'wasm-plugin-config-invalid-json.log', version: '2.1', env: 'k8s', start: '2025-10-16T05:05:41Z', wrapper: 'cri', cause: 'wasm-plugin-config',
    story: 'CRI log: a 17 KB WAF rule set with a missing comma → the plugin configuration is not a valid json: … (one line longer than 16 KiB, split into a P piece + F piece).',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 5);
      const rules = [];
      for (let i = 0; i < 160; i++) {
        const id = 100100 + i;
        rules.push(`"SecRule REQUEST_URI \\"@rx ^/(admin|actuator|debug|internal)/p${i}\\" \\"id:${id},phase:1,deny,status:403,log,msg:'blocked internal path ${i}'\\""`);
      }
      rules[97] = rules[97] + ' ';
      const raw = `{"useDefault":true,"secRules":[${rules.slice(0, 97).join(',')},${rules[97]}${rules.slice(98).join(',')}]}`;
      wasmLoadFailure(log, {
        filter: 'higress-system.waf-1.0.0', failClosed: false,
        preLogs: [
          { level: 'warning', msg: `wasm log: [waf] [nil] [nil] the plugin configuration is not a valid json: ${raw}` },
          { level: 'error', msg: 'wasm log: [waf] [nil] [nil] plugin start failed' },
        ],
        base: ['Failed to configure base Wasm plugin'],
      });
      traffic(log, r, 5);
    },
  },
  {
    file: 'wasm-plugin-crash-trap-escaped.log', version: '2.1', env: 'k8s', start: '2025-08-06T17:28:59Z', cause: 'wasm-plugin-crash',
    story: 'Higress escaped V8 trap (one line, literal \\n): ai-cache proxy_on_response_body … memory access out of bounds; 503 wasm_fail_stream.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'ai');
      traffic(log, r, 8, { aiLog: true });
      log.envoy('error', 'wasm', 'wasmVm', trapEscaped('proxy_on_response_body', 'Uncaught RuntimeError: memory access out of bounds', ['0x2b9a1 - runtime.alloc', '0x5c1e7 - github.com/tidwall/gjson.Get', '0x7d032 - main.onHttpResponseBody', '0x80f11 - github.com/higress-group/wasm-go/pkg/wrapper.(*CommonHttpCtx[...]).OnHttpResponseBody', '0x9a41c - proxy_on_response_body']), { tid: log.worker() });
      wfs(log, r[0], '/v1/chat/completions', 5, 'POST');
      traffic(log, r, 3, { aiLog: true });
    },
  },
  {
    file: 'wasm-plugin-crash-go-panic-shredded.log', version: '2.2', env: 'k8s', start: '2026-05-05T09:31:17Z', cause: 'wasm-plugin-crash',
    story: 'unrecovered Go panic in a custom plugin printed token by token (wasm log higress-system.tenant-router-1.0.0: panic: / goroutine / …) and the closing trap.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 6);
      const tid = log.worker();
      const pre = ' higress-system.tenant-router-1.0.0';
      const toks = ['panic: ', 'assignment to entry in nil map', '', 'goroutine ', '1', ' [', 'running', ']:', 'main.(*router).pick', '(', '0x1c3a0', ', ', '0x7', ')', '\t', '/src/tenant-router/router.go', ':', '58', ' +0x', '2e', 'main.onHttpRequestHeaders', '(', '0x1b8e0', ', ', '0x1', ')', '\t', '/src/tenant-router/main.go', ':', '94', ' +0x', '11'];
      for (const t of toks) {
        log.now += log.r.int(2, 30);
        log.envoy('error', 'wasm', 'wasmLog', `wasm log${pre}: ${t}`, { tid, stamp: log.now });
      }
      log.envoy('error', 'wasm', 'wasmVm', trapEscaped('proxy_on_request_headers', 'Uncaught RuntimeError: unreachable', ['0x7d3a0 - runtime.exit', '0x51a7e - runtime.fatalpanic', '0x50f12 - runtime.gopanic', '0x4e2b3 - runtime.mapassign_faststr', '0x1e6f4 - main.(*router).pick', '0x8f201 - wasm_pc_f_loop_export', '0x8f3c9 - proxy_on_request_headers']), { tid });
      wfs(log, r[1], '/api/v1/orders', 4);
    },
  },
  {
    file: 'wasm-plugin-crash-segfault-epoch.log', version: '1.x', env: 'docker', start: '2024-12-03T02:52:36Z', cause: 'wasm-plugin-crash',
    story: 'Higress 1.x: segfault whose frames run through proxy_wasm::ContextBase::onRequestHeaders right after a plugin update; Epoch 0 exited with error.',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 10, { spanMs: 20000 });
      fetchingImage(log, 'oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/bot-detect:1.0.0');
      traffic(log, r, 4);
      fatalSignal(log, { tid: log.worker(), addr: '0x10', frames: ['Envoy::Extensions::Common::Wasm::Context::getHeaderMapValue()', 'proxy_wasm::exports::get_header_map_value()', null, null, 'proxy_wasm::V8::getModuleFunctionImpl<>()::{lambda()#1}::operator()()', 'proxy_wasm::ContextBase::onRequestHeaders()', 'Envoy::Extensions::Common::Wasm::Context::decodeHeaders()', ...FRAMES.http1TailOld] });
      agentExit(log, 'signal: segmentation fault');
    },
  },
  {
    file: 'envoy-crash-segfault.log', version: '2.2', env: 'k8s', start: '2026-02-17T20:11:49Z', wrapper: 'kubectl-timestamps', cause: 'envoy-crash',
    story: 'bare segfault in cluster-manager code on the main thread, no Wasm frames, no memory signal → envoy-crash (kubectl --timestamps).',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 12, { spanMs: 30000 });
      fatalSignal(log, { addr: '0x20', frames: ['Envoy::Upstream::ClusterManagerImpl::ThreadLocalClusterManagerImpl::onHostHealthFailure()', 'Envoy::Upstream::HealthCheckerImplBase::ActiveHealthCheckSession::handleFailure()', null, 'Envoy::Event::TimerImpl::TimerImpl()::$_0::__invoke()', 'event_process_active_single_queue', 'event_base_loop', 'Envoy::Server::InstanceBase::run()', 'Envoy::MainCommonBase::run()', 'Envoy::MainCommon::main()', 'main'] });
      agentExit(log, 'signal: segmentation fault');
    },
  },
  {
    file: 'envoy-crash-assert-aborted-epoch.log', version: '1.x', env: 'k8s', start: '2024-04-16T05:19:27Z', cause: 'envoy-crash',
    story: 'Higress 1.x: [critical][assert] assert failure: … then Caught Aborted; Epoch 0 exited with error: signal: aborted.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 8);
      const tid = log.worker();
      log.envoy('critical', 'assert', null, 'assert failure: !state_.remote_complete_. Details: headers after end of stream', { tid });
      fatalSignal(log, { tid, signal: 'Aborted', addr: abortAddr(log), frames: ['raise', 'abort', 'Envoy::Http::ConnectionManagerImpl::ActiveStream::decodeHeaders()', ...FRAMES.http1TailOld.slice(2)] });
      agentExit(log, 'signal: aborted');
    },
  },
  {
    file: 'envoy-crash-terminate-exception.log', version: '2.0', env: 'k8s', start: '2025-06-10T12:33:06Z', cause: 'envoy-crash',
    story: "std::terminate called! Uncaught EnvoyException '…' with its backtrace, then Caught Aborted (L2 tab layout).",
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'internal');
      traffic(log, r, 6);
      const tid = log.mainTid;
      log.envoy('critical', 'main', 'terminate', "std::terminate called! Uncaught EnvoyException 'Invalid path: /etc/certs/gateway/tls.crt', see trace.", { tid });
      fatalSignal(log, { tid, signal: 'Aborted', addr: abortAddr(log), frames: ['raise', 'abort', 'std::__terminate()', 'Envoy::Secret::SdsApi::onConfigUpdate()', ...FRAMES.mainTail.slice(0, 8)] });
      agentExit(log, 'signal: aborted');
    },
  },
  {
    file: 'oom-killed.log', version: '2.1', env: 'k8s', start: '2025-12-15T03:58:21Z', cause: 'oom',
    story: 'memory limit too small for many AI plugins: Envoy may have been out of memory killed … then Envoy exited with error: signal: killed.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'ai');
      traffic(log, r, 16, { aiLog: true, spanMs: 60000 });
      agentExit(log, 'signal: killed', { oomHint: true });
    },
  },
  {
    file: 'oom-bad-alloc.log', version: '2.2', env: 'docker', start: '2026-06-02T06:44:40Z', tz: 8, cause: 'oom',
    story: "std::terminate called! Uncaught exception 'std::bad_alloc', see trace. → Caught Aborted → signal: aborted.",
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'ai');
      traffic(log, r, 8, { aiLog: true });
      const tid = log.worker();
      log.envoy('critical', 'main', 'terminate', "std::terminate called! Uncaught exception 'std::bad_alloc', see trace.", { tid });
      fatalSignal(log, { tid, signal: 'Aborted', addr: abortAddr(log), frames: ['raise', 'abort', 'std::__terminate()', '__cxa_throw', 'operator new()', 'Envoy::Buffer::OwnedImpl::reserveForRead()', 'Envoy::Network::IoSocketHandleImpl::read()', 'Envoy::Network::RawBufferSocket::doRead()', 'Envoy::Network::ConnectionImpl::onReadReady()'] });
      agentExit(log, 'signal: aborted');
    },
  },
  {
    file: 'oom-killed-epoch.log', version: '1.x', env: 'docker', start: '2024-09-25T14:07:52Z', cause: 'oom',
    story: 'Higress 1.x all-in-one: OOM hint then Epoch 0 exited with error: signal: killed.',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      traffic(log, site(log, 'shop'), 12, { spanMs: 60000 });
      agentExit(log, 'signal: killed', { oomHint: true });
    },
  },
  {
    file: 'bad-config-proto-validation.log', version: '2.1', env: 'k8s', start: '2025-09-25T10:48:13Z', cause: 'bad-config',
    story: 'Listener rejected: Proto constraint validation failed (… domains … at least 1 item(s)) with a multi-line proto dump; thread= after the blank line.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 6);
      reject(log, TYPE.lds, 'Error adding/updating listener(s) 0.0.0.0_80: Proto constraint validation failed (HttpConnectionManagerValidationError.RouteConfig: embedded message failed validation | caused by RouteConfigurationValidationError.VirtualHosts[2]: embedded message failed validation | caused by field: "domains", reason: value must contain at least 1 item(s)): name: "0.0.0.0_80"\nvirtual_hosts {\n  name: "default"\n  routes {\n    match {\n      prefix: "/"\n    }\n    direct_response {\n      status: 404\n    }\n  }\n}\n\n');
      traffic(log, r, 6);
    },
  },
  {
    file: 'bad-config-duplicate-listener.log', version: '2.2', env: 'k8s', start: '2026-03-27T01:37:58Z', cause: 'bad-config',
    story: 'Higress 2.2 delta xDS: Error adding/updating listener(s) 0.0.0.0_443: duplicate listener 0.0.0.0_443 found (message ends with a newline).',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 6);
      reject(log, TYPE.lds, 'Error adding/updating listener(s) 0.0.0.0_443: duplicate listener 0.0.0.0_443 found\n');
      traffic(log, r, 6);
      reject(log, TYPE.lds, 'Error adding/updating listener(s) 0.0.0.0_443: duplicate listener 0.0.0.0_443 found\n');
    },
  },
  {
    file: 'port-bind-address-in-use.log', version: '2.2', env: 'docker', start: '2026-04-08T00:31:25Z', tz: 8, cause: 'port-bind',
    story: 'all-in-one with --network host while another web server owns :80 → cannot bind \'0.0.0.0:80\': Address already in use.',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      log.envoy('error', 'config', 'listenerBind', "listener '0.0.0.0_80' failed to bind or apply socket options: cannot bind '0.0.0.0:80': Address already in use");
      reject(log, TYPE.lds, "Error adding/updating listener(s) 0.0.0.0_80: cannot bind '0.0.0.0:80': Address already in use\n");
      log.wait(30000, 5000);
      log.envoy('error', 'config', 'listenerBind', "listener '0.0.0.0_80' failed to bind or apply socket options: cannot bind '0.0.0.0:80': Address already in use");
      reject(log, TYPE.lds, "Error adding/updating listener(s) 0.0.0.0_80: cannot bind '0.0.0.0:80': Address already in use\n");
    },
  },
  {
    file: 'port-bind-permission-denied-epoch.log', version: '1.x', env: 'k8s', start: '2024-06-04T09:09:44Z', cause: 'port-bind',
    story: 'Higress 1.x, hostNetwork, non-root: cannot bind \'0.0.0.0:443\': Permission denied.',
    build(log) {
      agentStartup(log, { flags: false, ready: false });
      log.envoy('error', 'config', null, "listener '0.0.0.0_443' failed to bind or apply socket options: cannot bind '0.0.0.0:443': Permission denied");
      reject(log, TYPE.lds, "Error adding/updating listener(s) 0.0.0.0_443: cannot bind '0.0.0.0:443': Permission denied\n");
      log.wait(2000);
      log.go('warn', null, `Envoy proxy is NOT ready: ${log.p.readyText}: cds updates: 1 successful, 0 rejected; lds updates: 0 successful, 1 rejected`);
    },
  },
  {
    file: 'xds-disconnected-pilot-down.log', version: '2.2', env: 'docker', start: '2026-05-09T07:12:03Z', tz: 8, cause: 'xds-disconnected',
    story: 'all-in-one pilot died: DeltaAggregatedResources gRPC config stream to xds-grpc closed since …s ago: 14, … connection refused, repeating.',
    build(log) {
      const r = site(log, 'shop');
      traffic(log, r, 8);
      log.envoy('warning', 'config', 'grpcStream', 'DeltaAggregatedResources gRPC config stream to xds-grpc closed: 14, connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:15012: connect: connection refused"');
      const t0 = log.now;
      for (let i = 0; i < 5; i++) {
        traffic(log, r, 2, { spanMs: 3000 });
        log.wait(26000, 3000);
        const s = Math.round((log.now - t0) / 1e6);
        log.envoy('warning', 'config', 'grpcStream', `DeltaAggregatedResources gRPC config stream to xds-grpc closed since ${s}s ago: 14, connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:15012: connect: connection refused"`);
      }
    },
  },
  {
    file: 'xds-disconnected-not-ready.log', version: '2.1', env: 'k8s', start: '2025-11-06T02:50:30Z', wrapper: 'kubectl-timestamps', cause: 'xds-disconnected',
    story: 'new gateway pod cannot reach higress-controller:15012: Envoy proxy is NOT ready: config not received from XDS server … repeatedly.',
    build(log) {
      agentStartup(log, { flags: true, ready: false });
      for (let i = 0; i < 8; i++) {
        log.wait(2000, 100);
        log.go('warn', null, `Envoy proxy is NOT ready: ${log.p.readyText}: cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected`);
        if (i === 3) log.envoy('warning', 'config', 'grpcStream', 'DeltaAggregatedResources gRPC config stream to xds-grpc closed since 15s ago: 14, connection error: desc = "transport: Error while dialing dial tcp 10.96.77.12:15012: i/o timeout"');
      }
    },
  },
  {
    file: 'tls-certificate-upstream-verify.log', version: '2.2', env: 'k8s', start: '2026-04-11T11:29:07Z', cause: 'tls-certificate',
    story: 'HTTPS backend signed by a private CA: every request to one cluster ends 503 UF with …CERTIFICATE_VERIFY_FAILED… in the access-log details.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 6);
      const tfr = 'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end';
      for (let i = 0; i < 8; i++) {
        log.wait(500, 2000);
        log.access({ authority: 'api.demo.internal', path: log.r.pick(['/api/v1/invoices', '/api/v1/invoices/7781']), route: 'billing-api', cluster: 'outbound|443||billing.finance.example.com.dns', code: 503, flags: 'UF', upstreamHost: '198.51.100.61:443', tfr, details: `upstream_reset_before_response_started{remote_connection_failure|${tfr}}`, duration: log.r.int(5, 30), bytesOut: 190, svcTime: '-', ua: 'okhttp/4.12.0' });
        if (i % 3 === 1) traffic(log, r, 1);
      }
    },
  },
  {
    file: 'tls-certificate-old-format-epoch.log', version: '1.x', env: 'k8s', start: '2024-08-20T06:55:31Z', cause: 'tls-certificate',
    story: 'Higress 1.x: old transport-failure format TLS_error:_…CERTIFICATE_VERIFY_FAILED in access details for one upstream.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'internal');
      traffic(log, r, 5);
      const tfr = 'TLS_error:_268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED';
      for (let i = 0; i < 6; i++) {
        log.wait(800, 2000);
        log.access({ authority: 'portal.intra.example.com', path: '/sso/callback', route: 'sso', cluster: 'outbound|443||sso.corp.example.com.dns', code: 503, flags: 'UF', upstreamHost: '10.60.1.15:443', tfr, details: `upstream_reset_before_response_started{connection_failure,${tfr}}`, duration: log.r.int(5, 30), bytesOut: 190, svcTime: '-', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' });
      }
    },
  },
  {
    file: 'upstream-unavailable-no-healthy-upstream.log', version: '2.1', env: 'docker', start: '2025-08-14T15:00:25Z', wrapper: 'compose', composeName: 'higress-gateway-1  ', cause: 'upstream-unavailable',
    story: 'docker compose logs: the backend registered as a static service is down → many 503 UH no_healthy_upstream for one cluster.',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'mcp');
      traffic(log, [r[0]], 4);
      for (let i = 0; i < 10; i++) {
        log.wait(300, 1500);
        log.access({ authority: r[1].authority, path: log.r.pick(r[1].paths), route: r[1].route, cluster: r[1].cluster, code: 503, flags: 'UH', upstreamHost: '-', details: 'no_healthy_upstream', duration: 0, bytesOut: 19, svcTime: '-', ua: r[1].ua });
      }
      traffic(log, [r[0]], 3);
    },
  },
  {
    file: 'upstream-unavailable-connect-refused.log', version: '2.2', env: 'k8s', start: '2026-01-28T08:16:42Z', cause: 'upstream-unavailable',
    story: 'pods of one service restarting: 503 URX,UF with delayed_connect_error:_111 on outbound|8080||order-service…',
    build(log) {
      agentStartup(log, { flags: false });
      const r = site(log, 'shop');
      traffic(log, r, 6);
      for (let i = 0; i < 9; i++) {
        log.wait(300, 1200);
        log.access({ authority: 'api.demo.internal', path: log.r.pick(r[1].paths), method: 'GET', route: r[1].route, cluster: r[1].cluster, code: 503, flags: 'URX,UF', upstreamHost: `10.244.4.${log.r.int(10, 30)}:8080`, tfr: 'delayed_connect_error:_111', details: 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}', duration: log.r.int(40, 140), bytesOut: 91, svcTime: '-', ua: r[1].ua });
      }
      traffic(log, [r[0]], 3);
    },
  },
];

// ---------------------------------------------------------------------------------------------
// rotated set: supervisord rename rotation, a crash backtrace split across gateway.log.1 / gateway.log

function rotatedStory() {
  const log = new GatewayLog({ seed: 'rotated', start: '2025-11-27T23:40:02Z', tz: 8, version: '2.1', env: 'docker' });
  allInOneBanner(log, { checks: 3 });
  agentStartup(log, { flags: true });
  const r = site(log, 'ai');
  traffic(log, r, 30, { aiLog: true, spanMs: 600_000 });
  xdsReconnect13(log);
  traffic(log, r, 20, { aiLog: true, spanMs: 400_000 });
  const cut1 = physicalLines(log).length;
  // gateway.log.1
  traffic(log, r, 25, { aiLog: true, spanMs: 900_000 });
  const filter = 'higress-system.ai-guardrail-1.0.0';
  log.envoy('warning', 'wasm', 'wasmLog', `wasm log ${filter}: [ai-guardrail] [nil] [${log.r.uuid()}] moderation service answered 429, letting the request through`, { tid: log.worker() });
  traffic(log, r, 10, { aiLog: true, spanMs: 200_000 });
  log.envoy('error', 'wasm', 'wasmVm', trapEscaped('proxy_on_http_call_response', 'Uncaught RuntimeError: memory access out of bounds', ['0x3a1f0 - runtime.alloc', '0x61b2e - encoding/json.(*decodeState).object', '0x7c0d4 - main.onModerationResponse', '0x8e913 - proxy_on_http_call_response']), { tid: log.worker() });
  wfs(log, r[0], '/v1/chat/completions', 3, 'POST');
  traffic(log, r, 12, { aiLog: true, spanMs: 300_000 });
  xdsReconnect13(log);
  traffic(log, r, 8, { aiLog: true, spanMs: 120_000 });
  const tid = log.worker();
  fatalSignal(log, { tid, addr: '0x8', frames: [null, null, 'proxy_wasm::V8::getModuleFunctionImpl<>()::{lambda()#1}::operator()()', 'proxy_wasm::ContextBase::onHttpCallResponse()', 'Envoy::Extensions::Common::Wasm::Context::onHttpCallSuccess()', 'Envoy::Extensions::Common::Wasm::Context::HttpCallHandler::onSuccess()', 'Envoy::Http::AsyncRequestSharedImpl::onComplete()', ...FRAMES.asyncTail] });
  const crashAt = physicalLines(log).findIndex((l) => l.text.includes('Caught Segmentation fault'));
  const cut2 = crashAt + 9; // supervisord rotated after this write: the backtrace continues in the new file
  agentExit(log, 'signal: segmentation fault');
  // operator restarts the container an hour later
  log.wait(3_600_000, 600_000);
  allInOneBanner(log, { checks: 2 });
  agentStartup(log, { flags: false });
  traffic(log, r, 10, { aiLog: true, spanMs: 120_000 });
  return { log, cut1, cut2 };
}

function main() {
  mkdirSync(join(out, 'rotated'), { recursive: true });
  const rows = [];
  for (const s of SAMPLES) {
    const log = new GatewayLog({ seed: `sample-${s.file}`, start: s.start, tz: s.tz ?? 0, version: s.version, env: s.env });
    s.build(log);
    const text = render(log, { wrapper: s.wrapper ?? null, damage: s.damage ?? [], composeName: s.composeName });
    writeFileSync(join(out, s.file), text);
    rows.push({ file: s.file, layout: LAYOUT_NAME[layoutLabel(log)] + (log.records.some((x) => x.kind === 'script') ? ' + script' : '') + (log.records.some((x) => x.kind === 'raw') ? ' + raw' : ''), wrapper: s.wrapper ?? '—', version: s.version === 'istio' ? 'upstream istio 1.26+' : s.version, cause: `\`${s.cause}\`` + (s.second ? ` (then \`${s.second}\`)` : ''), story: s.story, lines: text.split('\n').length - 1 });
  }
  const { log, cut1, cut2 } = rotatedStory();
  const dir = join(out, 'rotated');
  for (const f of ['gateway.log.2', 'gateway.log.2.gz', 'gateway.log.1', 'gateway.log']) if (existsSync(join(dir, f))) rmSync(join(dir, f));
  writeFileSync(join(dir, 'gateway.log.2'), render(log, { to: cut1 }));
  writeFileSync(join(dir, 'gateway.log.1'), render(log, { from: cut1, to: cut2 }));
  writeFileSync(join(dir, 'gateway.log'), render(log, { from: cut2 }));
  execFileSync('gzip', ['-n', '-9', join(dir, 'gateway.log.2')]);
  rows.push({ file: 'rotated/gateway.log.2.gz, rotated/gateway.log.1, rotated/gateway.log', layout: 'L2 + L4 + L5 + script', wrapper: '— (gzip for .2)', version: '2.1', cause: '`wasm-plugin-crash`', story: 'supervisord-rotated set: start-up and traffic (.2.gz), a custom ai-guardrail plugin traps and then Envoy segfaults with Wasm frames — the backtrace starts at the end of .1 and continues in gateway.log, followed by a container restart.' });
  writeFileSync(join(out, 'README.md'), readme(rows));
  console.log(`${rows.length} sample entries written to ${out}`);
}

function readme(rows) {
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  const lines = [
    '# Sample gateway logs',
    '',
    'Realistic, synthetic Higress gateway logs bundled with higress-doctor: the README demo',
    '(`offline-seed-incident.log`), golden tests, and something to try the tool on. Every line follows the layouts and',
    'message texts of `docs/formats.md`; hostnames, IPs, ids and plugins are invented. None of them',
    'is copied from a real report.',
    '',
    'Layouts: **L1** Envoy default `[ts][tid][level][logger] [file:line] msg` (Higress 2.2), **L2** Istio tab layout',
    '`ts\\tlevel\\tenvoy logger file:line\\tmsg\\tthread=N` (Higress 2.0/2.1, upstream istio), **L3** `[Envoy (Epoch 0)] …`',
    '(Higress 1.x), **L4** pilot-agent Go lines (UTC, `Z`), **L5** access-log JSON-shaped text (istio TEXT format for the',
    'upstream-istio sample), *script* = all-in-one start-script echo lines, *raw* = un-prefixed crash output. Envoy',
    'timestamps are the container\'s local time; in the all-in-one samples the container runs with `TZ=Asia/Shanghai`, so',
    'Envoy lines read 8 hours ahead of the Go lines.',
    '',
    '"Expected top cause" is the cause id (docs/contracts.md#cause-ids) of the first incident `analyze` should report.',
    'There is no `wasm-vm-limit` sample: docs/formats.md grounds no message text for "too many VMs / isolates".',
    '',
    '| file | layout(s) | wrapper | imitates Higress | expected top cause | story |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| \`${esc(r.file)}\` | ${esc(r.layout)} | ${esc(r.wrapper)} | ${esc(r.version)} | ${esc(r.cause)} | ${esc(r.story)} |`),
    '',
    'Regenerate with `node test/corpus/make-samples.mjs` (deterministic; needs `gzip`).',
    '',
  ];
  return lines.join('\n');
}

main();
