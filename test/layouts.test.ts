// The layout table (src/layouts.ts): every sample through every reader that recognises layouts — the parser
// as the assembler applies it, the prefilter, the context lane's header reading, the WebAssembly line index and
// its JavaScript contract, the TEXT access record reading — as written and behind each collector's wrapper.
// The fast readers may decline to decide; where they decide, they say what the parser says.
import { describe, expect, it } from 'vitest';
import { LAYOUT_TABLE, type LayoutSample } from '../src/layouts.js';
import { LAYOUT_IDS, LEVEL_RANK, type LayoutId, type LogEvent } from '../src/model.js';
import { Assembler } from '../src/parse/assemble.js';
import { loadCatalog } from '../src/catalog/load.js';
import { classifyFast, FAST_CANDIDATE, FastLiterals, isTextAccessRecord, kubectlTimeEnd } from '../src/lines/prefilter.js';
import { isAccessLine, sniffHeader, type HeaderSniff } from '../src/lines/context-lane.js';
import { LineIndex } from '../src/lines/line-index.js';

const literals = new FastLiterals(loadCatalog().lowLevelLiterals);

/** The layouts whose lines start with a header of the gateway's own processes (Envoy, Istio, the access log). */
const GATEWAY_HEADERS = new Set<LayoutId>(['envoy', 'envoy-istio', 'envoy-epoch', 'istio-go', 'istio-json', 'access-json', 'access-text']);

/**
 * Collectors' wrappers and a terminal viewer's box (docs/formats.md §W); `readPast`: the fast path reads past it;
 * `anyText`: it is drawn around whatever was shown, pasted host or Kubernetes output too.
 */
const WRAPPERS: ReadonlyArray<{ name: string; wrap: (l: string) => string; readPast: boolean; anyText?: boolean; only?: ReadonlySet<LayoutId> }> = [
  { name: 'as written', wrap: (l) => l, readPast: true, anyText: true },
  { name: 'kubectl --timestamps', wrap: (l) => `2026-05-20T08:15:44.123456789Z ${l}`, readPast: true },
  { name: 'CRI', wrap: (l) => `2026-05-20T08:15:44.123456789Z stdout F ${l}`, readPast: false },
  { name: 'docker json-file', wrap: (l) => `{"log":${JSON.stringify(`${l}\n`)},"stream":"stdout","time":"2026-05-20T08:15:44.123456789Z"}`, readPast: false },
  { name: 'kubectl --prefix', wrap: (l) => `[pod/higress-gateway-7d9f/higress-gateway] ${l}`, readPast: false },
  { name: 'k9s box', wrap: (l) => `│ ${l}${' '.repeat(7)}│`, readPast: false, anyText: true },
  { name: 'markdown quote', wrap: (l) => `> ${l}`, readPast: false, anyText: true },
  { name: 'indented code block', wrap: (l) => `    ${l}`, readPast: false, anyText: true },
  // A log viewer's row pasted as a markdown table (§W10): a time cell beside it, its pipes escaped.
  { name: 'markdown table row', wrap: (l) => `| 2026-05-20 08:15:44 | ${l.replace(/\|/g, '\\|')} |`, readPast: false, anyText: true },
  // A collector's record (Fluent Bit, a log store's export, §W11): the line under `log`, after other keys.
  { name: 'Fluent Bit record', wrap: (l) => `{"@timestamp":"2026-05-20T08:15:44.123Z","log":${JSON.stringify(`${l}\n`)},"stream":"stderr"}`, readPast: false, anyText: true },
  // Alibaba Cloud's Log Service (Logtail's `content`) and CloudWatch Logs Insights (`@message`): the same records, other keys.
  { name: 'SLS record', wrap: (l) => `{"__time__":"1779264944","__source__":"10.0.0.7","__topic__":"","content":${JSON.stringify(l)}}`, readPast: false, anyText: true },
  { name: 'CloudWatch record', wrap: (l) => `{"@timestamp":"2026-05-20 08:15:44.123","@logStream":"higress-gateway/7d9f8b","@message":${JSON.stringify(l)}}`, readPast: false, anyText: true },
  // Google Cloud Logging's entries shown as JSON, one key a line (§W12).
  { name: 'Cloud Logging export', wrap: (l) => `    "textPayload": ${JSON.stringify(`${l}\n`)},`, readPast: false, anyText: true },
  // A gateway's systemd unit or Docker's journald driver: every line it writes, raw text too (§W7).
  { name: 'journalctl', wrap: (l) => `Dec 07 11:02:03 node-1 higress-gateway[2214]: ${l}`, readPast: false },
  // A host's or a tool's own local time (§W13), and the pod and container names of a multi-pod viewer (stern): peeled
  // only before a gateway line's header, so only the layouts that have one are read behind them.
  { name: 'host time', wrap: (l) => `2025-11-25 13:12:28.243537256  ${l}`, readPast: false, only: GATEWAY_HEADERS },
  { name: 'stern pod and container', wrap: (l) => `higress-gateway-7d9f8b-x2k4p higress-gateway ${l}`, readPast: false, only: GATEWAY_HEADERS },
  { name: 'container name', wrap: (l) => `istio-proxy ${l}`, readPast: false, only: GATEWAY_HEADERS },
  // A log store's CSV export (§W15): every field quoted, a quote inside doubled, a time field beside the line.
  { name: 'CSV export', wrap: (l) => `"2026-05-20T08:15:44.123Z","""istio-proxy""","${l.replace(/"/g, '""')}"`, readPast: false, anyText: true },
  // logcli's default output (§W16): the entry's time, Loki's stream labels, the line.
  { name: 'Loki logcli', wrap: (l) => `2026-05-20T16:15:44+08:00 {container="higress-gateway", namespace="higress-system"} ${l}`, readPast: false, anyText: true },
];

/** Pasted host or Kubernetes output is never behind a collector's wrapper. */
const UNWRAPPED_ONLY = new Set<LayoutId>(['syslog', 'kube']);

function parsed(line: string): LogEvent {
  const events: LogEvent[] = [];
  const a = new Assembler((e) => events.push(e));
  a.beginInput('x.log');
  a.line(line, 1, 0);
  a.flush();
  expect(events.length, line).toBe(1);
  return events[0]!;
}

const sniff = (): HeaderSniff => ({ start: 0, lineStart: 0, layout: null, low: false, quiet: false, crashable: false, wasmLogger: false, messageStart: 0 });

const cases = (Object.entries(LAYOUT_TABLE) as Array<[LayoutId, { samples: readonly LayoutSample[] }]>).flatMap(([id, entry]) =>
  entry.samples.flatMap((sample) => WRAPPERS.filter((w) => (w.only ? w.only.has(id) : w.anyText || !UNWRAPPED_ONLY.has(id))).map((w) => ({ id, sample, w }))),
);

describe('the layout table', () => {
  it('has samples for every layout but unknown', () => {
    expect(Object.keys(LAYOUT_TABLE).sort()).toEqual(LAYOUT_IDS.filter((l) => l !== 'unknown').slice().sort());
    for (const e of Object.values(LAYOUT_TABLE)) expect(e.samples.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [`${c.id}, ${c.w.name}: ${c.sample.line.slice(0, 60)}`, c] as const))('%s', (_name, { id, sample, w }) => {
    const line = w.wrap(sample.line);
    const b = Buffer.from(line);
    // The parser, as the assembler applies it (wrappers peeled first).
    const e = parsed(line);
    expect(e.layout).toBe(id);
    expect(e.level).toBe(sample.level);
    if (sample.logger !== undefined) expect(e.logger).toBe(sample.logger);
    const below = (rank: number): boolean => e.level !== null && LEVEL_RANK[e.level] < rank;

    // The prefilter: a skip names this layout, and only a line no pattern of warning or above can want.
    const fast = classifyFast(b, 0, b.length, literals);
    if (fast !== FAST_CANDIDATE) {
      expect(fast).toBe(id);
      if (id === 'access-json' || id === 'access-text') expect(e.level).toBe('info');
      else expect(below(LEVEL_RANK.warning)).toBe(true);
    }
    // And it does skip the harmless lines, as written and behind the collector times it reads past.
    if (sample.skipped && (w.name === 'as written' || w.name === 'kubectl --timestamps' || w.name === 'CRI')) expect(fast).toBe(id);

    // The context lane's header reading: where it names a layout, it is the parser's, with the same level class.
    const s = w.readPast ? kubectlTimeEnd(b, 0, b.length) : 0;
    const h = sniffHeader(b, s, b.length, sniff());
    if (h.layout !== null) {
      expect(h.layout).toBe(id);
      expect(h.low).toBe(below(LEVEL_RANK.error));
      expect(h.quiet).toBe(below(LEVEL_RANK.warning));
      expect(h.wasmLogger).toBe(e.logger === 'wasm');
    }
    if (isTextAccessRecord(b, s, b.length)) expect(id).toBe('access-text');
    if (isAccessLine(b, s, b.length)) expect(id).toBe('access-json');

    // The line index (kernel and JavaScript contract): what it skips, the prefilter skips as a successful JSON or
    // TEXT access line; it reads past kubectl's time only, and leaves other wrappers to the prefilter.
    for (const native of [true, false]) {
      const index = new LineIndex({ native });
      const input = index.load(Buffer.from(`${line}\n`));
      const n = index.scan(0, input.length, true);
      const skipped = n === 0 && Math.abs(index.tailSkip) === 1;
      if (skipped) expect(fast, `native ${native}`).toBe(index.tailSkip > 0 ? 'access-json' : 'access-text');
      if (w.readPast) expect(skipped, `native ${native}`).toBe(fast === 'access-json' || fast === 'access-text');
    }
  });
});
