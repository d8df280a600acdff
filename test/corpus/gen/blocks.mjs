// Reusable pieces of gateway logs: start-up, steady traffic, wasm fetch failures per Higress
// version, Wasm load failures, xDS rejections, crash blocks, agent exit lines. Message texts are
// the literals of docs/formats.md; the comments name the section they come from.

export const TYPE = {
  ecds: 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig',
  lds: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  cds: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  rds: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
};

// ---------------------------------------------------------------------------------------------
// sites: what steady traffic looks like for a scenario

export function site(log, kind = 'shop') {
  const r = log.r;
  const ip = () => `10.244.${r.int(1, 7)}.${r.int(2, 250)}`;
  const sites = {
    shop: [
      { authority: 'shop.demo.internal', route: 'shop-frontend', cluster: 'outbound|80||shop-frontend.default.svc.cluster.local', port: 80, paths: ['/', '/static/app.4f1c.js', '/static/site.css', '/cart', '/product/1182'], ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
      { authority: 'api.demo.internal', route: 'order-api', cluster: 'outbound|8080||order-service.default.svc.cluster.local', port: 8080, paths: ['/api/v1/orders', '/api/v1/orders/88123', '/api/v1/cart/items'], methods: ['GET', 'GET', 'POST'], ua: 'okhttp/4.12.0' },
      { authority: 'api.demo.internal', route: 'user-api', cluster: 'outbound|8080||user-service.default.svc.cluster.local', port: 8080, paths: ['/api/v1/users/me', '/api/v1/users/login'], methods: ['GET', 'POST'], ua: 'okhttp/4.12.0' },
    ],
    ai: [
      { authority: 'llm.corp.internal', route: 'ai-route-qwen.internal', cluster: 'outbound|443||llm-qwen.internal.dns', port: 443, paths: ['/v1/chat/completions'], methods: ['POST'], ua: 'OpenAI/Python 1.54.4' },
      { authority: 'llm.corp.internal', route: 'ai-route-deepseek.internal', cluster: 'outbound|443||llm-deepseek.internal.dns', port: 443, paths: ['/v1/chat/completions', '/v1/models'], methods: ['POST', 'GET'], ua: 'OpenAI/Python 1.54.4' },
    ],
    mcp: [
      { authority: '192.168.10.31:8080', route: 'mcp-route-amap', cluster: 'outbound|80||amap-mcp.static', port: 80, paths: ['/mcp/amap/sse', '/mcp/amap/message?sessionId=5b1f0c7e'], methods: ['GET', 'POST'], ua: 'python-httpx/0.28.1' },
      { authority: '192.168.10.31:8080', route: 'user-api', cluster: 'outbound|8080||user-api.static', port: 8080, paths: ['/user/profile', '/user/list?page=2'], methods: ['GET'], ua: 'Apache-HttpClient/4.5.14 (Java/17.0.12)' },
    ],
    internal: [
      { authority: 'portal.intra.example.com', route: 'portal', cluster: 'outbound|80||portal-web.static', port: 80, paths: ['/', '/login', '/assets/main.js', '/api/notice'], ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15' },
      { authority: 'portal.intra.example.com', route: 'report-api', cluster: 'outbound|9090||report-api.dns', port: 9090, paths: ['/api/report/daily', '/api/report/export'], methods: ['GET', 'POST'], ua: 'axios/1.7.7' },
    ],
  };
  let list = sites[kind];
  if (log.env === 'docker') {
    // all-in-one / compose: no Kubernetes services; backends come from McpBridge static/DNS registries
    list = list.map((s) => ({ ...s, cluster: s.cluster.replace(/\.default\.svc\.cluster\.local$/, '.static') }));
  }
  const routes = list.map((s) => ({ ...s, ips: log.env === 'docker' ? [`192.168.${r.int(10, 60)}.${r.int(2, 250)}`, `192.168.${r.int(10, 60)}.${r.int(2, 250)}`] : [ip(), ip()] }));
  log.routes = routes;
  return routes;
}

/** n access lines of normal traffic over roughly spanMs. */
export function traffic(log, routes, n, { spanMs = 8000, codes = {}, aiLog = false } = {}) {
  log.routes ??= routes;
  const r = log.r;
  for (let i = 0; i < n; i++) {
    log.wait(spanMs / Math.max(n, 1), spanMs / Math.max(n, 1));
    const s = r.pick(routes);
    const k = r.int(0, s.paths.length - 1);
    const method = s.methods?.[k] ?? 'GET';
    let code = 200;
    const roll = r.next();
    if (codes.notFound && roll < codes.notFound) {
      log.access({ authority: s.authority, path: r.pick(['/favicon.ico', '/wp-login.php', '/.env', '/robots.txt', '/api/v2/unknown']), method: 'GET', code: 404, flags: 'NR', details: 'route_not_found', cluster: '-', route: '-', ua: r.pick([s.ua, 'Mozilla/5.0 zgrab/0.x', 'python-requests/2.32.3']), duration: 0, bytesOut: 0 });
      continue;
    }
    if (codes.unauthorized && roll > 1 - codes.unauthorized) {
      const plugin = codes.authPlugin ?? 'key-auth';
      log.access({ authority: s.authority, path: s.paths[k], method, code: 401, details: `via_wasm::${codes.authFilter ?? `higress-system.${plugin}-1.0.0`}::${plugin}.unauthorized`, route: s.route, cluster: s.cluster, upstreamHost: '-', upstreamLocal: '-', svcTime: '-', duration: r.int(0, 2), bytesOut: r.int(60, 110), ua: s.ua });
      continue;
    }
    if (codes.backendError && roll > 0.5 && roll < 0.5 + codes.backendError) code = r.pick([500, 502, 422, 409]);
    const ip = r.pick(s.ips);
    const isAi = s.route.startsWith('ai-route');
    const aiLogValue = isAi && aiLog ? JSON.stringify({ model: r.pick(['qwen-max', 'deepseek-chat']), input_token: r.int(30, 900), output_token: r.int(20, 1200), llm_first_token_duration: r.int(200, 900), llm_service_duration: r.int(900, 9000), response_type: 'normal' }) : undefined;
    log.access({
      authority: s.authority,
      path: s.paths[k],
      method,
      code,
      route: s.route,
      cluster: s.cluster,
      upstreamIp: s.cluster.endsWith('.dns') || s.cluster.endsWith('.static') ? ip.replace(/^10\.244\./, '172.20.') : ip,
      upstreamPort: s.port,
      duration: isAi ? r.int(900, 9000) : r.int(1, 60),
      ua: s.ua,
      sni: s.authority.includes('llm') ? '-' : '-',
      aiLog: aiLogValue,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// start-up (docs/formats.md §1.1, §H, §G5)

export function allInOneBanner(log, { checks = 3, o11y = 'off', pluginServer = 'on' } = {}) {
  log.script('Mode=full').script(`O11Y=${o11y}`).script(`USE_PLUGIN_SERVER=${pluginServer}`);
  for (let i = 0; i < checks; i++) {
    log.wait(1000, 200).script('Checking the readiness of Higress Pilot...');
  }
}

export function agentStartup(log, { flags = true, certs = true, ready = log.env === 'k8s' } = {}) {
  const p = log.p;
  const r = log.r;
  log.wait(400, 200);
  if (flags) {
    const list = [
      ['concurrency', '0'],
      ['domain', log.env === 'docker' ? 'higress-system.svc.cluster.local' : 'higress-system.svc.cluster.local'],
      ['help', 'false'],
      ['log_as_json', 'false'],
      ['log_caller', ''],
      ['log_output_level', 'default:info'],
      ['log_stacktrace_level', 'default:none'],
      ['log_target', '[stdout]'],
      ['meshConfig', './etc/istio/config/mesh'],
      ['outlierLogPath', ''],
      ['profiling', 'true'],
      ['proxyComponentLogLevel', 'misc:error'],
      ['proxyLogLevel', 'warning'],
      ['serviceCluster', 'istio-proxy'],
      ['stsPort', '0'],
      ['templateFile', ''],
      ['tokenManagerPlugin', ''],
      ['vklog', '0'],
    ];
    const take = list.slice(0, r.int(6, list.length));
    for (const [k, v] of take) log.go('info', null, `FLAG: --${k}="${v}"`);
  }
  if (log.env === 'docker' || !certs) {
    log.go('info', null, 'Using existing certs');
  }
  if (p.epochs) log.go('info', null, 'Opening status port 15020');
  else log.go('info', null, 'Opening status port 15020');
  log.go('info', null, `CA Endpoint ${log.env === 'docker' ? '127.0.0.1:15012' : log.xdsAddr}, provider Citadel`);
  log.go('info', null, 'Workload SDS socket not found. Starting Istio SDS Server');
  log.go('info', 'sds', 'Starting SDS grpc server');
  if (log.env === 'docker') {
    log.go('info', 'cache', 'adding watcher for file certificate /etc/certs/cert-chain.pem');
    log.go('info', 'cache', 'read certificate from file', 'resource=default');
    log.go('info', 'cache', 'adding watcher for file certificate /etc/certs/root-cert.pem');
    log.go('info', 'cache', 'read certificate from file', 'resource=ROOTCA');
  }
  log.go('info', 'xdsproxy', `Initializing with upstream address "${log.xdsAddr}" and cluster "Kubernetes"`);
  log.go('info', null, `Pilot SAN: [${log.env === 'docker' ? '127.0.0.1' : log.xdsAddr.split(':')[0]}]`);
  log.go('info', null, 'Starting proxy agent');
  if (p.epochs) log.go('info', null, 'Epoch 0 starting');
  log.go('info', null, `Envoy command: [${p.envoyCommand(log.env === 'docker' ? log.concurrency : log.concurrency)}]`);
  log.wait(300, 300);
  envoyStartWarnings(log);
  log.wait(20, 30);
  log.xdsConn = 1;
  log.go('info', 'xdsproxy', `connected to ${log.delta ? 'delta ' : ''}upstream XDS server: ${log.xdsAddr}`, `id=${log.xdsConn}`);
  if (log.env === 'k8s' && !p.epochs) {
    log.go('info', 'cache', 'generated new workload certificate', `latency=${r.int(40, 400)}.${r.int(100000, 999999)}ms ttl=23h59m59.${r.int(100000000, 999999999)}s`);
    log.go('info', 'cache', 'Root cert has changed, start rotating root cert');
    log.go('info', 'cache', 'returned workload trust anchor from cache', `ttl=23h59m59.${r.int(100000000, 999999999)}s`);
  }
  if (!p.epochs && r.chance(0.6)) {
    log.go('info', 'ads', 'ADS: new connection for node:1');
    log.go('info', 'ads', 'ADS: new connection for node:2');
  }
  if (ready) {
    log.wait(900, 900);
    log.go('info', null, `Readiness succeeded in ${r.int(1, 3)}.${r.int(100000000, 999999999)}s`);
    log.go('info', null, 'Envoy proxy is ready');
  }
}

export function envoyStartWarnings(log) {
  if (log.p.deprecated && log.r.chance(0.5)) log.envoy('warning', 'main', 'serverDeprecated', log.p.deprecated);
  log.envoy('warning', 'main', 'serverLimit', log.p.noLimit);
}

/** The periodic forced reconnect (benign, §G3/§G5). */
export function xdsReconnect13(log) {
  const m = log.delta ? 'DeltaAggregatedResources' : 'StreamAggregatedResources';
  if (log.p.xdsClosedStyle === 'old') log.envoy('warning', 'config', 'grpcStream', `${m} gRPC config stream closed: 13, `);
  else log.envoy('warning', 'config', 'grpcStream', `${m} gRPC config stream to xds-grpc closed: 13, `);
  log.wait(40, 200);
  log.xdsConn += 1;
  log.go('info', 'xdsproxy', `connected to ${log.delta ? 'delta ' : ''}upstream XDS server: ${log.xdsAddr}`, `id=${log.xdsConn}`);
}

// ---------------------------------------------------------------------------------------------
// wasm fetch (docs/formats.md §A)

/** Build the per-module error text `cannot fetch Wasm module <url>: <cause>`. */
export function fetchErr(url, cause) {
  return `cannot fetch Wasm module ${url}: ${cause}`;
}

/** HTTP(S) download cause, worded per istio version. */
export function httpCause(log, lastError, attempts) {
  if (log.p.higress === '1.x') return `wasm module download failed, last error: ${lastError}`;
  return `wasm module download failed after ${attempts} attempts, last error: ${lastError}`;
}

/** OCI registry error cause, worded per istio version. */
export function ociCause(log, registryError) {
  if (log.p.higress === '1.x') return `could not fetch Wasm OCI image: could not fetch image: ${registryError}`;
  return `could not fetch Wasm OCI image: could not fetch manifest: ${registryError}`;
}

/** The "invalid format as an OCI image" nested multierror (hashicorp list). */
export function invalidOciFormat(log, reasons) {
  const head = log.p.higress === '1.x' ? 'could not fetch Wasm OCI image' : 'could not fetch Wasm binary';
  const list = reasons.length === 1 ? `1 error occurred:\n\t* ${reasons[0]}\n\n` : `${reasons.length} errors occurred:\n${reasons.map((x) => `\t* ${x}`).join('\n')}\n\n`;
  return `${head}: the given image is in invalid format as an OCI image: ${list}`;
}

/** OCI progress line (§A4). */
export function fetchingImage(log, ref) {
  (log.fetchRefs ??= []).push(ref);
  const m = ref.match(/^oci:\/\/([^/]+)\/(.+?)(?::([^:/]+))?$/);
  if (!m) return;
  log.go('info', 'wasm', `fetching image ${m[2]} from registry ${m[1]} with tag ${m[3] ?? 'latest'}`);
}

/**
 * Log one ECDS conversion failure the way this Higress version's pilot-agent does.
 * errors: array of full per-module error texts (`cannot fetch Wasm module …`).
 * rbac: for the upstream-istio profile, 'deny' or 'allow'.
 */
export function fetchFailure(log, errors, { rbac = 'deny' } = {}) {
  log.lastFetch = { errors, rbac, refs: log.fetchRefs ?? [] };
  log.fetchRefs = [];
  const w = log.p.fetchWrapper;
  if (w === 'none') {
    for (const e of errors) log.go('error', 'wasm', e);
  } else if (w === 'hashicorp') {
    const list = errors.length === 1 ? `1 error occurred:\n\t* ${errors[0]}\n\n` : `${errors.length} errors occurred:\n${errors.map((e) => `\t* ${e}`).join('\n')}\n\n`;
    log.go('error', 'wasm', `convert the wasm config: ${list}`);
  } else if (w === 'failopen') {
    const text = errors.length === 1 ? errors[0] : `${errors.length} errors occurred:\n${errors.map((e) => `\t* ${e}`).join('\n')}\n`;
    log.go('error', 'wasm', `error in applying failopen rbac config: ${text}`);
  } else if (w === 'istio126') {
    for (const e of errors) log.go('error', 'wasm', `error in converting the wasm config to local: ${e}. applying ${rbac} RBAC filter`);
  }
}

// ---------------------------------------------------------------------------------------------
// wasm load failures (§B) and the ECDS / listener rejection (§F1)

export function reject(log, typeUrl, body, { tid } = {}) {
  const sotw = !log.delta;
  const key = sotw ? 'sotwReject' : 'deltaReject';
  const word = sotw ? 'gRPC config' : 'delta config';
  log.envoy('warning', 'config', key, `${word} for ${typeUrl} rejected: ${body}`, { tid });
}

/**
 * A plugin that fails to load: VM-level messages (bare), WasmBase messages ("Wasm VM failed …"),
 * the fail-closed critical line, then the ECDS rejection.
 */
export function wasmLoadFailure(log, args) {
  log.lastLoad = args;
  wasmLoadFailureOnce(log, args);
}

function wasmLoadFailureOnce(log, { filter, vm = [], base = [], failClosed = true, via = 'ecds', listener = '0.0.0.0_80', preLogs = [] } = {}) {
  const tid = log.mainTid;
  for (const pl of preLogs) log.envoy(pl.level ?? 'warning', 'wasm', 'wasmLog', pl.msg, { tid });
  for (const m of vm) log.envoy('error', 'wasm', 'wasmVm', m, { tid });
  for (const m of base) log.envoy('error', 'wasm', 'wasmFail', `Wasm VM failed ${m}`, { tid });
  if (failClosed) log.envoy('critical', 'wasm', 'wasmFailClosed', 'Plugin configured to fail closed failed to load', { tid });
  if (via === 'ecds') reject(log, TYPE.ecds, `Unable to create Wasm HTTP filter ${filter}`, { tid });
  else if (via === 'lds') reject(log, TYPE.lds, `Error adding/updating listener(s) ${listener}: Unable to create Wasm HTTP filter ${filter}\n`, { tid });
}

// ---------------------------------------------------------------------------------------------
// crashes (§D)

/**
 * A fatal-signal block. frames: array of symbol strings, or null for an unsymbolised frame.
 * Frame #0 is always __restore_rt (the signal trampoline).
 */
export function fatalSignal(log, { signal = 'Segmentation fault', addr = '0x0', frames = [], tid, epoch = 0 } = {}) {
  const r = log.r;
  const t = tid ?? log.mainTid;
  const base = BigInt('0x55' + r.hex(2) + r.hex(2)) << 24n;
  const libc = BigInt('0x7f' + r.hex(4)) << 24n;
  const hex = (v) => '0x' + v.toString(16);
  log.envoy('critical', 'backtrace', 'btCaught', `Caught ${signal}, suspect faulting address ${addr}`, { tid: t, epoch });
  log.envoy('critical', 'backtrace', 'btHeader', 'Backtrace (use tools/stack_decode.py to get line numbers):', { tid: t, epoch });
  log.envoy('critical', 'backtrace', 'btVersion', `Envoy version: ${log.sha}/${log.p.envoyVersion}/Clean/RELEASE/BoringSSL`, { tid: t, epoch });
  const old = !/^1\.3[0-9]/.test(log.p.envoyVersion);
  const modernise = (f) => {
    if (!f || !old) return f;
    // symbol names of the older Envoy trees (1.20 / 1.27): InstanceImpl, ThreadImplPosix, http_parser
    return f
      .replace('Envoy::Server::InstanceBase::', 'Envoy::Server::InstanceImpl::')
      .replace('Envoy::Thread::PosixThreadFactory::createPthread()::$_0::__invoke()', 'Envoy::Thread::ThreadImplPosix::ThreadImplPosix()::{lambda()#1}::__invoke()')
      .replace('Envoy::Http::Http1::BalsaParser::MessageDone()', 'Envoy::Http::Http1::LegacyHttpParserImpl::Impl::Impl()::{lambda()#3}::__invoke()')
      .replace('http2::adapter::BalsaFrame::ProcessInput()', 'http_parser_execute')
      .replace('Envoy::Http::Http1::BalsaParser::execute()', 'Envoy::Http::Http1::LegacyHttpParserImpl::execute()');
  };
  const all = ['__restore_rt', ...frames.map(modernise)];
  all.forEach((f, i) => {
    log.now += r.int(800, 6000);
    const inLibc = f && /^(__restore_rt|raise|abort|__pthread_kill_implementation|start_thread|__clone3|gsignal)$/.test(f);
    const a = inLibc ? libc + BigInt(r.int(0x10000, 0x1fffff)) : base + BigInt(r.int(0x100000, 0x5ffffff));
    if (f) log.envoy('critical', 'backtrace', 'btSym', `#${i}: ${f} [${hex(a)}]`, { tid: t, epoch });
    else log.envoy('critical', 'backtrace', 'btBare', `#${i}: [${hex(a)}]`, { tid: t, epoch });
  });
}

/** D5: pilot-agent's view of Envoy's death. */
export function agentExit(log, err, { oomHint = false } = {}) {
  log.wait(5, 40);
  if (oomHint || err === 'signal: killed') log.go('warn', null, 'Envoy may have been out of memory killed. Check memory usage and limits.');
  if (log.p.epochs) {
    log.go('error', null, `Epoch 0 exited with error: ${err}`);
    log.go('info', null, 'No more active epochs, terminating');
  } else {
    log.go('error', null, `Envoy exited with error: ${err}`);
  }
}

/** SIGABRT "suspect faulting address" encodes uid<<32 | pid of the sender. */
export function abortAddr(log) {
  const uid = log.env === 'docker' ? 0 : 1337;
  return '0x' + ((BigInt(uid) << 32n) | BigInt(log.envoyPid)).toString(16);
}

// frames used in crash blocks ------------------------------------------------------------------

export const FRAMES = {
  http1Tail: [
    'Envoy::Http::FilterManager::decodeHeaders()',
    'Envoy::Http::ConnectionManagerImpl::ActiveStream::decodeHeaders()',
    'Envoy::Http::Http1::ServerConnectionImpl::onMessageCompleteBase()',
    'Envoy::Http::Http1::ConnectionImpl::onMessageComplete()',
    'Envoy::Http::Http1::BalsaParser::MessageDone()',
    'http2::adapter::BalsaFrame::ProcessInput()',
    'Envoy::Http::Http1::BalsaParser::execute()',
    'Envoy::Http::Http1::ConnectionImpl::dispatchSlice()',
    'Envoy::Http::Http1::ConnectionImpl::dispatch()',
    'Envoy::Http::ConnectionManagerImpl::onData()',
    'Envoy::Network::FilterManagerImpl::onContinueReading()',
    'Envoy::Network::ConnectionImpl::onReadReady()',
    'Envoy::Network::ConnectionImpl::onFileEvent()',
    'std::__1::__function::__func<>::operator()()',
    'Envoy::Event::FileEventImpl::assignEvents()::$_1::__invoke()',
    'event_process_active_single_queue',
    'event_base_loop',
    'Envoy::Server::WorkerImpl::threadRoutine()',
    'Envoy::Thread::PosixThreadFactory::createPthread()::$_0::__invoke()',
    'start_thread',
  ],
  http1TailOld: [
    'Envoy::Http::FilterManager::decodeHeaders()',
    'Envoy::Http::ConnectionManagerImpl::ActiveStream::decodeHeaders()',
    'Envoy::Http::Http1::ServerConnectionImpl::onMessageComplete()',
    'Envoy::Http::Http1::ConnectionImpl::onMessageCompleteImpl()',
    'Envoy::Http::Http1::ConnectionImpl::onMessageComplete()',
    'Envoy::Http::Http1::LegacyHttpParserImpl::Impl::Impl()::{lambda()#3}::__invoke()',
    'http_parser_execute',
    'Envoy::Http::Http1::ConnectionImpl::dispatchSlice()',
    'Envoy::Http::Http1::ConnectionImpl::dispatch()',
    'Envoy::Http::ConnectionManagerImpl::onData()',
    'Envoy::Network::FilterManagerImpl::onContinueReading()',
    'Envoy::Network::ConnectionImpl::onReadReady()',
    'Envoy::Network::ConnectionImpl::onFileEvent()',
    'Envoy::Event::FileEventImpl::assignEvents()::$_1::__invoke()',
    'event_process_active_single_queue',
    'event_base_loop',
    'Envoy::Server::WorkerImpl::threadRoutine()',
    'Envoy::Thread::ThreadImplPosix::ThreadImplPosix()::{lambda()#1}::__invoke()',
    'start_thread',
  ],
  asyncTail: [
    'Envoy::Http::AsyncStreamImpl::encodeData()',
    'Envoy::Router::UpstreamRequest::decodeData()',
    'Envoy::Router::UpstreamCodecFilter::CodecBridge::decodeData()',
    'Envoy::Http::Http1::ClientConnectionImpl::onBody()',
    'Envoy::Http::Http1::ConnectionImpl::dispatchSlice()',
    'Envoy::Http::Http1::ConnectionImpl::dispatch()',
    'Envoy::Http::CodecClient::onData()',
    'Envoy::Http::CodecClient::CodecReadFilter::onData()',
    'Envoy::Network::FilterManagerImpl::onContinueReading()',
    'Envoy::Network::ConnectionImpl::onReadReady()',
    'Envoy::Network::ConnectionImpl::onFileEvent()',
    'Envoy::Event::FileEventImpl::assignEvents()::$_1::__invoke()',
    'event_process_active_single_queue',
    'event_base_loop',
    'Envoy::Server::WorkerImpl::threadRoutine()',
    'Envoy::Thread::PosixThreadFactory::createPthread()::$_0::__invoke()',
    'start_thread',
  ],
  mainTail: [
    'Envoy::Config::GrpcMuxImpl::onDiscoveryResponse()',
    'Envoy::Config::GrpcStream<>::onReceiveMessage()',
    'Envoy::Grpc::AsyncStreamCallbacks<>::onReceiveMessageRaw()',
    'Envoy::Grpc::AsyncStreamImpl::onData()',
    'Envoy::Http::AsyncStreamImpl::encodeData()',
    'Envoy::Router::UpstreamRequest::decodeData()',
    'Envoy::Http::Http2::ConnectionImpl::onFrameReceived()',
    'nghttp2_session_on_data_received',
    'nghttp2_session_mem_recv',
    'Envoy::Http::Http2::ConnectionImpl::dispatch()',
    'Envoy::Http::CodecClient::onData()',
    'Envoy::Network::FilterManagerImpl::onContinueReading()',
    'Envoy::Network::ConnectionImpl::onReadReady()',
    'Envoy::Event::FileEventImpl::assignEvents()::$_1::__invoke()',
    'event_process_active_single_queue',
    'event_base_loop',
    'Envoy::Server::InstanceBase::run()',
    'Envoy::MainCommonBase::run()',
    'Envoy::MainCommon::main()',
    'main',
  ],
};
