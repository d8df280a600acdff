// What the sources said besides their lines, for every report: the cluster (`--kube`: pods, restarts,
// WasmPlugin resources), the container (`--docker`: its state, its plugin URL pattern) and the time window
// (`--since` / `--until`). Plain lines; each renderer sets them its way.
import type { DockerEnvironment, Environment, KubeEnvironment, TimeWindowFact } from '../model.js';
import { counted } from '../words.js';

/** The lines of every source fact the environment holds, in a fixed order. */
export function sourceFacts(env: Environment): string[] {
  return [...(env.kube ? kubeLines(env.kube) : []), ...(env.docker ? dockerLines(env.docker) : []), ...(env.window ? [windowLine(env.window)] : [])];
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

/** What the Docker daemon said about the container besides its logs (`--docker`). */
function dockerLines(d: DockerEnvironment): string[] {
  const s = d.state;
  const ended = s && (s.status === 'exited' || s.status === 'dead');
  const how = s
    ? `${s.status ?? 'unknown'}${ended ? ` (${s.oomKilled ? 'OOMKilled, ' : ''}exit ${s.exitCode ?? '?'}${s.finishedAt ? ` at ${s.finishedAt}` : ''})` : s.oomKilled ? ' (OOMKilled before)' : ''} · ${s.restartCount} restart${s.restartCount === 1 ? '' : 's'}`
    : 'state unknown';
  const out = [
    `container: ${d.name ?? d.container}${d.id ? ` (${d.id})` : ''}${d.image ? ` · ${d.image}` : ''} · ${how}${d.logFiles ? ` · /var/log/higress: ${d.logFiles.length ? d.logFiles.join(', ') : 'no log files'}` : ''}`,
  ];
  if (d.urlPattern) out.push(`URL pattern: HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN=${d.urlPattern.value} — ${d.urlPattern.problem ?? 'has ${name}'}`);
  return out;
}

/** `--since` / `--until` and what they left out. */
function windowLine(w: TimeWindowFact): string {
  const left = w.leftOut.before + w.leftOut.after;
  return `window: ${w.since ?? '…'} to ${w.until ?? 'now'} (UTC)${left ? ` · left out ${counted(left, 'event')} outside it` : ''}`;
}
