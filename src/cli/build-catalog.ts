// `npm run build` step (a command of its own: it needs the catalog and the pipeline's scan plan): write dist/catalog.json (see compiled.ts) and dist/scan-plan.json. A catalog
// with problems is not compiled: the stale files are removed, the build goes on, and `analyze`
// reads (and reports) the YAML.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogError, writeCompiledCatalog } from '../catalog/load.js';
import { COMPILED_CATALOG, COMPILED_SCAN_PLAN, loadCompiledCatalog } from '../catalog/compiled.js';
import { packageRoot } from '../package.js';
import { scanPlanFor } from '../catalog/scan-plan.js';
import { CAUSES_READING_PLUGIN_ACTIVITY } from '../diagnose/correlations.js';

try {
  const r = writeCompiledCatalog();
  process.stdout.write(`compiled ${r.patterns} patterns into ${COMPILED_CATALOG}\n`);
  // The scan plan `analyze` needs with this catalog, so a big file's scan can start before the
  // catalog is loaded (cli/analyze.ts checks it against the plan of the catalog it then loads).
  const compiled = loadCompiledCatalog();
  if (compiled) writeFileSync(join(packageRoot(), COMPILED_SCAN_PLAN), JSON.stringify(scanPlanFor(compiled, { contextLane: true }, CAUSES_READING_PLUGIN_ACTIVITY)));
  else rmSync(join(packageRoot(), COMPILED_SCAN_PLAN), { force: true });
} catch (e) {
  rmSync(join(packageRoot(), COMPILED_CATALOG), { force: true });
  rmSync(join(packageRoot(), COMPILED_SCAN_PLAN), { force: true });
  if (!(e instanceof CatalogError)) throw e;
  process.stderr.write(`note: ${COMPILED_CATALOG} not written, the catalog has problems (analyze reads the YAML):\n${e.problems.map((p) => `  ${p}`).join('\n')}\n`);
}
