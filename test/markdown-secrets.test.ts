// A support ticket must not leak what gateway logs carry. test/fixtures/tickets/ holds one log per line layout and
// collector wrapper (Envoy default, Istio tab and 1.x epoch layouts, pilot-agent, JSON and TEXT access logs, docker
// json-file, kubectl --timestamps, CRI) with secrets planted where a gateway writes them, on lines that become
// incident evidence or unexplained-error examples (planted.tsv: file, shape, value). The built CLI must hide them in
// the Markdown report by default (and in JSON and text with --redact), keep what diagnosis needs readable
// (keep.tsv, plugins, causes, the host and path of each URL), and find the same incidents with and without
// redaction. Its reports are made in this process (helpers/in-process.ts: the CLI's main(), argv and output as a
// process would have them), all before the tests; one is also made by the real CLI and must be the same.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stripControls } from '../src/sanitize.js';
import { ROOT, runCli } from './helpers/cli.js';
import { analyzeInProcess } from './helpers/in-process.js';

const DIR = join(ROOT, 'test/fixtures/tickets');
const tsv = (name: string): string[][] =>
  readFileSync(join(DIR, name), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t'));
const planted = tsv('planted.tsv').map(([file = '', shape = '', value = '']) => ({ file, shape, value }));
const keep = tsv('keep.tsv').map(([file = '', text = '']) => ({ file, text }));
const knownGaps = tsv('known-gaps.tsv').map(([file = '', shape = '', value = '']) => ({ file, shape, value }));
const FILES = [...new Set(planted.map((p) => p.file))];

/** Every report the tests read, made once before them: `analyze test/fixtures/tickets/FILE ARGS…`. */
const REPORTS: string[][] = [
  ...FILES.flatMap((file) => [
    [file, '--format', 'json', '--no-redact'],
    [file, '--format', 'markdown'],
    [file, '--format', 'markdown', '--no-redact'],
    [file, '--format', 'json', '--redact'],
    [file, '--format', 'text', '--redact'],
  ]),
  ['secrets.log', '--format', 'markdown', '--redact'],
  ['secrets.log', '--format', 'json'],
];
const runs = new Map<string, string>();
for (const [file = '', ...args] of REPORTS) {
  const r = await analyzeInProcess([`test/fixtures/tickets/${file}`, ...args]);
  expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
  expect(r.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  runs.set([file, ...args].join(' '), r.stdout);
}
const run = (file: string, ...args: string[]): string => {
  const known = runs.get([file, ...args].join(' '));
  if (known === undefined) throw new Error(`${file} ${args.join(' ')} is not in REPORTS`);
  return known;
};
const leaks = (text: string, values: readonly string[]): string[] => values.filter((v) => text.includes(v));
/** What a reader of the Markdown sees: backslash escapes (`\<`, `\_`) gone. */
const unescaped = (md: string): string => md.replace(/\\([\\`*_{}[\]()#+\-.!|<>~$&])/g, '$1');

interface JsonReport {
  stats: { layouts: Record<string, number> };
  environment: { plugins: string[] };
  incidents: {
    id: string;
    cause: string;
    severity: string;
    confidence: number;
    count: number;
    firstSeen: string | null;
    lastSeen: string | null;
    rootOf: string | null;
    patterns: string[];
    subject: Record<string, string>;
    evidence: { input: string; line: number; text: string }[];
  }[];
  unclassified: { count: number; level: string | null; template: string; example: { input: string; line: number; text: string } }[];
  unclassifiedOther: number;
}

/** Every string in a parsed JSON report, joined: what a reader of it sees (without JSON's own escaping). */
const strings = (v: unknown): string => (typeof v === 'string' ? v : v && typeof v === 'object' ? Object.values(v).map(strings).join('\n') : '');

describe('the ticket corpus', () => {
  it('plants at least 60 secret shapes, in every layout and wrapper', () => {
    expect(new Set(planted.map((p) => p.shape)).size).toBeGreaterThanOrEqual(60);
    const layouts = new Set(FILES.flatMap((f) => Object.keys((JSON.parse(run(f, '--format', 'json', '--no-redact')) as JsonReport).stats.layouts)));
    for (const l of ['envoy', 'envoy-istio', 'envoy-epoch', 'istio-go', 'access-json', 'access-text']) expect([...layouts]).toContain(l);
    const raw = (f: string): string => readFileSync(join(DIR, f), 'utf8');
    expect(raw('docker-json.log')).toMatch(/^\{"log":"/m);
    expect(raw('kubectl-ts.log')).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \S/m);
    expect(raw('cri.log')).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z stderr P /m); // a line split in CRI partial pieces
  });

  it('plants every value where it is read', () => {
    for (const { file, value } of [...planted, ...knownGaps]) {
      expect(stripControls(readFileSync(join(DIR, file), 'utf8'), { keepNewlines: true }), `${file}: ${value}`).toContain(value);
    }
    for (const { file, text } of keep) {
      // A docker json-file line escapes the quotes of the line it wraps; reports show the access record unwrapped.
      const raw = readFileSync(join(DIR, file), 'utf8');
      expect(raw.includes(text) || raw.replace(/\\"/g, '"').includes(text), `${file}: ${text}`).toBe(true);
    }
  });
});

for (const file of FILES) {
  const values = planted.filter((p) => p.file === file).map((p) => p.value);
  const gaps = knownGaps.filter((p) => p.file === file).map((p) => p.value);

  describe(file, () => {
    const md = run(file, '--format', 'markdown');
    const raw = JSON.parse(run(file, '--format', 'json', '--no-redact')) as JsonReport;

    it('quotes every planted line: without redaction the report shows each planted value', () => {
      // Otherwise "nothing leaks" would prove nothing: the secrets must sit in evidence or examples.
      const unredacted = run(file, '--format', 'markdown', '--no-redact');
      expect(leaks(unredacted, [...values, ...gaps]).sort()).toEqual([...values, ...gaps].sort());
      expect(unredacted).toContain('Redaction: **off** (`--no-redact`)');
    });

    it('Markdown (redacted by default) leaks none of the planted secrets', () => {
      expect(leaks(md, values)).toEqual([]);
      expect(leaks(unescaped(md), values)).toEqual([]);
      expect(leaks(md, gaps), 'a known gap is fixed: move it to planted.tsv').toEqual(gaps);
    });

    it('JSON --redact and text --redact leak none', () => {
      const json = run(file, '--format', 'json', '--redact');
      expect(leaks(json, values)).toEqual([]);
      expect(leaks(strings(JSON.parse(json)), values)).toEqual([]);
      expect(leaks(run(file, '--format', 'text', '--redact'), values)).toEqual([]);
    });

    it('keeps what diagnosis needs: plugins, causes, the host and path of each URL, ids, error texts', () => {
      const shown = keep.filter((k) => k.file === file).map((k) => k.text);
      expect(shown.filter((k) => !md.includes(k) && !unescaped(md).includes(k))).toEqual([]);
      for (const i of raw.incidents) {
        expect(md).toContain(i.cause);
        if (i.subject.plugin) expect(md).toContain(i.subject.plugin);
      }
      for (const p of raw.environment.plugins) expect(md).toContain(p);
      // Every URL the unredacted report quotes keeps its path, and its host unless the host is an address.
      const urls = strings(raw).match(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'\\<>]+/gi) ?? [];
      for (const url of urls) {
        const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#:]+|\[[^\]]+\])(?::\d+)?(\/[^?#]*)?/i.exec(url);
        if (m === null) continue;
        const [, host = '', path = ''] = m;
        if (!/^[\d.]+$|^\[/.test(host)) expect(unescaped(md), url).toContain(host);
        if (path !== '' && !/hooks\.slack\.com/.test(host)) expect(unescaped(md), url).toContain(path.replace(/[.,:;]+$/, ''));
      }
    });

    it('ends with what was redacted, by kind and count, never a value (Markdown, text and JSON)', () => {
      const footer = md.slice(md.lastIndexOf('\n---\n'));
      expect(footer).toMatch(/^Redacted: \d+ [^.]+\. /m);
      expect(leaks(footer, values)).toEqual([]);
      const text = run(file, '--format', 'text', '--redact').trimEnd();
      expect(text.slice(text.lastIndexOf('\n') + 1)).toMatch(/^Redacted: \d+ [^.]+\. /);
      const { redacted } = JSON.parse(run(file, '--format', 'json', '--redact')) as { redacted: Record<string, number> };
      expect(Object.values(redacted).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      for (const [kind, n] of Object.entries(redacted)) {
        expect(kind).toMatch(/^[a-z]+$/);
        expect(Number.isInteger(n)).toBe(true);
      }
      expect(JSON.parse(run(file, '--format', 'json', '--no-redact'))).not.toHaveProperty('redacted');
    });
  });
}

describe('secrets.log', () => {
  it('says what it redacted, with the redactor’s words', () => {
    const md = run('secrets.log', '--format', 'markdown');
    expect(md).toMatch(
      /^Redacted: \d+ IPs, 3 e-mail addresses, \d+ user names, \d+ tokens, \d+ access keys, \d+ secrets, 1 cookie, \d+ URL query values?, \d+ request\/response bodies\. /m,
    );
  });

  it('is the report the real CLI writes', () => {
    const r = runCli(['analyze', 'test/fixtures/tickets/secrets.log', '--format', 'markdown']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: '' });
    expect(r.stdout).toBe(run('secrets.log', '--format', 'markdown'));
  });

  it('is the same report with an explicit --redact', () => {
    expect(run('secrets.log', '--format', 'markdown', '--redact').replace(/ --redact`$/m, '`')).toBe(run('secrets.log', '--format', 'markdown'));
  });

  it('names incidents by number, never by a raw id (a hash of the raw subject)', () => {
    const raw = JSON.parse(run('secrets.log', '--format', 'json')) as JsonReport;
    const md = run('secrets.log', '--format', 'markdown');
    expect(raw.incidents.some((i) => i.rootOf !== null)).toBe(true);
    expect(raw.incidents.map((i) => i.id).filter((id) => md.includes(id))).toEqual([]);
    expect(md).toMatch(/knock-on of incident \d+/);
  });

  it('finds the same incidents, causes and counts with and without redaction', () => {
    const a = JSON.parse(run('secrets.log', '--format', 'json', '--redact')) as JsonReport;
    const b = JSON.parse(run('secrets.log', '--format', 'json')) as JsonReport;
    // Ids are compared by position: redaction re-keys them (a raw id is a hash of the raw subject).
    const facts = (r: JsonReport) => ({
      stats: r.stats,
      incidents: r.incidents.map((i) => ({
        cause: i.cause,
        severity: i.severity,
        confidence: i.confidence,
        count: i.count,
        firstSeen: i.firstSeen,
        lastSeen: i.lastSeen,
        rootOf: i.rootOf === null ? null : r.incidents.findIndex((x) => x.id === i.rootOf),
        patterns: i.patterns,
        subjectKeys: Object.keys(i.subject),
        evidence: i.evidence.map((e) => `${e.input}:${e.line}`),
      })),
      unclassified: r.unclassified.map((u) => ({ count: u.count, level: u.level, example: `${u.example.input}:${u.example.line}` })),
      unclassifiedOther: r.unclassifiedOther,
    });
    expect(a.incidents.length).toBeGreaterThanOrEqual(7);
    expect(facts(a)).toEqual(facts(b));
    // And the unredacted JSON really had the secrets (the comparison is between different texts).
    const values = planted.filter((p) => p.file === 'secrets.log').map((p) => p.value);
    expect(leaks(strings(b), values).length).toBeGreaterThan(values.length / 2);
  });
});
