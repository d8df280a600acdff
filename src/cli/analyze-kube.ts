// `higress-doctor analyze --kube`: the gateway fleet read through kubectl — every matching pod and container,
// current and previous logs, merged by time into one timeline with a `pod/container` input per log; each
// container's status as classified lines; the WasmPlugin resources as environment facts. What cannot be read
// (a pod deleted meanwhile, RBAC on one resource) is one line on stderr and the rest is still diagnosed.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeEnvironment, PodFact } from '../model.js';
import { loadRunCatalog } from '../catalog/compiled.js';
import { Pipeline } from '../pipeline.js';
import { withKubeFacts } from '../diagnose/cluster-facts.js';
import { KubeError, type KubeTarget } from '../sources/kubectl.js';
import {
  DEFAULT_CONTROLLER_SELECTOR,
  hasPrevious,
  inputName,
  listPods,
  listWasmPlugins,
  podOfInput,
  sharedPluginUrls,
  sinceFlag,
  statusLines,
  statusTime,
  untilMs,
} from '../sources/kube.js';
import { mergeByTime, spoolLogs, type LogStreamSpec, type TimedSource } from '../sources/kube-logs.js';
import { writeReport, type AnalyzeOptions } from './analyze.js';

export interface KubeOptions {
  readonly target: KubeTarget;
  readonly selector: string;
  readonly withController: boolean;
  readonly since?: string;
  readonly until?: string;
  /** kubectl processes at once. */
  readonly maxStreams: number;
  /** tail: how often the pods are listed again (ms). */
  readonly pollMs?: number;
}

/** The pods of every selector asked for (gateway, then controller), each pod once. */
export async function findPods(k: KubeOptions, signal?: AbortSignal): Promise<{ pods: PodFact[]; selectors: string[] }> {
  const selectors = [k.selector, ...(k.withController ? [DEFAULT_CONTROLLER_SELECTOR] : [])];
  const lists = await Promise.all([
    listPods(k.target, k.selector, 'gateway', signal),
    ...(k.withController ? [listPods(k.target, DEFAULT_CONTROLLER_SELECTOR, 'controller', signal)] : []),
  ]);
  const seen = new Set<string>();
  const pods = lists.flat().filter((p) => !seen.has(p.name) && Boolean(seen.add(p.name)));
  if (pods.length === 0) {
    const ctx = k.target.context ? ` of context ${k.target.context}` : '';
    throw new KubeError(
      `no pod in namespace ${k.target.namespace}${ctx} matches ${selectors.join(' or ')} (kubectl get pods -n ${k.target.namespace} --show-labels shows the labels; give --namespace / --selector)`,
    );
  }
  return { pods, selectors };
}

export async function analyzeKube(opts: AnalyzeOptions, k: KubeOptions, signal?: AbortSignal): Promise<number> {
  // Bad flags fail before anything is asked of the cluster.
  const since = k.since ? sinceFlag(k.since) : undefined;
  const until = k.until ? untilMs(k.until) : undefined;
  const [catalog, { pods, selectors }, plugins] = await Promise.all([
    loadRunCatalog(opts.patterns),
    findPods(k, signal),
    listWasmPlugins(k.target, signal),
  ]);
  const listed = Date.now();
  const pipeline = new Pipeline(catalog, { noPrefilter: opts.noPrefilter, contextLane: true, zone: opts.zone ?? null, scopeOf: (e) => podOfInput(e.input) ?? e.input });
  const problems: string[] = [];
  if (plugins.problem) problems.push(plugins.problem);

  // One lane per log and per status, in pod order: previous instance, current, status.
  const specs: LogStreamSpec[] = [];
  for (const pod of pods) {
    for (const c of pod.containers) {
      if (hasPrevious(c)) specs.push({ input: inputName(pod.name, c.name, 'previous'), pod: pod.name, container: c.name, previous: true });
      specs.push({ input: inputName(pod.name, c.name, 'current'), pod: pod.name, container: c.name, previous: false });
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'higress-doctor-kube-'));
  let interrupted = false;
  try {
    const progress = process.stderr.isTTY ? (done: number, total: number): void => void process.stderr.write(`\r\x1b[Kreading logs through kubectl: ${done}/${total}`) : undefined;
    const spooled = await spoolLogs(k.target, specs, dir, { concurrency: k.maxStreams, since, signal, onFetched: progress });
    if (progress) process.stderr.write('\r\x1b[K');
    const fetched = Date.now();
    interrupted = signal?.aborted ?? false;
    const sources: TimedSource[] = [];
    const byInput = new Map(spooled.map((s) => [s.input, s]));
    for (const pod of pods) {
      for (const c of pod.containers) {
        for (const kind of ['previous', 'current'] as const) {
          const s = byInput.get(inputName(pod.name, c.name, kind));
          if (!s || s.absent) continue;
          const lane = pipeline.openLane(s.input, { timed: true });
          if (s.error) {
            lane.stats.error = s.error;
            // An interruption is said once, below, not per log.
            if (!interrupted) problems.push(s.error);
          }
          if (s.path !== null) sources.push({ lane, path: s.path });
        }
        const lines = statusLines(pod, c);
        if (lines.length > 0) sources.push({ lane: pipeline.openLane(inputName(pod.name, c.name, 'status'), { timed: true }), lines, time: statusTime(c) });
      }
    }
    if (interrupted) {
      const whole = spooled.filter((s) => !s.error).length;
      problems.push(`interrupted while reading the logs: ${whole} of ${spooled.length} read in full; the diagnosis covers what was read`);
    }
    // Interrupted while fetching: what was fetched is still merged (it is quick); a Ctrl-C now stops the merge.
    const merging = interrupted ? new AbortController() : null;
    const again = (): void => merging?.abort();
    if (merging) process.once('SIGINT', again);
    try {
      await mergeByTime(sources, { untilMs: until, signal: merging?.signal ?? signal, advance: (t) => pipeline.release(t) });
    } finally {
      if (merging) process.removeListener('SIGINT', again);
    }
    interrupted ||= signal?.aborted ?? false;
    if (process.env.HIGRESS_DOCTOR_DEBUG) {
      const mib = spooled.reduce((n, s) => n + (s.absent || s.path === null ? 0 : statSync(s.path).size), 0) / 1024 / 1024;
      process.stderr.write(`higress-doctor: kube: ${pods.length} pods, ${specs.length} logs (${mib.toFixed(1)} MiB) fetched in ${fetched - listed} ms, merged in ${Date.now() - fetched} ms\n`);
    }
  } finally {
    pipeline.endLanes();
    rmSync(dir, { recursive: true, force: true });
  }
  const wasmPlugins = plugins.plugins;
  const kube: KubeEnvironment = {
    context: k.target.context ?? null,
    namespace: k.target.namespace,
    selectors,
    pods,
    wasmPlugins,
    sharedPluginUrls: wasmPlugins ? sharedPluginUrls(wasmPlugins) : [],
    problems,
  };
  const diagnosis = withKubeFacts(pipeline.snapshot(), kube);
  for (const p of problems) process.stderr.write(`higress-doctor: ${p}\n`);
  return writeReport(diagnosis, opts, [], interrupted);
}
