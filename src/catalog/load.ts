// Load and validate pattern files. A bad file is reported like a compiler error:
// `patterns/wasm/fetch.yaml:12:5: match.regex: invalid regular expression …`, naming the field,
// the offending value and what was expected. What needs no YAML parser or schema library (spec
// compilation, the package folder, the compiled built-in catalog) lives in compiled.ts.
import { readFileSync, statSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { CauseId, LayoutId, Level, Severity, Signal, Tier } from '../model.js';
import { patternSchema, type PatternSpec } from './schema.js';
import { requiredAlternatives, requiredSubstrings } from './regex-source.js';
import {
  CatalogError,
  COMPILED_CATALOG,
  COMPILED_FORMAT,
  catalogManifest,
  compileSpec,
  finishCatalog,
  listYaml,
  packageRoot,
  builtinPatternsDir,
  embeddedPatternFiles,
  type CompiledCatalogFile,
} from './compiled.js';

export { CatalogError, IMPLICIT_FIELDS, packageRoot, builtinPatternsDir, catalogDirs } from './compiled.js';

export interface CompiledRule {
  readonly when: ReadonlyArray<readonly [string, RegExp]>;
  readonly unless: ReadonlyArray<readonly [string, RegExp]>;
  readonly cause: CauseId;
  readonly confidence: number;
  readonly severity: Severity | undefined;
  readonly title: string | undefined;
  readonly because: string;
  readonly alternatives: ReadonlyArray<{ cause: CauseId; confidence: number }>;
  readonly remediation: readonly string[] | undefined;
  /** Replaces the pattern's signals when this rule decides. */
  readonly signals: readonly Signal[] | undefined;
}

export interface CompiledPattern {
  readonly spec: PatternSpec;
  readonly id: string;
  readonly file: string;
  readonly literals: readonly string[];
  readonly regex: RegExp;
  readonly minLevel: Level;
  readonly maxLevel: Level | null;
  readonly layouts: ReadonlySet<LayoutId> | null;
  readonly loggers: ReadonlySet<string> | null;
  readonly rules: readonly CompiledRule[];
  readonly derived: ReadonlyArray<readonly [string, string, (v: string) => string]>;
  readonly tier: Tier;
  readonly signals: readonly Signal[];
  /** requiredSubstrings(regex), when the compiled catalog carries it (worked out at build time). */
  readonly required?: readonly string[];
  /** requiredAlternatives(regex), likewise. */
  readonly anyOf?: readonly (readonly string[])[];
}

export interface Catalog {
  readonly patterns: readonly CompiledPattern[];
  /** Literals of patterns that accept info/debug lines: the prefilter must not skip lines holding them. */
  readonly lowLevelLiterals: readonly string[];
}

/** Load every pattern file under the given folders (the built-in catalog first). */
export function loadCatalog(dirs: readonly string[] = [builtinPatternsDir()]): Catalog {
  const problems: string[] = [];
  const patterns: CompiledPattern[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    // The one-file build's own folder is inside it (compiled.ts).
    const inside = embeddedPatternFiles(dir);
    let files: string[];
    try {
      if (inside) files = [...inside.keys()];
      else if (!statSync(dir).isDirectory()) {
        problems.push(`${dir}: not a folder of pattern files`);
        continue;
      } else files = listYaml(dir);
    } catch {
      problems.push(`${dir}: cannot read the pattern folder`);
      continue;
    }
    for (const file of files) {
      const text = inside?.get(file);
      const shown = text === undefined ? relative(process.cwd(), file) || file : file;
      const r = text === undefined ? loadPatternFile(file, shown) : compilePatternSource(text, shown);
      if ('problems' in r) {
        problems.push(...r.problems);
        continue;
      }
      const prev = seen.get(r.pattern.id);
      if (prev) {
        problems.push(`${shown}:1:1: id: duplicate id ${r.pattern.id} (already used by ${prev}); ids are never reused`);
        continue;
      }
      seen.set(r.pattern.id, shown);
      patterns.push(r.pattern);
    }
  }
  if (problems.length > 0) throw new CatalogError(problems);
  return finishCatalog(patterns);
}

/** Parse, validate and compile one file. */
export function loadPatternFile(file: string, shown = file): { pattern: CompiledPattern } | { problems: string[] } {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    return { problems: [`${shown}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`] };
  }
  return compilePatternSource(source, shown);
}

export function compilePatternSource(source: string, shown: string): { pattern: CompiledPattern } | { problems: string[] } {
  const lc = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${shown}:${pos ? `${pos.line}:${pos.col}` : '1:1'}: YAML: ${e.message.split('\n')[0]}`;
      }),
    };
  }
  const where = (path: ReadonlyArray<string | number>): string => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const p = lc.linePos(node.range[0]);
        return `${p.line}:${p.col}`;
      }
    }
    return '1:1';
  };
  const parsed = patternSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((i) => {
        const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
        const got = doc.getIn(path);
        const gotText = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 80);
        return `${shown}:${where(path)}: ${path.join('.') || '(file)'}: ${i.message} (got ${gotText})`;
      }),
    };
  }
  return compileSpec(parsed.data, shown, where);
}

/**
 * Compile the built-in catalog ahead of time (run by `npm run build`): the validated specs of
 * patterns/ and a manifest of the files they came from, written to dist/catalog.json. Throws
 * CatalogError when the catalog has problems (nothing is written then).
 */
export function writeCompiledCatalog(root: string = packageRoot()): { file: string; patterns: number } {
  // The manifest first: a file changed while loading then makes the result stale, never wrong.
  const manifest = catalogManifest(root);
  const catalog = loadCatalog([join(root, 'patterns')]);
  const out: CompiledCatalogFile = {
    format: COMPILED_FORMAT,
    manifest,
    // Without the examples (two thirds of the text): `analyze` never reads them, and what the
    // catalog leaves on the heap makes V8 grow it for the whole run. `patterns` reads the YAML.
    patterns: catalog.patterns.map((p) => ({
      file: relative(root, resolve(p.file)).split('\\').join('/'),
      spec: { ...p.spec, examples: { match: [], nomatch: [] } },
      // Worked out here once, not at every start (the manifest holds regex-source.js).
      required: requiredSubstrings(p.regex),
      anyOf: requiredAlternatives(p.regex),
    })),
  };
  const file = join(root, COMPILED_CATALOG);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(out));
  renameSync(`${file}.tmp`, file);
  return { file, patterns: out.patterns.length };
}
