// The shape of a pattern file (one pattern per YAML file under patterns/<area>/). See
// docs/patterns.md for the meaning of each field; the loader turns violations into
// compiler-style errors (file:line: field: problem, got …, expected …).
import { z } from 'zod';
import { CAUSE_IDS } from '../causes.js';
import { LAYOUT_IDS, SIGNALS } from '../model.js';
import { TRANSFORMS } from './transforms.js';

const level = z.enum(['trace', 'debug', 'info', 'warning', 'error', 'critical']);
const severity = z.enum(['info', 'warning', 'error', 'critical']);
const cause = z.enum(CAUSE_IDS);
const confidence = z.number().min(0).max(1);
const layout = z.enum(LAYOUT_IDS as [string, ...string[]]);
const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const alternative = z.strictObject({ cause, confidence });

/**
 * What a finding tells the correlations besides its cause (diagnose/correlations.ts): `memory` —
 * memory ran out (a crash after it, in the same process lifetime, is put down to memory);
 * `crash` — the process died here (the noise right after it is its knock-on); `restart` — a
 * process lifetime ends or begins here (correlations that need one lifetime stop at it).
 */
const signals = z.array(z.enum(SIGNALS)).min(1);

/** A rule decides the cause from the extracted fields; the first rule whose conditions hold wins. */
const rule = z.strictObject({
  /** field name → regex (case-insensitive) that must match the field's value. */
  when: z.record(z.string(), z.string()).optional(),
  /** field name → regex that must NOT match. */
  unless: z.record(z.string(), z.string()).optional(),
  cause,
  confidence,
  severity: severity.optional(),
  title: z.string().min(1).optional(),
  because: z.string().min(1),
  alternatives: z.array(alternative).optional(),
  remediation: z.array(z.string().min(1)).optional(),
  /** Replaces the pattern's signals when this rule decides (a `signal: killed` exit is a memory signal, a segfault exit a crash). */
  signals: signals.optional(),
});

const example = z.strictObject({
  text: z.string().min(1),
  cause,
  /** Fields the finding must carry (subset). */
  fields: z.record(z.string(), z.string()).optional(),
  /** How many findings the event must yield (for `all: true` patterns), default: at least one. */
  count: z.number().int().min(1).optional(),
  note: z.string().optional(),
});

export const patternSchema = z.strictObject({
  id: z.string().regex(/^HD-[A-Z]+-\d{3}$/, 'an id like HD-WASM-001'),
  title: z.string().min(1),
  severity,
  /** root: a cause in itself; consequence: joins a nearby root of `consequenceOf`; context: no incident. */
  role: z.enum(['root', 'consequence', 'context']).default('root'),
  consequenceOf: z.array(cause).optional(),
  /**
   * A context pattern that knows its line to be harmless (pilot-agent failing to scrape Envoy's stats while Envoy starts):
   * an error line only such findings claim is listed as recognised, not as an unexplained error.
   */
  harmless: z.boolean().optional(),
  /** Higher runs first; the first pattern that matches an event wins it. */
  priority: z.number().int().default(0),
  /**
   * exact: a message the sources print. general: a cause's vocabulary for warning and error lines
   * no exact pattern explains — tried after every exact pattern, confidence ≤ 0.5, and its
   * incidents rank after exact ones (docs/patterns.md "Two tiers").
   */
  tier: z.enum(['exact', 'general']).default('exact'),
  /**
   * When the incident repeats at least `atLeast` times, its cause becomes `cause` (one V8 check
   * failing once per worker thread is the VM limit, not a plugin bug).
   */
  repeated: z
    .strictObject({ atLeast: z.number().int().min(2), cause, confidence, because: z.string().min(1) })
    .optional(),
  signals: signals.optional(),
  /**
   * A field holding a number that grows while the failure lasts (`closed since {secs}s ago`): the
   * incident's title is the finding with the largest value — an outage lasts as long as the longest reported.
   */
  extent: z.string().min(1).optional(),
  match: z.strictObject({
    /** Cheap substring test(s) before the regex; at least one must occur in the message. */
    literal: stringOrList,
    regex: z.string().min(1),
    ignoreCase: z.boolean().default(false),
    /** Every match in the event is a finding (one per bullet of a multi-error list). */
    all: z.boolean().default(false),
    layouts: z.array(layout).optional(),
    loggers: z.array(z.string().min(1)).optional(),
    minLevel: level.default('warning'),
    /** Report the incident only once it has repeated this often (a wait that never ends, not a blip). */
    minCount: z.number().int().min(1).optional(),
    /**
     * Report the incident only once `count` of its events, at distinct seconds, fall within `seconds`:
     * a line that is normal now and then (a periodic reconnect) and a failure when it keeps coming.
     */
    burst: z.strictObject({ count: z.number().int().min(2), seconds: z.number().positive() }).optional(),
    /** Upper bound: a context pattern that should see only info/debug lines. */
    maxLevel: level.optional(),
  }),
  fields: z
    .record(
      z.string(),
      z.strictObject({
        from: z.string().min(1),
        transform: z.enum(Object.keys(TRANSFORMS) as [string, ...string[]]),
      }),
    )
    .optional(),
  subject: z.array(z.string().min(1)).default([]),
  cause,
  confidence,
  alternatives: z.array(alternative).default([]),
  rules: z.array(rule).default([]),
  explanation: z.string().min(1),
  remediation: z.array(z.string().min(1)).min(1),
  docs: z.string().min(1).optional(),
  references: z.array(z.string().min(1)).optional(),
  examples: z.strictObject({
    match: z.array(example).min(1),
    nomatch: z.array(z.string().min(1)).default([]),
  }),
});

export type PatternSpec = z.infer<typeof patternSchema>;
export type RuleSpec = z.infer<typeof rule>;
