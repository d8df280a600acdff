// Coverage of the catalog against the format references: every concrete example line, every
// multi-line example block and every message text (a code span with `<placeholders>` filled in) of
// the markdown files given is run through the real pipeline, and what became of it is printed:
// `none` (no finding), `context` (only a context pattern claimed it) or the cause and pattern of
// its first finding. A measure for auditing the catalog, not a test: a `none` may be an info line
// that is right to raise nothing; the triage of each is a person's.
//
//   node dist/eval/coverage.js ../shared/docs/log-formats.md docs/formats.md [--only none|context|cause] [--json]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadCatalog } from '../src/catalog/load.js';
import { matchEvent } from '../src/catalog/match.js';
import { Pipeline } from '../src/pipeline.js';
import type { Finding } from '../src/model.js';

type Kind = 'line' | 'block' | 'message';

interface Candidate {
  readonly where: string;
  readonly section: string;
  readonly kind: Kind;
  /** What the reference shows (placeholders unfilled). */
  readonly shown: string;
  /** The text run through the pipeline. */
  readonly text: string;
}

interface Outcome {
  readonly result: 'none' | 'context' | 'cause';
  readonly cause: string | null;
  readonly patternId: string | null;
  readonly severity: string | null;
  readonly confidence: number | null;
  /** The first incident at error or above, as `analyze` would rank it. */
  readonly firstGrave: string;
}

// A line a log prints: a layout's header (§L1–§L9) or a raw line the assembler knows.
const HEADER =
  /^(?:\[\d{4}-\d\d-\d\d[ T]\d\d:|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|\[Envoy \(Epoch|\{"(?:ai_log|level)"|[IWEF]\d{4} \d\d:|\[\d\d:\d\d:\d\d:\d{3} - |# Fatal|# Check failed|panic: |fatal error: |Caught [A-Z]|std::terminate)/;

/** Values for the references' `<placeholders>`, by the words in them; the rest become `x`. */
const FILL: Array<[RegExp, string]> = [
  [/url/i, 'http://plugins.example.internal/plugins/key-auth/1.0.0/plugin.wasm'],
  [/type_url/i, 'type.googleapis.com/envoy.config.listener.v3.Listener'],
  [/^type$/i, 'type.googleapis.com/envoy.config.cluster.v3.Cluster'],
  [/ip:port|addr/i, '0.0.0.0:80'],
  [/strerror/i, 'Address already in use'],
  [/strsignal/i, 'Segmentation fault'],
  [/ptr/i, '0x0'],
  [/plugin name|^name$|^plugin$/i, 'higress-system.key-auth-1.0.0'],
  [/module/i, 'wasi_snapshot_preview1'],
  [/scheme/i, 'file'],
  [/^(?:n|i|idx|code|grpc code|got|want|bytes)$/i, '3'],
  [/sig/i, '(i32)->i32'],
  [/path/i, '/etc/istio/proxy/envoy-rev.json'],
  [/cluster/i, 'xds-grpc'],
  [/method/i, 'DeltaAggregatedResources'],
  [/callback|cb|fn/i, 'proxy_on_request_headers'],
  [/proto/i, 'higress-system.key-auth'],
  [/registry|reg/i, 'registry.example.internal'],
  [/repo/i, 'plugins/key-auth'],
  [/tag/i, '1.0.0'],
  [/json|raw|yaml|^v$/i, '{"a":1}'],
  [/condition/i, 'state_.saw_connection_close_'],
  [/what|e|err|error|cause|reason|detail|details|msg|message|text|value|validation error/i, 'something went wrong'],
];

const fill = (s: string): string =>
  s.replace(/<([^<>]{1,40})>/g, (_, name: string) => {
    for (const [re, v] of FILL) if (re.test(name)) return v;
    return 'x';
  });

/** The references' notation: `\t` is a TAB; `(blank)` an empty line. `\n` stays (Higress escapes it). */
const unnote = (s: string): string => s.replace(/\\t/g, '\t');

/** A code span that reads as a message: words, not a path, flag, field name or number. */
function isMessage(span: string): boolean {
  if (span.length < 16) return false;
  if (/^(?:-|\.|\/|\$|%|\w+=|https?:|oci:|type\.googleapis|envoy\.|kubectl|docker|curl|sysctl|oras|npm|node)/.test(span)) return false;
  if (/^[\w./-]+(?:\.(?:go|cc|h|sh|json|yaml|conf|py|java|md|wat|ts))(?::\d+)?$/.test(span)) return false;
  const words = span.split(/\s+/).filter((w) => /[a-z]{2,}/i.test(w));
  return words.length >= 3;
}

function candidates(file: string): Candidate[] {
  const out: Candidate[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  let section = '';
  let fence: { start: number; body: string[] } | null = null;
  const name = basename(file);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (fence) {
      if (/^\s*```/.test(l)) {
        const body = fence.body.map((x) => (x.trim() === '(blank)' ? '' : unnote(x)));
        const logLines = body.filter((x) => HEADER.test(x.trimStart()));
        if (logLines.length > 0) {
          const text = body.join('\n').replace(/^\n+|\n+$/g, '') + '\n';
          out.push({ where: `${name}:${fence.start + 1}`, section, kind: 'block', shown: fence.body.join('\n'), text: fill(text) });
        }
        fence = null;
      } else fence.body.push(l.replace(/^ {2}/, ''));
      continue;
    }
    if (/^\s*```/.test(l)) {
      fence = { start: i, body: [] };
      continue;
    }
    const h = /^#{2,4}\s+(\S+)/.exec(l);
    if (h) section = h[1]!.replace(/\.$/, '');
    else {
      const sub = /^([A-H]\d+|[A-H]-runtime)\.\s/.exec(l);
      if (sub) section = sub[1]!;
    }
    for (const m of l.matchAll(/`([^`]+)`/g)) {
      const span = m[1]!.trim();
      const where = `${name}:${i + 1}`;
      if (HEADER.test(span)) out.push({ where, section, kind: 'line', shown: span, text: fill(unnote(span)) + '\n' });
      else if (isMessage(span)) out.push({ where, section, kind: 'message', shown: span, text: '' });
    }
  }
  return out;
}

// A message text is run as each process that could print it would print it, the section's own first.
type Wrap = 'go' | 'envoy' | 'plugin' | 'supervisord' | 'raw';
const PREFER: Array<[RegExp, Wrap]> = [
  [/^§?(?:A\d*|D5|F4|G6|H|L4|L7|R)$/, 'go'],
  [/^§?C\d*$/, 'plugin'],
  [/^§?(?:L8|D6)$/, 'supervisord'],
];
const WRAPS: Wrap[] = ['go', 'envoy', 'plugin', 'supervisord', 'raw'];
const LOGGER: Array<[RegExp, string]> = [
  [/^§?(?:B|C)/, 'wasm'],
  [/^§?D1/, 'backtrace'],
  [/^§?D2/, 'assert'],
  [/^§?D[34]/, 'main'],
  [/^§?(?:F|G3)/, 'config'],
];

function asLog(c: Candidate, wrap: Wrap): string {
  const msg = fill(unnote(c.shown)).replace(/\\n/g, '\n');
  const logger = LOGGER.find(([re]) => re.test(c.section))?.[1] ?? 'misc';
  switch (wrap) {
    case 'go':
      return `2026-05-20T08:15:42.517302Z\terror\twasm\t${msg}\n\n\n`;
    case 'envoy':
      return `[2026-05-20 08:15:44.031][61][error][${logger}] [external/envoy/source/common/x.cc:41] ${msg}\n\n`;
    case 'plugin':
      return `[2026-05-20 08:15:44.031][61][error][wasm] [external/envoy/source/extensions/common/wasm/context.cc:1519] wasm log: [key-auth] [nil] [nil] ${msg}\n`;
    case 'supervisord':
      return `2026-05-20 10:20:01,512 INFO ${msg}\n`;
    case 'raw':
      return `${msg}\n`;
  }
}

const catalog = loadCatalog();

function run(text: string): Outcome {
  const found: Finding[] = [];
  const p = new Pipeline(catalog, { onEvent: (event) => found.push(...matchEvent(catalog, event)) });
  p.beginInput('reference.log');
  p.push(Buffer.from(text));
  p.endInput();
  const grave = p.snapshot().incidents.find((i) => i.severity === 'error' || i.severity === 'critical');
  const firstGrave = grave ? `${grave.cause}${grave.tier === 'general' ? ' (general)' : ''}` : 'healthy';
  const root = found.find((f) => f.role !== 'context');
  if (root)
    return { result: 'cause', cause: root.cause, patternId: root.patternId, severity: root.severity, confidence: root.confidence, firstGrave };
  const ctx = found[0];
  return { result: ctx ? 'context' : 'none', cause: null, patternId: ctx?.patternId ?? null, severity: null, confidence: null, firstGrave };
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const files = args.filter((a, i) => !a.startsWith("--") && (onlyAt < 0 || i !== onlyAt + 1));
if (files.length === 0) {
  process.stderr.write('usage: node dist/eval/coverage.js FILE.md... [--only none|context|cause] [--json]\n');
  process.exit(2);
}

const seen = new Set<string>();
const rows: Array<Candidate & Outcome> = [];
for (const file of files) {
  for (const c of candidates(file)) {
    const key = c.kind === 'message' ? c.shown : c.text;
    if (seen.has(key)) continue;
    seen.add(key);
    if (c.kind === 'message') {
      // The section's process first; a text only another wrapper makes readable names that wrapper. (Any
      // text behind a plugin's prefix is plugin activity: that wrapper only for the plugin sections.)
      const first = PREFER.find(([re]) => re.test(c.section))?.[1] ?? 'envoy';
      let best: (Outcome & { wrap: Wrap }) | null = null;
      for (const w of [first, ...WRAPS.filter((x) => x !== first && x !== 'plugin')]) {
        const o = run(asLog(c, w));
        if (!best || (o.result === 'cause' && best.result !== 'cause') || (o.result === 'context' && best.result === 'none')) best = { ...o, wrap: w };
        if (o.result === 'cause') break;
      }
      const b = best!;
      rows.push({ ...c, text: asLog(c, b.wrap), ...b, section: b.wrap === first ? c.section : `${c.section}/${b.wrap}` });
    } else rows.push({ ...c, ...run(c.text) });
  }
}

const shown = only ? rows.filter((r) => r.result === only) : rows;
if (json) process.stdout.write(JSON.stringify(shown, null, 1) + '\n');
else {
  for (const r of shown) {
    const what =
      r.result === 'cause' ? `${r.cause} ${r.patternId} ${r.severity} ${r.confidence}` : r.result === 'context' ? `context ${r.patternId}` : 'none';
    const one = r.shown.split('\n').find((x) => x.trim() !== '') ?? '';
    process.stdout.write(`${r.where.padEnd(22)} ${r.section.padEnd(12)} ${r.kind.padEnd(7)} ${what.padEnd(50)} first=${r.firstGrave}\n    ${one.slice(0, 180)}\n`);
  }
}
const count = (k: string, kind?: Kind): number => rows.filter((r) => r.result === k && (!kind || r.kind === kind)).length;
const kinds: Kind[] = ['line', 'block', 'message'];
process.stderr.write(
  `${rows.length} examples (${kinds.map((k) => `${rows.filter((r) => r.kind === k).length} ${k}s`).join(', ')}): ` +
    `${count('cause')} read as a cause, ${count('context')} only context, ${count('none')} no finding` +
    ` [${kinds.map((k) => `${k}: ${count('cause', k)}/${count('context', k)}/${count('none', k)}`).join('; ')}]\n`,
);
