// `npm run eval`: print the accuracy of the catalog on the labelled corpus.
import { join } from 'node:path';
import { loadCatalog, packageRoot } from '../src/catalog/load.js';
import { evaluate, formatResult } from './evaluate.js';

const dir = process.argv[2] ?? join(packageRoot(), 'test/corpus');
const r = evaluate(dir, loadCatalog());
process.stdout.write(formatResult(r));
process.exitCode = r.faultCorrect === r.faultTotal && r.falseAlarms === 0 ? 0 : 1;
