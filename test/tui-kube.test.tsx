// The live screen of `tail --kube`: a POD column (the pods of the evidence), the text filter matching pod names,
// the streams strip with the streams that are not following first, the header counting the streams — at 80 and
// 120 columns, with frames built by hand. A file's screen is unchanged (no POD column, no strip).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { Text } from 'ink';
import type { ReactElement } from 'react';
import type { Diagnosis, Incident } from '../src/model.js';
import { Screen } from '../src/tui/Screen.js';
import { BUCKETS_KEPT } from '../src/tui/rates.js';
import type { Frame, LiveIncident } from '../src/tui/store.js';
import type { StreamInfo } from '../src/sources/kube-follow.js';
import { INITIAL_UI, type UiState } from '../src/tui/ui-state.js';
import { buildScreen, podCell, visibleIncidents, type ScreenView } from '../src/tui/view.js';
import { statusEvents, ndjsonStatus, textStatus } from '../src/tui/plain-output.js';

const NOW = new Date(2026, 4, 20, 12, 0, 0).getTime();
const strip = (s: string | undefined): string => (s ?? '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
const A = 'higress-gateway-6f7c9d8b5-x2k4p';
const B = 'higress-gateway-6f7c9d8b5-q8wzt';

afterEach(() => cleanup());

function renderAt(node: ReactElement, columns: number, rows = 40) {
  const r = render(<Text> </Text>);
  Object.defineProperty(r.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(r.stdout, 'rows', { value: rows, configurable: true, writable: true });
  r.rerender(node);
  return { screen: () => strip(r.lastFrame()), lines: () => strip(r.lastFrame()).split('\n') };
}

function incident(id: string, cause: Incident['cause'], inputs: string[]): Incident {
  return {
    id,
    cause,
    category: 'resource',
    severity: 'critical',
    confidence: 0.9,
    title: `${cause} title`,
    subject: {},
    count: inputs.length,
    firstSeen: null,
    lastSeen: null,
    evidence: inputs.map((input, n) => ({ input, line: n + 1, text: 'x' })),
    alternatives: [],
    remediation: ['do it'],
    patterns: ['HD-RES-011'],
    explanation: 'why',
    notes: [],
    rootOf: null,
    firstSeq: 1,
    lastSeq: 2,
  };
}

const live = (i: Incident): LiveIncident => ({ incident: i, buckets: new Array(BUCKETS_KEPT).fill(0), firstShownAt: NOW - 120_000, changedAt: NOW - 120_000, markBase: i.count });

const stream = (pod: string, state: StreamInfo['state'], detail?: string, input = `${pod}/higress-gateway`): StreamInfo => ({
  key: `${pod}/higress-gateway`,
  pod,
  container: 'higress-gateway',
  input,
  state,
  ...(detail ? { detail } : {}),
  at: NOW - 1000,
  lines: 120,
  restarts: 3,
});

const OOM = incident('oom1', 'oom', [`${B}/higress-gateway (status)`]);
const FETCH = incident('fetch1', 'wasm-fetch-bad-address', [`${A}/higress-gateway`, `${B}/higress-gateway (previous)`]);

function frameOf(streams: StreamInfo[] | undefined, o: Partial<Frame> = {}): Frame {
  const incidents = [live(OOM), live(FETCH)];
  const diagnosis: Diagnosis = {
    inputs: [],
    stats: { lines: 10, events: 3, unparsed: 0, cutLines: 0, layouts: {} },
    environment: { envoyVersion: null, higressVersion: null, logLayouts: [], plugins: [], timeWindow: { first: null, last: null } },
    incidents: incidents.map((l) => l.incident),
    unclassified: [],
    unclassifiedOther: 0,
    harmless: [],
  };
  return {
    at: NOW,
    seq: 1,
    source: { name: 'kube higress-system', path: 'namespace higress-system, app=higress-gateway', isStdin: false },
    status: { state: 'following', at: NOW - 100_000 },
    restarts: [],
    startedAt: NOW - 300_000,
    lines: 10,
    bytes: 1000,
    linesPerSecond: 1,
    lagBytes: null,
    diagnosis,
    incidents,
    recent: [],
    changes: [],
    ...(streams ? { streams, streamLog: streams.map((s, n) => ({ ...s, seq: n + 1 })) } : {}),
    ...o,
  };
}

const viewOf = (frame: Frame, ui: Partial<UiState> = {}, columns = 120, rows = 40): ScreenView =>
  buildScreen({ live: frame, shown: frame, ui: { ...INITIAL_UI, ...ui }, dims: { columns, rows }, now: NOW });

describe('tail --kube screen', () => {
  const streams = [stream(A, 'following'), stream(B, 'reconnecting', 'the stream ended; again in 2s')];

  for (const width of [80, 120]) {
    it(`shows a POD column, the streams (trouble first) and the stream count at ${width} columns`, () => {
      const r = renderAt(<Screen view={viewOf(frameOf(streams), {}, width)} />, width);
      const lines = r.lines();
      for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(width);
      expect(lines[0]).toMatch(/following 1\/2 streams · 1 not following/);
      expect(r.screen()).toMatch(/POD/);
      // The end of the pod name is what tells pods apart.
      expect(r.screen()).toMatch(/q8wzt/);
      const strip = lines.findIndex((l) => l.includes('streams: 1 following, 1 reconnecting'));
      expect(strip).toBeGreaterThan(0);
      expect(lines[strip + 1]).toMatch(/↻ higress-gateway-6f7c9d8b5-q8wzt\/higress-gateway {2}reconnecting/);
      expect(lines[strip + 2]).toMatch(/● higress-gateway-6f7c9d8b5-x2k4p\/higress-gateway {2}following/);
      if (width >= 120) expect(lines[strip + 1]).toContain('reconnecting (the stream ended; again in 2s) · 120 lines');
    });
  }

  it('the pod cell: the end of the first pod and how many more', () => {
    expect(podCell([A, B], 18)).toBe('…f7c9d8b5-x2k4p +1');
    expect([...podCell([A, B], 18)].length).toBe(18);
    expect(podCell([A], 40)).toBe(A);
    expect(podCell([], 12)).toBe('');
  });

  it('the text filter matches pod names', () => {
    const f = frameOf(streams);
    expect(visibleIncidents(f, { ...INITIAL_UI, filter: 'x2k4p' }).map((l) => l.incident.id)).toEqual(['fetch1']);
    expect(visibleIncidents(f, { ...INITIAL_UI, filter: 'q8wzt' }).map((l) => l.incident.id)).toEqual(['oom1', 'fetch1']);
  });

  it('more streams than rows: the ones not following are shown, the rest counted', () => {
    const many = [...Array.from({ length: 9 }, (_, n) => stream(`gw-${n}`, 'following')), stream('gw-bad', 'failed', 'forbidden by RBAC')];
    const v = viewOf(frameOf(many), {}, 120, 24);
    expect(v.streams!.lines[0]).toMatchObject({ mark: '✕', tone: 'bad' });
    expect(v.streams!.lines.at(-1)!.text).toMatch(/… \d+ more \(following\)/);
    expect(v.streams!.height + v.header.line1.length).toBeGreaterThan(0);
  });

  it('a file tail has no POD column and no streams strip', () => {
    const v = viewOf(frameOf(undefined));
    expect(v.streams).toBeNull();
    expect(v.list!.columns.pod).toBe(0);
    expect(v.list!.rows.every((r) => r.pod === '')).toBe(true);
  });

  it('ndjson and text status lines: one per stream change, with pod and container', () => {
    const f1 = frameOf([stream(A, 'connecting')]);
    const f2 = frameOf([stream(A, 'following')], { streamLog: [{ ...stream(A, 'connecting'), seq: 1 }, { ...stream(A, 'following'), seq: 2 }, { ...stream(A, 'reconnecting', 'unexpected EOF; again in 1s'), seq: 3 }] });
    const events = statusEvents(f1, f2).filter((e) => e.stream);
    expect(events.map((e) => e.state)).toEqual(['following', 'reconnecting']);
    const o = JSON.parse(ndjsonStatus(events[1]!, f2)) as Record<string, unknown>;
    expect(o).toMatchObject({ type: 'status', state: 'reconnecting', input: `${A}/higress-gateway`, pod: A, container: 'higress-gateway', restarts: 3, detail: 'unexpected EOF; again in 1s' });
    expect(textStatus(events[1]!, f2)).toBe(`higress-doctor: ${A}/higress-gateway: reconnecting (unexpected EOF; again in 1s)\n`);
  });
});
