// The scan plan: what the scanner needs of a catalog, worked out from it (the catalog owns the
// plan it derives). The pipeline asks for it; \`npm run build\` writes the built-in catalog's plan
// ahead (cli/build-catalog.ts) so a big file's scan can start before the catalog is loaded.
import type { CauseId } from '../causes.js';
import type { AccessFields } from '../model.js';
import type { ScanPlan } from '../lines/plan.js';
import { MAX_NEEDLES } from '../lines/line-index.js';
import { accessMessage } from '../parse/layouts.js';
import type { Catalog } from './load.js';
import { laneLiterals, matchLiterals } from './match-index.js';

/** What a scanner of a pipeline with these options needs of the catalog (built ahead too: cli/build-catalog.ts). `readsPluginActivity`: the causes whose findings read the last plugin activity (diagnose/correlations.ts), so the access lines that may give one are not held back.. */
export function scanPlanFor(
  catalog: Catalog,
  opts: { noPrefilter?: boolean; contextLane?: boolean },
  readsPluginActivity: readonly CauseId[],
): ScanPlan {
  const noPrefilter = opts.noPrefilter ?? false;
  const lane = (opts.contextLane ?? false) && !noPrefilter;
  return {
    lowLevelLiterals: catalog.lowLevelLiterals,
    matchLiterals: matchLiterals(catalog),
    laneLiterals: lane ? laneLiterals(catalog) : null,
    accessNeedles: lane ? accessNeedles(catalog, readsPluginActivity) : null,
    noPrefilter,
  };
}

/** An access-log message with every field empty: the words it has whatever the line says. */
const ACCESS_TEMPLATE = accessMessage(Object.fromEntries(['code', 'flags', 'details', 'cluster', 'upstreamHost', 'transportFailure', 'route', 'authority', 'method', 'path'].map((k) => [k, ''])) as unknown as AccessFields);
/** What a field that is not a string reads as in the message (String() of it). */
const NON_STRING_VALUES = ' [object Object] true false null undefined Infinity';
/** The keys of Higress' default access log (docs/formats.md §L5): needles in them would find every line. */
const USUAL_ACCESS_KEYS =
  'ai_log authority bytes_received bytes_sent downstream_local_address downstream_remote_address duration istio_policy_status method path protocol request_id requested_server_name response_code response_flags route_name start_time trace_id upstream_cluster upstream_host upstream_local_address upstream_service_time upstream_transport_failure_reason user_agent x_forwarded_for response_code_details';

/**
 * 4-byte needles of which an access line must hold one (or else `\u`, which could spell one
 * escaped in JSON) to give a finding that reads the last plugin activity; one without them waits
 * behind a held chatter line (lines/context-lane.ts). A TEXT access line's fields are pieces of
 * the line as written (the scanner lets only lines without backslashes wait). Such a pattern (by
 * its cause or a rule's) matches only events holding one of its literals. A piece of a literal between spaces and `=` that no
 * fixed word of the access message has lies inside one field's value, so its bytes are in the raw
 * line — except a byte a JSON escape spells (`\"`, `\/`, …): 4-byte windows of ASCII letters,
 * digits and punctuation other than those. Few windows that cover every literal are chosen.
 * Null when some literal has no such window or more than MAX_NEEDLES are needed: then no access
 * line waits.
 */
export function accessNeedles(catalog: Catalog, readsPluginActivity: readonly CauseId[]): number[][] | null {
  const options: string[][] = [];
  for (const p of catalog.patterns) {
    if (p.spec.role === 'context') continue;
    const reads = (c: string): boolean => (readsPluginActivity as readonly string[]).includes(c);
    if (!reads(p.spec.cause) && !p.rules.some((r) => reads(r.cause))) continue;
    // Only what can match an access event (JSON or TEXT) of the `access` logger.
    if ((p.layouts && !p.layouts.has('access-json') && !p.layouts.has('access-text')) || (p.loggers && !p.loggers.has('access'))) continue;
    if (p.literals.length === 0 || p.regex.flags.includes('i')) return null;
    for (const literal of p.literals) {
      const windows = new Set<string>();
      for (const piece of literal.split(/[ =]/)) {
        if (ACCESS_TEMPLATE.includes(piece) || NON_STRING_VALUES.includes(piece)) continue;
        for (let i = 0; i + 4 <= piece.length; i++) {
          const w = piece.slice(i, i + 4);
          if (/^[!#-.0-[\]-~]{4}$/.test(w)) windows.add(w);
        }
      }
      if (windows.size === 0) return null;
      options.push([...windows]);
    }
  }
  // Greedy cover, windows a usual access line lacks first.
  const chosen: string[] = [];
  let left = options;
  while (left.length > 0) {
    const score = new Map<string, number>();
    for (const o of left) for (const w of o) score.set(w, (score.get(w) ?? 0) + (USUAL_ACCESS_KEYS.includes(w) ? 0.001 : 1));
    const best = [...score].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
    chosen.push(best);
    left = left.filter((o) => !o.includes(best));
  }
  return chosen.length <= MAX_NEEDLES ? chosen.map((w) => [...Buffer.from(w, 'latin1')]) : null;
}
