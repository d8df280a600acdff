// `--format text` (default): what an operator reads in a terminal after an outage. A pure function
// of the Diagnosis; log text is stripped of control sequences before it is shown.
import type { ClockInfo, Diagnosis, Incident } from '../model.js';
import { sourceFacts } from './sources.js';
import { TOOL_NAME, toolVersion } from '../version.js';
import { evidenceRows, sameLines, wrapLine } from './evidence.js';
import { stripControls, truncateDisplay } from '../sanitize.js';
import { PLAIN, type Style } from './style.js';
import { formatBytes, severityCounts, unrecognisedNote, titleWithoutCount } from './summary.js';
import { counted, severityCount } from '../words.js';
import { clockNote, humanRange, humanTime, windowText } from './times.js';
import { incidentsIn, reportItems, type Family } from './families.js';

export interface TextOptions {
  style?: Style;
  /** Wrap prose and evidence to this many columns. */
  width?: number;
  /** `--top N`: show the N highest-ranked incidents or families (default: all). */
  top?: number;
}

export function renderText(d: Diagnosis, opts: TextOptions = {}): string {
  const st = opts.style ?? PLAIN;
  const width = Math.max(60, opts.width ?? 160);
  const out: string[] = [];
  // `  12×  what  where`: a counted kind of line (unexplained, harmless), cut to the width with its location kept.
  const countRow = (count: number, what: string, where: string): string => {
    const loc = stripControls(where);
    return `  ${String(count).padStart(5)}×  ${truncateDisplay(stripControls(what), Math.max(20, width - 12 - [...loc].length))}  ${st.dim(loc)}`;
  };
  // A fleet (--kube) has an input per container log: name the first few, count the rest.
  const MAX_INPUTS = 8;
  const named = d.inputs.length > MAX_INPUTS ? d.inputs.slice(0, MAX_INPUTS - 1) : d.inputs;
  const rest = d.inputs.slice(named.length);
  const inputs = [
    ...named.map((i) => `${i.name} (${i.lines} lines, ${formatBytes(i.bytes)})`),
    ...(rest.length ? [`${rest.length} more (${rest.reduce((n, i) => n + i.lines, 0)} lines, ${formatBytes(rest.reduce((n, i) => n + i.bytes, 0))})`] : []),
  ].join(', ');
  const title = `${TOOL_NAME} ${toolVersion()}`;
  wrapProse(`${title} — ${stripControls(inputs) || 'no input'}`, width, '', '  ').forEach((l, i) => out.push(i === 0 ? st.bold(title) + l.slice(title.length) : l));
  for (const i of d.inputs) if (i.error) out.push(st.severity('warning', `  ! ${stripControls(i.error)}`));
  const env = d.environment;
  const envParts = [
    env.logLayouts.length ? `layouts: ${env.logLayouts.join(', ')}` : null,
    env.envoyVersion ? `Envoy ${env.envoyVersion}${env.higressVersion ? ` (Higress ${env.higressVersion})` : ''}` : null,
    env.plugins.length ? `plugins: ${env.plugins.map((p) => stripControls(p)).join(', ')}` : null,
    windowText(d) ? `time: ${windowText(d)}` : null,
  ].filter(Boolean);
  if (envParts.length) out.push(...wrapProse(envParts.join(' · '), width, '', '  ').map((l) => st.dim(l)));
  const clock = clockNote(env.clock, env.localTimeWindow !== undefined);
  if (clock) out.push(...wrapProse(`clock: ${clock}`, width, '', '  ').map((l) => st.dim(l)));
  out.push(...sourceFacts(env).flatMap((l) => wrapProse(stripControls(l), width, '', '  ')).map((l) => st.dim(l)));
  out.push('');
  if (d.incidents.length === 0) {
    out.push('No incidents: nothing in this log explains a failure.');
  } else {
    const items = reportItems(d.incidents);
    const families = items.filter((it) => it.kind === 'family').length;
    const grouped = families > 0 ? ` (${counted(families, 'family', 'families')} of one failure on several subjects grouped)` : '';
    out.push(st.bold(`${d.incidents.length} incident${d.incidents.length === 1 ? '' : 's'}${grouped}, most probable root cause first`));
    const shown = items.slice(0, opts.top ?? items.length);
    shown.forEach((it, n) => {
      out.push('');
      out.push(...(it.kind === 'family' ? familyLines(it.family, n + 1, st, width, env.clock) : incidentLines(it.incident, n + 1, st, width, env.clock)));
    });
    if (shown.length < items.length) {
      const left = items.length - shown.length;
      const held = incidentsIn(items.slice(shown.length));
      out.push('', `… ${left} more ${held === left ? (left === 1 ? 'incident' : 'incidents') : `${left === 1 ? 'item' : 'items'} (${counted(held, 'incident')})`} left out by --top ${shown.length} (--format json has all)`);
    }
  }
  if (d.unclassified.length > 0) {
    out.push('', st.bold(`Unexplained errors (${d.unclassified.length} kind${d.unclassified.length === 1 ? '' : 's'}${d.unclassifiedOther ? `, +${d.unclassifiedOther} more` : ''}):`));
    for (const u of d.unclassified.slice(0, 10)) out.push(countRow(u.count, u.template, `${u.example.input}:${u.example.line}`));
    if (d.unclassified.length > 10) out.push(st.dim(`  … ${d.unclassified.length - 10} more`));
  }
  if (d.harmless.length > 0) {
    // Error lines the catalog knows to be harmless: said once, so nobody chases them, and kept apart from the unexplained.
    out.push('', st.bold(`Recognised as harmless (${d.harmless.length} kind${d.harmless.length === 1 ? '' : 's'}):`));
    for (const h of d.harmless) out.push(countRow(h.count, h.title, `${h.example.input}:${h.example.line} (${h.pattern})`));
  }
  out.push('');
  const counts = severityCounts(d);
  const sevText = (['critical', 'error', 'warning', 'info'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => st.severity(s, severityCount(counts[s], s)))
    .join(', ');
  out.push(
    `Summary: ${sevText || 'no incidents'} · ${counted(d.stats.lines, 'line')} read, ${counted(d.stats.events, 'event')}, ${d.stats.unparsed} unparsed` +
      (d.stats.cutLines ? `, ${counted(d.stats.cutLines, 'over-long line')} cut` : ''),
  );
  const most = unrecognisedNote(d);
  if (most) out.push(...wrapProse(most, width, '', '  ').map((l) => st.dim(l)));
  return `${out.join('\n')}\n`;
}

function incidentLines(inc: Incident, n: number, st: Style, width: number, clock: ClockInfo | undefined): string[] {
  const out: string[] = [];
  const head = `${n}. ${st.severity(inc.severity, inc.severity.toUpperCase())}  ${st.bold(inc.cause)}  confidence ${inc.confidence.toFixed(2)}${inc.rootOf ? st.dim(`  (knock-on of ${inc.rootOf})`) : ''}`;
  out.push(head);
  out.push(...wrapProse(stripControls(titleWithoutCount(inc.title)), width, '   ', '   ').map((l) => st.bold(l)));
  const subject = Object.entries(inc.subject)
    .map(([k, v]) => `${k}=${stripControls(v)}`)
    .join(' · ');
  const range = inc.firstSeen ? humanRange(inc.firstSeen, inc.lastSeen, clock) : null;
  const when = range === null ? '' : range.includes(' … ') ? ` · ${range}` : ` · at ${range}`;
  out.push(...wrapProse(`${subject ? `${subject} · ` : ''}seen ${inc.count}×${when} · id ${inc.id}`, width, '   ', '     ').map((l) => st.dim(l)));
  out.push(...wrapProse(`Why: ${stripControls(inc.explanation)}`, width, '   ', '        '));
  for (const note of inc.notes) out.push(...wrapProse(`Note: ${stripControls(note)}`, width, '   ', '         '));
  if (inc.crash) {
    const c = inc.crash;
    out.push(...wrapProse(`Crash: ${c.signal ?? 'signal unknown'}${c.envoyVersion ? ` · Envoy ${stripControls(c.envoyVersion)}` : ''}`, width, '   ', '          '));
    for (const f of c.frames.slice(0, 5)) out.push(st.dim(`     ${truncateDisplay(stripControls(f), width - 6)}`));
  }
  if (inc.alternatives.length > 0) {
    out.push(...wrapProse(`Other possible causes: ${inc.alternatives.map((a) => `${a.cause} (${a.confidence.toFixed(2)})`).join(', ')}`, width, '   ', '     '));
  }
  out.push('   Evidence:');
  out.push(...evidenceLines(inc, st, width, clock));
  out.push('   What to do:');
  inc.remediation.forEach((r, i) => {
    const num = `${i + 1}. `;
    out.push(...wrapProse(`${num}${stripControls(r)}`, width, '     ', ' '.repeat(5 + num.length)));
  });
  return out;
}

/**
 * One failure on several subjects: the representative's heading, explanation, evidence and advice, then a table
 * of every subject with its count and first and last time.
 */
function familyLines(f: Family, n: number, st: Style, width: number, clock: ClockInfo | undefined): string[] {
  const first = f.members[0]!;
  const total = f.members.reduce((k, i) => k + i.count, 0);
  const lines = incidentLines(first, n, st, width, clock);
  const keyText = f.keys.join(' and ');
  lines[0] = `${lines[0]}${st.dim(`  · ${f.members.length} incidents of one kind, one per ${keyText}`)}`;
  // After the heading and the title: the whole family's extent, before the representative's own line.
  const at = lines.findIndex((l) => l.includes(`id ${first.id}`));
  const many = f.keys.length === 1 ? counted(f.members.length, f.keys[0]!) : `${f.members.length} subjects`;
  const summary = wrapProse(`${many} · seen ${total}× in all · family ${f.id} · shown: the first, ${subjectText(first)}`, width, '   ', '     ').map((l) => st.dim(l));
  lines.splice(at >= 0 ? at + 1 : 2, 0, ...summary);
  lines.push(`   ${f.members.length} subjects:`);
  const rows = f.members.map((i) => [...f.keys.map((k) => stripControls(i.subject[k] ?? '—')), String(i.count), i.firstSeen ? humanTime(i.firstSeen, clock) : '—', i.lastSeen ? humanTime(i.lastSeen, clock) : '—', i.id]);
  const head = [...f.keys, 'count', 'first seen', 'last seen', 'id'];
  const fixed = head.slice(f.keys.length).map((h, k) => Math.max(h.length, ...rows.map((r) => r[f.keys.length + k]!.length)));
  // The subject columns share what the fixed ones leave; long values are cut at the start (the end tells them apart).
  const room = Math.max(12, width - 5 - fixed.reduce((a, b) => a + b + 2, 0) - 2 * (f.keys.length - 1));
  const subjectWidths = f.keys.map((k, c) => Math.min(Math.max(k.length, ...rows.map((r) => [...r[c]!].length)), Math.floor(room / f.keys.length)));
  const widths = [...subjectWidths, ...fixed];
  const cut = (v: string, w: number): string => ([...v].length <= w ? v : `…${[...v].slice(-(w - 1)).join('')}`);
  const right = (c: number): boolean => c === f.keys.length;
  const row = (cells: string[]): string => `     ${cells.map((v, c) => (right(c) ? cut(v, widths[c]!).padStart(widths[c]!) : cut(v, widths[c]!).padEnd(widths[c]!))).join('  ')}`.trimEnd();
  lines.push(st.dim(row(head)));
  for (const r of rows) lines.push(row(r));
  return lines;
}

function subjectText(i: Incident): string {
  return Object.entries(i.subject)
    .map(([k, v]) => `${k}=${stripControls(v)}`)
    .join(' · ');
}

/** Indent of an evidence line's continuation. */
const EVIDENCE_INDENT = ' '.repeat(9);
/** Narrowest room for the message beside `input:line  time` before it moves to its own lines. */
const MIN_MESSAGE_WIDTH = 32;
/** Wrapped lines an evidence line may take before the rest is left to the JSON report. */
const EVIDENCE_MAX_LINES = 6;

/**
 * `input:line  HH:MM:SS  message`: the message part of each line (evidence.ts), wrapped under an
 * indent instead of cut; lines whose message reads the same fold into the first.
 */
function evidenceLines(inc: Incident, st: Style, width: number, clock: ClockInfo | undefined): string[] {
  const rows = evidenceRows(inc.evidence, clock);
  const locs = rows.map((r) => stripControls(`${r.input}:${r.line}`));
  const locWidth = Math.max(0, ...locs.map((l) => [...l].length));
  const timeWidth = Math.max(0, ...rows.map((r) => (r.time ?? '').length));
  // Long input names leave too little room beside them: the message then starts on the next line.
  const stacked = width - (5 + locWidth + 2 + (timeWidth > 0 ? timeWidth + 2 : 0)) < MIN_MESSAGE_WIDTH;
  const rest = width - EVIDENCE_INDENT.length;
  const out: string[] = [];
  rows.forEach((r, k) => {
    const loc = stacked ? locs[k]! : locs[k]!.padEnd(locWidth);
    const time = timeWidth > 0 ? `${(r.time ?? '').padEnd(timeWidth)}  ` : '';
    if (stacked) {
      out.push(`     ${st.dim(loc)}  ${time}`.trimEnd());
      for (const p of wrapLine(r.text, rest, rest, EVIDENCE_MAX_LINES)) out.push(`${EVIDENCE_INDENT}${p}`);
    } else {
      const parts = wrapLine(r.text, width - [...`     ${loc}  ${time}`].length, rest, EVIDENCE_MAX_LINES);
      out.push(`     ${st.dim(loc)}  ${time}${parts[0]}`);
      for (const p of parts.slice(1)) out.push(`${EVIDENCE_INDENT}${p}`);
    }
    if (r.same.length > 0) {
      const until = r.lastTime && r.lastTime !== r.time ? ` (the last at ${r.lastTime})` : '';
      const what = `same message on line${r.same.length === 1 ? '' : 's'} ${sameLines(r)}${until}`;
      out.push(...wrapProse(what, width, EVIDENCE_INDENT, EVIDENCE_INDENT).map((l) => st.dim(l)));
    }
  });
  return out;
}

/** Prose wrapped to the width at spaces (words never cut): the first line after `first`, the others after `rest`. */
function wrapProse(text: string, width: number, first: string, rest: string): string[] {
  const lines = wrapLine(text.replace(/\s+/g, ' ').trim(), width - [...first].length, width - [...rest].length, Number.POSITIVE_INFINITY, false);
  return lines.map((l, i) => (i === 0 ? first : rest) + l);
}
