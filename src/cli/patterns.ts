// `higress-doctor patterns list|show|test`: the catalog as a product surface.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { catalogDirs, loadCatalog, type CompiledPattern } from '../catalog/load.js';
import { lintPatterns } from '../catalog/lint.js';
import { lintCorrelations } from '../diagnose/correlations.js';
import { runExamples } from '../catalog/examples.js';
import { causeInfo } from '../diagnose/causes.js';
import { writeStdout } from './output.js';
import { InputError } from '../sources/open.js';

export function patternsCommand(verb: 'list' | 'show' | 'test', args: string[], extra: string[]): number {
  if (verb === 'test') return testPatterns(args);
  const catalog = loadCatalog(catalogDirs(extra));
  if (verb === 'list') {
    const rows = [...catalog.patterns].sort((a, b) => a.id.localeCompare(b.id));
    const w = Math.max(...rows.map((p) => p.spec.cause.length));
    writeStdout(rows.map((p) => `${p.id.padEnd(13)} ${p.spec.cause.padEnd(w)} ${p.spec.severity.padEnd(8)} ${p.spec.title}`).join('\n') + `\n${rows.length} patterns\n`);
    return 0;
  }
  const p = catalog.patterns.find((x) => x.id === args[0]);
  if (!p) throw new InputError(`no pattern ${args[0]} (see: higress-doctor patterns list)`);
  writeStdout(showPattern(p));
  return 0;
}

function showPattern(p: CompiledPattern): string {
  const s = p.spec;
  const out = [
    `${s.id}  ${s.title}`,
    `file:       ${p.file}`,
    `cause:      ${s.cause} (${causeInfo(s.cause as never).category}), confidence ${s.confidence}, severity ${s.severity}, role ${s.role}`,
    `matches:    literal ${JSON.stringify(p.literals)}; regex /${s.match.regex}/${s.match.all ? ' (every match)' : ''}`,
    `filters:    layouts ${s.match.layouts?.join(', ') ?? 'any'}; loggers ${s.match.loggers?.join(', ') ?? 'any'}; level ≥ ${s.match.minLevel}`,
    '',
    s.explanation,
  ];
  if (s.rules.length) {
    out.push('', 'Rules (first that holds decides):');
    for (const r of s.rules) out.push(`  - ${r.when ? Object.entries(r.when).map(([k, v]) => `${k} ~ /${v}/`).join(' and ') : 'otherwise'} → ${r.cause} (${r.confidence}): ${r.because}`);
  }
  out.push('', 'What to do:', ...s.remediation.map((r, i) => `  ${i + 1}. ${r}`));
  if (s.docs) out.push('', `Docs: ${s.docs}`);
  out.push('', 'Examples that must match:');
  for (const e of s.examples.match) out.push(`  → ${e.cause}${e.fields ? ` ${JSON.stringify(e.fields)}` : ''}`, ...e.text.trimEnd().split('\n').map((l) => `    ${l}`));
  if (s.examples.nomatch.length) {
    out.push('', 'Examples that must not match:');
    for (const t of s.examples.nomatch) out.push(...t.trimEnd().split('\n').map((l) => `    ${l}`));
  }
  return `${out.join('\n')}\n`;
}

/** Run the examples of the given pattern files/folders (with the built-in catalog beside them). */
function testPatterns(paths: string[]): number {
  const dirs = new Set<string>();
  const only = new Set<string>();
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new InputError(`cannot read ${p}: no such file or directory`);
    }
    dirs.add(st.isDirectory() ? resolve(p) : dirname(resolve(p)));
  }
  const builtin = catalogDirs()[0]!;
  const catalog = loadCatalog([builtin, ...[...dirs].filter((d) => d !== builtin)]);
  for (const p of catalog.patterns) {
    const abs = resolve(p.file);
    if (paths.some((x) => abs === resolve(x) || abs.startsWith(`${resolve(x)}/`))) only.add(p.id);
  }
  const results = runExamples(catalog, only);
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) writeStdout(`FAIL ${r.file}: ${r.patternId} ${r.kind} example ${r.index + 1}: ${r.problem}\n`);
  // The same lint the built-in catalog passes, on the files asked for.
  const lint = [
    ...lintPatterns(catalog.patterns.filter((p) => only.has(p.id))),
    ...lintCorrelations(catalog.patterns).map((problem) => ({ file: '(correlations)', id: '-', problem })),
  ];
  for (const l of lint) writeStdout(`LINT ${l.file}: ${l.id}: ${l.problem}\n`);
  writeStdout(`${results.length - failed.length} passed, ${failed.length} failed${lint.length ? `, ${lint.length} lint problem(s)` : ''}\n`);
  return failed.length || lint.length ? 1 : 0;
}
