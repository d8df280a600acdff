// A log text through the one pipeline, as `analyze` reads a file named gateway.log (context lane on): the
// diagnosis a report is rendered from, for tests about reports.
import type { Diagnosis } from '../../src/model.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { Pipeline } from '../../src/pipeline.js';

let catalog: ReturnType<typeof loadCatalog> | undefined;

export function diagnoseLog(log: string): Diagnosis {
  catalog ??= loadCatalog();
  const p = new Pipeline(catalog, { contextLane: true });
  p.beginInput('gateway.log');
  p.push(Buffer.from(log));
  p.endInput();
  return p.snapshot();
}
