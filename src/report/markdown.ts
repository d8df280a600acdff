// `--format markdown`: a support-ticket report. (A first version: summary table, environment,
// one section per incident with fenced evidence, unexplained errors.)
import type { Diagnosis, Incident } from '../model.js';
import { TOOL_NAME, toolVersion } from '../version.js';
import { stripControls } from './sanitize.js';
import { formatBytes, severityCounts, timeRange } from './summary.js';

export interface MarkdownOptions {
  command?: string;
  maxBytes?: number;
}

const cell = (s: string): string => stripControls(s).replace(/\|/g, '\\|').replace(/\s+/g, ' ');
const fence = (lines: string[]): string => {
  const body = lines.join('\n');
  const ticks = '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${ticks}text\n${body}\n${ticks}`;
};

export function renderMarkdown(d: Diagnosis, opts: MarkdownOptions = {}): string {
  const out: string[] = [];
  const counts = severityCounts(d);
  out.push(`# Higress gateway diagnosis`, '');
  out.push(
    d.incidents.length === 0
      ? 'No incidents: nothing in the log explains a failure.'
      : `**${d.incidents.length} incident(s)**: ${(['critical', 'error', 'warning', 'info'] as const).filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`).join(', ')}. Most probable root cause first.`,
    '',
  );
  if (d.incidents.length > 0) {
    out.push('| # | severity | cause | subject | count | first seen | last seen | confidence |', '|---|---|---|---|---|---|---|---|');
    d.incidents.forEach((i, n) => {
      const subject = Object.entries(i.subject).map(([k, v]) => `${k}=${v}`).join(', ');
      out.push(`| ${n + 1} | ${i.severity} | \`${i.cause}\` | ${cell(subject) || '—'} | ${i.count} | ${cell(i.firstSeen ?? '—')} | ${cell(i.lastSeen ?? '—')} | ${i.confidence.toFixed(2)} |`);
    });
    out.push('');
  }
  out.push('## Environment', '');
  out.push(`- Tool: ${TOOL_NAME} ${toolVersion()}`);
  for (const i of d.inputs) out.push(`- Input: \`${cell(i.name)}\` — ${i.lines} lines, ${formatBytes(i.bytes)}${i.error ? ` (${cell(i.error)})` : ''}`);
  const tr = timeRange(d);
  if (tr) out.push(`- Time window: ${cell(tr)}`);
  out.push(`- Log layouts: ${d.environment.logLayouts.join(', ') || '—'}`);
  out.push(`- Envoy: ${d.environment.envoyVersion ?? 'unknown'}; Higress: ${d.environment.higressVersion ?? 'unknown'}`);
  if (d.environment.plugins.length) out.push(`- Plugins seen: ${d.environment.plugins.map(cell).join(', ')}`);
  out.push(`- Lines: ${d.stats.lines} read, ${d.stats.events} events, ${d.stats.unparsed} unparsed`, '');
  d.incidents.forEach((i, n) => out.push(...incidentSection(i, n + 1)));
  if (d.unclassified.length > 0) {
    out.push('## Unexplained errors', '', '| count | template | example |', '|---|---|---|');
    for (const u of d.unclassified.slice(0, 20)) out.push(`| ${u.count} | ${cell(u.template)} | ${cell(`${u.example.input}:${u.example.line}`)} |`);
    out.push('');
  }
  if (opts.command) out.push('---', '', `Produced by: \`${cell(opts.command)}\``, '');
  return `${out.join('\n')}\n`;
}

function incidentSection(i: Incident, n: number): string[] {
  const out: string[] = [`## ${n}. ${cell(i.title)}`, ''];
  out.push(`- Cause: \`${i.cause}\` (${i.category}), confidence ${i.confidence.toFixed(2)}, severity ${i.severity}`);
  if (i.alternatives.length) out.push(`- Other possible causes: ${i.alternatives.map((a) => `\`${a.cause}\` (${a.confidence.toFixed(2)})`).join(', ')}`);
  if (i.rootOf) out.push(`- Knock-on effect of incident \`${i.rootOf}\``);
  out.push('', stripControls(i.explanation), '');
  for (const note of i.notes) out.push(`> ${stripControls(note)}`, '');
  if (i.crash) out.push(`Crash: ${cell(i.crash.signal ?? 'unknown signal')}, Envoy ${cell(i.crash.envoyVersion ?? 'unknown')}`, '');
  out.push('Evidence:', '', fence(i.evidence.map((e) => `${e.input}:${e.line}: ${stripControls(e.text)}`)), '');
  out.push('What to do:', '');
  i.remediation.forEach((r, k) => out.push(`${k + 1}. ${stripControls(r)}`));
  out.push('');
  return out;
}
