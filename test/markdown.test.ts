// The Markdown report (`--format markdown`, the `e` export of `tail`): golden reports for three samples, its
// structure as a Markdown parser sees it (markdown-it, GFM tables, HTML allowed as on GitHub), hostile log text,
// redaction defaults and the size cap.
//
// Golden files: test/golden/markdown/<sample>.md, made by the built CLI (`npm run build` first; `npm test` does
// it). Only the tool version is normalised. After an intended change, regenerate and READ the diff:
//   npm run build && UPDATE_GOLDEN=1 npx vitest run test/markdown.test.ts
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { describe, expect, it } from 'vitest';
import type { Diagnosis, Incident, UnclassifiedGroup } from '../src/model.js';
import { renderMarkdown, DEFAULT_MAX_BYTES } from '../src/report/markdown.js';
import { createRedactor, redactDiagnosis } from '../src/report/redact.js';
import { stripControls, truncateDisplay } from '../src/sanitize.js';
import { ROOT, runCli } from './helpers/cli.js';

const GOLDEN = join(ROOT, 'test/golden/markdown');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const SAMPLES = ['offline-seed-incident', 'wasm-fetch-bad-address-plugin-server-404', 'wasm-plugin-config-invalid-json'];

const md = new MarkdownIt({ html: true });
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const normalise = (s: string): string => s.replace(/^- Tool: higress-doctor \S+$/m, '- Tool: higress-doctor X.Y.Z');

// ---------------------------------------------------------------------------------------------------------------
// What a Markdown parser sees

interface Shape {
  h1: string[];
  h2: string[];
  /** Rows of each table (header excluded), as cell texts. */
  tables: string[][][];
  fences: { info: string; content: string }[];
  htmlTokens: Token[];
  links: string[];
  images: number;
  /** Text inside emphasis/strong/strikethrough (the renderer only emits its own bold). */
  emphasis: string[];
  blockquotes: string[];
}

/** Plain text of an inline token: text and code spans, as a reader sees them. */
function inlineText(t: Token | undefined): string {
  return (t?.children ?? []).map((c) => (c.type === 'text' || c.type === 'code_inline' ? c.content : c.type === 'softbreak' ? '\n' : '')).join('');
}

function shape(text: string): Shape {
  const tokens = md.parse(text, {});
  const s: Shape = { h1: [], h2: [], tables: [], fences: [], htmlTokens: [], links: [], images: 0, emphasis: [], blockquotes: [] };
  let row: string[] | null = null;
  let inBody = false;
  let quote = 0;
  tokens.forEach((t, k) => {
    // Deeper headings are recorded as `<h3>` etc. among the h2s, so a check of the h2 list catches them.
    if (t.type === 'heading_open') (t.tag === 'h1' ? s.h1 : s.h2).push(t.tag === 'h1' || t.tag === 'h2' ? inlineText(tokens[k + 1]) : `<${t.tag}>`);
    if (t.type === 'table_open') s.tables.push([]);
    if (t.type === 'tbody_open') inBody = true;
    if (t.type === 'tbody_close') inBody = false;
    if (t.type === 'tr_open' && inBody) row = [];
    if (t.type === 'td_open' && row) row.push(inlineText(tokens[k + 1]));
    if (t.type === 'tr_close' && row) {
      s.tables[s.tables.length - 1]!.push(row);
      row = null;
    }
    if (t.type === 'fence' || t.type === 'code_block') s.fences.push({ info: t.type === 'fence' ? t.info : '(indented)', content: t.content });
    if (t.type === 'html_block' || t.type === 'html_inline') s.htmlTokens.push(t);
    if (t.type === 'blockquote_open') quote++;
    if (t.type === 'blockquote_close') quote--;
    if (t.type === 'inline' && quote > 0) s.blockquotes.push(inlineText(t));
    if (t.type === 'inline') {
      let open = 0;
      let buf = '';
      for (const c of t.children ?? []) {
        if (c.type === 'html_inline') s.htmlTokens.push(c);
        if (c.type === 'link_open') s.links.push(c.attrGet('href') ?? '');
        if (c.type === 'image') s.images++;
        if (c.type === 'em_open' || c.type === 'strong_open' || c.type === 's_open') open++;
        else if (c.type === 'em_close' || c.type === 'strong_close' || c.type === 's_close') {
          if (--open === 0) {
            s.emphasis.push(buf);
            buf = '';
          }
        } else if (open > 0) buf += c.content;
      }
    }
  });
  return s;
}

/** The checks every report must pass, whatever the log said. */
function expectWellFormed(text: string, d: { incidents: number; sections?: number; unclassifiedRows?: number }): Shape {
  const s = shape(text);
  expect(s.htmlTokens.map((t) => t.content)).toEqual([]);
  expect(s.images).toBe(0);
  expect(s.h1).toEqual(['Higress gateway diagnosis']);
  // Headings: the fixed ones and one per incident section, nothing else.
  const incidentHeadings = s.h2.filter((h) => /^\d+\. /.test(h));
  expect(s.h2.filter((h) => !/^\d+\. /.test(h)).every((h) => h === 'Environment' || h === 'Unexplained errors')).toBe(true);
  expect(incidentHeadings.map((h) => Number(h.split('.')[0]))).toEqual(Array.from({ length: d.sections ?? d.incidents }, (_, n) => n + 1));
  if (d.incidents > 0) {
    const summary = s.tables[0]!;
    expect(summary).toHaveLength(d.incidents);
    for (const r of summary) expect(r).toHaveLength(8);
    expect(summary.map((r) => r[0])).toEqual(Array.from({ length: d.incidents }, (_, n) => String(n + 1)));
  }
  if (d.unclassifiedRows !== undefined && d.unclassifiedRows > 0) {
    const t = s.tables[d.incidents > 0 ? 1 : 0]!;
    expect(t).toHaveLength(d.unclassifiedRows);
    for (const r of t) expect(r).toHaveLength(4);
  }
  // Links: only the docs links the renderer writes.
  for (const l of s.links) expect(l).toMatch(/^https:\/\/github\.com\/higress-doctor\/higress-doctor\/blob\/main\/docs\/causes\.md#[a-z-]+$/);
  // Emphasis: only the renderer's own bold.
  for (const e of s.emphasis) expect(e).toMatch(/^(?:\d+ incidents?|Shortened.*|off)$/);
  for (const f of s.fences) expect(f.info).toBe('text');
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Golden reports of bundled samples (the real CLI: pipeline, analyze.ts redaction, renderer)

describe('golden Markdown reports', () => {
  for (const name of SAMPLES) {
    it(`${name}.log`, () => {
      const sample = `samples/${name}.log`;
      expect(existsSync(join(ROOT, sample)), `${sample} is missing`).toBe(true);
      const r = runCli(['analyze', sample, '--format', 'markdown']);
      expect(r.stderr).toBe('');
      const json = JSON.parse(runCli(['analyze', sample, '--format', 'json', '--redact']).stdout) as {
        incidents: { evidence: unknown[]; title: string }[];
        unclassified: unknown[];
      };
      const actual = normalise(r.stdout);
      const file = join(GOLDEN, `${name}.md`);
      if (UPDATE) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, actual);
      }
      expect(existsSync(file), `no golden file ${file}: run UPDATE_GOLDEN=1 npx vitest run test/markdown.test.ts`).toBe(true);
      expect(actual).toBe(readFileSync(file, 'utf8'));
      // The golden report is also well-formed and complete for its diagnosis.
      const s = expectWellFormed(actual, {
        incidents: json.incidents.length,
        unclassifiedRows: Math.min(20, json.unclassified.length),
      });
      const evidenceFences = s.fences.length - (json.unclassified.length > 0 ? 1 : 0);
      expect(evidenceFences).toBe(json.incidents.filter((i) => i.evidence.length > 0).length);
      expect(bytes(actual)).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
      expect(actual).toMatch(/^Redact(?:ed: .+|ion: on; nothing to redact was found\.)$/m);
      expect(actual).toContain(`Command: \`higress-doctor analyze ${sample} --format markdown\``);
    });
  }

  it('the seed incident reads as expected', () => {
    const text = readFileSync(join(GOLDEN, 'offline-seed-incident.md'), 'utf8');
    // The demo's story: the crash first, the 404s of the URL pattern without ${name} next; the plugin server's
    // address is redacted, the Envoy version and plugin name are not.
    expect(text).toMatch(/^\| 1 \| critical \| `wasm-plugin-crash` \| plugin `mcp-server` \|/m);
    expect(text).toMatch(/^\| 2 \| error \| `wasm-fetch-bad-address` \| url `http:\/\/<ip-1>:8080\/plugin\.wasm` \| 18 \|/m);
    expect(text).not.toContain('192.168.10.20');
    expect(text).toContain('1.36.4-dev');
    expect(text).toContain('Redacted: 1 IP.');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Hostile log text

function incident(n: number, over: Partial<Incident> = {}): Incident {
  return {
    id: `id${n}`,
    cause: 'wasm-fetch-bad-address',
    category: 'address',
    severity: 'error',
    confidence: 0.9,
    title: `Incident ${n}`,
    subject: { plugin: `p${n}` },
    count: 1,
    firstSeen: '2026-05-20T08:00:00Z',
    lastSeen: '2026-05-20T08:01:00Z',
    evidence: [{ input: 'gw.log', line: n, text: `line ${n}` }],
    alternatives: [],
    remediation: ['Fix it.'],
    // A pattern each: these are separate failures, not one family (report/families.ts groups those).
    patterns: [`HD-TEST-${String(n).padStart(3, '0')}`],
    explanation: 'Because.',
    notes: [],
    rootOf: null,
    firstSeq: n,
    lastSeq: n,
    ...over,
  };
}

function diagnosis(incidents: Incident[], unclassified: UnclassifiedGroup[] = [], over: Partial<Diagnosis> = {}): Diagnosis {
  return {
    inputs: [{ name: 'gw.log', lines: 10, bytes: 1000 }],
    stats: { lines: 10, events: 5, unparsed: 0, cutLines: 0, layouts: {} },
    environment: { envoyVersion: '1.36.4-dev', higressVersion: '2.2.x', logLayouts: ['envoy'], plugins: [], timeWindow: { first: null, last: null } },
    incidents,
    unclassified,
    unclassifiedOther: 0,
    harmless: [],
    ...over,
  };
}

const EVIL_TITLE =
  'boom | cell\n# Injected heading <script>alert(1)</script> <ip-1> @octocat #12 $x+y$ **bold** _em_ ~~gone~~ [link](http://e.vil) ![i](http://e.vil/i.png) &lt; \\| \u001b[31mred\u001b[0m';
const EVIL_LINES = [
  '```` a fence breaker, then ``` alone:',
  '```',
  '~~~',
  '</details><img src=x onerror=alert(1)>',
  '| a | b |\n|---|---|\n| injected | row |',
  '\u001b]8;;http://e.vil\u0007click\u001b]8;;\u0007 \u202eevil\u202c',
];

describe('log text cannot change the document', () => {
  const evil = diagnosis(
    [
      incident(1, {
        title: EVIL_TITLE,
        subject: { plugin: 'a|b\\|c`d``e\n- item', url: 'http://h/p?x=`|<b>' },
        evidence: EVIL_LINES.map((text, k) => ({ input: 'g`w|.log', line: k + 1, text })),
        explanation: '<details><summary>x</summary>\n# not a heading',
        notes: ['- not a list', '1. not ordered', '---', '===', '    indented'],
        remediation: ['<img src=x onerror=alert(1)>', '# heading', '> quote', '2) item'],
        alternatives: [{ cause: 'wasm-fetch-network', confidence: 0.1 }],
        firstSeen: '2026|x\n#',
        crash: { signal: 'SIG|<b>', envoyVersion: '1.2|`x`', frames: [] },
      }),
      incident(2, { rootOf: 'id1', title: '--- \n===' }),
    ],
    [
      { template: 'a | b | c\nnew row | x |', count: 3, level: 'error', example: { input: 'gw.log', line: 9, text: '<b>bold</b> ``` ` and @someone' } },
      { template: '`', count: 1, level: null, example: { input: 'gw.log', line: 10, text: '' } },
    ],
    {
      inputs: [{ name: 'we|ird`name\n# x.log', lines: 1, bytes: 1, error: 'truncated <gzip>' }],
      environment: { envoyVersion: '1.2|<b>', higressVersion: null, logLayouts: ['envoy'], plugins: ['p|<i>', '@team'], timeWindow: { first: '2026|x', last: 'y<z>' } },
    },
  );

  for (const redact of [true, false]) {
    it(`parses to the intended structure (redaction ${redact ? 'on' : 'off'})`, () => {
      const text = renderMarkdown(evil, { command: 'higress-doctor analyze `x` | cat', redact });
      const s = expectWellFormed(text, { incidents: 2, unclassifiedRows: 2 });
      // Titles survive as text, on one line, escape sequences gone.
      const h = s.h2.filter((x) => /^\d+\. /.test(x));
      expect(h[0]).toContain('boom | cell # Injected heading <script>alert(1)</script>');
      expect(h[0]).toContain('[link](http://e.vil)');
      expect(h[0]).toContain('red');
      expect(h[0]).not.toContain('\u001b');
      expect(h[1]).toBe('2. --- ===');
      // Every evidence line is one line of one fence, whole; the fence is not broken by backtick runs.
      const fence = s.fences.find((f) => f.content.includes('fence breaker'))!;
      expect(fence.content.split('\n').filter(Boolean)).toHaveLength(EVIL_LINES.length);
      expect(fence.content).toContain('g`w|.log:1: ```` a fence breaker, then ``` alone:');
      expect(fence.content).toContain('g`w|.log:2: ```\n');
      expect(fence.content).toContain('| a | b |␊|---|---|␊| injected | row |');
      expect(fence.content).not.toMatch(/[\u001b\u0007\u202e]/);
      // Table cells hold the log text, pipes and all.
      const [row1, row2] = s.tables[0]!;
      expect(row1![3]).toContain('a|b');
      expect(row1![3]).toContain('- item');
      expect(row1![5]).toBe('2026|x #');
      expect(row2![2]).toBe('wasm-fetch-bad-address (knock-on of incident 1)');
      const unc = s.tables[1]!;
      expect(unc[0]![2]).toBe('a | b | c new row | x |');
      expect(unc[1]![2]).toBe('`');
      // Mentions and issue references are code, not links or pings.
      expect(text).toContain('`@octocat`');
      expect(text).toContain('`#12`');
      expect(text).toContain('`@team`');
      // Notes and remediation stay list items of the renderer's lists.
      expect(text).toMatch(/^- \\- not a list$/m);
      expect(text).toMatch(/^- 1\\\. not ordered$/m);
      expect(text).toMatch(/^1\. \\<img src=x onerror=alert\(1\)\\>$/m);
      expect(text).toMatch(/^4\. 2\\\) item$/m);
      // Knock-on incidents point at their root by number, never by id (an id is a hash of the raw subject).
      expect(text).toContain('Knock-on effect of incident 1');
      expect(text).not.toMatch(/\bid[12]\b/);
    });
  }

  it('pipes after a backslash do not split a table cell (cmark-gfm reads `\\\\|` as a split)', () => {
    const text = renderMarkdown(diagnosis([incident(1, { subject: { path: 'C:\\|x' } })]), { redact: false });
    const row = text.split('\n').find((l) => l.startsWith('| 1 |'))!;
    // No `\\|` sequence: after GFM's escape handling a `\` never stands right before a cell separator.
    expect(row).not.toMatch(/\\\\\|/);
    expect(shape(text).tables[0]![0]).toHaveLength(8);
  });
});

describe('any log text (property)', () => {
  const NASTY = ['a', 'b', ' ', '|', '\\', '`', '*', '_', '[', ']', '(', ')', '<', '>', '#', '-', '+', '=', '!', '&', ';', '$', '~', '@', '1', '.', ':', '/', '"', "'", '\n', '\t', '\r', '\u001b', '\u0007', '\u202e', 'é', '中'];
  const nasty = fc.string({ unit: fc.constantFrom(...NASTY), maxLength: 60 });
  const oneLine = (t: string): string => stripControls(t, { keepNewlines: true }).replace(/\s+/g, ' ').trim();

  it('keeps the structure and shows the text as written', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ title: nasty, plugin: nasty, line: nasty, note: nasty, step: nasty }), { minLength: 1, maxLength: 3 }), fc.array(nasty, { maxLength: 3 }), (incs, templates) => {
        const d = diagnosis(
          incs.map((x, n) => incident(n + 1, { title: x.title, subject: { plugin: x.plugin }, evidence: [{ input: 'gw.log', line: n + 1, text: x.line }], notes: [x.note], remediation: [x.step] })),
          templates.map((t, n) => ({ template: t, count: 1, level: 'error' as const, example: { input: 'gw.log', line: 100 + n, text: t } })),
        );
        const text = renderMarkdown(d, { redact: false });
        const s = expectWellFormed(text, { incidents: incs.length, unclassifiedRows: templates.length });
        const headings = s.h2.filter((h) => /^\d+\./.test(h));
        incs.forEach((x, n) => {
          expect(headings[n]).toBe(`${n + 1}. ${truncateDisplay(oneLine(x.title), 200) || 'wasm-fetch-bad-address'}`);
          const cell = truncateDisplay(oneLine(x.plugin), 100).replace(/\\\|/g, '\\\u00a6');
          expect(s.tables[0]![n]![3]).toBe(cell === '' ? 'plugin —' : `plugin ${cell}`);
          expect(s.fences[n]!.content).toBe(`${truncateDisplay(stripControls(`gw.log:${n + 1}: ${x.line}`), 1000)}\n`);
        });
        templates.forEach((t, n) => {
          const cell = truncateDisplay(oneLine(t), 200).replace(/\\\|/g, '\\\u00a6');
          expect(s.tables[1]![n]![2]).toBe(cell === '' ? '—' : cell);
        });
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Redaction

describe('redaction', () => {
  const secret = diagnosis([
    incident(1, {
      title: 'Wasm module not found at http://admin:pw123secret@10.1.2.3:8080/plugin.wasm',
      subject: { url: 'http://admin:pw123secret@10.1.2.3:8080/plugin.wasm' },
      evidence: [
        { input: 'gw.log', line: 1, text: 'cannot fetch Wasm module http://admin:pw123secret@10.1.2.3:8080/plugin.wasm from 127.0.0.1:15000' },
        { input: 'gw.log', line: 2, text: 'client 10.0.\u001b[m0.1 user bob\u001b[1m@example.com key AKIA\u001b[mPLANTEDAWS000001' },
      ],
    }),
  ]);
  const LEAKS = ['pw123secret', '10.1.2.3', '10.0.0.1', 'bob', 'AKIAPLANTEDAWS000001'];

  it('is on by default, for every caller', () => {
    const text = renderMarkdown(secret);
    for (const l of LEAKS) expect(text).not.toContain(l);
    expect(text).toContain('127.0.0.1:15000');
    expect(text).toMatch(/^Redacted: 2 IPs, 1 e-mail address, 1 user name, 1 access key, 1 secret\. /m);
  });

  it('strips escape sequences before redacting, even when the caller redacted the raw text first', () => {
    const r = createRedactor();
    const early = redactDiagnosis(secret, r); // the order analyze.ts used to apply
    const text = renderMarkdown(early, { redact: r });
    for (const l of ['pw123secret', '10.1.2.3', '10.0.0.1', 'AKIAPLANTEDAWS000001']) expect(text).not.toContain(l);
    // Known limit of redacting first: the e-mail was cut by the escape (`bob\x1b[<email-1>`), so its local part
    // cannot be found again afterwards. analyze.ts strips before redacting; this test documents why it must.
  });

  it('says so when it is off', () => {
    const text = renderMarkdown(secret, { redact: false });
    expect(text).toContain('pw123secret');
    expect(text).toContain('Redaction: **off** (`--no-redact`)');
  });

  it('redacts the command line too', () => {
    const text = renderMarkdown(secret, { command: 'higress-doctor analyze /logs/10.9.8.7/gateway.log --format markdown' });
    expect(text).not.toContain('10.9.8.7');
  });

  it('is idempotent: the same redactor twice gives the same report', () => {
    const r = createRedactor();
    const once = renderMarkdown(secret, { redact: r });
    expect(renderMarkdown(secret, { redact: r })).toBe(once);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The size cap

const letters = (i: number): string => {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
};

/** A big synthetic diagnosis: many incidents with full evidence and remediation, many unexplained templates. */
function big(nIncidents: number, nTemplates: number): Diagnosis {
  const incidents = Array.from({ length: nIncidents }, (_, n) =>
    incident(n + 1, {
      title: `Wasm module not found for plugin-${letters(n)} — 中文 ${'é'.repeat(20)}`,
      subject: { plugin: `plugin-${letters(n)}`, url: `http://plugins.example/plugins/plugin-${letters(n)}/1.0.0/plugin.wasm` },
      evidence: Array.from({ length: 8 }, (_, k) => ({ input: 'gw.log', line: n * 10 + k, text: `error line ${k} of plugin-${letters(n)} ${'x'.repeat(300)} ${'日本'.repeat(100)}` })),
      remediation: Array.from({ length: 4 }, (_, k) => `Step ${k + 1}: ${'do something sensible '.repeat(8)}`),
      notes: ['A note about this incident.'],
      explanation: 'Because the plugin server answered 404. '.repeat(4),
    }),
  );
  const unclassified = Array.from({ length: nTemplates }, (_, n) => ({
    template: `subsystem ${letters(n)} failed | ${'t'.repeat(150)}`,
    count: nTemplates - n,
    level: 'error' as const,
    example: { input: 'gw.log', line: 100_000 + n, text: `error subsystem ${letters(n)} failed ${'u'.repeat(400)}` },
  }));
  return diagnosis(incidents, unclassified, { unclassifiedOther: 30 });
}

/** Title + summary sentence + summary table of a full (uncut) report. */
function summaryBytes(full: string): number {
  const end = full.indexOf('\n\n## Environment');
  return bytes(full.slice(0, end + 1));
}

const noteOf = (text: string): string => text.split('\n').find((l) => l.startsWith('> ')) ?? '';

describe('size cap', () => {
  const d = big(120, 150);
  const full = renderMarkdown(d, { maxBytes: 100_000_000, redact: false });

  it('is not applied when the report fits, and then says nothing', () => {
    const small = diagnosis([incident(1)]);
    const text = renderMarkdown(small);
    expect(noteOf(text)).toBe('');
    expect(bytes(full)).toBeGreaterThan(1_000_000);
    expect(noteOf(full)).toBe('');
  });

  it('keeps every report at or under the cap whenever the summary table fits, and says what was cut', () => {
    const floor = summaryBytes(full);
    const caps = [floor, floor + 1, floor + 50, floor + 500, 30_000, 45_000, 60_000, 100_000, 250_000, 500_000, 1_000_000, bytes(full) - 1];
    for (const cap of caps) {
      const text = renderMarkdown(d, { maxBytes: cap, redact: false });
      expect(bytes(text), `cap ${cap}`).toBeLessThanOrEqual(cap);
      expect(noteOf(text), `cap ${cap}`).toMatch(/Shortened/);
      const s = shape(text);
      // Every incident is still in the summary table.
      expect(s.tables[0]).toHaveLength(120);
      expect(s.htmlTokens).toEqual([]);
    }
  });

  it('cuts in the documented order: evidence lines, line length, unexplained rows, remediation', () => {
    const ORDER = [/evidence cut to/, /evidence lines cut to/, /unexplained-error rows left out/, /remediation/, /explanations/, /details of incidents/];
    let lastStage = -1;
    for (let cap = bytes(full) - 1; cap > summaryBytes(full) * 1.5; cap = Math.floor(cap * 0.8)) {
      const note = noteOf(renderMarkdown(d, { maxBytes: cap, redact: false }));
      const stages = ORDER.map((re) => re.test(note));
      // Each stage only once the earlier ones are there; stages never disappear as the cap shrinks.
      const reached = stages.lastIndexOf(true);
      expect(stages.slice(0, reached + 1).every(Boolean), `cap ${cap}: ${note}`).toBe(true);
      expect(reached).toBeGreaterThanOrEqual(lastStage);
      lastStage = reached;
    }
    expect(lastStage).toBe(ORDER.length - 1);
  });

  it('shortens evidence before anything else', () => {
    const text = renderMarkdown(d, { maxBytes: bytes(full) - 1, redact: false });
    expect(noteOf(text)).toMatch(/: evidence cut to 5 lines per incident\. /);
    expect(text).toContain('Evidence (5 of 8 lines):');
    // Remediation and unexplained rows untouched.
    expect(shape(text).tables[1]).toHaveLength(20);
    expect(text).toContain('4. Step 4:');
  });

  it('keeps the summary table when even a report without incident details is too big', () => {
    const many = big(400, 10);
    const fullMany = renderMarkdown(many, { maxBytes: 100_000_000, redact: false });
    const floor = summaryBytes(fullMany);
    const text = renderMarkdown(many, { maxBytes: floor, redact: false });
    expect(bytes(text)).toBeLessThanOrEqual(floor);
    expect(shape(text).tables[0]).toHaveLength(400);
    // Below the table's own size nothing can be promised but the table and a note saying so.
    const tiny = renderMarkdown(many, { maxBytes: 1000, redact: false });
    expect(noteOf(tiny)).toMatch(/it alone is larger than 1000 bytes/);
    expect(shape(tiny).tables[0]).toHaveLength(400);
  });

  it('defaults to 60,000 bytes', () => {
    expect(bytes(renderMarkdown(d))).toBeLessThanOrEqual(60_000);
  });
});

describe('size cap on a large generated log (real CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hd-md-'));
  const file = join(dir, 'big-gateway.log');
  const lines: string[] = [];
  // 150 plugins failing to fetch (each its own incident, 4 times: one family, report/families.ts), with credentials
  // in the URL, and 250 distinct unexplained error lines with HTML and pipes in them.
  for (let rep = 0; rep < 4; rep++) {
    for (let i = 0; i < 150; i++) {
      const p = `plugin-${letters(i)}`;
      lines.push(
        `2026-05-20T08:${10 + rep}:${String(i % 60).padStart(2, '0')}.000000Z\terror\twasm\tcannot fetch Wasm module http://10.20.30.${i % 250}:8080/plugins/${p}/1.0.0/plugin.wasm?token=tok${i}Secret: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404 ${'x'.repeat(400)}`,
      );
    }
  }
  for (let i = 0; i < 250; i++) lines.push(`2026-05-20T09:00:00.000000Z\terror\tads\tsubsystem ${letters(i)} refused widget ${letters(i + 7)} | <b>${letters(i)}</b> ${'y'.repeat(300)}`);
  writeFileSync(file, `${lines.join('\n')}\n`);

  const json = JSON.parse(runCli(['analyze', file, '--format', 'json', '--redact']).stdout) as { incidents: unknown[]; unclassified: unknown[] };

  it('has hundreds of incidents and templates', () => {
    expect(json.incidents.length).toBe(150);
    expect(json.unclassified.length).toBeGreaterThanOrEqual(200);
  });

  // What each cap gives: a report cut to fit, the whole report, or (below the summary table's own size) the table.
  // The 150 incidents are one family: one row in the summary table, its section a table of 150 subjects.
  const CASES: [number | undefined, 'cut' | 'full' | 'table-too-big'][] = [
    [undefined, 'cut'],
    [20_000, 'cut'],
    [35_000, 'cut'],
    [100_000, 'cut'],
    [1_000_000, 'full'],
  ];
  for (const [cap, expected] of CASES) {
    it(`--max-bytes ${cap ?? '(default 60000)'}: ${expected}`, () => {
      const text = runCli(['analyze', file, '--format', 'markdown', ...(cap ? ['--max-bytes', String(cap)] : [])]).stdout;
      const max = cap ?? 60_000;
      const s = shape(text);
      expect(s.tables[0]).toHaveLength(1);
      expect(s.tables[0]![0]![3]).toMatch(/and 149 more \(150 incidents\)/);
      if (expected === 'full') expect(s.tables[1]).toHaveLength(150);
      expect(s.htmlTokens).toEqual([]);
      if (expected === 'table-too-big') {
        expect(noteOf(text)).toMatch(/it alone is larger than 20000 bytes/);
      } else {
        expect(bytes(text)).toBeLessThanOrEqual(max);
        if (expected === 'cut') expect(noteOf(text)).toMatch(/^> \*\*Shortened to fit \d+ bytes\*\*/);
        else expect(noteOf(text)).toBe('');
      }
      for (const leak of ['10.20.30.', 'Secret:', 'tok1Secret']) expect(text).not.toContain(leak);
    });
  }
});
