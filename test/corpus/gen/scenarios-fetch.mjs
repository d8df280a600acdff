// Scenarios: a Wasm plugin cannot be fetched (address, network, auth, TLS), the image is not a
// usable Wasm packaging, or the module bytes are corrupt.
import {
  site, traffic, allInOneBanner, agentStartup, xdsReconnect13, fetchErr, httpCause, ociCause,
  invalidOciFormat, fetchingImage, fetchFailure, wasmLoadFailure, envoyStartWarnings,
} from './blocks.mjs';

const ACR = 'higress-registry.cn-hangzhou.cr.aliyuncs.com';

/** The per-push repetition: pilot pushes again (another config change or reconnect). */
function again(log, routes, n, fn) {
  traffic(log, routes, n, { spanMs: 20000 });
  fn();
}

export const FETCH = [
  // ----------------------------------------------------------------------------- bad address
  {
    cause: 'wasm-fetch-bad-address', variant: 'fixed-url-pattern-404', version: '2.2', env: 'docker', start: '2026-04-09T02:13:05Z', tz: 8,
    subject: { url: 'http://172.31.5.9/wasm/plugin.wasm' },
    note: 'HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN without ${name}: three built-in plugins fetch the same http://172.31.5.9/wasm/plugin.wasm and get status code 404 (istio multierror, 3 bullets).',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      const url = 'http://172.31.5.9/wasm/plugin.wasm';
      const e = fetchErr(url, httpCause(log, 'wasm module download request failed: status code 404', 1));
      log.wait(2000, 500);
      fetchFailure(log, [e, e, e]);
      traffic(log, routes, 5);
      log.wait(9000, 4000);
      fetchFailure(log, [e, e, e]);
      traffic(log, routes, 3);
    },
  },
  {
    cause: 'wasm-fetch-bad-address', variant: 'plugin-server-version-404', version: '2.1', env: 'k8s', start: '2025-10-14T07:41:22Z', wrapper: 'kubectl-timestamps',
    subject: { plugin: 'ai-proxy' },
    note: 'plugin-server has no ai-proxy 1.0.1 → convert the wasm config: 1 error occurred: … status code 404 (hashicorp list, two trailing blank lines), logged again on the next push.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 5, { aiLog: true });
      const url = 'http://higress-plugin-server.higress-system.svc/plugins/ai-proxy/1.0.1/plugin.wasm';
      const e = fetchErr(url, httpCause(log, 'wasm module download request failed: status code 404', 1));
      log.wait(1500);
      fetchFailure(log, [e]);
      traffic(log, routes, 4, { aiLog: true });
      xdsReconnect13(log);
      log.wait(300);
      fetchFailure(log, [e]);
      traffic(log, routes, 3, { aiLog: true });
    },
  },
  {
    cause: 'wasm-fetch-bad-address', variant: 'oci-manifest-unknown-1x', version: '1.x', env: 'k8s', start: '2024-03-19T09:02:41Z', tail: 'reconnect',
    subject: { plugin: 'jwt-auth' },
    note: 'istio 1.12 own-line form: cannot fetch Wasm module oci://…/plugins/jwt-auth:1.0.9: could not fetch Wasm OCI image: could not fetch image: … MANIFEST_UNKNOWN (tag does not exist).',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 6);
      const ref = `oci://${ACR}/plugins/jwt-auth:1.0.9`;
      const e = fetchErr(ref, ociCause(log, `GET https://${ACR}/v2/plugins/jwt-auth/manifests/1.0.9: MANIFEST_UNKNOWN: manifest unknown; map[Tag:1.0.9]`));
      fetchingImage(log, ref);
      log.wait(600);
      fetchFailure(log, [e]);
      traffic(log, routes, 5);
      log.wait(15000);
      fetchingImage(log, ref);
      log.wait(500);
      fetchFailure(log, [e]);
      traffic(log, routes, 2);
    },
  },
  {
    cause: 'wasm-fetch-bad-address', variant: 'harbor-name-unknown', version: '2.2', env: 'k8s', start: '2026-01-27T13:20:09Z', tail: 'reconnect',
    subject: { plugin: 'key-auth' },
    note: 'private Harbor mirror, repository path wrong → could not fetch manifest: … NAME_UNKNOWN: repository name not known to registry (single-error failopen wrapper line).',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 5);
      const ref = 'oci://harbor.ops.example.net/higress/plugins/key-auth:1.0.0';
      const e = fetchErr(ref, ociCause(log, 'GET https://harbor.ops.example.net/v2/higress/plugins/key-auth/manifests/1.0.0: NAME_UNKNOWN: repository name not known to registry; map[name:higress/plugins/key-auth]'));
      fetchingImage(log, ref);
      log.wait(200);
      fetchFailure(log, [e]);
      traffic(log, routes, 6);
      fetchingImage(log, ref);
      fetchFailure(log, [e]);
    },
  },
  {
    cause: 'wasm-fetch-bad-address', variant: 'bad-url-scheme', version: '2.0', env: 'docker', start: '2025-05-06T03:15:44Z',
    subject: { plugin: 'cors' },
    note: 'typo in the plugin URL scheme → unsupported Wasm module downloading URL scheme: htttp (inside convert the wasm config:).',
    build(log) {
      agentStartup(log, { flags: false });
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      const e = fetchErr('htttp://10.8.0.12:8081/plugins/cors.wasm', 'unsupported Wasm module downloading URL scheme: htttp');
      log.wait(800);
      fetchFailure(log, [e]);
      traffic(log, routes, 4);
    },
  },
  {
    cause: 'wasm-fetch-bad-address', variant: 'istio-404-deny-rbac', version: 'istio', env: 'k8s', start: '2026-02-03T16:48:30Z', tail: 'reconnect',
    subject: { plugin: 'header-rewrite' },
    note: 'upstream istio 1.26+: error in converting the wasm config to local: … status code 404. applying deny RBAC filter; following 403 rbac_access_denied are the knock-on.',
    build(log) {
      log.xdsAddr = 'istiod.istio-system.svc:15012';
      const routes = [{ authority: 'bookinfo.apps.example.com', route: 'default', cluster: 'outbound|9080||productpage.bookinfo.svc.cluster.local', port: 9080, paths: ['/productpage', '/api/v1/products'], ips: ['10.12.3.44', '10.12.5.18'], ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' }];
      traffic(log, routes, 5);
      const url = 'https://artifacts.platform.example.com/wasm/header-rewrite/v0.4.2/plugin.wasm';
      fetchFailure(log, [fetchErr(url, httpCause(log, 'wasm module download request failed: status code 404', 1))], { rbac: 'deny' });
      for (let i = 0; i < 6; i++) {
        log.wait(900, 900);
        log.access({ authority: routes[0].authority, path: routes[0].paths[i % 2], code: 403, details: 'rbac_access_denied_matched_policy[none]', route: '-', cluster: '-', duration: 0, bytesOut: 19, ua: routes[0].ua });
      }
    },
  },
  {
    cause: 'wasm-fetch-bad-address', variant: 'unparsable-url-1x', version: '1.x', env: 'docker', start: '2024-06-12T01:09:55Z', damage: ['expand-tabs'], lead: 'startup',
    subject: { plugin: 'ip-restriction' },
    note: 'istio 1.12 wording fail to parse Wasm module fetch url: <url> (no error suffix), URL has two ports; tabs of the paste turned into spaces.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 4);
      const e = fetchErr('http://10.1.1.5:8080:8081/plugins/ip-restriction.wasm', 'fail to parse Wasm module fetch url: http://10.1.1.5:8080:8081/plugins/ip-restriction.wasm');
      fetchFailure(log, [e]);
      traffic(log, routes, 5);
      fetchFailure(log, [e]);
    },
  },
  {
    cause: 'wasm-fetch-bad-address', variant: 'oci-reference-parse', version: '2.2', env: 'k8s', start: '2026-03-02T10:02:18Z', tail: 'reconnect',
    subject: {},
    note: 'upper-case repository name → could not fetch Wasm OCI image: could not parse url in image reference: could not parse reference: …',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 5);
      const ref = 'oci://harbor.ops.example.net/higress/Key-Auth:1.0.0';
      fetchFailure(log, [fetchErr(ref, 'could not fetch Wasm OCI image: could not parse url in image reference: could not parse reference: harbor.ops.example.net/higress/Key-Auth:1.0.0')]);
      traffic(log, routes, 5);
    },
  },
  {
    cause: 'wasm-fetch-bad-address', variant: 'plugin-server-two-404', version: '2.1', env: 'docker', start: '2025-09-22T08:31:40Z',
    subject: {},
    note: 'compose-mode gateway: plugin-server image lacks ai-quota 2.0.3 and ai-token-ratelimit 2.0.3 → convert the wasm config: 2 errors occurred: … status code 404.',
    build(log) {
      log.xdsAddr = 'higress-pilot:15010';
      agentStartup(log, { flags: false });
      const routes = site(log, 'ai');
      traffic(log, routes, 3, { aiLog: true });
      const u1 = 'http://higress-plugin-server:8080/plugins/ai-quota/2.0.3/plugin.wasm';
      const u2 = 'http://higress-plugin-server:8080/plugins/ai-token-ratelimit/2.0.3/plugin.wasm';
      const c = httpCause(log, 'wasm module download request failed: status code 404', 1);
      fetchFailure(log, [fetchErr(u1, c), fetchErr(u2, c)]);
      traffic(log, routes, 4, { aiLog: true });
    },
  },
  {
    cause: 'wasm-fetch-bad-address', variant: 'name-pattern-missing-file-crlf', version: '2.2', env: 'docker', start: '2026-05-11T06:27:13Z', tz: 8, damage: ['crlf'], tail: 'reconnect',
    subject: { plugin: 'ai-cache' },
    note: 'URL pattern http://10.1.2.3/wasm/${name}.wasm is right but ai-cache.wasm was never copied → single-line failopen wrapper with status code 404; file saved with CRLF line endings.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 6, { aiLog: true });
      fetchFailure(log, [fetchErr('http://10.1.2.3/wasm/ai-cache.wasm', httpCause(log, 'wasm module download request failed: status code 404', 1))]);
      traffic(log, routes, 5, { aiLog: true });
    },
  },

  // ----------------------------------------------------------------------------- network
  {
    cause: 'wasm-fetch-network', variant: 'plugin-server-down-refused', version: '2.2', env: 'docker', start: '2026-04-20T11:05:30Z',
    subject: {},
    note: 'all-in-one plugin-server (nginx :8002) not running → connect: connection refused after 5 attempts for key-auth and basic-auth (2 errors occurred).',
    build(log) {
      allInOneBanner(log, { checks: 3 });
      agentStartup(log, { flags: false });
      const routes = site(log, 'shop');
      traffic(log, routes, 3);
      const mk = (n) => {
        const u = `http://localhost:8002/plugins/${n}/1.0.0/plugin.wasm`;
        return fetchErr(u, httpCause(log, `Get "${u}": dial tcp 127.0.0.1:8002: connect: connection refused`, 5));
      };
      log.wait(6200, 800);
      fetchFailure(log, [mk('key-auth'), mk('basic-auth')]);
      traffic(log, routes, 4);
    },
  },
  {
    cause: 'wasm-fetch-network', variant: 'oci-deadline-offline', version: '2.1', env: 'k8s', start: '2025-08-04T02:44:18Z', tail: 'reconnect',
    subject: { plugin: 'ai-statistics' },
    note: 'offline cluster reaching the public registry → could not fetch manifest: Get "https://…/v2/": context deadline exceeded.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 4, { aiLog: true });
      const ref = `oci://${ACR}/plugins/ai-statistics:1.0.0`;
      fetchingImage(log, ref);
      log.wait(30000);
      fetchFailure(log, [fetchErr(ref, ociCause(log, `Get "https://${ACR}/v2/": context deadline exceeded`))]);
      traffic(log, routes, 4, { aiLog: true });
    },
  },
  {
    cause: 'wasm-fetch-network', variant: 'intranet-reset', version: '2.0', env: 'docker', start: '2025-06-17T09:12:51Z', tz: 8,
    subject: { plugin: 'mcp-server' },
    note: 'intranet file server drops the connection → read: connection reset by peer, 5 attempts (hashicorp list).',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      const routes = site(log, 'mcp');
      traffic(log, routes, 3);
      const u = 'http://192.168.30.7:9000/wasm/mcp-server.wasm';
      log.wait(4000);
      fetchFailure(log, [fetchErr(u, httpCause(log, `Get "${u}": read tcp 172.17.0.2:51734->192.168.30.7:9000: read: connection reset by peer`, 5))]);
      traffic(log, routes, 3);
    },
  },
  {
    cause: 'wasm-fetch-network', variant: 'http-io-timeout-1x', version: '1.x', env: 'k8s', start: '2024-02-26T14:38:02Z', tail: 'reconnect',
    subject: { plugin: 'basic-auth' },
    note: 'istio 1.12 own line, wasm module download failed, last error: … dial tcp …: i/o timeout (firewalled file server).',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 5);
      const u = 'http://10.0.8.15:8080/plugins/basic-auth.wasm';
      log.wait(30000);
      fetchFailure(log, [fetchErr(u, httpCause(log, `Get "${u}": dial tcp 10.0.8.15:8080: i/o timeout`, 5))]);
      traffic(log, routes, 6);
    },
  },
  {
    cause: 'wasm-fetch-network', variant: 'dns-no-such-host', version: '2.2', env: 'k8s', start: '2026-02-16T05:51:37Z', tail: 'reconnect',
    subject: { plugin: 'request-block' },
    note: 'plugin host not resolvable from the pod → dial tcp: lookup wasm-repo.corp.internal on 10.96.0.10:53: no such host.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      const u = 'http://wasm-repo.corp.internal/higress/request-block/1.0.0/plugin.wasm';
      fetchFailure(log, [fetchErr(u, httpCause(log, `Get "${u}": dial tcp: lookup wasm-repo.corp.internal on 10.96.0.10:53: no such host`, 5))]);
      traffic(log, routes, 5);
    },
  },
  {
    cause: 'wasm-fetch-network', variant: 'istio-oci-timeout-allow', version: 'istio', env: 'k8s', start: '2026-01-08T19:24:45Z', tail: 'reconnect',
    subject: { plugin: 'basic-auth' },
    note: 'upstream istio, fail-open plugin → error in converting the wasm config to local: … i/o timeout. applying allow RBAC filter; traffic keeps flowing.',
    build(log) {
      log.xdsAddr = 'istiod.istio-system.svc:15012';
      const routes = [{ authority: 'shop.apps.example.com', route: 'default', cluster: 'outbound|8080||storefront.shop.svc.cluster.local', port: 8080, paths: ['/', '/checkout', '/api/items'], ips: ['10.12.7.21'], ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148' }];
      traffic(log, routes, 4);
      const ref = 'oci://registry.example.io/wasm/basic-auth:0.9.1';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, ociCause(log, 'Get "https://registry.example.io/v2/": dial tcp 203.0.113.40:443: i/o timeout'))], { rbac: 'allow' });
      traffic(log, routes, 5);
    },
  },
  {
    cause: 'wasm-fetch-network', variant: 'localhost-is-container', version: '2.1', env: 'docker', start: '2025-11-03T12:00:41Z', damage: ['expand-tabs'],
    subject: {},
    note: 'URL pattern points at http://localhost:9000 (the container itself) → connection refused for three plugins; pasted with tabs expanded to spaces.',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      const routes = site(log, 'ai');
      const mk = (n) => {
        const u = `http://localhost:9000/${n}.wasm`;
        return fetchErr(u, httpCause(log, `Get "${u}": dial tcp 127.0.0.1:9000: connect: connection refused`, 5));
      };
      log.wait(6000);
      fetchFailure(log, [mk('ai-proxy'), mk('ai-statistics'), mk('model-router')]);
      traffic(log, routes, 4, { aiLog: true });
    },
  },
  {
    cause: 'wasm-fetch-network', variant: 'no-route-to-host', version: '2.2', env: 'docker', start: '2026-06-01T00:18:27Z', tz: 8, lead: 'startup',
    subject: { plugin: 'transformer' },
    note: 'file server in another subnet without a route → connect: no route to host (5 attempts).',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 6);
      const u = 'http://10.30.2.8:8080/wasm/transformer/1.0.0/plugin.wasm';
      fetchFailure(log, [fetchErr(u, httpCause(log, `Get "${u}": dial tcp 10.30.2.8:8080: connect: no route to host`, 5))]);
      traffic(log, routes, 4);
    },
  },
  {
    cause: 'wasm-fetch-network', variant: 'oci-dns-1x-no-timestamps', version: '1.x', env: 'docker', start: '2024-01-15T03:33:10Z', damage: ['strip-ts'], lead: 'startup',
    subject: { plugin: 'key-auth' },
    note: 'offline host, public registry name not resolvable → could not fetch image: Get "https://…/v2/": dial tcp: lookup … no such host; the paste lost the timestamps.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 3);
      const ref = `oci://${ACR}/plugins/key-auth:1.0.0`;
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, ociCause(log, `Get "https://${ACR}/v2/": dial tcp: lookup ${ACR} on 114.114.114.114:53: no such host`))]);
      traffic(log, routes, 3);
    },
  },
  {
    cause: 'wasm-fetch-network', variant: 'oci-client-timeout-three', version: '2.0', env: 'k8s', start: '2025-03-28T22:10:03Z', tail: 'reconnect',
    subject: {},
    note: 'egress proxy blocks the registry → three OCI fetches fail with net/http: request canceled while waiting for connection (Client.Timeout exceeded …).',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 3);
      const refs = ['key-auth:1.0.0', 'bot-detect:1.0.0', 'ip-restriction:1.0.0'].map((n) => `oci://${ACR}/plugins/${n}`);
      for (const r of refs) fetchingImage(log, r);
      log.wait(30000);
      fetchFailure(log, refs.map((r) => fetchErr(r, ociCause(log, `Get "https://${ACR}/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)`))));
      traffic(log, routes, 4);
    },
  },

  // ----------------------------------------------------------------------------- auth
  {
    cause: 'wasm-fetch-auth', variant: 'harbor-unauthorized', version: '2.2', env: 'k8s', start: '2026-03-17T08:45:50Z', tail: 'reconnect',
    subject: { plugin: 'ai-guard' },
    note: 'private Harbor project without credentials → could not fetch manifest: … UNAUTHORIZED: authentication required.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 4, { aiLog: true });
      const ref = 'oci://harbor.ops.example.net/ai/ai-guard:1.2.0';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, ociCause(log, 'GET https://harbor.ops.example.net/v2/ai/ai-guard/manifests/1.2.0: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:ai/ai-guard Type:repository]]'))]);
      traffic(log, routes, 5, { aiLog: true });
    },
  },
  {
    cause: 'wasm-fetch-auth', variant: 'nexus-http-401', version: '2.1', env: 'k8s', start: '2025-12-09T01:37:29Z', tail: 'reconnect',
    subject: { plugin: 'hmac-auth-apisix' },
    note: 'Nexus raw repository requires login → status code 401 (HTTP, 1 attempt) inside convert the wasm config:.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 5);
      const u = 'https://nexus.corp.example/repository/wasm-raw/hmac-auth-apisix/1.0.0/plugin.wasm';
      fetchFailure(log, [fetchErr(u, httpCause(log, 'wasm module download request failed: status code 401', 1))]);
      traffic(log, routes, 4);
    },
  },
  {
    cause: 'wasm-fetch-auth', variant: 'private-bucket-403', version: '2.0', env: 'k8s', start: '2025-04-02T06:11:58Z',
    subject: { plugin: 'ai-proxy' },
    note: 'private object-storage bucket → status code 403 for ai-proxy (hashicorp list).',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 4, { aiLog: true });
      const u = 'https://plugins-bucket.oss-cn-shanghai.aliyuncs.com/higress/ai-proxy/1.0.0/plugin.wasm';
      fetchFailure(log, [fetchErr(u, httpCause(log, 'wasm module download request failed: status code 403', 1))]);
      traffic(log, routes, 3, { aiLog: true });
      log.wait(12000);
      fetchFailure(log, [fetchErr(u, httpCause(log, 'wasm module download request failed: status code 403', 1))]);
    },
  },
  {
    cause: 'wasm-fetch-auth', variant: 'acr-unauthorized-1x', version: '1.x', env: 'k8s', start: '2024-05-21T10:26:37Z', tail: 'reconnect',
    subject: { plugin: 'waf' },
    note: 'istio 1.12 own line: could not fetch image: GET …/manifests/1.0.0: UNAUTHORIZED (private ACR namespace, no pull secret configured).',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      const ref = 'oci://registry-vpc.cn-beijing.aliyuncs.com/platform-sec/waf:1.0.0';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, ociCause(log, 'GET https://registry-vpc.cn-beijing.aliyuncs.com/v2/platform-sec/waf/manifests/1.0.0: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:platform-sec/waf Type:repository]]'))]);
      traffic(log, routes, 5);
    },
  },
  {
    cause: 'wasm-fetch-auth', variant: 'missing-pull-secret', version: '2.2', env: 'k8s', start: '2026-02-24T04:58:16Z', wrapper: 'kubectl-prefix', lead: 'startup',
    subject: { plugin: 'ai-guard' },
    note: 'WasmPlugin names an imagePullSecret that does not exist → cannot fetch Wasm module higress-system.ai-guard-1.0.0: missing image pulling secret.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 5, { aiLog: true });
      fetchFailure(log, ['cannot fetch Wasm module higress-system.ai-guard-1.0.0: missing image pulling secret']);
      traffic(log, routes, 4, { aiLog: true });
    },
  },
  {
    cause: 'wasm-fetch-auth', variant: 'istio-denied', version: 'istio', env: 'k8s', start: '2025-12-30T13:03:21Z', tail: 'reconnect',
    subject: { plugin: 'ext-authz-lite' },
    note: 'upstream istio: registry answers DENIED: requested access to the resource is denied → deny RBAC filter (403s follow).',
    build(log) {
      log.xdsAddr = 'istiod.istio-system.svc:15012';
      const routes = [{ authority: 'api.apps.example.com', route: 'default', cluster: 'outbound|8000||api-gw.platform.svc.cluster.local', port: 8000, paths: ['/v2/accounts', '/v2/accounts/42/limits'], ips: ['10.12.2.16', '10.12.4.71'], ua: 'Go-http-client/2.0' }];
      traffic(log, routes, 4);
      const ref = 'oci://registry.example.io/security/ext-authz-lite:v3';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, ociCause(log, 'GET https://registry.example.io/v2/security/ext-authz-lite/manifests/v3: DENIED: requested access to the resource is denied'))]);
      for (let i = 0; i < 4; i++) {
        log.wait(700, 900);
        log.access({ authority: routes[0].authority, path: routes[0].paths[i % 2], code: 403, details: 'rbac_access_denied_matched_policy[none]', route: '-', cluster: '-', duration: 0, bytesOut: 19, ua: routes[0].ua, protocol: 'HTTP/2' });
      }
    },
  },

  // ----------------------------------------------------------------------------- TLS
  {
    cause: 'wasm-fetch-tls', variant: 'harbor-self-signed', version: '2.2', env: 'k8s', start: '2026-03-05T07:19:44Z', tail: 'reconnect',
    subject: { plugin: 'key-auth' },
    note: 'Harbor with a self-signed certificate → tls: failed to verify certificate: x509: certificate signed by unknown authority.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      const ref = 'oci://harbor.ops.example.net/higress/key-auth:1.0.0';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, ociCause(log, 'Get "https://harbor.ops.example.net/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority'))]);
      traffic(log, routes, 5);
    },
  },
  {
    cause: 'wasm-fetch-tls', variant: 'https-hostname-mismatch', version: '2.1', env: 'k8s', start: '2025-10-30T15:27:06Z', wrapper: 'cri', tail: 'reconnect',
    subject: { plugin: 'custom-response' },
    note: 'HTTPS file server certificate for another name → x509: certificate is valid for nginx.local, files.local, not wasm.corp.example.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 4);
      const u = 'https://wasm.corp.example/higress/custom-response/1.0.0/plugin.wasm';
      fetchFailure(log, [fetchErr(u, httpCause(log, `Get "${u}": tls: failed to verify certificate: x509: certificate is valid for nginx.local, files.local, not wasm.corp.example`, 5))]);
      traffic(log, routes, 4);
    },
  },
  {
    cause: 'wasm-fetch-tls', variant: 'unknown-authority-1x', version: '1.x', env: 'k8s', start: '2024-04-08T03:50:12Z', tail: 'reconnect',
    subject: { plugin: 'basic-auth' },
    note: 'Go 1.17-era text (no "tls: failed to verify certificate:" prefix): x509: certificate signed by unknown authority from the in-house registry.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 5);
      const ref = 'oci://registry.intra.example.com:5000/higress/basic-auth:1.0.0';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, ociCause(log, 'Get "https://registry.intra.example.com:5000/v2/": x509: certificate signed by unknown authority'))]);
      traffic(log, routes, 4);
    },
  },
  {
    cause: 'wasm-fetch-tls', variant: 'expired-certificate', version: '2.0', env: 'docker', start: '2025-09-14T03:12:07Z', wrapper: 'docker-json',
    subject: { plugin: 'ai-proxy' },
    note: 'plugin server certificate expired → x509: certificate has expired or is not yet valid (5 attempts).',
    build(log) {
      agentStartup(log, { flags: false });
      const routes = site(log, 'ai');
      traffic(log, routes, 3, { aiLog: true });
      const u = 'https://static.intra.example.com/higress/ai-proxy/1.0.0/plugin.wasm';
      fetchFailure(log, [fetchErr(u, httpCause(log, `Get "${u}": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2025-09-14T03:12:13Z is after 2025-09-01T00:00:00Z`, 5))]);
      traffic(log, routes, 3, { aiLog: true });
    },
  },
  {
    cause: 'wasm-fetch-tls', variant: 'istio-unknown-authority', version: 'istio', env: 'k8s', start: '2026-01-19T09:09:09Z', tail: 'reconnect',
    subject: { plugin: 'jwt-claims' },
    note: 'upstream istio: corporate TLS-inspecting proxy → x509: certificate signed by unknown authority, deny RBAC filter applied.',
    build(log) {
      log.xdsAddr = 'istiod.istio-system.svc:15012';
      const routes = [{ authority: 'portal.apps.example.com', route: 'default', cluster: 'outbound|80||portal.web.svc.cluster.local', port: 80, paths: ['/', '/login'], ips: ['10.12.1.9'], ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' }];
      traffic(log, routes, 4);
      const ref = 'oci://ghcr.example.org/platform/jwt-claims:1.3.0';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, ociCause(log, 'Get "https://ghcr.example.org/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority'))], { rbac: 'deny' });
      log.wait(800);
      log.access({ authority: routes[0].authority, path: '/', code: 403, details: 'rbac_access_denied_matched_policy[none]', route: '-', cluster: '-', duration: 0, bytesOut: 19, ua: routes[0].ua });
      log.access({ authority: routes[0].authority, path: '/login', code: 403, details: 'rbac_access_denied_matched_policy[none]', route: '-', cluster: '-', duration: 0, bytesOut: 19, ua: routes[0].ua });
    },
  },

  // ----------------------------------------------------------------------------- image format
  {
    cause: 'wasm-image-format', variant: 'oras-single-layer', version: '2.2', env: 'k8s', start: '2026-04-14T02:07:35Z', tail: 'reconnect',
    subject: { plugin: 'ai-statistics' },
    note: 'oras-pushed single wasm layer → the given image is in invalid format as an OCI image: 2 errors occurred: invalid media type … / number of layers must be 2 but got 1 (nested list).',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 4, { aiLog: true });
      const ref = 'oci://harbor.ops.example.net/higress-mirror/ai-statistics:1.0.0';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, invalidOciFormat(log, ['could not parse as compat variant: invalid media type application/vnd.module.wasm.content.layer.v1+wasm (expect application/vnd.oci.image.layer.v1.tar+gzip)', 'could not parse as oci variant: number of layers must be 2 but got 1']))]);
      traffic(log, routes, 4, { aiLog: true });
    },
  },
  {
    cause: 'wasm-image-format', variant: 'hashicorp-nested-list', version: '2.1', env: 'k8s', start: '2025-07-25T11:42:18Z', lead: 'startup',
    subject: { plugin: 'model-router' },
    note: 'same packaging problem under Higress 2.1: the nested hashicorp list sits inside convert the wasm config: 1 error occurred: (four blank lines at the end).',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 5, { aiLog: true });
      const ref = 'oci://registry.intra.example.com:5000/plugins/model-router:2.0.0';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, invalidOciFormat(log, ['could not parse as compat variant: invalid media type application/vnd.wasm.content.layer.v1+wasm (expect application/vnd.oci.image.layer.v1.tar+gzip)', 'could not parse as oci variant: number of layers must be 2 but got 1']))]);
      traffic(log, routes, 4, { aiLog: true });
    },
  },
  {
    cause: 'wasm-image-format', variant: 'three-layers-1x', version: '1.x', env: 'k8s', start: '2024-07-02T06:16:49Z', tail: 'reconnect',
    subject: { plugin: 'request-block' },
    note: 'istio 1.12: image built as a normal container (3 layers) → number of layers must be 1 but got 3 / must be 2 but got 3.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      const ref = 'oci://registry.intra.example.com:5000/gateway/request-block:v1';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, invalidOciFormat(log, ['could not parse as compat variant: number of layers must be 1 but got 3', 'could not parse as oci variant: number of layers must be 2 but got 3']))]);
      traffic(log, routes, 5);
    },
  },
  {
    cause: 'wasm-image-format', variant: 'plugin-wasm-not-in-archive', version: '2.2', env: 'docker', start: '2026-05-26T12:44:02Z', tz: 8, lead: 'startup',
    subject: { plugin: 'my-rewrite' },
    note: 'tar layer that carries main.wasm instead of plugin.wasm → could not parse as compat variant: plugin.wasm not found in the archive.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 5);
      const ref = 'oci://192.168.50.3:5000/wasm/my-rewrite:0.1.0';
      fetchingImage(log, ref);
      log.go('info', 'wasm', 'fetching image with plain text from 192.168.50.3:5000/wasm/my-rewrite:0.1.0');
      fetchFailure(log, [fetchErr(ref, invalidOciFormat(log, ['could not parse as compat variant: plugin.wasm not found in the archive', 'could not parse as oci variant: number of layers must be 2 but got 1']))]);
      traffic(log, routes, 4);
    },
  },
  {
    cause: 'wasm-image-format', variant: 'docker-container-layer', version: '2.0', env: 'k8s', start: '2025-02-11T17:35:27Z', tail: 'reconnect',
    subject: { plugin: 'geo-tag' },
    note: 'Docker-manifest image whose layer is not a gzip tar → could not extract Wasm file from the image as Docker container … (no colon before the inner error).',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      const ref = 'oci://registry.intra.example.com:5000/edge/geo-tag:2024.12';
      fetchingImage(log, ref);
      fetchFailure(log, [fetchErr(ref, 'could not fetch Wasm binary: could not extract Wasm file from the image as Docker container could not get layer content: gzip: invalid header')]);
      traffic(log, routes, 4);
    },
  },

  // ----------------------------------------------------------------------------- corrupt module
  {
    cause: 'wasm-module-corrupt', variant: 'checksum-mismatch', version: '2.2', env: 'k8s', start: '2026-03-23T03:30:31Z', tail: 'reconnect',
    subject: { plugin: 'ai-cache' },
    note: 'sha256 in the WasmPlugin left over from the previous build → module downloaded from … has checksum …, which does not match: …',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 5, { aiLog: true });
      const u = 'http://higress-plugin-server.higress-system.svc/plugins/ai-cache/1.0.0/plugin.wasm';
      fetchFailure(log, [fetchErr(u, `module downloaded from ${u} has checksum ${log.r.hex(64)}, which does not match: ${log.r.hex(64)}`)]);
      traffic(log, routes, 4, { aiLog: true });
    },
  },
  {
    cause: 'wasm-module-corrupt', variant: 'html-instead-of-wasm', version: '2.1', env: 'docker', start: '2025-08-19T04:25:53Z', tz: 8,
    subject: { plugin: 'key-auth' },
    note: 'SSO portal answers 200 with a login page → fetched Wasm binary from … is invalid (hashicorp list).',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      const routes = site(log, 'internal');
      traffic(log, routes, 3);
      const u = 'http://files.intra.example.com/share/higress/key-auth.wasm';
      fetchFailure(log, [fetchErr(u, `fetched Wasm binary from ${u} is invalid`)]);
      traffic(log, routes, 4);
    },
  },
  {
    cause: 'wasm-module-corrupt', variant: 'envoy-parse-truncated', version: '2.0', env: 'k8s', start: '2025-01-22T08:14:36Z',
    subject: { plugin: 'waf' },
    note: 'truncated plugin.wasm on the plugin server (magic bytes intact) → Envoy: Wasm VM failed Failed to parse corrupted Wasm module, Failed to load Wasm code, then the ECDS rejection.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 5);
      log.wait(1000);
      wasmLoadFailure(log, { filter: 'higress-system.waf-1.0.0', base: ['Failed to parse corrupted Wasm module', 'Failed to load Wasm code'], failClosed: true });
      traffic(log, routes, 3);
      for (let i = 0; i < 3; i++) log.wait(300).access({ authority: 'shop.demo.internal', path: '/cart', code: 503, details: 'wasm_fail_stream', route: 'shop-frontend', cluster: 'outbound|80||shop-frontend.default.svc.cluster.local', upstreamHost: '-', upstreamLocal: '-', svcTime: '-', duration: 0, bytesOut: 0 });
    },
  },
  {
    cause: 'wasm-module-corrupt', variant: 'checksum-mismatch-1x', version: '1.x', env: 'k8s', start: '2024-08-27T12:52:18Z', tail: 'reconnect',
    subject: { plugin: 'transformer' },
    note: 'istio 1.12 own line with a checksum mismatch (image re-tagged after the sha256 was pinned).',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 5);
      const u = 'https://static.intra.example.com/wasm/transformer.wasm';
      fetchFailure(log, [fetchErr(u, `module downloaded from ${u} has checksum ${log.r.hex(64)}, which does not match: ${log.r.hex(64)}`)]);
      traffic(log, routes, 5);
    },
  },
  {
    cause: 'wasm-module-corrupt', variant: 'wamr-empty-import-name', version: '2.2', env: 'docker', start: '2026-05-04T09:41:27Z',
    subject: { plugin: 'custom-header' },
    note: 'WAMR rejects a malformed module: The name field of import_types[2] is empty → Failed to initialize Wasm code → ECDS rejection.',
    build(log) {
      agentStartup(log, { flags: false });
      const routes = site(log, 'internal');
      traffic(log, routes, 4);
      wasmLoadFailure(log, { filter: 'higress-system.custom-header-1.0.0', vm: ['The name field of import_types[2] is empty'], base: ['Failed to initialize Wasm code'], failClosed: false });
      traffic(log, routes, 3);
    },
  },
];
