// `npm run build` step: write dist/catalog.json (see compiled.ts). A catalog with problems is not
// compiled: the stale file is removed, the build goes on, and `analyze` reads (and reports) the YAML.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogError, writeCompiledCatalog } from './load.js';
import { COMPILED_CATALOG, packageRoot } from './compiled.js';

try {
  const r = writeCompiledCatalog();
  process.stdout.write(`compiled ${r.patterns} patterns into ${COMPILED_CATALOG}\n`);
} catch (e) {
  rmSync(join(packageRoot(), COMPILED_CATALOG), { force: true });
  if (!(e instanceof CatalogError)) throw e;
  process.stderr.write(`note: ${COMPILED_CATALOG} not written, the catalog has problems (analyze reads the YAML):\n${e.problems.map((p) => `  ${p}`).join('\n')}\n`);
}
