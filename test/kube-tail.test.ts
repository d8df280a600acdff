// `tail --kube --format ndjson` with the real kubectl against the Kubernetes API stand-in, while the test changes
// the cluster: a pod's log grows, a pod is created mid-follow, a stream is cut (reconnected from its last line, no
// line read twice), a container is OOM-killed and restarted (its status becomes an incident, its new instance an
// input of its own), a pod is deleted. Every stream's state arrives as a `status` object; nothing stops silently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';
import { KubeLab, kubectlAvailable } from './helpers/kube.js';
import { LineReader } from './helpers/tmux-proc.js';
import { ensureBuilt } from './helpers/tmux.js';

const HAS_KUBECTL = kubectlAvailable();
if (!HAS_KUBECTL) console.warn('test/kube-tail.test.ts skipped: kubectl is not installed (CI installs Debian kubernetes-client)');

const CRASHED = 'higress-gateway-6f7c9d8b5-x2k4p';
const OOM = 'higress-gateway-6f7c9d8b5-q8wzt';
const NEW = 'higress-gateway-6f7c9d8b5-n3w9p';
const C = 'higress-gateway';
const URL = 'http://higress-plugin-server.higress-system.svc/plugins/plugin.wasm';
const fetch404 = (): string =>
  `${new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')}\terror\twasm\tcannot fetch Wasm module ${URL}: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404`;
const crash = (): string[] => {
  const t = new Date().toISOString().replace('T', ' ').slice(0, 23);
  return [
    `[${t}][14][critical][backtrace] [external/envoy/source/server/backtrace.h:127] Caught Segmentation fault, suspect faulting address 0x0`,
    `[${t}][14][critical][backtrace] [external/envoy/source/server/backtrace.h:111] Backtrace (use tools/stack_decode.py to get line numbers):`,
    `[${t}][14][critical][backtrace] [external/envoy/source/server/backtrace.h:118] #0: __restore_rt [0x7f5a30011064]`,
  ];
};

type Obj = Record<string, unknown> & { type: string };
interface Ev {
  input: string;
  line: number;
  text: string;
}

let lab: KubeLab;

describe.skipIf(!HAS_KUBECTL)('tail --kube --format ndjson', () => {
  beforeAll(async () => {
    ensureBuilt(ROOT);
    lab = await KubeLab.start('incident');
  }, 180_000);
  afterAll(async () => {
    await lab?.close();
  });

  it('follows every pod, picks up a pod created mid-follow, reconnects a cut stream, follows a restarted container', async () => {
    const r = new LineReader(ROOT, ['tail', '--kube', '--format', 'ndjson', '--kube-poll', '200'], { env: lab.env() });
    const all = (): Obj[] => r.json() as Obj[];
    const statuses = (input: string): Obj[] => all().filter((o) => o.type === 'status' && o.input === input);
    const stateOf = (input: string): unknown => statuses(input).at(-1)?.state;
    const incident = (cause: string): (Obj & { count: number; evidence: Ev[] }) | undefined =>
      all().filter((o) => o.type === 'incident' && o.cause === cause).at(-1) as (Obj & { count: number; evidence: Ev[] }) | undefined;
    try {
      await r.waitFor(() => stateOf(`${CRASHED}/${C}`) === 'following' && stateOf(`${OOM}/${C}`) === 'following', 'both gateway pods followed');
      // The OOM kill before we came is in the status: classified like a log line, its pod named.
      await r.waitFor(() => incident('oom') !== undefined, 'the OOMKilled status as an incident');
      expect(incident('oom')!.evidence.map((e) => e.input)).toContain(`${OOM}/${C} (status)`);
      expect(statuses(`${CRASHED}/${C}`)[0]).toMatchObject({ pod: CRASHED, container: C, restarts: 1 });

      // The log grows: the new line is read, tagged with its pod.
      await r.waitFor(() => incident('wasm-fetch-bad-address') !== undefined, 'the backlog fetch failure');
      const before = incident('wasm-fetch-bad-address')!.count;
      const line = fetch404();
      lab.api.append(CRASHED, C, [line]);
      await r.waitFor(() => incident('wasm-fetch-bad-address')!.count === before + 1, 'the appended fetch failure');
      expect(incident('wasm-fetch-bad-address')!.evidence.some((e) => e.input === `${CRASHED}/${C}` && e.text === line)).toBe(true);

      // A pod created mid-follow is followed; its crash is an incident with its name on the evidence.
      lab.api.addPodLike(NEW, CRASHED);
      await r.waitFor(() => stateOf(`${NEW}/${C}`) === 'following' && lab.api.following(NEW) > 0, 'the new pod followed');
      lab.api.append(NEW, C, crash());
      await r.waitFor(() => incident('envoy-crash')?.evidence.some((e) => e.input === `${NEW}/${C}`) === true, 'the new pod crash');

      // A cut stream shows as reconnecting, comes back, and reads on from its last line: nothing twice.
      const countBefore = incident('wasm-fetch-bad-address')!.count;
      lab.api.cut(CRASHED);
      await r.waitFor(() => statuses(`${CRASHED}/${C}`).some((o) => o.state === 'reconnecting'), 'the cut stream reconnecting');
      await r.waitFor(() => stateOf(`${CRASHED}/${C}`) === 'following' && lab.api.following(CRASHED) > 0, 'the cut stream back');
      lab.api.append(CRASHED, C, [fetch404()]);
      await r.waitFor(() => incident('wasm-fetch-bad-address')!.count === countBefore + 1, 'one more fetch failure after the reconnection');

      // OOM-killed and restarted: the status says so (an incident), the new instance is an input of its own.
      const oomBefore = incident('oom')!.count;
      lab.api.restart(OOM, C, 'OOMKilled', 137);
      await r.waitFor(() => incident('oom')!.count === oomBefore + 1, 'the second OOM kill');
      await r.waitFor(() => statuses(`${OOM}/${C} (restart 4)`).some((o) => o.state === 'following'), 'the restarted container followed');
      expect(statuses(`${OOM}/${C} (restart 4)`)[0]!.detail).toMatch(/container restarted \(OOMKilled, exit code 137\)/);
      const restartedLine = fetch404();
      lab.api.append(OOM, C, [restartedLine]);
      await r.waitFor(() => incident('wasm-fetch-bad-address')!.evidence.some((e) => e.input === `${OOM}/${C} (restart 4)`), 'a line of the new instance');

      // A deleted pod's stream ends, and says why.
      lab.api.deletePod(NEW);
      await r.waitFor(() => stateOf(`${NEW}/${C}`) === 'ended', 'the deleted pod stream ended');
      expect(statuses(`${NEW}/${C}`).at(-1)!.detail).toBe('pod deleted');

      r.child.kill('SIGTERM');
      expect(await r.exited).toBe(0);
      const summary = all().at(-1)!;
      expect(summary.type).toBe('summary');
      // Every line the cluster holds was read once: the two logs, the new pod, the statuses, the restarted instance.
      const inputs = summary.inputs as Array<{ name: string; lines: number }>;
      const lines = Object.fromEntries(inputs.map((i) => [i.name, i.lines]));
      expect(lines[`${CRASHED}/${C}`]).toBe((lab.api.container(CRASHED, C).current as unknown[]).length);
      expect(lines[`${OOM}/${C} (restart 4)`]).toBe(1);
      expect(lines[`${NEW}/${C}`]).toBe(3);
      expect(r.errLines.join('\n')).toBe('');
    } finally {
      r.child.kill('SIGKILL');
    }
  }, 60_000);

  it('kubectl missing or RBAC forbidding the pods: exit 2 with one line', async () => {
    const missing = new LineReader(ROOT, ['tail', '--kube', '--format', 'ndjson', '--kubectl', `${lab.dir}/no-kubectl`], { env: lab.env() });
    expect(await missing.exited).toBe(2);
    expect(missing.errLines.filter(Boolean)).toHaveLength(1);
    expect(missing.errLines[0]).toMatch(/^higress-doctor: kubectl not found at /);
    lab.api.forbid.add('pods');
    try {
      const forbidden = new LineReader(ROOT, ['tail', '--kube', '--format', 'text'], { env: lab.env() });
      expect(await forbidden.exited).toBe(2);
      const err = forbidden.errLines.filter((l) => !/^higress-doctor tail: /.test(l) && l);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/forbidden by RBAC/);
    } finally {
      lab.api.forbid.clear();
    }
  }, 30_000);
});
