// Deterministic generator of realistic Higress gateway.log content (all-in-one / `kubectl logs` of the gateway):
// access-log lines (L5 JSON-shaped text, or Istio's default TEXT format), Envoy L1 lines (Higress 2.2+ layout),
// pilot-agent L4 lines, start-script echo lines, and rare planted faults of every kind.
// Every text comes from docs/formats.md (or, for the TEXT access format and the benign start-up lines,
// from Istio's docs / real Istio logs). Output is ASCII only, so string length == byte length.
//
// Two mixes: `healthy` (the default: a gateway that mostly serves requests, rare faults from small subject pools) and
// `busy` (a gateway in trouble, as an operator meets it: ~10× the warning and error share, faults from pools of
// 60 plugins, 10 plugin servers and 120 clusters, long multi-error lists, crash-looping restarts, and error lines
// no pattern explains, in hundreds of templates). `--wrap kubectl` prefixes every line with the RFC3339Nano
// timestamp and space of `kubectl logs --timestamps`; the content is that of the unwrapped file (the wrapper has its
// own PRNG and the fault schedule counts content bytes), so a wrapped file unwraps to a prefix of the plain one.
//
// CLI: node dist/bench/generate.js --size 100MB --seed 1 [--mix healthy|busy] [--access json|text]
//        [--wrap none|kubectl] --out bench/out/x.log

import { open } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

export type AccessFormat = 'json' | 'text';
export type Mix = 'healthy' | 'busy';
export type Wrap = 'none' | 'kubectl';

export interface GenerateOptions {
  readonly seed: number;
  /** Access-log layout: Higress' JSON-shaped default (L5) or Istio's default TEXT format. */
  readonly access?: AccessFormat;
  /** `healthy` (default) or `busy`: see the header of this file and MIXES. */
  readonly mix?: Mix;
  /** `kubectl`: every physical line prefixed as `kubectl logs --timestamps` prints it. Default `none`. */
  readonly wrap?: Wrap;
}

export interface GenerateResult {
  readonly lines: number;
  readonly bytes: number;
  /** Planted fault events per cause id (docs/contracts.md#cause-ids); a multi-line block counts once. See FAULT_KINDS. */
  readonly faults: Record<string, number>;
  /** Planted warning/error lines that no cause explains (busy mix only; each should land in an unexplained template). */
  readonly unexplained: number;
}

/**
 * How the two mixes differ. `faultEvery` divides every FAULT_KINDS distance; `access`/`envoy` are the shares of the
 * common one-line events (the rest are pilot-agent info lines); `failedAccess` is the share of access lines that are
 * gateway-side 5xx with flags (`upstream-unavailable`), `upstream5xx` of upstream-generated 500/502.
 */
export const MIXES: Readonly<Record<Mix, {
  readonly faultEvery: number;
  readonly access: number;
  readonly envoy: number;
  readonly failedAccess: number;
  readonly upstream5xx: number;
  /** Mean distance in MB between two unexplained error lines; 0 = none. */
  readonly unexplainedEveryMB: number;
  /** Largest number of bullets of a fetch multierror (at least 2). */
  readonly maxBullets: number;
  /** Largest number of crash/restart cycles of one crash or OOM planting (a crash loop). */
  readonly maxCycles: number;
}>> = {
  healthy: { faultEvery: 1, access: 0.85, envoy: 0.1, failedAccess: 0.012, upstream5xx: 0.003, unexplainedEveryMB: 0, maxBullets: 2, maxCycles: 1 },
  busy: { faultEvery: 10, access: 0.83, envoy: 0.115, failedAccess: 0.04, upstream5xx: 0.01, unexplainedEveryMB: 0.4, maxBullets: 40, maxCycles: 8 },
};

/**
 * What is planted, keyed by the cause id a correct diagnosis should give it. `everyMB` is the mean distance between
 * two plantings (jittered ×0.5–1.5; the first one falls in the first interval, so a 100 MB file has every kind).
 * One planting = one fault event, however many physical lines it has — except the fetch multierror, which counts
 * one fault per failing plugin (2 per block). Subjects come from small fixed pools.
 */
export const FAULT_KINDS: Readonly<Record<string, { everyMB: number; shape: string }>> = {
  'wasm-fetch-network': {
    everyMB: 20,
    shape:
      'pilot-agent `error in applying failopen rbac config: 2 errors occurred:` + two `\\t* cannot fetch Wasm module ' +
      'http://localhost:8002/…: … connection refused` bullets + one blank line; counts 2 (one per plugin); ' +
      'shares a ~10 MB slot with bad-address',
  },
  'wasm-fetch-bad-address': {
    everyMB: 20,
    shape: 'same multierror block, both bullets `… last error: wasm module download request failed: status code 404`; counts 2',
  },
  'wasm-fetch-auth': { everyMB: 40, shape: 'single line, OCI manifest `UNAUTHORIZED: authentication required`' },
  'wasm-fetch-tls': { everyMB: 60, shape: 'single line, OCI manifest `x509: certificate signed by unknown authority`' },
  'wasm-image-format': {
    everyMB: 60,
    shape: '`… invalid format as an OCI image: 2 errors occurred:` + 2 bullets + 2 blank lines',
  },
  'wasm-module-corrupt': { everyMB: 60, shape: 'single line, `module downloaded from … has checksum …, which does not match: …`' },
  'wasm-module-incompatible': {
    everyMB: 30,
    shape:
      'Envoy: `Failed to load Wasm module due to a missing import: …`, `Wasm VM failed Failed to initialize Wasm code`, ' +
      '`Plugin configured to fail closed failed to load`, then the ECDS `delta config … rejected: Unable to create Wasm HTTP filter …`',
  },
  'wasm-plugin-config': {
    everyMB: 30,
    shape:
      'Envoy: `wasm log: [p] [nil] [nil] parse rule config failed: …`, `… plugin start failed`, ' +
      '`Wasm VM failed Failed to configure base Wasm plugin`, then the ECDS rejection',
  },
  'wasm-plugin-crash': { everyMB: 30, shape: 'one Envoy line: V8 trap with in-VM backtrace, newlines escaped as `\\n`' },
  'envoy-crash': {
    everyMB: 50,
    shape:
      '`[critical][backtrace]` Caught Segmentation fault (1 in 3: `assert failure:` + Caught Aborted) + Backtrace + ' +
      'Envoy version + 20 frames, pilot-agent `Envoy exited with error: signal: …`, then a restart sequence',
  },
  oom: {
    everyMB: 40,
    shape: 'pilot-agent `Envoy may have been out of memory killed…` + `Envoy exited with error: signal: killed`, then a restart',
  },
  'bad-config': {
    everyMB: 25,
    shape: 'Envoy `delta config for …Listener rejected: … Proto constraint validation failed (…)` + proto text + 2 blank lines',
  },
  'port-bind': {
    everyMB: 60,
    shape: "Envoy `listener '0.0.0.0_80' failed to bind …: cannot bind …: Address already in use` + the LDS rejection + blank line",
  },
  'xds-disconnected': {
    everyMB: 30,
    shape: 'one Envoy line `DeltaAggregatedResources gRPC config stream to xds-grpc closed since Ns ago: 14, … connection refused`',
  },
  'tls-certificate': { everyMB: 60, shape: 'one access line 503 UF with `CERTIFICATE_VERIFY_FAILED` transport failure' },
  'upstream-unavailable': {
    everyMB: 0,
    shape: 'per access line (~1.2%): 503 UH / 503 UF / 503 URX,UF / 504 UT — each such line counts once',
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Small fast helpers (the generator must reach several hundred MB/s).

const PAD3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX4: readonly string[] = Array.from({ length: 65536 }, (_, i) => (HEX2[i >>> 8] as string) + HEX2[i & 255]);

/** Memoizes the `YYYY-MM-DDTHH:MM:SS` texts of the last two seconds asked for (access lines trail by up to 1 s). */
class SecondText {
  /** First millisecond of the second returned by the last `at`. */
  start = Number.NaN;
  iso = '';
  envoy = '';
  private other: { start: number; iso: string; envoy: string } = { start: Number.NaN, iso: '', envoy: '' };
  at(ms: number): this {
    if (ms >= this.start && ms < this.start + 1000) return this;
    const o = this.other;
    this.other = { start: this.start, iso: this.iso, envoy: this.envoy };
    if (ms >= o.start && ms < o.start + 1000) {
      this.start = o.start;
      this.iso = o.iso;
      this.envoy = o.envoy;
    } else {
      this.start = ms - (ms % 1000);
      const s = new Date(this.start).toISOString();
      this.iso = s.slice(0, 19);
      this.envoy = s.slice(0, 10) + ' ' + s.slice(11, 19);
    }
    return this;
  }
}

interface Service {
  readonly host: string;
  readonly route: string;
  readonly cluster: string;
  readonly paths: readonly string[];
  readonly upstreams: readonly string[];
  readonly ai: boolean;
  readonly tls: boolean;
  readonly weight: number;
}

const SERVICES: readonly Service[] = [
  {
    host: 'api.example.com',
    route: 'orders-route',
    cluster: 'outbound|8080||orders.default.svc.cluster.local',
    paths: ['/api/v1/orders', '/api/v1/orders/', '/api/v1/cart', '/api/v1/cart/items'],
    upstreams: ['10.0.3.17:8080', '10.0.3.18:8080', '10.0.3.21:8080'],
    ai: false,
    tls: true,
    weight: 34,
  },
  {
    host: 'shop.example.com',
    route: 'shop-frontend',
    cluster: 'outbound|80||frontend.shop.svc.cluster.local',
    paths: ['/', '/static/js/app.js', '/static/css/main.css', '/products/', '/images/p/'],
    upstreams: ['10.0.5.40:80', '10.0.5.41:80'],
    ai: false,
    tls: true,
    weight: 28,
  },
  {
    host: 'auth.example.com',
    route: 'auth-route',
    cluster: 'outbound|9000||auth.iam.svc.cluster.local',
    paths: ['/oauth/token', '/oauth/authorize', '/userinfo'],
    upstreams: ['10.0.7.12:9000'],
    ai: false,
    tls: true,
    weight: 12,
  },
  {
    host: 'llm.example.com',
    route: 'ai-route-openai.internal',
    cluster: 'outbound|443||llm-openai.internal.dns',
    paths: ['/v1/chat/completions', '/v1/models', '/v1/embeddings'],
    upstreams: ['104.18.7.192:443', '104.18.6.192:443'],
    ai: true,
    tls: true,
    weight: 9,
  },
  {
    host: 'llm.example.com',
    route: 'ai-route-qwen.internal',
    cluster: 'outbound|443||llm-qwen.internal.dns',
    paths: ['/v1/chat/completions'],
    upstreams: ['47.93.243.10:443'],
    ai: true,
    tls: true,
    weight: 5,
  },
  {
    host: 'legacy.example.com',
    route: 'legacy-route',
    cluster: 'outbound|8080||legacy-billing.static',
    paths: ['/billing/invoice', '/billing/status'],
    upstreams: ['192.168.40.8:8080'],
    ai: false,
    tls: false,
    weight: 12,
  },
];

/** Constant JSON pieces of a service's access lines, precomputed: fewer string joins per line. */
interface ServiceJson {
  readonly svc: Service;
  readonly dla: string;
  readonly sni: string;
  readonly authority: string;
  readonly local: string;
  readonly server: string;
  readonly route: string;
  readonly cluster: string;
}

const SERVICE_TABLE: readonly ServiceJson[] = SERVICES.flatMap((svc) => {
  const dla = svc.tls ? '172.17.0.2:443' : '172.17.0.2:80';
  const sni = svc.tls ? svc.host : '-';
  const j: ServiceJson = {
    svc,
    dla,
    sni,
    authority: '","authority":"' + svc.host + '","bytes_received":"',
    local: '","downstream_local_address":"' + dla + '","downstream_remote_address":"',
    server: '","requested_server_name":"' + sni + '","response_code":"',
    route: '","route_name":"' + svc.route + '","start_time":"',
    cluster: '","trace_id":"-","upstream_cluster":"' + svc.cluster + '","upstream_host":"',
  };
  return Array.from({ length: svc.weight }, () => j);
});

const USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'curl/8.5.0',
  'okhttp/4.12.0',
  'Go-http-client/1.1',
  'python-requests/2.31.0',
  'OpenAI/Python 1.30.1',
];

const USER_AGENT_JSON: readonly string[] = USER_AGENTS.map((ua) => '","user_agent":"' + ua + '","x_forwarded_for":"');

const AI_MODELS: readonly string[] = ['gpt-4o', 'gpt-4o-mini', 'qwen-max', 'qwen-turbo'];

/** Plugin names (the WasmPlugin CR is `<name>-1.0.0` in namespace higress-system, docs/formats.md §C0). */
const PLUGINS: readonly string[] = ['key-auth', 'ai-proxy', 'ai-statistics', 'request-block', 'cors', 'jwt-auth'];
const REGISTRY = 'higress-registry.cn-hangzhou.cr.aliyuncs.com';

// Subject pools of the busy mix: 60 plugins, 10 plugin servers and 120 clusters, so that faults fall into hundreds of
// distinct incidents. Names only (no digits), so every pool entry also gives a distinct unexplained template.
const TEAMS: readonly string[] = ['payments', 'search', 'billing', 'catalog', 'identity', 'ledger', 'media', 'notify', 'pricing', 'shipping'];
const PLUGIN_BASES: readonly string[] = ['key-auth', 'jwt-auth', 'ai-proxy', 'request-block', 'waf', 'transformer'];
const SERVICE_WORDS: readonly string[] = ['api', 'gateway', 'worker', 'frontend', 'backend', 'router', 'sync', 'export', 'import', 'admin', 'events', 'cache'];
/** 60 plugin names `<team>-<plugin>`. */
const BUSY_PLUGINS: readonly string[] = TEAMS.flatMap((t) => PLUGIN_BASES.map((b) => t + '-' + b));
/** 10 plugin servers, one per team. */
const BUSY_PLUGIN_HOSTS: readonly string[] = TEAMS.map((t) => 'plugin-server.' + t + '.svc.cluster.local:8002');
/** 120 services `<word>.<team>`: the clusters of failed requests and the subjects of unexplained lines. */
const BUSY_SERVICES: readonly string[] = TEAMS.flatMap((t) => SERVICE_WORDS.map((w) => w + '.' + t));
/**
 * Warning and error lines no catalog pattern explains (the bench sets the planted count next to the unexplained
 * templates analyze reports): each shape × each service of BUSY_SERVICES is one template.
 */
const UNEXPLAINED: readonly ((svc: string) => readonly [string, string, string])[] = [
  (svc) => ['error', 'lua', 'script log: quota lookup for ' + svc + ' answered without a balance field'],
  (svc) => ['warning', 'ext_proc', 'processor ' + svc + ' sent a header mutation for a removed header, ignored'],
  (svc) => ['error', 'golang', 'filter ' + svc + ' returned an unknown status, continuing with the next filter'],
  (svc) => ['warning', 'ratelimit', 'descriptor of ' + svc + ' has no matching rule in the limit table, request allowed'],
];
const ENVOY_SRC = 'external/envoy/source/';
const SRC_CONTEXT = ENVOY_SRC + 'extensions/common/wasm/context.cc:1519';
const SRC_DELTA = ENVOY_SRC + 'extensions/config_subscription/grpc/delta_subscription_state.cc:296';
const SRC_STREAM = ENVOY_SRC + 'extensions/config_subscription/grpc/grpc_stream.h:193';
const TYPE_ECDS = 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig';
const TYPE_LDS = 'type.googleapis.com/envoy.config.listener.v3.Listener';

const CRASH_FRAMES: readonly string[] = [
  'Envoy::Http::Http1::ClientConnectionImpl::onHeadersCompleteBase()',
  'Envoy::Http::Http1::ConnectionImpl::onHeadersCompleteImpl()',
  'Envoy::Http::Http1::ConnectionImpl::dispatchSlice()',
  'Envoy::Http::Http1::ConnectionImpl::dispatch()',
  'Envoy::Http::CodecClient::onData()',
  'Envoy::Http::CodecClient::CodecReadFilter::onData()',
  'Envoy::Network::FilterManagerImpl::onContinueReading()',
  'Envoy::Network::ConnectionImpl::onReadReady()',
  'Envoy::Network::ConnectionImpl::onFileEvent()',
  'std::__1::__function::__func<>::operator()()',
  'Envoy::Event::FileEventImpl::assignEvents()::$_1::__invoke()',
  'event_process_active_single_queue',
  'event_base_loop',
  'Envoy::Event::LibeventScheduler::run()',
  'Envoy::Event::DispatcherImpl::run()',
  'Envoy::Server::WorkerImpl::threadRoutine()',
  'Envoy::Thread::ThreadImplPosix::ThreadImplPosix()::{lambda()#1}::__invoke()',
  'start_thread',
];

// ---------------------------------------------------------------------------------------------------------------

interface Slot {
  readonly name: string;
  readonly every: number;
  next: number;
  readonly emit: () => string;
}

const MB = 1_000_000;

/**
 * The model of one gateway: a simulated clock, Envoy boots, traffic and planted faults. `next()` returns one event
 * (one physical line, or several joined with `\n`); `lastLines` says how many.
 */
class GatewayLog {
  private s: number;
  private readonly text: boolean;
  private readonly mix: (typeof MIXES)[Mix];
  private readonly busy: boolean;
  /** Plugin names faults pick from. */
  private readonly plugins: readonly string[];
  /** Output bytes so far (content + wrapper prefixes); `bytes` counts the content only, which the schedule uses. */
  outBytes = 0;
  unexplained = 0;
  private readonly wrap: boolean;
  /** The wrapper's own mulberry32 state, so wrapping does not change the content. */
  private ws = 0;
  private wrapNs = 0;
  private wrapAt = -1;
  private readonly wrapClock = new SecondText();
  /** Simulated wall clock, ms since epoch. */
  private t: number;
  bytes = 0;
  lastLines = 1;
  readonly faults: Record<string, number> = {};
  private readonly slots: Slot[] = [];
  private readonly queue: string[] = [];
  private readonly clock = new SecondText();
  private readonly accessClock = new SecondText();
  private readonly clients: readonly string[];
  private mainTid = 1;
  private workerTids: number[] = [];
  private xdsId = 1;
  private boots = 0;
  /** Smallest `next` of all slots: the per-event check is one comparison. */
  private due = 0;
  private us = 0;
  private usAt = -1;

  constructor(opts: GenerateOptions) {
    this.s = (opts.seed ^ 0x9e3779b9) >>> 0;
    this.text = opts.access === 'text';
    this.mix = MIXES[opts.mix ?? 'healthy'];
    this.busy = opts.mix === 'busy';
    this.plugins = this.busy ? BUSY_PLUGINS : PLUGINS;
    this.wrap = opts.wrap === 'kubectl';
    this.ws = (opts.seed ^ 0x85ebca6b) >>> 0;
    this.t = Date.UTC(2026, 4, 20, 8, 0, 0) + (this.u32() % 3_600_000);
    this.clients = Array.from({ length: 256 }, () => this.clientIp());
    for (const k of Object.keys(FAULT_KINDS)) this.faults[k] = 0;
    const slot = (name: string, everyMB: number, emit: () => string): void => {
      const every = Math.floor((everyMB * MB) / this.mix.faultEvery);
      this.slots.push({ name, every, next: Math.floor(every * (0.02 + 0.98 * this.r())), emit });
    };
    slot('wasm-fetch-multierror', 10, () => this.fetchMultiError());
    slot('wasm-fetch-auth', 40, () => this.fetchAuth());
    slot('wasm-fetch-tls', 60, () => this.fetchTls());
    slot('wasm-image-format', 60, () => this.imageFormat());
    slot('wasm-module-corrupt', 60, () => this.moduleCorrupt());
    slot('wasm-module-incompatible', 30, () => this.missingImport());
    slot('wasm-plugin-config', 30, () => this.pluginConfig());
    slot('wasm-plugin-crash', 30, () => this.pluginTrap());
    slot('envoy-crash', 50, () => this.envoyCrash());
    slot('oom', 40, () => this.oomKill());
    slot('bad-config', 25, () => this.protoRejection());
    slot('port-bind', 60, () => this.portBind());
    slot('xds-disconnected', 30, () => this.xdsRefused());
    slot('tls-certificate', 60, () => this.tlsAccess());
    slot('benign-reconnect', 8 * this.mix.faultEvery, () => this.periodicReconnect());
    slot('benign-config-push', 2 * this.mix.faultEvery, () => this.configPush());
    if (this.mix.unexplainedEveryMB > 0) slot('unexplained', this.mix.unexplainedEveryMB * this.mix.faultEvery, () => this.unexplainedLine());
    this.queue.push(this.boot());
  }

  // mulberry32
  private u32(): number {
    let a = (this.s = (this.s + 0x6d2b79f5) | 0);
    a = Math.imul(a ^ (a >>> 15), a | 1);
    a ^= a + Math.imul(a ^ (a >>> 7), a | 61);
    return (a ^ (a >>> 14)) >>> 0;
  }
  private r(): number {
    return this.u32() / 4294967296;
  }
  private ri(n: number): number {
    return (this.r() * n) | 0;
  }
  private pick<T>(a: readonly T[]): T {
    return a[(this.r() * a.length) | 0] as T;
  }

  next(): string {
    let ev = this.queue.shift();
    if (ev === undefined) {
      this.t += 1 + this.ri(7);
      if (this.bytes >= this.due) {
        for (const slot of this.slots) {
          if (this.bytes >= slot.next) {
            slot.next = this.bytes + Math.floor(slot.every * (0.5 + this.r()));
            ev = slot.emit();
            break;
          }
        }
        this.due = Math.min(...this.slots.map((s) => s.next));
      }
      if (ev === undefined) {
        // The common case: one physical line, no need to count newlines.
        const r = this.r();
        const m = this.mix;
        ev = r < m.access ? this.accessLine() : r < m.access + m.envoy ? this.pluginWarning() : this.fetchingImage(this.pick(this.plugins));
        this.lastLines = 1;
        this.bytes += ev.length + 1;
        if (this.wrap) ev = this.kubectlWrap(ev);
        this.outBytes += ev.length + 1;
        return ev;
      }
    }
    let lines = 1;
    for (let i = ev.indexOf('\n'); i !== -1; i = ev.indexOf('\n', i + 1)) lines++;
    this.lastLines = lines;
    this.bytes += ev.length + 1;
    if (this.wrap) ev = lines === 1 ? this.kubectlWrap(ev) : ev.split('\n').map((l) => this.kubectlWrap(l)).join('\n');
    this.outBytes += ev.length + 1;
    return ev;
  }

  /** mulberry32 of the wrapper (see `ws`). */
  private wu32(): number {
    let a = (this.ws = (this.ws + 0x6d2b79f5) | 0);
    a = Math.imul(a ^ (a >>> 15), a | 1);
    a ^= a + Math.imul(a ^ (a >>> 7), a | 61);
    return (a ^ (a >>> 14)) >>> 0;
  }

  /**
   * `kubectl logs --timestamps`: the kubelet's receive time as RFC3339 with nine fraction digits, `Z`, one space.
   * Time never goes back within the stream: nanoseconds rise within a millisecond of the simulated clock.
   */
  private kubectlWrap(line: string): string {
    const t = this.t;
    if (t === this.wrapAt) this.wrapNs = Math.min(999_999, this.wrapNs + 1 + (this.wu32() % 20_000));
    else this.wrapNs = this.wu32() % 500_000;
    this.wrapAt = t;
    const c = this.wrapClock.at(t);
    const ns = this.wrapNs;
    return c.iso + '.' + PAD3[t - c.start] + PAD3[(ns / 1000) | 0] + PAD3[ns % 1000] + 'Z ' + line;
  }

  // --- layouts --------------------------------------------------------------------------------------------------

  /** L1 `[%Y-%m-%d %T.%e][%t][%l][%n] [%g:%#] %v`, container local time (here: UTC). */
  private envoy(tid: number, level: string, logger: string, src: string, msg: string): string {
    const c = this.clock.at(this.t);
    return '[' + c.envoy + '.' + PAD3[this.t - c.start] + '][' + tid + '][' + level + '][' + logger + '] [' + src + '] ' + msg;
  }

  /** L4 `<UTC µs>Z\t<level>\t[<scope>\t]<msg>`. */
  private go(level: string, scope: string | null, msg: string): string {
    const c = this.clock.at(this.t);
    // Microseconds rise within a millisecond so one process' lines stay in order.
    this.us = this.t === this.usAt ? Math.min(999, this.us + 1 + this.ri(200)) : this.ri(800);
    this.usAt = this.t;
    const ts = c.iso + '.' + PAD3[this.t - c.start] + PAD3[this.us] + 'Z';
    return scope === null ? ts + '\t' + level + '\t' + msg : ts + '\t' + level + '\t' + scope + '\t' + msg;
  }

  private worker(): number {
    return this.workerTids[(this.r() * this.workerTids.length) | 0] as number;
  }

  // --- traffic ----------------------------------------------------------------------------------------------------

  private uuid(): string {
    const a = this.u32();
    const b = this.u32();
    const c = this.u32();
    const d = this.u32();
    // version 4, variant 10xx
    return (
      HEX4[a >>> 16]! + HEX4[a & 0xffff]! + '-' + HEX4[b >>> 16]! + '-' + HEX4[0x4000 | (b & 0x0fff)]! + '-' +
      HEX4[0x8000 | ((c >>> 16) & 0x3fff)]! + '-' + HEX4[c & 0xffff]! + HEX4[d >>> 16]! + HEX4[d & 0xffff]!
    );
  }

  private clientIp(): string {
    const v = this.u32();
    return this.r() < 0.5
      ? '172.17.' + ((v >>> 8) & 255) + '.' + (v & 255)
      : (((v >>> 24) % 200) + 20) + '.' + ((v >>> 16) & 255) + '.' + ((v >>> 8) & 255) + '.' + ((v & 253) + 1);
  }

  /**
   * One access line. `kind` forces a failure shape (used by planted faults); otherwise mostly 2xx, a few 3xx/4xx,
   * ~1.2% gateway-side 5xx with flags, ~0.3% upstream-generated 5xx (flags `-`).
   */
  private accessLine(kind?: 'tls'): string {
    const sj = SERVICE_TABLE[(this.r() * SERVICE_TABLE.length) | 0] as ServiceJson;
    const svc = sj.svc;
    const client = this.clients[this.u32() & 255] as string;
    const method = svc.ai ? 'POST' : this.r() < 0.82 ? 'GET' : 'POST';
    let path = svc.paths[(this.r() * svc.paths.length) | 0] as string;
    if (path.charCodeAt(path.length - 1) === 47 && path.length > 1) path += 100000 + this.ri(900000);
    const proto = this.r() < 0.7 ? 'HTTP/1.1' : 'HTTP/2';
    let upstream = svc.upstreams[(this.r() * svc.upstreams.length) | 0] as string;
    let ula = '10.0.1.5:' + (32768 + this.ri(28000));
    let code = '200';
    let flags = '-';
    let details = 'via_upstream';
    let tfr = '-';
    let dur = svc.ai ? 300 + this.ri(9000) : 1 + this.ri(120);
    let ust = String(dur > 1 ? dur - 1 : dur);
    let sent = svc.ai ? 400 + this.ri(6000) : 60 + this.ri(24000);
    let cluster: string | null = null;
    const r = kind === 'tls' ? 2 : this.r();
    if (kind === 'tls') {
      code = '503';
      flags = 'UF';
      tfr = 'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end';
      details = 'upstream_reset_before_response_started{remote_connection_failure|' + tfr + '}';
      ula = '-';
      ust = '-';
      sent = 91;
    } else if (r < this.mix.failedAccess) {
      const f = this.ri(4);
      if (f === 0) {
        code = '503';
        flags = 'UH';
        details = 'no_healthy_upstream';
        upstream = '-';
        ula = '-';
        ust = '-';
        sent = 19;
        dur = 0;
      } else if (f === 3) {
        code = '504';
        flags = 'UT';
        details = 'response_timeout';
        dur = 15000;
        ust = '-';
        sent = 24;
      } else {
        code = '503';
        flags = f === 1 ? 'UF' : 'URX,UF';
        tfr = 'delayed_connect_error:_111';
        details = 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}';
        ula = '-';
        ust = '-';
        sent = 145;
        dur = f === 1 ? 1 : 52;
      }
      this.count('upstream-unavailable');
      // The busy mix fails against hundreds of clusters: each is its own incident subject.
      if (this.busy) cluster = this.busyCluster();
    } else if (r < this.mix.failedAccess + this.mix.upstream5xx) {
      code = this.r() < 0.7 ? '500' : '502';
    } else if (r < this.mix.failedAccess + this.mix.upstream5xx + 0.035) {
      code = this.pick(['404', '404', '401', '403', '429', '400']);
      sent = 20 + this.ri(300);
    } else if (r < this.mix.failedAccess + this.mix.upstream5xx + 0.045) {
      code = this.r() < 0.5 ? '304' : '302';
      sent = 0;
    } else if (r < this.mix.failedAccess + this.mix.upstream5xx + 0.085 && !svc.ai) {
      code = '201';
    }
    const received = method === 'POST' ? 80 + this.ri(svc.ai ? 12000 : 3000) : 0;
    // The file access logger flushes once a second, so start_time trails the surrounding lines by up to ~1 s.
    const st = this.t - this.ri(900) - dur;
    const c = this.accessClock.at(st);
    const start = c.iso + '.' + PAD3[st - c.start] + 'Z';
    const uaIndex = (this.r() * USER_AGENTS.length) | 0;
    const rid = this.uuid();
    const remote = client + ':' + (1024 + this.ri(64000));
    if (this.text) {
      // Istio's default TEXT access log (docs "Default access log format"); empty values print as `-`.
      return (
        '[' + start + '] "' + method + ' ' + path + ' ' + proto + '" ' + code + ' ' + flags + ' ' + details + ' - "' +
        tfr + '" ' + received + ' ' + sent + ' ' + dur + ' ' + ust + ' "' + client + '" "' + USER_AGENTS[uaIndex] + '" "' +
        rid + '" "' + svc.host + '" "' + upstream + '" ' + (cluster ?? svc.cluster) + ' ' + ula + ' ' + sj.dla + ' ' + remote + ' ' +
        sj.sni + ' ' + svc.route
      );
    }
    let aiLog = '-';
    if (svc.ai && code === '200') {
      aiLog =
        '{\\"model\\":\\"' + (AI_MODELS[this.ri(AI_MODELS.length)] as string) + '\\",\\"input_token\\":' +
        (20 + this.ri(3000)) + ',\\"output_token\\":' + (5 + this.ri(1500)) + '}';
    }
    return (
      '{"ai_log":"' + aiLog + sj.authority + received + '","bytes_sent":"' + sent + sj.local + remote + '","duration":"' + dur +
      '","istio_policy_status":"-","method":"' + method + '","path":"' + path + '","protocol":"' + proto +
      '","request_id":"' + rid + sj.server + code + '","response_flags":"' + flags + sj.route + start +
      (cluster === null ? sj.cluster : '","trace_id":"-","upstream_cluster":"' + cluster + '","upstream_host":"') + upstream + '","upstream_local_address":"' + ula + '","upstream_service_time":"' + ust +
      '","upstream_transport_failure_reason":"' + tfr + USER_AGENT_JSON[uaIndex] + client +
      '","response_code_details":"' + details + '"}'
    );
  }

  /** A per-request plugin warning (level warning is shown by default): key-auth found no consumer (docs/formats.md §L3, §C1). */
  private pluginWarning(): string {
    const p = this.busy ? this.pick(this.plugins) : 'key-auth';
    return this.envoy(
      this.worker(),
      'warning',
      'wasm',
      SRC_CONTEXT,
      'wasm log higress-system.' + p + '-1.0.0: [' + p + '] [nil] [' + this.uuid() + '] no consumer matched',
    );
  }

  /** A busy-mix cluster: one of 120 services. */
  private busyCluster(): string {
    const s = this.pick(BUSY_SERVICES);
    return 'outbound|8080||' + s + '.svc.cluster.local';
  }

  /** A warning or error line of a shape no pattern explains, about one of 120 services (busy mix). */
  private unexplainedLine(): string {
    this.unexplained++;
    const [level, logger, msg] = this.pick(UNEXPLAINED)(this.pick(BUSY_SERVICES));
    return this.envoy(this.worker(), level, logger, ENVOY_SRC + 'extensions/filters/http/' + logger + '/filter.cc:' + (100 + this.ri(800)), msg);
  }

  private fetchingImage(plugin: string): string {
    return this.go('info', 'wasm', 'fetching image plugins/' + plugin + ' from registry ' + REGISTRY + ' with tag 1.0.0');
  }

  /** A config push: pilot-agent re-fetches the OCI plugins. */
  private configPush(): string {
    const n = 2 + this.ri(4);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      out.push(this.fetchingImage(PLUGINS[i] as string));
      this.t += this.ri(3);
    }
    return out.join('\n');
  }

  /** The benign forced reconnect (pilot's max connection age): `closed: 13, ` with an empty message. */
  private periodicReconnect(): string {
    const a = this.envoy(this.mainTid, 'warning', 'config', SRC_STREAM, 'DeltaAggregatedResources gRPC config stream to xds-grpc closed: 13, ');
    this.t += 1 + this.ri(5);
    const b = this.go('info', 'xdsproxy', 'connected to delta upstream XDS server: 127.0.0.1:15012\tid=' + ++this.xdsId);
    return a + '\n' + b;
  }

  // --- lifecycle ----------------------------------------------------------------------------------------------------

  /** All-in-one start: script echo lines, pilot-agent start-up, Envoy's start warnings, plugin fetches. */
  private boot(): string {
    this.boots++;
    this.mainTid = 20 + this.ri(60);
    this.workerTids = [this.mainTid + 7, this.mainTid + 8];
    this.xdsId = 1;
    const out: string[] = ['Mode=full', 'O11Y=off', 'USE_PLUGIN_SERVER=on'];
    const waits = this.boots === 1 ? 2 + this.ri(4) : 1;
    for (let i = 0; i < waits; i++) out.push('Checking the readiness of Higress Pilot...');
    this.t += 1000 * waits;
    const go = (level: string, scope: string | null, msg: string): void => {
      this.t += this.ri(4);
      out.push(this.go(level, scope, msg));
    };
    go('info', 'xdsproxy', 'Initializing with upstream address "127.0.0.1:15012" and cluster "Kubernetes"');
    go('info', 'sds', 'Starting SDS grpc server');
    go('info', null, 'starting Http service at 127.0.0.1:15004');
    go('info', null, 'Pilot SAN: [istiod.higress-system.svc]');
    go('info', null, 'Starting proxy agent');
    go(
      'info',
      null,
      'Envoy command: [-c etc/istio/proxy/envoy-rev.json --drain-time-s 45 --drain-strategy immediate ' +
        '--local-address-ip-version v4 --file-flush-interval-msec 1000 --disable-hot-restart ' +
        '--allow-unknown-static-fields -l warning --component-log-level misc:error --concurrency 2]',
    );
    this.t += 100 + this.ri(100);
    out.push(
      this.envoy(
        this.mainTid,
        'warning',
        'main',
        ENVOY_SRC + 'server/server.cc:959',
        'There is no configured limit to the number of allowed active downstream connections. Configure a limit in ' +
          '`envoy.resource_monitors.global_downstream_max_connections` resource monitor.',
      ),
    );
    go('info', 'xdsproxy', 'connected to delta upstream XDS server: 127.0.0.1:15012\tid=1');
    for (const p of PLUGINS) go('info', 'wasm', 'fetching image plugins/' + p + ' from registry ' + REGISTRY + ' with tag 1.0.0');
    return out.join('\n');
  }

  // --- planted faults ---------------------------------------------------------------------------------------------

  private count(cause: string): void {
    this.faults[cause] = (this.faults[cause] ?? 0) + 1;
  }

  /** `n` distinct plugins. */
  private somePlugins(n: number): string[] {
    const pool = this.plugins;
    if (n === 2) {
      const i = this.ri(pool.length);
      const j = (i + 1 + this.ri(pool.length - 1)) % pool.length;
      return [pool[i] as string, pool[j] as string];
    }
    const start = this.ri(pool.length);
    const step = 1 + this.ri(7);
    return Array.from({ length: n }, (_, k) => pool[(start + k * step) % pool.length] as string);
  }

  /** Where a plugin's HTTP URL points: the all-in-one's local plugin server, or (busy) its team's server. */
  private pluginUrl(p: string): string {
    if (!this.busy) return 'http://localhost:8002/plugins/' + p + '/1.0.0/plugin.wasm';
    return 'http://' + this.pluginHost(p) + '/plugins/' + p + '/1.0.0/plugin.wasm';
  }

  private pluginHost(p: string): string {
    return BUSY_PLUGIN_HOSTS[Math.max(0, TEAMS.indexOf(p.slice(0, p.indexOf('-'))))] as string;
  }

  /** A1 (Higress 2.2) with ≥2 errors: istio multierror, bullets, one blank line. */
  private fetchMultiError(): string {
    const network = this.r() < 0.5;
    const n = this.mix.maxBullets > 2 ? 2 + this.ri(this.mix.maxBullets - 1) : 2;
    // Each bullet is one plugin that cannot be fetched: it counts as one fault.
    for (let i = 0; i < n; i++) this.count(network ? 'wasm-fetch-network' : 'wasm-fetch-bad-address');
    const bullet = (p: string): string => {
      const url = this.pluginUrl(p);
      const dial = this.busy ? '10.96.' + (TEAMS.indexOf(p.slice(0, p.indexOf('-'))) + 10) + '.8:8002' : '127.0.0.1:8002';
      return network
        ? '\t* cannot fetch Wasm module ' + url + ': wasm module download failed after 5 attempts, last error: Get "' + url +
            '": dial tcp ' + dial + ': connect: connection refused'
        : '\t* cannot fetch Wasm module ' + url +
            ': wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404';
    };
    const plugins = this.somePlugins(n);
    return [this.go('error', 'wasm', 'error in applying failopen rbac config: ' + n + ' errors occurred:'), ...plugins.map(bullet), ''].join('\n');
  }

  private fetchOne(plugin: string, cause: string): string {
    return this.go('error', 'wasm', 'error in applying failopen rbac config: cannot fetch Wasm module oci://' + REGISTRY + '/plugins/' + plugin + ':1.0.0: ' + cause);
  }

  private fetchAuth(): string {
    this.count('wasm-fetch-auth');
    const p = this.pick(this.plugins);
    return this.fetchOne(
      p,
      'could not fetch Wasm OCI image: could not fetch manifest: GET https://' + REGISTRY + '/v2/plugins/' + p +
        '/manifests/1.0.0: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:plugins/' + p + ' Type:repository]]',
    );
  }

  private fetchTls(): string {
    this.count('wasm-fetch-tls');
    return this.fetchOne(
      this.pick(this.plugins),
      'could not fetch Wasm OCI image: could not fetch manifest: Get "https://' + REGISTRY +
        '/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    );
  }

  /** Nested hashicorp multierror inside the single-error wrapper: two bullets then two blank lines. */
  private imageFormat(): string {
    this.count('wasm-image-format');
    return [
      this.fetchOne(this.pick(this.plugins), 'could not fetch Wasm binary: the given image is in invalid format as an OCI image: 2 errors occurred:'),
      '\t* could not parse as compat variant: invalid media type application/vnd.module.wasm.content.layer.v1+wasm (expect application/vnd.oci.image.layer.v1.tar+gzip)',
      '\t* could not parse as oci variant: number of layers must be 2 but got 1',
      '',
      '',
    ].join('\n');
  }

  private hex64(): string {
    let s = '';
    for (let i = 0; i < 8; i++) {
      const v = this.u32();
      s += HEX2[v >>> 24]! + HEX2[(v >>> 16) & 255]! + HEX2[(v >>> 8) & 255]! + HEX2[v & 255]!;
    }
    return s;
  }

  private moduleCorrupt(): string {
    this.count('wasm-module-corrupt');
    const p = this.pick(this.plugins);
    const url = this.pluginUrl(p);
    return this.go(
      'error',
      'wasm',
      'error in applying failopen rbac config: cannot fetch Wasm module ' + url + ': module downloaded from ' + url +
        ' has checksum ' + this.hex64() + ', which does not match: ' + this.hex64(),
    );
  }

  private ecdsRejected(plugin: string): string {
    this.t += 1;
    return this.envoy(this.mainTid, 'warning', 'config', SRC_DELTA, 'delta config for ' + TYPE_ECDS + ' rejected: Unable to create Wasm HTTP filter higress-system.' + plugin + '-1.0.0');
  }

  private missingImport(): string {
    this.count('wasm-module-incompatible');
    const p = this.pick(this.plugins);
    const imp = this.pick(['wasi_snapshot_preview1.sock_accept', 'wasi_snapshot_preview1.fd_pread', 'wasi_snapshot_preview1.path_unlink_file']);
    const tid = this.mainTid;
    return [
      this.envoy(tid, 'error', 'wasm', ENVOY_SRC + 'extensions/common/wasm/wasm_vm.cc:41', 'Failed to load Wasm module due to a missing import: ' + imp),
      this.envoy(tid, 'error', 'wasm', ENVOY_SRC + 'extensions/common/wasm/wasm.cc:151', 'Wasm VM failed Failed to initialize Wasm code'),
      this.envoy(tid, 'critical', 'wasm', ENVOY_SRC + 'extensions/common/wasm/wasm.cc:1198', 'Plugin configured to fail closed failed to load'),
      this.ecdsRejected(p),
    ].join('\n');
  }

  private pluginConfig(): string {
    this.count('wasm-plugin-config');
    const tid = this.mainTid;
    const [p, err] =
      this.r() < 0.5
        ? ['key-auth', 'key-auth: consumers is required']
        : [
            'request-block',
            "there is at least one of  '_match_route_', '_match_domain_', '_match_service_' and '_match_route_prefix_' can present in configuration.",
          ];
    return [
      this.envoy(tid, 'warning', 'wasm', SRC_CONTEXT, 'wasm log: [' + p + '] [nil] [nil] parse rule config failed: ' + err),
      this.envoy(tid, 'error', 'wasm', SRC_CONTEXT, 'wasm log: [' + p + '] [nil] [nil] plugin start failed'),
      this.envoy(tid, 'error', 'wasm', ENVOY_SRC + 'extensions/common/wasm/wasm.cc:151', 'Wasm VM failed Failed to configure base Wasm plugin'),
      this.ecdsRejected(p),
    ].join('\n');
  }

  /** Higress escapes the newlines of VM messages: the trap and its backtrace are one physical line with `\n`. */
  private pluginTrap(): string {
    this.count('wasm-plugin-crash');
    const trap = this.pick(['Uncaught RuntimeError: unreachable', 'Uncaught RuntimeError: memory access out of bounds']);
    return this.envoy(
      this.worker(),
      'error',
      'wasm',
      ENVOY_SRC + 'extensions/common/wasm/wasm_vm.cc:41',
      'Function: proxy_on_http_call_response failed: ' + trap + '\\nProxy-Wasm plugin in-VM backtrace:\\n' +
        '  0:  0x1b2c3 - runtime._panic\\n  1:  0x2f9a0 - github.com/higress-group/proxy-wasm-go-sdk/proxywasm/internal.proxyOnHttpCallResponse\\n' +
        '  2:  0x30a11 - proxy_on_http_call_response',
    );
  }

  /** One crash, or (busy) a crash loop: several crash/restart cycles, each counted. */
  private envoyCrash(): string {
    const cycles = this.mix.maxCycles > 1 ? 1 + this.ri(this.mix.maxCycles) : 1;
    const out: string[] = [];
    for (let i = 0; i < cycles; i++) out.push(this.envoyCrashOnce(i));
    return out.join('\n');
  }

  /** Kubernetes' restart back-off of the i-th restart in a row: 10 s, 20 s, 40 s, … at most 5 min. */
  private backoff(i: number): number {
    return Math.min(300_000, 10_000 * 2 ** i);
  }

  private envoyCrashOnce(cycle: number): string {
    this.count('envoy-crash');
    const tid = this.worker();
    const out: string[] = [];
    const bt = (line: number, msg: string): void => {
      out.push(this.envoy(tid, 'critical', 'backtrace', ENVOY_SRC + 'server/backtrace.h:' + line, msg));
    };
    const abort = this.r() < 1 / 3;
    if (abort) {
      out.push(
        this.envoy(tid, 'critical', 'assert', ENVOY_SRC + 'common/http/conn_manager_impl.cc:1012',
          'assert failure: state_.codec_saw_local_complete_. Details: stream reset after completion'),
      );
    }
    bt(104, abort ? 'Caught Aborted, suspect faulting address 0x53900000017' : 'Caught Segmentation fault, suspect faulting address 0x0');
    bt(91, 'Backtrace (use tools/stack_decode.py to get line numbers):');
    bt(92, 'Envoy version: 3f0c2a9e7d5b41c8a6e2f1d0b9c8a7e6d5c4b3a2/1.36.2-dev/Clean/RELEASE/BoringSSL');
    const addr = (): string => '0x55' + HEX2[this.u32() & 255] + HEX2[this.u32() & 255] + HEX2[this.u32() & 255] + HEX2[this.u32() & 255];
    bt(96, '#0: __restore_rt [0x7f3a1c6b1520]');
    bt(98, '#1: [' + addr() + ']');
    for (let i = 0; i < CRASH_FRAMES.length; i++) {
      if (i % 3 === 0) this.t += 5;
      bt(96, '#' + (i + 2) + ': ' + CRASH_FRAMES[i] + ' [' + addr() + ']');
    }
    this.t += 50 + this.ri(50);
    out.push(this.go('error', null, 'Envoy exited with error: signal: ' + (abort ? 'aborted' : 'segmentation fault')));
    // The all-in-one does not restart the gateway after exit 0; we model an operator (or Kubernetes) restarting it.
    this.t += cycle === 0 ? 5000 + this.ri(20000) : this.backoff(cycle);
    out.push(this.boot());
    return out.join('\n');
  }

  private oomKill(): string {
    const cycles = this.mix.maxCycles > 1 ? 1 + this.ri(this.mix.maxCycles) : 1;
    const out: string[] = [];
    for (let i = 0; i < cycles; i++) {
      this.count('oom');
      if (i > 0) this.t += 2000 + this.ri(8000);
      const a = this.go('warn', null, 'Envoy may have been out of memory killed. Check memory usage and limits.');
      const b = this.go('error', null, 'Envoy exited with error: signal: killed');
      this.t += i === 0 ? 5000 + this.ri(20000) : this.backoff(i);
      out.push(a + '\n' + b + '\n' + this.boot());
    }
    return out.join('\n');
  }

  private protoRejection(): string {
    this.count('bad-config');
    const host = this.pick(['api.example.com', 'shop.example.com', 'auth.example.com']);
    return [
      this.envoy(this.mainTid, 'warning', 'config', SRC_DELTA,
        'delta config for ' + TYPE_LDS + ' rejected: Error adding/updating listener(s) 0.0.0.0_443: Proto constraint validation failed ' +
          '(HttpConnectionManagerValidationError.RouteConfig: embedded message failed validation | caused by ' +
          'RouteConfigurationValidationError.VirtualHosts[0]: embedded message failed validation | caused by field: "domains", ' +
          'reason: value must contain at least 1 item(s)): name: "0.0.0.0_443"'),
      'virtual_hosts {',
      '  name: "' + host + ':443"',
      '}',
      '',
      '',
    ].join('\n');
  }

  private portBind(): string {
    this.count('port-bind');
    const a = this.envoy(this.mainTid, 'error', 'config', ENVOY_SRC + 'common/listener_manager/listener_manager_impl.cc:1101',
      "listener '0.0.0.0_80' failed to bind or apply socket options: cannot bind '0.0.0.0:80': Address already in use");
    const b = this.envoy(this.mainTid, 'warning', 'config', SRC_DELTA,
      'delta config for ' + TYPE_LDS + " rejected: Error adding/updating listener(s) 0.0.0.0_80: cannot bind '0.0.0.0:80': Address already in use");
    return a + '\n' + b + '\n';
  }

  private xdsRefused(): string {
    this.count('xds-disconnected');
    return this.envoy(this.mainTid, 'warning', 'config', SRC_STREAM,
      'DeltaAggregatedResources gRPC config stream to xds-grpc closed since ' + (31 + this.ri(300)) +
        's ago: 14, connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:15012: connect: connection refused"');
  }

  private tlsAccess(): string {
    this.count('tls-certificate');
    return this.accessLine('tls');
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** Physical lines (without terminators; blank lines are `''`) of an endless gateway.log. Same seed → same lines. */
export function* generateLines(opts: GenerateOptions): Generator<string> {
  const log = new GatewayLog(opts);
  for (;;) {
    const ev = log.next();
    if (log.lastLines === 1) yield ev;
    else yield* ev.split('\n');
  }
}

/**
 * Writes at least `bytes` bytes (stopping at the first event boundary past it, so no block is cut) with constant
 * memory. The file ends with a newline.
 */
export async function generateFile(path: string, bytes: number, opts: GenerateOptions): Promise<GenerateResult> {
  const log = new GatewayLog(opts);
  const fh = await open(path, 'w');
  // Two buffers: one is filled while the other is being written. Lines are joined into ~64 KB strings first:
  // one native copy per batch is much cheaper than one per line.
  const size = 4 << 20;
  const batch = 64 << 10;
  const bufs = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  let which = 0;
  let buf = bufs[0] as Buffer;
  let off = 0;
  let pending: Promise<unknown> = Promise.resolve();
  let lines = 0;
  let text = '';
  const flush = async (): Promise<void> => {
    await pending;
    pending = fh.write(buf, 0, off);
    which ^= 1;
    buf = bufs[which] as Buffer;
    off = 0;
  };
  const put = async (): Promise<void> => {
    if (off + text.length > size) await flush();
    if (text.length > size) {
      await pending;
      pending = fh.write(text, null, 'latin1');
    } else off += buf.write(text, off, 'latin1');
    text = '';
  };
  try {
    while (log.outBytes < bytes) {
      text += log.next() + '\n';
      lines += log.lastLines;
      if (text.length >= batch) await put();
    }
    await put();
    await flush();
    await pending;
  } finally {
    await fh.close();
  }
  return { lines, bytes: log.outBytes, faults: { ...log.faults }, unexplained: log.unexplained };
}

/** `100MB` = 100·10⁶ bytes, `1GB` = 10⁹, `5MiB` = 5·2²⁰; a bare number is bytes. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/i.exec(s.trim());
  if (!m) throw new Error(`bad size: ${s}`);
  const unit = (m[2] ?? 'B').toLowerCase();
  const mult: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };
  return Math.round(Number(m[1]) * (mult[unit] ?? 1));
}

const USAGE = 'usage: generate --size 100MB --seed 1 [--mix healthy|busy] [--access json|text] [--wrap none|kubectl] --out FILE';

async function cli(argv: string[]): Promise<number> {
  let size = 100 * MB;
  let seed = 1;
  let access: AccessFormat = 'json';
  let mix: Mix = 'healthy';
  let wrap: Wrap = 'none';
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--size' && v) (size = parseSize(v)), i++;
    else if (a === '--seed' && v) (seed = Number(v)), i++;
    else if (a === '--access' && (v === 'json' || v === 'text')) (access = v), i++;
    else if (a === '--mix' && (v === 'healthy' || v === 'busy')) (mix = v), i++;
    else if (a === '--wrap' && (v === 'none' || v === 'kubectl')) (wrap = v), i++;
    else if (a === '--out' && v) (out = v), i++;
    else {
      process.stderr.write(`${USAGE} (bad argument: ${a})\n`);
      return 2;
    }
  }
  if (!out || !Number.isInteger(seed)) {
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  const t0 = process.hrtime.bigint();
  const res = await generateFile(out, size, { seed, access, mix, wrap });
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(
    JSON.stringify({ out, seed, mix, access, wrap, ...res, seconds: +sec.toFixed(3), mbPerSec: +(res.bytes / MB / sec).toFixed(1) }) + '\n',
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  cli(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
