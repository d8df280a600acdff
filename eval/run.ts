// `npm run eval`: print the accuracy of the catalog on the labelled corpus (test/corpus), or with
// `--real DIR` on a folder of real pasted excerpts labelled in DIR/cases.json (../shared/real-logs),
// scored as the held-out set is: the first incident must carry the label; a healthy log may raise
// nothing at error level or above. `--tier exact|general` keeps only that tier of the catalog
// (the general tier alone shows how far its vocabulary carries on wording no pattern knows).
import { join } from 'node:path';
import { loadCatalog, packageRoot } from '../src/catalog/load.js';
import { evaluate, evaluateReal, formatResult, onlyTier } from './evaluate.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const real = flag('--real');
const tier = flag('--tier');
if (tier !== undefined && tier !== 'exact' && tier !== 'general') {
  process.stderr.write(`eval: --tier takes exact or general (got ${tier})\n`);
  process.exit(2);
}
const catalog = tier ? onlyTier(loadCatalog(), tier) : loadCatalog();
const r = real ? evaluateReal(real, catalog) : evaluate(args[0] ?? join(packageRoot(), 'test/corpus'), catalog);
process.stdout.write(formatResult(r));
process.exitCode = r.faultCorrect === r.faultTotal && r.falseAlarms === 0 ? 0 : 1;
