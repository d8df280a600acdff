// `higress-doctor version` (and --version): what a support ticket needs to know about the build —
// the tool's version, the catalog's, the JSON schema's, the commit it was built from, the runtime.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isSea } from 'node:sea';
import { builtinPatternsDir, listYaml, packageRoot } from '../catalog/compiled.js';
import { EMBEDDED } from '../embedded.js';
import { SCHEMA_VERSION } from '../report/json.js';
import { TOOL_NAME, toolVersion } from '../version.js';
import { writeStdout } from './output.js';

/** Written by `npm run build` (scripts/build-info.mjs), relative to the package folder. */
export const BUILD_INFO = join('dist', 'build-info.json');

/** The commit the tool was built from: `unknown` outside git, `-dirty` when tracked files differed from it. */
export function buildCommit(): string {
  if (EMBEDDED) return EMBEDDED.commit;
  try {
    const info = JSON.parse(readFileSync(join(packageRoot(), BUILD_INFO), 'utf8')) as { commit?: unknown };
    return typeof info.commit === 'string' && info.commit !== '' ? info.commit : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The built-in catalog's version: how many pattern files it has and a fingerprint of them (SHA-256
 * of their paths and texts, 12 hex digits), the same in every build made from the same files.
 */
export function catalogVersion(): { patterns: number; fingerprint: string } {
  let files: ReadonlyArray<readonly [string, string]>;
  if (EMBEDDED) files = EMBEDDED.patterns;
  else {
    const root = packageRoot();
    files = listYaml(builtinPatternsDir()).map((f) => [relative(root, f).split('\\').join('/'), readFileSync(f, 'utf8')] as const);
  }
  const h = createHash('sha256');
  for (const [file, text] of files) h.update(`${file}\0${text}\0`);
  return { patterns: files.length, fingerprint: h.digest('hex').slice(0, 12) };
}

export function versionText(): string {
  const catalog = catalogVersion();
  const build = isSea() ? 'single executable' : EMBEDDED ? 'one-file bundle' : 'package folder';
  return [
    `${TOOL_NAME} ${toolVersion()}`,
    `catalog      ${catalog.patterns} patterns, fingerprint ${catalog.fingerprint}`,
    `json schema  ${SCHEMA_VERSION} (analyze --format json)`,
    `commit       ${buildCommit()}`,
    `runtime      node ${process.versions.node} ${process.platform}-${process.arch}, ${build}`,
    '',
  ].join('\n');
}

export function versionCommand(): number {
  writeStdout(versionText());
  return 0;
}
