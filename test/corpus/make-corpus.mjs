#!/usr/bin/env node
// Writes the labelled evaluation corpus: test/corpus/<nnn>-<cause>-<variant>.log + labels.json.
// Deterministic (seeded by file name); plain Node, no dependencies. Run: node test/corpus/make-corpus.mjs
import { writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayLog, render } from './gen/lib.mjs';
import { allInOneBanner, agentStartup, traffic, xdsReconnect13, fetchFailure, fetchingImage, wasmLoadFailure } from './gen/blocks.mjs';
import { FETCH } from './gen/scenarios-fetch.mjs';
import { LOAD } from './gen/scenarios-load.mjs';
import { PROXY } from './gen/scenarios-proxy.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const ORDER = [
  'wasm-fetch-bad-address', 'wasm-fetch-network', 'wasm-fetch-auth', 'wasm-fetch-tls', 'wasm-image-format',
  'wasm-module-corrupt', 'wasm-module-incompatible', 'wasm-plugin-config', 'wasm-plugin-crash', 'envoy-crash',
  'oom', 'bad-config', 'port-bind', 'xds-disconnected', 'tls-certificate', 'upstream-unavailable', 'healthy',
];

const all = [...FETCH, ...LOAD, ...PROXY].sort((a, b) => ORDER.indexOf(a.cause) - ORDER.indexOf(b.cause));

export function layoutLabel(log) {
  const kinds = new Set(log.records.map((r) => r.kind));
  if (kinds.has('envoy')) return { L1: 'envoy', L1plain: 'envoy', L2: 'envoy-istio', L3: 'envoy-epoch' }[log.layout];
  if (kinds.has('go')) return 'istio-go';
  return 'mixed';
}

export function build(s, name) {
  const log = new GatewayLog({ seed: name, start: s.start, tz: s.tz ?? 0, version: s.version, env: s.env, layout: s.layout });
  if (s.lead === 'startup') {
    // the excerpt starts where the container started (kubectl logs / gateway.log after a restart)
    if (s.env === 'docker' && !s.wrapper) allInOneBanner(log, { checks: log.r.int(1, 3) });
    agentStartup(log, { flags: false });
    log.wait(60_000, 600_000);
  }
  s.build(log);
  if (s.tail === 'reconnect') {
    // periodic forced reconnect: pilot re-pushes everything and the same failure comes back
    traffic(log, log.routes, log.r.int(2, 4), { aiLog: true });
    log.wait(20_000, 40_000);
    xdsReconnect13(log);
    if (log.lastFetch) {
      for (const ref of log.lastFetch.refs) fetchingImage(log, ref);
      log.wait(300, 700);
      fetchFailure(log, log.lastFetch.errors, { rbac: log.lastFetch.rbac });
    } else if (log.lastLoad) {
      log.wait(50, 100);
      wasmLoadFailure(log, log.lastLoad);
    }
    traffic(log, log.routes, log.r.int(1, 3), { aiLog: true });
  }
  const text = render(log, { wrapper: s.wrapper ?? null, damage: s.damage ?? [], composeName: s.composeName });
  return { log, text };
}

function main() {
  for (const f of readdirSync(here)) if (/^\d{3}-.*\.log$/.test(f)) unlinkSync(join(here, f));
  const labels = [];
  all.forEach((s, i) => {
    const file = `${String(i + 1).padStart(3, '0')}-${s.cause}-${s.variant}.log`;
    const { log, text } = build(s, file);
    writeFileSync(join(here, file), text);
    labels.push({
      file,
      cause: s.cause,
      // A subject the log never names cannot be expected of the tool.
      subject: Object.fromEntries(Object.entries(s.subject ?? {}).filter(([, v]) => text.includes(v))),
      higress: s.version,
      layout: layoutLabel(log),
      wrapper: s.wrapper ?? null,
      damage: s.damage ?? [],
      note: s.note,
    });
  });
  writeFileSync(join(here, 'labels.json'), JSON.stringify(labels, null, 1) + '\n');
  const by = (k) => labels.reduce((m, l) => ((m[l[k] ?? 'none'] = (m[l[k] ?? 'none'] ?? 0) + 1), m), {});
  console.log(`${labels.length} scenarios`);
  console.log('cause', by('cause'));
  console.log('higress', by('higress'));
  console.log('layout', by('layout'));
  console.log('wrapper', by('wrapper'));
  console.log('damaged', labels.filter((l) => l.damage.length || l.wrapper).length);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
