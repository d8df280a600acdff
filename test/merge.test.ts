// Several local inputs as one timeline (`analyze gateway.log controller.log`): events ordered by their own time
// across files, each file's order kept, a tag (input name) per file; and `--since` / `--until` on files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';
import { ensureBuilt } from './helpers/tmux.js';

interface Incident {
  cause: string;
  count: number;
  rootOf: string | null;
  id: string;
  firstSeen: string | null;
  lastSeen: string | null;
  evidence: Array<{ input: string; line: number; text: string }>;
}
interface Report {
  inputs: Array<{ name: string; lines: number }>;
  incidents: Incident[];
  environment: { window?: { since: string | null; until: string | null; leftOut: { before: number; after: number } } };
}

const json = (args: string[]): { code: number | null; d: Report; stderr: string } => {
  const r = runCli(['analyze', '--format', 'json', '--fail-on', 'none', ...args]);
  return { code: r.code, d: JSON.parse(r.stdout) as Report, stderr: r.stderr };
};

/** What an incident says, whatever file its lines came from. */
const story = (d: Report): unknown[] =>
  d.incidents.map((i) => ({ cause: i.cause, count: i.count, knockOn: i.rootOf !== null, firstSeen: i.firstSeen, lastSeen: i.lastSeen, lines: i.evidence.map((e) => e.text).sort() }));

const strip = (file: string): string[] =>
  readFileSync(join(ROOT, 'test/fixtures/kube/incident/logs', file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(l.indexOf(' ') + 1));

let dir: string;
let gateway: string[];
let controller: string[];

describe('analyze FILE FILE: one timeline', () => {
  beforeAll(() => {
    ensureBuilt(ROOT);
    dir = mkdtempSync(join(tmpdir(), 'hd-merge-'));
    // A gateway that fails to fetch a plugin at 08:21:10.220, and the controller's NACK of the same URL 0.4 s later.
    gateway = strip('higress-gateway-6f7c9d8b5-x2k4p.higress-gateway.log');
    controller = strip('higress-controller-5d8f7c6b9-m4n7k.discovery.log').map((l) => l.replace('2026-05-20T08:15:42.530000Z', '2026-05-20T08:21:10.620000Z'));
    writeFileSync(join(dir, 'gateway.log'), `${gateway.join('\n')}\n`);
    writeFileSync(join(dir, 'controller.log'), `${controller.join('\n')}\n`);
    // The same lines as one file, in time order: the controller's record after the gateway's fetch failure.
    const at = gateway.findIndex((l) => l.startsWith('2026-05-20T08:21:10.220000Z'));
    const merged = [...gateway.slice(0, at + 6), ...controller, ...gateway.slice(at + 6)];
    writeFileSync(join(dir, 'merged.log'), `${merged.join('\n')}\n`);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('two files whose events interleave give the incidents of one merged file, whatever order they are named in', () => {
    const one = json([join(dir, 'merged.log')]).d;
    const two = json([join(dir, 'controller.log'), join(dir, 'gateway.log')]);
    expect(two.code).toBe(0);
    expect(two.stderr).toBe('');
    expect(story(two.d)).toEqual(story(one));
    expect(story(json([join(dir, 'gateway.log'), join(dir, 'controller.log')]).d)).toEqual(story(one));
    // One story: the controller's NACK joins the gateway's fetch failure (read one after the other, it came first and stood alone).
    const fetch = two.d.incidents.filter((i) => i.cause === 'wasm-fetch-bad-address');
    expect(fetch).toHaveLength(1);
    expect(fetch[0]!.evidence.map((e) => e.input)).toEqual(expect.arrayContaining(['gateway.log', 'controller.log']));
    expect(two.d.inputs.map((i) => [i.name, i.lines])).toEqual([
      ['controller.log', controller.length],
      ['gateway.log', gateway.length],
    ]);
  });

  it('keeps each file in its own order and line numbers, and a rotated set oldest first', () => {
    const alone = json([join(ROOT, 'samples/rotated')]).d;
    const withOther = json([join(ROOT, 'samples/rotated'), join(dir, 'controller.log')]).d;
    expect(withOther.inputs.map((i) => i.name)).toEqual(['gateway.log.2.gz', 'gateway.log.1', 'gateway.log', 'controller.log']);
    const crash = (d: Report): Incident => d.incidents.find((i) => i.cause === 'wasm-plugin-crash')!;
    expect(crash(withOther).evidence).toEqual(crash(alone).evidence);
  });

  it("a restart in one file does not end another file's process lifetime", () => {
    // The memory signal and the crash are in one file; the other file restarts in between.
    const gw = [
      '2026-05-20T08:00:00.000000Z\tinfo\tStarting proxy agent',
      '[21:52:47:642 - 7F3A1C2B5700]: warning: allocate 1048576 bytes memory failed',
      '[2026-05-20 08:00:03.000][14][critical][backtrace] [./source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0',
      '[2026-05-20 08:00:03.000][14][critical][backtrace] [./source/server/backtrace.h:91] Backtrace (use tools/stack_decode.py to get line numbers):',
      '[2026-05-20 08:00:03.000][14][critical][backtrace] [./source/server/backtrace.h:96] #0: __restore_rt [0x7f04f0193ef5]',
      '2026-05-20T08:00:03.100000Z\terror\tEnvoy exited with error: signal: segmentation fault',
    ];
    const other = ['2026-05-20T08:00:02.000000Z\tinfo\tStarting proxy agent', '2026-05-20T08:00:02.100000Z\tinfo\tEnvoy command: [-c etc/istio/proxy/envoy-rev.json]'];
    writeFileSync(join(dir, 'a.log'), `${gw.join('\n')}\n`);
    writeFileSync(join(dir, 'b.log'), `${other.join('\n')}\n`);
    const alone = json(['--tz', 'UTC', join(dir, 'a.log')]).d;
    const both = json(['--tz', 'UTC', join(dir, 'a.log'), join(dir, 'b.log')]).d;
    // The allocation failure explains the crash right after it, in a.log's own lifetime; b.log's start in between ends b.log's.
    expect(alone.incidents.map((i) => i.cause)).toEqual(['oom']);
    expect(both.incidents.map((i) => i.cause)).toEqual(['oom']);
  });

  it('--since / --until skip the events outside the window of a file, and count them', () => {
    const all = json([join(dir, 'gateway.log')]).d;
    const first = all.incidents.find((i) => i.cause === 'wasm-fetch-bad-address')!;
    expect(first.firstSeen).toBe('2026-05-20T08:21:10.220Z');
    const after = json(['--since', '2026-05-20T08:21:11Z', join(dir, 'gateway.log')]);
    expect(after.d.incidents.map((i) => i.cause)).not.toContain('wasm-fetch-bad-address');
    expect(after.d.environment.window).toMatchObject({ since: '2026-05-20T08:21:11.000Z', until: null });
    expect(after.d.environment.window!.leftOut.before).toBeGreaterThan(0);
    expect(after.stderr).toMatch(/^higress-doctor: --since\/--until left out \d+ before --since/);
    const before = json(['--until', '2026-05-20T08:21:10Z', join(dir, 'gateway.log'), join(dir, 'controller.log')]);
    expect(before.d.incidents.map((i) => i.cause)).not.toContain('wasm-fetch-bad-address');
    expect(before.d.environment.window!.leftOut.after).toBeGreaterThan(0);
    // Lines are still read and counted; only events are left out.
    expect(before.d.inputs.find((i) => i.name === 'gateway.log')!.lines).toBe(gateway.length);
    const both = json(['--since', '2026-05-20T08:21:10Z', '--until', '2026-05-20T08:21:11Z', join(dir, 'gateway.log')]).d;
    expect(both.incidents.find((i) => i.cause === 'wasm-fetch-bad-address')!.count).toBe(first.count);
    const bad = runCli(['analyze', '--since', 'yesterday', join(dir, 'gateway.log')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^higress-doctor: --since takes a time .* not yesterday\n$/);
    const reversed = runCli(['analyze', '--since', '2026-05-21', '--until', '2026-05-20', join(dir, 'gateway.log')]);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toMatch(/is after --until/);
  });
});
