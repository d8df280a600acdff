// `--format text` (default): what an operator reads in a terminal after an outage. A pure function
// of the Diagnosis; log text is stripped of control sequences before it is shown.
import type { Diagnosis, Incident, KubeEnvironment } from '../model.js';
import { TOOL_NAME, toolVersion } from '../version.js';
import { stripControls, truncateDisplay } from '../sanitize.js';
import { PLAIN, type Style } from './style.js';
import { formatBytes, severityCounts, timeRange, unrecognisedNote } from './summary.js';

export interface TextOptions {
  style?: Style;
  /** Cut evidence lines to this many characters. */
  width?: number;
  /** Show every incident's full detail (default: all). */
  maxIncidents?: number;
}

export function renderText(d: Diagnosis, opts: TextOptions = {}): string {
  const st = opts.style ?? PLAIN;
  const width = Math.max(60, opts.width ?? 160);
  const out: string[] = [];
  // A fleet (--kube) has an input per container log: name the first few, count the rest.
  const MAX_INPUTS = 8;
  const named = d.inputs.length > MAX_INPUTS ? d.inputs.slice(0, MAX_INPUTS - 1) : d.inputs;
  const rest = d.inputs.slice(named.length);
  const inputs = [
    ...named.map((i) => `${i.name} (${i.lines} lines, ${formatBytes(i.bytes)})`),
    ...(rest.length ? [`${rest.length} more (${rest.reduce((n, i) => n + i.lines, 0)} lines, ${formatBytes(rest.reduce((n, i) => n + i.bytes, 0))})`] : []),
  ].join(', ');
  out.push(st.bold(`${TOOL_NAME} ${toolVersion()}`) + ` — ${stripControls(inputs) || 'no input'}`);
  for (const i of d.inputs) if (i.error) out.push(st.severity('warning', `  ! ${stripControls(i.error)}`));
  const env = d.environment;
  const envParts = [
    env.logLayouts.length ? `layouts: ${env.logLayouts.join(', ')}` : null,
    env.envoyVersion ? `Envoy ${env.envoyVersion}${env.higressVersion ? ` (Higress ${env.higressVersion})` : ''}` : null,
    env.plugins.length ? `plugins: ${env.plugins.map((p) => stripControls(p)).join(', ')}` : null,
    timeRange(d) ? `time: ${timeRange(d)}` : null,
  ].filter(Boolean);
  if (envParts.length) out.push(st.dim(envParts.join(' · ')));
  if (env.kube) out.push(...kubeLines(env.kube).map((l) => st.dim(stripControls(l))));
  out.push('');
  if (d.incidents.length === 0) {
    out.push('No incidents: nothing in this log explains a failure.');
  } else {
    out.push(st.bold(`${d.incidents.length} incident${d.incidents.length === 1 ? '' : 's'}, most probable root cause first`));
    const shown = d.incidents.slice(0, opts.maxIncidents ?? d.incidents.length);
    shown.forEach((inc, n) => {
      out.push('');
      out.push(...incidentLines(inc, n + 1, st, width));
    });
    if (shown.length < d.incidents.length) out.push('', `… ${d.incidents.length - shown.length} more incident(s) (use --format json for all)`);
  }
  if (d.unclassified.length > 0) {
    out.push('', st.bold(`Unexplained errors (${d.unclassified.length} kind${d.unclassified.length === 1 ? '' : 's'}${d.unclassifiedOther ? `, +${d.unclassifiedOther} more` : ''}):`));
    for (const u of d.unclassified.slice(0, 10)) {
      out.push(`  ${String(u.count).padStart(5)}×  ${truncateDisplay(stripControls(u.template), width - 40)}  ${st.dim(`${u.example.input}:${u.example.line}`)}`);
    }
    if (d.unclassified.length > 10) out.push(st.dim(`  … ${d.unclassified.length - 10} more`));
  }
  out.push('');
  const counts = severityCounts(d);
  const sevText = (['critical', 'error', 'warning', 'info'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => st.severity(s, `${counts[s]} ${s}`))
    .join(', ');
  out.push(
    `Summary: ${sevText || 'no incidents'} · ${d.stats.lines} lines read, ${d.stats.events} events, ${d.stats.unparsed} unparsed` +
      (d.stats.cutLines ? `, ${d.stats.cutLines} over-long line(s) cut` : ''),
  );
  const most = unrecognisedNote(d);
  if (most) out.push(st.dim(most));
  return `${out.join('\n')}\n`;
}

function incidentLines(inc: Incident, n: number, st: Style, width: number): string[] {
  const out: string[] = [];
  const head = `${n}. ${st.severity(inc.severity, inc.severity.toUpperCase())}  ${st.bold(inc.cause)}  confidence ${inc.confidence.toFixed(2)}${inc.rootOf ? st.dim(`  (knock-on of ${inc.rootOf})`) : ''}`;
  out.push(head);
  out.push(`   ${st.bold(stripControls(inc.title))}`);
  const subject = Object.entries(inc.subject)
    .map(([k, v]) => `${k}=${stripControls(v)}`)
    .join(' · ');
  const when = inc.firstSeen ? (inc.firstSeen === inc.lastSeen ? ` · at ${inc.firstSeen}` : ` · ${inc.firstSeen} … ${inc.lastSeen}`) : '';
  out.push(st.dim(`   ${subject ? `${subject} · ` : ''}seen ${inc.count}×${when} · id ${inc.id}`));
  out.push(`   Why: ${stripControls(inc.explanation)}`);
  for (const note of inc.notes) out.push(`   Note: ${stripControls(note)}`);
  if (inc.crash) {
    const c = inc.crash;
    out.push(`   Crash: ${c.signal ?? 'signal unknown'}${c.envoyVersion ? ` · Envoy ${c.envoyVersion}` : ''}`);
    for (const f of c.frames.slice(0, 5)) out.push(st.dim(`     ${truncateDisplay(stripControls(f), width - 6)}`));
  }
  if (inc.alternatives.length > 0) {
    out.push(`   Other possible causes: ${inc.alternatives.map((a) => `${a.cause} (${a.confidence.toFixed(2)})`).join(', ')}`);
  }
  out.push('   Evidence:');
  for (const e of inc.evidence) {
    const loc = `${e.input}:${e.line}`;
    out.push(`     ${st.dim(loc)}  ${truncateDisplay(stripControls(e.text), Math.max(20, width - loc.length - 8))}`);
  }
  out.push('   What to do:');
  inc.remediation.forEach((r, i) => out.push(`     ${i + 1}. ${stripControls(r)}`));
  return out;
}

/** What the cluster said besides the logs (`--kube`): pods and their restarts, the WasmPlugin resources. */
function kubeLines(k: KubeEnvironment): string[] {
  const restarted = k.pods.flatMap((p) =>
    p.containers
      .filter((c) => c.restarts > 0 || c.reason)
      .map((c) => `${p.name}/${c.name} ${c.restarts} restart${c.restarts === 1 ? '' : 's'}${c.lastTermination?.reason ? ` (last: ${c.lastTermination.reason}${c.lastTermination.exitCode !== null ? `, exit ${c.lastTermination.exitCode}` : ''})` : ''}${c.reason ? ` now ${c.reason}` : ''}`),
  );
  const out = [
    `cluster: namespace ${k.namespace}${k.context ? `, context ${k.context}` : ''} · ${k.pods.length} pod${k.pods.length === 1 ? '' : 's'} (${k.selectors.join(', ')})${restarted.length ? ` · ${restarted.join('; ')}` : ''}`,
  ];
  if (k.wasmPlugins) {
    const shared = k.sharedPluginUrls.map((u) => `${u.plugins.length} share spec.url ${u.url}`);
    out.push(`WasmPlugin resources: ${k.wasmPlugins.length}${shared.length ? ` · ${shared.join('; ')}` : ''}`);
  }
  return out;
}
