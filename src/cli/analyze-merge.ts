// `analyze gateway.log controller.log` (and folders holding several logs): the inputs as one timeline
// (cli/merge-inputs.ts) instead of one after another. Each stream — a file, or a rotated set oldest first — is a
// process of its own for the correlations that tell of one process (a memory signal explaining a crash, the plugin
// active before it, a restart ending a lifetime), as each pod is for `--kube`; knock-on lines still join a root
// in another stream (the controller's NACK joins the gateway's fetch failure).
import { loadRunCatalog } from '../catalog/compiled.js';
import { Pipeline } from '../pipeline.js';
import { Timeline, type WindowOptions } from '../diagnose/timeline.js';
import type { InputSpec } from '../sources/open.js';
import { finishAnalysis, type AnalyzeOptions } from './analyze.js';
import { mergeInputs } from './merge-inputs.js';

export async function analyzeMerged(
  inputs: readonly InputSpec[],
  streams: ReadonlyArray<{ scope: string; files: InputSpec[] }>,
  opts: AnalyzeOptions,
  window: WindowOptions,
  signal?: AbortSignal,
): Promise<number> {
  const catalog = await loadRunCatalog(opts.patterns);
  const scopes = new Map<string, string>();
  for (const s of streams) for (const f of s.files) scopes.set(f.name, s.scope);
  const pipeline = new Pipeline(catalog, { noPrefilter: opts.noPrefilter, contextLane: true, zone: opts.zone ?? null, scopeOf: (e) => scopes.get(e.input) ?? e.input });
  const timeline = new Timeline(opts.zone ?? null, window);
  // Stdin may wait for data forever: closed on Ctrl-C so its read ends at once.
  const onAbort = (): void => {
    if (inputs.some((i) => i.path === '-')) process.stdin.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let r;
  try {
    r = await mergeInputs(pipeline, timeline, streams, { ...(signal ? { signal } : {}) });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    pipeline.endLanes();
  }
  if (timeline.guessed.size > 0) {
    process.stderr.write(
      `higress-doctor: ${[...timeline.guessed].join(', ')}: only Envoy's local times and nothing tells their offset from UTC; merged as if the container ran on UTC (give --tz)\n`,
    );
  }
  return finishAnalysis(pipeline.snapshot(), { paths: inputs.map((i) => i.path), failures: r.failures, readSomething: r.readSomething, interrupted: r.interrupted || (signal?.aborted ?? false), timeline }, opts);
}
