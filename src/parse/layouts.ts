// Per-line layout detection (docs/formats.md §2). gateway.log interleaves several layouts, so
// every line is recognised on its own. A line that matches no header is either a continuation of
// the record before it or an unknown line; the assembler decides which.
import type { AccessFields, LayoutId, Level } from '../model.js';
import { FlatRecordReader } from './flat-record.js';

export interface Header {
  readonly layout: LayoutId;
  readonly time: string | null;
  readonly level: Level | null;
  readonly logger: string | null;
  readonly thread: string | null;
  readonly message: string;
  readonly access?: AccessFields;
  /** True when the record cannot have continuation lines (JSON lines, access lines, L2 with `thread=`). */
  readonly closed: boolean;
  /**
   * For raw output: which block it belongs to. Consecutive raw lines of one block kind continue it
   * (`go-panic`, `v8`), and Envoy crash text pasted without headers is `crash`.
   */
  readonly rawKind?: 'go-panic' | 'v8' | 'crash' | 'wamr' | 'wasm-trap' | 'envoy-main';
}

const LEVELS: Record<string, Level> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warning',
  warning: 'warning',
  error: 'error',
  err: 'error',
  critical: 'critical',
  fatal: 'critical',
  dpanic: 'critical',
  panic: 'critical',
  crit: 'critical',
  erro: 'error',
  debg: 'debug',
  trac: 'trace',
  blat: 'trace',
};

/**
 * Every header is made here, with every field in one order: one hidden class for all of them, so
 * the code that reads headers (and the events made of them) is not deoptimised by a new layout.
 */
export function makeHeader(
  layout: LayoutId,
  time: string | null,
  level: Level | null,
  logger: string | null,
  thread: string | null,
  message: string,
  closed: boolean,
  access?: AccessFields,
  rawKind?: Header['rawKind'],
): Header {
  return { layout, time, level, logger, thread, message, closed, access, rawKind };
}

export function toLevel(word: string | undefined): Level | null {
  return word ? (LEVELS[word.toLowerCase()] ?? null) : null;
}

// L1 (and the body of L3). Timestamp and thread are optional: pasted logs often lose them. The source
// location is `[path:line] ` since Envoy 1.8, `path:line] ` without the opening bracket before it.
// A source line number a blog or runbook masked (`[source/common/upstream/upstream_impl.cc:XXXX]`) is still Envoy's
// location, not the start of the message.
const ENVOY =
  /^(?:\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,9})?)\])?(?:\[(\d+)\])?\[(trace|debug|info|warning|warn|error|critical|fatal)\]\[([\w.:-]+)\](?: |$)(?:\[([^\]\s]+:(?:\d+|[XxN#*]{1,8}))\] ?|[\w./-]{1,300}\.(?:cc|h|hpp|cpp):(?:\d+|[XxN#*]{1,8})\] )?([\s\S]*)$/;
const EPOCH = /^\[Envoy \(Epoch (\d+)\)\] /;
// Istio text layouts (L2 Envoy and L4 Go). Tabs often arrive as runs of spaces.
// A time without its zone is read too when it has a fraction (`2024-01-04T12:06:54.5114527\twarn\t…`: pasted from a
// tool that printed the local time, or with the `Z` cut off); it is taken as UTC, as Istio writes it.
const ISTIO =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9})[\t ]+(trace|debug|info|warn|warning|error|critical|fatal|dpanic|panic)(?:[\t ]+|$)([\s\S]*)$/;
// The same line pasted with its TABs gone altogether (`…225939ZerrorEnvoy exited with error: signal: killed`): only
// after Istio's own time (fraction, `Z`), with a level word glued to something; the longer words are tried first.
const ISTIO_GLUED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z)(warning|critical|dpanic|error|debug|trace|fatal|panic|info|warn)(?=\S)([\s\S]*)$/;
// The same line after a page translator has been over it (a Chinese thread read in a browser that translates the
// page, then copied): a space on either side of `-` and `/`, after `:`, before `Z` and between digits and letters
// (`2025 - 06 - 26 T07: 04: 51.803713 Z error envoy wasm external / envoy / source / … / context.cc: 1403 wasm log …`).
// Only a time in that shape says the line went through one; see untranslate for what is put back.
const ISTIO_TRANSLATED =
  /^(\d{4}) - (\d\d) - (\d\d) ?T ?(\d\d) ?: ?(\d\d) ?: ?(\d\d(?:\.\d{1,9})?) ?Z[\t ]+(trace|debug|info|warn|warning|error|critical|fatal|dpanic|panic)(?:[\t ]+|$)([\s\S]*)$/;
// Envoy's source location as the translator left it: path segments joined by ` / `, then `.cc: <line>`.
const TRANSLATED_LOCATION = /^(envoy [\w.:-]+ )((?:[\w.-]+ \/ ){1,24}[\w.-]+\.(?:cc|h|hpp|cpp|c|go)) ?: ?(\d+)(?=[\t ]|$)/;
// In the message only what cannot be a sentence's own: ` - ` and ` / ` between two word characters (names like
// `higress - system.key - auth`, paths). A colon's space stays: messages have their own `err: …`.
const TRANSLATED_JOINS = /(?<=[\w.])(?: - | \/ )(?=[\w.])/g;

function untranslate(rest: string): string {
  const loc = TRANSLATED_LOCATION.exec(rest);
  const head = loc ? `${loc[1]}${loc[2]!.replaceAll(' / ', '/')}:${loc[3]}` : '';
  const body = loc ? rest.slice(loc[0].length) : rest;
  return head + body.replace(TRANSLATED_JOINS, (j) => (j === ' - ' ? '-' : '/'));
}
const ISTIO_ENVOY = /^envoy ([\w.:-]+)(?: ((?:\.\/|[\w-]+\/)?[\w./-]+\.(?:cc|h|hpp|cpp|c|go):\d+))?(?:\t| {2,}| (?=\S)|$)([\s\S]*)$/;
// Istio 1.5–1.8 put Envoy's bracketed source location after the logger's TAB (`envoy backtrace\t[bazel-out/…/backtrace.h:98] #20: …`):
// it is the layout's, not the message's, as in L1 — anchored patterns (a frame's `^#20: `) must see the message itself.
const ISTIO_ENVOY_LOCATION = /^\[[\w./-]{1,300}\.(?:cc|h|hpp|cpp|c):\d+\] ?/;
// The TAB before `thread=` belongs to the layout; a space before it may be the message's own.
const THREAD_SUFFIX = /(?:\t| {2,})thread=(\d+)[\t ]*$/;
const SCOPE = /^([a-z][a-z0-9_.-]{0,39})(?:\t| {2,})([\s\S]*)$/;
// zap's console encoder with its epoch time encoder (certmagic, which the Higress controller's automatic HTTPS runs:
// `1.7784282781714637e+09  error   acme_client     challenge failed        {…}`): float seconds, as Go formats them
// (shortest form, an exponent from 1e+09 on) or with ten integer digits; then a level word and Istio's columns.
const ZAP_EPOCH = /^(\d\.\d{1,17}e\+0?9|\d{10}\.\d{1,9})(?:\t| {1,8})(debug|info|warn|warning|error|dpanic|panic|fatal)(?:\t| {1,8})(?=\S)/;
const SUPERVISORD = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (CRIT|ERRO|WARN|INFO|DEBG|TRAC|BLAT) ([\s\S]*)$/;
const SPRING =
  /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\.\d{3})\s+(ERROR|WARN|INFO|DEBUG|TRACE)\s+\d+\s+---\s+\[([^\]]*)\]\s+(\S+)\s+(?:\{[^}]*\}\s+)?:\s?([\s\S]*)$/;
const KLOG = /^([IWEF])(\d{4} \d\d:\d\d:\d\d\.\d{6})\s+\d+ ([^\]\s]+)\] ([\s\S]*)$/;
// A page's author may mask the date or the time (`[2025-0X-XXT04:47:09.919Z]`): still the access line's own bracket.
const ACCESS_TEXT = /^\[(\d{4}-[\dXx]{2}-[\dXx]{2}T[\dXx:.]{1,20}Z)\] "/;
const MASKED_TIME = /[Xx]/;
// Istio ≤ 1.4 puts a quoted field right after the flags; 1.5+ first the bare response and termination details;
// Envoy's own default format first the byte counts, the duration and the upstream time (four bare fields).
const ACCESS_TEXT_UNTIMED = /^"(?:GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE|-) \S+ [^"]*" \d{1,3} \S+ (?:[^\s"]+ ){0,4}"/;
// The same line cut one character further, inside the opening quote: the request's closing `HTTP/x"` shows what it is.
const ACCESS_TEXT_UNQUOTED = /^(?:GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE) \S+ HTTP\/[\d.]{1,3}" \d{1,3} \S+ (?:[^\s"]+ ){0,4}"/;
const SCRIPT = /^(?:(?:Mode|O11Y|USE_PLUGIN_SERVER|CONFIG_TEMPLATE|GATEWAY_[A-Z_]+)=\S*|Checking the readiness of [\w ]+\.\.\.|Higress \w+ is ready\.?|Waiting for [\w -]+\.\.\.)$/;

// Raw output that starts a block of its own.
const GO_PANIC = /^(?:panic: |fatal error: |goroutine \d+ \[|\[signal SIG\w+: )/;
const V8 = /^(?:#(?: |$|FailureMessage)|==== C stack trace)/;
const CRASH_TEXT =
  /^(?:Caught [A-Z][\w ]*, suspect |Backtrace \(use tools\/stack_decode\.py|Envoy version: |#\d+: |std::terminate called!|assert failure: |Our FatalActions triggered a fatal signal)/;
const WAMR = /^\[\d\d:\d\d:\d\d:\d{3} - [0-9A-Fa-f]+\]: /;
// gdb on a core dump: `#0  0x00007f… in raise () from /lib/…`, `#5  Envoy::Server::… (this=…) at source/…:123`.
const GDB_FRAME = /^#\d+\s+(?:0x[0-9a-f]+ in |[\w:~<>]+ \(.*\) at \S+:\d+)/;
// The same frames shortened to what gdb's `bt` names (a blog or issue quoting a core dump): gdb's own spacing
// (`#4  ` below frame 10, `#12 ` above), then the kernel's signal frame, a bare address, or a function name
// (`Envoy::SignalAction::sigHandler`, `__GI_raise`, `event_base_loop`). A word with neither `_` nor `::` is not
// taken, so `#1  issue` stays text.
const GDB_FRAME_SHORT =
  /^(?:#\d  |#\d{2,3} )(?:<signal handler called>|0x[0-9a-f]{8,}|[A-Za-z_][\w~<>]*(?:::[\w~<>]+)+(?:\(\))?|_\w+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)\s*$/;
// A Wasm trap printed without Envoy's header (stderr, another host, a paste): `proxy_on_vm_start
// failed: Uncaught RuntimeError: unreachable`, then `Proxy-Wasm plugin in-VM backtrace:` and frames.
const RAW_TRAP = /^(?:Function: )?[\w.$-]+ failed: Uncaught [A-Za-z]*Error\b/;
// What Envoy's main() writes to stderr itself when it cannot start, without the logger's prefix (docs/formats.md §L9):
// the hot-restart domain socket it cannot bind, TCLAP's verdict on the command line. After a logger line these would
// read as that line's continuation and take its level (an `info` line would hide them).
// The exception Envoy's main() prints when the bootstrap breaks a proto constraint comes last, after `exiting`.
// Envoy 1.17+ refusing a v2 bootstrap prints the same way (`The v2 xDS major version is deprecated …`, §L9).
const ENVOY_MAIN = /^(?:unable to bind domain socket with (?:base_id=\d+, )?id=\d+|PARSE ERROR: |Proto constraint validation failed \(|The v2 xDS major version (?:is|has) )/;
// Host logs pasted beside the gateway's (docs/formats.md §L11, §E): dmesg, `dmesg -T`, syslog/journalctl.
const DMESG = /^\[\s*(\d+\.\d+)\] (?=\S)/;
const DMESG_T = /^\[((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4})\] /;
const SYSLOG = /^((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d) (\S+) ([\w./-]+)(?:\[\d+\])?: ([\s\S]*)$/;

// Istio text lines whose timestamp was lost in a paste: `critical\tenvoy backtrace\tCaught …`.
// A level word then a TAB (or the spaces a TAB became), or a single space before `envoy <logger>`.
const LEVEL_FIRST = /^(trace|debug|info|warn|warning|error|critical|fatal)(?:\t|[ ]{2,}|[ ](?=envoy [\w.:-]+[\t ]))(?=\S)/;

/** Recognise a header line (already unwrapped). Returns null for continuation/unknown lines. */
export function parseHeader(text: string): Header | null {
  const c = text.charCodeAt(0);
  if (c >= 97 && c <= 119) {
    const lf = LEVEL_FIRST.exec(text);
    if (lf) return parseIstioRest(null, toLevel(lf[1]), text.slice(lf[0].length));
  }
  if (c === 91) return parseBracket(text);
  if (c === 123) return parseJson(text);
  if (c >= 48 && c <= 57) return parseDigit(text);
  if (c === 69 || c === 73 || c === 87 || c === 70) {
    const k = KLOG.exec(text);
    if (k) return makeHeader('klog', k[2]!, toLevel(klogLevel(k[1]!)), k[3]!, null, k[4]!, false);
  }
  return parseRaw(text);
}

/** Float epoch seconds as an ISO time (UTC, milliseconds); null when the number is no time. */
function epochSecondsToIso(seconds: string): string | null {
  const ms = Number(seconds) * 1000;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function klogLevel(l: string): string {
  return l === 'E' ? 'error' : l === 'W' ? 'warning' : l === 'F' ? 'fatal' : 'info';
}

function parseBracket(text: string): Header | null {
  // `[Envoy (Epoch N)] `, `[2026-…T…Z] "` (access text): one character tells them from L1.
  const epoch = text.charCodeAt(1) === 69 ? EPOCH.exec(text) : null;
  if (epoch) {
    const h = parseEnvoy(text.slice(epoch[0].length), 'envoy-epoch');
    if (h) return h;
  }
  if (text.charCodeAt(11) === 84 && ACCESS_TEXT.test(text)) {
    const a = parseAccessText(text);
    if (a) return a;
  }
  const h = parseEnvoy(text, 'envoy');
  if (h) return h;
  if (WAMR.test(text)) return raw(text, 'wamr', /allocate .* failed|out of memory/i.test(text) ? 'error' : 'warning');
  const d = DMESG.exec(text) ?? DMESG_T.exec(text);
  if (d) return makeHeader('syslog', d[1]!, null, 'kernel', null, text.slice(d[0].length), true);
  return null;
}

function parseEnvoy(text: string, layout: LayoutId): Header | null {
  const m = ENVOY.exec(text);
  if (!m) return null;
  return makeHeader(layout, m[1] ?? null, toLevel(m[3]), m[4]!, m[2] ?? null, m[6]!, false);
}

function parseDigit(text: string): Header | null {
  const m = ISTIO.exec(text) ?? ISTIO_GLUED.exec(text);
  if (m) return parseIstioRest(m[1]!, toLevel(m[2]), m[3]!);
  if (text.charCodeAt(4) === 32) {
    const t = ISTIO_TRANSLATED.exec(text);
    if (t) return parseIstioRest(`${t[1]}-${t[2]}-${t[3]}T${t[4]}:${t[5]}:${t[6]}Z`, toLevel(t[7]), untranslate(t[8]!));
  }
  const sv = SUPERVISORD.exec(text);
  if (sv) return makeHeader('supervisord', sv[1]!, toLevel(sv[2]), 'supervisord', null, sv[3]!, true);
  const sp = SPRING.exec(text);
  if (sp) return makeHeader('spring', sp[1]!, toLevel(sp[2]), sp[4]!, sp[3]!, sp[5]!, false);
  if (text.charCodeAt(1) === 46 || text.charCodeAt(10) === 46) {
    const z = ZAP_EPOCH.exec(text);
    if (z) return parseIstioRest(epochSecondsToIso(z[1]!), toLevel(z[2]), text.slice(z[0].length));
  }
  return parseLogfmt(text);
}

// logfmt (`time="…" level=warning msg="Envoy: Proxy crashed" error="signal: killed" subsys=envoy-manager`),
// what Go programs beside the proxy write: its level is the line's, its message the msg and what follows.
const LOGFMT_LEVEL = /(?:^|\s)(?:level|lvl)=("?)(trace|debug|info|warn|warning|error|err|fatal|panic|critical)\1(?=\s|$)/i;
const LOGFMT_MSG = /(?:^|\s)msg=(?:"((?:[^"\\]|\\.)*)"|(\S+))/;
const LOGFMT_TIME = /^(?:time=)?"?(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)"?\s/;
const LOGFMT_SCOPE = /(?:^|\s)(?:subsys|component|logger|scope)=("?)([\w.:/-]{1,60})\1(?=\s|$)/;

function parseLogfmt(text: string): Header | null {
  if (!text.includes('msg=')) return null;
  const lv = LOGFMT_LEVEL.exec(text);
  const msg = lv ? LOGFMT_MSG.exec(text) : null;
  if (!lv || !msg) return null;
  const rest = text.slice(msg.index + msg[0].length).trim();
  const inner = (msg[1] ?? msg[2] ?? '').replace(/\\"/g, '"');
  const time = LOGFMT_TIME.exec(text)?.[1] ?? null;
  const ownScope = LOGFMT_SCOPE.exec(text)?.[2] ?? null;
  // A relayed record: an agent that runs the proxy logs each line the proxy wrote as its own msg, at
  // its own level (`level=debug msg="level=warning msg=\"…grpc_mux_impl.cc:218] gRPC config … rejected …\""`,
  // Cilium's agent under journald). The relayed line's level and message are the event's.
  if (RELAYED_RECORD.test(inner)) {
    const relayed = parseLogfmt(inner);
    if (relayed) {
      return makeHeader('logfmt', relayed.time ?? time, relayed.level, relayed.logger ?? ownScope, null, relayed.message, true);
    }
  }
  let scope = ownScope;
  let body = inner;
  // Cilium's agent relays each line its Envoy writes as a record of its own, `subsys=envoy-<Envoy's
  // logger>`, the msg Envoy's message after a `[` left over from the header the agent cut
  // (`msg="[Caught Segmentation fault, …" subsys=envoy-backtrace`, `msg="[#4: [0x7fbb0fe5e320]"`): the
  // logger is Envoy's, the message starts after that unmatched bracket.
  if (scope !== null && scope.startsWith('envoy-')) {
    scope = scope.slice(6);
    if (body.startsWith('[') && unmatchedOpen(body)) body = body.slice(1);
  }
  const message = body + (rest ? ` ${rest}` : '');
  return makeHeader('logfmt', time, toLevel(lv[2]), scope, null, message, true);
}

/** More `[` than `]` in a text: an opening bracket whose header was cut off. */
function unmatchedOpen(s: string): boolean {
  let open = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 91) open++;
    else if (c === 93) open--;
  }
  return open > 0;
}

/** A msg whose value is itself a logfmt record: it starts with its own level (or time, then level) and has its own msg. */
const RELAYED_RECORD = /^(?:time="?[^"\s]+"?\s+)?(?:level|lvl)=\S+\s+(?:\S+=\S+\s+)*msg=/;

/** The part of an Istio text line after time and level: Envoy (L2) or Go (L4). */
function parseIstioRest(time: string | null, level: Level | null, restIn: string): Header {
  {
    let rest = restIn;
    const env = ISTIO_ENVOY.exec(rest);
    if (env) {
      let message = env[3]!;
      if (env[2] === undefined && message.charCodeAt(0) === 91) {
        const loc = ISTIO_ENVOY_LOCATION.exec(message);
        if (loc) message = message.slice(loc[0].length);
      }
      let thread: string | null = null;
      const t = THREAD_SUFFIX.exec(message);
      if (t) {
        thread = t[1]!;
        message = message.slice(0, t.index);
      }
      return makeHeader('envoy-istio', time, level, env[1]!, thread, message, t !== null);
    }
    let logger: string | null = null;
    const s = SCOPE.exec(rest);
    // A scope is one lowercase token followed by a TAB (or the run of spaces a lost TAB became).
    if (s) {
      logger = s[1]!;
      rest = s[2]!;
    }
    return makeHeader('istio-go', time, level, logger, null, rest, false);
  }
}

// Kubernetes' view of a pod, as operators paste it: `kubectl describe pod` fields (`Reason:  OOMKilled`,
// `Exit Code:  137`, `Last State:  Terminated`), pod status YAML (`reason: OOMKilled`, `exitCode: 137`),
// and `kubectl get pods` rows. Only keys of a container's state and restarts are taken: they say how
// the container ended, and no gateway log line starts with them.
const KUBE_FIELD =
  /^\s*(?:-\s+)?(Containers|containers|Init Containers|Conditions|Namespace|Node|Image|Image ID|Controlled By|QoS Class|Service Account|Priority Class Name|Reason|reason|Exit Code|exitCode|Last State|lastState|State|state|terminated|Terminated|Restart Count|restartCount|Signal|signal|Started|Finished|startedAt|finishedAt|containerStatuses|Container ID|containerID|Ready|ready|Message|message|Limits|Requests|memory|OOMKilled|Status|status|Events):(?:\s+(.*))?$/;
const KUBE_POD_ROW = /^\s*[a-z0-9][a-z0-9.-]*\s+\d+\/\d+\s+(\w+)\s+\d+(?: \([^)]*\))?\s+\S+/;

/**
 * A Kubernetes pod-status line (not a header: it is tried only for a line that continues nothing).
 * Its level says how the container ended: killed or crash-looping is an error.
 */
export function parseKube(text: string): Header | null {
  const f = KUBE_FIELD.exec(text);
  const row = f ? null : KUBE_POD_ROW.exec(text);
  if (!f && !row) return null;
  const bad = /\b(?:OOMKilled|Error|CrashLoopBackOff|137|139|134)\b/.test(text);
  return makeHeader('kube', null, bad ? 'error' : null, 'kubernetes', null, text.trim(), false);
}

/**
 * Text people add when they paste a log into an issue or chat: quote markers, backticks of a
 * code span or fence, the indentation of a Markdown code block. Returns the line without them.
 */
export function stripPasteArtifacts(text: string): string {
  return text
    .replace(/^(?:\s*>)+\s?/, '')
    .replace(/^\s*`{1,3}(?:text|log|shell|bash|console)?\s*/, '')
    .replace(/`{1,3}\s*$/, '')
    .trimStart()
    .replace(BOLD_BEFORE_HEADER, '');
}

/** Markdown bold opened before a header (`**[2023-01-12 13:46:57.029][…`): the paste's emphasis, not the line's. */
const BOLD_BEFORE_HEADER = /^(?:\*\*|__)(?=\[\d{4}-|\[Envoy |\d{4}-\d\d-\d\dT)/;

function parseJson(text: string): Header | null {
  const flat = flatAccess(text);
  if (flat !== null) return flat;
  let obj: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    obj = v as Record<string, unknown>;
  } catch {
    return null;
  }
  if ('response_code' in obj) return accessFromJson(obj, SNAKE_KEYS);
  if ('responseCode' in obj) return accessFromJson(obj, CAMEL_KEYS);
  if (typeof obj.level === 'string' && typeof obj.msg === 'string') {
    const scope = typeof obj.scope === 'string' ? obj.scope : null;
    const envoy = scope?.startsWith('envoy ') ?? false;
    return makeHeader(
      'istio-json',
      typeof obj.time === 'string' ? obj.time : null,
      toLevel(obj.level),
      envoy ? scope!.slice(6) : scope,
      obj.thread === undefined ? null : String(obj.thread),
      obj.msg,
      true,
    );
  }
  return jsonApplicationLog(obj);
}

/**
 * The keys accessFromJson reads of a snake_case access record, in the order flatAccess reads them: SNAKE_KEYS' own
 * (code, flags, details, cluster, upstream host, transport failure, route, method, path; the alternative method and
 * path keys are the same keys), then the authority and the time.
 */
function flatAccessKeys(): string[] {
  const k = SNAKE_KEYS;
  return [k.code, k.flags, k.details, k.cluster, k.upstreamHost, k.transportFailure, k.route, k.method, k.path, 'authority', k.time];
}
const FLAT_AUTHORITY = 9;
const FLAT_TIME = 10;
let flatReader: FlatRecordReader | null | undefined;
let flatRecords = true;

/** The kernel's reader on this thread, made on first use; null where there is none or the tests turned it off. */
function kernelReader(): FlatRecordReader | null {
  if (!flatRecords) return null;
  // Its reading takes the alternative method and path keys to be the same keys (they are, in snake_case).
  if (flatReader === undefined) {
    flatReader = SNAKE_KEYS.methodAlt === SNAKE_KEYS.method && SNAKE_KEYS.pathAlt === SNAKE_KEYS.path ? FlatRecordReader.create(flatAccessKeys()) : null;
  }
  return flatReader;
}

/**
 * Tests: false makes every JSON line go through JSON.parse and every TEXT access line through the JavaScript
 * tokenizer (the references the kernel's readings are compared with).
 */
export function useFlatRecords(on: boolean): void {
  flatRecords = on;
}

/**
 * A snake_case access record that is a flat record (parse/flat-record.ts), read without JSON.parse: the same
 * header accessFromJson makes of JSON.parse's object. Null for any other line (JSON.parse decides).
 */
function flatAccess(text: string): Header | null {
  const r = kernelReader();
  if (r === null || !r.read(text) || !r.has(0)) return null;
  // accessFromJson's reading of the same values (str, and `??` between method keys that are the same key here).
  const access: AccessFields = {
    code: str(r.value(0)),
    flags: str(r.value(1)),
    details: str(r.value(2)),
    cluster: str(r.value(3)),
    upstreamHost: str(r.value(4)),
    transportFailure: str(r.value(5)),
    route: str(r.value(6)),
    authority: str(r.value(FLAT_AUTHORITY)),
    method: str(r.value(7)),
    path: str(r.value(8)),
  };
  const time = r.value(FLAT_TIME);
  return makeHeader('access-json', typeof time === 'string' ? time : null, accessLevel(access), 'access', null, accessMessage(access), true, access);
}

/**
 * A process's own JSON log under other keys than Istio's (docs/formats.md §L4): Envoy's JSON application log
 * (`{"date":…,"level":"error","component":"config",…,"message":…}`, or as Envoy's documentation spells it, `Level`
 * and `Message`), zap's production encoder (`ts`, `logger`). Read like Istio's JSON when its level is a level word and
 * its message is no log line itself — a log store's record holding a gateway line under `message` is an envelope
 * (wrappers.ts jsonEnvelope), read as that line.
 */
function jsonApplicationLog(obj: Record<string, unknown>): Header | null {
  const levelWord = firstString(obj, LEVEL_KEYS);
  const message = firstString(obj, MESSAGE_KEYS);
  if (levelWord === null || message === null) return null;
  const level = toLevel(levelWord);
  if (level === null || parseHeader(message) !== null) return null;
  const logger = firstString(obj, LOGGER_KEYS);
  const thread = obj.thread ?? obj.ThreadId ?? obj.tid;
  return makeHeader('istio-json', firstString(obj, TIME_KEYS), level, logger, thread === undefined ? null : String(thread), message, true);
}

const LEVEL_KEYS = ['level', 'Level', 'severity', 'lvl'];
const MESSAGE_KEYS = ['message', 'Message'];
const LOGGER_KEYS = ['scope', 'component', 'logger', 'Logger', 'name'];
const TIME_KEYS = ['time', 'timestamp', 'Timestamp', 'date', 'ts', '@timestamp'];

function firstString(obj: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const k of keys) {
    const v = obj[k];
    if (typeof v === 'string') return v;
  }
  return null;
}

const str = (v: unknown): string => (v === null || v === undefined ? '-' : String(v));

/**
 * Where a JSON access record keeps each field (the key of each), for one spelling of the keys; the request's method
 * and path fall back to a second key, and the time is the request's start.
 */
type AccessKeys = { readonly [F in Exclude<keyof AccessFields, 'authority'>]: string } & {
  readonly methodAlt: string;
  readonly pathAlt: string;
  readonly time: string;
};

/** The default JSON access log of Higress and Istio (snake_case keys). */
const SNAKE_KEYS: AccessKeys = {
  code: 'response_code',
  flags: 'response_flags',
  details: 'response_code_details',
  cluster: 'upstream_cluster',
  upstreamHost: 'upstream_host',
  transportFailure: 'upstream_transport_failure_reason',
  route: 'route_name',
  method: 'method',
  path: 'path',
  methodAlt: 'method',
  pathAlt: 'path',
  time: 'start_time',
};

/**
 * A JSON access log whose keys the operator wrote in camelCase (`responseCode`, `responseFlags`, `responseCodeDetails`,
 * docs/formats.md §L5): the same fields under the other spelling, read the same way.
 */
const CAMEL_KEYS: AccessKeys = {
  code: 'responseCode',
  flags: 'responseFlags',
  details: 'responseCodeDetails',
  cluster: 'upstreamCluster',
  upstreamHost: 'upstreamHost',
  transportFailure: 'upstreamTransportFailureReason',
  route: 'routeName',
  method: 'method',
  path: 'path',
  methodAlt: 'requestMethod',
  pathAlt: 'requestPath',
  time: 'startTime',
};

function accessFromJson(o: Record<string, unknown>, k: AccessKeys): Header {
  const access: AccessFields = {
    code: str(o[k.code]),
    flags: str(o[k.flags]),
    details: str(o[k.details]),
    cluster: str(o[k.cluster]),
    upstreamHost: str(o[k.upstreamHost]),
    transportFailure: str(o[k.transportFailure]),
    route: str(o[k.route]),
    authority: str(o.authority),
    method: str(o[k.method] ?? o[k.methodAlt]),
    path: str(o[k.path] ?? o[k.pathAlt]),
  };
  const time = o[k.time];
  return makeHeader('access-json', typeof time === 'string' ? time : null, accessLevel(access), 'access', null, accessMessage(access), true, access);
}

/** Split Istio's TEXT access log into its fields: quoted strings or bare tokens. */
function parseAccessText(text: string, timed = true): Header | null {
  const close = timed ? text.indexOf('] ') : -2;
  const stamp = timed ? text.slice(1, close) : null;
  // A masked time orders nothing: the record stays, its time is unknown.
  const time = stamp !== null && MASKED_TIME.test(stamp) ? null : stamp;
  const tokens = accessTextTokens(text, close + 2);
  if (!/^\d{1,3}$/.test(tokens[1] ?? '')) return null;
  const [method = '-', path = '-'] = tokens[0]!.split(' ');
  if (tokens.length < 12) return accessShortened(tokens, time, method, path, timed);
  // Envoy's default format (plain Envoy, Contour, Gloo, Emissary, App Mesh): 0 request, 1 code, 2 flags, 3-4 bytes,
  // 5 duration, 6 upstream time, 7 forwarded-for, 8 user agent, 9 request id, 10 authority, 11 upstream host. The
  // byte counts and the duration right after the flags tell it from Istio's, whose details come there.
  if (/^\d+$/.test(tokens[3]!) && /^\d+$/.test(tokens[4]!) && /^\d+$/.test(tokens[5]!)) {
    const plain: AccessFields = {
      code: tokens[1]!,
      flags: tokens[2]!,
      details: '-',
      transportFailure: '-',
      authority: tokens[10]!,
      upstreamHost: tokens[11]!,
      // No cluster column: the upstream host (else the authority) names the backend in titles and subjects.
      cluster: tokens[11] !== '-' ? tokens[11]! : tokens[10]!,
      route: '-',
      method,
      path,
    };
    return makeHeader('access-text', time, accessLevel(plain), 'access', null, accessMessage(plain), true, plain);
  }
  // Istio: 0 request, 1 code, 2 flags, 3 details, 4 termination details, 5 transport failure, ... 14 upstream host, 15 cluster, 20 route
  // A whole line stays positional (a quoted `...` may be a field's own value); only one too short for Istio's columns
  // is read as shortened.
  if (tokens.length < 16) return tokens.some(isElision) ? accessShortened(tokens, time, method, path, timed) : null;
  // Istio ≤ 1.4 logged one column fewer before the byte counts (`"<mixer status>" "<transport
  // failure>" <bytes> <bytes> <ms>`): the columns from the transport failure on move up by one.
  const old = /^\d+$/.test(tokens[5]!) && /^\d+$/.test(tokens[6] ?? '') && /^\d+$/.test(tokens[7] ?? '');
  const at = (i: number): string => tokens[old ? i - 1 : i] ?? '-';
  const access: AccessFields = {
    code: tokens[1]!,
    flags: tokens[2]!,
    details: old ? '-' : tokens[3]!,
    transportFailure: at(5),
    authority: at(13),
    upstreamHost: at(14),
    cluster: at(15),
    route: at(20),
    method,
    path,
  };
  return makeHeader('access-text', time, accessLevel(access), 'access', null, accessMessage(access), true, access);
}

// Istio's line as a page or a chat quotes it, cut after the response details (`[<time>] "POST /pay HTTP/1.1" 503 UC
// upstream_reset_before_response_started{connection_failure,TLS_error:_…}`): the time, the request, the code, the flags
// and Envoy's own details token are still the record; the columns cut away are unknown ('-').
const ACCESS_FLAGS = /^(?:-|[A-Z]{2,4}(?:,[A-Z]{2,4}){0,6})$/;
const ACCESS_DETAILS = /^(?:via_upstream|[a-z]+(?:_[a-z0-9]+)+(?:\{[^}\s]{0,400}\})?)$/;

// A writer shortening the line in its middle leaves `...` (or `…`, or `..."` where it cut inside a quote) for the
// columns it dropped: what comes before is positional, what comes after is not.
const ELISION = /^(?:\.{3}|…)"?$/;

function isElision(token: string): boolean {
  return ELISION.test(token);
}

function accessShortened(tokens: readonly string[], time: string | null, method: string, path: string, timed: boolean): Header | null {
  const cut = tokens.findIndex(isElision);
  // Without its time the line must show where it was shortened; the untimed gate alone is too weak for a fragment.
  if (!timed && cut < 0) return null;
  const kept = cut < 0 ? tokens : tokens.slice(0, cut);
  if (kept.length < 3 || !ACCESS_FLAGS.test(kept[2]!)) return null;
  const after = cut < 0 ? [] : tokens.slice(cut + 1);
  // A cluster name survives the shortening where the writer kept it (`outbound|443||host`).
  const cluster = after.find((t) => /^(?:outbound|inbound)\|/.test(t)) ?? '-';
  const base = { code: kept[1]!, flags: kept[2]!, transportFailure: '-', authority: '-', upstreamHost: '-', cluster, route: '-', method, path };
  let access: AccessFields | null = null;
  if (kept.length >= 4 && kept.length <= 6 && ACCESS_DETAILS.test(kept[3]!)) access = { ...base, details: kept[3]! };
  // Envoy's default format cut after its byte counts and duration (`503 UC 0 95 376 - ...`).
  else if (kept.length >= 6 && kept.length < 12 && /^\d+$/.test(kept[3]!) && /^\d+$/.test(kept[4]!) && /^\d+$/.test(kept[5]!)) {
    access = { ...base, details: '-' };
  } else if (cut >= 0 && kept.length === 3) access = { ...base, details: '-' };
  if (!access) return null;
  return makeHeader('access-text', time, accessLevel(access), 'access', null, accessMessage(access), true, access);
}

/**
 * The fields of a TEXT access-log line from `from` on, at most 40: a quoted string's content or a
 * run of non-space characters — what `/"((?:[^"\\]|\\.)*)"|(\S+)/g` finds, read character by
 * character (the regex was a tenth of a busy TEXT log's main thread; test/parse.test.ts compares
 * the two on random lines).
 */
export function accessTextTokens(text: string, from: number): string[] {
  // The kernel splits a plain ASCII line the same way, without a JavaScript loop over its characters.
  const split = kernelReader()?.textTokens(text, from);
  if (split) return split;
  const tokens: string[] = [];
  const n = text.length;
  let i = from;
  while (i < n && tokens.length < 40) {
    const c = text.charCodeAt(i);
    if (isJsSpace(c)) {
      i++;
      continue;
    }
    if (c === 34) {
      const end = quotedEnd(text, i + 1);
      if (end >= 0) {
        tokens.push(text.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    // A bare run (also a quote that is never closed: the regex's second alternative).
    let j = i + 1;
    while (j < n && !isJsSpace(text.charCodeAt(j))) j++;
    tokens.push(text.slice(i, j));
    i = j;
  }
  return tokens;
}

/** The index of the quote closing a string whose content starts at `i`, or -1 (a backslash escapes any character but a line end). */
function quotedEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) return i;
    if (c === 92) {
      if (i + 1 >= n || isLineEnd(text.charCodeAt(i + 1))) return -1;
      i += 2;
    } else i++;
  }
  return -1;
}

function isLineEnd(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** What `\s` matches in a JavaScript regex. */
function isJsSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function accessLevel(a: AccessFields): Level {
  if (a.code.startsWith('5') || a.code === '0') return 'error';
  return a.flags !== '-' ? 'warning' : 'info';
}

/** The text the catalog matches for an access-log entry (one stable shape for both access layouts). */
export function accessMessage(a: AccessFields): string {
  return `access ${a.code} flags=${a.flags} details=${a.details} cluster=${a.cluster} upstream_host=${a.upstreamHost} transport_failure=${a.transportFailure} route=${a.route} authority=${a.authority}`;
}

function raw(text: string, rawKind: Header['rawKind'], level: Level | null, logger: string | null = null): Header {
  return makeHeader('raw', null, level, logger, null, text, false, undefined, rawKind);
}

function parseRaw(text: string): Header | null {
  if (SCRIPT.test(text)) return makeHeader('script', null, 'info', 'script', null, text, true);
  const c = text.charCodeAt(0);
  if (c >= 65 && c <= 83) {
    const sl = SYSLOG.exec(text);
    if (sl) return makeHeader('syslog', sl[1]!, null, sl[3]!, null, sl[4]!, true);
  }
  if (RAW_TRAP.test(text)) return raw(text, 'wasm-trap', 'error', 'wasm');
  if ((c === 117 || c === 80 || c === 84) && ENVOY_MAIN.test(text)) return raw(text, 'envoy-main', 'critical', 'main');
  if ((c === 116 || c === 108) && (text.startsWith('time=') || text.startsWith('level=') || text.startsWith('ts='))) {
    const lf = parseLogfmt(text);
    if (lf) return lf;
  }
  // Istio's TEXT access log pasted without its `[time] ` (cut by the operator or the collector).
  if (c === 34 && ACCESS_TEXT_UNTIMED.test(text)) return parseAccessText(text, false);
  if ((c === 71 || c === 80 || c === 68 || c === 72 || c === 79 || c === 67 || c === 84) && ACCESS_TEXT_UNQUOTED.test(text)) {
    return parseAccessText(`"${text}`, false);
  }
  if (c === 35 && (GDB_FRAME.test(text) || GDB_FRAME_SHORT.test(text))) return raw(text, 'crash', 'critical', 'backtrace');
  if (GO_PANIC.test(text)) {
    const start = text.startsWith('panic: ') || text.startsWith('fatal error: ');
    return raw(text, 'go-panic', start ? 'critical' : null, 'go');
  }
  if (V8.test(text)) return raw(text, 'v8', text.startsWith('# Fatal') ? 'critical' : null, 'v8');
  if (CRASH_TEXT.test(text)) return raw(text, 'crash', 'critical', 'backtrace');
  return null;
}
