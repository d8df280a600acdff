// Advice once: an incident's steps are one ordered list — the `higress-doctor check` command that
// confirms a fetch or module fault, then the pattern's steps (the rule's first), then the cause's
// steps that apply — with near-duplicates left out and what the log named filled in (`<url>`,
// `<plugin>`, `<port>`, `<import>`, `<pod>`, …). The catalog lint (test/catalog.test.ts) uses the
// same measure so that the catalog does not say a thing twice in the first place.
import type { CauseId } from '../model.js';
import { causeInfo, type CauseStep } from './causes.js';

/** Steps an incident shows at most. */
export const MAX_STEPS = 6;

// ---- near-duplicates ----------------------------------------------------------------------------

/**
 * Two steps are near-duplicates when most content words of the shorter one are in the other: the
 * overlap coefficient |A ∩ B| / min(|A|, |B|) is at least NEAR_DUPLICATE, with at least
 * MIN_SHARED words shared. Measured on the catalog of issue 15 (334 pairs of a pattern's steps and
 * its causes' steps): the repetitions the issue names scored 0.50–1.00 ("request the URL from
 * inside the container" 0.50, "check spec.url / the URL pattern" 1.00, `{}` vs `""` 0.57–0.71,
 * "rebuild the module" 0.55–0.63); of the pairs between 0.40 and 0.50, 9 of 10 said the same thing
 * ("report the panic … disable or upgrade" vs "disable … send its authors the backtrace", 0.44);
 * below 0.40 nearly all give different advice in the same area (0.33–0.38).
 */
export const NEAR_DUPLICATE = 0.4;
export const MIN_SHARED = 3;

const STOP = new Set(
  'the and for its this that with from are was when then than there their them they you your use using only any each every just can may must should would more most other also into out over under about before after again once here same what which who how all both few some such own very too via not nor has have had been being does did done one two'.split(' '),
);

/** Content words of a step: lowercase, 3+ characters, no stop words or placeholders, plural `s` off. */
export function stepWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().replace(/<[^>\s]*>|\{[\w]+\}/g, ' ').match(/[a-z0-9_$]+/g) ?? []) {
    if (w.length < 3 || STOP.has(w)) continue;
    out.add(w.length > 4 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);
  }
  return out;
}

/**
 * The content words of the steps compared so far. Steps compared are the catalog's and the causes'
 * templates (placeholders unfilled), a few hundred texts: each incident of a report compares the
 * same ones again, so each is split once (a report of 500 incidents spent a twentieth of its run here).
 */
const wordsOfStep = new Map<string, ReadonlySet<string>>();
const MAX_REMEMBERED_STEPS = 4096;

function stepWordsOnce(text: string): ReadonlySet<string> {
  let w = wordsOfStep.get(text);
  if (w === undefined) {
    w = stepWords(text);
    if (wordsOfStep.size < MAX_REMEMBERED_STEPS) wordsOfStep.set(text, w);
  }
  return w;
}

/** Overlap coefficient of two steps' content words, and how many they share. */
export function stepOverlap(a: string, b: string): { score: number; shared: number } {
  const A = stepWordsOnce(a);
  const B = stepWordsOnce(b);
  let shared = 0;
  for (const w of A) if (B.has(w)) shared++;
  return { score: shared / Math.max(1, Math.min(A.size, B.size)), shared };
}

export function nearDuplicate(a: string, b: string): boolean {
  const o = stepOverlap(a, b);
  return o.score >= NEAR_DUPLICATE && o.shared >= MIN_SHARED;
}

// ---- what the log named -------------------------------------------------------------------------

/** Fields of a finding that advice can name (bounded: only these are kept per incident). */
export const ADVICE_FIELDS = ['url', 'plugin', 'port', 'address', 'addr', 'listener', 'import', 'pod', 'cluster', 'namespace', 'program', 'error'] as const;

/** What an incident's advice may use: the fields the log gave, and what its evidence shows. */
export interface AdviceFacts {
  readonly fields: Readonly<Record<string, string>>;
  /** A crash block with frames is in the evidence. */
  readonly frames: boolean;
}

/** Values of `<placeholder>`s, from the fields the log gave; none for what it did not. */
function placeholderValues(f: Readonly<Record<string, string>>): Map<string, string> {
  const v = new Map<string, string>();
  const set = (k: string, x: string | undefined): void => {
    // A value that long is not something to paste into a command.
    if (x && x.length <= 300 && !v.has(k)) v.set(k, x);
  };
  set('url', f.url);
  set('plugin', f.plugin);
  set('import', f.import);
  set('pod', f.pod);
  set('cluster', f.cluster);
  set('listener', f.listener);
  set('namespace', f.namespace);
  set('program', f.program);
  set('address', f.address ?? f.addr);
  const url = f.url ?? '';
  if (/^oci:\/\//i.test(url)) set('ref', url.replace(/^oci:\/\//i, ''));
  // `0.0.0.0:80`, `[::]:443`, Envoy's listener name `0.0.0.0_443`.
  const port = f.port ?? /[:_](\d{1,5})$/.exec(f.address ?? f.addr ?? f.listener ?? '')?.[1];
  set('port', port);
  return v;
}

/** Envoy's clusters for the control plane (the config and secret streams): not an upstream of requests. */
const CONTROL_PLANE_CLUSTER = /^(?:xds[-_]grpc|xds_cluster|sds[-_]grpc)$/;

/**
 * Which facts an incident has: its fields, `frames`, and `upstream` (a cluster other than the
 * control plane's, or a plugin's outbound call).
 */
function factNames(facts: AdviceFacts): Set<string> {
  const names = new Set(Object.keys(facts.fields).filter((k) => facts.fields[k] !== ''));
  if (facts.frames) names.add('frames');
  const cluster = facts.fields.cluster;
  if ((cluster && !CONTROL_PLANE_CLUSTER.test(cluster)) || names.has('plugin')) names.add('upstream');
  return names;
}

/**
 * Does a cause step apply? `needs`: the log gave all of these; `unless`: none of these; `when`: a
 * field the log gave matches (a field it did not give leaves the step in: it may apply).
 */
export function stepApplies(step: CauseStep, facts: AdviceFacts): boolean {
  const have = factNames(facts);
  if (step.needs?.some((n) => !have.has(n))) return false;
  if (step.unless?.some((n) => have.has(n))) return false;
  for (const [k, re] of Object.entries(step.when ?? {})) {
    const v = facts.fields[k];
    if (v !== undefined && v !== '' && !re.test(v)) return false;
  }
  return true;
}

/** A value as one shell word: quoted when it holds anything a shell would act on. */
export const shellWord = (s: string): string => (/^[\w@%+=:,./~-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** `<url>`, `<plugin>`, `<port>` … replaced by what the log gave (as one shell word); the others stay. */
export function fillStep(text: string, facts: AdviceFacts): string {
  const values = placeholderValues(facts.fields);
  return text.replace(/<(url|plugin|import|pod|cluster|listener|namespace|program|address|ref|port)>/g, (m, k: string) => {
    const v = values.get(k);
    return v === undefined ? m : shellWord(v);
  });
}

// ---- the check step -----------------------------------------------------------------------------

const CHECKABLE = new Set<CauseId>(['wasm-fetch-bad-address', 'wasm-fetch-network', 'wasm-fetch-auth', 'wasm-fetch-tls', 'wasm-image-format', 'wasm-module-corrupt', 'wasm-module-incompatible']);

/**
 * Fetch and module incidents start with the `higress-doctor check` command that confirms them, with
 * the URL or reference the log named (`template` is the step as the near-duplicate test reads it).
 */
export function checkStep(cause: CauseId, facts: AdviceFacts): { template: string; text: string } | null {
  if (!CHECKABLE.has(cause)) return null;
  const url = facts.fields.url ?? '';
  const module = cause.startsWith('wasm-module');
  const oci = /^oci:\/\//i.test(url);
  const known = url !== '' && url.length <= 300 && (oci || /^https?:\/\//i.test(url));
  const target = known ? shellWord(url) : null;
  if (module && !oci) {
    const cmd = `higress-doctor check module ${target ?? '<plugin.wasm or its URL>'}${cause === 'wasm-module-incompatible' ? ' --gateway <Higress version>' : ''}`;
    return { template: 'Check the module against this gateway before the next rollout: higress-doctor check module', text: `Check the module against this gateway before the next rollout: ${cmd}` };
  }
  const kind = oci ? 'oci' : 'url';
  const cmd = target
    ? `higress-doctor check ${kind} ${target}${oci || !/^https?:\/\//i.test(url) ? '' : ` (the raw answer: curl -v ${target})`}`
    : cause === 'wasm-fetch-auth' || cause === 'wasm-image-format'
      ? 'higress-doctor check oci <image reference> --auth <user:password>'
      : 'higress-doctor check url <plugin URL>';
  const template = 'From inside the gateway container, request the URL as the gateway does, before it fetches again: higress-doctor check url curl';
  return { template, text: `From inside the gateway container, request it as the gateway does, before it fetches again: ${cmd}` };
}

// ---- the list -----------------------------------------------------------------------------------

/**
 * The steps of an incident: the check command, the pattern's (specific) steps, then the cause's
 * steps that apply; a step that near-duplicates an earlier one is left out; placeholders filled.
 */
export function buildRemediation(cause: CauseId, specific: readonly string[], facts: AdviceFacts): string[] {
  const chosen: Array<{ template: string; text: string }> = [];
  const offer = (template: string, text = template): void => {
    if (chosen.length >= MAX_STEPS) return;
    if (chosen.some((c) => c.template === template || nearDuplicate(c.template, template))) return;
    chosen.push({ template, text });
  };
  const check = checkStep(cause, facts);
  if (check) offer(check.template, check.text);
  for (const s of specific) offer(s);
  for (const s of causeInfo(cause).remediation) if (stepApplies(s, facts)) offer(s.text);
  return chosen.map((c) => fillStep(c.text, facts));
}
