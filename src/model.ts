// The values that flow through the pipeline, stage by stage:
// sources → lines → records → events → findings → incidents → reports.
// Nothing here imports a UI; every stage and renderer speaks these types.

/** Envoy's level words (spdlog) are the canonical ones; Go's `warn`/`fatal` are mapped onto them. */
export type Level = 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'critical';

export const LEVEL_RANK: Record<Level, number> = {
  trace: 0,
  debug: 1,
  info: 2,
  warning: 3,
  error: 4,
  critical: 5,
};

export type Severity = 'info' | 'warning' | 'error' | 'critical';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

/**
 * Line layouts (docs/formats.md §2). Detection is per line: gateway.log interleaves several.
 *  envoy          L1 `[ts][tid][level][logger] [file:line] msg` (Higress 2.2+, plain Envoy)
 *  envoy-istio    L2 `ts\tlevel\tenvoy logger file:line\tmsg\tthread=N` (Higress 2.0/2.1, istio 1.6+)
 *  envoy-epoch    L3 `[Envoy (Epoch N)] [ts][tid][level][logger] msg` (Higress 1.x)
 *  istio-go       L4 `ts\tlevel\t[scope\t]msg` (pilot-agent, pilot, controller)
 *  istio-json     L4 JSON variant `{"level":…,"time":…,"scope":…,"msg":…}`
 *  access-json    L5 Higress access log (JSON-shaped text)
 *  access-text    Istio's default TEXT access log `[ts] "GET /p HTTP/1.1" 503 UH …`
 *  supervisord    L8 `YYYY-MM-DD HH:MM:SS,mmm LEVL msg`
 *  klog           L7 `E0520 08:14:58.201337 57 file.go:166] msg`
 *  spring         L6 higress-console `YYYY-MM-DD HH:MM:SS.SSS  LEVEL pid --- [thread] logger : msg`
 *  script         all-in-one start-script echo lines (`Mode=full`, `Checking the readiness of …`)
 *  raw            known un-prefixed output: Go panics, V8 fatal blocks, WAMR lines, bare Envoy crash text,
 *                 gdb backtraces, Wasm traps printed without a header
 *  syslog         what operators paste beside gateway logs from the host: dmesg (`[ 12.3]`, `[Fri Jun  7 09:55:40 2019]`),
 *                 syslog / journalctl (`Jun  7 09:55:40 node kernel: …`); logger = the program (`kernel`)
 *  kube           Kubernetes' view of the pod: `kubectl describe pod` fields, pod status YAML, `kubectl get pods` rows
 *  logfmt         `time=… level=warning msg="…" key=value` lines of Go programs beside the proxy (Cilium, Envoy Gateway, …)
 *  unknown        nothing explains the line (counted as unparsed, still matched by raw-tolerant patterns)
 */
export type LayoutId =
  | 'envoy'
  | 'envoy-istio'
  | 'envoy-epoch'
  | 'istio-go'
  | 'istio-json'
  | 'access-json'
  | 'access-text'
  | 'supervisord'
  | 'klog'
  | 'spring'
  | 'script'
  | 'raw'
  | 'syslog'
  | 'kube'
  | 'logfmt'
  | 'unknown';

export const LAYOUT_IDS: readonly LayoutId[] = [
  'envoy',
  'envoy-istio',
  'envoy-epoch',
  'istio-go',
  'istio-json',
  'access-json',
  'access-text',
  'supervisord',
  'klog',
  'spring',
  'script',
  'raw',
  'syslog',
  'kube',
  'logfmt',
  'unknown',
];

/** Each layout's index in LAYOUT_IDS (the number the scan worker and the lane send for it). */
export const LAYOUT_INDEX: ReadonlyMap<LayoutId, number> = new Map(LAYOUT_IDS.map((l, i) => [l, i]));

/** How a line reached us, when a collector or a terminal viewer wrapped it (docs/formats.md §W). */
export type WrapperId = 'docker-json' | 'kubectl-timestamps' | 'kubectl-prefix' | 'cri' | 'compose' | 'box' | 'journald' | 'quote' | 'table' | 'json-envelope' | 'host-time' | 'pod-container' | 'csv' | 'loki-labels' | 'line-number' | 'html' | 'prompt';

/** One physical line, located in its input. */
export interface Line {
  readonly input: string;
  /** 1-based line number within the input (after decompression). */
  readonly number: number;
  /** Decoded text without the line terminator; long lines are cut (see `cut`). */
  readonly text: string;
  /** Bytes dropped from this line because it exceeded the per-line cap. */
  readonly cut: number;
}

export interface AccessFields {
  readonly code: string;
  readonly flags: string;
  readonly details: string;
  readonly cluster: string;
  readonly upstreamHost: string;
  readonly transportFailure: string;
  readonly route: string;
  readonly authority: string;
  readonly method: string;
  readonly path: string;
}

/** An event: one record, or several assembled into one (a crash block, a shredded Wasm panic). */
export interface LogEvent {
  readonly input: string;
  readonly line: number;
  readonly endLine: number;
  readonly layout: LayoutId;
  readonly level: Level | null;
  readonly logger: string | null;
  readonly thread: string | null;
  readonly time: string | null;
  /** Text the catalog matches against. */
  readonly message: string;
  /** Physical lines for evidence (capped), and the line number of each. */
  readonly lines: readonly string[];
  readonly lineNumbers: readonly number[];
  readonly access?: AccessFields;
  /** What assembled it, when more than one record: `crash`, `wasm-panic`, `go-panic`, `v8-fatal`, … */
  readonly kind: string | null;
  /** Sequence number of the event in the whole run (order in the input, across inputs). */
  readonly seq: number;
  /** Physical line number of each line of `message` (so a match can point at its own line). */
  readonly lineMap?: readonly number[];
  readonly wrapper?: WrapperId | null;
  /**
   * Ids of the catalog literals (catalog/match.ts `matchLiterals`) that may be in `message`, when
   * the line was searched where it was scanned: a superset of those present. Absent: search it.
   */
  readonly literalHits?: readonly number[];
}

export type { CauseId } from './causes.js';
import type { CauseId } from './causes.js';

/**
 * What a finding tells the correlations besides its cause (diagnose/correlations.ts): `memory` —
 * memory ran out; `crash` — the process died here; `restart` — a process lifetime ends or begins
 * here; `symptom` — a state the gateway reports that an earlier failure explains (NOT ready).
 * Declared by patterns (docs/patterns.md `signals`).
 */
export const SIGNALS = ['memory', 'crash', 'restart', 'symptom', 'stream-open'] as const;
export type Signal = (typeof SIGNALS)[number];

/** exact: a message the sources print; general: a cause's vocabulary, for wording no exact pattern knows. */
export type Tier = 'exact' | 'general';

export interface Alternative {
  readonly cause: CauseId;
  readonly confidence: number;
}

/** A catalog pattern matched an event: the cause it yields and the fields it extracted. */
/**
 * Plugin chatter: a context finding without a signal. It tells only which plugin was active; the context lane
 * may drop its lines, so nothing that must be the same on every path may count it (Bounds.events, offset votes).
 */
export function isChatter(f: Pick<Finding, 'role' | 'signals'>): boolean {
  return f.role === 'context' && f.signals.length === 0;
}

export interface Finding {
  readonly patternId: string;
  readonly cause: CauseId;
  readonly severity: Severity;
  readonly confidence: number;
  readonly alternatives: readonly Alternative[];
  readonly fields: Readonly<Record<string, string>>;
  /** Subject keys (plugin, url, listener, cluster, …) that identify the incident with the cause. */
  readonly subject: Readonly<Record<string, string>>;
  readonly title: string;
  /** `root`: a cause in itself. `consequence`: follows from a root (joins it when one is near). */
  readonly role: 'root' | 'consequence' | 'context';
  readonly tier: Tier;
  /** Signals of the pattern, or of the rule that decided (empty: none). */
  readonly signals: readonly Signal[];
  /** When its incident repeats at least `atLeast` times, the cause becomes `cause` (pattern `repeated`). */
  readonly repeated?: { readonly atLeast: number; readonly cause: CauseId; readonly confidence: number; readonly because: string };
  /** The incident is reported only once it has this many findings. */
  readonly minCount?: number;
  /** The incident is reported only once `count` of its findings, at distinct seconds, fall within `seconds` (pattern `match.burst`). */
  readonly burst?: { readonly count: number; readonly seconds: number };
  /** For consequences: the root causes they follow from. */
  readonly consequenceOf?: readonly CauseId[];
  /** A numeric field that grows while the failure lasts: its largest value titles the incident (pattern `extent`). */
  readonly extent?: string;
  /** A context finding whose pattern knows the line to be harmless (pattern `harmless`). */
  readonly harmless?: boolean;
  readonly event: LogEvent;
  /** The physical line the match stands on (a bullet of a multi-error list, a frame, …). */
  readonly line: number;
  readonly text: string;
  /** Why this cause, in a sentence (from the pattern or the rule that decided it). */
  readonly explanation: string;
  readonly remediation: readonly string[];
  /** Note added by correlation (e.g. "the URL pattern lacks ${name}"). */
  readonly notes?: readonly string[];
}

export interface Evidence {
  readonly input: string;
  readonly line: number;
  readonly text: string;
}

export interface Incident {
  readonly id: string;
  readonly cause: CauseId;
  readonly category: string;
  readonly severity: Severity;
  readonly confidence: number;
  readonly title: string;
  readonly subject: Readonly<Record<string, string>>;
  readonly count: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly evidence: readonly Evidence[];
  readonly alternatives: readonly Alternative[];
  readonly remediation: readonly string[];
  readonly patterns: readonly string[];
  readonly explanation: string;
  readonly notes: readonly string[];
  /** Id of the incident this one is knock-on noise of, if any. */
  readonly rootOf: string | null;
  /** Order of the first event, for stable ranking by position in the log. */
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Crash details, when the incident is a crash. */
  readonly crash?: CrashDetails;
  /** `general`: only the general tier (a cause's vocabulary) found it; it ranks after exact incidents. Absent: exact. */
  readonly tier?: Tier;
}

export interface CrashDetails {
  readonly signal: string | null;
  readonly envoyVersion: string | null;
  readonly frames: readonly string[];
}

export interface UnclassifiedGroup {
  readonly template: string;
  readonly count: number;
  readonly level: Level | null;
  readonly example: Evidence;
}

export interface InputStats {
  readonly name: string;
  lines: number;
  bytes: number;
  /** Set when the input ended abnormally (truncated gzip, read error): what was read is still analysed. */
  error?: string;
}

export interface Stats {
  lines: number;
  events: number;
  unparsed: number;
  /** Lines longer than the cap, cut. */
  cutLines: number;
  layouts: Partial<Record<LayoutId, number>>;
}

export interface Environment {
  envoyVersion: string | null;
  higressVersion: string | null;
  logLayouts: LayoutId[];
  plugins: string[];
  /** First and last time of the events read, in `clock.zone`. */
  timeWindow: { first: string | null; last: string | null };
  /**
   * Envoy's local-clock window, when its offset from UTC is unknown and the log has UTC times too
   * (`timeWindow` is then the UTC one). Absent otherwise.
   */
  localTimeWindow?: { first: string | null; last: string | null };
  /** The clock of every time here (the diagnoser always says; absent in hand-made diagnoses: times as printed). */
  clock?: ClockInfo;
  /** What the cluster said besides the logs, when they were read from it (`--kube`). */
  kube?: KubeEnvironment;
  /** What the Docker daemon said about the container besides its logs (`--docker`). */
  docker?: DockerEnvironment;
  /** `--since` / `--until`: the window asked for, and the events it left out. */
  window?: TimeWindowFact;
}

/** The window of `--since` / `--until` (ISO 8601 UTC, null when open on that side) and what it left out. */
export interface TimeWindowFact {
  readonly since: string | null;
  readonly until: string | null;
  /** Events (records the catalog reads) left out before `since` and after `until`. */
  readonly leftOut: { readonly before: number; readonly after: number };
}

/** A container's state as `GET /containers/{id}/json` (docker inspect) gives it. */
export interface DockerStateFact {
  /** `running`, `exited`, `restarting`, `paused`, `created`, `dead`. */
  readonly status: string | null;
  readonly running: boolean;
  readonly oomKilled: boolean;
  readonly exitCode: number | null;
  /** The daemon's error for the container (a failed start), else null. */
  readonly error: string | null;
  readonly startedAt: string | null;
  /** When its last run ended (null when it never ended). */
  readonly finishedAt: string | null;
  readonly restartCount: number;
}

/** The all-in-one container read through the Docker Engine API (`--docker`). */
export interface DockerEnvironment {
  /** As given on the command line. */
  readonly container: string;
  /** Its name and short id, once the daemon answered. */
  readonly name: string | null;
  readonly id: string | null;
  readonly image: string | null;
  /** The API version the requests used. */
  readonly apiVersion: string | null;
  readonly state: DockerStateFact | null;
  /** Config.Tty: its log is then one raw stream (no stdout/stderr frames). */
  readonly tty: boolean | null;
  /** The files of /var/log/higress read (null: the folder could not be read, see problems). */
  readonly logFiles: readonly string[] | null;
  /** HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN from the container's environment, judged as `check pattern` does. */
  readonly urlPattern: { readonly value: string; readonly problem: string | null } | null;
  /** What could not be read, one line each (the rest of the diagnosis stands). */
  readonly problems: readonly string[];
}

/** How a container's last instance ended (pod status `lastState.terminated`). */
export interface TerminationFact {
  readonly reason: string | null;
  readonly exitCode: number | null;
  readonly signal: number | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export interface ContainerFact {
  readonly name: string;
  readonly restarts: number;
  readonly ready: boolean;
  /** `running`, `waiting`, `terminated`, or `unknown` (no status yet). */
  readonly state: 'running' | 'waiting' | 'terminated' | 'unknown';
  /** Why it waits or ended (`CrashLoopBackOff`, `OOMKilled`, …). */
  readonly reason: string | null;
  readonly lastTermination: TerminationFact | null;
}

export interface PodFact {
  readonly name: string;
  readonly namespace: string;
  /** Which selector found it. */
  readonly role: 'gateway' | 'controller';
  readonly phase: string | null;
  readonly node: string | null;
  /** Pod-level reason (`Evicted`, …). */
  readonly reason: string | null;
  readonly containers: readonly ContainerFact[];
}

/** A WasmPlugin resource (extensions.higress.io): where the gateway fetches the plugin from. */
export interface WasmPluginFact {
  readonly namespace: string;
  readonly name: string;
  readonly url: string | null;
  /** spec.phase: where in the filter chain it runs (AUTHN, AUTHZ, STATS, UNSPECIFIED_PHASE). */
  readonly phase: string | null;
  readonly priority: number | null;
  readonly imagePullPolicy: string | null;
}

export interface KubeEnvironment {
  readonly context: string | null;
  readonly namespace: string;
  readonly selectors: readonly string[];
  readonly pods: readonly PodFact[];
  /** null: the resources could not be read (see problems). */
  readonly wasmPlugins: readonly WasmPluginFact[] | null;
  /** URLs that several WasmPlugin resources share: every one of them fetches the same file. */
  readonly sharedPluginUrls: ReadonlyArray<{ readonly url: string; readonly plugins: readonly string[] }>;
  /** What could not be read, one line each (the rest of the diagnosis stands). */
  readonly problems: readonly string[];
}

/**
 * The one clock every time of a Diagnosis is written on (diagnose/clock.ts). Envoy prints the
 * container's local time without a zone, pilot-agent and the access log UTC.
 */
export interface ClockInfo {
  /**
   * The zone every time is written in (`UTC`, `+08:00`, an IANA name). Null when Envoy's local
   * times could not be placed on UTC: they are then written without a zone, UTC times with `Z`.
   */
  readonly zone: string | null;
  /** How far Envoy's local clock (the container's) is ahead of UTC: `+08:00`, `Z`; null when unknown or unused. */
  readonly localOffset: string | null;
  /**
   * How it is known: `inferred` from lines of both clocks that describe one moment, `option` (--tz),
   * `utc` (the log's times are all UTC), `unknown` (Envoy's local times, offset not known), `none` (no times).
   */
  readonly source: 'inferred' | 'option' | 'utc' | 'unknown' | 'none';
  /** What the offset rests on, or why it is unknown; null when there is nothing to say. */
  readonly basis: string | null;
}

/** The whole answer; every renderer is a pure function of it. */
export interface Diagnosis {
  readonly inputs: readonly InputStats[];
  readonly stats: Stats;
  readonly environment: Environment;
  readonly incidents: readonly Incident[];
  readonly unclassified: readonly UnclassifiedGroup[];
  /** Unclassified templates folded into "other" after the cap. */
  readonly unclassifiedOther: number;
  /** Error lines a context pattern recognised as harmless (`harmless: true`), by pattern: not unexplained, not incidents. */
  readonly harmless: readonly HarmlessGroup[];
}

/** Error lines one harmless context pattern claimed: what it calls them, how many, the first one. */
export interface HarmlessGroup {
  readonly pattern: string;
  readonly title: string;
  readonly count: number;
  readonly level: Level | null;
  readonly example: Evidence;
}
