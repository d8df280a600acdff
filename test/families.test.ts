// Issue 15 part 7: long reports. One failure on 16 clusters is one heading with a table of its subjects in text
// and Markdown; JSON keeps all 16 incidents and adds a `family` id (schema 1, extended only); `--top N`; the
// progress line's percent and time left.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { progressText, Progress } from '../src/cli/analyze.js';

const FILE = 'test/fixtures/upstream-16-clusters.log';
const clusters = Array.from({ length: 16 }, (_, c) => `outbound|8080||svc-${String(c).padStart(2, '0')}.static`);

describe('an incident family (16 clusters without a healthy upstream)', () => {
  it('text: one numbered heading, the family line and a table with every cluster and its count', () => {
    const r = runCli(['analyze', FILE, '--fail-on', 'none'], { env: { COLUMNS: '120' } });
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('16 incidents (1 family of one failure on several subjects grouped)');
    expect(out.match(/^\d+\. /gm)).toEqual(['1. ']);
    expect(out).toMatch(/16 incidents of one kind, one per cluster/);
    expect(out).toMatch(/16 clusters · seen 40× in all · family [0-9a-f]{12}/);
    const table = out.slice(out.indexOf('16 subjects:'));
    expect(table.split('\n')[1]).toMatch(/cluster\s+count\s+first seen\s+last seen\s+id/);
    for (const c of clusters) expect(table).toContain(c);
    // Most failed first: svc-03 (4×) before svc-00 (1×), counts right-aligned in their column.
    expect(table).toMatch(/outbound\|8080\|\|svc-03\.static\s+4 /);
    expect(table.indexOf('svc-03')).toBeLessThan(table.indexOf('svc-00'));
    // Evidence and advice once (the representative's), not 16 times.
    expect(out.match(/What to do:/g)).toHaveLength(1);
  });

  it('Markdown: one row in the summary table, one section with a subjects table', () => {
    const r = runCli(['analyze', FILE, '--format', 'markdown', '--no-redact', '--fail-on', 'none']);
    const md = r.stdout;
    const summary = md.slice(md.indexOf('| # |'), md.indexOf('## Environment'));
    expect(summary.trim().split('\n')).toHaveLength(3);
    expect(summary).toMatch(/\| 1 \| error \| `upstream-unavailable` \| cluster `outbound\\\|8080\\\|\\\|svc-03\.static` and 15 more \(16 incidents\) \| 40 \|/);
    expect(md.match(/^## \d+\./gm)).toEqual(['## 1.']);
    expect(md).toMatch(/^## 1\. No healthy upstream for .* — and 15 more like it$/m);
    const subjects = md.slice(md.indexOf('Subjects (16):'));
    expect(subjects).toContain('| cluster | count | first seen | last seen |');
    expect(subjects.split('\n').filter((l) => l.startsWith('| `outbound'))).toHaveLength(16);
    // A ticket keeps each subject's evidence (the advice is given once).
    const evidence = md.slice(md.indexOf('Evidence'), md.indexOf('What to do:'));
    for (const c of clusters) expect(evidence).toContain(`"upstream_cluster":"${c}"`);
    expect(md.match(/What to do:/g)).toHaveLength(1);
  });

  it('JSON: schema 1, every incident kept, each with the same optional family id', () => {
    const r = runCli(['analyze', FILE, '--format', 'json', '--fail-on', 'none']);
    const d = JSON.parse(r.stdout) as { schemaVersion: number; incidents: Array<{ id: string; family?: string; subject: { cluster: string }; title: string }> };
    expect(d.schemaVersion).toBe(1);
    expect(d.incidents).toHaveLength(16);
    const fam = new Set(d.incidents.map((i) => i.family));
    expect(fam.size).toBe(1);
    expect([...fam][0]).toMatch(/^[0-9a-f]{12}$/);
    expect(new Set(d.incidents.map((i) => i.subject.cluster))).toEqual(new Set(clusters));
  });

  it('two incidents of a kind are not a family: no family field, separate sections', () => {
    const two = readFileSync(FILE, 'utf8')
      .split('\n')
      .filter((l) => /svc-0[01]\.static/.test(l))
      .join('\n');
    const j = JSON.parse(runCli(['analyze', '-', '--format', 'json', '--fail-on', 'none'], { input: `${two}\n` }).stdout) as { incidents: Array<{ family?: string }> };
    expect(j.incidents).toHaveLength(2);
    expect(j.incidents.every((i) => i.family === undefined)).toBe(true);
    const t = runCli(['analyze', '-', '--fail-on', 'none'], { input: `${two}\n` }).stdout;
    expect(t.match(/^\d+\. /gm)).toEqual(['1. ', '2. ']);
  });
});

describe('--top N', () => {
  it('shows the N highest-ranked items and says how many were left out (text and Markdown)', () => {
    const full = runCli(['analyze', 'samples/offline-seed-incident.log', '--fail-on', 'none']).stdout;
    const n = full.match(/^\d+\. /gm)!.length;
    expect(n).toBeGreaterThanOrEqual(2);
    const t = runCli(['analyze', 'samples/offline-seed-incident.log', '--top', '1', '--fail-on', 'none']).stdout;
    expect(t.match(/^\d+\. /gm)).toEqual(['1. ']);
    expect(t).toContain(`… ${n - 1} more incident${n - 1 === 1 ? '' : 's'} left out by --top 1`);
    const md = runCli(['analyze', 'samples/offline-seed-incident.log', '--top', '1', '--format', 'markdown', '--fail-on', 'none']).stdout;
    expect(md.match(/^## \d+\./gm)).toEqual(['## 1.']);
    expect(md).toContain('left out by `--top 1`');
  });

  it('a family counts once; the note counts the incidents it leaves out', () => {
    const t = runCli(['analyze', FILE, '--top', '1', '--fail-on', 'none']).stdout;
    expect(t).not.toContain('left out');
    expect(t).toContain('16 subjects:');
  });

  it('rejects what is not a whole number ≥ 1 with exit 2 and one line', () => {
    const r = runCli(['analyze', FILE, '--top', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['higress-doctor: --top takes a whole number ≥ 1 (got x)']);
  });
});

describe('progress line', () => {
  it('percent and time left when the total size is known; bytes and rate when not', () => {
    const MiB = 1024 * 1024;
    expect(progressText(400 * MiB, 1000 * MiB, 2)).toBe('reading… 400.0 MiB of 1000.0 MiB (40%) at 200.0 MiB/s, about 3s left');
    expect(progressText(100 * MiB, 10000 * MiB, 1)).toBe('reading… 100.0 MiB of 9.77 GiB (1%) at 100.0 MiB/s, about 1m 39s left');
    expect(progressText(5 * MiB, null, 1)).toBe('reading… 5.0 MiB at 5.0 MiB/s');
  });

  it('draws only when enabled (a terminal on stderr), after the first second, and clears itself', () => {
    let t = 0;
    const out: string[] = [];
    const p = new Progress(1000, true, () => t, (s) => out.push(s));
    p.add(100);
    expect(out).toEqual([]); // the first second is quiet
    t = 1500;
    p.add(400);
    expect(out.at(-1)).toMatch(/^\r\x1b\[Kreading… 500 B of 1000 B \(50%\) at .*left$/);
    p.done();
    expect(out.at(-1)).toBe('\r\x1b[K');
    const quiet: string[] = [];
    const off = new Progress(1000, false, () => (t += 2000), (s) => quiet.push(s));
    off.add(10);
    off.add(10);
    off.done();
    expect(quiet).toEqual([]);
  });
});
