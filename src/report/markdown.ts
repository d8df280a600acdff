// `--format markdown`: the report a user pastes into a support ticket (GitHub, GitLab issues), also written by the
// `e` export of `tail`. A pure function of a Diagnosis (and of the caller's redactor, when one is passed).
//
// Two promises shape this file:
//  - Nothing leaks by default. Unless the caller says `redact: false`, the diagnosis is stripped of escape
//    sequences and then redacted here, even when the caller already redacted it (redaction is idempotent, and
//    stripping first matters: `10.0.\x1b[m0.1` only becomes an address once the escape is gone). Callers should
//    pass the raw diagnosis.
//  - Log text cannot change the document's structure. It appears only inside fenced blocks (fence longer than any
//    backtick run in it), inside code spans, or backslash-escaped prose on one line; it can never open a heading,
//    a list, a table row, HTML, a link, math, or ping someone with `@name`.
//
// Size: the report is cut to `maxBytes` (UTF-8) in a fixed order — fewer evidence lines, shorter evidence lines,
// fewer unexplained-error rows, shorter remediation, then compaction — and a note under the summary table says
// what was cut. The summary table always lists every incident.
import type { Diagnosis, Incident, UnclassifiedGroup } from '../model.js';
import { TOOL_NAME, toolVersion } from '../version.js';
import { prepareDiagnosis } from './prepare.js';
import { createRedactor, describeRedactions, PSEUDONYM_RE, redactDiagnosis, type Redactor } from './redact.js';
import { stripControls, truncateDisplay } from '../sanitize.js';
import { formatBytes, severityCounts, unrecognisedNote, titleWithoutCount } from './summary.js';
import { counted, severityCount } from '../words.js';
import { sourceFacts } from './sources.js';
import { clockNote, humanRange, humanTime, windowText } from './times.js';
import { reportItems, type Family, type ReportItem } from './families.js';
import { docUrl } from '../package.js';

export const DEFAULT_MAX_BYTES = 60_000;

/** Where cause docs live in the repository; links point at the project's copy on the web (package.ts). */
export const CAUSES_DOC = 'docs/causes.md';

export interface MarkdownOptions {
  /** The command line that produced the report, quoted at its end. */
  readonly command?: string;
  /** Cap on the report's size in UTF-8 bytes (default 60,000, under common issue-body limits). */
  readonly maxBytes?: number;
  /**
   * Redaction. Default (`undefined` or `true`): on, with a fresh redactor. A Redactor: on, with that one (e.g. the
   * one behind the `tail` screen, so pseudonyms match what the user saw). `false`: the user turned it off
   * (`--no-redact`); the report says so. Pass the raw diagnosis: it is stripped, then redacted, here.
   */
  readonly redact?: boolean | Redactor;
  /** `--top N`: only the N highest-ranked incidents or families get a section (the table lists all). */
  readonly top?: number;
}

/** How much of each part is shown; the size cap walks these down. */
interface Plan {
  readonly evidenceLines: number;
  readonly lineChars: number;
  readonly unclassifiedRows: number;
  readonly remediation: 'all' | 'first' | 'none';
  /** Explanation, notes, alternatives, crash line. */
  readonly details: boolean;
  /** Incident sections shown (the summary table lists them all). */
  readonly sections: number;
  readonly environment: 'full' | 'short';
}

const FULL: Plan = {
  evidenceLines: 8,
  lineChars: 1000,
  unclassifiedRows: 20,
  remediation: 'all',
  details: true,
  sections: Number.POSITIVE_INFINITY,
  environment: 'full',
};

/**
 * Evidence lines, then line length, then unexplained rows, then remediation; then compaction. Past the end, whole
 * incident sections are dropped from the end (the table keeps every incident): a shown section keeps at least
 * one evidence line, which is what a ticket needs most.
 */
const LADDER: readonly ((p: Plan) => Plan)[] = [
  (p) => ({ ...p, evidenceLines: 5 }),
  (p) => ({ ...p, evidenceLines: 3 }),
  (p) => ({ ...p, evidenceLines: 2 }),
  (p) => ({ ...p, evidenceLines: 1 }),
  (p) => ({ ...p, lineChars: 300 }),
  (p) => ({ ...p, lineChars: 160 }),
  (p) => ({ ...p, lineChars: 100 }),
  (p) => ({ ...p, unclassifiedRows: 10 }),
  (p) => ({ ...p, unclassifiedRows: 5 }),
  (p) => ({ ...p, unclassifiedRows: 0 }),
  (p) => ({ ...p, remediation: 'first' }),
  (p) => ({ ...p, remediation: 'none' }),
  (p) => ({ ...p, details: false }),
  (p) => ({ ...p, environment: 'short' }),
];

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

interface Prepared {
  readonly d: Diagnosis;
  /** Distinct pseudonyms per kind in the report, or null when redaction is off. */
  readonly redacted: Readonly<Record<string, number>> | null;
  readonly command: string | null;
  /** Number (1-based) of the section of each incident id (raw and re-keyed), for "knock-on of incident n". */
  readonly index: ReadonlyMap<string, number>;
  /** Incidents and families in rank order: one section each. */
  readonly items: readonly ReportItem[];
  /** `--top N`: sections shown (the table lists every incident). */
  readonly top: number;
}

export function renderMarkdown(diagnosis: Diagnosis, opts: MarkdownOptions = {}): string {
  const max = opts.maxBytes !== undefined && Number.isFinite(opts.maxBytes) && opts.maxBytes > 0 ? Math.floor(opts.maxBytes) : DEFAULT_MAX_BYTES;
  const r = prepare(diagnosis, opts);
  let plan = FULL;
  let out = render(r, plan, null);
  if (bytes(out) <= max) return out;
  for (const step of LADDER) {
    plan = step(plan);
    out = render(r, plan, cutNote(r.d, plan, max));
    if (bytes(out) <= max) return out;
  }
  // Drop incident sections from the end (they stay in the table): the longest prefix that fits.
  let lo = 0;
  let hi = Math.min(r.top, r.items.length);
  const withSections = (k: number): string => {
    const p = { ...plan, sections: k };
    return render(r, p, cutNote(r.d, p, max));
  };
  if (bytes(withSections(0)) <= max) {
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (bytes(withSections(mid)) <= max) lo = mid;
      else hi = mid - 1;
    }
    return withSections(lo);
  }
  return minimal(r, max);
}

// ---------------------------------------------------------------------------------------------------------------
// Preparation: strip, then redact

function prepare(d: Diagnosis, opts: MarkdownOptions): Prepared {
  // Strip first, then redact (prepare.ts): also for a caller that redacted the raw text itself.
  let shown = prepareDiagnosis(d, { redact: false }).diagnosis;
  let command = opts.command ? stripControls(opts.command) : null;
  let redacted: Readonly<Record<string, number>> | null = null;
  if (opts.redact !== false) {
    const r = typeof opts.redact === 'object' ? opts.redact : createRedactor();
    shown = redactDiagnosis(shown, r);
    if (command !== null) command = r.text(command);
    redacted = pseudonymCounts([JSON.stringify(shown), command ?? '']);
  }
  // Ids before and after redaction (which re-keys them), both by position: notes name incidents by raw id. The
  // members of a family share its section's number.
  const items = reportItems(shown.incidents);
  const section = new Map<string, number>();
  items.forEach((it, n) => {
    for (const i of it.kind === 'family' ? it.family.members : [it.incident]) section.set(i.id, n + 1);
  });
  const numbers = shown.incidents.map((i) => section.get(i.id) ?? 0);
  const index = new Map([...d.incidents, ...shown.incidents].map((i, n) => [i.id, numbers[n % Math.max(1, d.incidents.length)]!]));
  const top = opts.top !== undefined && opts.top >= 0 ? Math.floor(opts.top) : items.length;
  return { d: shown, redacted, command, index, items, top };
}

/**
 * Distinct pseudonyms per kind in the report's text. Not the redactor's own counts: a caller may have redacted
 * with a redactor shared with other output (the `tail` screen), or before calling; what this report hides is
 * what its text shows as pseudonyms.
 */
function pseudonymCounts(texts: readonly string[]): Record<string, number> {
  const seen = new Map<string, Set<string>>();
  const re = new RegExp(PSEUDONYM_RE.source, 'g');
  for (const t of texts) {
    for (const m of t.matchAll(re)) {
      const kind = m[0].slice(1, m[0].lastIndexOf('-'));
      let set = seen.get(kind);
      if (set === undefined) seen.set(kind, (set = new Set()));
      set.add(m[0]);
    }
  }
  return Object.fromEntries([...seen].map(([k, v]) => [k, v.size]));
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown-inert forms of untrusted text

/** One line: escape sequences gone, every run of whitespace (newlines, tabs) one space. */
function oneLine(s: string): string {
  return stripControls(s, { keepNewlines: true }).replace(/\s+/g, ' ').trim();
}

// GitHub/GitLab turn `@name` into a mention (a notification) and `#12`/`!12` into cross-references (a timeline
// event in another issue); a backslash does not stop them, a code span does.
const REFERENCE_RE = /(?<![\w@.+-])@[A-Za-z0-9][A-Za-z0-9-]*|(?<![\w&])[#!]\d+(?![\w])/g;

/**
 * Log text for prose and table cells: one line; Markdown and HTML syntax backslash-escaped (`<ip-1>` shows as
 * text, not as an unknown HTML tag; `$…$` is not math; `|` does not split a table cell); mentions and issue
 * references put in code spans. Mid-line use only; see `block` for text that starts a line.
 */
function prose(s: string, maxChars = Number.POSITIVE_INFINITY): string {
  const t = truncateDisplay(oneLine(s), maxChars);
  let out = '';
  let last = 0;
  for (const m of t.matchAll(REFERENCE_RE)) {
    out += escapeInline(t.slice(last, m.index)) + code(m[0]);
    last = m.index + m[0].length;
  }
  return out + escapeInline(t.slice(last));
}

/**
 * `prose` for text that starts a line (a paragraph, a list item's content): a leading `-`, `+` or `=` cannot start
 * a list, a thematic break or a heading underline, and `1.` cannot start a nested list.
 */
function block(s: string): string {
  return prose(s).replace(/^([-+=])/, '\\$1').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

function escapeInline(s: string): string {
  return s
    .replace(/[\\`*[\]<>#|~$]/g, '\\$&')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
}

/** A code span around `s` (one line): the delimiter is longer than any backtick run inside. */
function code(s: string, maxChars = Number.POSITIVE_INFINITY): string {
  const t = truncateDisplay(oneLine(s), maxChars);
  if (t === '') return '—';
  const run = longestRun(t, '`');
  const tick = '`'.repeat(run + 1);
  // A leading/trailing backtick or space would be eaten by the delimiter rules: pad both sides.
  const pad = /^[` ]|[` ]$/.test(t) ? ' ' : '';
  return `${tick}${pad}${t}${pad}${tick}`;
}

/**
 * A code span inside a table cell. GFM splits cells on `|` before reading code spans, so pipes are written `\|`
 * (shown as `|`). A `\` just before a `|` would make `\\|` — a split for cmark-gfm (GitHub, GitLab) but not for
 * markdown-it — so that pipe is shown as `¦` instead.
 */
function codeCell(s: string, maxChars = Number.POSITIVE_INFINITY): string {
  const t = truncateDisplay(oneLine(s), maxChars).replace(/\\\|/g, '\\\u00a6');
  return code(t).replace(/\|/g, '\\|');
}

/** A fenced block of log lines: each stripped to one line; the fence is longer than any backtick run inside. */
function fence(lines: readonly string[]): string {
  const body = lines.map((l) => stripControls(l)).join('\n');
  const tick = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${tick}text\n${body}\n${tick}`;
}

function longestRun(s: string, ch: string): number {
  let best = 0;
  let cur = 0;
  for (const c of s) {
    cur = c === ch ? cur + 1 : 0;
    if (cur > best) best = cur;
  }
  return best;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------------------------------------------
// The document

function render(r: Prepared, plan: Plan, note: string | null): string {
  const out: string[] = [];
  out.push(...head(r.d), '');
  if (note) out.push(note, '');
  if (r.d.incidents.length > 0) out.push(...table(r), '');
  out.push(...environment(r.d, plan), '');
  const shown = Math.min(plan.sections, r.top, r.items.length);
  r.items.slice(0, shown).forEach((it, n) => out.push(...(it.kind === 'family' ? familySection(it.family, n + 1, plan, r) : incidentSection(it.incident, n + 1, plan, r))));
  if (r.top < r.items.length && shown === r.top) {
    const left = r.items.slice(r.top).reduce((k, it) => k + (it.kind === 'family' ? it.family.members.length : 1), 0);
    out.push(`_${plural(left, 'more incident')} left out by \`--top ${r.top}\` (in the table above; \`--format json\` has everything)._`, '');
  }
  if (r.d.unclassified.length > 0 || r.d.unclassifiedOther > 0) out.push(...unexplained(r.d, plan), '');
  if (r.d.harmless.length > 0) out.push(...harmless(r.d), '');
  out.push(...footer(r));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function head(d: Diagnosis): string[] {
  const title = '# Higress gateway diagnosis';
  if (d.incidents.length === 0) return [title, '', 'No incidents: nothing in the log explains a failure.'];
  const counts = severityCounts(d);
  const bySeverity = (['critical', 'error', 'warning', 'info'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => severityCount(counts[s], s))
    .join(', ');
  const top = d.incidents[0]!;
  return [
    title,
    '',
    `**${plural(d.incidents.length, 'incident')}** (${bySeverity}), most probable root cause first: ` +
      `\`${top.cause}\`${prose(titleWithoutCount(top.title), 160) ? ` — ${prose(titleWithoutCount(top.title), 160)}` : ''}.`,
  ];
}

function table(r: Prepared): string[] {
  const clock = r.d.environment.clock;
  const rows = ['| # | severity | cause | subject | count | first seen | last seen | confidence |', '|---:|---|---|---|---:|---|---|---:|'];
  const time = (t: string | null): string => prose(t ? humanTime(t, clock) : '—');
  r.items.forEach((it, n) => {
    if (it.kind === 'family') {
      // One row per family: its section has the table of subjects.
      const f = it.family;
      const first = f.members[0]!;
      const times = f.members.flatMap((i) => [i.firstSeen, i.lastSeen]).filter((t): t is string => t !== null);
      const sorted = [...times].sort((a, b) => Date.parse(a) - Date.parse(b) || a.localeCompare(b));
      const total = f.members.reduce((k, i) => k + i.count, 0);
      rows.push(
        `| ${n + 1} | ${first.severity} | \`${first.cause}\` | ${subjectCell(first)} and ${f.members.length - 1} more (${f.members.length} incidents) | ${total} | ${time(sorted[0] ?? null)} | ${time(sorted.at(-1) ?? null)} | ${first.confidence.toFixed(2)} |`,
      );
      return;
    }
    const i = it.incident;
    const root = i.rootOf !== null ? r.index.get(i.rootOf) : undefined;
    // Not `#1`: GitHub would link (and notify) issue 1 of the repository the ticket is filed in.
    const cause = `\`${i.cause}\`${root !== undefined ? ` (knock-on of incident ${root})` : ''}`;
    rows.push(`| ${n + 1} | ${i.severity} | ${cause} | ${subjectCell(i)} | ${i.count} | ${time(i.firstSeen)} | ${time(i.lastSeen)} | ${i.confidence.toFixed(2)} |`);
  });
  return rows;
}

function subjectCell(i: Incident): string {
  const parts = Object.entries(i.subject).map(([k, v]) => `${prose(k)} ${codeCell(v, 100)}`);
  return parts.length > 0 ? parts.join(', ') : '—';
}

function environment(d: Diagnosis, plan: Plan): string[] {
  const env = d.environment;
  const out = ['## Environment', '', `- Tool: ${TOOL_NAME} ${toolVersion()}`];
  const maxInputs = plan.environment === 'full' ? 20 : 3;
  if (d.inputs.length === 1) {
    out.push(`- Input: ${inputText(d.inputs[0]!)}`);
  } else if (d.inputs.length > 1) {
    const lines = d.inputs.reduce((n, i) => n + i.lines, 0);
    const size = d.inputs.reduce((n, i) => n + i.bytes, 0);
    out.push(`- Inputs: ${d.inputs.length} (${counted(lines, 'line')}, ${formatBytes(size)})`);
    for (const i of d.inputs.slice(0, maxInputs)) out.push(`  - ${inputText(i)}`);
    if (d.inputs.length > maxInputs) out.push(`  - … ${d.inputs.length - maxInputs} more`);
  }
  const window = windowText(d);
  if (window) out.push(`- Time window: ${prose(window)}`);
  // Envoy prints the container's local time, Go components UTC: every time here is on one clock, and this says which.
  const clock = clockNote(env.clock, env.localTimeWindow !== undefined);
  if (clock) out.push(`- Clock: ${prose(clock)}`);
  // The cluster, the container, --since/--until: what the sources said besides their lines.
  for (const fact of sourceFacts(env)) out.push(`- ${prose(fact, 2000)}`);
  out.push(`- Log layouts: ${env.logLayouts.length ? env.logLayouts.join(', ') : '—'}`);
  out.push(`- Envoy: ${env.envoyVersion ? prose(env.envoyVersion) : 'unknown'}; Higress: ${env.higressVersion ? prose(env.higressVersion) : 'unknown'}`);
  if (env.plugins.length > 0) {
    const maxPlugins = plan.environment === 'full' ? 60 : 10;
    const more = env.plugins.length > maxPlugins ? `, … ${env.plugins.length - maxPlugins} more` : '';
    out.push(`- Plugins seen: ${env.plugins.slice(0, maxPlugins).map((p) => code(p, 80)).join(', ')}${more}`);
  }
  const s = d.stats;
  out.push(`- Lines: ${s.lines} read, ${counted(s.events, 'event')}, ${s.unparsed} unparsed${s.cutLines ? `, ${counted(s.cutLines, 'over-long line')} cut` : ''}`);
  const most = unrecognisedNote(d);
  if (most) out.push(`- ${most}`);
  return out;
}

function inputText(i: Diagnosis['inputs'][number]): string {
  return `${code(i.name, 200)} — ${counted(i.lines, 'line')}, ${formatBytes(i.bytes)}${i.error ? ` (${prose(i.error, 200)})` : ''}`;
}

function incidentSection(i: Incident, n: number, plan: Plan, r: Prepared): string[] {
  const out: string[] = [`## ${n}. ${prose(titleWithoutCount(i.title), 200) || i.cause}`, ''];
  const range = i.firstSeen ? humanRange(i.firstSeen, i.lastSeen, r.d.environment.clock) : null;
  const when = range === null ? '' : range.includes(' … ') ? `, ${prose(range)}` : `, at ${prose(range)}`;
  out.push(`- Cause: \`${i.cause}\` (${i.category}), severity ${i.severity}, confidence ${i.confidence.toFixed(2)}; seen ${i.count}×${when}`);
  const subject = Object.entries(i.subject);
  if (subject.length > 0) out.push(`- Subject: ${subject.map(([k, v]) => `${prose(k)} ${code(v, 300)}`).join(', ')}`);
  const root = i.rootOf !== null ? r.index.get(i.rootOf) : undefined;
  if (root !== undefined) out.push(`- Knock-on effect of incident ${root}`);
  if (plan.details && i.alternatives.length > 0) {
    out.push(`- Other possible causes: ${i.alternatives.map((a) => `\`${a.cause}\` (${a.confidence.toFixed(2)})`).join(', ')}`);
  }
  if (plan.details && i.crash) {
    out.push(`- Crash: ${prose(i.crash.signal ?? 'unknown signal')}${i.crash.envoyVersion ? `, Envoy ${code(i.crash.envoyVersion, 200)}` : ''}`);
  }
  // An absolute link: a ticket has no docs/ folder beside it.
  out.push(`- Docs: [${CAUSES_DOC}#${i.cause}](${docUrl(`${CAUSES_DOC}#${i.cause}`)})`, '');
  if (plan.details) {
    // "incident <id>" becomes "incident <n>": easier to follow, and a raw id is a hash of the raw subject.
    const numbered = (t: string): string =>
      t.replace(/\bincident ([0-9a-f]{12})\b/g, (_m, id: string) => (r.index.has(id) ? `incident ${r.index.get(id)}` : 'another incident'));
    if (i.explanation) out.push(block(numbered(i.explanation)), '');
    const notes = [...new Set(i.notes.map((x) => block(numbered(x))))].filter(Boolean);
    if (notes.length > 0) out.push('Notes:', '', ...notes.map((x) => `- ${x}`), '');
  }
  if (plan.evidenceLines > 0 && i.evidence.length > 0) {
    const ev = pickEvidence(i.evidence, plan.evidenceLines);
    const shownOf = ev.length < i.evidence.length ? ` (${ev.length} of ${i.evidence.length} lines)` : '';
    out.push(`Evidence${shownOf}:`, '');
    out.push(fence(ev.map((e) => truncateDisplay(stripControls(`${e.input}:${e.line}: ${e.text}`), plan.lineChars))), '');
  }
  if (plan.remediation !== 'none' && i.remediation.length > 0) {
    const steps = plan.remediation === 'first' ? i.remediation.slice(0, 1) : i.remediation;
    out.push('What to do:', '');
    steps.forEach((s, k) => out.push(`${k + 1}. ${block(s)}`));
    if (steps.length < i.remediation.length) out.push('', `(${plural(i.remediation.length - steps.length, 'more step')} in the docs.)`);
    out.push('');
  }
  return out;
}

/** One failure on several subjects: the first member's section, with the family's extent and a table of subjects. */
function familySection(f: Family, n: number, plan: Plan, r: Prepared): string[] {
  const first = f.members[0]!;
  const clock = r.d.environment.clock;
  // A ticket keeps every subject's evidence (the size cap cuts it per subject, as per incident); advice once.
  const evidence = f.members.flatMap((m) => pickEvidence(m.evidence, plan.evidenceLines));
  const out = incidentSection({ ...first, evidence }, n, { ...plan, evidenceLines: plan.evidenceLines > 0 ? evidence.length : 0 }, r);
  const total = f.members.reduce((k, i) => k + i.count, 0);
  const many = f.keys.length === 1 ? plural(f.members.length, f.keys[0]!) : `${f.members.length} subjects`;
  out[0] = `## ${n}. ${prose(titleWithoutCount(first.title), 200) || first.cause} — and ${f.members.length - 1} more like it`;
  const cause = out.findIndex((l) => l.startsWith('- Cause:'));
  out.splice(cause + 1, 0, `- Family \`${f.id}\`: ${many} with the same failure, seen ${total}× in all; the evidence of each, the advice once`);
  const rows = [`| ${f.keys.map((k) => prose(k)).join(' | ')} | count | first seen | last seen |`, `|${f.keys.map(() => '---').join('|')}|---:|---|---|`];
  for (const i of f.members) {
    rows.push(
      `| ${f.keys.map((k) => codeCell(i.subject[k] ?? '—', 200)).join(' | ')} | ${i.count} | ${prose(i.firstSeen ? humanTime(i.firstSeen, clock) : '—')} | ${prose(i.lastSeen ? humanTime(i.lastSeen, clock) : '—')} |`,
    );
  }
  const at = out.findIndex((l) => l.startsWith('Evidence') || l === 'What to do:');
  out.splice(at >= 0 ? at : out.length, 0, `Subjects (${f.members.length}):`, '', ...rows, '');
  return out;
}

/** The first lines (where a block states its cause) and the last one (the newest occurrence). */
function pickEvidence<T>(ev: readonly T[], n: number): readonly T[] {
  if (ev.length <= n) return ev;
  if (n === 1) return ev.slice(0, 1);
  return [...ev.slice(0, n - 1), ev[ev.length - 1]!];
}

function unexplained(d: Diagnosis, plan: Plan): string[] {
  const total = d.unclassified.length + d.unclassifiedOther;
  const out = ['## Unexplained errors', ''];
  const rows = d.unclassified.slice(0, plan.unclassifiedRows);
  const rest = total - rows.length;
  if (rows.length === 0) {
    out.push(`${plural(total, 'error template')} that no pattern explains (not listed here; see \`--format json\`).`);
    return out;
  }
  out.push(`Error-level lines that no pattern explains, grouped by template (${rows.length} shown${rest > 0 ? `, ${rest} more not listed` : ''}):`, '');
  out.push('| count | level | template | example |', '|---:|---|---|---|');
  for (const u of rows) out.push(`| ${u.count} | ${u.level ?? '—'} | ${codeCell(u.template, 200)} | ${codeCell(`${u.example.input}:${u.example.line}`)} |`);
  out.push('', 'Examples:', '', fence(rows.map((u: UnclassifiedGroup) => truncateDisplay(stripControls(`${u.example.input}:${u.example.line}: ${u.example.text}`), plan.lineChars))));
  return out;
}

/** Error lines a context pattern knows to be harmless: one row per pattern (few: the catalog's own). */
function harmless(d: Diagnosis): string[] {
  const out = ['## Recognised as harmless', '', 'Error-level lines the catalog recognises as harmless (no incident, nothing to do):', ''];
  out.push('| count | pattern | what | example |', '|---:|---|---|---|');
  for (const h of d.harmless) out.push(`| ${h.count} | ${h.pattern} | ${codeCell(h.title, 200)} | ${codeCell(`${h.example.input}:${h.example.line}`)} |`);
  return out;
}

function footer(r: Prepared): string[] {
  const out = ['---', ''];
  if (r.redacted === null) {
    out.push('Redaction: **off** (`--no-redact`): log text is shown as it is; check it for secrets before sharing.');
  } else {
    const what = describeRedactions(r.redacted);
    out.push(
      what
        ? `Redacted: ${what}. Each distinct value is replaced by a pseudonym (\`<ip-1>\`, \`<token-1>\`, …) that is the same wherever it appears.`
        : 'Redaction: on; nothing to redact was found.',
    );
  }
  if (r.command) out.push('', `Command: ${code(r.command)}`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The size cap

function cutNote(d: Diagnosis, plan: Plan, max: number): string {
  const cuts: string[] = [];
  const maxEvidence = Math.max(0, ...d.incidents.map((i) => i.evidence.length));
  if (plan.evidenceLines < Math.min(FULL.evidenceLines, maxEvidence)) cuts.push(`evidence cut to ${plural(plan.evidenceLines, 'line')} per incident`);
  if (plan.lineChars < FULL.lineChars) cuts.push(`evidence lines cut to ${plan.lineChars} characters`);
  const rows = Math.min(FULL.unclassifiedRows, d.unclassified.length);
  if (plan.unclassifiedRows < rows) cuts.push(`${rows - plan.unclassifiedRows} of ${rows} unexplained-error rows left out`);
  if (plan.remediation === 'first') cuts.push('remediation cut to its first step');
  if (plan.remediation === 'none') cuts.push('remediation left out (see the docs links)');
  if (!plan.details) cuts.push('explanations, notes and other possible causes left out');
  if (plan.environment === 'short') cuts.push('environment shortened');
  const n = reportItems(d.incidents).length;
  if (plan.sections < n) {
    cuts.push(plan.sections === 0 ? 'incident details left out (every incident is in the table)' : `details of incidents ${plan.sections + 1}–${n} left out (they are in the table)`);
  }
  return `> **Shortened to fit ${max} bytes** (\`--max-bytes\`): ${cuts.join('; ')}. \`--format json\` has everything.`;
}

/**
 * Title, a note and the table: what is left when nothing else fits. The short note is shorter than the summary
 * sentence it replaces, so this fits whenever title + summary sentence + table do.
 */
function minimal(r: Prepared, max: number): string {
  const doc = (note: string): string => `${['# Higress gateway diagnosis', '', note, '', ...(r.d.incidents.length > 0 ? table(r) : [])].join('\n')}\n`;
  const long = doc(`> **Shortened to fit ${max} bytes** (\`--max-bytes\`): only the summary table is kept; \`--format json\` has everything.`);
  if (bytes(long) <= max) return long;
  const short = doc('> Shortened: summary table only.');
  if (bytes(short) <= max) return short;
  return doc(`> **Shortened**: only the summary table is kept, and it alone is larger than ${max} bytes (\`--max-bytes\`).`);
}
