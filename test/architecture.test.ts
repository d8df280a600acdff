// The shape of src/: imports follow the data. A stage imports the ground files (src/*.ts: the
// model, the cause ids, the package folder, text sanitising, …), itself and earlier stages — never a
// later one; the ground imports only the ground; only the TUI imports React or Ink.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

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
