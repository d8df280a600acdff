// Line builders for synthetic Higress gateway logs. Every layout and message text follows
// docs/formats.md; hostnames, addresses and ids are invented. Deterministic:
// all randomness comes from a seeded PRNG, so re-running the generators gives identical files.

// ---------------------------------------------------------------------------------------------
// randomness

export class Rng {
  constructor(seed) {
    // mulberry32 over a string hash, so a scenario name is enough as a seed
    let h = 1779033703 ^ String(seed).length;
    for (const ch of String(seed)) {
      h = Math.imul(h ^ ch.charCodeAt(0), 3432918353);
      h = (h << 13) | (h >>> 19);
    }
    this.s = h >>> 0;
  }
  next() {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(a, b) {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  pick(arr) {
    return arr[Math.floor(this.next() * arr.length)];
  }
  chance(p) {
    return this.next() < p;
  }
  hex(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(0, 15)];
    return s;
  }
  uuid() {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`;
  }
  addr(prefix) {
    return `${prefix}.${this.int(2, 250)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// time (all instants are microseconds since the epoch, UTC)

const p2 = (n) => String(n).padStart(2, '0');
const p3 = (n) => String(n).padStart(3, '0');
const p6 = (n) => String(n).padStart(6, '0');

function parts(us, offsetHours = 0) {
  const msTotal = Math.floor(us / 1000) + offsetHours * 3600_000;
  const d = new Date(msTotal);
  return {
    date: `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`,
    time: `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
    ms: p3(d.getUTCMilliseconds()),
    us: p6(((us % 1e6) + 1e6) % 1e6),
  };
}

export const ts = {
  /** Istio Go layout: UTC, microseconds, literal Z. */
  go: (us) => {
    const p = parts(us);
    return `${p.date}T${p.time}.${p.us}Z`;
  },
  /** Envoy default layout: container local time, milliseconds, no zone. */
  l1: (us, tz) => {
    const p = parts(us, tz);
    return `${p.date} ${p.time}.${p.ms}`;
  },
  /** Istio tab layout for Envoy: local time but a literal Z, microseconds. */
  l2: (us, tz) => {
    const p = parts(us, tz);
    const frac = p6(((us % 1e6) + 1e6) % 1e6);
    return `${p.date}T${p.time}.${frac}Z`;
  },
  /** %START_TIME% in the access log: UTC, milliseconds. */
  access: (us) => {
    const p = parts(us);
    return `${p.date}T${p.time}.${p.ms}Z`;
  },
  /** RFC3339Nano as written by docker/containerd/kubectl (trailing zeros trimmed). */
  nano: (us, extraNs) => {
    const p = parts(us);
    let frac = `${p.us}${String(extraNs).padStart(3, '0')}`.replace(/0+$/, '');
    return `${p.date}T${p.time}${frac ? '.' + frac : ''}Z`;
  },
  /** supervisord: local time, comma + milliseconds. */
  supervisord: (us, tz) => {
    const p = parts(us, tz);
    return `${p.date} ${p.time},${p.ms}`;
  },
};

export const utc = (iso) => Date.parse(iso) * 1000;

// ---------------------------------------------------------------------------------------------
// version profiles (docs/formats.md §0)

const E = 'external/envoy/source/';

const SRC_1_36 = {
  serverLimit: 'server/server.cc:1012',
  serverDeprecated: 'server/server.cc:916',
  wasmVm: 'extensions/common/wasm/wasm_vm.cc:41',
  wasmFail: 'extensions/common/wasm/wasm.cc:151',
  wasmFailClosed: 'extensions/common/wasm/wasm.cc:1198',
  wasmLog: 'extensions/common/wasm/context.cc:1519',
  sotwReject: 'extensions/config_subscription/grpc/grpc_subscription_impl.cc:138',
  deltaReject: 'extensions/config_subscription/grpc/delta_subscription_state.cc:296',
  initFetch: 'extensions/config_subscription/grpc/grpc_subscription_impl.cc:164',
  grpcStream: 'extensions/config_subscription/grpc/grpc_stream.h:193',
  listenerBind: 'common/listener_manager/listener_manager_impl.cc:1101',
  btCaught: 'server/backtrace.h:127',
  btHeader: 'server/backtrace.h:111',
  btVersion: 'server/backtrace.h:112',
  btSym: 'server/backtrace.h:118',
  btBare: 'server/backtrace.h:116',
  terminate: 'exe/terminate_handler.cc:31',
  mainServer: 'server/server.cc:1088',
  envoyBug: 'common/common/assert.cc:47',
};

const SRC_1_35 = {
  ...SRC_1_36,
  serverLimit: 'server/server.cc:1001',
  serverDeprecated: 'server/server.cc:905',
  wasmLog: 'extensions/common/wasm/context.cc:1492',
  deltaReject: 'extensions/config_subscription/grpc/delta_subscription_state.cc:281',
  grpcStream: 'extensions/config_subscription/grpc/grpc_stream.h:190',
  listenerBind: 'common/listener_manager/listener_manager_impl.cc:1089',
};

const SRC_1_27 = {
  serverLimit: 'server/server.cc:920',
  serverDeprecated: 'server/server.cc:827',
  wasmVm: 'extensions/common/wasm/wasm_vm.cc:41',
  wasmFail: 'extensions/common/wasm/wasm.cc:151',
  wasmFailClosed: 'extensions/common/wasm/wasm.cc:1187',
  wasmLog: 'extensions/common/wasm/context.cc:1505',
  sotwReject: 'extensions/config_subscription/grpc/grpc_subscription_impl.cc:128',
  deltaReject: 'extensions/config_subscription/grpc/new_delta_subscription_state.cc:269',
  initFetch: 'extensions/config_subscription/grpc/grpc_subscription_impl.cc:154',
  grpcStream: 'extensions/config_subscription/grpc/grpc_stream.h:152',
  listenerBind: 'extensions/listener_managers/listener_manager/listener_manager_impl.cc:1063',
  btCaught: 'server/backtrace.h:104',
  btHeader: 'server/backtrace.h:91',
  btVersion: 'server/backtrace.h:92',
  btSym: 'server/backtrace.h:96',
  btBare: 'server/backtrace.h:98',
  terminate: 'exe/terminate_handler.cc:25',
  mainServer: 'server/server.cc:986',
  envoyBug: 'common/common/assert.cc:44',
};

const NO_LIMIT_NEW = (monitor) =>
  `There is no configured limit to the number of allowed active downstream connections. Configure a limit in \`envoy.resource_monitors.${monitor}\` resource monitor.`;
const DEPRECATED_KEY = (monitor) =>
  `Usage of the deprecated runtime key overload.global_downstream_max_connections, consider switching to \`envoy.resource_monitors.${monitor}\` instead.This runtime key will be removed in future.`;

const L2_FORMAT = '%Y-%m-%dT%T.%fZ\t%l\tenvoy %n %g:%#\t%v\tthread=%t';

export const PROFILES = {
  '1.x': {
    higress: '1.x',
    layout: 'L3',
    envoyVersion: '1.20.3-dev',
    src: null,
    noLimit:
      'there is no configured limit to the number of allowed active connections. Set a limit via the runtime key overload.global_downstream_max_connections',
    deprecated: null,
    envoyCommand: (c) =>
      `-c etc/istio/proxy/envoy-rev0.json --restart-epoch 0 --drain-time-s 45 --drain-strategy immediate --parent-shutdown-time-s 60 --local-address-ip-version v4 --bootstrap-version 3 --file-flush-interval-msec 1000 --disable-hot-restart --log-format [Envoy (Epoch 0)] [%Y-%m-%d %T.%e][%t][%l][%n] %v -l warning --component-log-level misc:error --concurrency ${c}`,
    fetchWrapper: 'none',
    xdsClosedStyle: 'old',
    dialColon: false,
    readyText: 'config not received from Pilot (is Pilot running?)',
    epochs: true,
    aiLog: false,
  },
  '2.0': {
    higress: '2.0',
    layout: 'L2',
    envoyVersion: '1.27.7-dev',
    src: SRC_1_27,
    noLimit: NO_LIMIT_NEW('downstream_connections'),
    deprecated: DEPRECATED_KEY('downstream_connections'),
    envoyCommand: (c) =>
      `-c etc/istio/proxy/envoy-rev.json --drain-time-s 45 --drain-strategy immediate --local-address-ip-version v4 --file-flush-interval-msec 1000 --disable-hot-restart --allow-unknown-static-fields --log-format ${L2_FORMAT} -l warning --component-log-level misc:error --concurrency ${c}`,
    fetchWrapper: 'hashicorp',
    xdsClosedStyle: 'new',
    dialColon: false,
    readyText: 'config not received from XDS server (is Istiod running?)',
    epochs: false,
    aiLog: true,
  },
  '2.2': {
    higress: '2.2',
    layout: 'L1',
    envoyVersion: '1.36.4-dev',
    src: SRC_1_36,
    noLimit: NO_LIMIT_NEW('global_downstream_max_connections'),
    deprecated: DEPRECATED_KEY('global_downstream_max_connections'),
    envoyCommand: (c) =>
      `-c etc/istio/proxy/envoy-rev.json --drain-time-s 45 --drain-strategy immediate --local-address-ip-version v4 --file-flush-interval-msec 1000 --disable-hot-restart --allow-unknown-static-fields -l warning --component-log-level misc:error --skip-deprecated-logs --concurrency ${c}`,
    fetchWrapper: 'failopen',
    xdsClosedStyle: 'new',
    dialColon: true,
    readyText: 'config not received from XDS server (is Istiod running?)',
    epochs: false,
    aiLog: true,
  },
  istio: {
    higress: 'istio',
    layout: 'L2',
    envoyVersion: '1.35.6-dev',
    src: SRC_1_35,
    noLimit: NO_LIMIT_NEW('global_downstream_max_connections'),
    deprecated: DEPRECATED_KEY('global_downstream_max_connections'),
    envoyCommand: (c) =>
      `-c etc/istio/proxy/envoy-rev.json --drain-time-s 45 --drain-strategy immediate --local-address-ip-version v4 --file-flush-interval-msec 1000 --disable-hot-restart --allow-unknown-static-fields -l warning --component-log-level misc:error --skip-deprecated-logs --concurrency ${c}`,
    fetchWrapper: 'istio126',
    xdsClosedStyle: 'new',
    dialColon: true,
    readyText: 'config not received from XDS server (is Istiod running?)',
    epochs: false,
    aiLog: false,
    istioAccess: true,
  },
};
PROFILES['2.1'] = { ...PROFILES['2.0'], higress: '2.1', envoyVersion: '1.27.7-dev' };

// ---------------------------------------------------------------------------------------------
// the log under construction

/**
 * One gateway log: a list of records, each one write by one process (possibly several physical
 * lines). Rendering applies an optional collector wrapper and paste damage.
 */
export class GatewayLog {
  constructor({ seed, start, tz = 0, version = '2.2', env = 'k8s', layout, pod, concurrency, envoyPid, delta }) {
    this.r = new Rng(seed);
    this.now = utc(start) + this.r.int(0, 999_999);
    this.tz = tz;
    this.p = PROFILES[version];
    if (!this.p) throw new Error(`unknown version ${version}`);
    this.layout = layout ?? this.p.layout;
    this.src = this.p.src ?? SRC_1_27;
    this.env = env;
    this.records = [];
    this.concurrency = concurrency ?? (env === 'docker' ? this.r.pick([4, 8, 16]) : 2);
    this.envoyPid = envoyPid ?? (env === 'docker' ? this.r.int(180, 420) : this.r.int(14, 24));
    this.mainTid = this.envoyPid;
    this.workers = Array.from({ length: Math.min(this.concurrency, 6) }, (_, i) => this.mainTid + 8 + i * this.r.int(1, 2));
    this.delta = delta ?? (version === '2.2' || version === 'istio' || (env === 'k8s' && version !== '1.x'));
    this.pod = pod ?? `higress-gateway-${this.r.hex(9).replace(/[0-9]/g, (d) => 'bcdfghjklm'[d])}-${this.r.hex(5).replace(/[0-9]/g, (d) => 'npqrstvwxz'[d])}`;
    this.sha = this.r.hex(40);
    this.xdsAddr = env === 'docker' ? '127.0.0.1:15012' : version === 'istio' ? 'istiod.istio-system.svc:15012' : 'higress-controller.higress-system.svc:15012';
    this.xdsConn = this.r.int(1, 9);
  }

  get version() {
    return this.p.higress;
  }

  /** Advance the clock by ms (+ up to jitter ms). */
  wait(ms, jitter = 0) {
    this.now += Math.round((ms + (jitter ? this.r.next() * jitter : 0)) * 1000) + this.r.int(0, 999);
    return this;
  }

  tick() {
    this.now += this.r.int(3, 400);
    return this;
  }

  worker() {
    return this.r.pick(this.workers);
  }

  push(text, stream, kind, extra = {}) {
    this.records.push({ text, stream, kind, us: this.now, ...extra });
    return this;
  }

  // -- writers -------------------------------------------------------------------------------

  /** all-in-one start-script echo line (no timestamp). */
  script(text) {
    return this.push(text, 'stdout', 'script');
  }

  /** pilot-agent / Go line (L4). level: debug|info|warn|error|fatal. scope null = default scope. */
  go(level, scope, msg, labels) {
    this.tick();
    let text = `${ts.go(this.now)}\t${level}\t${scope ? scope + '\t' : ''}${msg}`;
    if (labels) text += `\t${labels}`;
    return this.push(text, 'stdout', 'go');
  }

  /** Envoy application log record in this log's layout. src is a key of the source map or a path. */
  envoy(level, logger, srcKey, msg, { tid, epoch = 0, stamp } = {}) {
    this.tick();
    const t = tid ?? this.mainTid;
    const at = stamp ?? this.now;
    const path = srcKey ? E + (this.src[srcKey] ?? srcKey) : null;
    let text;
    if (this.layout === 'L1') {
      text = `[${ts.l1(at, this.tz)}][${t}][${level}][${logger}] ${path ? `[${path}] ` : ''}${msg}`;
    } else if (this.layout === 'L2') {
      text = `${ts.l2(at, this.tz)}\t${level}\tenvoy ${logger} ${path ?? E + 'common/common/logger.cc:0'}\t${msg}\tthread=${t}`;
    } else if (this.layout === 'L3') {
      text = `[Envoy (Epoch ${epoch})] [${ts.l1(at, this.tz)}][${t}][${level}][${logger}] ${msg}`;
    } else if (this.layout === 'L1plain') {
      // plain Envoy build run by hand (no Bazel external repo prefix)
      text = `[${ts.l1(at, this.tz)}][${t}][${level}][${logger}] ${path ? `[${path.replace(E, 'source/')}] ` : ''}${msg}`;
    } else throw new Error(this.layout);
    return this.push(text, 'stderr', 'envoy', { tid: t });
  }

  /** Raw un-prefixed output (crash dumps, V8 fatal, WAMR). */
  raw(text, stream = 'stderr') {
    return this.push(text, stream, 'raw');
  }

  /** One access-log line (L5, or istio TEXT format for the upstream-istio profile). */
  access(o = {}) {
    this.tick();
    const r = this.r;
    const dur = o.duration ?? r.int(1, 40);
    const startUs = this.now - dur * 1000 - r.int(0, 900_000);
    const code = String(o.code ?? 200);
    const flags = o.flags ?? '-';
    const upstreamHost = o.upstreamHost ?? (o.cluster === '-' ? '-' : `${o.upstreamIp ?? '10.244.' + r.int(1, 6) + '.' + r.int(2, 250)}:${o.upstreamPort ?? 8080}`);
    const f = {
      ai_log: o.aiLog ?? '-',
      authority: o.authority ?? 'api.example.internal',
      bytes_received: String(o.bytesIn ?? (o.method === 'POST' ? r.int(80, 2400) : 0)),
      bytes_sent: String(o.bytesOut ?? r.int(90, 5200)),
      downstream_local_address: o.local ?? (this.env === 'docker' ? '172.17.0.2:8080' : `10.244.1.${(this.envoyPid % 200) + 17}:80`),
      downstream_remote_address: o.remote ?? (this.env === 'docker' ? `172.17.0.1:${r.int(32768, 60999)}` : `10.244.0.${r.int(1, 9)}:${r.int(32768, 60999)}`),
      duration: String(dur),
      istio_policy_status: '-',
      method: o.method ?? 'GET',
      path: o.path ?? '/',
      protocol: o.protocol ?? 'HTTP/1.1',
      request_id: o.requestId ?? r.uuid(),
      requested_server_name: o.sni ?? '-',
      response_code: code,
      response_flags: flags,
      route_name: o.route ?? '-',
      start_time: ts.access(startUs),
      trace_id: '-',
      upstream_cluster: o.cluster ?? '-',
      upstream_host: o.cluster === undefined || o.cluster === '-' ? (o.upstreamHost ?? '-') : upstreamHost,
      upstream_local_address: o.upstreamLocal ?? (o.cluster && o.cluster !== '-' && !['UH', 'UF', 'URX,UF', 'NR'].includes(flags) ? `${this.env === 'docker' ? '172.17.0.2' : `10.244.1.${(this.envoyPid % 200) + 17}`}:${r.int(33000, 60000)}` : '-'),
      upstream_service_time: o.svcTime ?? (code.startsWith('2') || o.details === 'via_upstream' ? String(Math.max(0, dur - r.int(0, 2))) : '-'),
      upstream_transport_failure_reason: o.tfr ?? '-',
      user_agent: o.ua ?? 'curl/8.5.0',
      x_forwarded_for: o.xff ?? (this.env === 'docker' ? '172.17.0.1' : `10.244.0.${r.int(1, 9)}`),
      response_code_details: o.details ?? 'via_upstream',
    };
    if (this.p.istioAccess) return this.push(istioTextAccess(f), 'stdout', 'access');
    const keys = Object.keys(f).filter((k) => (k === 'ai_log' ? this.p.aiLog || o.aiLog : true));
    const text = '{' + keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(f[k])}`).join(',') + '}';
    return this.push(text, 'stdout', 'access');
  }

  /** A blank physical line written by the same process as the previous record. */
  blank(stream = 'stdout') {
    return this.push('', stream, 'blank');
  }
}

function istioTextAccess(f) {
  // istio's default TEXT access-log format (meshConfig accessLogEncoding TEXT, no accessLogFormat)
  const details = f.response_code_details;
  return (
    `[${f.start_time}] "${f.method} ${f.path} ${f.protocol}" ${f.response_code} ${f.response_flags} ${details} - ` +
    `"${f.upstream_transport_failure_reason}" ${f.bytes_received} ${f.bytes_sent} ${f.duration} ${f.upstream_service_time} ` +
    `"${f.x_forwarded_for}" "${f.user_agent}" "${f.request_id}" "${f.authority}" "${f.upstream_host}" ${f.upstream_cluster} ` +
    `${f.upstream_local_address} ${f.downstream_local_address} ${f.downstream_remote_address} ${f.requested_server_name} ${f.route_name}`
  );
}

// ---------------------------------------------------------------------------------------------
// rendering: wrappers and paste damage

function expandTabs(line, width = 8) {
  let out = '';
  for (const ch of line) {
    if (ch === '\t') {
      const n = width - (out.length % width);
      out += ' '.repeat(n);
    } else out += ch;
  }
  return out;
}

const dockerEscape = (s) =>
  JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/** Physical lines of the log, each with its stream and the time its writer emitted it. */
export function physicalLines(log) {
  const out = [];
  for (const rec of log.records) {
    const parts = rec.text.split('\n');
    parts.forEach((t, i) => out.push({ text: t, stream: rec.stream, us: rec.us, kind: rec.kind, cont: i > 0 }));
  }
  return out;
}

/**
 * Render to text.
 * wrapper: null | 'docker-json' | 'kubectl-timestamps' | 'cri' | 'compose' | 'kubectl-prefix'
 * damage: array of 'expand-tabs' | 'tabs-4' | 'strip-ts' | 'crlf' | 'strip-envoy-ts'
 */
export function render(log, { wrapper = null, damage = [], composeName = "gateway  ", criMax = 16384, from = 0, to } = {}) {
  const r = new Rng(`render-${log.sha}`);
  let lines = physicalLines(log).slice(from, to);
  const out = [];
  let recvUs = 0;
  for (const l of lines) {
    let text = l.text;
    if (damage.includes('strip-ts') || damage.includes('strip-envoy-ts')) text = stripTimestamp(text, damage.includes('strip-envoy-ts'));
    if (damage.includes('expand-tabs')) text = expandTabs(text);
    if (damage.includes('tabs-4')) text = text.replace(/\t/g, '    ');
    // collectors stamp the moment they read the line: shortly after the write, never going back
    recvUs = Math.max(recvUs + (l.cont ? 2 : r.int(5, 60)), l.us + r.int(20, 900));
    const nano = ts.nano(recvUs, r.int(0, 999));
    switch (wrapper) {
      case null:
        out.push(text);
        break;
      case 'docker-json':
        out.push(`{"log":${dockerEscape(text + '\n')},"stream":"${l.stream}","time":"${nano}"}`);
        break;
      case 'kubectl-timestamps':
        out.push(`${nano} ${text}`);
        break;
      case 'cri': {
        if (Buffer.byteLength(text) > criMax) {
          let rest = text;
          while (Buffer.byteLength(rest) > criMax) {
            out.push(`${nano} ${l.stream} P ${rest.slice(0, criMax)}`);
            rest = rest.slice(criMax);
          }
          out.push(`${nano} ${l.stream} F ${rest}`);
        } else out.push(`${nano} ${l.stream} F ${text}`);
        break;
      }
      case 'compose':
        out.push(`${composeName}| ${text}`);
        break;
      case 'kubectl-prefix':
        out.push(`[pod/${log.pod}/higress-gateway] ${text}`);
        break;
      default:
        throw new Error(`wrapper ${wrapper}`);
    }
  }
  const eol = damage.includes('crlf') ? '\r\n' : '\n';
  return out.join(eol) + eol;
}

function stripTimestamp(text, envoyOnly) {
  // a paste that kept only "[level][logger] [file:line] msg" / "level\tscope\tmsg"
  let m = text.match(/^(?:\[Envoy \(Epoch \d+\)\] )?\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\]\[\d+\](\[.*)$/);
  if (m) return m[1];
  if (envoyOnly) {
    m = text.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\t((?:trace|debug|info|warning|error|critical)\tenvoy .*)$/);
    return m ? m[1] : text;
  }
  m = text.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\t(.*)$/);
  if (m) return m[1];
  return text;
}
