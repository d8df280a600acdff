// `tail --format text|ndjson`: what `tail` writes when stdout is not a terminal (or when asked). No Ink, no
// screen: one line per incident that is new or changed since the previous frame, written at once.
//
// ndjson: one JSON object per line, each with a `type`:
//   {"type":"status","time":…,"state":"following|waiting|rotated|truncated|ended|failed","source":"gateway.log",
//    "input":"<evidence name from now on>","detail":…,"lines":N}
//       when the source changes state (start, file missing, rotation, copy-truncate, stdin closed, read error)
//   with --kube, also per container stream, with its pod and container: {"type":"status",…,"state":
//    "queued|connecting|following|reconnecting|waiting|ended|failed","input":"<pod>/<container>[ (restart N)]",
//    "pod":…,"container":…,"restarts":N,"detail":…}
//       when a stream changes state (connected, broke off and reconnecting, container restarted, pod deleted)
//   {"type":"incident","time":…,"change":"new|updated","previousCount":N, …the incident fields of the
//    `analyze --format json` contract (incidentJson: id, cause, category, severity, confidence, title, subject,
//    count, firstSeen, lastSeen, evidence, alternatives, remediation, patterns, explanation, notes, rootOf, crash)}
//       when an incident appears or its count/severity/confidence/title/root changes
//   {"type":"summary","time":…,"lines":N,"bytes":N,"inputs":[{"name","lines","bytes"}],"incidents":N,
//    "severities":{"critical":N,…},"restarts":N}
//       once, when tail stops (Ctrl-C/SIGTERM, or the end of stdin)
// `time` is the wall-clock time the line was written (ISO 8601, UTC).
import type { Diagnosis, Severity } from '../model.js';
import { severityCount } from '../words.js';
import { incidentJson } from '../report/json.js';
import type { Style } from '../report/style.js';
import { severityCounts } from '../report/summary.js';
import { clock, grouped, safeLine, subjectPairs } from './format.js';
import type { IncidentChange } from './rates.js';
import type { Frame } from './store.js';
import type { StreamState } from '../sources/kube-follow.js';

export type PlainFormat = 'text' | 'ndjson';

/** What the writer emits for a source state change: comparable between frames. */
export interface StatusEvent {
  readonly state: 'following' | 'waiting' | 'rotated' | 'truncated' | 'ended' | 'failed' | StreamState;
  readonly input: string;
  readonly detail?: string;
  readonly at: number;
  /** A container stream of `tail --kube`. */
  readonly stream?: { readonly pod: string; readonly container: string; readonly restarts: number };
}

/** Status changes between two frames (rotations and truncations each count, even between two frames). */
export function statusEvents(prev: Frame | null, next: Frame): StatusEvent[] {
  const out: StatusEvent[] = [];
  const seen = prev?.restarts.length ?? 0;
  for (const r of next.restarts.slice(seen)) {
    out.push({ state: r.kind === 'rotation' ? 'rotated' : 'truncated', input: r.input, at: r.at });
  }
  const s = next.status;
  // Only changes of state: the follower's details ("file appeared", "backlog of N lines") ride along.
  const changed = !prev || prev.status.state !== s.state;
  if (changed && s.state !== 'starting' && !(out.length > 0 && s.state === 'following')) {
    const input = next.restarts.at(-1)?.input ?? next.source.name;
    out.push(s.detail === undefined ? { state: s.state, input, at: s.at } : { state: s.state, input, detail: s.detail, at: s.at });
  }
  // Every change of every stream, even several between two frames.
  const last = prev?.streamLog?.at(-1)?.seq ?? 0;
  for (const x of next.streamLog ?? []) {
    if (x.seq <= last) continue;
    const stream = { pod: x.pod, container: x.container, restarts: x.restarts };
    out.push(x.detail === undefined ? { state: x.state, input: x.input, at: x.at, stream } : { state: x.state, input: x.input, detail: x.detail, at: x.at, stream });
  }
  return out;
}

export function ndjsonStatus(e: StatusEvent, frame: Frame): string {
  return `${JSON.stringify({
    type: 'status',
    time: new Date(e.at).toISOString(),
    state: e.state,
    source: frame.source.name,
    input: e.input,
    ...(e.stream ? e.stream : {}),
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
    lines: frame.lines,
  })}\n`;
}

export function ndjsonIncident(c: IncidentChange, at: number): string {
  return `${JSON.stringify({
    type: 'incident',
    time: new Date(at).toISOString(),
    change: c.kind,
    previousCount: c.previousCount,
    ...incidentJson(c.incident),
  })}\n`;
}

export function ndjsonSummary(frame: Frame): string {
  const d = frame.diagnosis;
  return `${JSON.stringify({
    type: 'summary',
    time: new Date(frame.at).toISOString(),
    lines: frame.lines,
    bytes: frame.bytes,
    inputs: d.inputs.map((i) => ({ name: i.name, lines: i.lines, bytes: i.bytes })),
    incidents: d.incidents.length,
    severities: severityCounts(d),
    restarts: frame.restarts.length,
  })}\n`;
}

/** `12:03:04 NEW     ERROR  wasm-fetch-bad-address  ×1  plugin=key-auth · url=…  Wasm module not found …  [gateway.log:1]` */
export function textIncident(c: IncidentChange, at: number, st: Style): string {
  const i = c.incident;
  const delta = c.kind === 'updated' && i.count !== c.previousCount ? ` (+${grouped(i.count - c.previousCount)})` : '';
  const ev = i.evidence.at(-1);
  const subject = subjectPairs(i.subject);
  return (
    [
      st.dim(clock(at)),
      (c.kind === 'new' ? 'NEW' : 'UPDATE').padEnd(6),
      st.severity(i.severity, i.severity.toUpperCase().padEnd(8)),
      st.bold(i.cause),
      `×${grouped(i.count)}${delta}`,
      subject ? safeLine(subject, 200) : null,
      '—',
      safeLine(i.title, 300),
      ev ? st.dim(`[${safeLine(`${ev.input}:${ev.line}`, 120)}]`) : null,
    ]
      .filter((p): p is string => p !== null)
      .join('  ') + '\n'
  );
}

export function textStatus(e: StatusEvent, frame: Frame): string {
  if (e.stream) return `higress-doctor: ${safeLine(`${e.input}: ${e.state}${e.detail ? ` (${e.detail})` : ''}`, 500)}\n`;
  const what =
    e.state === 'waiting'
      ? `waiting for ${frame.source.path}${e.detail ? ` (${e.detail})` : ''}`
      : e.state === 'rotated' || e.state === 'truncated'
        ? `${frame.source.name} ${e.state === 'rotated' ? 'rotated' : 'truncated'} at ${clock(e.at)}; line numbers restart in "${e.input}"`
        : e.state === 'following'
          ? `following ${frame.source.isStdin ? 'standard input' : frame.source.path}${e.detail ? ` (${e.detail})` : ''}`
          : `${e.state}${e.detail ? `: ${e.detail}` : ''}`;
  return `higress-doctor: ${safeLine(what, 500)}\n`;
}

/** The line printed when tail stops (all formats; UI after the screen closes). */
export function summaryLine(d: Diagnosis, frame: Pick<Frame, 'lines' | 'restarts' | 'startedAt' | 'at' | 'source'>): string {
  const counts = severityCounts(d);
  const sevs = (['critical', 'error', 'warning', 'info'] as Severity[]).filter((s) => counts[s] > 0);
  const incidents = d.incidents.length === 0 ? 'no incidents' : `${d.incidents.length} incident${d.incidents.length === 1 ? '' : 's'} (${sevs.map((s) => severityCount(counts[s], s)).join(', ')})`;
  const restarts = frame.restarts.length ? `, ${frame.restarts.length} rotation${frame.restarts.length === 1 ? '' : 's'}/truncation${frame.restarts.length === 1 ? '' : 's'}` : '';
  const secs = Math.max(0, Math.round((frame.at - frame.startedAt) / 1000));
  return `higress-doctor tail: ${grouped(frame.lines)} lines read from ${safeLine(frame.source.name, 80)} in ${secs}s${restarts}; ${incidents}.\n`;
}
