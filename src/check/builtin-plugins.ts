// The plugins a Higress console ships with and the version it puts into `${version}`: the console
// fills HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN with each built-in plugin's spec.yaml
// `info.name` and `info.version` (docs/formats.md §A6). Read from higress-group/higress-console v2.2.4,
// `backend/sdk/src/main/resources/plugins/plugins.properties` (which plugins) and each plugin's
// `spec.yaml` (which version). The image tags there differ for some (key-auth 2.0.0 vs spec 1.0.0):
// the pattern uses the spec's.

export interface PluginRef {
  readonly name: string;
  readonly version: string;
}

const V201 = [
  'ai-prompt-decorator', 'ai-prompt-template', 'ai-rag', 'ai-search', 'ai-security-guard', 'ai-statistics',
  'ai-token-ratelimit', 'ai-transformer', 'ai-cache', 'ai-proxy', 'ai-history', 'ai-intent', 'ai-quota', 'ai-agent',
  'ai-data-masking', 'ai-json-resp', 'ai-load-balancer', 'model-router', 'model-mapper', 'mcp-server', 'oidc',
  'ext-auth', 'opa', 'transformer', 'cache-control', 'de-graphql', 'geo-ip', 'frontend-gray', 'json-converter',
  'cluster-key-rate-limit', 'ip-restriction', 'request-validation', 'traffic-tag', 'waf',
];
const V100 = ['basic-auth', 'key-auth', 'jwt-auth', 'hmac-auth', 'oauth', 'custom-response', 'request-block', 'key-rate-limit', 'bot-detect'];

export const BUILTIN_PLUGINS: readonly PluginRef[] = [
  ...V201.map((name) => ({ name, version: '2.0.1' })),
  ...V100.map((name) => ({ name, version: '1.0.0' })),
  { name: 'cors', version: '2.0.2' },
].sort((a, b) => a.name.localeCompare(b.name));

export const BUILTIN_SOURCE = 'higress-console v2.2.4';

export function builtinVersion(name: string): string | null {
  return BUILTIN_PLUGINS.find((p) => p.name === name)?.version ?? null;
}
