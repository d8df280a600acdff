// `check pattern --from-log`: the plugins a gateway log names, as analyze reads them (plugin
// activity, failed fetches), with the version a plugin URL in the log carries.
import { loadRunCatalog } from '../catalog/compiled.js';
import { Pipeline } from '../pipeline.js';
import { readInput, resolveInputs, TruncatedInput } from '../sources/open.js';

export async function pluginsInLogs(paths: readonly string[]): Promise<Array<{ name: string; version: string | null }>> {
  const inputs = await resolveInputs(paths);
  const pipeline = new Pipeline(await loadRunCatalog([]), { contextLane: true });
  for (const spec of inputs) {
    pipeline.beginInput(spec.name);
    try {
      for await (const chunk of readInput(spec)) pipeline.push(chunk);
    } catch (e) {
      if (!(e instanceof TruncatedInput)) throw e;
    }
  }
  pipeline.endInput();
  const d = pipeline.snapshot();
  const found = new Map<string, string | null>();
  for (const p of d.environment.plugins) found.set(p, null);
  for (const i of d.incidents) {
    const name = i.subject.plugin ?? i.subject.resource;
    if (!name || !/^[\w.-]+$/.test(name)) continue;
    const url = i.subject.url ?? '';
    // …/plugins/<name>/<version>/plugin.wasm, or oci://…/<name>:<version>
    const version = new RegExp(`/${escape(name)}/(\\d[\\w.+-]*)/|/${escape(name)}:(\\d[\\w.+-]*)$`).exec(url);
    found.set(name, version?.[1] ?? version?.[2] ?? found.get(name) ?? null);
  }
  return [...found].sort(([a], [b]) => a.localeCompare(b)).map(([name, version]) => ({ name, version }));
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
