// One clock (issue 15, part 3): Envoy prints the container's local time without a zone (L2's `Z` is a literal),
// pilot-agent and the access log print UTC. The offset is read from pairs of lines of both clocks that describe
// one moment, or given with --tz; every time of the diagnosis is then written in the container's zone, and where
// the offset cannot be known the diagnosis says so. Checked on hand-written logs and on every bundled sample.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load.js';
import { Pipeline } from '../src/pipeline.js';
import type { Diagnosis } from '../src/model.js';
import { clockOf, isoIn, localToUtc, OffsetVotes, parseZone, timeMs, UTC } from '../src/diagnose/clock.js';
import { diagnosisJson } from '../src/report/json.js';
import { ROOT, runCli } from './helpers/cli.js';
import { analyzeInProcess } from './helpers/in-process.js';

const catalog = loadCatalog();

function diagnose(text: string, zone: string | null = null): Diagnosis {
  const p = new Pipeline(catalog, { zone: zone === null ? null : parseZone(zone) });
  p.beginInput('gw.log');
  p.push(Buffer.from(text.endsWith('\n') ? text : `${text}\n`));
  p.endInput();
  return p.snapshot();
}

/** Every time a diagnosis carries: window, local window, incidents. */
function timesOf(d: Diagnosis): string[] {
  const e = d.environment;
  return [e.timeWindow.first, e.timeWindow.last, e.localTimeWindow?.first, e.localTimeWindow?.last, ...d.incidents.flatMap((i) => [i.firstSeen, i.lastSeen])].filter(
    (t): t is string => typeof t === 'string',
  );
}

const instant = (t: string): number => Date.parse(t);

// An all-in-one gateway with TZ=Asia/Shanghai: Envoy 8 hours ahead of pilot-agent.
const CRASH = [
  '2026-05-20T07:58:17.310915Z\tinfo\tUsing existing certs',
  '2026-05-20T08:07:40.100000Z\terror\twasm\tconvert the wasm config: 1 error occurred:',
  '\t* cannot fetch Wasm module http://192.168.10.20:8080/plugin.wasm: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404',
  '[2026-05-20 16:07:50.890][262][critical][backtrace] [external/envoy/source/server/backtrace.h:127] Caught Segmentation fault, suspect faulting address 0x0',
  '[2026-05-20 16:07:50.890][262][critical][backtrace] [external/envoy/source/server/backtrace.h:111] Backtrace (use tools/stack_decode.py to get line numbers):',
  '[2026-05-20 16:07:50.894][262][critical][backtrace] [external/envoy/source/server/backtrace.h:118] #0: __restore_rt [0x7f04f0193ef5]',
  '2026-05-20T08:07:51.026674Z\terror\tEnvoy exited with error: signal: segmentation fault',
].join('\n');

describe('reading printed times', () => {
  it('Envoy layouts are the local clock (L2 and Envoy JSON with a literal Z); Go and the access log UTC', () => {
    expect(clockOf('envoy', undefined)).toBe('local');
    expect(clockOf('envoy-istio', undefined)).toBe('local');
    expect(clockOf('envoy-epoch', undefined)).toBe('local');
    expect(clockOf('istio-go', undefined)).toBe('utc');
    expect(clockOf('access-json', undefined)).toBe('utc');
    expect(clockOf('istio-json', '{"level":"info","time":"2026-05-20T16:00:00.000000Z","scope":"envoy wasm","msg":"x"}')).toBe('local');
    expect(clockOf('istio-json', '{"level":"info","time":"2026-05-20T08:00:00.000000Z","scope":"ads","msg":"x"}')).toBe('utc');
    expect(clockOf('klog', undefined)).toBeNull();
    expect(clockOf('syslog', undefined)).toBeNull();
  });
  it('reads the shapes of every layout; a UTC time applies its offset, a local one ignores its literal Z', () => {
    const t = Date.UTC(2026, 4, 20, 16, 7, 50, 890);
    expect(timeMs('2026-05-20 16:07:50.890', 'local')).toBe(t);
    expect(timeMs('2026-05-20T16:07:50.890123Z', 'local')).toBe(t);
    expect(timeMs('2026-05-20 16:07:50,890', 'local')).toBe(t);
    expect(timeMs('2026-05-20T16:07:50.890Z', 'utc')).toBe(t);
    expect(timeMs('2026-05-21T00:07:50.890+08:00', 'utc')).toBe(t);
    expect(timeMs('2026-05-20T12:37:50.890-0330', 'utc')).toBe(t);
    expect(timeMs('0520 16:07:50.890000', 'local')).toBeNaN();
    expect(timeMs('2026-13-20 16:07:50', 'local')).toBeNaN();
  });
  it('--tz takes UTC, offsets and zone names (daylight saving included), and nothing else', () => {
    expect(parseZone('UTC')).toBe(UTC);
    expect(parseZone('+08:00')!.offsetAt(0)).toBe(480);
    expect(parseZone('+0530')!.offsetAt(0)).toBe(330);
    expect(parseZone('UTC-3')!.offsetAt(0)).toBe(-180);
    expect(parseZone('Asia/Shanghai')!.offsetAt(Date.UTC(2026, 0, 1))).toBe(480);
    const berlin = parseZone('Europe/Berlin')!;
    expect(berlin.offsetAt(Date.UTC(2026, 0, 15))).toBe(60);
    expect(berlin.offsetAt(Date.UTC(2026, 6, 15))).toBe(120);
    expect(localToUtc(Date.UTC(2026, 6, 15, 12), berlin)).toBe(Date.UTC(2026, 6, 15, 10));
    expect(isoIn(Date.UTC(2026, 6, 15, 10), berlin)).toBe('2026-07-15T12:00:00.000+02:00');
    for (const bad of ['', 'Mars/Olympus', '+25:00', 'eight', '08:00']) expect(parseZone(bad), bad).toBeNull();
  });
});

describe('inferring the offset', () => {
    /** One event for the votes: its clock, line, order and time. */
  const see = (v: OffsetVotes, kind: 'utc' | 'local', line: number, seq: number, iso: string, crash = false, restart = false, block = false, input = 'gw.log') =>
    v.observe(kind, input, line, line, seq, timeMs(iso, kind), crash, restart, block, false);
  it('from a crash and the agent reporting it, from a start and the next Envoy line, from neighbours', () => {
    const crash = new OffsetVotes();
    see(crash, 'local', 10, 1, '2026-05-20 16:07:50.890', true, false, true);
    see(crash, 'utc', 40, 30, '2026-05-20T08:07:51.026Z', true, true, false);
    expect(crash.reading().offset).toBe(480);
    expect(crash.reading().basis).toMatch(/crash.*gw\.log:10, 40/);

    const start = new OffsetVotes();
    see(start, 'utc', 5, 1, '2026-05-20T01:20:37.621Z', false, true, false);
    see(start, 'utc', 6, 2, '2026-05-20T01:20:37.700Z', false, false, false);
    see(start, 'local', 9, 3, '2026-05-20 06:50:38.012', false, false, false);
    expect(start.reading().offset).toBe(330);

    const neighbours = new OffsetVotes();
    see(neighbours, 'local', 1, 1, '2026-05-20 03:00:00.000', false, false, false);
    see(neighbours, 'utc', 2, 2, '2026-05-20T08:00:01.000Z', false, false, false);
    expect(neighbours.reading().offset).toBe(-300);
  });
  it('does not pair lines far from a whole quarter hour apart, nor lines of different inputs', () => {
    const v = new OffsetVotes();
    see(v, 'local', 1, 1, '2026-05-20 16:00:00.000', false, false, false);
    see(v, 'utc', 2, 2, '2026-05-20T08:07:00.000Z', false, false, false);
    see(v, 'local', 1, 3, '2026-05-20 16:07:00.000', false, false, false, 'other.log');
    expect(v.reading().offset).toBeNull();
    expect(v.reading().sawLocal && v.reading().sawUtc).toBe(true);
  });
  it('says it does not know when pairs disagree with the same weight', () => {
    const v = new OffsetVotes();
    see(v, 'local', 1, 1, '2026-05-20 16:00:00.000', false, false, false);
    see(v, 'utc', 2, 2, '2026-05-20T08:00:00.000Z', false, false, false);
    see(v, 'local', 3, 3, '2026-05-20 10:00:00.500', false, false, false);
    expect(v.reading().offset).toBeNull();
    expect(v.reading().basis).toMatch(/disagree/);
  });
});

describe('one clock in the diagnosis', () => {
  it('a crash pair puts every time on the container clock (+08:00); the window holds every incident', () => {
    const d = diagnose(CRASH);
    const c = d.environment.clock!;
    expect(c).toMatchObject({ zone: '+08:00', localOffset: '+08:00', source: 'inferred' });
    expect(c.basis).toMatch(/Envoy's crash and pilot-agent's report of it \(gw\.log:4, 7\)/);
    for (const t of timesOf(d)) expect(t).toMatch(/\+08:00$/);
    const { first, last } = d.environment.timeWindow;
    // Info lines are not read (the prefilter skips them): the window starts at the fetch error.
    expect(first).toBe('2026-05-20T16:07:40.100+08:00');
    expect(last).toBe('2026-05-20T16:07:51.026+08:00');
    for (const i of d.incidents) {
      expect(instant(i.firstSeen!)).toBeGreaterThanOrEqual(instant(first!));
      expect(instant(i.lastSeen!)).toBeLessThanOrEqual(instant(last!));
      expect(instant(i.firstSeen!)).toBeLessThanOrEqual(instant(i.lastSeen!));
    }
    // The crash (16:07:50.890 local) and the agent's line (08:07:51.026Z) are one incident 136 ms long.
    const crash = d.incidents.find((i) => i.cause === 'wasm-plugin-crash' || i.cause === 'envoy-crash')!;
    expect([crash.firstSeen, crash.lastSeen]).toEqual(['2026-05-20T16:07:50.890+08:00', '2026-05-20T16:07:51.026+08:00']);
  });
  it('--tz states the zone and converts UTC lines into it; a different reading of the log is mentioned', () => {
    const d = diagnose(CRASH, 'UTC');
    expect(d.environment.clock).toMatchObject({ zone: 'UTC', source: 'option' });
    expect(d.environment.clock!.basis).toMatch(/given with --tz; the log suggests \+08:00/);
    const fetch = d.incidents.find((i) => i.cause === 'wasm-fetch-bad-address')!;
    expect(fetch.firstSeen).toBe('2026-05-20T08:07:40.100Z');
    const named = diagnose(CRASH, 'Asia/Shanghai');
    expect(named.environment.clock).toMatchObject({ zone: 'Asia/Shanghai', localOffset: '+08:00', source: 'option', basis: 'given with --tz' });
    expect(named.incidents.find((i) => i.cause === 'wasm-fetch-bad-address')!.firstSeen).toBe('2026-05-20T16:07:40.100+08:00');
  });
  it("only Envoy's local times: no zone is guessed, and the diagnosis says so", () => {
    const d = diagnose(
      [
        '[2026-05-09 15:12:13.863][357][warning][config] [external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193] DeltaAggregatedResources gRPC config stream to xds-grpc closed: 14, connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:15012: connect: connection refused"',
        '[2026-05-09 15:12:43.838][357][warning][config] [external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193] DeltaAggregatedResources gRPC config stream to xds-grpc closed since 30s ago: 14, connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:15012: connect: connection refused"',
      ].join('\n'),
    );
    expect(d.environment.clock).toMatchObject({ zone: null, localOffset: null, source: 'unknown' });
    expect(d.environment.clock!.basis).toMatch(/only Envoy's local times.*--tz/);
    for (const t of timesOf(d)) expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(d.environment.localTimeWindow).toBeUndefined();
  });
  it('both clocks and no pair: UTC times keep their Z, local ones none, each clock its own window', () => {
    const d = diagnose(
      [
        '2026-03-27T01:37:58.964576Z\tinfo\tUsing existing certs',
        '2026-03-27T01:37:59.000000Z\terror\twasm\tconvert the wasm config: 1 error occurred:',
        '\t* cannot fetch Wasm module http://10.0.0.5/plugins/key-auth/1.0.0/plugin.wasm: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404',
        '[2026-03-27 09:51:14.829][1][warning][config] [external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193] DeltaAggregatedResources gRPC config stream to xds-grpc closed: 14, connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:15012: connect: connection refused"',
      ].join('\n'),
    );
    expect(d.environment.clock).toMatchObject({ zone: null, source: 'unknown' });
    expect(d.environment.timeWindow.first).toMatch(/Z$/);
    expect(d.environment.localTimeWindow!.first).toBe('2026-03-27T09:51:14.829');
    const json = diagnosisJson(d) as { environment: Record<string, unknown> };
    expect(json.environment.clock).toMatchObject({ zone: null, source: 'unknown' });
    expect(json.environment.localTimeWindow).toEqual(d.environment.localTimeWindow);
  });
});

describe('every bundled sample', () => {
  const samples = readdirSync(join(ROOT, 'samples')).filter((f) => f.endsWith('.log'));
  // The built CLI in this process (helpers/in-process.ts): the diagnosis is the point, not the process.
  it('has one zone for all its times, a window that does not end before it starts, and incidents inside it', async () => {
    for (const f of samples) {
      const r = await analyzeInProcess([join('samples', f), '--format', 'json']);
      const d = JSON.parse(r.stdout) as Diagnosis;
      const c = d.environment.clock!;
      expect(c, f).toBeDefined();
      const { first, last } = d.environment.timeWindow;
      if (c.zone !== null) {
        const suffix = c.zone === 'UTC' ? 'Z' : c.zone;
        for (const t of timesOf(d)) expect(t.endsWith(suffix), `${f}: ${t} in ${c.zone}`).toBe(true);
        if (first && last) {
          expect(instant(first) <= instant(last), `${f}: ${first} … ${last}`).toBe(true);
          for (const i of d.incidents.filter((x) => x.firstSeen)) {
            expect(instant(i.firstSeen!) >= instant(first) && instant(i.lastSeen!) <= instant(last), `${f}: ${i.firstSeen} in ${first} … ${last}`).toBe(true);
          }
        }
      } else {
        expect(c.source, f).toMatch(/unknown|none/);
        expect(c.basis, f).toMatch(/--tz/);
      }
    }
  });
});

describe('the CLI', () => {
  it('--tz converts, a bad --tz is a usage error (exit 2, one line)', () => {
    const r = runCli(['analyze', 'samples/xds-disconnected-pilot-down.log', '--format', 'json', '--tz', '+08:00']);
    const d = JSON.parse(r.stdout) as Diagnosis;
    expect(d.environment.clock).toMatchObject({ zone: '+08:00', source: 'option' });
    expect(d.environment.timeWindow.first).toBe('2026-05-09T15:12:13.863+08:00');
    const bad = runCli(['analyze', 'samples/xds-disconnected-pilot-down.log', '--tz', 'Mars/Olympus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--tz takes UTC, an offset like \+08:00, or a zone name/);
  });
});
