// The catalog proves itself: every pattern's examples run through the real pipeline, and the
// catalog is linted (ids, remediation, cause coverage, regex cost).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load.js';
import { runExamples } from '../src/catalog/examples.js';
import { lintPatterns } from '../src/catalog/lint.js';
import { lintCorrelations } from '../src/diagnose/correlations.js';
import { CAUSE_IDS } from '../src/causes.js';
import { causeInfo, type CauseStep } from '../src/diagnose/causes.js';
import { buildRemediation, checkStep, nearDuplicate, stepOverlap, NEAR_DUPLICATE, MIN_SHARED } from '../src/diagnose/remediation.js';
import type { CauseId } from '../src/model.js';

const catalog = loadCatalog();

describe('catalog examples', () => {
  const results = runExamples(catalog);
  it('has examples to run', () => {
    expect(results.length).toBeGreaterThan(catalog.patterns.length);
  });
  for (const r of results) {
    it(`${r.patternId} ${r.kind} #${r.index + 1} (${r.file})`, () => {
      expect(r.problem ?? 'ok').toBe('ok');
      expect(r.ok).toBe(true);
    });
  }
});

describe('catalog lint (catalog/lint.ts)', () => {
  it('finds no problem in the built-in catalog', () => {
    expect(lintPatterns(catalog.patterns, true)).toEqual([]);
  });

  it('the correlation table applies to this catalog: its signals are declared, its causes yielded', () => {
    expect(lintCorrelations(catalog.patterns)).toEqual([]);
    // A catalog where nothing declares `memory` would leave memory-explains-crash dead: said so.
    const noMemory = catalog.patterns.map((p) => ({ ...p, signals: p.signals.filter((s) => s !== 'memory') }));
    const noRuleMemory = noMemory.map((p) => ({ ...p, rules: p.rules.map((r) => ({ ...r, signals: r.signals?.filter((s) => s !== 'memory') })) }));
    expect(lintCorrelations(noRuleMemory)).toContain('memory-explains-crash: no pattern declares the signal memory');
  });

  it('finds the problems it looks for (the lint can fail)', () => {
    const base = catalog.patterns.find((p) => p.rules.length > 0)!;
    const bad = {
      ...base,
      id: 'HD-X-1',
      literals: ['status code 404'],
      regex: /x/,
      spec: { ...base.spec, explanation: 'short', examples: { match: [], nomatch: [] } },
    };
    // A budget below any run time stands in for a regex that backtracks catastrophically.
    const problems = lintPatterns([bad, bad], false, -1).map((x) => x.problem).join('\n');
    expect(problems).toMatch(/HD-<AREA>-<nnn>/);
    expect(problems).toMatch(/used twice/);
    expect(problems).toMatch(/more than 20 characters/);
    expect(problems).toMatch(/near-miss/);
    expect(problems).toMatch(/no example yields/);
    expect(problems).toMatch(/hex-looking word/);
    expect(problems).toMatch(/catastrophic backtracking/);
    expect(lintPatterns(catalog.patterns.filter((p) => p.spec.cause !== 'port-bind' && !p.rules.some((r) => r.cause === 'port-bind')), true).map((x) => x.problem)).toContain('no pattern yields port-bind');
  });
});

// Advice once (issue 15): no step says what another step of the same incident says. Near-duplicate is the measured
// word overlap of src/diagnose/remediation.ts (overlap coefficient of content words ≥ NEAR_DUPLICATE, with at least
// MIN_SHARED shared words).
describe('docs/causes.md', () => {
  it("lists every pattern under the cause it yields (its 'Found by' list), context patterns aside", () => {
    const doc = readFileSync(fileURLToPath(new URL('../docs/causes.md', import.meta.url)), 'utf8');
    const sections = new Map(doc.split(/\n## /).slice(1).map((part) => [part.slice(0, part.indexOf('\n')), part] as const));
    const missing = catalog.patterns
      .filter((p) => p.spec.role !== 'context')
      .filter((p) => !(sections.get(p.spec.cause) ?? '').includes(`- \`${p.id}\` `))
      .map((p) => `${p.id} (${p.spec.cause})`);
    expect(missing).toEqual([]);
  });
});

describe('catalog lint: advice once', () => {
  const ACCESS_FIELDS = ['code', 'flags', 'details', 'cluster', 'upstream_host', 'transport_failure', 'route', 'authority'];
  /** Fields a pattern can give: its regex's named groups, derived fields, the access log's for access layouts. */
  const fieldsOf = (p: (typeof catalog.patterns)[number]): Set<string> => {
    const names = new Set([...p.regex.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!));
    for (const [name] of p.derived) names.add(name);
    if (!p.layouts || p.layouts.has('access-json') || p.layouts.has('access-text')) for (const f of ACCESS_FIELDS) names.add(f);
    if (names.has('cluster') || names.has('plugin')) names.add('upstream');
    names.add('frames');
    return names;
  };
  /** Can a cause step apply to an incident of this pattern? Not when it needs what the pattern never gives, or excludes what it always does. */
  const canApply = (step: CauseStep, fields: Set<string>, subject: readonly string[]): boolean =>
    !(step.needs ?? []).some((n) => !fields.has(n)) && !(step.unless ?? []).some((n) => subject.includes(n));
  const exclusive = (a: CauseStep, b: CauseStep): boolean =>
    (a.needs ?? []).some((n) => (b.unless ?? []).includes(n)) || (b.needs ?? []).some((n) => (a.unless ?? []).includes(n));
  const show = (a: string, b: string): string => `${stepOverlap(a, b).score.toFixed(2)}\n    ${a}\n    ${b}`;

  it("no two steps of a pattern (its rules' steps included) say the same thing", () => {
    const found: string[] = [];
    for (const p of catalog.patterns) {
      const steps = [...new Set([...p.spec.remediation, ...p.rules.flatMap((r) => r.remediation ?? [])])];
      for (let i = 0; i < steps.length; i++) for (let j = i + 1; j < steps.length; j++) if (nearDuplicate(steps[i]!, steps[j]!)) found.push(`${p.id} ${show(steps[i]!, steps[j]!)}`);
    }
    expect(found).toEqual([]);
  });

  it("no pattern step says what a step of a cause it yields says, or that cause's check command", () => {
    const found: string[] = [];
    for (const p of catalog.patterns) {
      if (p.spec.role === 'context') continue;
      const fields = fieldsOf(p);
      const steps = [...p.spec.remediation, ...p.rules.flatMap((r) => r.remediation ?? [])];
      for (const cause of new Set<CauseId>([p.spec.cause as CauseId, ...p.rules.map((r) => r.cause)])) {
        const check = checkStep(cause, { fields: {}, frames: false });
        const generic = causeInfo(cause).remediation.filter((st) => canApply(st, fields, p.spec.subject)).map((st) => st.text);
        for (const s of steps) for (const g of [...(check ? [check.template] : []), ...generic]) if (nearDuplicate(s, g)) found.push(`${p.id} / ${cause} ${show(s, g)}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('no two steps of a cause that can apply together say the same thing', () => {
    const found: string[] = [];
    for (const id of CAUSE_IDS) {
      const steps = causeInfo(id).remediation;
      for (let i = 0; i < steps.length; i++) {
        for (let j = i + 1; j < steps.length; j++) {
          if (!exclusive(steps[i]!, steps[j]!) && nearDuplicate(steps[i]!.text, steps[j]!.text)) found.push(`${id} ${show(steps[i]!.text, steps[j]!.text)}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('the measure flags the repetitions issue 15 names and leaves different advice alone', () => {
    // Pairs the issue quoted (before the catalog was fixed).
    const same: Array<[string, string]> = [
      [
        'Request the same URL from inside the gateway container (curl -v <url>, or oras manifest fetch for oci://) to see what the gateway sees.',
        'From inside the gateway container, request the URL (curl -I <url>) and make sure the file exists under that exact name and version on the plugin server or registry.',
      ],
      [
        'Check the WasmPlugin spec.url (or HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN) for this plugin.',
        'Check the plugin URL the gateway fetches (WasmPlugin spec.url). With HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN, the pattern must contain ${name}.',
      ],
      ['Check the plugin configuration as JSON; an empty configuration must be {} rather than "".', 'An empty configuration must usually be {} rather than "" for plugins that require a config.'],
      [
        'Use the plugin build that matches this gateway version, or rebuild it with the Higress plugin SDK and its supported toolchain (for Go: the version the SDK documents).',
        'A missing wasi_snapshot_preview1.* import means the module was built for a WASI target whose calls Proxy-Wasm does not provide: rebuild with the Higress plugin SDK and its recommended toolchain; a missing env.proxy_* import means the plugin needs a newer gateway.',
      ],
    ];
    for (const [a, b] of same) expect(nearDuplicate(a, b), show(a, b)).toBe(true);
    const different: Array<[string, string]> = [
      ['Raise the gateway container memory limit (Kubernetes resources.limits.memory, Docker --memory).', 'Enable plugins one at a time in a test environment; set failStrategy FAIL_OPEN only if traffic may pass without the plugin.'],
      ['Check that the host name in the URL matches the certificate and that the gateway clock is right.', 'Publish the missing plugin version under that exact name on the plugin server or registry.'],
    ];
    for (const [a, b] of different) expect(nearDuplicate(a, b), show(a, b)).toBe(false);
    expect(NEAR_DUPLICATE).toBe(0.4);
    expect(MIN_SHARED).toBe(3);
  });
});

describe('advice once: the merged list', () => {
  it('fills in what the log named, drops what does not apply, keeps one of near-duplicates', () => {
    const crash = buildRemediation('wasm-plugin-crash', [], { fields: { plugin: 'mcp-server' }, frames: true });
    expect(crash[0]).toMatch(/^Disable plugin mcp-server and confirm/);
    expect(crash.join('\n')).not.toMatch(/enabled or changed last|<plugin>/);
    const unnamed = buildRemediation('wasm-plugin-crash', [], { fields: {}, frames: false });
    expect(unnamed[0]).toMatch(/^Disable the plugin enabled or changed last/);

    const envoy = buildRemediation('envoy-crash', [], { fields: {}, frames: false });
    expect(envoy.join('\n')).not.toMatch(/frames/);
    expect(buildRemediation('envoy-crash', [], { fields: {}, frames: true }).join('\n')).toMatch(/top frames shown here/);

    const tls = buildRemediation('tls-certificate', [], { fields: { cluster: 'outbound|443||billing.svc' }, frames: false });
    expect(tls.join('\n')).not.toMatch(/SDS|listener/);
    expect(buildRemediation('tls-certificate', [], { fields: {}, frames: false }).join('\n')).toMatch(/Secret \(SDS\)/);

    const port = buildRemediation('port-bind', [], { fields: { address: '0.0.0.0:80', error: 'Address already in use' }, frames: false });
    expect(port).toEqual(["`Address already in use`: another process (or a second gateway with host networking) holds port 80 (ss -ltnp 'sport = :80'); free it or change the gateway's port."]);

    const wasi = buildRemediation('wasm-module-incompatible', [], { fields: { import: 'wasi_snapshot_preview1.sched_yield' }, frames: false });
    expect(wasi.join('\n')).toContain('wasi_snapshot_preview1.sched_yield is a WASI call');
    expect(wasi.join('\n')).not.toMatch(/env\.proxy_|newer gateway/);

    const fetch = buildRemediation(
      'wasm-fetch-bad-address',
      ['Request the same URL from inside the gateway container (curl -v <url>, or oras manifest fetch for oci://) to see what the gateway sees.'],
      { fields: { url: 'http://10.0.0.5/plugin.wasm' }, frames: false },
    );
    expect(fetch[0]).toBe('From inside the gateway container, request it as the gateway does, before it fetches again: higress-doctor check url http://10.0.0.5/plugin.wasm (the raw answer: curl -v http://10.0.0.5/plugin.wasm)');
    expect(fetch.filter((s) => /inside the gateway container/.test(s))).toHaveLength(1);
    // A value a shell would act on is one quoted word.
    const quoted = buildRemediation('upstream-unavailable', [], { fields: { cluster: 'outbound|80||a.svc' }, frames: false });
    expect(quoted[0]).toContain("cluster 'outbound|80||a.svc'");
  });
});
