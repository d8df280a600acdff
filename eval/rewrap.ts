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
};

const catalog = loadCatalog();

function firstGraveCause(text: string): string {
  const p = new Pipeline(catalog, { contextLane: true });
  p.beginInput('paste.log');
  p.push(Buffer.from(text));
  p.endInput();
  const grave = p.snapshot().incidents.find((i) => i.severity === 'error' || i.severity === 'critical');
  return grave ? grave.cause : 'healthy';
}

const dirs = process.argv.slice(2);
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
  process.stdout.write(`  ${w.padEnd(22)} ${list.length}\n`);
  for (const x of list) process.stdout.write(`      ${x}\n`);
}
