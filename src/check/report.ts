// `check` output: text, Markdown and JSON, pure functions of the results. Every string a server
// or file supplied was stripped of control characters where it was read (stripControls).
import type { Style } from '../report/style.js';
import { PLAIN } from '../report/style.js';
import { TOOL_NAME, toolVersion } from '../version.js';
import type { CheckResult } from './result.js';

export interface CheckReport {
  readonly gateway: string;
  readonly checks: readonly CheckResult[];
}

const MARK = { ok: 'OK  ', warning: 'WARN', error: 'FAIL' } as const;

function counts(checks: readonly CheckResult[]): string {
  const n = (s: CheckResult['severity']): number => checks.filter((c) => c.severity === s).length;
  const faults = n('error');
  const warnings = n('warning');
  return `${n('ok')} ok, ${warnings} warning${warnings === 1 ? '' : 's'}, ${faults} fault${faults === 1 ? '' : 's'}`;
}

/** Short facts from the details, for one line under the title. */
function facts(c: CheckResult): string[] {
  const d = c.details as Record<string, unknown>;
  const m = (d.module ?? d) as Record<string, unknown>;
  const out: string[] = [];
  if (typeof d.status === 'number' && c.severity !== 'error') out.push(`HTTP ${d.status}`);
  if (typeof m.bytes === 'number') out.push(formatSize(m.bytes));
  if (typeof m.sha256 === 'string') out.push(`sha256 ${m.sha256}`);
  for (const r of (d.redirects as Array<{ status: number; to: string }> | undefined) ?? []) out.push(`redirected (${r.status}) to ${r.to}`);
  if (typeof d.proxy === 'string') out.push(`through proxy ${d.proxy}`);
  if (Array.isArray(d.layers)) out.push(`layers: ${(d.layers as Array<{ mediaType: string }>).map((l) => l.mediaType).join(', ') || 'none'}`);
  return out;
}

function extraLines(c: CheckResult): string[] {
  const d = c.details as Record<string, unknown>;
  const m = (d.module ?? d) as Record<string, unknown>;
  const inner = (m.module ?? m) as Record<string, unknown>;
  const out: string[] = [];
  const missing = inner.missing as Array<{ import: string; since: string | null; reason: string }> | undefined;
  if (missing && missing.length > 1) {
    out.push(`missing imports: ${missing.slice(0, 8).map((x) => (x.since ? `${x.import} (Higress ${x.since}+)` : x.import)).join(', ')}${missing.length > 8 ? `, … (${missing.length})` : ''}`);
  }
  const only = inner.higressOnly as string[] | undefined;
  if (only && only.length > 0) out.push(`Higress-only host functions: ${only.join(', ')}`);
  if (typeof d.credentials === 'string') out.push(`credentials: ${d.credentials}`);
  return out;
}

export function renderCheckText(r: CheckReport, style: Style = PLAIN): string {
  const lines: string[] = [];
  lines.push(style.bold(`${TOOL_NAME} check — ${r.checks.length} check${r.checks.length === 1 ? '' : 's'} against ${r.gateway}`));
  lines.push('');
  for (const c of r.checks) {
    const sev = c.severity === 'error' ? 'error' : c.severity === 'warning' ? 'warning' : 'info';
    const who = c.plugin ?? `[${c.kind}]`;
    lines.push(`${style.severity(sev, MARK[c.severity])}  ${c.cause ? `${c.cause}  ` : ''}${who}  ${c.target}`);
    lines.push(`      ${c.title}`);
    const f = facts(c);
    if (f.length > 0) lines.push(style.dim(`      ${f.join(' · ')}`));
    for (const x of extraLines(c)) lines.push(`      ${x}`);
    for (const step of c.remediation) lines.push(`      → ${step}`);
  }
  lines.push('');
  lines.push(`Summary: ${counts(r.checks)}`);
  return `${lines.join('\n')}\n`;
}

const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => (s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``);

export function renderCheckMarkdown(r: CheckReport): string {
  const out: string[] = [];
  out.push(`## ${TOOL_NAME} check`);
  out.push('');
  out.push(`${r.checks.length} check${r.checks.length === 1 ? '' : 's'} against ${cell(r.gateway)}: ${counts(r.checks)}.`);
  out.push('');
  out.push('| # | result | plugin | target | finding |');
  out.push('| --- | --- | --- | --- | --- |');
  r.checks.forEach((c, i) => {
    const result = c.cause ? `${MARK[c.severity].trim()} ${code(c.cause)}` : MARK[c.severity].trim();
    out.push(`| ${i + 1} | ${result} | ${c.plugin ? cell(c.plugin) : `(${c.kind})`} | ${cell(code(c.target))} | ${cell(c.title)} |`);
  });
  const todo = r.checks.map((c, i) => ({ c, i })).filter(({ c }) => c.remediation.length > 0);
  if (todo.length > 0) {
    out.push('');
    out.push('### What to do');
    for (const { c, i } of todo) {
      out.push('');
      out.push(`**${i + 1}. ${cell(c.plugin ?? c.kind)}**${c.cause ? ` (${code(c.cause)})` : ''}: ${cell(c.title)}`);
      const more = [...facts(c), ...extraLines(c)];
      if (more.length > 0) out.push(`<br>${cell(more.join(' · '))}`);
      out.push('');
      for (const step of c.remediation) out.push(`- ${cell(step)}`);
    }
  }
  out.push('');
  out.push(`<sub>${TOOL_NAME} ${toolVersion()}</sub>`);
  return `${out.join('\n')}\n`;
}

export function renderCheckJson(r: CheckReport): string {
  const checks = r.checks.map((c) => ({
    target: c.target,
    plugin: c.plugin,
    ok: c.ok,
    cause: c.cause,
    title: c.title,
    details: c.details,
    kind: c.kind,
    severity: c.severity,
    remediation: c.remediation,
  }));
  return `${JSON.stringify({ schemaVersion: 1, tool: { name: TOOL_NAME, version: toolVersion() }, gateway: r.gateway, checks }, null, 2)}\n`;
}

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1048576).toFixed(1)} MiB`;
}
