// Findings → incidents. Groups findings by cause and subject, joins knock-on lines to their root,
// correlates what single lines cannot tell (a URL pattern without ${name}, a crash right after a
// plugin changed), ranks, and keeps every table bounded so memory stays flat on any input.
// It is incremental: `tail` calls snapshot() whenever it redraws; `analyze` once at the end.
import { createHash } from 'node:crypto';
import type {
  Alternative,
  CauseId,
  ClockInfo,
  CrashDetails,
  Diagnosis,
  Environment,
  Evidence,
  Finding,
  Incident,
  InputStats,
  LayoutId,
  Level,
  LogEvent,
  Severity,
  Stats,
  UnclassifiedGroup,
  HarmlessGroup,
} from '../model.js';
import { isChatter, LEVEL_RANK, SEVERITY_RANK } from '../model.js';
import { pluginFromName, pluginFromUrl } from '../catalog/transforms.js';
import { causeInfo } from './causes.js';
import { byCodeUnits, counted } from '../words.js';
import { ADVICE_FIELDS, buildRemediation } from './remediation.js';
import { templateOf } from './templates.js';
import { clockOf, fixedZone, isoIn, isoWall, localToUtc, offsetText, OffsetVotes, timeMs, UTC, type ClockKind, type Zone } from './clock.js';
import {
  CRASH_TAKES_DOWN,
  MEMORY_EXPLAINS_CRASH,
  MEMORY_EXPLAINS_TRAP,
  PLUGIN_EXPLAINS_CRASH,
  PLUGIN_NAMES_TRAP,
  PLUGIN_ERROR_EXPLAINS_START_FAILURE,
  FAILURE_EXPLAINS_SYMPTOM,
  OUTAGE_ABSORBS_SYMPTOM,
  ROOT_EXPLAINS_CONSEQUENCE,
  TLS_EXPLAINS_STREAM,
  NOTHING_FETCHED,
  STREAM_EXPLAINS_TIMEOUT,
  STREAM_DIES_AT_OPENING,
  targets,
  within,
  type Bounds,
  type Moment,
} from './correlations.js';

export const MAX_EVIDENCE = 8;
/** `convert the wasm config: 2 errors occurred:` — a Go multi-error's header; its items follow as `* …` lines. */
const MULTI_ERROR_HEADER = /\b\d+ errors? occurred:\s*$/;
export const MAX_INCIDENTS = 500;
/** The key part of the incident per cause that takes findings past MAX_INCIDENTS (no real subject has it). */
const OVERFLOW_SUBJECT = '\u0000more';
export const MAX_TEMPLATES = 200;

interface IncidentState {
  key: string;
  cause: CauseId;
  subject: Record<string, string>;
  severity: Severity;
  confidence: number;
  alternatives: Alternative[];
  title: string;
  explanation: string;
  /** The pattern's own steps (of the finding the title comes from); the cause's are added at the end. */
  specific: readonly string[];
  /** What the log named that advice can use (url, plugin, port, import, …): bounded to ADVICE_FIELDS. */
  adviceFields: Record<string, string>;
  notes: Set<string>;
  patterns: Set<string>;
  count: number;
  knockOn: number;
  /** Times of its events (knock-on lines included), on their clocks. */
  span: Span;
  firstSeq: number;
  lastSeq: number;
  /** Counted events (Bounds.events) at its first and last event: what the event bounds measure. */
  firstMark: number;
  lastMark: number;
  evidence: Evidence[];
  /** The newest occurrence, shown last when the first ones filled the evidence list. */
  latest: LatestLine;
  crash?: CrashDetails;
  rootOf: string | null;
  /** Below this count the incident is not reported (see `match.minCount`). */
  minCount: number;
  /** Not reported until its findings came as a burst (see `match.burst`); null: no such gate. */
  burst: Burst | null;
  /** A finding of it carried the `crash` signal: the process died (correlations: crash-takes-down). */
  crashSignal: boolean;
  /** Every finding carried the `symptom` signal (correlations: failure-explains-symptom). */
  symptomOnly: boolean;
  /** Every finding came from the general tier (a cause's vocabulary, no exact pattern). */
  general: boolean;
  /** What the cause becomes when the incident repeats (pattern `repeated`). */
  repeated: Finding['repeated'];
  /**
   * How many findings of a pattern with `repeated` the incident has: another pattern's line of the same event (V8's
   * check line beside its banner) joins the incident without repeating it.
   */
  repeats: number;
  /** The pattern whose title the incident shows. */
  titlePattern: string;
  /** Distinct titles of that pattern's findings (bounded): three missing imports are three names, not ×3 of one. */
  titles: string[];
  moreTitles: number;
  /** The largest value of the title pattern's `extent` field so far (-Infinity: none). */
  extentMax: number;
}

interface UnclassifiedState {
  template: string;
  count: number;
  level: Level | null;
  example: Evidence;
}

/** A Wasm plugin's own out-of-memory line (correlations: memory-explains-trap), with the plugin when it named one. */
interface WasmMemory {
  at: Moment;
  plugin: string | null;
}

/** Where Envoy last opened a config stream (its debug `Establishing new gRPC bidi stream to <cluster>`). */
interface StreamOpen {
  at: Moment;
  cluster: string | null;
}

/** A plugin seen active (logging, failing, being fetched), for crash attribution. */
interface PluginActivity {
  /** The plugin; null when a Wasm VM failed and no line named its plugin (`Wasm VM failed Failed to configure …`). */
  plugin: string | null;
  at: Moment;
  failing: boolean;
}

/** Causes of a Wasm VM's own failure: such a line is a plugin's activity even when it names no plugin. */
const VM_FAILURE_CAUSES: ReadonlySet<CauseId> = new Set<CauseId>(['wasm-plugin-config', 'wasm-plugin-crash', 'wasm-module-incompatible', 'wasm-module-corrupt', 'wasm-vm-limit']);

/** How far back a consequence looks for its root, lifetimes aside (those are checked per root's process). */
const ROOT_REACH = { ...ROOT_EXPLAINS_CONSEQUENCE.within, sameLifetime: false };

export class Diagnoser {
  private readonly incidents = new Map<string, IncidentState>();
  private readonly unclassified = new Map<string, UnclassifiedState>();
  /** Error lines harmless context patterns claimed, by pattern id (as many as there are such patterns). */
  private readonly harmless = new Map<string, { -readonly [K in keyof HarmlessGroup]: HarmlessGroup[K] }>();
  private unclassifiedOther = 0;
  /** Plugin activity, newest last; entries before recentStart no longer count. */
  private recentPlugins: PluginActivity[] = [];
  private recentStart = 0;
  /** Recent root incidents by cause, newest last: consequences join them. */
  private readonly recentRoots: Array<{ key: string; cause: CauseId; at: Moment; plugin: string | undefined; pluginLine: boolean; scope: string }> = [];
  /** Entries of recentRoots before this index no longer count (the newest 256 do). */
  private rootsStart = 0;
  private envoyVersion: string | null = null;
  /** Events that count for the correlations' event bounds (Bounds.events): not chatter, not unmatched. */
  private marks = 0;
  /** A multi-error header line waiting for its first item (see onEvent). */
  private pendingHeader: LogEvent | null = null;
  /** Times of every event read, on their clocks. */
  private readonly window = new Span();
  /** Pairs of lines of both clocks that describe one moment: the offset of Envoy's local clock. */
  private readonly votes = new OffsetVotes();
  /** The container's zone when `--tz` gave it; else the offset is read from the log. */
  private readonly zone: Zone | null;
  /** Clock and milliseconds of the event being read (observeTime). */
  private evClock: ClockKind | null = null;
  private evMs = NaN;
  private readonly plugins = new Set<string>();
  /**
   * One string per plugin name. A name cut out of a log line can hold on to the whole line:
   * the recent-activity entries keep the first copy instead (bounded; same value either way).
   */
  private readonly pluginNames = new Map<string, string>();
  /** The last memory signal (correlations: memory-explains-crash). */
  private memorySignal: Moment | null = null;
  /** The latest memory signal a Wasm plugin gave (its own out-of-memory line), and the plugin when named. */
  private wasmMemory: WasmMemory | null = null;
  /** The config stream Envoy opened last (correlations: stream-dies-at-opening), and its cluster when named. */
  private streamOpen: StreamOpen | null = null;
  /**
   * The process lifetime of the scope being read: a finding with the `restart` signal ends it. Every scope starts
   * in lifetime 0; a restart gives its scope a number no other scope has, so a restart in one process (a pod, a
   * log file of its own) never ends another's lifetime, and two processes share a lifetime only until either
   * restarts.
   */
  private lifetime = 0;
  /** Lifetime numbers given out so far. */
  private lifetimes = 0;
  /**
   * With a scope per process (one per pod of a fleet: `scopeOf`), what tells of one process — its memory signal,
   * its plugin activity — is kept apart from the others': pod A's OOM kill does not explain pod B's crash.
   * The scope being read has its state in the fields above; the others wait here.
   */
  private readonly scopes = new Map<string, { memorySignal: Moment | null; wasmMemory: WasmMemory | null; streamOpen: StreamOpen | null; recentPlugins: PluginActivity[]; recentStart: number; lifetime: number }>();
  private scope = '';

  /** The process an event comes from (a fleet's pod), when the events are of several. */
  private readonly scopeOf: ((event: LogEvent) => string) | undefined;

  constructor(opts: { scopeOf?: (event: LogEvent) => string; zone?: Zone | null } = {}) {
    this.scopeOf = opts.scopeOf;
    this.zone = opts.zone ?? null;
  }

  private enterScope(key: string): void {
    if (key === this.scope) return;
    this.scopes.set(this.scope, { memorySignal: this.memorySignal, wasmMemory: this.wasmMemory, streamOpen: this.streamOpen, recentPlugins: this.recentPlugins, recentStart: this.recentStart, lifetime: this.lifetime });
    const next = this.scopes.get(key);
    this.memorySignal = next?.memorySignal ?? null;
    this.wasmMemory = next?.wasmMemory ?? null;
    this.streamOpen = next?.streamOpen ?? null;
    this.recentPlugins = next?.recentPlugins ?? [];
    this.recentStart = next?.recentStart ?? 0;
    this.lifetime = next?.lifetime ?? 0;
    this.scope = key;
  }

  /** Feed one event and the findings the catalog made of it (none for an unexplained event). */
  onEvent(event: LogEvent, findings: readonly Finding[]): void {
    if (this.pendingHeader) {
      // A multi-error header on a line of its own is explained when its first item (`* …`) is.
      const header = this.pendingHeader;
      this.pendingHeader = null;
      // Only its very next line: whatever else came between is skipped or not depending on the path.
      const next = event.input === header.input && event.line === header.endLine + 1;
      if (!(next && /^\s*\*\s/.test(event.message) && findings.some((f) => f.role !== 'context'))) this.addUnclassified(header);
    }
    if (!findings.every(isChatter)) this.marks++;
    if (this.scopeOf) this.enterScope(this.scopeOf(event));
    this.observeTime(event, findings);
    // Made only when a finding or plugin activity needs it (most events need none).
    let moment: Moment | null = null;
    const now = (): Moment => (moment ??= this.momentOf(event));
    const ownPlugin = this.noteActivity(event, findings, now);
    this.noteStreamOpen(findings, now);
    // Context findings (plugin activity, fetch progress) explain nothing: an error line that only
    // a context pattern matched is still an unexplained error, never dropped.
    if (findings.every((f) => f.role === 'context')) {
      if (event.level !== null && LEVEL_RANK[event.level] >= LEVEL_RANK.error) {
        const harmless = findings.find((f) => f.harmless === true);
        // A context pattern that knows the line to be harmless: recognised, not unexplained (and still no incident).
        if (harmless) this.addHarmless(event, harmless);
        // A multi-error header whose items came apart from it (bullets without the tab): wait for its first item.
        else if (event.lines.length === 1 && MULTI_ERROR_HEADER.test(event.message)) this.pendingHeader = event;
        else this.addUnclassified(event);
      }
      this.noteRestart(findings);
      return;
    }
    let sameUrl: Map<string, number> | null = null; // only needed for a finding with a URL
    for (const f of findings) {
      if (f.role === 'context') continue;
      const url = f.fields.url;
      if (url) sameUrl ??= countBy(findings, (x) => x.fields.url);
      const g = correlate(f, {
        sameUrlInEvent: url ? (sameUrl!.get(url) ?? 0) : 0,
        recentPlugin: this.recentPlugin(now()),
        memorySignal: this.memorySignal !== null && this.memorySignal.seq < event.seq && within(MEMORY_EXPLAINS_CRASH.within, this.memorySignal, now()),
        ownPlugin,
        wasmMemory:
          this.wasmMemory !== null && this.wasmMemory.at.seq < event.seq && within(MEMORY_EXPLAINS_TRAP.within, this.wasmMemory.at, now()) ? { plugin: this.wasmMemory.plugin } : null,
        mark: now().mark,
        streamOpen: this.openedJustBefore(f, event, now()),
      });
      if (f.role === 'consequence' && this.joinRoot(g, now())) continue;
      if (g.signals.includes('symptom') && this.joinOutage(g, now())) continue;
      this.addFinding(g, now());
    }
    // After the correlations: a memory signal explains what comes after it, not its own event.
    for (const f of findings) {
      if (!f.signals.includes('memory')) continue;
      this.memorySignal = now();
      const plugin = f.subject.plugin ?? f.fields.plugin;
      if (event.logger === 'wasm' || plugin) this.wasmMemory = { at: now(), plugin: plugin ? this.internName(plugin) : null };
    }
    this.noteRestart(findings);
  }

  /**
   * The clock and time of the event being read: Envoy prints the container's local time, Go and the
   * access log UTC (diagnose/clock.ts); a pair of the two clocks describing one moment gives the
   * offset. Numbers only, kept in fields: this runs for every event and allocates nothing.
   */
  private observeTime(event: LogEvent, findings: readonly Finding[]): void {
    const t = event.time;
    const kind = t === null ? null : clockOf(event.layout, event.lines[0]);
    const ms = kind === null ? NaN : timeMs(t!, kind);
    const clock: ClockKind | null = Number.isNaN(ms) ? null : kind;
    this.evClock = clock;
    this.evMs = ms;
    this.window.add(clock, ms, t);
    if (clock === null) return;
    this.votes.observeEvent(clock, event, event.seq, ms, findings);
  }

  /** The event's place in the run, with its time on its clock and as an instant when that is known. */
  private momentOf(event: LogEvent): Moment {
    const clock = this.evClock;
    const ms = this.evMs;
    return { seq: event.seq, mark: this.marks, lifetime: this.lifetime, clock, ms, utc: clock === 'utc' ? ms : clock === 'local' ? this.localInstant(ms) : NaN };
  }

  /** The instant of a local-clock time as far as the offset is known now; NaN while it is not. */
  private localInstant(ms: number): number {
    if (this.zone) return localToUtc(ms, this.zone);
    const off = this.votes.current();
    return off === null ? NaN : ms - off * 60_000;
  }

  /** A finding with the `restart` signal ends the process lifetime (after its own event is correlated). */
  private noteRestart(findings: readonly Finding[]): void {
    for (const f of findings) {
      if (f.signals.includes('restart')) {
        this.lifetime = ++this.lifetimes;
        return;
      }
    }
  }

  /** A finding with the `stream-open` signal: Envoy opens a config stream here (its debug line). */
  private noteStreamOpen(findings: readonly Finding[], now: () => Moment): void {
    for (const f of findings) {
      if (!f.signals.includes('stream-open')) continue;
      this.streamOpen = { at: now(), cluster: f.fields.cluster ?? null };
      return;
    }
  }

  /**
   * The stream a config-stream closure ends, when Envoy opened it within a second before (same lifetime, same
   * cluster when both name one): the closure is then that stream failing at its opening.
   */
  private openedJustBefore(f: Finding, event: LogEvent, now: Moment): { cluster: string | null } | null {
    const open = this.streamOpen;
    if (open === null || open.at.seq >= event.seq || !STREAM_DIES_AT_OPENING.explains.causes.includes(f.cause)) return null;
    if (!within(STREAM_DIES_AT_OPENING.within, open.at, now)) return null;
    const cluster = f.fields.cluster;
    if (open.cluster !== null && cluster !== undefined && cluster !== '' && open.cluster !== cluster) return null;
    return { cluster: open.cluster ?? cluster ?? null };
  }

  /** Notes the plugins this event names (its findings', or its `wasm log <plugin>:` prefix); returns the first. */
  private noteActivity(event: LogEvent, findings: readonly Finding[], now: () => Moment): string | null {
    // Plugins named by this event, in first-seen order (an array: usually one, so no Set per event).
    let found: string[] | null = null;
    for (const f of findings) {
      const p = f.subject.plugin ?? f.fields.plugin;
      if (p) found = addOnce(found, p);
    }
    // A finding of this event that names its plugin already read the same words.
    if (found === null && event.logger === 'wasm' && event.message.startsWith('wasm log')) {
      // `wasm log higress-system.key-auth-1.0.0: [key-auth] …` names the plugin that logs; Envoy and Istio
      // put the root and VM ids after the name (`wasm log coraza-filter my_vm_id: …`).
      const m = /^wasm log ([^\s:]+)(?: [^\s:]+){0,2}\s*:\s*(?:\[([\w.-]+)\])?/.exec(event.message);
      if (m) found = addOnce(found, m[2] ?? pluginFromName(m[1]!));
      else {
        const b = /^wasm log\s*:\s*\[([\w.-]+)\]/.exec(event.message);
        if (b) found = addOnce(found, b[1]!);
      }
    }
    if (event.kind === 'crash' || event.layout === 'raw') {
      const versionMatch = /Envoy version: [0-9a-f]{7,40}\/([\w.+-]+)\//.exec(event.message);
      if (versionMatch) this.envoyVersion = versionMatch[1]!;
    }
    if (found === null) {
      // A Wasm VM that fails without naming its plugin (Envoy's `Wasm VM failed …` lines) is still a plugin
      // failing: a crash right after it is blamed on that unnamed plugin (correlations: plugin-explains-crash).
      if (event.logger === 'wasm' && event.level !== null && LEVEL_RANK[event.level] >= LEVEL_RANK.error && findings.some((f) => f.role !== 'context' && VM_FAILURE_CAUSES.has(f.cause))) {
        this.pushActivity({ plugin: null, at: now(), failing: true });
      }
      return null;
    }
    const failing = event.level !== null && LEVEL_RANK[event.level] >= LEVEL_RANK.warning;
    for (const plugin of found) {
      this.plugins.add(plugin);
      this.pushActivity({ plugin: this.internName(plugin), at: now(), failing });
    }
    return found[0]!;
  }

  private pushActivity(a: PluginActivity): void {
    this.recentPlugins.push(a);
    // Only the newest 64 count; dropping the older ones in bulk keeps this O(1) per event.
    const n = this.recentPlugins.length;
    if (n - this.recentStart > 64) this.recentStart = n - 64;
    if (this.recentStart >= 64) {
      this.recentPlugins.splice(0, this.recentStart);
      this.recentStart = 0;
    }
  }

  private internName(name: string): string {
    const known = this.pluginNames.get(name);
    if (known !== undefined) return known;
    if (this.pluginNames.size < 4096) this.pluginNames.set(name, name);
    return name;
  }

  /** The clock of the reports: the container's zone when `--tz` gave it or the log tells it (diagnose/clock.ts). */
  private clock(): ClockContext {
    const r = this.votes.reading();
    if (this.zone) {
      const z = this.zone;
      const at = this.window.firstInstant(z);
      const given = z.offsetAt(at);
      const differs = r.offset !== null && r.offset !== given ? `; the log suggests ${offsetText(r.offset)} (${r.basis})` : '';
      return { display: z, local: z, info: { zone: z.name, localOffset: offsetText(given), source: 'option', basis: `given with --tz${differs}` } };
    }
    if (r.offset !== null) {
      const z = fixedZone(r.offset);
      return { display: z, local: z, info: { zone: z.name, localOffset: offsetText(r.offset), source: 'inferred', basis: r.basis } };
    }
    if (r.sawLocal) {
      const why = r.basis ?? (r.sawUtc ? 'no lines of the two clocks describe one moment' : 'the log has only Envoy\'s local times');
      return { display: null, local: null, info: { zone: null, localOffset: null, source: 'unknown', basis: `${why}: --tz gives the container's zone` } };
    }
    if (r.sawUtc) return { display: UTC, local: null, info: { zone: 'UTC', localOffset: null, source: 'utc', basis: null } };
    return { display: null, local: null, info: { zone: null, localOffset: null, source: 'none', basis: null } };
  }

  /**
   * The last plugin active before `now`, within the bounds of the plugin correlations. A named plugin is
   * preferred to a newer VM failure that names none (most likely its own VM): it is returned as failing.
   */
  private recentPlugin(now: Moment): PluginActivity | null {
    let unnamed: PluginActivity | null = null;
    for (let i = this.recentPlugins.length - 1; i >= this.recentStart; i--) {
      const a = this.recentPlugins[i]!;
      if (a.at.seq >= now.seq) continue;
      // Older entries are further away: the first one out of bounds ends the search.
      if (!within(PLUGIN_EXPLAINS_CRASH.within, a.at, now)) break;
      if (a.plugin === null) {
        unnamed ??= a;
        continue;
      }
      return unnamed && !a.failing ? { ...a, failing: true } : a;
    }
    return unnamed;
  }

  private joinRoot(f: Finding, now: Moment): boolean {
    // A consequence joins a root its pattern allows and its own reading agrees with: `signal: killed`
    // (oom, or else a crash) joins an OOM or crash root, never an unrelated config rejection.
    // A consequence unsure of its own cause (≤ 0.5) may join any root its pattern allows.
    const plausible = new Set<CauseId>([f.cause, ...f.alternatives.map((a) => a.cause)]);
    const wanted = new Set((f.consequenceOf ?? []).filter((c) => f.confidence <= 0.5 || plausible.has(c)));
    // A plugin's start-up failure also joins the plugin's own error line just before it, whatever
    // cause that line names (correlations: plugin-error-explains-start-failure).
    const pluginStart = PLUGIN_ERROR_EXPLAINS_START_FAILURE;
    const startFailure = (f.consequenceOf ?? []).some((c) => pluginStart.explains.consequenceOf.includes(c));
    const plugin = f.subject.plugin;
    for (let i = this.recentRoots.length - 1; i >= this.rootsStart; i--) {
      const r = this.recentRoots[i]!;
      // A root of another process (scope) counts while that process lives on: its lifetime, not this one's.
      const seen = r.scope === this.scope ? now : { ...now, lifetime: this.scopes.get(r.scope)?.lifetime ?? 0 };
      // Older roots are further away in events and time (stop), not necessarily in lifetime (skip).
      if (!within(ROOT_REACH, r.at, now)) break;
      if (!within(ROOT_EXPLAINS_CONSEQUENCE.within, r.at, seen)) continue;
      const ownLine = startFailure && r.pluginLine && within(pluginStart.within, r.at, seen);
      if (!wanted.has(r.cause) && !ownLine) continue;
      if (plugin && r.plugin && plugin !== r.plugin) continue;
      const inc = this.incidents.get(r.key);
      if (!inc || !reportable(inc)) continue;
      this.absorb(inc, f, now);
      // The knock-on line often names what the root line could not (`Unable to create Wasm HTTP
      // filter higress-system.geoip-1.0.0` after a bare missing-import line): lend the name.
      if (plugin && !inc.subject.plugin) {
        inc.subject.plugin = plugin;
        inc.title = `${inc.title} — plugin ${plugin}`;
        r.plugin = plugin;
      }
      return true;
    }
    return false;
  }

  /**
   * A state the gateway reports (`NOT ready`, signal `symptom`) while a failure of the same cause is
   * under way joins it as a knock-on line (correlations: outage-absorbs-symptom): the config stream
   * down and the readiness probe failing for want of config are one incident.
   */
  private joinOutage(f: Finding, now: Moment): boolean {
    for (let i = this.recentRoots.length - 1; i >= this.rootsStart; i--) {
      const r = this.recentRoots[i]!;
      if (!within(OUTAGE_ABSORBS_SYMPTOM.within, r.at, now)) break;
      if (r.cause !== f.cause) continue;
      const inc = this.incidents.get(r.key);
      if (!inc || inc.symptomOnly || !reportable(inc)) continue;
      this.absorb(inc, f, now);
      return true;
    }
    return false;
  }

  /** A knock-on line joins an incident: evidence and time span, not its count. */
  private absorb(inc: IncidentState, f: Finding, now: Moment): void {
    inc.knockOn++;
    inc.patterns.add(f.patternId);
    // An exact knock-on corroborates a root the general tier read from its words.
    if (f.tier === 'exact') inc.general = false;
    this.addEvidence(inc, f);
    inc.span.add(now.clock, now.ms, f.event.time);
    inc.lastSeq = Math.max(inc.lastSeq, f.event.seq);
    inc.lastMark = Math.max(inc.lastMark, now.mark);
  }

  private addFinding(f: Finding, now: Moment): void {
    let key = incidentKey(f.cause, f.subject);
    let inc = this.incidents.get(key);
    let overflow = false;
    if (!inc && this.incidents.size >= MAX_INCIDENTS) {
      // Past the cap a finding on one more subject still has its cause: it joins one incident per cause that
      // counts such findings together (as many as there are causes), instead of reading as unexplained.
      key = `${f.cause}|${OVERFLOW_SUBJECT}`;
      inc = this.incidents.get(key);
      overflow = true;
    }
    if (!inc) {
      inc = {
        key,
        cause: f.cause,
        subject: overflow ? {} : { ...f.subject },
        severity: f.severity,
        confidence: f.confidence,
        alternatives: [...f.alternatives],
        title: f.title,
        explanation: f.explanation,
        specific: f.remediation,
        adviceFields: {},
        notes: new Set(f.notes ?? []),
        patterns: new Set([f.patternId]),
        count: 0,
        knockOn: 0,
        span: new Span(),
        firstSeq: f.event.seq,
        lastSeq: f.event.seq,
        firstMark: now.mark,
        lastMark: now.mark,
        evidence: [],
        latest: new LatestLine(),
        rootOf: null,
        minCount: f.minCount ?? 1,
        burst: f.burst ? { count: f.burst.count, windowMs: f.burst.seconds * 1000, seconds: [], met: false } : null,
        crashSignal: false,
        symptomOnly: true,
        general: true,
        repeated: f.repeated,
        repeats: 0,
        titlePattern: f.patternId,
        titles: [],
        moreTitles: 0,
        extentMax: -Infinity,
      };
      if (overflow) inc.notes.add(`Past the first ${MAX_INCIDENTS} incidents, the findings of this cause on every further subject are counted here together; their titles below name some of them.`);
      this.incidents.set(key, inc);
    }
    inc.count++;
    inc.patterns.add(f.patternId);
    if (f.repeated) {
      inc.repeated ??= f.repeated;
      inc.repeats++;
    }
    // A finding of a pattern without the gate (a close with an error code beside the periodic ones) makes the incident reportable.
    if (inc.burst && !f.burst) inc.burst = null;
    if (inc.burst && !inc.burst.met) noteBurst(inc.burst, now.ms);

    if (f.signals.includes('crash')) inc.crashSignal = true;
    if (!f.signals.includes('symptom')) inc.symptomOnly = false;
    if (f.tier !== 'general') inc.general = false;
    for (const n of f.notes ?? []) inc.notes.add(n);
    if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[inc.severity]) inc.severity = f.severity;
    noteAdviceFields(inc.adviceFields, f);
    if (f.confidence > inc.confidence) {
      inc.confidence = f.confidence;
      inc.alternatives = [...f.alternatives];
      inc.title = f.title;
      inc.explanation = f.explanation;
      inc.specific = f.remediation;
      if (f.patternId !== inc.titlePattern) {
        inc.titlePattern = f.patternId;
        inc.titles = [];
        inc.moreTitles = 0;
        inc.extentMax = -Infinity;
      }
    }
    const extent = f.extent === undefined ? NaN : Number(f.fields[f.extent]);
    if (f.patternId === inc.titlePattern && !Number.isNaN(extent)) {
      // `closed since 31s ago` … `closed since 221s ago`: one outage, as long as the longest reported.
      if (extent > inc.extentMax) {
        inc.extentMax = extent;
        inc.title = Buffer.from(f.title, 'utf8').toString('utf8');
        inc.titles = [inc.title];
        inc.moreTitles = 0;
      }
    } else if (f.patternId === inc.titlePattern && !inc.titles.includes(f.title)) {
      // A copy: a title made of parts of a log line can hold on to the whole line.
      if (inc.titles.length < MAX_TITLES) inc.titles.push(Buffer.from(f.title, 'utf8').toString('utf8'));
      else inc.moreTitles++;
    }
    inc.span.add(now.clock, now.ms, f.event.time);
    inc.lastSeq = f.event.seq;
    inc.lastMark = now.mark;
    if (f.event.kind === 'crash' && !inc.crash) inc.crash = crashDetails(f.event.message);
    this.addEvidence(inc, f);
    // The incident's own key (same value): this finding's key is a fresh string that can hold on
    // to the whole log line its parts were cut from, for as long as the entry lives.
    const plugin = f.subject.plugin;
    const pluginLine = f.event.logger === 'wasm' && f.event.message.startsWith('wasm log');
    this.recentRoots.push({ key: inc.key, cause: f.cause, at: now, plugin: plugin === undefined ? undefined : this.internName(plugin), pluginLine, scope: this.scope });
    // Only the newest 256 count; dropping the older ones in bulk keeps this O(1) per finding.
    const n = this.recentRoots.length;
    if (n - this.rootsStart > 256) this.rootsStart = n - 256;
    if (this.rootsStart >= 256) {
      this.recentRoots.splice(0, this.rootsStart);
      this.rootsStart = 0;
    }
  }

  private addEvidence(inc: IncidentState, f: Finding): void {
    const e = f.event;
    const lines: Evidence[] = [];
    // The event's first line gives context (the wrapper of a multi-error list, the crash signal).
    if (f.line !== e.line) lines.push({ input: e.input, line: e.line, text: e.lines[0] ?? '' });
    lines.push({ input: e.input, line: f.line, text: f.text });
    if (e.kind === 'crash') {
      // The version and the top frames are what a crash report needs.
      for (let i = 0; i < e.lines.length && lines.length < 6; i++) {
        const t = e.lines[i]!;
        if (/Envoy version: |#\d+: /.test(t)) lines.push({ input: e.input, line: e.lineNumbers[i] ?? e.line, text: t });
      }
    }
    for (const ev of lines) {
      if (inc.evidence.some((x) => x.input === ev.input && x.line === ev.line)) continue;
      if (inc.evidence.length < MAX_EVIDENCE - 1) inc.evidence.push(ev);
      else inc.latest.set(ev);
    }
  }

  private addHarmless(e: LogEvent, f: Finding): void {
    const h = this.harmless.get(f.patternId);
    if (h) {
      h.count++;
      return;
    }
    // Copies: the title and line are cut out of the log line, which must not stay alive for the run.
    this.harmless.set(f.patternId, { pattern: f.patternId, title: copy(f.title), count: 1, level: e.level, example: { input: e.input, line: f.line, text: copy(f.text) } });
  }

  private addUnclassified(e: LogEvent): void {
    const template = templateOf(e.message);
    const u = this.unclassified.get(template);
    if (u) {
      u.count++;
      return;
    }
    if (this.unclassified.size >= MAX_TEMPLATES) {
      this.unclassifiedOther++;
      return;
    }
    this.unclassified.set(template, {
      template,
      count: 1,
      level: e.level,
      example: { input: e.input, line: e.line, text: e.lines[0] ?? e.message },
    });
  }

  snapshot(inputs: readonly InputStats[], stats: Stats): Diagnosis {
    // A header with nothing after it explained nothing.
    if (this.pendingHeader) {
      this.addUnclassified(this.pendingHeader);
      this.pendingHeader = null;
    }
    const states = [...this.incidents.values()].filter(reportable);
    const clock = this.clock();
    const list = states.map((s) => toIncident(s, clock));
    const moments = states.map((s) => ({ ...s.span.moments(clock), firstMark: s.firstMark, lastMark: s.lastMark }));
    linkKnockOns(list, new Set(list.filter((_, i) => states[i]!.crashSignal).map((i) => i.id)), moments);
    linkSymptoms(list, new Set(list.filter((_, i) => states[i]!.symptomOnly).map((i) => i.id)), moments);
    linkTlsStreams(list, moments);
    linkNothingFetched(list, moments);
    linkStreamTimeouts(list, moments);
    const incidents = rank(list);
    const unclassified: UnclassifiedGroup[] = [...this.unclassified.values()]
      .sort((a, b) => b.count - a.count || byCodeUnits(a.template, b.template))
      .map((u) => ({ ...u, example: { ...u.example } }));
    const layouts = (Object.keys(stats.layouts) as LayoutId[]).filter((l) => l !== 'unknown' && (stats.layouts[l] ?? 0) > 0).sort();
    const environment: Environment = {
      envoyVersion: this.envoyVersion,
      higressVersion: higressFromEnvoy(this.envoyVersion),
      logLayouts: layouts,
      plugins: [...this.plugins].sort(),
      timeWindow: this.window.times(clock),
      ...(clock.display === null && this.window.hasBoth() ? { localTimeWindow: this.window.localTimes() } : {}),
      clock: clock.info,
    };
    return {
      inputs: inputs.map((i) => ({ ...i })),
      stats: { ...stats, layouts: { ...stats.layouts } },
      environment,
      incidents,
      unclassified,
      unclassifiedOther: this.unclassifiedOther,
      harmless: [...this.harmless.values()].sort((a, b) => b.count - a.count || byCodeUnits(a.pattern, b.pattern)).map((h) => ({ ...h, example: { ...h.example } })),
    };
  }
}

/** The distinct seconds (on the event's clock) of a burst-gated incident's recent findings. */
interface Burst {
  count: number;
  windowMs: number;
  seconds: number[];
  met: boolean;
}

/** A finding at `ms` (NaN: no time, which never makes a burst): is the gate's count now reached within its window? */
function noteBurst(b: Burst, ms: number): void {
  if (Number.isNaN(ms)) return;
  const sec = Math.floor(ms / 1000);
  if (b.seconds.length > 0 && b.seconds[b.seconds.length - 1] === sec) return;
  b.seconds.push(sec);
  while (b.seconds.length > 0 && (sec - b.seconds[0]!) * 1000 > b.windowMs) b.seconds.shift();
  if (b.seconds.length >= b.count) b.met = true;
}

/** Enough findings (`match.minCount`) and, for a burst-gated pattern, a burst of them (`match.burst`). */
function reportable(s: IncidentState): boolean {
  return s.count >= s.minCount && (s.burst === null || s.burst.met);
}

// ---- correlation ------------------------------------------------------------------------------

interface CorrelationContext {
  /** How many findings of this event fetch the same URL (several plugins, one URL). */
  sameUrlInEvent: number;
  recentPlugin: PluginActivity | null;
  memorySignal: boolean;
  /** The plugin this event's own line names (`wasm log <plugin>: …`), if any. */
  ownPlugin: string | null;
  /** A Wasm plugin's own out-of-memory line just before (MEMORY_EXPLAINS_TRAP), with its plugin when named. */
  wasmMemory: { plugin: string | null } | null;
  /** The event's counted-event mark (Bounds.events): how far back the recent plugin was. */
  mark: number;
  /** Envoy opened the config stream this closure ends within a second before (STREAM_DIES_AT_OPENING). */
  streamOpen?: { cluster: string | null } | null;
}

const FETCH_CAUSES = new Set<CauseId>([
  'wasm-fetch-bad-address',
  'wasm-fetch-network',
  'wasm-fetch-auth',
  'wasm-fetch-tls',
  'wasm-module-corrupt',
  'wasm-image-format',
]);

/** What single lines cannot tell: adjust a finding with what the log around it says. */
export function correlate(f: Finding, ctx: CorrelationContext): Finding {
  // Made on the first note: most findings (failed requests) get none.
  let added: string[] | null = null;
  let out: Finding = f;
  const url = f.fields.url;
  if (url && FETCH_CAUSES.has(f.cause)) {
    const placeholder = /\$\{?\w+\}?/.test(url) && url.includes('${');
    const named = pluginFromUrl(url) !== '';
    if (placeholder) {
      (added ??= []).push('The URL still contains a literal ${…} placeholder: it was never filled in with the plugin name.');
      out = { ...out, cause: 'wasm-fetch-bad-address', confidence: Math.max(out.confidence, 0.95), severity: 'error' };
    } else if (ctx.sameUrlInEvent >= 2 || !named) {
      // One wording per situation (no counts): notes are merged across the incident's events.
      const why =
        ctx.sameUrlInEvent >= 2
          ? `Several plugins fetch the same URL ${url} in one configuration update: the plugin URL pattern lacks \${name}, so every plugin points at one file.`
          : `The URL ${url} names no plugin: a URL pattern without \${name} makes every plugin fetch this same file.`;
      (added ??= []).push(why);
      if (f.cause === 'wasm-fetch-bad-address') {
        out = { ...out, confidence: Math.max(out.confidence, ctx.sameUrlInEvent >= 2 ? 0.95 : 0.9) };
      } else if (f.cause === 'wasm-fetch-network' || f.cause === 'wasm-module-corrupt') {
        out = { ...out, alternatives: addAlternative(out.alternatives, 'wasm-fetch-bad-address', 0.3) };
      }
    }
  }
  if (ctx.streamOpen && f.burst && targets(STREAM_DIES_AT_OPENING.explains, f.cause, f.signals, false, f.confidence)) {
    // Held back as a periodic close until it keeps coming; closing as it opens, it is no periodic close.
    const { burst: _gate, ...ungated } = out;
    const to = ctx.streamOpen.cluster ? ` to ${ctx.streamOpen.cluster}` : '';
    const code = f.fields.code ? `: ${f.fields.code}` : '';
    (added ??= []).push(`Envoy had opened this config stream${to} less than a second before it closed: it fails at its opening, which no periodic reconnect does.`);
    out = {
      ...ungated,
      title: `The config stream${to} closes as soon as it opens${code}`,
      explanation:
        "Envoy opens a configuration stream and it is closed within the same second, before any response: the control plane (or the gRPC channel to it: TLS, the address, a proxy in between) ends the stream at once, so the gateway gets no configuration over it. The periodic reconnect closes a stream that lived about 30 minutes, never one just opened.",
      confidence: Math.max(out.confidence, 0.6),
    };
  }
  const crashBlock = f.event.kind === 'crash';
  // The plugin a trap or plugin panic stands for: its pattern's reading, else its own `wasm log <plugin> <vm id>:`
  // prefix, else the plugin active right before it.
  const trapPlugin = f.subject.plugin ?? ctx.ownPlugin ?? ctx.recentPlugin?.plugin ?? null;
  const memoryCrash = ctx.memorySignal && targets(MEMORY_EXPLAINS_CRASH.explains, f.cause, f.signals, crashBlock, f.confidence);
  if (memoryCrash) {
    (added ??= []).push('A memory signal (out-of-memory hint, bad_alloc, an allocator failure) came just before this crash, in the same process lifetime.');
    out = { ...out, cause: MEMORY_EXPLAINS_CRASH.becomes, confidence: Math.max(0.8, out.confidence), alternatives: addAlternative(out.alternatives, f.cause, 0.2) };
  } else if (ctx.wasmMemory && !crashBlock && targets(MEMORY_EXPLAINS_TRAP.explains, f.cause, f.signals, crashBlock, f.confidence) && samePluginOrUnnamed(ctx.wasmMemory.plugin, trapPlugin)) {
    const plugin = ctx.wasmMemory.plugin ?? trapPlugin;
    (added ??= []).push(`${plugin ? `Plugin ${plugin}` : 'A Wasm plugin'} said it ran out of memory just before this trap: the trap is how its out-of-memory ends, not a bug of its own.`);
    out = {
      ...out,
      cause: MEMORY_EXPLAINS_TRAP.becomes,
      // Below the out-of-memory line's own confidence: its title names the incident.
      confidence: 0.8,
      subject: plugin ? { ...out.subject, plugin } : out.subject,
      title: `Wasm plugin${plugin ? ` ${plugin}` : ''} ran out of memory and trapped in ${f.fields.callback ?? 'a callback'}`,
      alternatives: addAlternative(out.alternatives.filter((a) => a.cause !== 'oom'), f.cause, 0.2),
    };
  } else if (targets(PLUGIN_EXPLAINS_CRASH.explains, f.cause, f.signals, crashBlock, f.confidence)) {
    const recent = ctx.recentPlugin;
    if (f.cause === 'wasm-plugin-crash') {
      if (recent?.plugin && !out.subject.plugin) {
        out = { ...out, subject: { ...out.subject, plugin: recent.plugin }, title: `${out.title}, plugin ${recent.plugin}` };
        (added ??= []).push(`The last plugin active before the crash was ${recent.plugin} (${counted(ctx.mark - recent.at.mark, 'event')} earlier).`);
      }
    } else if (recent) {
      const who = recent.plugin ? `plugin ${recent.plugin}` : 'a Wasm plugin';
      const whose = recent.plugin ? `Plugin ${recent.plugin}` : 'A Wasm VM (no line names its plugin)';
      (added ??= []).push(
        `${whose} was ${recent.failing ? 'failing' : 'active'} ${counted(ctx.mark - recent.at.mark, 'event')} before the crash, but the backtrace shows no Wasm frames: a plugin crash is likely, not certain. Wasm/V8 frames or proxy_wasm symbols in the backtrace would confirm it; bad_alloc or an OOM kill would point to memory instead.`,
      );
      out = {
        ...out,
        cause: PLUGIN_EXPLAINS_CRASH.becomes,
        confidence: 0.6,
        subject: recent.plugin ? { ...out.subject, plugin: recent.plugin } : out.subject,
        title: `Envoy crashed (${f.fields.signal ?? 'signal'}) while ${who} was ${recent.failing ? 'failing' : 'active'}`,
        alternatives: [
          { cause: 'envoy-crash', confidence: 0.25 },
          { cause: 'oom', confidence: 0.1 },
        ],
      };
    } else if (f.cause === 'envoy-crash') {
      (added ??= []).push(
        'The log cannot decide between an Envoy bug, a plugin built for another version, and memory pressure: Wasm/V8/proxy_wasm frames in the backtrace would point to a plugin, bad_alloc or an OOM kill to memory; none is present here.',
      );
    }
  }
  // A trap or a plugin's own panic that does not say which plugin: the plugin that was active
  // right before on the same worker (or any) is the best lead.
  if (!crashBlock && !out.subject.plugin && trapPlugin && targets(PLUGIN_NAMES_TRAP.explains, out.cause, out.signals, crashBlock, out.confidence)) {
    out = { ...out, subject: { ...out.subject, plugin: trapPlugin }, title: `${out.title} — plugin ${trapPlugin}` };
    // Its own prefix named it (the pattern did not read it there); else it is a lead, and said so.
    if (!ctx.ownPlugin) (added ??= []).push(`The line does not name the plugin; ${trapPlugin} was the last plugin active before it.`);
  }
  if (added === null) return out === f ? f : { ...out, notes: [...(f.notes ?? [])] };
  return { ...out, notes: [...(f.notes ?? []), ...added] };
}

/** Two plugin names that do not contradict each other: the same, or one of them unknown. */
function samePluginOrUnnamed(a: string | null | undefined, b: string | null | undefined): boolean {
  return !a || !b || a === b;
}

function addAlternative(list: readonly Alternative[], cause: CauseId, confidence: number): Alternative[] {
  const rest = list.filter((a) => a.cause !== cause);
  return [...rest, { cause, confidence }].sort((a, b) => b.confidence - a.confidence);
}

// ---- shaping ----------------------------------------------------------------------------------

function incidentKey(cause: CauseId, subject: Readonly<Record<string, string>>): string {
  const keys = Object.keys(subject);
  // One key or none (most incidents): the same key without sorting and joining.
  if (keys.length === 0) return `${cause}|`;
  if (keys.length === 1) return `${cause}|${keys[0]}=${subject[keys[0]!]}`;
  const parts = keys
    .sort()
    .map((k) => `${k}=${subject[k]}`);
  return `${cause}|${parts.join('|')}`;
}

function toIncident(s: IncidentState, clock: ClockContext): Incident {
  const latest = s.latest.get();
  const evidence = latest ? [...s.evidence, latest] : [...s.evidence];
  const notes = [...s.notes];
  let cause = s.cause;
  let confidence = s.confidence;
  let alternatives = s.alternatives;
  const rep = s.repeated;
  if (rep && s.repeats >= rep.atLeast && rep.cause !== s.cause) {
    // The key (and id) stay those of the first reading: the incident is the same one.
    notes.unshift(`Repeated ${s.repeats}×: ${rep.because}`);
    alternatives = [{ cause, confidence: Math.min(confidence, 1 - rep.confidence) }, ...alternatives.filter((a) => a.cause !== rep.cause && a.cause !== cause)];
    cause = rep.cause;
    confidence = rep.confidence;
  }
  if (s.knockOn > 0) notes.push(`${counted(s.knockOn, 'knock-on line')} that follow${s.knockOn === 1 ? 's' : ''} from this ${s.knockOn === 1 ? 'is' : 'are'} included in the evidence, not counted as separate incidents.`);
  if (s.general) notes.push('Recognised by the general tier: no exact pattern knows this wording, so the cause is read from its words (confidence at most 0.5). Check the evidence.');
  return {
    id: createHash('sha1').update(s.key).digest('hex').slice(0, 12),
    cause,
    category: causeInfo(cause).category,
    severity: s.severity,
    confidence: round2(confidence),
    title: titleOf(s),
    subject: { ...s.subject },
    count: s.count,
    ...spanSeen(s.span.times(clock)),
    evidence,
    alternatives: alternatives.map((a) => ({ cause: a.cause, confidence: round2(a.confidence) })),
    remediation: buildRemediation(cause, s.specific, { fields: { ...s.adviceFields, ...s.subject }, frames: (s.crash?.frames.length ?? 0) > 0 }),
    patterns: [...s.patterns].sort(),
    explanation: s.explanation,
    notes,
    rootOf: s.rootOf,
    firstSeq: s.firstSeq,
    lastSeq: s.lastSeq,
    crash: s.crash,
    tier: s.general ? 'general' : 'exact',
  };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Distinct titles an incident keeps; past this they are counted. */
const MAX_TITLES = 8;

/**
 * The incident's title: its findings' title, or — when they name different things (imports,
 * listeners, ports) — the words they share around the list of what differs.
 */
function titleOf(s: IncidentState): string {
  const times = s.count > 1 ? ` (×${s.count})` : '';
  if (s.titles.length <= 1) return `${s.title}${times}`;
  return `${combineTitles(s.titles, s.moreTitles) ?? s.title}${times}`;
}

/** `Needs a, which …` + `Needs b, which …` → `Needs a, b, which …` (word boundaries; up to 4 listed). */
export function combineTitles(titles: readonly string[], more = 0): string | null {
  const words = titles.map((t) => t.split(' '));
  let pre = 0;
  while (words.every((w) => pre < w.length - 1 && w[pre] === words[0]![pre])) pre++;
  // Titles that share no leading words are different sentences (rules of one pattern), not a list.
  if (pre === 0) return null;
  let suf = 0;
  while (words.every((w) => suf < w.length - pre - 1 && w[w.length - 1 - suf] === words[0]![words[0]!.length - 1 - suf])) suf++;
  const middles = words.map((w) => w.slice(pre, w.length - suf).join(' ').replace(/,$/, ''));
  const extra = middles.length - 4 + more;
  const listed = middles.slice(0, 4).join(', ') + (extra > 0 ? ` and ${extra} more` : '');
  const head = words[0]!.slice(0, pre).join(' ');
  const tail = words[0]!.slice(words[0]!.length - suf).join(' ');
  const comma = suf > 0 && words[0]![words[0]!.length - suf - 1]?.endsWith(',') ? ',' : '';
  return [head, `${listed}${comma}`, tail].filter((x) => x !== '').join(' ');
}

/** The fields advice can name, first value kept (each field's first finding names it). */
function noteAdviceFields(into: Record<string, string>, f: Finding): void {
  for (const k of ADVICE_FIELDS) {
    const v = f.fields[k] ?? f.subject[k];
    // A copy, and only what advice could paste: a value cut out of a log line holds on to the line.
    if (v && v.length <= 300 && into[k] === undefined) into[k] = copy(v);
  }
}

/**
 * Noise that follows a crash (the config stream dropping, requests failing while Envoy restarts)
 * is linked to the crash rather than ranked as a root of its own (correlations: crash-takes-down).
 */
/** An incident's first and last time, and its counted-event marks (Bounds.events). */
interface IncidentMoments {
  first: TimeOf;
  last: TimeOf;
  firstMark: number;
  lastMark: number;
}

function linkKnockOns(list: Incident[], crashed: ReadonlySet<string>, moments: readonly IncidentMoments[]): void {
  // Only a real process crash (a finding with the `crash` signal) takes the rest down with it.
  const crashes = list.map((inc, k) => ({ inc, k })).filter(({ inc }) => crashed.has(inc.id));
  const t = CRASH_TAKES_DOWN;
  for (let k = 0; k < list.length; k++) {
    const inc = list[k]!;
    if (!targets(t.explains, inc.cause, [], false, inc.confidence)) continue;
    const root = crashes.find(
      ({ inc: c, k: ck }) =>
        inc.firstSeq >= c.firstSeq && within(t.within, momentOfIncident(list, moments, ck, 'last'), momentOfIncident(list, moments, k, 'first')),
    )?.inc;
    // The note names the cause, not the id: ids hash subjects and must not leak into redacted text.
    if (root) list[k] = { ...inc, rootOf: root.id, notes: [...inc.notes, `Likely a knock-on effect of the ${root.cause} incident just before it.`] };
  }
}

/**
 * A state the gateway reports (NOT ready) follows from the failure just before it: it is placed
 * after that failure instead of ranking as a root of its own (correlations: failure-explains-symptom).
 */
function linkSymptoms(list: Incident[], symptoms: ReadonlySet<string>, moments: readonly IncidentMoments[]): void {
  const t = FAILURE_EXPLAINS_SYMPTOM;
  for (let k = 0; k < list.length; k++) {
    const inc = list[k]!;
    if (!symptoms.has(inc.id) || inc.rootOf) continue;
    let root: Incident | undefined;
    for (let ck = 0; ck < list.length; ck++) {
      const c = list[ck]!;
      if (c === inc || symptoms.has(c.id) || c.rootOf || c.tier === 'general') continue;
      if (c.firstSeq > inc.firstSeq || SEVERITY_RANK[c.severity] < SEVERITY_RANK[inc.severity]) continue;
      if (!within(t.within, momentOfIncident(list, moments, ck, 'first'), momentOfIncident(list, moments, k, 'first'))) continue;
      if (!root || c.firstSeq > root.firstSeq) root = c;
    }
    if (root) list[k] = { ...inc, rootOf: root.id, notes: [...inc.notes, `Likely a consequence of the ${root.cause} incident before it.`] };
  }
}

/** Where incident k of the list begins or ends in the run, as the correlations' bounds read it (within). */
function momentOfIncident(list: readonly Incident[], moments: readonly IncidentMoments[], k: number, which: 'first' | 'last'): Moment {
  const m = moments[k]!;
  return which === 'first'
    ? { seq: list[k]!.firstSeq, mark: m.firstMark, lifetime: 0, ...m.first }
    : { seq: list[k]!.lastSeq, mark: m.lastMark, lifetime: 0, ...m.last };
}

/** Incidents a and b begin within the bounds of each other, whichever came first (within() reads the earlier first). */
function startsWithin(bounds: Bounds, list: readonly Incident[], moments: readonly IncidentMoments[], a: number, b: number): boolean {
  const [x, y] = list[a]!.firstSeq <= list[b]!.firstSeq ? [a, b] : [b, a];
  return within(bounds, momentOfIncident(list, moments, x, 'first'), momentOfIncident(list, moments, y, 'first'));
}

const atLeastError = (s: Severity): Severity => (SEVERITY_RANK[s] < SEVERITY_RANK.error ? 'error' : s);

/** An upstream connection's TLS failure as Envoy's connection pool reports it (the config stream is such a connection). */
const POOL_TLS_FAILURE = /failure reason: TLS error: /;
/** A config stream closed by its connection: terminated, or failed to connect. */
const STREAM_CLOSED_BY_CONNECTION = /gRPC config stream (?:to \S+ )?closed: 14, [^\n]{0,200}?reset reason: connection (?:termination|failure)/;

/**
 * A config stream closed in the same second as an upstream connection's TLS failure closed because of
 * it (correlations: tls-explains-stream): the closure becomes the TLS incident's knock-on, and the TLS
 * incident, then the reason the gateway gets no configuration, is raised to error. Either may come first.
 */
function linkTlsStreams(list: Incident[], moments: readonly IncidentMoments[]): void {
  const t = TLS_EXPLAINS_STREAM;
  for (let k = 0; k < list.length; k++) {
    const stream = list[k]!;
    if (stream.rootOf || !t.explains.causes.includes(stream.cause)) continue;
    if (!stream.evidence.some((e) => STREAM_CLOSED_BY_CONNECTION.test(e.text))) continue;
    const tk = list.findIndex(
      (c) => t.after.causes.includes(c.cause) && !c.rootOf && c.evidence.some((e) => POOL_TLS_FAILURE.test(e.text)),
    );
    if (tk < 0 || !startsWithin(t.within, list, moments, k, tk)) continue;
    const tls = list[tk]!;
    list[tk] = {
      ...tls,
      severity: atLeastError(tls.severity),
      confidence: Math.max(tls.confidence, 0.8),
      notes: [...tls.notes, 'The config stream to the control plane closed at the same moment: this TLS failure is why the gateway gets no configuration.'],
    };
    list[k] = { ...stream, rootOf: tls.id, notes: [...stream.notes, `Likely a consequence of the ${tls.cause} incident at the same moment.`] };
  }
}

/** The pattern of Envoy's `initial fetch timed out for <type>` (one incident per resource type). */
const INITIAL_FETCH_TIMEOUT = 'HD-CONFIG-006';

/**
 * Clusters and listeners both timed out on their initial fetch (correlations: nothing-fetched): Envoy
 * got nothing from its control plane. The clusters' incident becomes that (xds-disconnected, at
 * error), the listeners' its knock-on. Not when something was rejected: a rejection explains them.
 */
function linkNothingFetched(list: Incident[], moments: readonly IncidentMoments[]): void {
  const t = NOTHING_FETCHED;
  const timeout = (type: string): number =>
    list.findIndex((i) => !i.rootOf && i.tier !== 'general' && i.patterns.includes(INITIAL_FETCH_TIMEOUT) && i.subject['type'] === type);
  const ck = timeout('Cluster');
  const lk = timeout('Listener');
  if (ck < 0 || lk < 0) return;
  if (list.some((i) => i.tier !== 'general' && i.cause === 'bad-config' && !i.patterns.includes(INITIAL_FETCH_TIMEOUT))) return;
  if (!startsWithin(t.within, list, moments, ck, lk)) return;
  const clusters = list[ck]!;
  const cause = t.becomes;
  list[ck] = {
    ...clusters,
    cause,
    category: causeInfo(cause).category,
    severity: atLeastError(clusters.severity),
    title: 'Envoy got no configuration from its control plane: clusters and listeners both timed out',
    confidence: Math.max(clusters.confidence, 0.6),
    alternatives: [{ cause: clusters.cause, confidence: 0.35 }, ...clusters.alternatives.filter((x) => x.cause !== cause && x.cause !== clusters.cause)],
    remediation: buildRemediation(cause, [], { fields: { ...clusters.subject }, frames: false }),
    notes: [...clusters.notes, 'Listeners timed out too: Envoy received nothing from its control plane (no clusters, no listeners), so the config stream is not delivering — check that the controller is up, reachable and knows this proxy.'],
  };
  list[lk] = { ...list[lk]!, rootOf: clusters.id, notes: [...list[lk]!.notes, `Part of the ${cause} incident: nothing was received from the control plane.`] };
}

/**
 * An initial fetch that timed out while the config stream was failing in the same lifetime
 * (correlations: stream-explains-timeout) becomes the stream incident's knock-on: the stream delivered
 * nothing. Not when something was rejected (a rejection explains the timeouts), and only timeouts
 * nothing-fetched left as they were.
 */
function linkStreamTimeouts(list: Incident[], moments: readonly IncidentMoments[]): void {
  const t = STREAM_EXPLAINS_TIMEOUT;
  if (list.some((i) => i.tier !== 'general' && i.cause === 'bad-config' && !i.patterns.includes(INITIAL_FETCH_TIMEOUT))) return;
  const streams = list
    .map((i, k) => k)
    .filter((k) => !list[k]!.rootOf && list[k]!.tier !== 'general' && t.after.causes.includes(list[k]!.cause) && !list[k]!.patterns.includes(INITIAL_FETCH_TIMEOUT));
  if (streams.length === 0) return;
  for (let k = 0; k < list.length; k++) {
    const timeout = list[k]!;
    if (timeout.rootOf || timeout.tier === 'general' || !t.explains.causes.includes(timeout.cause) || !timeout.patterns.includes(INITIAL_FETCH_TIMEOUT)) continue;
    const sk = streams.find((s) => startsWithin(t.within, list, moments, s, k));
    if (sk === undefined) continue;
    const stream = list[sk]!;
    list[k] = { ...timeout, rootOf: stream.id, notes: [...timeout.notes, `Part of the ${stream.cause} incident: the config stream delivered nothing, so the initial fetch timed out.`] };
  }
}

/**
 * Most probable root cause first (severity, confidence, count), knock-on incidents after their
 * root. A general-tier incident never outranks an exact one: it only recognised words.
 */
export function rank(list: readonly Incident[]): Incident[] {
  const tier = (i: Incident): number => (i.tier === 'general' ? 1 : 0);
  const cmp = (a: Incident, b: Incident): number =>
    tier(a) - tier(b) ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    b.confidence - a.confidence ||
    b.count - a.count ||
    a.firstSeq - b.firstSeq ||
    byCodeUnits(a.id, b.id);
  const roots = list.filter((i) => !i.rootOf).sort(cmp);
  const out: Incident[] = [];
  for (const r of roots) {
    out.push(r);
    out.push(...list.filter((i) => i.rootOf === r.id).sort(cmp));
  }
  // Knock-ons whose root was not found stay visible.
  for (const i of list) if (!out.includes(i)) out.push(i);
  return out;
}

function addOnce(list: string[] | null, v: string): string[] {
  if (list === null) return [v];
  if (!list.includes(v)) list.push(v);
  return list;
}

function countBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) {
    const k = key(it);
    if (k) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** Signal, version and the top frames of a crash block. */
export function crashDetails(message: string): CrashDetails {
  const signal = /Caught ([A-Z][\w ]*?), suspect/.exec(message)?.[1] ?? null;
  const version = /Envoy version: (\S+)/.exec(message)?.[1] ?? null;
  const frames = [...message.matchAll(/^#\d+: (.*)$/gm)].map((m) => m[1]!.trim()).slice(0, 10);
  return { signal, envoyVersion: version, frames };
}

/** Higress release line from the Envoy version it ships (docs/formats.md §0). */
function higressFromEnvoy(v: string | null): string | null {
  if (!v) return null;
  const m = /^(\d+)\.(\d+)/.exec(v);
  if (!m) return null;
  const minor = Number(m[2]);
  if (m[1] !== '1') return null;
  if (minor >= 36) return '2.2.x';
  if (minor >= 27 && minor < 36) return '2.0.x–2.1.x';
  if (minor >= 20 && minor < 27) return '1.x';
  return null;
}

// ---- times ------------------------------------------------------------------------------------

/** The reports' clock: the zone times are written in (null: Envoy's offset unknown) and Envoy's zone. */
interface ClockContext {
  readonly display: Zone | null;
  readonly local: Zone | null;
  readonly info: ClockInfo;
}

/** A time for the correlations: on its clock, and as an instant when that is known. */
interface TimeOf {
  readonly clock: ClockKind | null;
  readonly ms: number;
  readonly utc: number;
}

const NO_TIME: TimeOf = { clock: null, ms: NaN, utc: NaN };

const copy = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/**
 * An incident's newest occurrence, replaced at every event past the evidence list. Its text is
 * kept in a byte buffer of its own: a string replaced that often outlives a young-generation
 * collection, is promoted, and grows the old generation (peak RSS) with every event of a storm.
 */
class LatestLine {
  private input = '';
  private line = 0;
  private bytes: Buffer | null = null;
  private len = 0;

  set(ev: Evidence): void {
    this.input = ev.input;
    this.line = ev.line;
    const need = Buffer.byteLength(ev.text, 'utf8');
    if (this.bytes === null || this.bytes.length < need) this.bytes = Buffer.allocUnsafeSlow(Math.max(need, 256));
    this.len = this.bytes.write(ev.text, 0, 'utf8');
  }

  get(): Evidence | null {
    return this.bytes === null ? null : { input: this.input, line: this.line, text: this.bytes.toString('utf8', 0, this.len) };
  }
}

const spanSeen = (t: { first: string | null; last: string | null }): { firstSeen: string | null; lastSeen: string | null } => ({ firstSeen: t.first, lastSeen: t.last });

/**
 * The times of a set of events: earliest and latest on each clock (NaN: none), and the first and
 * last time printed in a shape no clock reads (klog, host logs) for when nothing else is known.
 */
class Span {
  utcMin = NaN;
  utcMax = NaN;
  localMin = NaN;
  localMax = NaN;
  printedFirst: string | null = null;
  printedLast: string | null = null;

  add(clock: ClockKind | null, ms: number, printed: string | null): void {
    if (clock === 'utc') {
      if (!(ms >= this.utcMin)) this.utcMin = ms;
      if (!(ms <= this.utcMax)) this.utcMax = ms;
    } else if (clock === 'local') {
      if (!(ms >= this.localMin)) this.localMin = ms;
      if (!(ms <= this.localMax)) this.localMax = ms;
    } else if (printed !== null) {
      // Copies: a time cut out of a log line can hold on to the whole line.
      this.printedFirst ??= copy(printed);
      this.printedLast = copy(printed);
    }
  }

  hasBoth(): boolean {
    return !Number.isNaN(this.utcMin) && !Number.isNaN(this.localMin);
  }

  /** Earliest and latest instant, when every time here can be placed on UTC. */
  private instants(c: ClockContext): [number, number] | null {
    let lo = this.utcMin;
    let hi = this.utcMax;
    if (!Number.isNaN(this.localMin)) {
      if (c.local === null) return null;
      const a = localToUtc(this.localMin, c.local);
      const b = localToUtc(this.localMax, c.local);
      lo = Number.isNaN(lo) ? a : Math.min(lo, a);
      hi = Number.isNaN(hi) ? b : Math.max(hi, b);
    }
    return Number.isNaN(lo) ? null : [lo, hi];
  }

  /** First and last, written in the reports' zone; with Envoy's offset unknown, UTC ones if any, else local ones without a zone. */
  times(c: ClockContext): { first: string | null; last: string | null } {
    const inst = c.display !== null ? this.instants(c) : null;
    if (inst) return { first: isoIn(inst[0], c.display!), last: isoIn(inst[1], c.display!) };
    if (!Number.isNaN(this.utcMin)) return { first: isoIn(this.utcMin, UTC), last: isoIn(this.utcMax, UTC) };
    if (!Number.isNaN(this.localMin)) return this.localTimes();
    return { first: this.printedFirst, last: this.printedLast };
  }

  localTimes(): { first: string | null; last: string | null } {
    return Number.isNaN(this.localMin) ? { first: null, last: null } : { first: isoWall(this.localMin), last: isoWall(this.localMax) };
  }

  /** The earliest instant in zone `z` (its local times read in `z`), or now when there is none. */
  firstInstant(z: Zone): number {
    const l = Number.isNaN(this.localMin) ? NaN : localToUtc(this.localMin, z);
    const m = Math.min(...[this.utcMin, l].filter((x) => !Number.isNaN(x)));
    return Number.isFinite(m) ? m : Date.now();
  }

  /** First and last as the correlations compare them. */
  moments(c: ClockContext): { first: TimeOf; last: TimeOf } {
    const inst = this.instants(c);
    const clock: ClockKind | null = !Number.isNaN(this.utcMin) ? 'utc' : !Number.isNaN(this.localMin) ? 'local' : null;
    if (clock === null) return { first: NO_TIME, last: NO_TIME };
    const lo = clock === 'utc' ? this.utcMin : this.localMin;
    const hi = clock === 'utc' ? this.utcMax : this.localMax;
    return { first: { clock, ms: lo, utc: inst ? inst[0] : NaN }, last: { clock, ms: hi, utc: inst ? inst[1] : NaN } };
  }
}
