// A log text through the one pipeline: as `analyze` reads a file named gateway.log (context lane on), the diagnosis
// a report is rendered from; or as a pasted excerpt, on the fast path and the reference path.
import { expect } from 'vitest';
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

/** A pasted excerpt through the pipeline as `analyze -` reads it (no context lane); `noPrefilter`: the reference path. */
export function diagnosePaste(text: string, noPrefilter = false): Diagnosis {
  catalog ??= loadCatalog();
  const p = new Pipeline(catalog, { noPrefilter });
  p.beginInput('paste.log');
  p.push(Buffer.from(text.endsWith('\n') ? text : `${text}\n`));
  p.endInput();
  return p.snapshot();
}

/** The first incident's cause of a paste, checked to be the same on the fast and the reference path. */
export function topCause(text: string): string | undefined {
  const fast = diagnosePaste(text);
  const slow = diagnosePaste(text, true);
  expect(fast.incidents.map((i) => i.cause)).toEqual(slow.incidents.map((i) => i.cause));
  return fast.incidents[0]?.cause;
}
