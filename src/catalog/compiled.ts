// The light half of catalog loading: turning validated pattern specs into compiled patterns, and
// the built-in catalog compiled ahead of time. `npm run build` writes the validated specs of
// patterns/ to dist/catalog.json with a manifest of the files they came from; `analyze` loads
// that while it still describes patterns/ exactly (same files, sizes, times, same schema build),
// so a run needs neither the YAML parser nor the schema library. Otherwise, and for user
// folders, the YAML is read (load.ts). Nothing here imports yaml or zod.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LEVEL_RANK, type CauseId, type LayoutId, type Level } from '../model.js';
import type { Catalog, CompiledPattern, CompiledRule } from './load.js';
import type { PatternSpec } from './schema.js';
import type { ScanPlan } from '../lines/plan.js';
import { TRANSFORMS } from './transforms.js';
import { PLACEHOLDER } from './templates.js';
import { byCodeUnits } from '../words.js';
import { EMBEDDED } from '../embedded.js';
import { packageRoot } from '../package.js';

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

export { packageRoot } from '../package.js';

/** Where the one-file build's own pattern files seem to be: shown before their paths, never read from disk. */
export const EMBEDDED_ROOT = 'higress-doctor:';

export function builtinPatternsDir(): string {
  return EMBEDDED ? `${EMBEDDED_ROOT}patterns` : join(packageRoot(), 'patterns');
}

/** The pattern files the one-file build carries when `dir` is its built-in folder (shown path → text); else null. */
export function embeddedPatternFiles(dir: string): Map<string, string> | null {
  if (!EMBEDDED || dir !== builtinPatternsDir()) return null;
  return new Map(EMBEDDED.patterns.map(([file, text]) => [`${EMBEDDED_ROOT}${file}`, text]));
}

/** Resolve user-given catalog folders (`--patterns DIR`), after the built-in one. */
export function catalogDirs(extra: readonly string[] = []): string[] {
  return [builtinPatternsDir(), ...extra.map((d) => resolve(d))];
}

/** Pattern files under a folder, sorted, recursively. */
export function listYaml(dir: string): string[] {
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

/** Where a problem is in its file (`line:col`), by path into the document. */
export type Locate = (path: ReadonlyArray<string | number>) => string;

/** Check and compile one validated spec (what the schema cannot check: regexes, field names). */
export function compileSpec(spec: PatternSpec, shown: string, where: Locate): { pattern: CompiledPattern } | { problems: string[] } {
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
    const fn = TRANSFORMS[d.transform];
    if (!fn) err(['fields', name, 'transform'], `unknown transform '${d.transform}' (known: ${Object.keys(TRANSFORMS).join(', ')})`);
    else derived.push([name, d.from, fn]);
    known.add(name);
  }
  spec.subject.forEach((s, i) => {
    if (!known.has(s)) err(['subject', i], `unknown field '${s}' (known: ${[...known].join(', ')})`);
  });
  if (spec.extent !== undefined && !known.has(spec.extent)) err(['extent'], `unknown field '${spec.extent}' (known: ${[...known].join(', ')})`);
  const placeholders = (text: string, path: Array<string | number>): void => {
    for (const m of text.matchAll(PLACEHOLDER)) {
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
      signals: r.signals,
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
  lintTierAndSignals(spec, err);
  if (problems.length > 0) return { problems };
  return {
    pattern: {
      tier: spec.tier,
      signals: spec.signals ?? [],
      spec,
      id: spec.id,
      file: shown,
      literals,
      regex,
      minLevel,
      maxLevel: (spec.match.maxLevel as Level | undefined) ?? null,
      layouts: spec.match.layouts ? new Set(spec.match.layouts as LayoutId[]) : null,
      loggers: spec.match.loggers ? new Set(spec.match.loggers) : null,
      rules,
      derived,
    },
  };
}

/** Highest confidence a general-tier finding may claim: it only recognises a cause's words. */
export const GENERAL_TIER_MAX_CONFIDENCE = 0.5;

/** What the declared tier and signals promise (docs/patterns.md): checked for every pattern file. */
function lintTierAndSignals(spec: PatternSpec, err: (path: Array<string | number>, msg: string) => void): void {
  if (spec.tier === 'general') {
    if (spec.role !== 'root') err(['role'], 'a general-tier pattern is a root (it names a cause from its words)');
    if (spec.confidence > GENERAL_TIER_MAX_CONFIDENCE) err(['confidence'], `a general-tier pattern claims at most ${GENERAL_TIER_MAX_CONFIDENCE}`);
    spec.rules.forEach((r, i) => {
      if (r.confidence > GENERAL_TIER_MAX_CONFIDENCE) err(['rules', i, 'confidence'], `a general-tier rule claims at most ${GENERAL_TIER_MAX_CONFIDENCE}`);
      // A rule may raise its line to error (words that make a warning grave, its `because` says which), never to critical.
      if (r.severity !== undefined && r.severity !== 'error') err(['rules', i, 'severity'], 'a general-tier rule raises its line to error at most (or leaves the severity to the line)');
    });
    if (spec.signals?.length || spec.rules.some((r) => r.signals?.length)) err(['signals'], 'a general-tier pattern declares no signals (correlations rest on exact patterns)');
  }
  // A memory signal says memory ran out: what it decides is oom (or it is context for a later crash).
  const memoryOk = (cause: string): boolean => cause === 'oom' || spec.role === 'context';
  if (spec.signals?.includes('memory') && !memoryOk(spec.cause)) err(['signals'], `a memory signal belongs to an oom finding (the pattern's cause is ${spec.cause})`);
  spec.rules.forEach((r, i) => {
    if (r.signals?.includes('memory') && !memoryOk(r.cause)) err(['rules', i, 'signals'], `a memory signal belongs to an oom finding (the rule's cause is ${r.cause})`);
  });
}

/** Catalog order (exact tier first, then priority, then id) and the literals the prefilter must respect. */
export function finishCatalog(patterns: CompiledPattern[]): Catalog {
  const tier = (p: CompiledPattern): number => (p.spec.tier === 'general' ? 1 : 0);
  patterns.sort((a, b) => tier(a) - tier(b) || b.spec.priority - a.spec.priority || byCodeUnits(a.id, b.id));
  const lowLevelLiterals = patterns.filter((p) => LEVEL_RANK[p.minLevel] < LEVEL_RANK.warning).flatMap((p) => p.literals);
  return { patterns, lowLevelLiterals };
}

// ---- the compiled built-in catalog ------------------------------------------------------------

/** The file `npm run build` writes, relative to the package folder. */
export const COMPILED_CATALOG = join('dist', 'catalog.json');
/** The scan plan `analyze` needs with the compiled catalog (catalog/scan-plan.ts scanPlanFor), written with it. */
export const COMPILED_SCAN_PLAN = join('dist', 'scan-plan.json');

/**
 * The scan plan written with the compiled catalog, or null. Whoever uses it must check it against
 * the plan of the catalog actually loaded: the file says nothing about whether it is current.
 */
export function compiledScanPlan(): ScanPlan | null {
  try {
    const plan = JSON.parse(EMBEDDED ? EMBEDDED.scanPlan : readFileSync(join(packageRoot(), COMPILED_SCAN_PLAN), 'utf8')) as ScanPlan;
    return Array.isArray(plan.matchLiterals) && Array.isArray(plan.lowLevelLiterals) ? plan : null;
  } catch {
    return null;
  }
}
export const COMPILED_FORMAT = 1;

/** One source file as the compiled catalog remembers it: path (from the package folder), size, mtime (schema: content hash). */
export type ManifestEntry = readonly [string, number, number];

export interface CompiledCatalogFile {
  readonly format: number;
  /** The pattern files (and the schema module that validated them) as they were when compiled. */
  readonly manifest: readonly ManifestEntry[];
  /** `required`, `anyOf`: what the regex requires (regex-source.ts), worked out at build time. */
  readonly patterns: ReadonlyArray<{ readonly file: string; readonly spec: PatternSpec; readonly required?: readonly string[]; readonly anyOf?: readonly (readonly string[])[] }>;
}

/**
 * The files whose state the compiled catalog depends on: every pattern file, the schema module
 * that validated them and the regex reader that worked out their required substrings.
 */
export function catalogManifest(root: string = packageRoot()): ManifestEntry[] {
  const entries: ManifestEntry[] = listYaml(join(root, 'patterns')).map((f) => {
    const st = statSync(f);
    return [relative(root, f).split('\\').join('/'), st.size, st.mtimeMs] as const;
  });
  // The modules by content, not time: every build rewrites them, mostly unchanged.
  for (const module of ['./schema.js', './regex-source.js']) {
    const path = fileURLToPath(new URL(module, import.meta.url));
    if (!existsSync(path)) continue;
    const text = readFileSync(path);
    entries.push([relative(root, path).split('\\').join('/'), text.length, fnv1a(text)]);
  }
  return entries;
}

/** 32-bit FNV-1a of some bytes (a change detector, not a checksum against tampering). */
function fnv1a(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

/**
 * The built-in catalog from dist/catalog.json, or null when there is none or it no longer
 * matches patterns/ (then the YAML must be read).
 */
export function loadCompiledCatalog(): Catalog | null {
  let root: string;
  let data: CompiledCatalogFile;
  try {
    // The one-file build's catalog was compiled from the files it carries: current by construction.
    if (EMBEDDED) return compiledPatterns(JSON.parse(EMBEDDED.catalog) as CompiledCatalogFile, (file) => `${EMBEDDED_ROOT}${file}`);
    root = packageRoot();
    data = JSON.parse(readFileSync(join(root, COMPILED_CATALOG), 'utf8')) as CompiledCatalogFile;
    if (data.format !== COMPILED_FORMAT || !Array.isArray(data.patterns)) return null;
    const now = catalogManifest(root);
    if (now.length !== data.manifest.length) return null;
    for (let i = 0; i < now.length; i++) {
      const a = now[i]!;
      const b = data.manifest[i]!;
      if (a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2]) return null;
    }
  } catch {
    return null;
  }
  return compiledPatterns(data, (file) => {
    const abs = join(root, file);
    return relative(process.cwd(), abs) || abs;
  });
}

/** The compiled catalog file's specs, compiled; `shown`: how a pattern's file is named to the user. */
function compiledPatterns(data: CompiledCatalogFile, shown: (file: string) => string): Catalog | null {
  const patterns: CompiledPattern[] = [];
  for (const p of data.patterns) {
    const r = compileSpec(p.spec, shown(p.file), () => '1:1');
    if ('problems' in r) return null; // the YAML path reports it properly
    patterns.push(p.required ? { ...r.pattern, required: p.required, ...(p.anyOf ? { anyOf: p.anyOf } : {}) } : r.pattern);
  }
  return finishCatalog(patterns);
}

/**
 * The catalog for a run: the compiled built-in one when it is current and no user folders are
 * given; otherwise every folder's YAML (loading the YAML parser and schema only then).
 */
export async function loadRunCatalog(extra: readonly string[] = []): Promise<Catalog> {
  if (extra.length === 0) {
    const c = loadCompiledCatalog();
    if (c) return c;
  }
  const { loadCatalog } = await import('./load.js');
  return loadCatalog(catalogDirs(extra));
}
