// The correlation table: what one finding explains about a later one, and within which bounds.
// Patterns declare what a finding *is* (its cause, its signals: memory, crash, restart, symptom);
// this table declares what follows from what. The diagnoser (diagnose.ts) carries the effects out;
// lintCorrelations (below; run by the suite and `patterns test`) checks every entry against the
// signals and causes the catalog declares. docs/patterns.md "Signals and correlations" lists them.
import type { CauseId, Signal } from '../model.js';
import type { CompiledPattern } from '../catalog/load.js';
import type { ClockKind } from './clock.js';

/** How far an explanation reaches: events after it, seconds after it, and process lifetimes. */
export interface Bounds {
  /**
   * At most this many events later, counting the events that gave a finding other than plugin
   * chatter (a context finding without a signal). Chatter and lines nothing matched do not count:
   * how many of them become events depends on the path (the context lane drops repeated chatter,
   * the prefilter skips harmless lines), and the diagnosis must not.
   */
  readonly events: number;
  /** At most this many seconds later, when both events carry times on the same clock. */
  readonly seconds: number;
  /** Only within the process lifetime it happened in (a finding with the `restart` signal ends one). */
  readonly sameLifetime: boolean;
}

/** Which later findings an entry applies to. */
export interface Target {
  readonly causes: readonly CauseId[];
  /** The finding must carry this signal. */
  readonly signal?: Signal;
  /** The finding must come from an assembled crash block (frames to read), not a one-line report. */
  readonly crashBlock?: boolean;
  /** Findings this sure of themselves are left alone. */
  readonly below?: number;
}

export const MEMORY_EXPLAINS_CRASH = {
  id: 'memory-explains-crash',
  what: 'A crash right after a memory signal (an OOM hint, bad_alloc, an allocator failure) is put down to memory.',
  after: { signal: 'memory' as Signal },
  explains: { causes: ['envoy-crash', 'wasm-plugin-crash'], signal: 'crash' } satisfies Target,
  within: { events: 50, seconds: 300, sameLifetime: true } satisfies Bounds,
  becomes: 'oom' as CauseId,
} as const;

export const MEMORY_EXPLAINS_TRAP = {
  id: 'memory-explains-trap',
  what: "A plugin's trap right after a Wasm plugin said it ran out of memory (`runtime: out of memory`, the collector's `Out of Memory!`) is how that ends — the same plugin's out-of-memory, not a bug of its own. When both lines name their plugin, they must name the same one.",
  after: { signal: 'memory' as Signal, wasm: true },
  explains: { causes: ['wasm-plugin-crash'] } satisfies Target,
  within: { events: 10, seconds: 30, sameLifetime: true } satisfies Bounds,
  becomes: 'oom' as CauseId,
} as const;

export const PLUGIN_EXPLAINS_CRASH = {
  id: 'plugin-explains-crash',
  what: 'A crash block without Wasm frames right after a plugin was active or failing — or a Wasm VM failed without naming its plugin — is blamed on that plugin (likely, not certain).',
  after: { activity: 'plugin' },
  explains: { causes: ['envoy-crash', 'wasm-plugin-crash'], crashBlock: true } satisfies Target,
  within: { events: 20, seconds: 60, sameLifetime: true } satisfies Bounds,
  becomes: 'wasm-plugin-crash' as CauseId,
} as const;

export const PLUGIN_NAMES_TRAP = {
  id: 'plugin-names-trap',
  what: "A plugin's trap or panic that does not name the plugin is given the plugin active right before it.",
  after: { activity: 'plugin' },
  explains: { causes: ['wasm-plugin-crash'] } satisfies Target,
  within: { events: 20, seconds: 60, sameLifetime: true } satisfies Bounds,
} as const;

export const CRASH_TAKES_DOWN = {
  id: 'crash-takes-down',
  what: 'The noise right after a process crash (the config stream dropping, requests failing while Envoy restarts) is linked to the crash, not ranked as a root.',
  after: { signal: 'crash' as Signal },
  explains: { causes: ['xds-disconnected', 'upstream-unavailable', 'unknown'], below: 0.9 } satisfies Target,
  // The knock-on comes after the restart, so it may be in the next lifetime.
  within: { events: 200, seconds: 600, sameLifetime: false } satisfies Bounds,
} as const;

export const ROOT_EXPLAINS_CONSEQUENCE = {
  id: 'root-explains-consequence',
  what: "A consequence line (role: consequence) joins the nearest earlier root incident of a cause in its pattern's consequenceOf.",
  after: { role: 'root' },
  explains: { role: 'consequence' },
  within: { events: 400, seconds: 900, sameLifetime: true } satisfies Bounds,
} as const;

export const PLUGIN_ERROR_EXPLAINS_START_FAILURE = {
  id: 'plugin-error-explains-start-failure',
  what: "A plugin's own error line that some pattern (of either tier) explains is the root of the start-up failure right after it (`Failed to configure …`, a rejected filter): those lines join it, whatever cause it names, and it ranks as an exact incident.",
  after: { role: 'root', pluginLine: true },
  explains: { consequenceOf: ['wasm-plugin-config', 'wasm-plugin-crash', 'wasm-module-incompatible'] as CauseId[] },
  within: { events: 20, seconds: 60, sameLifetime: true } satisfies Bounds,
} as const;

export const FAILURE_EXPLAINS_SYMPTOM = {
  id: 'failure-explains-symptom',
  what: 'A state the gateway reports (`NOT ready`, signal `symptom`) is put after the failure just before it that explains it — a rejected certificate, a plugin that failed to start — when that failure is at least as grave.',
  after: { role: 'root' },
  explains: { signal: 'symptom' as Signal },
  within: { events: 400, seconds: 900, sameLifetime: false } satisfies Bounds,
} as const;

export const OUTAGE_ABSORBS_SYMPTOM = {
  id: 'outage-absorbs-symptom',
  what: 'A state the gateway reports (`NOT ready: config not received`, signal `symptom`) while a failure of the same cause is under way (the config stream down) joins that incident as a knock-on line instead of opening a second incident.',
  after: { role: 'root', sameCause: true },
  explains: { signal: 'symptom' as Signal },
  // pilot-agent's probe outlives Envoy restarts: the outage is the same across them.
  within: { events: 400, seconds: 900, sameLifetime: false } satisfies Bounds,
} as const;

export const TLS_EXPLAINS_STREAM = {
  id: 'tls-explains-stream',
  what: "A config stream that closes (`gRPC config stream closed: 14, … connection termination|failure`) in the same second as an upstream connection's TLS failure (the pool's `client disconnected, failure reason: TLS error: …`) closed because of it: an Envoy whose closure line does not carry the transport failure reason says why only on that debug line. The TLS failure is the root, at error (the gateway gets no configuration); the closure is its consequence. Either line may come first.",
  after: { causes: ['tls-certificate'] as CauseId[] },
  explains: { causes: ['xds-disconnected'] as CauseId[] } satisfies Target,
  within: { events: 10, seconds: 1, sameLifetime: true } satisfies Bounds,
} as const;

export const NOTHING_FETCHED = {
  id: 'nothing-fetched',
  what: "Envoy's initial fetch timing out for both clusters and listeners (`gRPC config: initial fetch timed out for …Cluster`, then `…Listener`) in one process lifetime means it received nothing at all from its control plane — what pilot-agent calls `config not received`: the config stream is not delivering (xds-disconnected, 0.6, bad-config its alternative), at error. One type timing out alone (routes, secrets, runtime, a Wasm config) stays a warning about that type; a rejection in the same log explains the timeouts instead.",
  after: { causes: ['bad-config'] as CauseId[] },
  explains: { causes: ['bad-config'] as CauseId[] } satisfies Target,
  within: { events: 50, seconds: 300, sameLifetime: true } satisfies Bounds,
  becomes: 'xds-disconnected' as CauseId,
} as const;

export const STREAM_EXPLAINS_TIMEOUT = {
  id: 'stream-explains-timeout',
  what: "An initial fetch that timed out (`gRPC config: initial fetch timed out for <type>`) in the same process lifetime as a failing config stream (an xds-disconnected incident: `gRPC config stream … closed: …` refused, unreachable, unauthenticated) timed out because the stream delivered nothing, not because of the configuration: the timeout joins the stream's incident as its knock-on. A rejection in the same log still explains the timeouts instead; clusters and listeners both timing out are nothing-fetched first.",
  after: { causes: ['xds-disconnected'] as CauseId[] },
  explains: { causes: ['bad-config'] as CauseId[] } satisfies Target,
  within: { events: 50, seconds: 300, sameLifetime: true } satisfies Bounds,
} as const;

export const STREAM_DIES_AT_OPENING = {
  id: 'stream-dies-at-opening',
  what: "A config stream that closes within a second of Envoy opening it (its debug `Establishing new gRPC bidi stream to <cluster> for rpc …`, signal `stream-open`) never carried a response: it fails at its opening, which no periodic reconnect does (that one closes a stream that lived ~30 minutes). The closure is reported at once, not only when three come within a minute (HD-NET-080's gate): the gateway gets no configuration over it.",
  after: { signal: 'stream-open' as Signal },
  explains: { causes: ['xds-disconnected'] as CauseId[] } satisfies Target,
  within: { events: 10, seconds: 1, sameLifetime: true } satisfies Bounds,
} as const;

export const CORRELATIONS = [
  MEMORY_EXPLAINS_CRASH,
  MEMORY_EXPLAINS_TRAP,
  PLUGIN_EXPLAINS_CRASH,
  PLUGIN_NAMES_TRAP,
  CRASH_TAKES_DOWN,
  ROOT_EXPLAINS_CONSEQUENCE,
  PLUGIN_ERROR_EXPLAINS_START_FAILURE,
  FAILURE_EXPLAINS_SYMPTOM,
  OUTAGE_ABSORBS_SYMPTOM,
  TLS_EXPLAINS_STREAM,
  NOTHING_FETCHED,
  STREAM_EXPLAINS_TIMEOUT,
  STREAM_DIES_AT_OPENING,
] as const;

/**
 * What the table promises of the catalog (checked with the catalog lint, by the suite and
 * `patterns test`): every signal an entry starts from or requires is declared by some pattern or
 * rule, and every cause it names is one some pattern can yield — an entry about a signal nobody
 * declares would silently never apply.
 */
export function lintCorrelations(patterns: readonly CompiledPattern[]): string[] {
  const signals = new Set<Signal>(patterns.flatMap((p) => [...p.signals, ...p.rules.flatMap((r) => r.signals ?? [])]));
  const causes = new Set<CauseId>(patterns.flatMap((p) => [p.spec.cause as CauseId, ...p.rules.map((r) => r.cause)]));
  const out: string[] = [];
  for (const c of CORRELATIONS) {
    const after = c.after as { signal?: Signal };
    const explains = c.explains as Partial<Target>;
    for (const s of [after.signal, explains.signal]) if (s && !signals.has(s)) out.push(`${c.id}: no pattern declares the signal ${s}`);
    for (const cause of explains.causes ?? []) if (cause !== 'unknown' && !causes.has(cause)) out.push(`${c.id}: no pattern yields ${cause}`);
    if ('becomes' in c && !causes.has(c.becomes)) out.push(`${c.id}: no pattern yields ${c.becomes}`);
    const w = c.within;
    if (!(w.events > 0 && w.seconds > 0)) out.push(`${c.id}: bounds must be positive`);
  }
  return out;
}

/**
 * Causes whose findings read the last plugin activity: the context lane (lines/context-lane.ts)
 * lets a held chatter line go before any access line that may give one.
 */
export const CAUSES_READING_PLUGIN_ACTIVITY: readonly CauseId[] = [...new Set<CauseId>([...PLUGIN_EXPLAINS_CRASH.explains.causes, ...PLUGIN_NAMES_TRAP.explains.causes])];

/** Does a target admit a finding? */
export function targets(t: Target, cause: CauseId, signals: readonly Signal[], crashBlock: boolean, confidence: number): boolean {
  if (!t.causes.includes(cause)) return false;
  if (t.signal !== undefined && !signals.includes(t.signal)) return false;
  if (t.crashBlock === true && !crashBlock) return false;
  if (t.below !== undefined && confidence >= t.below) return false;
  return true;
}

/**
 * A moment in the run: event order, process lifetime, and its time — on its own clock (`ms`, NaN
 * when it has none) and as an instant (`utc`, NaN while the offset of its clock is unknown).
 * Numbers, not the printed time: a time cut out of a log line can hold on to the whole line (or the
 * chunk it was decoded from) for as long as the moment is remembered.
 */
export interface Moment {
  readonly seq: number;
  /** Counted events so far, this one included when it counts (Bounds.events). */
  readonly mark: number;
  readonly lifetime: number;
  readonly clock: ClockKind | null;
  readonly ms: number;
  readonly utc: number;
}

/**
 * Is `later` within the bounds of `earlier`? Times compare as instants when both are known, else
 * only on one clock (Envoy's local time and UTC are not compared while the offset is unknown).
 */
export function within(b: Bounds, earlier: Moment, later: Moment): boolean {
  if (later.mark - earlier.mark > b.events) return false;
  if (b.sameLifetime && later.lifetime !== earlier.lifetime) return false;
  const dt = !Number.isNaN(earlier.utc) && !Number.isNaN(later.utc) ? later.utc - earlier.utc : earlier.clock !== null && earlier.clock === later.clock ? later.ms - earlier.ms : NaN;
  return !(dt > b.seconds * 1000);
}
