// Events → findings. Patterns are tried in catalog order (priority, then id); the first one
// whose filters, literal and regex all hold wins the event. A pattern with `all: true` yields a
// finding per match (one per bullet of a multi-error list, so one per plugin). This file decides
// and builds findings; the per-catalog index is match-index.ts, a finding's fields fields.ts, its
// texts templates.ts, and the lazy findings of context patterns context-finding.ts.
import { SEVERITY_RANK, type AccessFields, type Finding, type Level, type LogEvent } from '../model.js';
import type { Catalog } from './load.js';
import { indexFor, type Applicable, type Prepared } from './match-index.js';
import { Fields, implicitFields } from './fields.js';
import { fillTemplate } from './templates.js';
import { ContextFinding, lineOf } from './context-finding.js';

/** Longest message text handed to a regex: bounded work per event whatever the input. */
export const MAX_MATCH_CHARS = 128 * 1024;

export function matchEvent(catalog: Catalog, event: LogEvent): Finding[] {
  const message = event.message.length > MAX_MATCH_CHARS ? event.message.slice(0, MAX_MATCH_CHARS) : event.message;
  const ix = indexFor(catalog);
  const list = ix.applicable(event.layout, event.level, event.logger);
  if (list.count === 0) return [];
  // A message seen before under the same filters is won by the same pattern (or none): matching
  // depends on nothing else. Failed requests repeat their message thousands of times.
  const cacheable = message.length <= MAX_WINNER_KEY;
  const fromMessage = cacheable && onlyItsMessage(event);
  if (cacheable) {
    const known = list.winners.get(message);
    if (known !== undefined) {
      if (known < 0) return [];
      const made = fromMessage ? list.made.get(message) : undefined;
      // The same fields, not only the same text: a value holding ` cluster=…` could make two entries one message.
      if (made && sameAccess(made.access, event.access!)) return made.findings.map((f) => pointedAt(f, event, message));
      const findings = run(ix.prepared[known]!, event, message);
      if (fromMessage) rememberFindings(list, message, findings);
      return findings;
    }
  }
  // Candidates in catalog order: applicable patterns with one of their literals in the message
  // (found here, or already where the line was scanned).
  const candidates = event.literalHits ? ix.candidatesOf(event.literalHits, list) : ix.candidates(message, list);
  for (let k = 0; k < candidates.length; k++) {
    const i = candidates[k]!;
    const c = ix.prepared[i]!;
    if (!possible(c.required, message) || (message.length <= MAX_ANY_OF_CHARS && !possibleAny(c.anyOf, message))) continue;
    const findings = run(c, event, message);
    if (findings.length > 0) {
      if (cacheable) remember(list, message, i);
      if (fromMessage) rememberFindings(list, message, findings);
      return findings;
    }
  }
  if (cacheable) remember(list, message, -1);
  return [];
}

/** Messages longer than this are not remembered (the memory stays small). */
const MAX_WINNER_KEY = 1024;
/**
 * Messages remembered per filter set; past this no new one is. Starting over instead made a
 * storm of distinct failures churn the memory: every remembered string outlived the young
 * generation and was dropped from the old one (14 MiB of peak RSS on a busy 1 GB log), for fewer
 * hits than keeping the first ones (14,733 against 13,004 of 26,801 on 300 MB of it).
 */
const MAX_WINNERS = 1024;

function remember(list: Applicable, message: string, winner: number): void {
  if (list.winners.size < MAX_WINNERS) list.winners.set(message, winner);
}

/**
 * An access-log entry of one line: every field a finding reads (test/perf-units.test.ts checks
 * it) is the message's or the filters' (layout, level, logger), so the same message under the same
 * filters gives the same findings, but for the event they point at. Failed requests of a busy
 * gateway repeat their message: building the findings again was a third of the matching.
 */
function onlyItsMessage(e: LogEvent): boolean {
  return e.access !== undefined && e.lines.length === 1 && (e.thread ?? null) === null && (e.kind ?? null) === null;
}

/** Plain findings only (a context finding builds its texts lazily from its own event); kept without the event. */
function rememberFindings(list: Applicable, message: string, findings: readonly Finding[]): void {
  if (list.made.size >= MAX_WINNERS || findings.some((f) => f instanceof ContextFinding)) return;
  const a = findings[0]?.event.access;
  if (!a) return;
  list.made.set(message, {
    access: { ...a },
    findings: findings.map((f) => ({ ...f, event: undefined as unknown as LogEvent, text: '' })),
  });
}

/** The fields of an access entry a finding can read (implicitFields). */
function sameAccess(a: AccessFields, b: AccessFields): boolean {
  return (
    a.code === b.code &&
    a.flags === b.flags &&
    a.details === b.details &&
    a.cluster === b.cluster &&
    a.upstreamHost === b.upstreamHost &&
    a.transportFailure === b.transportFailure &&
    a.route === b.route &&
    a.authority === b.authority
  );
}

function pointedAt(f: Finding, e: LogEvent, message: string): Finding {
  const { line, text } = lineOf(e, message, 0);
  return { ...f, event: e, line, text };
}

/** Substrings every match of the regex contains: when one is missing the regex cannot match. */
function possible(required: ReadonlyArray<string | RegExp>, message: string): boolean {
  for (let i = 0; i < required.length; i++) {
    const r = required[i]!;
    if (typeof r === 'string' ? !message.includes(r) : !r.test(message)) return false;
  }
  return true;
}

/**
 * Longest message whose alternatives' sets are checked: a multi-error list of thousands of characters, read once per
 * absent member, cost more than the regexes the sets would spare (its pattern is there anyway).
 */
const MAX_ANY_OF_CHARS = 2048;

/**
 * For each set, at least one of its substrings is in the message (requiredAlternatives). A set that fails moves to the
 * front: the messages of a log are alike, and the set that spared a regex once is the one likely to spare it next.
 */
function possibleAny(sets: Array<ReadonlyArray<string | RegExp>>, message: string): boolean {
  for (let i = 0; i < sets.length; i++) {
    const set = sets[i]!;
    let one = false;
    for (let j = 0; j < set.length && !one; j++) {
      const r = set[j]!;
      one = typeof r === 'string' ? message.includes(r) : r.test(message);
    }
    if (!one) {
      if (i > 0) {
        sets[i] = sets[0]!;
        sets[0] = set;
      }
      return false;
    }
  }
  return true;
}

function run(c: Prepared, e: LogEvent, message: string): Finding[] {
  const p = c.p;
  if (p.spec.match.all) {
    const matches: RegExpExecArray[] = [];
    p.regex.lastIndex = 0;
    for (const m of message.matchAll(p.regex)) {
      matches.push(m as RegExpExecArray);
      if (matches.length >= 100) break;
    }
    if (matches.length === 0) return [];
    const base = implicitFields(e, message);
    return matches.map((m) => finding(c, e, m, base.copy(), message));
  }
  const m = p.regex.exec(message);
  if (!m) return [];
  return [finding(c, e, m, implicitFields(e, message), message)];
}

/** `fields` is the finding's own (it is filled in here). */
function finding(c: Prepared, e: LogEvent, m: RegExpExecArray, fields: Fields, message: string): Finding {
  const p = c.p;
  const groups = m.groups;
  if (groups) {
    for (const k of c.groupNames ?? Object.keys(groups)) {
      const v = groups[k];
      if (v !== undefined) fields.set(k, v);
    }
  }
  for (const [name, from, fn] of p.derived) fields.set(name, fn(fields.get(from) ?? ''));
  // A plugin's line pasted bare, without Envoy's `wasm log <vm>:` before it, still starts with the name the SDK's
  // logger writes (`[key-auth] [nil] [nil] parse rule config failed: …`): the plugin the pattern could not read.
  if (c.namesPlugin && !fields.get('plugin')) {
    const bare = BARE_PLUGIN_LINE.exec(message);
    if (bare) fields.set('plugin', bare[1]!);
  }
  const spec = p.spec;
  let cause = spec.cause as Finding['cause'];
  let confidence = spec.confidence;
  let severity = spec.severity;
  let title = spec.title;
  let explanation = spec.explanation;
  let alternatives = spec.alternatives as Finding['alternatives'];
  let remediation: readonly string[] = spec.remediation;
  let signals = p.signals;
  let ruleSeverity = false;
  const rules = p.rules;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (!conditionsHold(r.when, fields, true)) continue;
    if (!conditionsHold(r.unless, fields, false)) continue;
    cause = r.cause;
    confidence = r.confidence;
    severity = r.severity ?? severity;
    ruleSeverity = r.severity !== undefined;
    title = r.title ?? title;
    explanation = c.ruleExplanations[i]!;
    alternatives = r.alternatives;
    if (r.remediation) remediation = [...r.remediation, ...spec.remediation];
    if (r.signals) signals = r.signals;
    break;
  }
  // A general-tier finding only recognised words: it is as grave as its line says, no more — unless the rule that
  // decided names words that make a warning grave (a config stream that cannot even be opened: the gateway gets no
  // configuration). The lint keeps such a rule at error and above the line's warning (docs/patterns.md "Two tiers").
  if (p.tier === 'general' && e.level !== null && !(ruleSeverity && SEVERITY_RANK[severity] > SEVERITY_RANK[LEVEL_SEVERITY[e.level]])) {
    severity = LEVEL_SEVERITY[e.level];
  }
  const subject: Record<string, string> = {};
  for (const k of spec.subject) {
    const v = fields.get(k);
    if (v) subject[k] = v;
  }
  // Context findings are most of the findings of a busy log and are read only for their subject
  // and cause (plugin activity): their texts are worked out only if somebody asks.
  if (spec.role === 'context') {
    return new ContextFinding(p.id, spec.consequenceOf as Finding['consequenceOf'], spec.match.minCount, cause, severity, confidence, alternatives, subject, e, remediation, signals, fields, title, explanation, message, m.index, spec.harmless === true);
  }
  // Point the evidence at the physical line the match stands on.
  const { line, text } = lineOf(e, message, m.index);
  return {
    patternId: p.id,
    cause,
    severity,
    confidence,
    alternatives,
    fields: fields.shown(),
    subject,
    title: fillTemplate(title, fields),
    role: spec.role,
    tier: p.tier,
    signals,
    repeated: spec.repeated as Finding['repeated'],
    consequenceOf: spec.consequenceOf as Finding['consequenceOf'],
    minCount: spec.match.minCount,
    ...(spec.match.burst !== undefined ? { burst: spec.match.burst } : {}),
    ...(spec.extent !== undefined ? { extent: spec.extent } : {}),
    event: e,
    line,
    text,
    explanation: fillTemplate(explanation, fields),
    remediation,
  };
}

/**
 * The Wasm SDKs' own prefix at the start of a message: `[name] ` (Higress' Go SDK writes `[name] [trace] [request] `),
 * a lowercase plugin name, not a level word (`[error] …` is another logger's) and not Envoy's run-together `[C1][S2]`.
 */
const BARE_PLUGIN_LINE = /^\[(?!(?:trace|debug|info|warn|warning|error|err|critical|crit|fatal|notice|alert|emerg|nil)\])([a-z][a-z0-9_.-]{0,62}[a-z0-9])\] /;

const LEVEL_SEVERITY: Record<Level, Finding['severity']> = { trace: 'info', debug: 'info', info: 'info', warning: 'warning', error: 'error', critical: 'critical' };

/** `when` (every = true): all conditions hold; `unless` (every = false): none holds. */
function conditionsHold(conds: ReadonlyArray<readonly [string, RegExp]>, fields: Fields, every: boolean): boolean {
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i]!;
    if (c[1].test(fields.get(c[0]) ?? '') !== every) return false;
  }
  return true;
}
