// What the cluster's resources confirm beyond the log lines (`--kube`): the WasmPlugin resources say which URL
// each plugin fetches, so "every plugin fetches the same URL" (a URL pattern without ${name}) is a fact read from
// them, not only an inference from fetch errors. A pure function of a snapshot, run before the report.
import type { Diagnosis, DockerEnvironment, Incident, KubeEnvironment } from '../model.js';

const FETCH_CAUSES = new Set(['wasm-fetch-bad-address', 'wasm-fetch-network', 'wasm-fetch-auth', 'wasm-fetch-tls', 'wasm-module-corrupt', 'wasm-image-format']);

const list = (names: readonly string[]): string => (names.length <= 6 ? names.join(', ') : `${names.slice(0, 6).join(', ')} and ${names.length - 6} more`);

/** The diagnosis with the cluster's facts in its environment and the incidents they confirm annotated. */
export function withKubeFacts(d: Diagnosis, kube: KubeEnvironment): Diagnosis {
  const shared = new Map(kube.sharedPluginUrls.map((s) => [s.url, s.plugins]));
  const placeholders = new Map((kube.wasmPlugins ?? []).filter((p) => p.url?.includes('${')).map((p) => [p.url!, p.name]));
  const incidents = d.incidents.map((i): Incident => {
    const url = i.subject.url;
    if (!url || !FETCH_CAUSES.has(i.cause)) return i;
    const notes = [...i.notes];
    let confidence = i.confidence;
    const plugins = shared.get(url);
    if (plugins) {
      notes.push(`Confirmed by the WasmPlugin resources: ${plugins.length} plugins (${list(plugins)}) have spec.url ${url}, so all of them fetch this one file: the plugin URL pattern lacks \${name}.`);
      if (i.cause === 'wasm-fetch-bad-address') confidence = Math.max(confidence, 0.95);
    }
    const literal = placeholders.get(url);
    if (literal) notes.push(`Confirmed by the WasmPlugin resource ${literal}: its spec.url still holds a \${…} placeholder.`);
    return notes.length === i.notes.length ? i : { ...i, notes, confidence };
  });
  return { ...d, incidents, environment: { ...d.environment, kube } };
}

/**
 * The diagnosis with the container's facts (`--docker`) in its environment. A plugin URL pattern from the
 * container's environment that `check pattern` finds fault with (no `${name}`: every plugin fetches one file)
 * confirms the fetch incidents whose URL it produced.
 */
export function withDockerFacts(d: Diagnosis, docker: DockerEnvironment): Diagnosis {
  const p = docker.urlPattern;
  if (!p?.problem) return { ...d, environment: { ...d.environment, docker } };
  const prefix = p.value.split('${')[0]!;
  const incidents = d.incidents.map((i): Incident => {
    const url = i.subject.url;
    if (!FETCH_CAUSES.has(i.cause) || (url && prefix && !url.startsWith(prefix) && url !== p.value)) return i;
    const notes = [...i.notes, `Confirmed by the container's environment: HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN=${p.value} ${p.problem}.`];
    const confidence = i.cause === 'wasm-fetch-bad-address' && url ? Math.max(i.confidence, 0.95) : i.confidence;
    return { ...i, notes, confidence };
  });
  return { ...d, incidents, environment: { ...d.environment, docker } };
}
