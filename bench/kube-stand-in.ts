// A stand-in for a Kubernetes API server, on 127.0.0.1, for the real `kubectl`: the few REST paths `kubectl get
// pods`, `kubectl logs` and `kubectl get wasmplugins…` call (discovery, pods by label selector, one pod, its
// current and previous logs with timestamps/follow/sinceSeconds/sinceTime/tailLines, WasmPlugin lists), served
// from a recorded fixture folder or generated logs. The tests (test/kube.test.ts) and the fleet benchmark
// (bench/kube.ts) start it in-process; by hand:
//
//   node dist/bench/kube-stand-in.js --fixture test/fixtures/kube/incident --kubeconfig /tmp/kc
//   KUBECONFIG=/tmp/kc higress-doctor analyze --kube
//
// then type commands on its stdin: `append POD CONTAINER TEXT`, `restart POD CONTAINER REASON CODE`,
// `add POD [LIKE-POD]`, `delete POD`, `cut POD` (end its log streams), `forbid RESOURCE`, `quit`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

export interface LogLine {
  /** RFC 3339 time with nanoseconds, as the kubelet stamps it. */
  readonly ts: string;
  readonly text: string;
}

/** Lines made on request (the benchmark's fleet): line i is stamped startMs + i × stepMs. */
export interface GeneratedLog {
  readonly lines: number;
  readonly startMs: number;
  readonly stepMs: number;
  readonly line: (i: number) => string;
}

export interface Container {
  name: string;
  restartCount: number;
  ready: boolean;
  /** Pod status `state` as the API has it (`{ running: { startedAt } }`, `{ waiting: { reason } }`, …). */
  state: Record<string, unknown>;
  lastState: Record<string, unknown>;
  current: LogLine[] | GeneratedLog;
  previous: LogLine[] | GeneratedLog | null;
  instance: number;
}

export interface Pod {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  node: string;
  phase: string;
  reason?: string;
  uid: string;
  created: string;
  containers: Container[];
}

export interface WasmPlugin {
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
}

/** A fixture folder: `cluster.json` (pods, wasmplugins) and `logs/<pod>.<container>[.previous].log`. */
interface FixtureFile {
  pods: Array<{
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    node?: string;
    phase?: string;
    reason?: string;
    containers: Array<{ name: string; restartCount?: number; ready?: boolean; state?: Record<string, unknown>; lastState?: Record<string, unknown> }>;
  }>;
  wasmplugins?: WasmPlugin[];
}

/** A line of a fixture log: the kubelet's timestamp, one space, the line. */
export function parseLogLine(raw: string): LogLine {
  const sp = raw.indexOf(' ');
  if (sp < 20 || !/^\d{4}-\d\d-\d\dT/.test(raw)) throw new Error(`fixture log line without a timestamp: ${raw.slice(0, 80)}`);
  return { ts: raw.slice(0, sp), text: raw.slice(sp + 1) };
}

export function readLog(path: string): LogLine[] {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1).map(parseLogLine);
}

let stampSeq = 0;
/** A kubelet-style timestamp for `ms`, nanoseconds made distinct so that lines of one instant keep their order. */
export function stamp(ms: number): string {
  stampSeq = (stampSeq + 1) % 1_000_000;
  return new Date(ms).toISOString().replace('Z', `${String(stampSeq).padStart(6, '0')}Z`);
}

const nsOf = (ts: string): bigint => {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return 0n;
  const base = BigInt(Date.parse(`${m[1]}${m[3]}`)) * 1_000_000n;
  return base + BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9) || '0');
};

const status = (code: number, reason: string, message: string, details?: Record<string, string>): Record<string, unknown> => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});

/** Does a pod's label set match a selector (`a=b,c!=d,e`, `a in (x,y)`)? */
export function matchesSelector(labels: Record<string, string>, selector: string): boolean {
  if (!selector) return true;
  const parts = selector.match(/(?:[^,(]|\([^)]*\))+/g) ?? [];
  return parts.every((raw) => {
    const p = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s*(==?|!=)\s*([\w./-]*)$/.exec(p))) return m[2] === '!=' ? labels[m[1]!] !== m[3] : labels[m[1]!] === m[3];
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      const set = m[3]!.split(',').map((x) => x.trim());
      return m[2] === 'in' ? set.includes(labels[m[1]!] ?? '\0') : !set.includes(labels[m[1]!] ?? '\0');
    }
    if ((m = /^!([\w./-]+)$/.exec(p))) return !(m[1]! in labels);
    return p in labels;
  });
}

export interface StandInOptions {
  readonly fixture?: string;
}

export class KubeStandIn {
  readonly pods = new Map<string, Pod>();
  readonly wasmplugins: WasmPlugin[] = [];
  /** Resources answered with 403 (`pods`, `pods/log`, `wasmplugins`, `wasmplugins/all`: the -A list only). */
  readonly forbid = new Set<string>();
  /** Paths asked, in order (with their queries). */
  readonly requests: string[] = [];
  url = '';
  /** Answer everything with 401 (credentials the server does not accept). */
  unauthorized = false;
  /** Pods deleted when their log is asked for (deleted between listing and reading). */
  readonly deleteOnLog = new Set<string>();
  /** `pod/container` → lines after which a (non-follow) log answer breaks off: a connection that dies. */
  readonly breakAfter = new Map<string, number>();
  private readonly server: Server;
  /** Open follow responses: pod → container → responses. */
  private readonly followers = new Map<string, Set<{ container: string; res: ServerResponse; timestamps: boolean }>>();
  private uidSeq = 0;

  private constructor(opts: StandInOptions) {
    this.server = createServer((req, res) => this.handle(req, res));
    if (opts.fixture) this.load(opts.fixture);
  }

  static async start(opts: StandInOptions = {}, port = 0): Promise<KubeStandIn> {
    const s = new KubeStandIn(opts);
    await new Promise<void>((res, rej) => {
      s.server.once('error', rej);
      s.server.listen(port, '127.0.0.1', () => res());
    });
    const addr = s.server.address();
    s.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : port}`;
    return s;
  }

  /**
   * A kubeconfig for kubectl: context `stand-in` (current) and `unreachable` (a closed port), namespace
   * higress-system. Plain HTTP: kubectl sends no token over it, so there is no user to speak of.
   */
  kubeconfig(path: string): string {
    const yaml = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: stand-in',
      `  cluster: { server: "${this.url}" }`,
      '- name: unreachable',
      '  cluster: { server: "http://127.0.0.1:9" }',
      'users:',
      '- name: reader',
      '  user: {}',
      'contexts:',
      '- name: stand-in',
      '  context: { cluster: stand-in, user: reader, namespace: higress-system }',
      '- name: unreachable',
      '  context: { cluster: unreachable, user: reader, namespace: higress-system }',
      'current-context: stand-in',
      '',
    ].join('\n');
    writeFileSync(path, yaml);
    return path;
  }

  async close(): Promise<void> {
    for (const set of this.followers.values()) for (const f of set) f.res.end();
    this.followers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((res) => this.server.close(() => res()));
  }

  // ---- the cluster, changed by tests ---------------------------------------------------------------------------

  load(dir: string): void {
    const f = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as FixtureFile;
    for (const p of f.pods) {
      const log = (c: string, previous: boolean): LogLine[] | null => {
        const path = join(dir, 'logs', `${p.name}.${c}${previous ? '.previous' : ''}.log`);
        return existsSync(path) ? readLog(path) : null;
      };
      this.addPod({
        name: p.name,
        namespace: p.namespace ?? 'higress-system',
        labels: p.labels,
        node: p.node ?? 'node-1',
        phase: p.phase ?? 'Running',
        ...(p.reason ? { reason: p.reason } : {}),
        containers: p.containers.map((c) => ({
          name: c.name,
          restartCount: c.restartCount ?? 0,
          ready: c.ready ?? true,
          state: c.state ?? { running: { startedAt: '2026-05-20T08:00:00Z' } },
          lastState: c.lastState ?? {},
          current: log(c.name, false) ?? [],
          previous: log(c.name, true),
          instance: c.restartCount ?? 0,
        })),
      });
    }
    this.wasmplugins.push(...(f.wasmplugins ?? []));
  }

  addPod(p: Omit<Pod, 'uid' | 'created'> & Partial<Pick<Pod, 'uid' | 'created'>>): Pod {
    const pod: Pod = { uid: `00000000-0000-4000-8000-${String(++this.uidSeq).padStart(12, '0')}`, created: new Date().toISOString().replace(/\.\d+/, ''), ...p };
    this.pods.set(pod.name, pod);
    return pod;
  }

  /** A new pod shaped like `like` (labels, containers), running, with empty logs. */
  addPodLike(name: string, like: string): Pod {
    const src = this.pod(like);
    return this.addPod({
      name,
      namespace: src.namespace,
      labels: { ...src.labels },
      node: src.node,
      phase: 'Running',
      containers: src.containers.map((c) => ({
        name: c.name,
        restartCount: 0,
        ready: true,
        state: { running: { startedAt: new Date().toISOString().replace(/\.\d+/, '') } },
        lastState: {},
        current: [],
        previous: null,
        instance: 0,
      })),
    });
  }

  pod(name: string): Pod {
    const p = this.pods.get(name);
    if (!p) throw new Error(`no pod ${name} in the stand-in`);
    return p;
  }

  container(pod: string, name: string): Container {
    const c = this.pod(pod).containers.find((x) => x.name === name);
    if (!c) throw new Error(`no container ${name} in pod ${pod}`);
    return c;
  }

  /** Lines written by a container now (or at `ms`): stamped, stored, sent to whoever follows it. */
  append(pod: string, container: string, lines: readonly string[], ms = Date.now()): void {
    const c = this.container(pod, container);
    if (!Array.isArray(c.current)) throw new Error('cannot append to a generated log');
    const stamped = lines.map((text) => ({ ts: stamp(ms), text }));
    c.current.push(...stamped);
    for (const f of this.followers.get(pod) ?? []) {
      if (f.container === container) f.res.write(stamped.map((l) => `${f.timestamps ? `${l.ts} ` : ''}${l.text}\n`).join(''));
    }
  }

  /** The container's process ended and the kubelet started it again: its log becomes the previous one. */
  restart(pod: string, container: string, reason: string, exitCode: number): void {
    const c = this.container(pod, container);
    const now = new Date().toISOString().replace(/\.\d+/, '');
    const started = (c.state.running as { startedAt?: string } | undefined)?.startedAt ?? now;
    c.lastState = { terminated: { exitCode, reason, startedAt: started, finishedAt: now, containerID: `containerd://${pod}-${container}-${c.instance}` } };
    c.previous = c.current;
    c.current = [];
    c.restartCount++;
    c.instance++;
    c.state = { running: { startedAt: now } };
    this.cut(pod, container);
  }

  /** The pod is gone: its streams end, it is no longer listed. */
  deletePod(name: string): void {
    this.cut(name);
    this.pods.delete(name);
  }

  /** Ends the open log streams of a pod (or one container): what a dropped connection looks like to kubectl. */
  cut(pod: string, container?: string): void {
    const set = this.followers.get(pod);
    if (!set) return;
    for (const f of [...set]) {
      if (container && f.container !== container) continue;
      f.res.end();
      set.delete(f);
    }
  }

  /** How many log streams are open (for waiting until a follower has connected). */
  following(pod: string, container?: string): number {
    return [...(this.followers.get(pod) ?? [])].filter((f) => !container || f.container === container).length;
  }

  // ---- HTTP -----------------------------------------------------------------------------------------------------

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://stand-in');
    this.requests.push(`${req.method} ${u.pathname}${u.search}`);
    const json = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (this.unauthorized) return json(401, status(401, 'Unauthorized', 'Unauthorized'));
    const p = u.pathname.replace(/\/+$/, '');
    const q = u.searchParams;
    if (p === '/version') return json(200, { major: '1', minor: '32', gitVersion: 'v1.32.0-stand-in', platform: 'linux/amd64' });
    if (p === '/api') return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.url.replace('http://', '') }] });
    if (p === '/apis') {
      const gv = { groupVersion: 'extensions.higress.io/v1alpha1', version: 'v1alpha1' };
      return json(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'extensions.higress.io', versions: [gv], preferredVersion: gv }] });
    }
    if (p === '/api/v1') {
      return json(200, {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [
          { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'watch'], shortNames: ['po'], categories: ['all'] },
          { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
        ],
      });
    }
    if (p === '/apis/extensions.higress.io/v1alpha1') {
      return json(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'extensions.higress.io/v1alpha1',
        resources: [{ name: 'wasmplugins', singularName: 'wasmplugin', namespaced: true, kind: 'WasmPlugin', verbs: ['get', 'list', 'watch'] }],
      });
    }
    let m: RegExpExecArray | null;
    if ((m = /^\/apis\/extensions\.higress\.io\/v1alpha1(?:\/namespaces\/([^/]+))?\/wasmplugins$/.exec(p))) {
      const ns = m[1];
      if (this.forbid.has('wasmplugins') || (!ns && this.forbid.has('wasmplugins/all'))) {
        return json(403, status(403, 'Forbidden', `wasmplugins.extensions.higress.io is forbidden: User "system:serviceaccount:default:reader" cannot list resource "wasmplugins" in API group "extensions.higress.io"${ns ? ` in the namespace "${ns}"` : ' at the cluster scope'}`));
      }
      const items = this.wasmplugins
        .filter((w) => !ns || w.namespace === ns)
        .map((w) => ({ apiVersion: 'extensions.higress.io/v1alpha1', kind: 'WasmPlugin', metadata: { name: w.name, namespace: w.namespace }, spec: w.spec }));
      return json(200, { apiVersion: 'extensions.higress.io/v1alpha1', kind: 'WasmPluginList', metadata: { resourceVersion: '1' }, items });
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(p))) {
      // kubectl asks for the namespace after a 404, to tell a missing pod from a missing namespace.
      const ns = decodeURIComponent(m[1]!);
      if (![...this.pods.values()].some((x) => x.namespace === ns) && ns !== 'higress-system') {
        return json(404, status(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' }));
      }
      return json(200, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, status: { phase: 'Active' } });
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(p))) {
      if (this.forbid.has('pods')) {
        return json(403, status(403, 'Forbidden', `pods is forbidden: User "system:serviceaccount:default:reader" cannot list resource "pods" in API group "" in the namespace "${m[1]}"`));
      }
      const sel = q.get('labelSelector') ?? '';
      const items = [...this.pods.values()].filter((x) => x.namespace === m![1] && matchesSelector(x.labels, sel)).map((x) => this.podJson(x));
      return json(200, { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items });
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)(\/log)?$/.exec(p))) {
      const name = decodeURIComponent(m[2]!);
      if (this.deleteOnLog.delete(name)) this.deletePod(name);
      const pod = this.pods.get(name);
      if (!pod || pod.namespace !== m[1]) return json(404, status(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
      if (!m[3]) {
        if (this.forbid.has('pods')) return json(403, status(403, 'Forbidden', `pods "${pod.name}" is forbidden: User "system:serviceaccount:default:reader" cannot get resource "pods" in API group "" in the namespace "${m[1]}"`));
        return json(200, this.podJson(pod));
      }
      if (this.forbid.has('pods/log')) {
        return json(403, status(403, 'Forbidden', `pods "${pod.name}" is forbidden: User "system:serviceaccount:default:reader" cannot get resource "pods/log" in API group "" in the namespace "${m[1]}"`));
      }
      return this.serveLog(pod, q, res, json);
    }
    return json(404, status(404, 'NotFound', 'the server could not find the requested resource'));
  }

  private serveLog(pod: Pod, q: URLSearchParams, res: ServerResponse, json: (code: number, body: unknown) => void): void {
    let name = q.get('container');
    if (!name) {
      if (pod.containers.length !== 1) {
        return json(400, status(400, 'BadRequest', `a container name must be specified for pod ${pod.name}, choose one of: [${pod.containers.map((c) => c.name).join(' ')}]`));
      }
      name = pod.containers[0]!.name;
    }
    const c = pod.containers.find((x) => x.name === name);
    if (!c) return json(400, status(400, 'BadRequest', `container ${name} is not valid for pod ${pod.name}`));
    const previous = q.get('previous') === 'true';
    const source = previous ? c.previous : c.current;
    if (!source) return json(400, status(400, 'BadRequest', `previous terminated container "${name}" in pod "${pod.name}" not found`));
    const timestamps = q.get('timestamps') === 'true';
    const follow = q.get('follow') === 'true' && !previous;
    let since: bigint | null = null;
    if (q.get('sinceSeconds')) since = BigInt(Date.now() - Number(q.get('sinceSeconds')) * 1000) * 1_000_000n;
    if (q.get('sinceTime')) since = nsOf(q.get('sinceTime')!);
    const tail = q.get('tailLines') !== null ? Number(q.get('tailLines')) : -1;
    let limit = q.get('limitBytes') !== null ? Number(q.get('limitBytes')) : Infinity;
    res.writeHead(200, { 'content-type': 'text/plain' });
    const render = (l: LogLine): string => `${timestamps ? `${l.ts} ` : ''}${l.text}\n`;
    const write = (s: string): boolean => {
      if (limit <= 0) return true;
      const out = Buffer.byteLength(s) > limit ? Buffer.from(s).subarray(0, limit).toString() : s;
      limit -= Buffer.byteLength(out);
      return res.write(out);
    };
    if (Array.isArray(source)) {
      let lines = since === null ? source : source.filter((l) => nsOf(l.ts) >= since!);
      if (tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
      const cutAt = this.breakAfter.get(`${pod.name}/${name}`);
      if (cutAt !== undefined) {
        // Half a line too: the connection dies mid-write.
        res.write(`${lines.slice(0, cutAt).map(render).join('')}${render(lines[cutAt] ?? { ts: '', text: 'x' }).slice(0, 20)}`, () => res.socket?.destroy());
        return;
      }
      write(lines.map(render).join(''));
    } else {
      // Generated: written in pieces, with backpressure, so a 10 MiB log never sits in memory whole.
      const g = source;
      let first = 0;
      if (since !== null) first = Math.max(0, Math.ceil((Number(since / 1_000_000n) - g.startMs) / g.stepMs));
      if (tail >= 0) first = Math.max(first, g.lines - tail);
      let i = first;
      const pump = (): void => {
        while (i < g.lines) {
          let piece = '';
          for (let k = 0; k < 256 && i < g.lines; k++, i++) piece += render({ ts: new Date(g.startMs + i * g.stepMs).toISOString().replace('Z', '000000Z'), text: g.line(i) });
          if (!write(piece)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
      return;
    }
    if (!follow) {
      res.end();
      return;
    }
    const set = this.followers.get(pod.name) ?? new Set();
    this.followers.set(pod.name, set);
    const f = { container: name, res, timestamps };
    set.add(f);
    res.on('close', () => set.delete(f));
  }

  private podJson(p: Pod): Record<string, unknown> {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, namespace: p.namespace, uid: p.uid, labels: p.labels, creationTimestamp: p.created },
      spec: { nodeName: p.node, containers: p.containers.map((c) => ({ name: c.name, image: `higress-registry.example/higress/${c.name}:2.1.9` })) },
      status: {
        phase: p.phase,
        ...(p.reason ? { reason: p.reason } : {}),
        podIP: '10.244.1.31',
        containerStatuses: p.containers.map((c) => ({
          name: c.name,
          ready: c.ready,
          restartCount: c.restartCount,
          image: `higress-registry.example/higress/${c.name}:2.1.9`,
          imageID: '',
          containerID: `containerd://${p.name}-${c.name}-${c.instance}`,
          started: Boolean(c.state.running),
          state: c.state,
          lastState: c.lastState,
        })),
      },
    };
  }
}

// ---- by hand --------------------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const s = await KubeStandIn.start({ fixture: arg('--fixture') }, Number(arg('--port') ?? 0));
  const kc = s.kubeconfig(arg('--kubeconfig') ?? join(process.cwd(), 'stand-in.kubeconfig'));
  process.stdout.write(`Kubernetes API stand-in at ${s.url}\nexport KUBECONFIG=${kc}\npods: ${[...s.pods.keys()].join(', ') || 'none'}\n`);
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    const [cmd, ...a] = line.trim().split(/\s+/);
    try {
      // `\t` in the text stands for a TAB (Go log lines have them).
      if (cmd === 'append') s.append(a[0]!, a[1]!, [line.trim().replace(/^\S+\s+\S+\s+\S+\s?/, '').replace(/\\t/g, '\t')]);
      else if (cmd === 'restart') s.restart(a[0]!, a[1]!, a[2] ?? 'Error', Number(a[3] ?? 1));
      else if (cmd === 'add') s.addPodLike(a[0]!, a[1] ?? [...s.pods.keys()][0]!);
      else if (cmd === 'delete') s.deletePod(a[0]!);
      else if (cmd === 'cut') s.cut(a[0]!);
      else if (cmd === 'forbid') s.forbid.add(a[0]!);
      else if (cmd === 'unauthorized') s.unauthorized = !s.unauthorized;
      else if (cmd === 'quit') break;
      else if (cmd) process.stdout.write('commands: append POD CONTAINER TEXT | restart POD CONTAINER REASON CODE | add POD [LIKE] | delete POD | cut POD | forbid RESOURCE | quit\n');
      if (cmd && cmd !== 'quit') process.stdout.write(`ok: ${line.trim()}\n`);
    } catch (e) {
      process.stdout.write(`error: ${(e as Error).message}\n`);
    }
  }
  await s.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  });
}
