// What every output path does before rendering: make log text inert (strip escape sequences),
// then, when asked, redact it. Stripping comes first: an escape sequence wedged into an address
// would otherwise hide it from redaction.
import type { Diagnosis } from '../model.js';
import { createRedactor, redactDiagnosis, type Redactor } from './redact.js';
import { stripControls } from '../sanitize.js';

export interface Prepared {
  readonly diagnosis: Diagnosis;
  /** The report's redactor (its counts say what was hidden), or null when redaction is off. */
  readonly redactor: Redactor | null;
}

export function prepareDiagnosis(d: Diagnosis, opts: { redact: boolean }): Prepared {
  const clean = stripDiagnosis(d);
  if (!opts.redact) return { diagnosis: clean, redactor: null };
  const redactor = createRedactor();
  return { diagnosis: redactDiagnosis(clean, redactor), redactor };
}

/** Every string of the diagnosis with escape sequences removed (newlines kept). */
export function stripDiagnosis(d: Diagnosis): Diagnosis {
  return stripStrings(d) as Diagnosis;
}

function stripStrings(value: unknown): unknown {
  if (typeof value === 'string') return stripControls(value, { keepNewlines: true });
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(stripStrings);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = stripStrings(v);
  return out;
}
