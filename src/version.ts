// The tool's name and version, read once from package.json (or carried by the one-file build), and
// what `higress-doctor version` adds: the catalog, the JSON schema and the commit of the build.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtinPatternsDir, listYaml, packageRoot } from './catalog/compiled.js';
import { EMBEDDED } from './embedded.js';

let cached: string | null = null;

export function toolVersion(): string {
  if (cached === null) {
    if (EMBEDDED) cached = EMBEDDED.version;
    else {
      try {
        cached = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
      } catch {
        cached = '0.0.0';
      }
    }
  }
  return cached;
}

export const TOOL_NAME = 'higress-doctor';

/** Written by `npm run build` (scripts/build-info.mjs), relative to the package folder. */
export const BUILD_INFO = join('dist', 'build-info.json');

/** The commit the tool was built from: `unknown` outside git, `-dirty` when files differed from it. */
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
