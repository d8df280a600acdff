// What each stable cause id (src/causes.ts, docs/contracts.md#cause-ids) means to a reader: its category, a
// short name for reports, and the advice that applies whatever pattern found it.
import type { CauseId } from '../model.js';

/**
 * A step of a cause's advice. It applies when the log gave every field in `needs`, none in
 * `unless`, and each `when` field it gave matches (one it did not give leaves the step in). Besides
 * fields: `frames` (a crash block with frames), `upstream` (a cluster other than the control plane's
 * config stream, or a plugin's outbound call).
 * `<url>`, `<plugin>`, `<port>`, `<import>`, `<cluster>` … are filled with what the log gave.
 */
export interface CauseStep {
  readonly text: string;
  readonly needs?: readonly string[];
  readonly unless?: readonly string[];
  readonly when?: Readonly<Record<string, RegExp>>;
}

export interface CauseInfo {
  readonly id: CauseId;
  readonly category: string;
  readonly name: string;
  /** Generic next steps; the check command and the pattern's own steps come before these (remediation.ts). */
  readonly remediation: readonly CauseStep[];
}

const CAUSES = [
  {
    id: 'wasm-fetch-bad-address',
    category: 'address',
    name: 'Wasm plugin URL is wrong',
    remediation: [
      {
        text: 'Point the WasmPlugin spec.url at a file that exists. With HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN, the pattern must contain ${name} (and usually ${version}), e.g. http://<intranet-host>:<server-port>/plugins/${name}/${version}/plugin.wasm: a fixed path makes every plugin fetch the same file.',
      },
      { text: 'Publish the missing plugin version under that exact name on the plugin server or registry (plugins/${name}/${version}/plugin.wasm for the built-in plugin-server).' },
    ],
  },
  {
    id: 'wasm-fetch-network',
    category: 'network',
    name: 'Gateway cannot reach the plugin server',
    remediation: [
      {
        text: 'In Docker, `localhost` is the gateway container itself: use a host the container can reach (a shared Docker network name, or the host IP). Check DNS, firewalls and proxies on the way, and that the server itself is running.',
      },
      {
        text: 'Offline installs cannot reach the public registry: pre-download plugins (oras) and serve them from an intranet HTTP server, or use the built-in plugin-server (USE_PLUGIN_SERVER=on, http://localhost:8002/plugins/${name}/${version}/plugin.wasm).',
      },
    ],
  },
  {
    id: 'wasm-fetch-auth',
    category: 'access',
    name: 'Registry refused the credentials',
    remediation: [
      { text: 'Give the gateway a pull secret for the registry (WasmPlugin imagePullSecret, or HIGRESS_ADMIN_WASM_PLUGIN_IMAGE_PULL_SECRET), and check that the account may read that repository.' },
      { text: "For a private HTTP server, check its access rules for the gateway's address." },
    ],
  },
  {
    id: 'wasm-fetch-tls',
    category: 'network',
    name: 'TLS failure while fetching a plugin',
    remediation: [
      { text: 'The registry or server certificate is not trusted by the gateway: add the CA to the gateway image/trust store, or serve the plugin over plain HTTP on a trusted network.' },
      { text: "Check that the host name in the URL matches the certificate and that the gateway's clock is right." },
    ],
  },
  {
    id: 'wasm-image-format',
    category: 'module',
    name: 'Plugin image is not a Wasm packaging the gateway accepts',
    remediation: [
      { text: 'Push the plugin as a Higress/Istio Wasm image (a tar.gz layer holding plugin.wasm, or the OCI Wasm artifact layout the gateway supports), not a bare single-layer artifact from another tool.' },
      { text: 'Offline: serve the extracted plugin.wasm over HTTP instead of an oci:// reference, which avoids the image parser.' },
    ],
  },
  {
    id: 'wasm-module-corrupt',
    category: 'module',
    name: 'Wasm module is corrupt or not a Wasm file',
    remediation: [
      { text: 'Download the module again and verify it: it must start with the bytes \\0asm (`head -c4 plugin.wasm | xxd`), and its sha256 must match the one configured in the WasmPlugin.' },
      { text: 'A web server that answers 200 with an HTML error page produces this: look at what the URL returns.' },
    ],
  },
  {
    id: 'wasm-module-incompatible',
    category: 'module',
    name: 'Wasm module is not compatible with this gateway',
    remediation: [
      { text: "Use the plugin release made for this gateway's Higress version (match the plugin image tag to the gateway)." },
      {
        text: '<import> is a WASI call that Proxy-Wasm hosts do not provide: the module was built for a plain WASI target; rebuild it with the Higress plugin SDK and its documented toolchain.',
        needs: ['import'],
        when: { import: /^wasi_/ },
      },
      { text: '<import> is a host function only newer gateways export: upgrade the gateway to a release that has it.', needs: ['import'], when: { import: /^env\.proxy_/ } },
    ],
  },
  {
    id: 'wasm-plugin-config',
    category: 'config',
    name: 'Plugin rejected its configuration',
    remediation: [
      {
        text: "Fix the plugin configuration (WasmPlugin defaultConfig / matchRules, or the console's plugin settings) against the plugin's documented fields; the log line names the field it rejected.",
      },
      { text: 'An empty configuration must usually be {} rather than "" for plugins that require one.' },
    ],
  },
  {
    id: 'wasm-plugin-crash',
    category: 'crash',
    name: 'Wasm plugin crashed',
    remediation: [
      { text: 'Disable plugin <plugin> and confirm the gateway is stable again; then upgrade it to a release that matches the gateway, and send its authors the backtrace.', needs: ['plugin'] },
      {
        text: 'Disable the plugin enabled or changed last and confirm the gateway is stable again; then upgrade it to a release that matches the gateway, and send its authors the backtrace.',
        unless: ['plugin'],
      },
      { text: 'Enable plugins one at a time in a test environment; set failStrategy FAIL_OPEN only if traffic may pass without the plugin.' },
      { text: 'Check memory limits too: Wasm VMs need memory per worker thread.' },
    ],
  },
  {
    id: 'wasm-vm-limit',
    category: 'resource',
    name: 'Too many Wasm VMs',
    remediation: [
      { text: 'Every plugin runs one VM per worker thread: reduce the number of plugins or the gateway concurrency, or raise the memory and map-count limits (vm.max_map_count).' },
    ],
  },
  {
    id: 'envoy-crash',
    category: 'crash',
    name: 'Envoy crashed',
    remediation: [
      { text: 'Keep the Envoy version and the top frames shown here for the bug report; search the Higress release notes and issues for them, and upgrade to the latest patch release.', needs: ['frames'] },
      { text: 'Search the Higress release notes and issues for this crash, and upgrade to the latest patch release.', unless: ['frames'] },
      { text: 'If a plugin was enabled or changed just before, disable it and see whether the crash stops; check the container memory limit and usage (OOM can look like a crash).' },
    ],
  },
  {
    id: 'oom',
    category: 'resource',
    name: 'Out of memory',
    remediation: [
      { text: "Raise the gateway container's memory limit (Kubernetes resources.limits.memory, Docker --memory)." },
      {
        text: 'Find what grows, over time (kubectl top pod, docker stats): Wasm plugins reserve memory per VM and worker thread; connections, buffered bodies, routes and clusters add to it.',
      },
    ],
  },
  {
    id: 'bad-config',
    category: 'config',
    name: 'Gateway configuration rejected',
    remediation: [
      {
        text: 'Fix or revert the last change to the resource named in the rejection (Ingress, McpBridge, WasmPlugin, EnvoyFilter, higress-config); until then Envoy keeps its previous configuration for that type.',
      },
      { text: 'On the control plane, `ADS:<TYPE>: ACK ERROR` lines in pilot.log / the discovery container show the same rejection.' },
    ],
  },
  {
    id: 'xds-disconnected',
    category: 'control-plane',
    name: 'Gateway lost its configuration stream',
    remediation: [
      {
        text: 'Check that the controller/pilot is running and reachable from the gateway on port 15012 (all-in-one: 127.0.0.1:15012; Kubernetes: higress-controller.<namespace>.svc:15012).',
      },
      { text: 'Look in controller.log / pilot.log (all-in-one) or the higress-controller pod logs for why it is down or refusing connections.' },
    ],
  },
  {
    id: 'tls-certificate',
    category: 'tls',
    name: 'Certificate verification failed',
    remediation: [
      {
        text: "The upstream's certificate is not trusted or does not match its name: fix its chain or SAN, or configure the CA for that upstream (DestinationRule / McpBridge TLS settings); skip verification only for testing.",
        needs: ['upstream'],
      },
      {
        text: "Find which certificate it is — a listener's Secret (SDS), the controller's, or an upstream's — and check its chain, SAN and expiry, and the clocks of both sides.",
        unless: ['upstream'],
      },
    ],
  },
  {
    id: 'port-bind',
    category: 'startup',
    name: 'Listener cannot bind its port',
    remediation: [
      {
        text: "`Address already in use`: another process (or a second gateway with host networking) holds port <port> (ss -ltnp 'sport = :<port>'); free it or change the gateway's port.",
        when: { error: /in use/i },
      },
      {
        text: '`Permission denied`: ports below 1024 need NET_BIND_SERVICE or net.ipv4.ip_unprivileged_port_start=0 when the gateway runs as non-root.',
        when: { error: /denied/i },
      },
    ],
  },
  {
    id: 'upstream-unavailable',
    category: 'upstream',
    name: 'Upstream unavailable',
    remediation: [
      { text: 'Check the backend service behind cluster <cluster>: endpoints, health checks, and that it accepts connections from the gateway (ports, network policies).', needs: ['cluster'] },
      { text: 'Check the backend service the route points to: endpoints, health checks, and that it accepts connections from the gateway (ports, network policies).', unless: ['cluster'] },
      { text: 'For external services (McpBridge, DNS/static sources), check that the address resolves and is reachable from the gateway container.' },
    ],
  },
  {
    id: 'unknown',
    category: '—',
    name: 'Unexplained error',
    remediation: [{ text: 'No pattern explains this error: read the evidence lines; if it matters, add a pattern (higress-doctor patterns) or report it.' }],
  },
] as const satisfies readonly CauseInfo[];

// Every cause id has its entry: the compiler checks this table against CAUSE_IDS (src/causes.ts).
type Unlisted = Exclude<CauseId, (typeof CAUSES)[number]['id']>;
export const EVERY_CAUSE_LISTED: [Unlisted] extends [never] ? true : never = true;

const BY_ID = new Map<string, CauseInfo>(CAUSES.map((c) => [c.id, c]));

export function causeInfo(id: CauseId): CauseInfo {
  return BY_ID.get(id)!;
}

