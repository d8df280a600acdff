// Events → findings. Patterns are tried in catalog order (priority, then id); the first one
// whose filters, literal and regex all hold wins the event. A pattern with `all: true` yields a
// finding per match (one per bullet of a multi-error list, so one per plugin).
import type { Finding, LogEvent } from '../model.js';
import { LEVEL_RANK } from '../model.js';
import type { Catalog, CompiledPattern } from './load.js';

/** Longest message text handed to a regex: bounded work per event whatever the input. */
export const MAX_MATCH_CHARS = 128 * 1024;

export function matchEvent(catalog: Catalog, event: LogEvent): Finding[] {
  const message = event.message.length > MAX_MATCH_CHARS ? event.message.slice(0, MAX_MATCH_CHARS) : event.message;
  for (const p of catalog.patterns) {
    if (!applies(p, event)) continue;
    if (!p.literals.some((l) => message.includes(l))) continue;
    const findings = run(p, event, message);
    if (findings.length > 0) return findings;
  }
  return [];
}

function applies(p: CompiledPattern, e: LogEvent): boolean {
  if (p.layouts && !p.layouts.has(e.layout)) return false;
  if (p.loggers && (e.logger === null || !p.loggers.has(e.logger))) return false;
  if (e.level !== null && LEVEL_RANK[e.level] < LEVEL_RANK[p.minLevel]) return false;
  return true;
}

function implicitFields(e: LogEvent, message: string): Record<string, string> {
  const f: Record<string, string> = {
    message,
    level: e.level ?? '',
    logger: e.logger ?? '',
    layout: e.layout,
    kind: e.kind ?? '',
    thread: e.thread ?? '',
  };
  const a = e.access;
  if (a) {
    f.code = a.code;
    f.flags = a.flags;
    f.details = a.details;
    f.cluster = a.cluster;
    f.upstream_host = a.upstreamHost;
    f.transport_failure = a.transportFailure;
    f.route = a.route;
    f.authority = a.authority;
  }
  return f;
}

function run(p: CompiledPattern, e: LogEvent, message: string): Finding[] {
  const matches: RegExpExecArray[] = [];
  if (p.spec.match.all) {
    p.regex.lastIndex = 0;
    for (const m of message.matchAll(p.regex)) {
      matches.push(m as RegExpExecArray);
      if (matches.length >= 100) break;
    }
  } else {
    const m = p.regex.exec(message);
    if (m) matches.push(m);
  }
  if (matches.length === 0) return [];
  const base = implicitFields(e, message);
  return matches.map((m) => finding(p, e, m, base, message));
}

function finding(p: CompiledPattern, e: LogEvent, m: RegExpExecArray, base: Record<string, string>, message: string): Finding {
  const fields: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) fields[k] = v;
  for (const [name, from, fn] of p.derived) fields[name] = fn(fields[from] ?? '');
  const spec = p.spec;
  let cause = spec.cause as Finding['cause'];
  let confidence = spec.confidence;
  let severity = spec.severity;
  let title = spec.title;
  let explanation = spec.explanation;
  let alternatives = spec.alternatives as Finding['alternatives'];
  let remediation: readonly string[] = spec.remediation;
  for (const r of p.rules) {
    if (!r.when.every(([k, re]) => re.test(fields[k] ?? ''))) continue;
    if (r.unless.some(([k, re]) => re.test(fields[k] ?? ''))) continue;
    cause = r.cause;
    confidence = r.confidence;
    severity = r.severity ?? severity;
    title = r.title ?? title;
    explanation = `${r.because} ${spec.explanation}`;
    alternatives = r.alternatives;
    if (r.remediation) remediation = [...r.remediation, ...spec.remediation];
    break;
  }
  const subject: Record<string, string> = {};
  for (const k of spec.subject) {
    const v = fields[k];
    if (v) subject[k] = v;
  }
  // Point the evidence at the physical line the match stands on.
  const msgLine = countNewlines(message, m.index);
  const line = e.lineMap?.[msgLine] ?? e.line;
  const idx = e.lineNumbers.indexOf(line);
  const text = e.lines[idx < 0 ? 0 : idx] ?? '';
  const { message: _omit, ...shownFields } = fields;
  return {
    patternId: p.id,
    cause,
    severity,
    confidence,
    alternatives,
    fields: shownFields,
    subject,
    title: fill(title, fields),
    role: spec.role,
    consequenceOf: spec.consequenceOf as Finding['consequenceOf'],
    event: e,
    line,
    text,
    explanation: fill(explanation, fields),
    remediation,
  };
}

function countNewlines(s: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0 && i < end; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Replace `{field}` placeholders; a missing or empty field reads as `?`. */
export function fill(template: string, fields: Readonly<Record<string, string>>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, k: string) => {
    const v = fields[k];
    return v ? v.replace(/\s+/g, ' ').slice(0, 200) : '?';
  });
}
