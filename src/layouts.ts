// The line layouts as data that carry their own samples (docs/formats.md §2; lnav's format files are the model).
// Several readers recognise these layouts, each for its own job: the parser (parse/layouts.ts parseHeader), the
// prefilter's byte checks (lines/prefilter.ts classifyFast), the context lane's header reading
// (lines/context-lane.ts sniffHeader), the WebAssembly line index (lines/line-index.wat, successful access
// lines), the collector-time reading (kubectlTimeEnd) and the TEXT access record reading (isTextAccessRecord).
// The fast readers must never disagree with the parser where they decide anything; test/layouts.test.ts runs
// every sample below through every reader, as it is and behind each collector's wrapper, and checks that.
import type { LayoutId, Level } from './model.js';

export interface LayoutSample {
  /** The line as the gateway writes it. */
  readonly line: string;
  /** What the parser reads: the level (null: none) and the logger (undefined: not checked). */
  readonly level: Level | null;
  readonly logger?: string | null;
  /** The prefilter skips it (a harmless header: below warning, no low-level literal; a successful request). */
  readonly skipped?: boolean;
}

export interface LayoutEntry {
  /** The header's shape, as docs/formats.md writes it. */
  readonly shape: string;
  /** Where the severity is, in words. */
  readonly severity: string;
  readonly samples: readonly LayoutSample[];
}

const ENVOY_SRC = '[external/envoy/source/extensions/common/wasm/context.cc:1519]';

/** Every layout but `unknown`, with samples of the lines that matter and of the ones the fast path skips. */
export const LAYOUT_TABLE: Readonly<Record<Exclude<LayoutId, 'unknown'>, LayoutEntry>> = {
  envoy: {
    shape: '[YYYY-MM-DD HH:MM:SS.mmm][tid][level][logger] [path:line] message',
    severity: 'third bracket',
    samples: [
      { line: `[2026-05-20 08:15:44.031][61][warning][wasm] ${ENVOY_SRC} wasm log higress-system.key-auth-1.0.0: [key-auth] [nil] [nil] no consumer matched`, level: 'warning', logger: 'wasm' },
      { line: '[2026-05-20 08:15:44.031][61][info][upstream] [source/common/upstream/cluster_manager_impl.cc:1] cm init: all clusters initialized', level: 'info', logger: 'upstream', skipped: true },
      // Envoy starting is a restart signal: a low-level pattern's literal keeps the line.
      { line: '[2026-05-20 08:15:44.031][61][info][main] [source/server/server.cc:959] starting main dispatch loop', level: 'info', logger: 'main' },
      { line: '[2026-05-20 08:15:44.031][61][critical][backtrace] [./source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0', level: 'critical', logger: 'backtrace' },
      { line: '[2026-05-20 08:15:44.031][61][error][config] [source/extensions/config_subscription/grpc/delta_subscription_state.cc:288] delta config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) 0.0.0.0_80: cannot bind', level: 'error', logger: 'config' },
      { line: '[2026-05-20 08:15:44.031][61][debug][http] [source/common/http/conn_manager_impl.cc:1] [C1][S2] request end stream', level: 'debug', logger: 'http', skipped: true },
    ],
  },
  'envoy-istio': {
    shape: 'YYYY-MM-DDTHH:MM:SS.ffffffZ<TAB>level<TAB>envoy logger path:line<TAB>message<TAB>thread=N',
    severity: 'second column',
    samples: [
      { line: '2026-05-20T08:15:42.517302Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193\tDeltaAggregatedResources gRPC config stream to xds-grpc closed: 14, connection refused\tthread=15', level: 'warning', logger: 'config' },
      { line: '2026-05-20T08:15:42.517302Z\tinfo\tenvoy upstream external/envoy/source/common/upstream/cluster_manager_impl.cc:1\tcm init: all clusters initialized\tthread=15', level: 'info', logger: 'upstream', skipped: true },
      { line: '2026-05-20T08:15:42.517302Z\tcritical\tenvoy backtrace external/envoy/source/server/backtrace.h:104\tCaught Segmentation fault, suspect faulting address 0x0\tthread=21', level: 'critical', logger: 'backtrace' },
    ],
  },
  'envoy-epoch': {
    shape: '[Envoy (Epoch N)] [YYYY-MM-DD HH:MM:SS.mmm][tid][level][logger] message',
    severity: 'third bracket after the epoch',
    samples: [
      { line: '[Envoy (Epoch 0)] [2021-02-08 06:09:37.011][24][warning][config] [external/envoy/source/common/config/grpc_stream.h:101] StreamAggregatedResources gRPC config stream closed: 14, no healthy upstream', level: 'warning', logger: 'config' },
      { line: '[Envoy (Epoch 0)] [2021-02-08 06:09:37.011][24][info][main] [external/envoy/source/server/server.cc:1] starting', level: 'info', logger: 'main', skipped: true },
    ],
  },
  'istio-go': {
    shape: 'YYYY-MM-DDTHH:MM:SS.ffffffZ<TAB>level<TAB>[scope<TAB>]message',
    severity: 'second column',
    samples: [
      { line: '2026-05-20T08:15:42.517302Z\terror\twasm\terror in applying failopen rbac config: cannot fetch Wasm module http://h:8002/plugins/key-auth/1.0.0/plugin.wasm: wasm module download request failed: status code 404', level: 'error', logger: 'wasm' },
      { line: '2026-05-20T08:17:40.752356Z\tinfo\tsds\tStarting SDS grpc server', level: 'info', logger: 'sds', skipped: true },
      { line: '2026-05-20T08:17:40.756304Z\tinfo\tPilot SAN: [istiod.higress-system.svc]', level: 'info', logger: null, skipped: true },
      // pilot-agent starting Envoy again: a restart signal, kept.
      { line: '2026-05-20T08:17:40.756304Z\tinfo\tStarting proxy agent', level: 'info', logger: null },
      { line: '2026-05-20T08:17:40.756304Z\twarn\txdsproxy\tdisconnected from XDS server', level: 'warning', logger: 'xdsproxy' },
      // A time without its zone (a tool's local time, or the `Z` cut off).
      { line: '2024-01-04T12:06:54.5114527\twarn\tca\tca request failed, starting attempt 3 in 420.340639ms', level: 'warning', logger: 'ca' },
      // A paste that lost every TAB: the level is glued to the time and the message.
      { line: '2026-06-08T11:19:42.225939ZerrorEnvoy exited with error: signal: killed', level: 'error', logger: null },
      { line: '2026-06-08T11:19:41.292719Zinfoads ADS: "1 terminated', level: 'info', logger: null },
    ],
  },
  'istio-json': {
    shape: '{"level":…,"time":…,"scope":…,"msg":…}',
    severity: 'the level key',
    samples: [
      { line: '{"level":"error","time":"2026-05-20T08:15:42.517302Z","scope":"wasm","msg":"error in applying failopen rbac config: cannot fetch Wasm module"}', level: 'error', logger: 'wasm' },
      { line: '{"level":"info","time":"2026-05-20T08:15:42.517302Z","scope":"sds","msg":"Starting SDS grpc server"}', level: 'info', logger: 'sds', skipped: true },
      // Envoy's own JSON application log (its keys, or as Envoy's documentation spells them), read the same way.
      { line: '{"source":"envoy","date":"2022-03-11T09:56:49.261+00:00","level":"error","component":"config","process":1,"thread":1,"message":"gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: Error adding/updating listener(s) l1: cannot bind"}', level: 'error', logger: 'config' },
      { line: '{"Timestamp":"2022-03-11T09:56:49.261","ThreadId":"1","SourceLine":"server.cc:436","Level":"info","Message":"initializing epoch 0"}', level: 'info', logger: null },
    ],
  },
  'access-json': {
    shape: '{"ai_log":…,"authority":…,…,"response_code":"503","response_flags":"UH",…}',
    severity: 'response code and flags (5xx or 0: error; flags: warning)',
    samples: [
      { line: '{"ai_log":"-","authority":"api.example.com","bytes_received":"0","bytes_sent":"19","downstream_local_address":"172.17.0.2:80","downstream_remote_address":"10.0.0.1:5000","duration":"3","istio_policy_status":"-","method":"GET","path":"/p","protocol":"HTTP/1.1","request_id":"r","requested_server_name":"-","response_code":"200","response_flags":"-","route_name":"r1","start_time":"2026-05-20T08:15:44.000Z","upstream_cluster":"outbound|80||svc","upstream_host":"10.0.3.18:8080"}', level: 'info', logger: 'access', skipped: true },
      { line: '{"ai_log":"-","authority":"api.example.com","bytes_received":"0","bytes_sent":"19","downstream_local_address":"172.17.0.2:80","downstream_remote_address":"10.0.0.1:5000","duration":"3","istio_policy_status":"-","method":"GET","path":"/p","protocol":"HTTP/1.1","request_id":"r","requested_server_name":"-","response_code":"503","response_flags":"UH","response_code_details":"no_healthy_upstream","route_name":"r1","start_time":"2026-05-20T08:15:44.000Z","upstream_cluster":"outbound|80||svc","upstream_host":"-"}', level: 'error', logger: 'access' },
      // The operator's own JSON format in camelCase.
      { line: '{"startTime":"2026-05-20T08:15:44.000Z","requestMethod":"GET","requestPath":"/p","protocol":"HTTP/1.1","responseCode":"200","responseFlags":"-","bytesSent":"19","duration":"3"}', level: 'info', logger: 'access' },
      { line: '{"responseCodeDetails":"upstream_reset_before_response_started{connection_failure}","requestPath":"/p","requestMethod":"GET","startTime":"2026-05-20T08:15:44.000Z","responseFlags":"UF,URX","responseCode":"503","upstreamCluster":"orders","duration":"55"}', level: 'error', logger: 'access' },
    ],
  },
  'access-text': {
    shape: '[YYYY-MM-DDTHH:MM:SS.mmmZ] "METHOD path PROTO" code flags details …',
    severity: 'response code and flags',
    samples: [
      { line: '[2026-05-20T08:15:44.000Z] "GET /api HTTP/1.1" 200 - via_upstream - "-" 0 12 3 2 "10.0.0.1" "curl/8.5.0" "9b2c" "api.example.com" "10.0.3.18:8080" outbound|8080||orders.default.svc.cluster.local 172.17.0.2:40000 172.17.0.2:443 10.0.0.1:5000 api.example.com orders-route', level: 'info', logger: 'access', skipped: true },
      { line: '[2026-05-20T08:15:44.000Z] "GET /api HTTP/1.1" 503 UF,URX upstream_reset_before_response_started{connection_failure} - "-" 0 12 3 2 "10.0.0.1" "curl/8.5.0" "9b2c" "api.example.com" "10.0.3.18:8080" outbound|8080||orders.default.svc.cluster.local 172.17.0.2:40000 172.17.0.2:443 10.0.0.1:5000 api.example.com orders-route', level: 'error', logger: 'access' },
    ],
  },
  supervisord: {
    shape: 'YYYY-MM-DD HH:MM:SS,mmm LEVL message',
    severity: 'the four-letter word',
    samples: [{ line: "2026-05-20 08:15:40,001 INFO spawned: 'envoy' with pid 55", level: 'info', logger: 'supervisord' }],
  },
  klog: {
    shape: 'Lmmdd hh:mm:ss.uuuuuu pid file:line] message',
    severity: 'the first letter',
    samples: [{ line: 'E0520 08:14:58.201337      57 reflector.go:166] failed to list *v1.Secret: connection refused', level: 'error' }],
  },
  spring: {
    shape: 'YYYY-MM-DD HH:MM:SS.mmm  LEVEL pid --- [thread] logger : message',
    severity: 'the level word',
    samples: [{ line: '2026-05-20 08:15:40.123 ERROR 1 --- [main] c.a.h.console.Application : failed to start', level: 'error' }],
  },
  script: {
    shape: 'the all-in-one start script: `Mode=full`, `Checking the readiness of …`',
    severity: 'none (info)',
    samples: [{ line: 'Checking the readiness of Higress Pilot...', level: 'info', logger: 'script' }],
  },
  raw: {
    shape: "output without a header: crash text, V8 fatal blocks, Go panics, WAMR lines, gdb frames, bare Wasm traps, what Envoy's main() prints when it cannot start",
    severity: 'what the text is',
    samples: [
      { line: 'proxy_on_vm_start failed: Uncaught RuntimeError: unreachable', level: 'error', logger: 'wasm' },
      { line: 'unable to bind domain socket with base_id=0, id=0, errno=98 (see --base-id option)', level: 'critical', logger: 'main' },
      { line: 'PARSE ERROR: Argument: --log-levl', level: 'critical', logger: 'main' },
    ],
  },
  syslog: {
    shape: 'dmesg `[ 12.345678] …`, `[Fri Jun  7 09:55:40 2019] …`, syslog `Jun  7 09:55:40 host prog[pid]: …`',
    severity: 'none in the header',
    samples: [
      { line: '[ 1234.567890] Out of memory: Killed process 4242 (envoy) total-vm:2048000kB, anon-rss:1900000kB', level: null, logger: 'kernel' },
      { line: 'Jun  7 09:55:40 node1 kernel: Memory cgroup out of memory: Killed process 4242 (envoy)', level: null, logger: 'kernel' },
    ],
  },
  kube: {
    shape: '`kubectl describe pod` fields, pod status YAML, `kubectl get pods` rows',
    severity: 'how the container ended (OOMKilled, an error exit code: error)',
    samples: [{ line: '      Reason:       OOMKilled', level: 'error', logger: 'kubernetes' }],
  },
  logfmt: {
    shape: 'time=… level=… msg="…" key=value',
    severity: 'the level key',
    samples: [{ line: 'time="2024-01-01T00:00:00Z" level=warning msg="unable to connect to the control plane"', level: 'warning' }],
  },
};
