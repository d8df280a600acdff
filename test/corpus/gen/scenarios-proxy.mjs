// Scenarios: Envoy crashes and OOM, rejected gateway config, port binding, control-plane loss,
// TLS certificate failures, unavailable upstreams, and healthy logs.
import {
  site, traffic, allInOneBanner, agentStartup, xdsReconnect13, reject, TYPE, fatalSignal, agentExit,
  abortAddr, FRAMES, envoyStartWarnings, fetchingImage,
} from './blocks.mjs';

function startupShort(log, opts = {}) {
  agentStartup(log, { flags: false, ...opts });
}

function bindFailure(log, listener, addr, err) {
  log.envoy('error', 'config', 'listenerBind', `listener '${listener}' failed to bind or apply socket options: cannot bind '${addr}': ${err}`);
  reject(log, TYPE.lds, `Error adding/updating listener(s) ${listener}: cannot bind '${addr}': ${err}\n`);
}

function xdsDown(log, sinceS, err) {
  const m = log.delta ? 'DeltaAggregatedResources' : 'StreamAggregatedResources';
  if (log.p.xdsClosedStyle === 'old') log.envoy('warning', 'config', 'grpcStream', `${m} gRPC config stream closed: 14, ${err}`);
  else if (sinceS) log.envoy('warning', 'config', 'grpcStream', `${m} gRPC config stream to xds-grpc closed since ${sinceS}s ago: 14, ${err}`);
  else log.envoy('warning', 'config', 'grpcStream', `${m} gRPC config stream to xds-grpc closed: 14, ${err}`);
}

const dial = (log, target, tail) => `connection error: desc = "transport: Error while dialing${log.p.dialColon ? ':' : ''} dial tcp ${target}: ${tail}"`;

function access503(log, s, n, o) {
  for (let i = 0; i < n; i++) {
    log.wait(300, 1500);
    log.access({ authority: s.authority, path: log.r.pick(s.paths), method: s.methods?.[0] ?? 'GET', route: s.route, cluster: s.cluster, ua: s.ua, svcTime: '-', ...o(i) });
  }
}

/** V8's C stack trace lines: one load base, distinct offsets into the envoy binary. */
function v8Frames(log, n, hi) {
  const top = hi === 0x55n ? 0x5500n + BigInt(log.r.int(0x10, 0xff)) : hi;
  const base = (top << 32n) | (BigInt(log.r.int(0x100, 0xfff)) << 20n);
  for (let i = 0; i < n; i++) {
    const off = BigInt(log.r.int(0x2000000, 0x5ffffff));
    log.raw(`    /usr/local/bin/envoy(+0x${off.toString(16)}) [0x${(base + off).toString(16)}]`);
  }
}

export const PROXY = [
  // ----------------------------------------------------------------------------- envoy crash
  {
    cause: 'envoy-crash', variant: 'segfault-no-wasm-frames', version: '2.2', env: 'k8s', start: '2026-03-31T18:14:26Z',
    subject: {},
    note: 'bare segfault on a worker in router/upstream code, no Wasm frames, no memory signal → envoy-crash.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 8);
      fatalSignal(log, {
        tid: log.worker(), addr: '0x38',
        frames: ['Envoy::Upstream::HostDescriptionImpl::canary()', 'Envoy::Upstream::LoadBalancerBase::chooseHost()', 'Envoy::Router::Filter::decodeHeaders()', ...FRAMES.http1Tail],
      });
      agentExit(log, 'signal: segmentation fault');
    },
  },
  {
    cause: 'envoy-crash', variant: 'assert-failure-aborted', version: '2.1', env: 'k8s', start: '2025-09-09T11:57:03Z',
    subject: {},
    note: 'RELEASE_ASSERT: assert failure: … Details: … then Caught Aborted block and Envoy exited with error: signal: aborted.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 6);
      const tid = log.worker();
      log.envoy('critical', 'assert', 'common/http/conn_manager_impl.cc:1217', 'assert failure: state_.codec_saw_local_complete_. Details: response already sent before the codec finished encoding', { tid });
      fatalSignal(log, { tid, signal: 'Aborted', addr: abortAddr(log), frames: ['raise', 'abort', 'Envoy::Http::ConnectionManagerImpl::ActiveStream::onCodecEncodeComplete()', 'Envoy::Http::Http1::ServerConnectionImpl::onEncodeComplete()', 'Envoy::Http::Http1::StreamEncoderImpl::endEncode()', ...FRAMES.http1Tail.slice(1, 12)] });
      agentExit(log, 'signal: aborted');
    },
  },
  {
    cause: 'envoy-crash', variant: 'panic-corrupted-enum-epoch', version: '1.x', env: 'k8s', start: '2024-06-25T04:44:12Z',
    subject: {},
    note: 'Higress 1.x: [Envoy (Epoch 0)] panic: corrupted enum then Caught Aborted; Epoch 0 exited with error: signal: aborted.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 5);
      const tid = log.mainTid;
      log.envoy('critical', 'assert', null, 'panic: corrupted enum', { tid });
      fatalSignal(log, { tid, signal: 'Aborted', addr: abortAddr(log), frames: ['raise', 'abort', 'Envoy::Upstream::ClusterManagerImpl::addOrUpdateCluster()', 'Envoy::Upstream::CdsApiHelper::onConfigUpdate()', 'Envoy::Upstream::CdsApiImpl::onConfigUpdate()', ...FRAMES.mainTail] });
      agentExit(log, 'signal: aborted');
    },
  },
  {
    cause: 'envoy-crash', variant: 'terminate-envoy-exception', version: '2.0', env: 'docker', start: '2025-03-04T20:08:35Z',
    subject: {},
    note: "std::terminate called! Uncaught EnvoyException '…', see trace. then the backtrace and a second Caught Aborted block.",
    build(log) {
      startupShort(log);
      const routes = site(log, 'internal');
      traffic(log, routes, 4);
      const tid = log.mainTid;
      log.envoy('critical', 'main', 'terminate', "std::terminate called! Uncaught EnvoyException 'Unable to parse JSON as proto (INVALID_ARGUMENT: invalid JSON in envoy.config.core.v3.Metadata @ filter_metadata: non-string value)', see trace.", { tid });
      log.envoy('critical', 'backtrace', 'btHeader', 'Backtrace (use tools/stack_decode.py to get line numbers):', { tid });
      log.envoy('critical', 'backtrace', 'btVersion', `Envoy version: ${log.sha}/${log.p.envoyVersion}/Clean/RELEASE/BoringSSL`, { tid });
      ['Envoy::TerminateHandler::logOnTerminate()::$_0::__invoke()', null, 'std::__terminate()', 'Envoy::MessageUtil::loadFromJson()', 'Envoy::Config::Metadata::metadataValue()', ...FRAMES.mainTail.slice(0, 6)].forEach((f, i) => {
        log.now += 1500;
        if (f) log.envoy('critical', 'backtrace', 'btSym', `#${i}: ${f} [0x55${log.r.hex(10)}]`, { tid });
        else log.envoy('critical', 'backtrace', 'btBare', `#${i}: [0x55${log.r.hex(10)}]`, { tid });
      });
      fatalSignal(log, { tid, signal: 'Aborted', addr: abortAddr(log), frames: ['raise', 'abort', 'std::__terminate()', 'Envoy::MessageUtil::loadFromJson()', ...FRAMES.mainTail.slice(0, 8)] });
      agentExit(log, 'signal: aborted');
    },
  },
  {
    cause: 'envoy-crash', variant: 'illegal-instruction-startup', version: '2.2', env: 'k8s', start: '2026-01-13T06:21:40Z',
    subject: {},
    note: 'image built for a newer CPU (or emulated arch): Caught Illegal instruction right after start → signal: illegal instruction (core dumped).',
    build(log) {
      agentStartup(log, { flags: true, ready: false });
      fatalSignal(log, { signal: 'Illegal instruction', addr: `0x55${log.r.hex(10)}`, frames: [null, null, 'Envoy::Server::InstanceBase::initialize()', 'Envoy::Server::InstanceBase::InstanceBase()', 'Envoy::MainCommonBase::MainCommonBase()', 'Envoy::MainCommon::MainCommon()', 'Envoy::MainCommon::main()', 'main', '__libc_start_call_main'] });
      agentExit(log, 'signal: illegal instruction (core dumped)');
    },
  },
  {
    cause: 'envoy-crash', variant: 'epoch-aborted-only', version: '1.x', env: 'docker', start: '2024-02-07T13:26:39Z', damage: ['expand-tabs'],
    subject: {},
    note: 'only the agent side survived in the paste: Epoch 0 exited with error: signal: aborted, No more active epochs; nothing points at a plugin or memory.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 7);
      log.wait(20000);
      agentExit(log, 'signal: aborted');
      log.wait(900);
      allInOneBanner(log, { checks: 1 });
    },
  },
  {
    cause: 'envoy-crash', variant: 'bus-error-crlf', version: '2.2', env: 'docker', start: '2026-02-20T15:48:11Z', tz: 8, damage: ['crlf'],
    subject: {},
    note: 'Caught Bus error (file-backed mapping truncated under Envoy) → signal: bus error (core dumped); CRLF line endings.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 6);
      fatalSignal(log, { signal: 'Bus error', addr: `0x7f${log.r.hex(10)}`, frames: ['Envoy::Stats::ThreadLocalStoreImpl::mergeHistograms()', 'Envoy::Server::InstanceBase::flushStatsInternal()', 'Envoy::Event::DispatcherImpl::runPostCallbacks()', 'event_process_active_single_queue', 'event_base_loop', 'Envoy::Server::InstanceBase::run()', 'Envoy::MainCommonBase::run()', 'main'] });
      agentExit(log, 'signal: bus error (core dumped)');
    },
  },
  {
    cause: 'envoy-crash', variant: 'terminate-possible-uncaught-1x', version: '1.x', env: 'k8s', start: '2024-11-05T09:13:52Z',
    subject: {},
    note: 'older Envoy terminate text std::terminate called! (possible uncaught exception, see trace) with no allocation frames → envoy-crash.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 5);
      const tid = log.mainTid;
      log.envoy('critical', 'main', null, 'std::terminate called! (possible uncaught exception, see trace)', { tid });
      fatalSignal(log, { tid, signal: 'Aborted', addr: abortAddr(log), frames: ['raise', 'abort', null, 'std::__terminate()', 'Envoy::Router::RdsRouteConfigSubscription::onConfigUpdate()', ...FRAMES.mainTail.slice(0, 10)] });
      agentExit(log, 'signal: aborted');
    },
  },

  // ----------------------------------------------------------------------------- oom
  {
    cause: 'oom', variant: 'oom-killed-all-in-one', version: '2.2', env: 'docker', start: '2026-04-04T03:22:08Z', tz: 8, lead: 'startup',
    subject: {},
    note: 'pilot-agent: Envoy may have been out of memory killed. Check memory usage and limits. immediately before Envoy exited with error: signal: killed.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 10, { aiLog: true, spanMs: 30000 });
      agentExit(log, 'signal: killed', { oomHint: true });
    },
  },
  {
    cause: 'oom', variant: 'oom-killed-epoch', version: '1.x', env: 'k8s', start: '2024-08-13T21:40:55Z', lead: 'startup',
    subject: {},
    note: 'Higress 1.x wording: OOM hint then Epoch 0 exited with error: signal: killed, No more active epochs, terminating.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 8, { spanMs: 20000 });
      agentExit(log, 'signal: killed', { oomHint: true });
    },
  },
  {
    cause: 'oom', variant: 'terminate-bad-alloc', version: '2.1', env: 'k8s', start: '2025-10-02T08:08:08Z',
    subject: {},
    note: "std::terminate called! Uncaught exception 'std::bad_alloc', see trace. → allocation failure; the Caught Aborted block is the knock-on.",
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 6, { aiLog: true });
      const tid = log.worker();
      log.envoy('critical', 'main', 'terminate', "std::terminate called! Uncaught exception 'std::bad_alloc', see trace.", { tid });
      log.envoy('critical', 'backtrace', 'btHeader', 'Backtrace (use tools/stack_decode.py to get line numbers):', { tid });
      log.envoy('critical', 'backtrace', 'btVersion', `Envoy version: ${log.sha}/${log.p.envoyVersion}/Clean/RELEASE/BoringSSL`, { tid });
      ['Envoy::TerminateHandler::logOnTerminate()::$_0::__invoke()', null, 'std::__terminate()', '__cxa_throw', 'operator new()', 'Envoy::Buffer::OwnedImpl::reserveForRead()', 'Envoy::Network::IoSocketHandleImpl::read()', 'Envoy::Network::RawBufferSocket::doRead()', 'Envoy::Network::ConnectionImpl::onReadReady()'].forEach((f, i) => {
        log.now += 1200;
        if (f) log.envoy('critical', 'backtrace', 'btSym', `#${i}: ${f} [0x55${log.r.hex(10)}]`, { tid });
        else log.envoy('critical', 'backtrace', 'btBare', `#${i}: [0x55${log.r.hex(10)}]`, { tid });
      });
      fatalSignal(log, { tid, signal: 'Aborted', addr: abortAddr(log), frames: ['raise', 'abort', 'std::__terminate()', '__cxa_throw', 'operator new()', 'Envoy::Buffer::OwnedImpl::reserveForRead()'] });
      agentExit(log, 'signal: aborted');
    },
  },
  {
    cause: 'oom', variant: 'panic-out-of-memory', version: '2.2', env: 'k8s', start: '2026-05-07T12:34:12Z',
    subject: {},
    note: 'tcmalloc hits the limit: [critical][assert] panic: out of memory, then Caught Aborted with handle_oom frames.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 6, { aiLog: true });
      const tid = log.worker();
      log.envoy('critical', 'assert', 'common/memory/stats.cc:180', 'panic: out of memory', { tid });
      fatalSignal(log, { tid, signal: 'Aborted', addr: abortAddr(log), frames: ['raise', 'abort', '(anonymous namespace)::handle_oom()', 'tcmalloc::allocate_full_cpp_throw_oom()', 'Envoy::Buffer::OwnedImpl::add()', 'Envoy::Http::Http1::ConnectionImpl::bufferBody()', ...FRAMES.asyncTail.slice(4, 10)] });
      agentExit(log, 'signal: aborted');
    },
  },
  {
    cause: 'oom', variant: 'v8-fatal-process-oom', version: '2.0', env: 'k8s', start: '2025-06-30T02:51:46Z',
    subject: {},
    note: 'raw V8 block # Fatal process out of memory: … (Wasm memory growth), then Caught Aborted and signal: aborted.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 5, { aiLog: true });
      log.raw('');
      log.raw('#');
      log.raw('# Fatal process out of memory: Grow WebAssembly memory');
      log.raw('#');
      log.raw('#FailureMessage Object: 0x7ffd' + log.r.hex(8));
      log.raw('==== C stack trace ===============================');
      log.raw('');
      v8Frames(log, 9, 0x55n);
      const tid = log.worker();
      fatalSignal(log, { tid, signal: 'Aborted', addr: abortAddr(log), frames: ['raise', 'abort', null, null, 'v8::internal::V8::FatalProcessOutOfMemory()', null, 'proxy_wasm::V8::getModuleFunctionImpl<>()::{lambda()#1}::operator()()', 'proxy_wasm::ContextBase::onRequestBody()'] });
      agentExit(log, 'signal: aborted');
    },
  },
  {
    cause: 'oom', variant: 'wamr-allocate-failed', version: '2.2', env: 'docker', start: '2026-06-09T04:17:30Z', wrapper: 'compose', composeName: 'gateway  ',
    subject: {},
    note: 'WAMR heap exhausted: raw [hh:mm:ss:ms - TID]: warning: allocate … bytes memory failed lines, then Wasm VM failed Failed to clone Base Wasm and OOM kill.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, routes, 5, { aiLog: true });
      // WAMR bh_log: uptime (mod 24 h), not wall clock; pthread id in hex
      const tidHex = ('7F' + log.r.hex(7) + '700').toUpperCase();
      let upMs = log.r.int(2, 20) * 3600_000 + log.r.int(0, 3599_999);
      const up = () => {
        upMs += log.r.int(1, 300);
        const h = Math.floor(upMs / 3600_000) % 24, m = Math.floor(upMs / 60_000) % 60, sec = Math.floor(upMs / 1000) % 60, ms = upMs % 1000;
        return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}:${String(ms).padStart(3, '0')}`;
      };
      for (let i = 0; i < 3; i++) log.raw(`[${up()} - ${tidHex}]: warning: allocate ${[1048576, 2097152, 4194304][i]} bytes memory failed`);
      log.envoy('error', 'wasm', 'wasmFail', 'Wasm VM failed Failed to clone Base Wasm', { tid: log.worker() });
      traffic(log, routes, 2, { aiLog: true });
      agentExit(log, 'signal: killed', { oomHint: true });
    },
  },
  {
    cause: 'oom', variant: 'v8-enomem-check-failed', version: '2.1', env: 'k8s', start: '2025-11-11T03:44:23Z', wrapper: 'kubectl-timestamps',
    subject: {},
    note: 'V8 Wasm memory reservation failed: # Check failed: 12 == (*__errno_location ()). (ENOMEM on an arm64 node with 16 workers × plugins) → out of (virtual) memory; too-many-VMs is the close alternative.',
    build(log) {
      log.concurrency = 16;
      agentStartup(log, { flags: false, ready: false });
      log.wait(200);
      log.raw('');
      log.raw('#');
      log.raw('# Fatal error in , line 0');
      log.raw('# Check failed: 12 == (*__errno_location ()).');
      log.raw('#');
      log.raw('#');
      log.raw('#');
      log.raw('#FailureMessage Object: 0xffff' + log.r.hex(8));
      log.raw('==== C stack trace ===============================');
      log.raw('');
      v8Frames(log, 10, 0xaaaan);
      fatalSignal(log, { tid: log.worker(), signal: 'Aborted', addr: abortAddr(log), frames: ['raise', 'abort', null, null, null, null] });
      agentExit(log, 'signal: aborted');
    },
  },

  // ----------------------------------------------------------------------------- bad config
  {
    cause: 'bad-config', variant: 'proto-validation-l2', version: '2.1', env: 'k8s', start: '2025-08-12T03:01:44Z',
    subject: {},
    note: 'gRPC/delta config for Listener rejected: Error adding/updating listener(s) 0.0.0.0_443: Proto constraint validation failed (… domains … at least 1 item(s)): multi-line proto, thread= after the blank line.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 5);
      reject(log, TYPE.lds, 'Error adding/updating listener(s) 0.0.0.0_443: Proto constraint validation failed (HttpConnectionManagerValidationError.RouteConfig: embedded message failed validation | caused by RouteConfigurationValidationError.VirtualHosts[0]: embedded message failed validation | caused by field: "domains", reason: value must contain at least 1 item(s)): name: "0.0.0.0_443"\nvirtual_hosts {\n  name: "shop.demo.internal:443"\n  routes {\n    match {\n      prefix: "/"\n    }\n    route {\n      cluster: "outbound|80||shop-frontend.default.svc.cluster.local"\n    }\n  }\n}\n\n');
      traffic(log, routes, 4);
      log.wait(15000);
      reject(log, TYPE.lds, 'Error adding/updating listener(s) 0.0.0.0_443: Proto constraint validation failed (HttpConnectionManagerValidationError.RouteConfig: embedded message failed validation | caused by RouteConfigurationValidationError.VirtualHosts[0]: embedded message failed validation | caused by field: "domains", reason: value must contain at least 1 item(s)): name: "0.0.0.0_443"\nvirtual_hosts {\n  name: "shop.demo.internal:443"\n}\n\n');
    },
  },
  {
    cause: 'bad-config', variant: 'cluster-proto-validation-delta', version: '2.2', env: 'k8s', start: '2026-03-13T11:26:09Z',
    subject: {},
    note: 'delta config for Cluster rejected: Proto constraint validation failed (…port_value… must be inside range [0, 65535]) from a bad service port in a McpBridge registry.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 5);
      reject(log, TYPE.cds, 'Proto constraint validation failed (ClusterValidationError.LoadAssignment: embedded message failed validation | caused by ClusterLoadAssignmentValidationError.Endpoints[0]: embedded message failed validation | caused by LocalityLbEndpointsValidationError.LbEndpoints[0]: embedded message failed validation | caused by LbEndpointValidationError.Endpoint: embedded message failed validation | caused by EndpointValidationError.Address: embedded message failed validation | caused by AddressValidationError.SocketAddress: embedded message failed validation | caused by SocketAddressValidationError.PortValue: value must be less than or equal to 65535): name: "outbound|70000||legacy-erp.dns"\ntype: STRICT_DNS\nconnect_timeout {\n  seconds: 10\n}\nload_assignment {\n  cluster_name: "outbound|70000||legacy-erp.dns"\n  endpoints {\n    lb_endpoints {\n      endpoint {\n        address {\n          socket_address {\n            address: "erp.intra.example.com"\n            port_value: 70000\n          }\n        }\n      }\n    }\n  }\n}\n');
      traffic(log, routes, 5);
    },
  },
  {
    cause: 'bad-config', variant: 'duplicate-listener-1x', version: '1.x', env: 'k8s', start: '2024-04-30T06:33:27Z',
    subject: {},
    note: 'Higress 1.x SotW: gRPC config for Listener rejected: Error adding/updating listener(s) 0.0.0.0_443: duplicate listener 0.0.0.0_443 found (message ends with a newline → blank line).',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 6);
      reject(log, TYPE.lds, 'Error adding/updating listener(s) 0.0.0.0_443: duplicate listener 0.0.0.0_443 found\n');
      traffic(log, routes, 5);
      reject(log, TYPE.lds, 'Error adding/updating listener(s) 0.0.0.0_443: duplicate listener 0.0.0.0_443 found\n');
    },
  },
  {
    cause: 'bad-config', variant: 'two-listeners-unknown-filter', version: '2.2', env: 'docker', start: '2026-05-28T07:50:14Z', tz: 8, lead: 'startup',
    subject: {},
    note: "an EnvoyFilter names a filter this build lacks: two listeners in one rejection, one `<name>: <error>` line each (Didn't find a registered implementation …).",
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 5);
      const err = "Didn't find a registered implementation for 'envoy.filters.http.geoip' with type URL: 'type.googleapis.com/envoy.extensions.filters.http.geoip.v3.Geoip'";
      reject(log, TYPE.lds, `Error adding/updating listener(s) 0.0.0.0_8080: ${err}\n0.0.0.0_8443: ${err}\n`);
      traffic(log, routes, 5);
    },
  },
  {
    cause: 'bad-config', variant: 'readiness-rejected', version: '2.1', env: 'k8s', start: '2025-12-22T10:39:47Z',
    subject: {},
    note: 'new gateway pod never becomes ready: Listener rejected (proto validation) and pilot-agent reports config received from XDS server, but was rejected: … lds updates: 0 successful, 2 rejected.',
    build(log) {
      agentStartup(log, { flags: false, ready: false });
      log.wait(300);
      const body = 'Error adding/updating listener(s) 0.0.0.0_80: Proto constraint validation failed (HttpConnectionManagerValidationError.HttpFilters[3]: embedded message failed validation | caused by HttpFilterValidationError.Name: value length must be at least 1 characters): name: ""\ntyped_config {\n  [type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua] {\n    default_source_code {\n      inline_string: "function envoy_on_request(h) h:headers():add(\\"x-env\\", \\"prod\\") end"\n    }\n  }\n}\n\n';
      reject(log, TYPE.lds, body);
      for (let i = 1; i <= 3; i++) {
        log.wait(2000, 300);
        log.go('warn', null, `Envoy proxy is NOT ready: config received from XDS server, but was rejected: cds updates: 1 successful, 0 rejected; lds updates: 0 successful, ${i === 1 ? 1 : 2} rejected`);
        if (i === 2) reject(log, TYPE.lds, body);
      }
    },
  },
  {
    cause: 'bad-config', variant: 'proto-validation-docker-json', version: '2.0', env: 'docker', start: '2025-02-25T05:05:05Z', wrapper: 'docker-json',
    subject: {},
    note: 'SotW Listener rejection with a proto dump in the Docker json-file wrapper (one object per physical line, thread= on its own object).',
    build(log) {
      startupShort(log);
      const routes = site(log, 'shop');
      traffic(log, routes, 3);
      reject(log, TYPE.lds, 'Error adding/updating listener(s) 0.0.0.0_8443: Proto constraint validation failed (DownstreamTlsContextValidationError.CommonTlsContext: embedded message failed validation | caused by CommonTlsContextValidationError.TlsCertificateSdsSecretConfigs[0]: embedded message failed validation | caused by SdsSecretConfigValidationError.Name: value length must be at least 1 characters): common_tls_context {\n  tls_certificate_sds_secret_configs {\n    sds_config {\n      ads {\n      }\n    }\n  }\n}\n\n');
      traffic(log, routes, 3);
    },
  },

  // ----------------------------------------------------------------------------- port bind
  {
    cause: 'port-bind', variant: 'host-network-80-in-use', version: '2.2', env: 'docker', start: '2026-04-16T01:12:49Z', tz: 8,
    subject: { address: '0.0.0.0:80' },
    note: 'all-in-one with host networking while nginx holds port 80 → cannot bind \'0.0.0.0:80\': Address already in use, then the Listener rejection.',
    build(log) {
      allInOneBanner(log, { checks: 2 });
      agentStartup(log, { flags: false });
      log.wait(500);
      bindFailure(log, '0.0.0.0_80', '0.0.0.0:80', 'Address already in use');
      log.wait(30000);
      bindFailure(log, '0.0.0.0_80', '0.0.0.0:80', 'Address already in use');
    },
  },
  {
    cause: 'port-bind', variant: 'non-root-permission-denied', version: '2.1', env: 'k8s', start: '2025-07-07T07:07:31Z',
    subject: { address: '0.0.0.0:80' },
    note: 'gateway runs as non-root without NET_BIND_SERVICE → cannot bind \'0.0.0.0:80\': Permission denied; readiness stays red.',
    build(log) {
      agentStartup(log, { flags: false, ready: false });
      log.wait(400);
      bindFailure(log, '0.0.0.0_80', '0.0.0.0:80', 'Permission denied');
      log.wait(2000);
      log.go('warn', null, 'Envoy proxy is NOT ready: config received from XDS server, but was rejected: cds updates: 1 successful, 0 rejected; lds updates: 0 successful, 1 rejected');
    },
  },
  {
    cause: 'port-bind', variant: 'address-in-use-1x', version: '1.x', env: 'docker', start: '2024-05-14T12:22:36Z',
    subject: { address: '0.0.0.0:443' },
    note: 'Higress 1.x, host network: another proxy owns 443 → cannot bind \'0.0.0.0:443\': Address already in use (L3).',
    build(log) {
      startupShort(log);
      bindFailure(log, '0.0.0.0_443', '0.0.0.0:443', 'Address already in use');
      const routes = site(log, 'internal');
      traffic(log, routes, 4);
    },
  },
  {
    cause: 'port-bind', variant: 'two-gateways-8080', version: '2.0', env: 'docker', start: '2025-01-09T09:40:05Z',
    subject: { address: '0.0.0.0:8080' },
    note: 'second gateway container on the host network → cannot bind \'0.0.0.0:8080\': Address already in use.',
    build(log) {
      startupShort(log);
      bindFailure(log, '0.0.0.0_8080', '0.0.0.0:8080', 'Address already in use');
    },
  },
  {
    cause: 'port-bind', variant: 'permission-denied-443', version: '2.2', env: 'k8s', start: '2026-02-12T19:56:17Z', wrapper: 'cri',
    subject: { address: '0.0.0.0:443' },
    note: 'hostNetwork gateway as uid 1337 without the capability → cannot bind \'0.0.0.0:443\': Permission denied (delta wording).',
    build(log) {
      agentStartup(log, { flags: false, ready: false });
      bindFailure(log, '0.0.0.0_443', '0.0.0.0:443', 'Permission denied');
      log.wait(3000);
      log.go('warn', null, 'Envoy proxy is NOT ready: config received from XDS server, but was rejected: cds updates: 1 successful, 0 rejected; lds updates: 1 successful, 1 rejected');
    },
  },

  // ----------------------------------------------------------------------------- xds
  {
    cause: 'xds-disconnected', variant: 'pilot-down-refused', version: '2.2', env: 'docker', start: '2026-04-27T10:10:33Z',
    subject: {},
    note: 'all-in-one pilot process died: DeltaAggregatedResources gRPC config stream to xds-grpc closed since …s ago: 14, … 127.0.0.1:15012: connect: connection refused, repeated.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 5);
      xdsDown(log, 0, dial(log, '127.0.0.1:15012', 'connect: connection refused'));
      const t0 = log.now;
      traffic(log, routes, 3, { spanMs: 3000 });
      for (let i = 0; i < 4; i++) {
        log.wait(28000, 3000);
        xdsDown(log, Math.round((log.now - t0) / 1e6), dial(log, '127.0.0.1:15012', 'connect: connection refused'));
        traffic(log, routes, 1, { spanMs: 2000 });
      }
    },
  },
  {
    cause: 'xds-disconnected', variant: 'not-ready-no-config', version: '2.1', env: 'k8s', start: '2025-09-18T06:30:02Z', wrapper: 'kubectl-timestamps',
    subject: {},
    note: 'new pod cannot reach higress-controller: xdsproxy failed to connect to upstream …, Envoy proxy is NOT ready: config not received from XDS server (is Istiod running?): cds updates: 0 successful … repeatedly.',
    build(log) {
      agentStartup(log, { flags: false, ready: false });
      for (let i = 0; i < 6; i++) {
        log.wait(2000, 100);
        if (i % 2 === 0) log.go('error', 'xdsproxy', `failed to connect to upstream ${log.xdsAddr}: context deadline exceeded`);
        log.go('warn', null, `Envoy proxy is NOT ready: ${log.p.readyText}: cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected`);
      }
      xdsDown(log, 30, dial(log, '10.96.118.40:15012', 'i/o timeout'));
    },
  },
  {
    cause: 'xds-disconnected', variant: 'stream-closed-14-1x', version: '1.x', env: 'k8s', start: '2024-01-29T17:20:14Z',
    subject: {},
    note: 'Envoy 1.20 older wording StreamAggregatedResources gRPC config stream closed: 14, … connection refused plus Envoy proxy is NOT ready: config not received from Pilot (is Pilot running?).',
    build(log) {
      startupShort(log, { ready: false });
      for (let i = 0; i < 4; i++) {
        log.wait(2000, 500);
        xdsDown(log, 0, dial(log, '10.96.201.7:15012', 'connect: connection refused'));
        log.go('warn', null, `Envoy proxy is NOT ready: ${log.p.readyText}: cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected`);
      }
    },
  },
  {
    cause: 'xds-disconnected', variant: 'controller-dns', version: '2.2', env: 'k8s', start: '2026-05-21T08:47:55Z', wrapper: 'kubectl-prefix',
    subject: {},
    note: 'controller Service deleted: closed since …s ago: 14, … lookup higress-controller.higress-system.svc on 10.96.0.10:53: no such host.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 5);
      const t0 = log.now + 13_000_000;
      for (let i = 0; i < 3; i++) {
        log.wait(32000, 1000);
        const s = Math.round((log.now - t0) / 1e6) + 32;
        log.envoy('warning', 'config', 'grpcStream', `DeltaAggregatedResources gRPC config stream to xds-grpc closed since ${s}s ago: 14, connection error: desc = "transport: Error while dialing: dial tcp: lookup higress-controller.higress-system.svc on 10.96.0.10:53: no such host"`);
        traffic(log, routes, 2, { spanMs: 3000 });
      }
    },
  },
  {
    cause: 'xds-disconnected', variant: 'control-plane-x509', version: '2.0', env: 'k8s', start: '2025-04-15T13:13:13Z', lead: 'startup',
    subject: {},
    note: 'controller re-installed with a new root CA: closed since …: 14, connection error: … authentication handshake failed: x509: certificate signed by unknown authority (TLS on the xDS channel → xds-disconnected, not tls-certificate).',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      const t0 = log.now + 24_000_000;
      for (let i = 0; i < 3; i++) {
        log.wait(32000, 1000);
        const s = Math.round((log.now - t0) / 1e6) + 32;
        log.envoy('warning', 'config', 'grpcStream', `DeltaAggregatedResources gRPC config stream to xds-grpc closed since ${s}s ago: 14, connection error: desc = "transport: authentication handshake failed: x509: certificate signed by unknown authority (possibly because of \\"crypto/rsa: verification error\\" while trying to verify candidate authority certificate \\"cluster.local\\")"`);
        traffic(log, routes, 2, { spanMs: 3000 });
      }
    },
  },
  {
    cause: 'xds-disconnected', variant: 'pilot-never-ready', version: '2.1', env: 'docker', start: '2025-06-05T02:02:27Z',
    subject: {},
    note: 'all-in-one gateway waits for a pilot that never comes up: only a long run of Checking the readiness of Higress Pilot... (no agent lines at all).',
    build(log) {
      log.script('Mode=full').script('O11Y=off').script('USE_PLUGIN_SERVER=on');
      for (let i = 0; i < 45; i++) log.wait(1000, 50).script('Checking the readiness of Higress Pilot...');
    },
  },

  // ----------------------------------------------------------------------------- tls certificate
  {
    cause: 'tls-certificate', variant: 'upstream-verify-failed', version: '2.2', env: 'docker', start: '2026-04-24T06:20:54Z', tz: 8, lead: 'startup',
    subject: { cluster: 'outbound|443||api.partner.example.com.dns' },
    note: 'HTTPS backend with a private CA: access-log details upstream_reset_before_response_started{remote_connection_failure|TLS_error:…CERTIFICATE_VERIFY_FAILED…} on every request to one cluster.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 4);
      const s = { authority: 'portal.intra.example.com', route: 'partner-api', cluster: 'outbound|443||api.partner.example.com.dns', paths: ['/partner/v1/quote', '/partner/v1/order'], ua: 'axios/1.7.7' };
      const tfr = 'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end';
      access503(log, s, 7, () => ({ code: 503, flags: 'UF', upstreamHost: '203.0.113.77:443', tfr, details: `upstream_reset_before_response_started{remote_connection_failure|${tfr}}`, duration: log.r.int(8, 30), bytesOut: 190 }));
      traffic(log, routes, 3);
    },
  },
  {
    cause: 'tls-certificate', variant: 'mcp-plugin-upstream-verify', version: '2.1', env: 'k8s', start: '2025-10-27T02:20:54Z', lead: 'startup',
    subject: { plugin: 'mcp-server' },
    note: 'mcp-server plugin reports the upstream failure text … transport failure reason: TLS_error:…CERTIFICATE_VERIFY_FAILED… for an external HTTPS MCP server; the plugin is only the messenger.',
    build(log) {
      const routes = site(log, 'mcp');
      traffic(log, routes, 4);
      for (let i = 0; i < 3; i++) {
        log.envoy('error', 'wasm', 'wasmLog', `wasm log higress-system.mcp-server-mcp-weather: [mcp-server] [nil] [${log.r.uuid()}] call upstream tool failed with status 503: upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end`, { tid: log.worker() });
        traffic(log, routes, 2);
      }
    },
  },
  {
    cause: 'tls-certificate', variant: 'wrong-version-number', version: '2.0', env: 'k8s', start: '2025-05-13T08:55:17Z', lead: 'startup',
    subject: { cluster: 'outbound|8080||inventory.default.svc.cluster.local' },
    note: 'DestinationRule/annotation sends TLS to a plain-HTTP port → TLS_error:…WRONG_VERSION_NUMBER… with UF on one cluster.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      const s = { authority: 'api.demo.internal', route: 'inventory-api', cluster: 'outbound|8080||inventory.default.svc.cluster.local', paths: ['/api/v1/stock/88123', '/api/v1/stock'], ua: 'okhttp/4.12.0' };
      const tfr = 'TLS_error:|268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end';
      access503(log, s, 6, () => ({ code: 503, flags: 'UF', upstreamHost: `10.244.3.${log.r.int(10, 60)}:8080`, tfr, details: `upstream_reset_before_response_started{remote_connection_failure|${tfr}}`, duration: log.r.int(1, 4), bytesOut: 190 }));
    },
  },
  {
    cause: 'tls-certificate', variant: 'old-tls-error-format-1x', version: '1.x', env: 'k8s', start: '2024-07-18T23:05:44Z', lead: 'startup',
    subject: { cluster: 'outbound|443||pay.gateway.example.net.dns' },
    note: 'Envoy 1.20 old transport-failure format TLS_error:_268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED in the access log.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      const s = { authority: 'api.demo.internal', route: 'payment-proxy', cluster: 'outbound|443||pay.gateway.example.net.dns', paths: ['/pay/v3/transactions'], methods: ['POST'], ua: 'okhttp/4.12.0' };
      const tfr = 'TLS_error:_268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED';
      access503(log, s, 5, () => ({ code: 503, flags: 'UF', upstreamHost: '198.51.100.23:443', tfr, details: `upstream_reset_before_response_started{connection_failure,${tfr}}`, duration: log.r.int(20, 60), bytesOut: 190, method: 'POST' }));
      traffic(log, routes, 3);
    },
  },
  {
    cause: 'tls-certificate', variant: 'san-mismatch', version: '2.2', env: 'docker', start: '2026-06-11T01:00:19Z',
    subject: { cluster: 'outbound|443||llm-gw.partner.example.com.dns' },
    note: 'newer builds append :verify cert failed: verify SAN list to CERTIFICATE_VERIFY_FAILED; all AI requests to one cluster fail with UF.',
    build(log) {
      startupShort(log);
      const s = { authority: 'llm.corp.internal', route: 'ai-route-partner.internal', cluster: 'outbound|443||llm-gw.partner.example.com.dns', paths: ['/v1/chat/completions'], methods: ['POST'], ua: 'OpenAI/Python 1.54.4' };
      const tfr = 'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_verify_SAN_list:TLS_error_end';
      access503(log, s, 5, () => ({ code: 503, flags: 'UF', upstreamHost: '192.0.2.45:443', tfr, details: `upstream_reset_before_response_started{remote_connection_failure|${tfr}}`, duration: log.r.int(30, 90), bytesOut: 190, method: 'POST' }));
    },
  },

  // ----------------------------------------------------------------------------- upstream
  {
    cause: 'upstream-unavailable', variant: 'no-healthy-upstream', version: '2.2', env: 'docker', start: '2026-04-30T13:31:08Z', lead: 'startup',
    subject: { cluster: 'outbound|8080||user-api.static' },
    note: 'backend behind a static service stopped: many 503 UH no_healthy_upstream to outbound|8080||user-api.static while the other route is fine.',
    build(log) {
      const routes = site(log, 'mcp');
      traffic(log, [routes[0]], 3);
      access503(log, routes[1], 9, () => ({ code: 503, flags: 'UH', upstreamHost: '-', details: 'no_healthy_upstream', duration: 0, bytesOut: 19 }));
      traffic(log, [routes[0]], 2);
    },
  },
  {
    cause: 'upstream-unavailable', variant: 'urx-uf-refused', version: '2.1', env: 'k8s', start: '2025-11-20T09:45:36Z', wrapper: 'cri', lead: 'startup',
    subject: { cluster: 'outbound|8080||order-service.default.svc.cluster.local' },
    note: 'order-service pods restarting: URX,UF with delayed_connect_error:_111 (connection refused) on one cluster.',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 4);
      access503(log, routes[1], 8, () => ({ code: 503, flags: 'URX,UF', upstreamHost: `10.244.2.${log.r.int(20, 40)}:8080`, tfr: 'delayed_connect_error:_111', details: 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}', duration: log.r.int(50, 160), bytesOut: 91 }));
      traffic(log, [routes[0]], 2);
    },
  },
  {
    cause: 'upstream-unavailable', variant: 'uf-connection-failure-1x', version: '1.x', env: 'k8s', start: '2024-03-05T04:18:27Z', lead: 'startup',
    subject: { cluster: 'outbound|9090||report-api.dns' },
    note: 'Higress 1.x (access log without ai_log): UF upstream_reset_before_response_started{connection_failure} to one DNS cluster.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, [routes[0]], 3);
      access503(log, routes[1], 7, () => ({ code: 503, flags: 'UF', upstreamHost: `172.20.8.${log.r.int(2, 9)}:9090`, details: 'upstream_reset_before_response_started{connection_failure}', duration: log.r.int(1000, 1010), bytesOut: 91 }));
    },
  },
  {
    cause: 'upstream-unavailable', variant: 'ai-provider-uh', version: '2.0', env: 'k8s', start: '2025-02-18T12:04:51Z', lead: 'startup',
    subject: { cluster: 'outbound|443||llm-deepseek.internal.dns' },
    note: 'AI route whose provider DNS service has no endpoints: POST /v1/chat/completions → 503 UH no_healthy_upstream.',
    build(log) {
      const routes = site(log, 'ai');
      traffic(log, [routes[0]], 3, { aiLog: true });
      access503(log, routes[1], 8, () => ({ code: 503, flags: 'UH', upstreamHost: '-', details: 'no_healthy_upstream', duration: 0, bytesOut: 19, method: 'POST', path: '/v1/chat/completions' }));
    },
  },
  {
    cause: 'upstream-unavailable', variant: 'resets-uc-ur', version: '2.2', env: 'k8s', start: '2026-02-27T16:37:22Z', lead: 'startup',
    subject: { cluster: 'outbound|8080||report-api.default.svc.cluster.local' },
    note: 'backend closing keep-alive connections: UC connection_termination and UR remote_reset on one cluster (503).',
    build(log) {
      const routes = site(log, 'shop');
      traffic(log, routes, 3);
      const s = { authority: 'api.demo.internal', route: 'report-api', cluster: 'outbound|8080||report-api.default.svc.cluster.local', paths: ['/api/v1/reports/weekly', '/api/v1/reports/export'], ua: 'okhttp/4.12.0' };
      access503(log, s, 8, (i) => (i % 3 === 2
        ? { code: 503, flags: 'UR', upstreamHost: '10.244.5.31:8080', details: 'upstream_reset_before_response_started{remote_reset}', duration: log.r.int(200, 900), bytesOut: 87 }
        : { code: 503, flags: 'UC', upstreamHost: '10.244.5.31:8080', details: 'upstream_reset_before_response_started{connection_termination}', duration: log.r.int(2, 40), bytesOut: 95 }));
    },
  },
  {
    cause: 'upstream-unavailable', variant: 'istio-text-uf-refused', version: 'istio', env: 'k8s', start: '2026-01-26T07:59:38Z', lead: 'startup',
    subject: { cluster: 'outbound|8080||checkout.shop.svc.cluster.local' },
    note: 'upstream istio TEXT access log: 503 UF upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused} for one cluster.',
    build(log) {
      log.xdsAddr = 'istiod.istio-system.svc:15012';
      const ok = { authority: 'shop.apps.example.com', route: 'default', cluster: 'outbound|8080||storefront.shop.svc.cluster.local', port: 8080, paths: ['/', '/cart'], ips: ['10.12.7.21'], ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' };
      traffic(log, [ok], 3);
      const s = { authority: 'shop.apps.example.com', route: 'default', cluster: 'outbound|8080||checkout.shop.svc.cluster.local', paths: ['/checkout'], methods: ['POST'], ua: ok.ua };
      access503(log, s, 7, () => ({ code: 503, flags: 'UF', upstreamHost: '10.12.6.14:8080', tfr: 'delayed_connect_error:_Connection_refused', details: 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}', duration: log.r.int(0, 2), bytesOut: 145, method: 'POST' }));
    },
  },

  // ----------------------------------------------------------------------------- healthy
  {
    cause: 'healthy', variant: 'all-in-one-startup', version: '2.2', env: 'docker', start: '2026-04-02T00:55:12Z', tz: 8,
    subject: {}, note: 'normal all-in-one start-up: script banner, three readiness checks, agent and Envoy start-up warnings, steady 200s.',
    build(log) {
      allInOneBanner(log, { checks: 3 });
      agentStartup(log, { flags: true });
      traffic(log, site(log, 'shop'), 10);
    },
  },
  {
    cause: 'healthy', variant: 'steady-404-401', version: '2.1', env: 'k8s', start: '2025-09-29T14:18:47Z',
    subject: {}, note: 'steady traffic with scanner 404 NR route_not_found and 401s from key-auth (client errors, not gateway faults).',
    build(log) {
      traffic(log, site(log, 'shop'), 30, { spanMs: 40000, codes: { notFound: 0.12, unauthorized: 0.1 } });
    },
  },
  {
    cause: 'healthy', variant: 'periodic-reconnect-13', version: '2.0', env: 'k8s', start: '2025-05-20T08:29:31Z',
    subject: {}, note: 'an isolated closed: 13 (periodic forced reconnect, ~30 min) followed by connected to delta upstream XDS server.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 12, { spanMs: 20000 });
      xdsReconnect13(log);
      traffic(log, routes, 10, { spanMs: 20000 });
    },
  },
  {
    cause: 'healthy', variant: 'startup-epoch', version: '1.x', env: 'k8s', start: '2024-02-14T02:14:22Z',
    subject: {}, note: 'Higress 1.x start-up (Epoch 0 starting, L3 warning about connection limits, readiness) and traffic.',
    build(log) {
      agentStartup(log, { flags: true });
      traffic(log, site(log, 'shop'), 8);
    },
  },
  {
    cause: 'healthy', variant: 'plugin-info-logs', version: '2.2', env: 'k8s', start: '2026-03-26T10:10:10Z',
    subject: {}, note: 'operator raised wasm to info: plugin start successfully / ai-statistics info lines, OCI fetching image lines that succeed.',
    build(log) {
      const routes = site(log, 'ai');
      fetchingImage(log, 'oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/ai-statistics:1.0.0');
      fetchingImage(log, 'oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/ai-proxy:1.0.0');
      log.wait(1500);
      log.envoy('info', 'wasm', 'wasmLog', 'wasm log: [ai-statistics] [nil] [nil] plugin start successfully');
      log.envoy('info', 'wasm', 'wasmLog', 'wasm log: [ai-proxy] [nil] [nil] plugin start successfully');
      for (let i = 0; i < 5; i++) {
        const rid = log.r.uuid();
        log.envoy('info', 'wasm', 'wasmLog', `wasm log higress-system.ai-proxy.internal: [ai-proxy] [nil] [${rid}] [onHttpRequestHeaders] provider=qwen`, { tid: log.worker() });
        traffic(log, routes, 1, { aiLog: true });
      }
    },
  },
  {
    cause: 'healthy', variant: 'graceful-termination', version: '2.1', env: 'k8s', start: '2025-12-04T18:00:06Z',
    subject: {}, note: 'rolling update: Agent draining Proxy for termination, Graceful termination period, Envoy aborted normally, Agent has successfully terminated.',
    build(log) {
      traffic(log, site(log, 'shop'), 8);
      log.go('info', null, 'Agent draining Proxy for termination');
      log.go('info', null, 'Graceful termination period is 5s, starting...');
      traffic(log, site(log, 'shop'), 3, { spanMs: 4000 });
      log.wait(5000);
      log.go('warn', null, 'Envoy aborted normally');
      log.go('info', null, 'Agent has successfully terminated');
    },
  },
  {
    cause: 'healthy', variant: 'istio-steady', version: 'istio', env: 'k8s', start: '2026-02-10T11:11:36Z', wrapper: 'kubectl-timestamps',
    subject: {}, note: 'upstream istio gateway, TEXT access log, one isolated closed: 13 reconnect.',
    build(log) {
      log.xdsAddr = 'istiod.istio-system.svc:15012';
      const routes = [{ authority: 'bookinfo.apps.example.com', route: 'default', cluster: 'outbound|9080||productpage.bookinfo.svc.cluster.local', port: 9080, paths: ['/productpage', '/static/bootstrap.min.css'], ips: ['10.12.3.44'], ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' }];
      traffic(log, routes, 8);
      xdsReconnect13(log);
      traffic(log, routes, 6);
    },
  },
  {
    cause: 'healthy', variant: 'k8s-startup-ready', version: '2.2', env: 'k8s', start: '2026-05-25T03:41:28Z',
    subject: {}, note: 'K8s start-up with FLAG dump, workload certificate, delta xDS connect, Readiness succeeded, Envoy proxy is ready.',
    build(log) {
      agentStartup(log, { flags: true });
      traffic(log, site(log, 'shop'), 6);
    },
  },
  {
    cause: 'healthy', variant: 'docker-json-startup-401', version: '2.0', env: 'docker', start: '2025-03-18T09:27:54Z', wrapper: 'docker-json',
    subject: {}, note: 'compose-mode gateway container start-up (SotW) and traffic with a few 401s from basic-auth.',
    build(log) {
      agentStartup(log, { flags: false });
      traffic(log, site(log, 'internal'), 12, { codes: { unauthorized: 0.15, authPlugin: 'basic-auth' } });
    },
  },
  {
    cause: 'healthy', variant: 'old-steady-13-404', version: '1.x', env: 'docker', start: '2024-09-03T05:33:48Z',
    subject: {}, note: 'Higress 1.x steady traffic with a few 404s and the old-format StreamAggregatedResources gRPC config stream closed: 13, line.',
    build(log) {
      const routes = site(log, 'internal');
      traffic(log, routes, 10, { codes: { notFound: 0.15 } });
      xdsReconnect13(log);
      traffic(log, routes, 6, { codes: { notFound: 0.1 } });
    },
  },
  {
    cause: 'healthy', variant: 'readiness-checks-then-up', version: '2.1', env: 'docker', start: '2025-08-08T08:08:41Z', wrapper: 'compose', composeName: 'gateway  ',
    subject: {}, note: 'pilot takes a few seconds: five Checking the readiness of Higress Pilot... lines, then a normal start and traffic.',
    build(log) {
      allInOneBanner(log, { checks: 5 });
      agentStartup(log, { flags: false });
      traffic(log, site(log, 'ai'), 6, { aiLog: true });
    },
  },
  {
    cause: 'healthy', variant: 'ai-traffic-ai-log', version: '2.2', env: 'docker', start: '2026-06-15T06:06:06Z', tz: 8,
    subject: {}, note: 'AI gateway traffic whose ai_log field is double-encoded JSON; backend 4xx/5xx answered via_upstream are not gateway faults.',
    build(log) {
      traffic(log, site(log, 'ai'), 16, { aiLog: true, codes: { backendError: 0.08 } });
    },
  },
  {
    cause: 'healthy', variant: 'no-timestamps-steady', version: '2.2', env: 'k8s', start: '2026-01-05T12:12:12Z', damage: ['strip-ts'],
    subject: {}, note: 'a pasted start-up whose timestamps were cut: Envoy warnings and agent info only.',
    build(log) {
      agentStartup(log, { flags: false });
      traffic(log, site(log, 'shop'), 6);
    },
  },
];
