// The cluster as a source (`--kube`): the gateway pods (and the controller's), each container's current and
// previous log, each container's status turned into the text lines `kubectl describe pod` prints (so the
// catalog classifies an OOM kill like any log line), and the WasmPlugin resources as environment facts.
import type { ContainerFact, PodFact, TerminationFact, WasmPluginFact } from '../model.js';
import { KubeError, kubectlJson, type KubeTarget } from './kubectl.js';

export const DEFAULT_NAMESPACE = 'higress-system';
export const DEFAULT_GATEWAY_SELECTOR = 'app=higress-gateway';
export const DEFAULT_CONTROLLER_SELECTOR = 'app=higress-controller';
export const WASMPLUGIN_RESOURCE = 'wasmplugins.extensions.higress.io';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function termination(v: unknown): TerminationFact | null {
  const t = obj(v);
  if (Object.keys(t).length === 0) return null;
  return { reason: str(t.reason), exitCode: num(t.exitCode), signal: num(t.signal), startedAt: str(t.startedAt), finishedAt: str(t.finishedAt) };
}

function container(name: string, status: Json | undefined): ContainerFact {
  const st = obj(status?.state);
  const state: ContainerFact['state'] = st.running ? 'running' : st.waiting ? 'waiting' : st.terminated ? 'terminated' : 'unknown';
  const reason = str(obj(st.waiting).reason) ?? str(obj(st.terminated).reason);
  return {
    name,
    restarts: num(status?.restartCount) ?? 0,
    ready: status?.ready === true,
    state,
    reason,
    lastTermination: termination(obj(status?.lastState).terminated),
  };
}

/** The pods of a `kubectl get pods -o json` answer, containers in spec order. */
export function podsFromList(list: unknown, role: PodFact['role']): PodFact[] {
  return arr(obj(list).items).map((item) => {
    const it = obj(item);
    const meta = obj(it.metadata);
    const spec = obj(it.spec);
    const status = obj(it.status);
    const statuses = new Map(arr(status.containerStatuses).map((s) => [str(obj(s).name) ?? '', obj(s)]));
    const names = arr(spec.containers).map((c) => str(obj(c).name)).filter((n): n is string => n !== null);
    // A status without its spec entry (should not happen) still counts.
    for (const n of statuses.keys()) if (n && !names.includes(n)) names.push(n);
    return {
      name: str(meta.name) ?? '?',
      namespace: str(meta.namespace) ?? '',
      role,
      phase: str(status.phase),
      node: str(spec.nodeName),
      reason: str(status.reason),
      containers: names.map((n) => container(n, statuses.get(n))),
    };
  });
}

/** The WasmPlugin resources of a `kubectl get wasmplugins… -o json` answer, sorted by namespace and name. */
export function wasmPluginsFromList(list: unknown): WasmPluginFact[] {
  return arr(obj(list).items)
    .map((item) => {
      const it = obj(item);
      const meta = obj(it.metadata);
      const spec = obj(it.spec);
      return {
        namespace: str(meta.namespace) ?? '',
        name: str(meta.name) ?? '?',
        url: str(spec.url),
        phase: str(spec.phase),
        priority: num(spec.priority),
        imagePullPolicy: str(spec.imagePullPolicy),
      };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** URLs that two or more WasmPlugin resources share (a URL pattern without `${name}`), biggest group first. */
export function sharedPluginUrls(plugins: readonly WasmPluginFact[]): Array<{ url: string; plugins: string[] }> {
  const by = new Map<string, string[]>();
  for (const p of plugins) if (p.url) by.set(p.url, [...(by.get(p.url) ?? []), p.name]);
  return [...by]
    .filter(([, names]) => names.length >= 2)
    .map(([url, names]) => ({ url, plugins: names }))
    .sort((a, b) => b.plugins.length - a.plugins.length || a.url.localeCompare(b.url));
}

/** The pods a selector finds; a failure is a KubeError (one line). */
export async function listPods(t: KubeTarget, selector: string, role: PodFact['role'], signal?: AbortSignal): Promise<PodFact[]> {
  const list = await kubectlJson(t, ['get', 'pods', '--selector', selector, '--output', 'json'], `listing pods (${selector}) in namespace ${t.namespace}`, { signal });
  return podsFromList(list, role);
}

/**
 * The WasmPlugin resources of every namespace, or of the target's when RBAC allows only that. Never throws: a
 * failure (no such resource type, forbidden) is returned as a problem line and the diagnosis goes on.
 */
export async function listWasmPlugins(t: KubeTarget, signal?: AbortSignal): Promise<{ plugins: WasmPluginFact[] | null; problem: string | null }> {
  const what = 'reading the WasmPlugin resources';
  try {
    return { plugins: wasmPluginsFromList(await kubectlJson(t, ['get', WASMPLUGIN_RESOURCE, '--all-namespaces', '--output', 'json'], what, { namespaced: false, signal })), problem: null };
  } catch (e) {
    const message = (e as Error).message;
    if (!(e instanceof KubeError) || !/forbidden/i.test(message)) return { plugins: null, problem: message };
  }
  try {
    return { plugins: wasmPluginsFromList(await kubectlJson(t, ['get', WASMPLUGIN_RESOURCE, '--output', 'json'], what, { signal })), problem: null };
  } catch (e) {
    return { plugins: null, problem: (e as Error).message };
  }
}

/** The evidence name of one of a container's inputs. */
export function inputName(pod: string, container: string, kind: 'current' | 'previous' | 'status'): string {
  return kind === 'current' ? `${pod}/${container}` : `${pod}/${container} (${kind})`;
}

/** The pod a kube input name belongs to (`pod/container …`), or null for other inputs. */
export function podOfInput(input: string): string | null {
  const m = /^([a-z0-9][a-z0-9.-]*)\/[a-z0-9][a-z0-9-]*(?: \(|$)/.exec(input);
  return m ? m[1]! : null;
}

/** Whether a container has had an earlier instance whose log `kubectl logs --previous` can give. */
export function hasPrevious(c: ContainerFact): boolean {
  return c.restarts > 0 || c.lastTermination !== null;
}

/** Whether a container's status says anything worth classifying (it restarted, waits, or ended). */
export function statusWorthReading(c: ContainerFact): boolean {
  return hasPrevious(c) || c.state === 'waiting' || c.state === 'terminated';
}

const field = (name: string, value: string | number, indent = 0): string => `${' '.repeat(indent)}${`${name}:`.padEnd(16 - indent)}${value}`;

/**
 * A container's status as the lines `kubectl describe pod` prints for it (State, Last State with Reason and
 * Exit Code, Restart Count): the parser's kube layout reads them and the catalog classifies them (OOMKilled,
 * exit codes 137/139/134) like log lines. Empty when the status says nothing (running, never restarted).
 */
export function statusLines(pod: PodFact, c: ContainerFact): string[] {
  const out: string[] = [];
  if (pod.reason) out.push(field('Reason', pod.reason));
  if (!statusWorthReading(c) && out.length === 0) return out;
  const state = c.state === 'unknown' ? 'Unknown' : c.state[0]!.toUpperCase() + c.state.slice(1);
  out.push(field('State', state));
  if (c.reason) out.push(field('Reason', c.reason, 2));
  const t = c.lastTermination;
  if (t) {
    out.push(field('Last State', 'Terminated'));
    if (t.reason) out.push(field('Reason', t.reason, 2));
    if (t.exitCode !== null) out.push(field('Exit Code', t.exitCode, 2));
    if (t.signal !== null) out.push(field('Signal', t.signal, 2));
    if (t.startedAt) out.push(field('Started', t.startedAt, 2));
    if (t.finishedAt) out.push(field('Finished', t.finishedAt, 2));
  }
  out.push(field('Ready', c.ready ? 'True' : 'False'));
  out.push(field('Restart Count', c.restarts));
  return out;
}

/** When a container's status lines belong in the timeline: when its last instance ended, else when it changed. */
export function statusTime(c: ContainerFact): string | null {
  return c.lastTermination?.finishedAt ?? null;
}

/** `--since` as kubectl takes it: a Go duration (`90s`, `1h30m`) or a time (`2026-05-20T08:00:00Z`). */
export function sinceFlag(v: string): string {
  const s = v.trim();
  if (/^(?:\d+(?:\.\d+)?(?:h|m|s|ms))+$/.test(s)) return `--since=${s}`;
  const t = Date.parse(s);
  if (/^\d{4}-\d\d-\d\d/.test(s) && Number.isFinite(t)) return `--since-time=${new Date(t).toISOString()}`;
  throw new KubeError(`--since takes a duration (30m, 2h, 1h30m) or a time (2026-05-20T08:00:00Z), not ${v}`);
}

/** `--until` as epoch milliseconds: a time, or a duration back from now. */
export function untilMs(v: string, now = Date.now()): number {
  const s = v.trim();
  const d = /^(?:\d+(?:\.\d+)?(?:h|m|s|ms))+$/.test(s) ? durationMs(s) : null;
  if (d !== null) return now - d;
  const t = Date.parse(s);
  if (/^\d{4}-\d\d-\d\d/.test(s) && Number.isFinite(t)) return t;
  throw new KubeError(`--until takes a time (2026-05-20T09:00:00Z) or a duration back from now (10m), not ${v}`);
}

function durationMs(s: string): number {
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
    const n = Number(m[1]);
    ms += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
  }
  return ms;
}
