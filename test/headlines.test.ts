// Issue 15 part 4: a headline tells the real extent of an incident. An outage lasts as long as the
// longest `closed since Ns ago` reported (pattern `extent`), and `NOT ready` lines during it are its
// knock-on lines, not a second incident (correlations: outage-absorbs-symptom).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinPatternsDir, CatalogError, loadCatalog } from '../src/catalog/load.js';
import { Pipeline } from '../src/pipeline.js';
import type { Diagnosis } from '../src/model.js';

const catalog = loadCatalog();
const outage = readFileSync(new URL('./fixtures/xds-outage-then-not-ready.log', import.meta.url), 'utf8');
const lines = outage.trimEnd().split('\n');

function run(text: string): Diagnosis {
  const p = new Pipeline(catalog);
  p.beginInput('gw.log');
  p.push(Buffer.from(text));
  p.endInput();
  return p.snapshot();
}

describe('headline extent', () => {
  it('titles an outage by the longest `closed since` reported, not a list of every value', () => {
    const d = run(outage);
    const xds = d.incidents.find((i) => i.subject.cluster === 'xds-grpc')!;
    expect(xds.title).toMatch(/^Config stream to the control plane down for 221s: connection error/);
    expect(xds.title).not.toMatch(/31s|62s/);
  });

  it('takes the largest value whatever order the lines come in', () => {
    // The 221 s line first, then shorter ones (the stream came back and dropped again).
    const d = run([lines[0], lines[5], lines[1], lines[2], lines[6]].join('\n') + '\n');
    expect(d.incidents[0]!.title).toMatch(/down for 221s:/);
  });

  it('a pattern naming an extent field it does not have is rejected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hd-extent-'));
    const src = readFileSync(join(builtinPatternsDir(), 'network', 'xds-closed-persisting.yaml'), 'utf8');
    writeFileSync(join(dir, 'bad.yaml'), src.replace('id: HD-NET-010', 'id: HD-TST-901').replace('extent: secs', 'extent: seconds'));
    expect(() => loadCatalog([dir])).toThrow(CatalogError);
    expect(() => loadCatalog([dir])).toThrow(/extent.*unknown field 'seconds'/s);
  });
});

describe('not ready during an xDS outage', () => {
  it('joins the outage as knock-on lines: one incident, its evidence and time span include them', () => {
    const d = run(outage);
    expect(d.incidents).toHaveLength(1);
    const xds = d.incidents[0]!;
    expect(xds.cause).toBe('xds-disconnected');
    expect(xds.count).toBe(4); // the stream lines; the NOT ready lines are knock-on, not counted
    expect(xds.evidence.map((e) => e.line)).toContain(4);
    expect(xds.patterns).toContain('HD-NET-015');
    expect(xds.notes.join(' ')).toMatch(/2 knock-on lines/);
  });

  it('NOT ready before any outage line stays its own incident', () => {
    const d = run([lines[0], lines[3], lines[4]].join('\n') + '\n');
    expect(d.incidents).toHaveLength(1);
    expect(d.incidents[0]!.title).toMatch(/^Gateway not ready/);
    expect(d.incidents[0]!.count).toBe(2);
  });

  it('NOT ready long after the outage (past the bounds) is a second incident', () => {
    const late = lines[3]!.replace('2025-06-03T02:11:42', '2025-06-03T03:11:42');
    const d = run([lines[0], lines[1], lines[2], late].join('\n') + '\n');
    expect(d.incidents).toHaveLength(2);
    expect(d.incidents.map((i) => i.title.slice(0, 18)).sort()).toEqual(['Config stream to t', 'Gateway not ready:']);
  });
});

// Issue 15 part 8: a multi-error header whose items came apart from it (bullets without their tab) is not an
// unexplained error when its items are explained.
describe('a multi-error header on a line of its own', () => {
  const header = '2025-05-19T07:44:56.392338Z error wasm convert the wasm config: 1 error occurred:';
  const bullet =
    '* cannot fetch Wasm module oci://swr:2512/admin/mcp-server/all-in-one:1.0.0: could not fetch Wasm binary: the given image is in invalid format as an OCI image: could not parse as oci variant: number of layers must be 2 but got 1';
  const odd = '* something no pattern knows about at all';

  it('is explained by an explained first item: no unexplained error', () => {
    const d = run(`${header}\n${bullet}\n`);
    expect(d.incidents.map((i) => i.cause)).toEqual(['wasm-image-format']);
    expect(d.unclassified).toEqual([]);
  });

  it('stays unexplained when its item is not explained, or when nothing follows it', () => {
    expect(run(`${header}\n${odd}\n`).unclassified.map((u) => u.template)).toContain('wasm convert the wasm config: <n> error occurred:');
    expect(run(`${header}\n`).unclassified.map((u) => u.template)).toEqual(['wasm convert the wasm config: <n> error occurred:']);
  });
});

describe('Markdown links', () => {
  it('Docs: links are absolute, to the repository package.json names', async () => {
    const { renderMarkdown } = await import('../src/report/markdown.js');
    const { PROJECT_URL } = await import('../src/package.js');
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { homepage: string; repository: { url: string } };
    expect(pkg.homepage.startsWith(PROJECT_URL)).toBe(true);
    expect(pkg.repository.url).toContain(PROJECT_URL.replace(/^https:\/\//, ''));
    const md = renderMarkdown(run(outage));
    const links = [...md.matchAll(/- Docs: \[[^\]]+\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l).toBe(`${PROJECT_URL}/blob/main/docs/causes.md#xds-disconnected`);
  });
});
