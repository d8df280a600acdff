// The shape of src/: imports follow the data. A stage imports the ground files (src/*.ts: the
// model, the cause ids, the package folder, text sanitising, …), itself and earlier stages — never a
// later one; the ground imports only the ground; only the TUI imports React or Ink.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const SRC = new URL('../src', import.meta.url).pathname;
/** The stages in data-flow order (README "Layout"); `check` judges plugin set-ups with them. */
const STAGES = ['sources', 'lines', 'parse', 'catalog', 'diagnose', 'report', 'pipeline', 'check', 'tui', 'cli'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

/** The stage of a file under root, or null for a ground file. */
function stageOf(file: string, root = SRC): string | null {
  const first = relative(root, file).split('/')[0]!.replace(/\.(?:tsx?|js)$/, '');
  return STAGES.includes(first) ? first : null;
}

/** Relative imports of a file (static, re-exports and dynamic), resolved under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom|\bimport\s*\(|^import)\s*['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => normalize(join(dirname(file), m[1]!)));
}

/** Every edge that goes against the flow, as `from → to` (paths under root). */
function edgesAgainstFlow(all: readonly string[], root = SRC): string[] {
  const bad: string[] = [];
  for (const f of all) {
    const from = stageOf(f, root);
    for (const t of importsOf(f)) {
      const to = stageOf(t, root);
      const wrong = from === null ? to !== null : to !== null && STAGES.indexOf(to) > STAGES.indexOf(from);
      if (wrong) bad.push(`${relative(root, f)} → ${relative(root, t)}`);
    }
  }
  return bad;
}

describe('architecture', () => {
  const all = files(SRC);

  it('has every stage folder it names, and files in them', () => {
    for (const s of STAGES.filter((x) => x !== 'pipeline')) expect(all.some((f) => stageOf(f) === s), s).toBe(true);
  });

  it('imports follow the data: no edge from an earlier stage to a later one, none from the ground to a stage', () => {
    expect(edgesAgainstFlow(all)).toEqual([]);
  });

  it('finds edges against the flow in a made-up tree (the check can fail)', () => {
    const root = mkdtempSync(join(tmpdir(), 'hd-arch-'));
    const put = (p: string, text: string): string => {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), text);
      return join(root, p);
    };
    const tree = [
      put('catalog/x.ts', "import { y } from '../report/y.js';\nimport { m } from '../model.js';\n"),
      put('report/y.ts', "import { x } from '../catalog/x.js';\nexport { z } from '../cli/z.js';\n"),
      put('model.ts', "const t = await import('./tui/v.js');\n"),
      put('cli/z.ts', "import { y } from '../report/y.js';\n"),
    ];
    expect(edgesAgainstFlow(tree, root).sort()).toEqual(['catalog/x.ts → report/y.js', 'model.ts → tui/v.js', 'report/y.ts → cli/z.js']);
  });

  it('only the TUI imports React or Ink', () => {
    const uses = all.filter((f) => stageOf(f) !== 'tui' && /from\s*['"](?:react|ink)(?:\/[^'"]*)?['"]/.test(readFileSync(f, 'utf8')));
    expect(uses.map((f) => relative(SRC, f))).toEqual([]);
  });
});

// ---- documents: what the code, the catalog and the docs cite is in the repository ----------------

const ROOT = new URL('..', import.meta.url).pathname;

/** What must not be cited: the team's founding documents and their folder, which are not shipped. */
const OUTSIDE = /\.\.\/shared\b|\blog-formats(?:\.md)?\b|\barchitecture\.md\b|\barchitecture §/;

/** Every file under src/, patterns/ and docs/, and the README (paths relative to root). */
function groundedFiles(root = ROOT): string[] {
  const walk = (rel: string): string[] =>
    readdirSync(join(root, rel)).flatMap((n) => {
      const p = join(rel, n);
      return statSync(join(root, p)).isDirectory() ? walk(p) : [p];
    });
  return [...walk('src'), ...walk('patterns'), ...walk('docs'), 'README.md'];
}

/**
 * Lines that point outside the repository, as `file:line: text`. A page of docs/ may say where it
 * came from in one block quote that starts `> Founding text:`; nothing else may name those documents.
 */
function outsideReferences(files: readonly string[], root = ROOT): string[] {
  const bad: string[] = [];
  for (const f of files) {
    let founding = false;
    readFileSync(join(root, f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (f.startsWith('docs/') && f.endsWith('.md') && line.startsWith('> Founding text:')) founding = true;
        else if (!line.startsWith('>')) founding = false;
        if (!founding && OUTSIDE.test(line)) bad.push(`${f}:${i + 1}: ${line.trim().slice(0, 100)}`);
      });
  }
  return bad;
}

/** The section identifiers of docs/formats.md: the first `§<id>` of each heading. */
function formatSections(root = ROOT): Set<string> {
  const ids = new Set<string>();
  for (const line of readFileSync(join(root, 'docs/formats.md'), 'utf8').split('\n')) {
    const m = /^#{1,6}\s.*?§([0-9A-Z][\w.-]*)/.exec(line);
    if (m) ids.add(m[1]!.replace(/\.+$/, ''));
  }
  return ids;
}

/**
 * Citations of docs/formats.md sections that are no heading there, as `file: §id`: every
 * `docs/formats.md §A, §B` in the files, and every item of a pattern's `references` that names a
 * section (which must be written `docs/formats.md §<id>`, one item per section).
 */
function missingSections(files: readonly string[], root = ROOT): string[] {
  const ids = formatSections(root);
  const bad: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(root, f), 'utf8');
    for (const m of text.matchAll(/docs\/formats\.md((?:(?:,\s*|\s)§[0-9A-Z][\w.-]*)+)/g)) {
      for (const id of m[1]!.split('§').slice(1)) {
        const clean = id.replace(/[,\s]+$/, '').replace(/\.+$/, '');
        if (!ids.has(clean)) bad.push(`${f}: §${clean}`);
      }
    }
    if (!f.startsWith('patterns/') || !/\.ya?ml$/.test(f)) continue;
    const refs = (parseYaml(text) as { references?: unknown } | null)?.references;
    for (const r of Array.isArray(refs) ? refs : []) {
      if (typeof r !== 'string' || !r.includes('§')) continue;
      if (!/^docs\/formats\.md §[0-9A-Z][\w.-]*(?=[\s(]|$)/.test(r)) bad.push(`${f}: "${r}" is not "docs/formats.md §<id>"`);
    }
  }
  return bad;
}

/** A GitHub-style anchor of a Markdown heading. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** Links to a heading of a page in docs/ (`docs/x.md#a`, or `](x.md#a)` inside docs/) that has no such heading. */
function brokenAnchors(files: readonly string[], root = ROOT): string[] {
  const bad: string[] = [];
  const anchors = new Map<string, Set<string>>();
  const anchorsOf = (page: string): Set<string> | null => {
    if (!anchors.has(page)) {
      let text: string;
      try {
        text = readFileSync(join(root, 'docs', page), 'utf8');
      } catch {
        return null;
      }
      anchors.set(page, new Set(text.split('\n').flatMap((l) => (/^#{1,6}\s/.test(l) ? [slug(l.replace(/^#+/, ''))] : []))));
    }
    return anchors.get(page)!;
  };
  for (const f of files) {
    const text = readFileSync(join(root, f), 'utf8');
    const links = [...text.matchAll(/docs\/([\w-]+\.md)#([\w-]+)/g)];
    if (f.startsWith('docs/')) links.push(...text.matchAll(/\]\(([\w-]+\.md)#([\w-]+)\)/g));
    for (const [, page, anchor] of links) {
      const set = anchorsOf(page!);
      if (set === null) bad.push(`${f}: ${page} does not exist`);
      else if (!set.has(anchor!)) bad.push(`${f}: ${page}#${anchor}`);
    }
  }
  return [...new Set(bad)];
}

describe('documents', () => {
  const files = groundedFiles();

  it('src/, patterns/, docs/ and the README cite nothing outside the repository', () => {
    expect(outsideReferences(files)).toEqual([]);
  });

  it('every docs/formats.md section cited exists, and pattern references cite sections as docs/formats.md §<id>', () => {
    expect(formatSections().size).toBeGreaterThan(60);
    expect(missingSections(files)).toEqual([]);
  });

  it('every link to a heading of a page in docs/ finds it', () => {
    expect(brokenAnchors(files)).toEqual([]);
  });

  it('finds planted references in a made-up tree (the checks can fail)', () => {
    const root = mkdtempSync(join(tmpdir(), 'hd-docs-'));
    const put = (p: string, text: string): void => {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), text);
    };
    put('src/a.ts', '// the layout (log-formats.md §L1)\n// fine: docs/formats.md §L1, §B\n');
    put('src/b.ts', "const p = '../shared/docs/x';\n// see docs/contracts.md#cause-ids\n");
    put('patterns/x/p.yaml', 'id: HD-X-001\nreferences: [ docs/formats.md §B, §L1, docs/formats.md §Z9, "docs/formats.md §B (note)", "istio pkg/x.go" ]\n');
    put('docs/formats.md', '# Formats\n## §L1 Envoy\n### §B Wasm\n');
    put('docs/contracts.md', '# Contracts\n\n> Founding text: architecture.md in ../shared/docs,\n> beside the repository.\n\n## Cause ids\nas architecture §4 says\n');
    put('docs/other.md', '> Founding text: fine\nthen ../shared again\nsee [ids](contracts.md#cause-ids) and [x](contracts.md#exit-codes)\n');
    put('README.md', '`docs/contracts.md#json-output`, `docs/nope.md#x`\n');
    const planted = groundedFiles(root);
    expect([...planted].sort()).toEqual(['README.md', 'docs/contracts.md', 'docs/formats.md', 'docs/other.md', 'patterns/x/p.yaml', 'src/a.ts', 'src/b.ts']);
    expect(outsideReferences(planted, root)).toEqual([
      'src/a.ts:1: // the layout (log-formats.md §L1)',
      "src/b.ts:1: const p = '../shared/docs/x';",
      'docs/contracts.md:7: as architecture §4 says',
      'docs/other.md:2: then ../shared again',
    ]);
    expect(missingSections(planted, root)).toEqual(['patterns/x/p.yaml: §Z9', 'patterns/x/p.yaml: "§L1" is not "docs/formats.md §<id>"']);
    expect(brokenAnchors(planted, root)).toEqual([
      'docs/other.md: contracts.md#exit-codes',
      'README.md: contracts.md#json-output',
      'README.md: nope.md does not exist',
    ]);
  });
});
