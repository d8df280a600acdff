// `analyze --kube` as an operator meets it: the real kubectl against a Kubernetes API stand-in on 127.0.0.1
// (bench/kube-stand-in.ts) serving the fixture test/fixtures/kube/incident — a gateway pod whose previous container
// segfaulted, one whose last instance was OOMKilled (only its status says so), the controller's NACK, and three
// WasmPlugins sharing one URL. Every bad condition is one line on stderr; partial results are kept.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';
import { KubeLab, kubectlAvailable } from './helpers/kube.js';
import { ensureBuilt } from './helpers/tmux.js';

const HAS_KUBECTL = kubectlAvailable();
if (!HAS_KUBECTL) console.warn('test/kube.test.ts skipped: kubectl is not installed (CI installs Debian kubernetes-client)');

const CRASHED = 'higress-gateway-6f7c9d8b5-x2k4p';
const OOM = 'higress-gateway-6f7c9d8b5-q8wzt';
const CONTROLLER = 'higress-controller-5d8f7c6b9-m4n7k';
const FIXTURE = join(ROOT, 'test/fixtures/kube/incident');
const fixtureLines = (file: string): number => readFileSync(join(FIXTURE, 'logs', file), 'utf8').split('\n').filter(Boolean).length;

interface Evidence {
  input: string;
  line: number;
  text: string;
}
interface Incident {
  cause: string;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  evidence: Evidence[];
  notes: string[];
}
interface Report {
  inputs: Array<{ name: string; lines: number; error?: string }>;
  incidents: Incident[];
  environment: { kube?: { pods: Array<{ name: string }>; wasmPlugins: Array<{ name: string; url: string; phase: string }> | null; sharedPluginUrls: Array<{ url: string; plugins: string[] }>; problems: string[] } };
}

const oneLine = (stderr: string): void => {
  expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
  expect(stderr).toMatch(/^higress-doctor: /);
  expect(stderr).not.toMatch(/\n\s+at |Error: |memcache\.go/);
};

let lab: KubeLab;

describe.skipIf(!HAS_KUBECTL)('analyze --kube against the stand-in', () => {
  beforeAll(async () => {
    ensureBuilt(ROOT);
    lab = await KubeLab.start('incident');
  }, 180_000);
  afterAll(async () => {
    await lab?.close();
  });
  beforeEach(() => {
    lab.api.forbid.clear();
    lab.api.unauthorized = false;
    lab.api.requests.length = 0;
  });

  it("finds the crash in one pod's previous container and the OOM kill in another pod's status, each pod named", async () => {
    const r = await lab.run(['analyze', '--kube', '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    const d = JSON.parse(r.stdout) as Report;
    const crash = d.incidents.find((i) => i.cause === 'envoy-crash')!;
    expect(crash.evidence.map((e) => e.input)).toContain(`${CRASHED}/higress-gateway (previous)`);
    expect(crash.evidence.some((e) => /Caught Segmentation fault/.test(e.text))).toBe(true);
    const oom = d.incidents.find((i) => i.cause === 'oom')!;
    expect(oom.evidence).toContainEqual({ input: `${OOM}/higress-gateway (status)`, line: 3, text: '  Reason:       OOMKilled' });
    expect(d.incidents[0]!.cause).toBe('oom');
    // Every line of every log: a selector alone would have asked kubectl for 10 per pod.
    const lines = Object.fromEntries(d.inputs.map((i) => [i.name, i.lines]));
    expect(lines[`${CRASHED}/higress-gateway (previous)`]).toBe(fixtureLines(`${CRASHED}.higress-gateway.previous.log`));
    expect(lines[`${OOM}/higress-gateway`]).toBe(fixtureLines(`${OOM}.higress-gateway.log`));
    // The console pod has another label; the controller is not asked for.
    expect(d.inputs.map((i) => i.name).filter((n) => !n.startsWith('higress-gateway-'))).toEqual([]);
    expect(lab.api.requests.filter((q) => q.includes('/log?')).every((q) => /timestamps=true/.test(q) && !/tailLines=10\b/.test(q))).toBe(true);
  });

  it('turns the WasmPlugin resources into environment facts that confirm the shared URL', async () => {
    const d = JSON.parse((await lab.run(['analyze', '--kube', '--format', 'json'])).stdout) as Report;
    const k = d.environment.kube!;
    expect(k.pods.map((p) => p.name)).toEqual([CRASHED, OOM]);
    expect(k.wasmPlugins!.map((p) => [p.name, p.phase])).toEqual([
      ['basic-auth-1.0.0', 'AUTHN'],
      ['jwt-auth-1.0.0', 'AUTHN'],
      ['key-auth-1.0.0', 'AUTHN'],
    ]);
    expect(k.sharedPluginUrls).toEqual([{ url: 'http://higress-plugin-server.higress-system.svc/plugins/plugin.wasm', plugins: ['basic-auth-1.0.0', 'jwt-auth-1.0.0', 'key-auth-1.0.0'] }]);
    const fetch = d.incidents.find((i) => i.cause === 'wasm-fetch-bad-address')!;
    expect(fetch.notes.join('\n')).toMatch(/Confirmed by the WasmPlugin resources: 3 plugins/);
  });

  it('--with-controller merges the controller into one timeline: its NACK joins the gateway fetch failure', async () => {
    const r = await lab.run(['analyze', '--kube', '--with-controller', '--format', 'json']);
    const d = JSON.parse(r.stdout) as Report;
    const fetch = d.incidents.filter((i) => i.cause === 'wasm-fetch-bad-address');
    expect(fetch).toHaveLength(1);
    const inputs = fetch[0]!.evidence.map((e) => e.input);
    expect(inputs).toContain(`${CONTROLLER}/discovery`);
    // In time order across pods: the 08:15:42 failure of one pod comes first, the 08:21:10 one of the other last.
    expect(fetch[0]!.firstSeen).toBe('2026-05-20T08:15:42.517Z');
    expect(fetch[0]!.lastSeen).toBe('2026-05-20T08:21:10.220Z');
    expect(inputs.indexOf(`${OOM}/higress-gateway (previous)`)).toBeLessThan(inputs.indexOf(`${CRASHED}/higress-gateway (previous)`));
    // An empty container log is an input with no lines, not a warning.
    expect(d.inputs).toContainEqual({ name: `${CONTROLLER}/higress-core`, lines: 0, bytes: 0 });
    expect(r.stderr).toBe('');
  });

  it('the text report names the cluster, the restarts and the shared plugin URL', async () => {
    const r = await lab.run(['analyze', '--kube']);
    expect(r.stdout).toMatch(/cluster: namespace higress-system · 2 pods \(app=higress-gateway\)/);
    // The text report wraps at its width: a wrapped line goes on after two spaces.
    expect(r.stdout.replace(/\n {2}/g, ' ')).toContain(`${OOM}/higress-gateway 3 restarts (last: OOMKilled, exit 137)`);
    expect(r.stdout).toMatch(/WasmPlugin resources: 3 · 3 share spec\.url http:\/\/higress-plugin-server/);
    expect(r.stdout).toContain(`${OOM}/higress-gateway (status):3`);
  });

  it('--since and --until bound the timeline (kubectl sinceTime; lines after --until are dropped)', async () => {
    const since = JSON.parse((await lab.run(['analyze', '--kube', '--format', 'json', '--since', '2026-05-20T08:20:00Z'])).stdout) as Report;
    expect(lab.api.requests.some((q) => q.includes('sinceTime=2026-05-20T08%3A20%3A00Z'))).toBe(true);
    expect(since.incidents.find((i) => i.cause === 'wasm-fetch-bad-address')!.firstSeen).toBe('2026-05-20T08:20:05.101Z');
    const until = JSON.parse((await lab.run(['analyze', '--kube', '--format', 'json', '--until', '2026-05-20T08:20:00Z'])).stdout) as Report;
    expect(until.incidents.map((i) => i.cause)).not.toContain('envoy-crash');
    // The statuses are facts of now, whatever the window: the OOM kill is still there.
    expect(until.incidents.map((i) => i.cause)).toContain('oom');
    const bad = await lab.run(['analyze', '--kube', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    oneLine(bad.stderr);
  });

  describe('bad conditions: one line each', () => {
    it('kubectl missing', async () => {
      const r = await lab.run(['analyze', '--kube', '--kubectl', join(lab.dir, 'no-kubectl')]);
      expect(r.code).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/kubectl not found at .*no-kubectl.*apt-get install kubernetes-client/);
      const onPath = await lab.run(['analyze', '--kube'], { PATH: join(lab.dir, 'empty-path') });
      expect(onPath.code).toBe(2);
      expect(onPath.stderr).toMatch(/kubectl is not on PATH/);
    });

    it('no kubeconfig, an unknown context, an unreachable API server, refused credentials', async () => {
      const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
        [[], { KUBECONFIG: join(lab.dir, 'missing-kubeconfig') }, /no kubeconfig|no cluster to talk to/],
        [['--context', 'nope'], {}, /context "nope" does not exist.*kubectl config get-contexts/],
        [['--context', 'unreachable'], {}, /cannot reach the Kubernetes API server of context "unreachable"/],
      ];
      for (const [args, env, re] of cases) {
        const r = await lab.run(['analyze', '--kube', ...args], env);
        expect(r.code, args.join(' ')).toBe(2);
        oneLine(r.stderr);
        expect(r.stderr).toMatch(re);
      }
      lab.api.unauthorized = true;
      const r = await lab.run(['analyze', '--kube']);
      expect(r.code).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/did not accept your credentials/);
    });

    it('RBAC forbids listing pods', async () => {
      lab.api.forbid.add('pods');
      const r = await lab.run(['analyze', '--kube']);
      expect(r.code).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/listing pods \(app=higress-gateway\) in namespace higress-system: forbidden by RBAC for the current context: pods is forbidden: User/);
    });

    it('RBAC forbids WasmPlugins: cluster-wide falls back to the namespace; none at all is one line, the rest is diagnosed', async () => {
      lab.api.forbid.add('wasmplugins/all');
      const ns = JSON.parse((await lab.run(['analyze', '--kube', '--format', 'json'])).stdout) as Report;
      expect(ns.environment.kube!.wasmPlugins).toHaveLength(3);
      lab.api.forbid.add('wasmplugins');
      const r = await lab.run(['analyze', '--kube', '--format', 'json']);
      expect(r.code).toBe(1);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/reading the WasmPlugin resources: forbidden by RBAC/);
      const d = JSON.parse(r.stdout) as Report;
      expect(d.environment.kube!.wasmPlugins).toBeNull();
      expect(d.environment.kube!.problems).toHaveLength(1);
      expect(d.incidents.map((i) => i.cause)).toEqual(expect.arrayContaining(['oom', 'envoy-crash', 'wasm-fetch-bad-address']));
    });

    it('no pod matches the selector', async () => {
      const r = await lab.run(['analyze', '--kube', '--selector', 'app=nothing-here']);
      expect(r.code).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/no pod in namespace higress-system matches app=nothing-here/);
    });

    it('a pod deleted between listing and reading, and a log stream that dies: one line each, the rest kept', async () => {
      lab.api.deleteOnLog.add(CRASHED);
      lab.api.breakAfter.set(`${OOM}/higress-gateway`, 5);
      try {
        const r = await lab.run(['analyze', '--kube', '--format', 'json']);
        expect(r.code).toBe(1);
        const err = r.stderr.trim().split('\n');
        expect(err.filter((l) => l.includes(`${CRASHED}/higress-gateway`)).length).toBeGreaterThanOrEqual(1);
        expect(err.every((l) => /^higress-doctor: /.test(l) && !/\bat \//.test(l))).toBe(true);
        expect(r.stderr).toMatch(/the pod was deleted before its log was read/);
        const d = JSON.parse(r.stdout) as Report;
        const cut = d.inputs.find((i) => i.name === `${OOM}/higress-gateway`)!;
        expect(cut.error).toBeDefined();
        expect(cut.lines).toBeGreaterThanOrEqual(5);
        expect(cut.lines).toBeLessThan(fixtureLines(`${OOM}.higress-gateway.log`));
        // The other pod's status and logs still say what happened to it.
        expect(d.incidents.map((i) => i.cause)).toContain('oom');
      } finally {
        // Put the deleted pod back for the tests after this one.
        lab.api.deleteOnLog.clear();
        lab.api.breakAfter.clear();
        lab.api.pods.clear();
        lab.api.wasmplugins.length = 0;
        lab.api.load(FIXTURE);
      }
    });

    it('a container with no previous instance is read without a warning', async () => {
      // The status says it restarted, but the runtime kept no earlier log (it was garbage-collected).
      const c = lab.api.container(OOM, 'higress-gateway');
      const previous = c.previous;
      c.previous = null;
      try {
        const r = await lab.run(['analyze', '--kube', '--format', 'json']);
        expect(r.stderr).toBe('');
        const d = JSON.parse(r.stdout) as Report;
        expect(d.inputs.map((i) => i.name)).not.toContain(`${OOM}/higress-gateway (previous)`);
        expect(d.incidents.map((i) => i.cause)).toContain('oom');
      } finally {
        c.previous = previous;
      }
    });
  });
});
