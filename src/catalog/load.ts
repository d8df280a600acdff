// Load and validate pattern files. A bad file is reported like a compiler error:
// `patterns/wasm/fetch.yaml:12:5: match.regex: invalid regular expression …`, naming the field,
// the offending value and what was expected.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { LEVEL_RANK, type CauseId, type LayoutId, type Level, type Severity } from '../model.js';
import { patternSchema, type PatternSpec } from './schema.js';
import { TRANSFORMS } from './transforms.js';

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
}

export interface CompiledPattern {
  readonly spec: PatternSpec;
  readonly id: string;
  readonly file: string;
  readonly literals: readonly string[];
  readonly regex: RegExp;
  readonly minLevel: Level;
  readonly layouts: ReadonlySet<LayoutId> | null;
  readonly loggers: ReadonlySet<string> | null;
  readonly rules: readonly CompiledRule[];
  readonly derived: ReadonlyArray<readonly [string, string, (v: string) => string]>;
}

export interface Catalog {
  readonly patterns: readonly CompiledPattern[];
  /** Literals of patterns that accept info/debug lines: the prefilter must not skip lines holding them. */
  readonly lowLevelLiterals: readonly string[];
}

export class CatalogError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'CatalogError';
  }
}

/** Fields every event offers to rules and titles, besides the regex's named groups. */
export const IMPLICIT_FIELDS = [
  'message', 'level', 'logger', 'layout', 'kind', 'thread',
  'code', 'flags', 'details', 'cluster', 'upstream_host', 'transport_failure', 'route', 'authority',
] as const;

/** The folder that holds package.json (works from src/ under tests and from dist/ when built). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'patterns'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the higress-doctor package folder');
}

export function builtinPatternsDir(): string {
  return join(packageRoot(), 'patterns');
}

function listYaml(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Load every pattern file under the given folders (the built-in catalog first). */
export function loadCatalog(dirs: readonly string[] = [builtinPatternsDir()]): Catalog {
  const problems: string[] = [];
  const patterns: CompiledPattern[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    let files: string[];
    try {
      if (!statSync(dir).isDirectory()) {
        problems.push(`${dir}: not a folder of pattern files`);
        continue;
      }
      files = listYaml(dir);
    } catch {
      problems.push(`${dir}: cannot read the pattern folder`);
      continue;
    }
    for (const file of files) {
      const shown = relative(process.cwd(), file) || file;
      const r = loadPatternFile(file, shown);
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
  patterns.sort((a, b) => b.spec.priority - a.spec.priority || a.id.localeCompare(b.id));
  const lowLevelLiterals = patterns
    .filter((p) => LEVEL_RANK[p.minLevel] < LEVEL_RANK.warning)
    .flatMap((p) => p.literals);
  return { patterns, lowLevelLiterals };
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
  const spec = parsed.data;
  const problems: string[] = [];
  const err = (path: Array<string | number>, msg: string): void => {
    problems.push(`${shown}:${where(path)}: ${path.join('.')}: ${msg}`);
  };

  let regex: RegExp;
  try {
    regex = new RegExp(spec.match.regex, `${spec.match.all ? 'g' : ''}${spec.match.ignoreCase ? 'i' : ''}`);
  } catch (e) {
    err(['match', 'regex'], `invalid regular expression: ${(e as Error).message} (expected a JavaScript regex)`);
    return { problems };
  }
  const groups = [...spec.match.regex.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!);
  const known = new Set<string>([...groups, ...IMPLICIT_FIELDS]);
  const derived: Array<readonly [string, string, (v: string) => string]> = [];
  for (const [name, d] of Object.entries(spec.fields ?? {})) {
    if (!known.has(d.from)) err(['fields', name, 'from'], `unknown field '${d.from}' (expected a named group of match.regex or an implicit field)`);
    derived.push([name, d.from, TRANSFORMS[d.transform]!]);
    known.add(name);
  }
  spec.subject.forEach((s, i) => {
    if (!known.has(s)) err(['subject', i], `unknown field '${s}' (known: ${[...known].join(', ')})`);
  });
  const placeholders = (text: string, path: Array<string | number>): void => {
    for (const m of text.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
      if (!known.has(m[1]!)) err(path, `placeholder {${m[1]}} names no field (known: ${[...known].join(', ')})`);
    }
  };
  placeholders(spec.title, ['title']);
  placeholders(spec.explanation, ['explanation']);
  const compileConds = (conds: Record<string, string> | undefined, path: Array<string | number>): Array<readonly [string, RegExp]> =>
    Object.entries(conds ?? {}).flatMap(([field, src]) => {
      if (!known.has(field)) {
        err([...path, field], `unknown field '${field}'`);
        return [];
      }
      try {
        return [[field, new RegExp(src, 'i')] as const];
      } catch (e) {
        err([...path, field], `invalid regular expression: ${(e as Error).message}`);
        return [];
      }
    });
  const rules: CompiledRule[] = spec.rules.map((r, i) => {
    if (r.title) placeholders(r.title, ['rules', i, 'title']);
    placeholders(r.because, ['rules', i, 'because']);
    return {
      when: compileConds(r.when, ['rules', i, 'when']),
      unless: compileConds(r.unless, ['rules', i, 'unless']),
      cause: r.cause as CauseId,
      confidence: r.confidence,
      severity: r.severity,
      title: r.title,
      because: r.because,
      alternatives: (r.alternatives ?? []) as Array<{ cause: CauseId; confidence: number }>,
      remediation: r.remediation,
    };
  });
  const literals = typeof spec.match.literal === 'string' ? [spec.match.literal] : spec.match.literal;
  literals.forEach((l, i) => {
    if (l.includes('\n')) err(['match', 'literal', i], 'a literal cannot contain a newline (the prefilter works on single lines)');
  });
  if (spec.role === 'consequence' && !spec.consequenceOf?.length) err(['consequenceOf'], 'a consequence pattern must name the causes it follows (consequenceOf)');
  const minLevel = spec.match.minLevel as Level;
  if (LEVEL_RANK[minLevel] < LEVEL_RANK.warning && spec.match.layouts?.some((l) => l.startsWith('access'))) {
    err(['match', 'minLevel'], 'access-log patterns must have minLevel warning or above (successful requests are never parsed)');
  }
  if (problems.length > 0) return { problems };
  return {
    pattern: {
      spec,
      id: spec.id,
      file: shown,
      literals,
      regex,
      minLevel,
      layouts: spec.match.layouts ? new Set(spec.match.layouts as LayoutId[]) : null,
      loggers: spec.match.loggers ? new Set(spec.match.loggers) : null,
      rules,
      derived,
    },
  };
}

/** Resolve user-given catalog folders (`--patterns DIR`), after the built-in one. */
export function catalogDirs(extra: readonly string[] = []): string[] {
  return [builtinPatternsDir(), ...extra.map((d) => resolve(d))];
}
