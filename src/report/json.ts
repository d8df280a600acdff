// `--format json`: the stable contract of docs/contracts.md#json-output (schemaVersion 1). Fields are only
// ever added. Internal ordering fields (firstSeq/lastSeq) stay out of it.
import type { Diagnosis, Incident } from '../model.js';
import { TOOL_NAME, toolVersion } from '../version.js';
import { familyOf } from './families.js';

export const SCHEMA_VERSION = 1;

/** `family`: the id of the incident's family (report/families.ts), when it is in one. */
export function incidentJson(i: Incident, family?: string): Record<string, unknown> {
  return {
    id: i.id,
    cause: i.cause,
    category: i.category,
    severity: i.severity,
    confidence: i.confidence,
    title: i.title,
    subject: i.subject,
    count: i.count,
    firstSeen: i.firstSeen,
    lastSeen: i.lastSeen,
    evidence: i.evidence.map((e) => ({ input: e.input, line: e.line, text: e.text })),
    alternatives: i.alternatives,
    remediation: i.remediation,
    patterns: i.patterns,
    explanation: i.explanation,
    notes: i.notes,
    rootOf: i.rootOf,
    ...(i.crash ? { crash: i.crash } : {}),
    // Added in schema 1 (fields are only added): present for general-tier incidents only.
    ...(i.tier === 'general' ? { tier: i.tier } : {}),
    // Added in schema 1: one failure on several subjects (three or more incidents of one cause, severity and
    // patterns whose subjects differ) shares a family id; the text and Markdown reports group them.
    ...(family !== undefined ? { family } : {}),
  };
}

export function diagnosisJson(d: Diagnosis): Record<string, unknown> {
  const families = familyOf(d.incidents);
  return documentJson(
    d,
    d.incidents.map((i) => incidentJson(i, families.get(i.id))),
  );
}

/** The document with `incidents` as given (jsonPieces leaves a hole there). */
function documentJson(d: Diagnosis, incidents: unknown): Record<string, unknown> {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: toolVersion() },
    inputs: d.inputs.map((i) => ({ name: i.name, lines: i.lines, bytes: i.bytes, ...(i.error ? { error: i.error } : {}) })),
    stats: { lines: d.stats.lines, events: d.stats.events, unparsed: d.stats.unparsed, cutLines: d.stats.cutLines, layouts: d.stats.layouts },
    environment: {
      envoyVersion: d.environment.envoyVersion,
      higressVersion: d.environment.higressVersion,
      logLayouts: d.environment.logLayouts,
      plugins: d.environment.plugins,
      timeWindow: d.environment.timeWindow,
      // Added in schema 1 (fields are only added): what the cluster said, with --kube only.
      ...(d.environment.kube ? { kube: d.environment.kube } : {}),
      // Added in schema 1: what the Docker daemon said (--docker), and the --since/--until window.
      ...(d.environment.docker ? { docker: d.environment.docker } : {}),
      ...(d.environment.window ? { window: d.environment.window } : {}),
      // Added in schema 1: the zone every time above and below is written in, and how it is known.
      ...(d.environment.localTimeWindow ? { localTimeWindow: d.environment.localTimeWindow } : {}),
      ...(d.environment.clock ? { clock: d.environment.clock } : {}),
    },
    incidents,
    unclassified: d.unclassified.map((u) => ({ template: u.template, count: u.count, level: u.level, example: u.example })),
    unclassifiedOther: d.unclassifiedOther,
    // Added in schema 1: error lines a context pattern recognised as harmless (neither incidents nor unexplained).
    harmless: d.harmless.map((h) => ({ pattern: h.pattern, title: h.title, count: h.count, level: h.level, example: h.example })),
  };
}

/** `extra`: fields a caller adds at the end (`redacted` with `--redact`). */
export function renderJson(d: Diagnosis, extra: Record<string, unknown> = {}): string {
  return [...jsonPieces(d, extra)].join('');
}

/** Stands for the incidents in the document around them, and is cut out again. */
const INCIDENTS_HOLE = '\u0000incidents\u0000';

/**
 * The same text as `JSON.stringify(document, null, 2)`, in pieces: the document around the incidents, then one
 * incident at a time. A busy log's report is megabytes; written piece by piece, neither it nor every incident's
 * object is held at once (the peak memory of `analyze` was its end).
 */
export function* jsonPieces(d: Diagnosis, extra: Record<string, unknown> = {}): Generator<string> {
  const doc = JSON.stringify({ ...documentJson(d, INCIDENTS_HOLE), ...extra }, null, 2);
  // Found by its key on a line of its own: a string value cannot hold a raw newline, so no log text can forge it.
  const key = '\n  "incidents": ';
  const hole = JSON.stringify(INCIDENTS_HOLE);
  const at = doc.indexOf(`${key}${hole}`) + key.length;
  yield doc.slice(0, at);
  if (d.incidents.length === 0) yield '[]';
  else {
    const families = familyOf(d.incidents);
    // An array at the document's second level: each element opens on a line of its own, four spaces in.
    for (let k = 0; k < d.incidents.length; k++) {
      const i = d.incidents[k]!;
      const text = JSON.stringify(incidentJson(i, families.get(i.id)), null, 2).replaceAll('\n', '\n    ');
      yield `${k === 0 ? '[' : ','}\n    ${text}`;
    }
    yield '\n  ]';
  }
  yield `${doc.slice(at + hole.length)}\n`;
}
