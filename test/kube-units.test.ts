// The parts of the cluster source that need no cluster: kubectl timestamps, the time-ordered merge into timed
// pipeline lanes, the line splitter of followed streams (reconnections read nothing twice), pod and WasmPlugin
// answers, container statuses as kubectl-describe lines, --since/--until, kubectl's error lines.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunCatalog } from '../src/catalog/compiled.js';
import { Pipeline } from '../src/pipeline.js';
import { mergeByTime, stampOf } from '../src/sources/kube-logs.js';
import { LineSplitter, stampKey } from '../src/sources/kube-follow.js';
import { podOfInput, podsFromList, sharedPluginUrls, sinceFlag, statusLines, untilMs, wasmPluginsFromList } from '../src/sources/kube.js';
import { kubectlFailure } from '../src/sources/kubectl.js';
import { matchesSelector } from '../bench/kube-stand-in.js';

const dir = mkdtempSync(join(tmpdir(), 'hd-kube-units-'));
const T = { kubectl: 'kubectl', namespace: 'higress-system' };

describe('kubectl timestamps', () => {
  it('reads RFC 3339 UTC stamps with any fraction, and nothing else', () => {
    const at = (s: string) => stampOf(Buffer.from(s), 0, s.length);
    expect(at('2026-05-20T08:15:42.517302123Z x')).toEqual({ ms: Date.UTC(2026, 4, 20, 8, 15, 42) + 517.302123, body: 31 });
    expect(at('2026-05-20T08:15:42Z x')!.ms).toBe(Date.UTC(2026, 4, 20, 8, 15, 42));
    expect(at('2026-05-20T08:15:42.5Z x')!.ms).toBe(Date.UTC(2026, 4, 20, 8, 15, 42) + 500);
    expect(at('2026-05-20T08:15:42.517302Z\tinfo\tx')).toBeNull();
    expect(at('[2026-05-20 08:15:42.517][14][info]')).toBeNull();
    expect(stampKey('2026-05-20T08:15:42.5173Z')).toBe('2026-05-20T08:15:42.517300000');
    expect(stampKey('2026-05-20T08:15:42Z')).toBe('2026-05-20T08:15:42.000000000');
  });
});

describe('the merge into timed lanes', () => {
  it('gives one timeline across logs, each with its own line numbers and records, events in time order', async () => {
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    // A multi-line record in a, interleaved in time with b's lines; b's error comes between a's two errors.
    writeFileSync(
      a,
      [
        '2026-05-20T08:00:00.100000000Z 2026-05-20T08:00:00.100000Z\terror\twasm\tconvert the wasm config: 2 errors occurred:',
        '2026-05-20T08:00:00.100000100Z \t* cannot fetch Wasm module http://h/plugins/a/1.0.0/plugin.wasm: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404',
        '2026-05-20T08:00:00.100000200Z \t* cannot fetch Wasm module http://h/plugins/b/1.0.0/plugin.wasm: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404',
        '2026-05-20T08:00:09.000000000Z 2026-05-20T08:00:09.000000Z\terror\tEnvoy exited with error: signal: segmentation fault',
        '',
      ].join('\n'),
    );
    writeFileSync(b, '2026-05-20T08:00:05.000000000Z 2026-05-20T08:00:05.000000Z\terror\twasm\tcannot fetch Wasm module http://h/plugins/c/1.0.0/plugin.wasm: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404\n');
    const p = new Pipeline(await loadRunCatalog([]), { contextLane: true });
    const la = p.openLane('pod-a/c', { timed: true });
    const lb = p.openLane('pod-b/c', { timed: true });
    const seen: string[] = [];
    const order = new Pipeline(await loadRunCatalog([]), { onEvent: (e) => seen.push(`${e.input}:${e.line}`) });
    const oa = order.openLane('pod-a/c', { timed: true });
    const ob = order.openLane('pod-b/c', { timed: true });
    const status = order.openLane('pod-b/c (status)', { timed: true });
    await mergeByTime([{ lane: la, path: a }, { lane: lb, path: b }], { advance: (t) => p.release(t) });
    p.endLanes();
    await mergeByTime(
      [
        { lane: oa, path: a },
        { lane: ob, path: b },
        { lane: status, lines: ['Last State:     Terminated', '  Reason:       OOMKilled'], time: '2026-05-20T08:00:07Z' },
      ],
      { advance: (t) => order.release(t) },
    );
    order.endLanes();
    expect(seen).toEqual(['pod-a/c:1', 'pod-b/c:1', 'pod-b/c (status):1', 'pod-a/c:4']);
    const d = p.snapshot();
    expect(d.inputs.map((i) => [i.name, i.lines])).toEqual([
      ['pod-a/c', 4],
      ['pod-b/c', 1],
    ]);
    // One incident per plugin URL, each pointing at its own lane's line.
    const fetch = d.incidents.filter((i) => i.cause === 'wasm-fetch-bad-address');
    expect(fetch.reduce((n, i) => n + i.count, 0)).toBe(3);
    expect(fetch.flatMap((i) => i.evidence.map((e) => `${e.input}:${e.line}`))).toEqual(expect.arrayContaining(['pod-a/c:2', 'pod-a/c:3', 'pod-b/c:1']));
  });

  it("one pod's OOM kill does not explain another pod's crash; in the same pod it does", async () => {
    const crash = (pod: string): string => {
      const f = join(dir, `${pod}.log`);
      const lines = [
        'Caught Segmentation fault, suspect faulting address 0x0',
        'Backtrace (use tools/stack_decode.py to get line numbers):',
        '#0: __restore_rt [0x7f5a30011064]',
        '#1: Envoy::Server::InstanceBase::run() [0x553f7a825907]',
      ];
      writeFileSync(f, lines.map((l, n) => `2026-05-20T08:00:10.00000000${n}Z [2026-05-20 08:00:10.000][14][critical][backtrace] [external/envoy/source/server/backtrace.h:127] ${l}`).join('\n') + '\n');
      return f;
    };
    const run = async (crashPod: string): Promise<string[]> => {
      const p = new Pipeline(await loadRunCatalog([]), { scopeOf: (e) => podOfInput(e.input) ?? e.input });
      const status = p.openLane('pod-b/c (status)', { timed: true });
      const logs = p.openLane(`${crashPod}/c (previous)`, { timed: true });
      await mergeByTime(
        [
          { lane: status, lines: ['Last State:     Terminated', '  Reason:       OOMKilled', '  Exit Code:    137'], time: '2026-05-20T08:00:05Z' },
          { lane: logs, path: crash(crashPod) },
        ],
        { advance: (t) => p.release(t) },
      );
      p.endLanes();
      return p.snapshot().incidents.map((i) => `${i.cause}:${i.evidence[0]!.input}`);
    };
    expect(await run('pod-a')).toContain('envoy-crash:pod-a/c (previous)');
    expect((await run('pod-b')).some((x) => x.startsWith('envoy-crash'))).toBe(false);
  });

  it('--until leaves later lines out; a line longer than 1 MiB is cut, not held whole', async () => {
    const f = join(dir, 'long.log');
    writeFileSync(f, `2026-05-20T08:00:00Z ${'x'.repeat(3 * 1024 * 1024)}\n2026-05-20T08:00:01Z short\n2026-05-20T09:00:00Z late\n`);
    const p = new Pipeline(await loadRunCatalog([]));
    const lane = p.openLane('pod/c', { timed: true });
    const left = await mergeByTime([{ lane, path: f }], { untilMs: Date.UTC(2026, 4, 20, 8, 30), advance: (t) => p.release(t) });
    p.endLanes();
    expect(left).toBe(1);
    expect(lane.stats.lines).toBe(2);
    expect(lane.stats.bytes).toBeLessThan(1024 * 1024 + 100);
  });
});

describe('the line splitter of a followed stream', () => {
  const collect = (after: string | null) => {
    const got: string[] = [];
    let last: string | null = null;
    const s = new LineSplitter((chunk, n, stamp) => {
      got.push(...chunk.toString().split('\n').filter(Boolean));
      expect(n).toBeGreaterThan(0);
      last = stamp ?? last;
    }, after);
    return { s, got, last: () => last };
  };

  it('joins lines cut between reads, strips the stamps, keeps lines of one nanosecond', () => {
    const { s, got, last } = collect(null);
    s.push(Buffer.from('2026-05-20T08:00:00.000000001Z one\n2026-05-20T08:00:00.000000001Z tw'));
    s.push(Buffer.from('o\n2026-05-20T08:00:00.000000001Z three\n'));
    s.push(Buffer.from('2026-05-20T08:00:00.000000002Z unterminated'));
    s.end();
    expect(got).toEqual(['one', 'two', 'three', 'unterminated']);
    expect(last()).toBe('2026-05-20T08:00:00.000000002Z');
  });

  it('after a reconnection, drops what was read before and nothing after', () => {
    const { s, got } = collect('2026-05-20T08:00:01.5Z');
    // --since-time has whole seconds: the API sends the second again.
    s.push(Buffer.from('2026-05-20T08:00:01.2Z old\n2026-05-20T08:00:01.5Z old too\n2026-05-20T08:00:01.6Z new\n'));
    s.push(Buffer.from('2026-05-20T08:00:01.6Z same instant, later line\n'));
    expect(got).toEqual(['new', 'same instant, later line']);
  });
});

describe('pods, WasmPlugins and statuses', () => {
  const list = {
    items: [
      {
        metadata: { name: 'gw-1', namespace: 'higress-system' },
        spec: { nodeName: 'n1', containers: [{ name: 'higress-gateway' }] },
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'higress-gateway',
              ready: false,
              restartCount: 5,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { exitCode: 139, reason: 'Error', finishedAt: '2026-05-20T08:30:12Z' } },
            },
          ],
        },
      },
      { metadata: { name: 'gw-2' }, spec: { containers: [{ name: 'higress-gateway' }] }, status: { phase: 'Failed', reason: 'Evicted' } },
    ],
  };

  it('a crash-looping container: its status lines say how it ended, for the catalog', () => {
    const [p1, p2] = podsFromList(list, 'gateway');
    expect(p1!.containers[0]).toMatchObject({ restarts: 5, state: 'waiting', reason: 'CrashLoopBackOff', lastTermination: { exitCode: 139, reason: 'Error' } });
    expect(statusLines(p1!, p1!.containers[0]!)).toEqual([
      'State:          Waiting',
      '  Reason:       CrashLoopBackOff',
      'Last State:     Terminated',
      '  Reason:       Error',
      '  Exit Code:    139',
      '  Finished:     2026-05-20T08:30:12Z',
      'Ready:          False',
      'Restart Count:  5',
    ]);
    // An evicted pod says so at the pod level; a container without status is 'unknown', never a crash.
    expect(statusLines(p2!, p2!.containers[0]!)[0]).toBe('Reason:         Evicted');
    expect(p2!.containers[0]!.state).toBe('unknown');
    expect(podsFromList({ kind: 'Status' }, 'gateway')).toEqual([]);
    expect(podsFromList(null, 'gateway')).toEqual([]);
  });

  it('WasmPlugins: url, phase, priority; shared URLs found', () => {
    const w = wasmPluginsFromList({
      items: [
        { metadata: { name: 'b', namespace: 'ns' }, spec: { url: 'oci://r/p:1', phase: 'AUTHN', priority: 10 } },
        { metadata: { name: 'a', namespace: 'ns' }, spec: { url: 'oci://r/p:1' } },
        { metadata: { name: 'c', namespace: 'ns' }, spec: { url: 'oci://r/c:1' } },
        { metadata: { name: 'bad' }, spec: 'not an object' },
      ],
    });
    expect(w.map((p) => p.name)).toEqual(['bad', 'a', 'b', 'c']);
    expect(w.find((p) => p.name === 'b')).toMatchObject({ url: 'oci://r/p:1', phase: 'AUTHN', priority: 10 });
    expect(sharedPluginUrls(w)).toEqual([{ url: 'oci://r/p:1', plugins: ['a', 'b'] }]);
  });

  it('input names back to pods', () => {
    expect(podOfInput('gw-1/higress-gateway')).toBe('gw-1');
    expect(podOfInput('gw-1/higress-gateway (previous)')).toBe('gw-1');
    expect(podOfInput('gw-1/higress-gateway (restart 4)')).toBe('gw-1');
    expect(podOfInput('gateway.log')).toBeNull();
    expect(podOfInput('logs/gateway.log')).toBeNull();
  });
});

describe('flags and kubectl messages', () => {
  it('--since and --until', () => {
    expect(sinceFlag('1h30m')).toBe('--since=1h30m');
    expect(sinceFlag('2026-05-20T08:00:00Z')).toBe('--since-time=2026-05-20T08:00:00.000Z');
    expect(() => sinceFlag('yesterday')).toThrow(/--since takes a duration/);
    expect(untilMs('10m', 1_000_000)).toBe(400_000);
    expect(untilMs('2026-05-20T09:00:00Z')).toBe(Date.UTC(2026, 4, 20, 9));
    expect(() => untilMs('soon')).toThrow(/--until takes/);
  });

  it('one line from what kubectl printed, klog noise left out', () => {
    const noise = 'E1207 05:12:05.904534   20912 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list"\n';
    expect(kubectlFailure(T, 'listing pods', `${noise}${noise}error: You must be logged in to the server (Unauthorized)\n`, 1)).toBe(
      'listing pods: the API server did not accept your credentials (the current context): You must be logged in to the server (Unauthorized)',
    );
    expect(kubectlFailure({ ...T, context: 'prod' }, 'x', 'Error from server (Forbidden): pods is forbidden: User "u" cannot list resource "pods"\n', 1)).toBe(
      'x: forbidden by RBAC for context "prod": pods is forbidden: User "u" cannot list resource "pods"',
    );
    expect(kubectlFailure(T, 'x', '\x1b[31mboom\x1b[0m\n', 1)).toBe('x: boom');
    expect(kubectlFailure(T, 'x', '', 2)).toBe('x: kubectl exited with code 2 without saying why');
  });

  it("the stand-in's label selectors", () => {
    const l = { app: 'higress-gateway', tier: 'edge' };
    expect(matchesSelector(l, 'app=higress-gateway')).toBe(true);
    expect(matchesSelector(l, 'app=higress-gateway,tier!=edge')).toBe(false);
    expect(matchesSelector(l, 'app in (a,higress-gateway)')).toBe(true);
    expect(matchesSelector(l, '!tier')).toBe(false);
  });
});
