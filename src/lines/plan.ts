// What the scanner needs of the catalog, as plain data: the pipeline builds it, and it travels to
// the scan worker, which builds the same scanner parts from it.
import { FastLiterals } from './prefilter.js';
import { ByteLiteralSearch } from './literal-hits.js';
import { ContextLane, riskyLiteral } from './context-lane.js';
import type { ScannerOptions } from './scanner.js';

/** What the scanner needs of the catalog, as plain data (it travels to the scan worker). */
export interface ScanPlan {
  /** Literals of low-level patterns (the prefilter keeps low-level lines that hold one). */
  readonly lowLevelLiterals: readonly string[];
  /** The catalog's literals by id (catalog/match.ts matchLiterals): each candidate line is searched for them. */
  readonly matchLiterals: readonly string[];
  /** Per literal id, 1 for literals only context patterns have (laneLiterals); null: no context lane. */
  readonly laneLiterals: readonly number[] | null;
  /**
   * With laneLiterals: the 4-byte needles an access line must hold to read plugin activity
   * (catalog/scan-plan.ts accessNeedles); one without them waits behind a held line. Null: none waits.
   */
  readonly accessNeedles: ReadonlyArray<readonly number[]> | null;
  /** Turn the prefilter (and the search and the lane) off. */
  readonly noPrefilter: boolean;
}

/** Scanner options for a plan, made once per input (the lane has state); the rest is shared. */
export function scannerOptionsFor(plan: ScanPlan): () => ScannerOptions {
  const literals = new FastLiterals(plan.lowLevelLiterals);
  if (plan.noPrefilter) return () => ({ literals, noPrefilter: true });
  const search = new ByteLiteralSearch(plan.matchLiterals);
  const laneFlags = plan.laneLiterals ? Uint8Array.from(plan.laneLiterals) : null;
  const keysDecide = !plan.matchLiterals.some(riskyLiteral);
  const accessNeedles = plan.accessNeedles?.map((n) => Uint8Array.from(n));
  return () => ({ literals, search, lane: laneFlags ? new ContextLane(laneFlags, search, keysDecide) : undefined, accessNeedles });
}
