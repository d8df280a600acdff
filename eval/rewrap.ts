// How firmly the diagnosis of a real excerpt holds when the same lines arrive wrapped another way: each
// `.log` of the folders given is diagnosed as it is and again behind each wrapper below, and every excerpt
// whose first grave cause (error or above; none = healthy) changes is listed. Real logs reach us through
// collectors, terminals and issue trackers: a wrapper that changes causes is a class of miss waiting for
// the held-out set. A measure, not a test (the suite never reads eval/real).
//
//   node dist/eval/rewrap.js eval/real/set5 ../shared/real-logs …
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog } from '../src/catalog/load.js';
import { Pipeline } from '../src/pipeline.js';

const lines = (t: string, f: (line: string, i: number) => string): string =>
  t
    .split('\n')
    .map((l, i) => (l ? f(l, i) : l))
    .join('\n');

/** The ways a pasted log comes wrapped (docs/formats.md §W, and what issue trackers do to it). */
const WRAPPERS: Record<string, (text: string) => string> = {
  'docker compose': (t) => lines(t, (l) => `higress-gateway-1  | ${l}`),
  'markdown quote': (t) => lines(t, (l) => `> ${l}`),
  CRLF: (t) => t.replace(/\n/g, '\r\n'),
  'TABs as spaces': (t) => t.replace(/\t/g, '    '),
  'kubectl --timestamps': (t) => lines(t, (l, i) => `2025-01-02T03:04:${String(5 + (i % 50)).padStart(2, '0')}.123456789Z ${l}`),
  'indented 4': (t) => lines(t, (l) => `    ${l}`),
  'k9s box': (t) => lines(t, (l) => `│ ${l.padEnd(160)} │`),
  journalctl: (t) => lines(t, (l) => `Jan 02 03:04:05 node-1 higress[1234]: ${l}`),
  'markdown table': (t) => lines(t, (l) => `| 2025-01-02 03:04:05.678 | ${l.replace(/\|/g, '\\|')} |`),
  'Fluent Bit record': (t) => lines(t, (l) => `{"@timestamp":"2025-01-02T03:04:05.678Z","log":${JSON.stringify(`${l}\n`)},"stream":"stderr"}`),
  'Cloud Logging export': (t) => lines(t, (l) => `    "textPayload": ${JSON.stringify(`${l}\n`)},`),
  'host time': (t) => lines(t, (l, i) => `2025-01-02 03:04:${String(5 + (i % 50)).padStart(2, '0')}.123456789  ${l}`),
  'stern pod container': (t) => lines(t, (l) => `higress-gateway-7d9f8b-x2k4p higress-gateway ${l}`),
  'CSV export': (t) => lines(t, (l, i) => `"2025-01-02T03:04:${String(5 + (i % 50)).padStart(2, '0')}.123Z","""istio-proxy""","${l.replace(/"/g, '""')}"`),
  'Loki logcli': (t) => lines(t, (l) => `2025-01-02T11:04:05+08:00 {container="higress-gateway", namespace="higress-system", pod="higress-gateway-7d9f8b-x2k4p"} ${l}`),
  // A terminal (or a narrow `kubectl logs` window) breaks a long line at its width; some paste tools indent the rest.
  'hard wrap 80': (t) => hardWrap(t, 80, ''),
  'hard wrap 120': (t) => hardWrap(t, 120, ''),
  'hard wrap 200': (t) => hardWrap(t, 200, ''),
  'hard wrap 120 indented': (t) => hardWrap(t, 120, '  '),
  // The files under /var/log/pods (kubelet's CRI logging format): RFC3339Nano time, stream, F (full) or P (partial).
  // containerd splits a line longer than max_container_log_line_size (16 KiB) into P pieces ending with an F piece.
  'CRI log file': (t) => t.split('\n').map((l, i) => (l ? criPieces(l, i, 16384) : l)).join('\n'),
  // The same with a small split size: every long line arrives as P pieces (CRI-O's and containerd's size is a setting).
  'CRI partial 100': (t) => t.split('\n').map((l, i) => (l ? criPieces(l, i, 100) : l)).join('\n'),
  // Docker's json-file driver (/var/lib/docker/containers/<id>/<id>-json.log): the line with its newline under `log`.
  'docker json-file': (t) => lines(t, (l, i) => JSON.stringify({ log: `${l}\n`, stream: 'stderr', time: nanoTime(i) })),
  'kubectl --prefix': (t) => lines(t, (l) => `[pod/higress-gateway-7d9f8b-x2k4p/higress-gateway] ${l}`),
  // Alibaba Cloud SLS, a Logtail container-stdout record as the console's JSON view or `aliyunlog log get_log_all` gives it:
  // reserved __time__/__source__/__topic__, Logtail's _time_/_source_/_pod_name_/…, the raw line under `content`.
  'SLS record': (t) => lines(t, (l, i) => JSON.stringify(slsRecord(l, i))),
  'SLS record pretty': (t) => lines(t, (l, i) => JSON.stringify(slsRecord(l, i), null, 2)),
  // Filebeat's ECS event (its `log` is an object: the file and offset), and the same in an Elasticsearch hit
  // (`_source`) as Kibana's "JSON" tab or `GET …/_search` shows it, one a line and pretty-printed.
  'Filebeat event': (t) => lines(t, (l, i) => JSON.stringify(filebeatEvent(l, i))),
  'Elasticsearch hit': (t) => lines(t, (l, i) => JSON.stringify(esHit(l, i))),
  'Elasticsearch hit pretty': (t) => lines(t, (l, i) => JSON.stringify(esHit(l, i), null, 2)),
  // A web console that shows the text HTML-escaped, copied as it shows it.
  'HTML-escaped': (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
  // Numbered lines: `cat -n` (six columns, a TAB), `grep -n` (`12:`), a pager's gutter (`  12 | `).
  'cat -n': (t) => numbered(t, (n) => `${String(n).padStart(6)}\t`),
  'grep -n': (t) => numbered(t, (n) => `${n}:`),
  'numbered gutter': (t) => numbered(t, (n) => `${String(n).padStart(4)} | `),
  // The command that printed the log, pasted with it.
  'shell prompt': (t) => `$ kubectl logs -n higress-system deploy/higress-gateway --tail=200\n${t}`,
};

/** Every line of the text numbered, blank ones too; the newline that ends the text starts no line. */
function numbered(t: string, prefix: (n: number) => string): string {
  const body = t.endsWith('\n') ? t.slice(0, -1) : t;
  return body.split('\n').map((l, i) => `${prefix(i + 1)}${l}`).join('\n') + (body === t ? '' : '\n');
}

const nanoTime = (i: number): string => `2025-01-02T03:04:${String(5 + (i % 50)).padStart(2, '0')}.123456789Z`;

/** A line broken at a terminal's width, the rest of it on further lines (after an indent, where a tool adds one). */
function hardWrap(t: string, width: number, indent: string): string {
  return t
    .split('\n')
    .map((l) => {
      if (l.length <= width) return l;
      const parts = [l.slice(0, width)];
      for (let p = width; p < l.length; p += width - indent.length) parts.push(indent + l.slice(p, p + width - indent.length));
      return parts.join('\n');
    })
    .join('\n');
}

/** One line as CRI log records: P pieces of `size` characters, then the F piece with the rest. */
function criPieces(l: string, i: number, size: number): string {
  const out: string[] = [];
  let p = 0;
  for (; l.length - p > size; p += size) out.push(`${nanoTime(i)} stderr P ${l.slice(p, p + size)}`);
  out.push(`${nanoTime(i)} stderr F ${l.slice(p)}`);
  return out.join('\n');
}

function slsRecord(l: string, i: number): Record<string, string> {
  return {
    __source__: '10.0.0.12',
    __tag__: '__hostname__:cn-hangzhou.10.0.0.12',
    __time__: String(1735787045 + i),
    __topic__: '',
    _container_ip_: '172.20.0.15',
    _container_name_: 'higress-gateway',
    _image_name_: 'higress-registry.cn-hangzhou.cr.aliyuncs.com/higress/gateway:2.0.7',
    _namespace_: 'higress-system',
    _pod_name_: 'higress-gateway-7d9f8b-x2k4p',
    _pod_uid_: '0b7c2f0e-5a57-4d0c-9f7e-2c1a4b7d9e11',
    _source_: 'stderr',
    _time_: nanoTime(i),
    content: l,
  };
}

function filebeatEvent(l: string, i: number): Record<string, unknown> {
  return {
    '@timestamp': nanoTime(i).replace(/\d{6}Z$/, 'Z'),
    log: { offset: 1024 * i, file: { path: '/var/log/containers/higress-gateway-7d9f8b-x2k4p_higress-system_higress-gateway-0123abcd.log' } },
    stream: 'stderr',
    message: l,
    input: { type: 'container' },
    kubernetes: { namespace: 'higress-system', pod: { name: 'higress-gateway-7d9f8b-x2k4p' }, container: { name: 'higress-gateway' } },
    ecs: { version: '8.0.0' },
  };
}

function esHit(l: string, i: number): Record<string, unknown> {
  return { _index: '.ds-logs-generic-default-2025.01.02-000001', _id: `Xy${i}Zq0BcdEfGh`, _version: 1, _score: null, _source: filebeatEvent(l, i) };
}

const catalog = loadCatalog();

function firstGraveCause(text: string): string {
  const p = new Pipeline(catalog, { contextLane: true });
  p.beginInput('paste.log');
  p.push(Buffer.from(text));
  p.endInput();
  const grave = p.snapshot().incidents.find((i) => i.severity === 'error' || i.severity === 'critical');
  return grave ? grave.cause : 'healthy';
}

// `--only a,b`: just those wrappers (names as listed), to measure one class quickly.
const argv = process.argv.slice(2);
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set(argv.splice(onlyAt, 2)[1]!.split(',')) : null;
for (const w of Object.keys(WRAPPERS)) if (only && !only.has(w)) delete WRAPPERS[w];
const dirs = argv;
if (dirs.length === 0) {
  process.stderr.write('usage: node dist/eval/rewrap.js DIR...\n');
  process.exit(2);
}
const changed = new Map<string, string[]>(Object.keys(WRAPPERS).map((k) => [k, []]));
let files = 0;
for (const dir of dirs) {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.log')).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    const as = firstGraveCause(text);
    files++;
    for (const [w, wrap] of Object.entries(WRAPPERS)) {
      const behind = firstGraveCause(wrap(text));
      if (behind !== as) changed.get(w)!.push(`${name}: ${as} → ${behind}`);
    }
  }
}
process.stdout.write(`${files} excerpts; first grave cause changed behind each wrapper:\n`);
for (const [w, list] of changed) {
  process.stdout.write(`  ${w.padEnd(26)} ${list.length}\n`);
  for (const x of list) process.stdout.write(`      ${x}\n`);
}
