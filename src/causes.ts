// The stable cause ids (docs/contracts.md#cause-ids): extend, never rename. The ground of the pipeline:
// every stage may import it, and the CauseId type is derived from the list, so the list, the
// schema of pattern files and the cause table (diagnose/causes.ts) are tied by the compiler.
export const CAUSE_IDS = [
  'wasm-fetch-bad-address',
  'wasm-fetch-network',
  'wasm-fetch-auth',
  'wasm-fetch-tls',
  'wasm-image-format',
  'wasm-module-corrupt',
  'wasm-module-incompatible',
  'wasm-plugin-config',
  'wasm-plugin-crash',
  'wasm-vm-limit',
  'envoy-crash',
  'oom',
  'bad-config',
  'xds-disconnected',
  'tls-certificate',
  'port-bind',
  'upstream-unavailable',
  'unknown',
] as const;

export type CauseId = (typeof CAUSE_IDS)[number];
