// Evaluation of secretlint (@secretlint/core with @secretlint/secretlint-rule-preset-recommend, 12.0.0: the last
// release that runs on Node 20) as a second detector beside src/report/redact.ts. Not a dependency of the project:
// install it in a scratch folder and point SECRETLINT_FROM at it.
//
//   (cd <scratch> && npm i @secretlint/core@12.0.0 @secretlint/secretlint-rule-preset-recommend@12.0.0)
//   npm run build && SECRETLINT_FROM=<scratch> node bench/secretlint-eval.mjs [--big bench/out/gateway-100MB.log]
//
// It prints: the load time; which planted values of the ticket corpus each detector finds; a synthetic line per
// vendor token shape the preset knows, and whether the redactor alone hides it; what secretlint still finds in the
// redacted reports (what the rules miss); and the cost on a big log (generate one with dist/bench/generate.js).
// Results and the decision: docs/redaction.md.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRedactor } from '../dist/src/report/redact.js';
import { stripControls } from '../dist/src/report/sanitize.js';
import { loadCatalog } from '../dist/src/catalog/load.js';
import { Pipeline } from '../dist/src/pipeline.js';
import { renderMarkdown } from '../dist/src/report/markdown.js';

const ROOT = new URL('..', import.meta.url).pathname;
const from = process.env.SECRETLINT_FROM;
if (!from) {
  process.stderr.write('set SECRETLINT_FROM to the folder where @secretlint/core is installed\n');
  process.exit(2);
}
const req = createRequire(join(from, 'package.json'));
const t0 = performance.now();
const { lintSource } = await import(pathToFileURL(req.resolve('@secretlint/core')).href);
const { creator: preset } = await import(pathToFileURL(req.resolve('@secretlint/secretlint-rule-preset-recommend')).href);
const loadMs = performance.now() - t0;
const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset }] };

/** secretlint's findings in `text`: [start, end) ranges. */
async function lint(text) {
  const r = await lintSource({ source: { content: text, filePath: 'report.txt', contentType: 'text' }, options: { config, noPhysicFilePath: true } });
  return r.messages.map((m) => ({ range: m.range, rule: m.messageId }));
}
const covered = (text, findings, value) => {
  for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) {
    if (!findings.some((f) => f.range[0] < at + value.length && f.range[1] > at)) return false;
  }
  return true;
};

const catalog = loadCatalog();
function report(log) {
  const p = new Pipeline(catalog, { contextLane: true });
  p.beginInput('gateway.log');
  p.push(Buffer.from(log));
  p.endInput();
  return p.snapshot();
}

console.log(`secretlint load (core + recommended preset): ${loadMs.toFixed(0)} ms`);

// 1. The ticket corpus: which planted values each detector finds in the unredacted report.
const tickets = join(ROOT, 'test/fixtures/tickets');
const planted = readFileSync(join(tickets, 'planted.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => l.split('\t'));
let slFound = 0;
let ruleFound = 0;
const slShapes = new Set();
for (const file of [...new Set(planted.map((p) => p[0]))]) {
  const log = readFileSync(join(tickets, file), 'utf8');
  const d = report(log);
  const raw = renderMarkdown(d, { redact: false });
  const findings = await lint(raw);
  const redacted = renderMarkdown(d);
  for (const [f, shape, value] of planted.filter((p) => p[0] === file)) {
    if (covered(raw, findings, value)) {
      slFound++;
      slShapes.add(shape);
    }
    if (!redacted.includes(value)) ruleFound++;
  }
}
console.log(`ticket corpus: ${planted.length} planted values; redact.ts hides ${ruleFound}, secretlint finds ${slFound} (${slShapes.size} shapes: ${[...slShapes].join(', ')})`);

// 2. Vendor token shapes of the preset, each alone in a plugin log line (no name before it): made-up values.
const R = (alphabet, n, seed) => {
  let a = seed >>> 0;
  let s = '';
  for (let i = 0; i < n; i++) {
    a = (a * 1103515245 + 12345) >>> 0;
    s += alphabet[(a >>> 8) % alphabet.length];
  }
  return s;
};
const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const L = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const vendor = {
  'AWS access key id': `AKIA${R(U, 16, 1)}`,
  'AWS role id (an id, not a secret)': `AROA${R(U, 16, 2)}`,
  'GitHub classic token': `ghp_${R(A, 36, 3)}`,
  'GitHub fine-grained token': `github_pat_${R(A, 82, 4)}`,
  'GitLab token': `glpat-${R(A, 20, 5)}`,
  'npm token': `npm_${R(A, 36, 6)}`,
  'Slack bot token': `xoxb-${R('0123456789', 12, 7)}-${R('0123456789', 12, 8)}-${R(A, 24, 9)}`,
  'Slack webhook': `https://hooks.slack.com/services/T${R(U, 8, 10)}/B${R(U, 8, 11)}/${R(A, 24, 12)}`,
  'OpenAI project key': `sk-proj-${R(A, 58, 13)}T3BlbkFJ${R(A, 58, 14)}`,
  'Anthropic key': `sk-ant-api03-${R(A, 93, 15)}AA`,
  'Groq key': `gsk_${R(A, 52, 16)}`,
  'Hugging Face token': `hf_${R(L, 34, 17)}`,
  'Linear key': `lin_api_${R(A, 40, 18)}`,
  'Notion token': `ntn_${R('0123456789', 11, 19)}${R(A, 35, 20)}`,
  'SendGrid key': `SG.${R(A, 22, 21)}.${R(A, 43, 22)}`,
  'Shopify token': `shpat_${R('0123456789abcdef', 32, 23)}`,
  'Grafana cloud token': `glc_${R(A, 48, 24)}`,
  'Grafana service account': `glsa_${R(A, 32, 25)}_${R('0123456789abcdef', 8, 26)}`,
  '1Password service token': `ops_eyJ${R(A, 120, 27)}fQ==`,
  'Vault service token': `hvs.${R(A, 95, 28)}`,
  'Vercel token': `vcp_${R(A, 40, 29)}`,
  'Databricks token': `dapi${R('0123456789abcdef', 32, 30)}`,
  'Docker hub PAT': `dckr_pat_${R(A, 27, 31)}`,
  'Figma token': `figd_${R(A, 40, 32)}`,
  'database URL credentials': `mongodb://app:${R(A, 12, 33)}@db.corp.example:27017/orders`,
};
/** The part of each that must not survive (a URL's password, else the token's tail). */
const secretOf = (name, token) => (name === 'database URL credentials' ? token.slice(14, 26) : token.slice(-12));
let bothMiss = 0;
console.log('\nvendor shape, alone in a line          redact.ts  secretlint');
for (const [name, token] of Object.entries(vendor)) {
  const line = `[2026-05-20 09:10:01.101][58][error][wasm] [context.cc:1519] wasm log: [ai-proxy] [nil] [nil] upstream said ${token} was rejected`;
  const hidden = !createRedactor().text(line).includes(secretOf(name, token));
  const found = covered(line, await lint(line), secretOf(name, token));
  if (!hidden && !found) bothMiss++;
  console.log(`${name.padEnd(40)} ${hidden ? 'hidden' : 'LEAKS '}     ${found ? 'found' : '-'}`);
}

// 3. What secretlint still finds in reports redacted by redact.ts (what the rules let through).
const logs = [
  ...readdirSync(tickets).filter((f) => f.endsWith('.log')).map((f) => join(tickets, f)),
  ...readdirSync(join(ROOT, 'samples')).filter((f) => f.endsWith('.log')).map((f) => join(ROOT, 'samples', f)),
  ...readdirSync(join(ROOT, 'test/corpus')).filter((f) => f.endsWith('.log')).map((f) => join(ROOT, 'test/corpus', f)),
];
let residue = 0;
for (const f of logs) {
  const md = renderMarkdown(report(readFileSync(f, 'utf8')));
  for (const x of await lint(md)) {
    residue++;
    console.log(`  residue in ${f.slice(ROOT.length)}: ${x.rule}`);
  }
}
const unitCorpus = stripControls(readFileSync(join(ROOT, 'test/fixtures/secrets/corpus.log'), 'utf8'), { keepNewlines: true });
for (const x of await lint(createRedactor().text(unitCorpus))) {
  residue++;
  console.log(`  residue in test/fixtures/secrets/corpus.log: ${x.rule}`);
}
console.log(`\nsecretlint findings in ${logs.length + 1} redacted reports/texts: ${residue}`);

// 4. Cost on a big log: secretlint over all of it (1 MiB pieces, whole lines), redact.ts over all of it (line by
//    line), and either over the Markdown report of it (what a report would actually pass through).
const bigAt = process.argv.indexOf('--big');
if (bigAt !== -1) {
  const file = process.argv[bigAt + 1];
  const text = readFileSync(file, 'utf8');
  const mb = Buffer.byteLength(text) / 1e6;
  let t = performance.now();
  let n = 0;
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + (1 << 20));
    const nl = text.indexOf('\n', end);
    end = nl === -1 ? text.length : nl + 1;
    n += (await lint(text.slice(at, end))).length;
    at = end;
  }
  const slMs = performance.now() - t;
  t = performance.now();
  const r = createRedactor();
  for (const line of text.split('\n')) r.text(line);
  const rdMs = performance.now() - t;
  t = performance.now();
  const md = renderMarkdown(report(text), { redact: false });
  const pipeMs = performance.now() - t;
  t = performance.now();
  await lint(md);
  const slReportMs = performance.now() - t;
  t = performance.now();
  renderMarkdown(report(text));
  const withRedactMs = performance.now() - t;
  console.log(`\n${file}: ${mb.toFixed(0)} MB`);
  console.log(`  secretlint over every line:  ${(slMs / 1000).toFixed(1)} s (${(mb / (slMs / 1000)).toFixed(1)} MB/s), ${n} findings`);
  console.log(`  redact.ts over every line:   ${(rdMs / 1000).toFixed(1)} s (${(mb / (rdMs / 1000)).toFixed(1)} MB/s)`);
  console.log(`  analysis + Markdown, no redaction: ${pipeMs.toFixed(0)} ms; with redaction: ${withRedactMs.toFixed(0)} ms (in-process, single thread)`);
  console.log(`  secretlint over that report (${(Buffer.byteLength(md) / 1024).toFixed(0)} KiB): ${slReportMs.toFixed(1)} ms`);
}
console.log(`\nvendor shapes both miss: ${bothMiss}`);
