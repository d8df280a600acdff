// What each stable cause id (src/causes.ts, docs/contracts.md#cause-ids) means to a reader: its category, a
// short name for reports, and the advice that applies whatever pattern found it.
import type { CauseId } from '../model.js';

export interface CauseInfo {
  readonly id: CauseId;
  readonly category: string;
  readonly name: string;
  /** Generic next steps; patterns add specific ones before these. */
  readonly remediation: readonly string[];
}

const CAUSES = [
  {
    id: 'wasm-fetch-bad-address',
    category: 'address',
    name: 'Wasm plugin URL is wrong',
    remediation: [
      'Check the plugin URL the gateway fetches (WasmPlugin spec.url). With HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN, the pattern must contain ${name} (and usually ${version}), e.g. http://<intranet-host>:<port>/plugins/${name}/${version}/plugin.wasm; a fixed path makes every plugin fetch the same file.',
      'From inside the gateway container, request the URL (curl -I <url>) and make sure the file exists under that exact name and version on the plugin server or registry.',
    ],
  },
  {
    id: 'wasm-fetch-network',
    category: 'network',
    name: 'Gateway cannot reach the plugin server',
    remediation: [
      'From inside the gateway container (not the host), test the plugin server: curl -v <url>. In Docker, `localhost` is the container itself: use a host the container can reach (a shared Docker network name, or the host IP).',
      'Offline installs cannot reach the public registry: pre-download plugins (oras) and serve them from an intranet HTTP server, or use the built-in plugin-server (USE_PLUGIN_SERVER=on, http://localhost:8002/plugins/${name}/${version}/plugin.wasm).',
      'Check DNS, firewalls and proxies between the gateway and the server; the plugin server itself must be running.',
    ],
  },
  {
    id: 'wasm-fetch-auth',
    category: 'access',
    name: 'Registry refused the credentials',
    remediation: [
      'Give the gateway a pull secret for the registry (WasmPlugin imagePullSecret, or HIGRESS_ADMIN_WASM_PLUGIN_IMAGE_PULL_SECRET), and check that the account may read that repository.',
      'For a private HTTP server, check its access rules for the gateway\'s address.',
    ],
  },
  {
    id: 'wasm-fetch-tls',
    category: 'network',
    name: 'TLS failure while fetching a plugin',
    remediation: [
      'The registry or server certificate is not trusted by the gateway: add the CA to the gateway image/trust store, or serve the plugin over plain HTTP on a trusted network.',
      'Check that the host name in the URL matches the certificate and that the gateway\'s clock is right.',
    ],
  },
  {
    id: 'wasm-image-format',
    category: 'module',
    name: 'Plugin image is not a Wasm packaging the gateway accepts',
    remediation: [
      'Push the plugin as a Higress/Istio Wasm image (a tar.gz layer holding plugin.wasm, or the OCI Wasm artifact layout the gateway supports), not a bare single-layer artifact from another tool.',
      'Offline: serve the extracted plugin.wasm over HTTP instead of an oci:// reference, which avoids the image parser.',
    ],
  },
  {
    id: 'wasm-module-corrupt',
    category: 'module',
    name: 'Wasm module is corrupt or not a Wasm file',
    remediation: [
      'Download the module again and verify it: it must start with the bytes \\0asm (`head -c4 plugin.wasm | xxd`), and its sha256 must match the one configured in the WasmPlugin.',
      'A web server that answers 200 with an HTML error page produces this: request the URL and look at what comes back.',
    ],
  },
  {
    id: 'wasm-module-incompatible',
    category: 'module',
    name: 'Wasm module is not compatible with this gateway',
    remediation: [
      'Use a plugin version built for this Higress/Envoy version (match the plugin image tag to the gateway version).',
      'A missing wasi_snapshot_preview1.* import means the module was built for a WASI target whose calls Proxy-Wasm does not provide: rebuild with the Higress plugin SDK and its recommended toolchain; a missing env.proxy_* import means the plugin needs a newer gateway.',
    ],
  },
  {
    id: 'wasm-plugin-config',
    category: 'config',
    name: 'Plugin rejected its configuration',
    remediation: [
      'Fix the plugin configuration (WasmPlugin defaultConfig / matchRules, or the console\'s plugin settings): compare it with the plugin\'s documented fields; the log line names the field it rejected.',
      'An empty configuration must usually be {} rather than "" for plugins that require a config.',
    ],
  },
  {
    id: 'wasm-plugin-crash',
    category: 'crash',
    name: 'Wasm plugin crashed',
    remediation: [
      'Disable the plugin named here (or the one enabled last) and confirm the gateway is stable again; then upgrade it to a version that matches the gateway, and report the backtrace to the plugin\'s authors.',
      'Enable plugins one at a time in a test environment; set failStrategy FAIL_OPEN only if traffic may pass without the plugin.',
      'Check memory limits too: Wasm VMs need memory per worker thread.',
    ],
  },
  {
    id: 'wasm-vm-limit',
    category: 'resource',
    name: 'Too many Wasm VMs',
    remediation: [
      'Every plugin runs one VM per worker thread: reduce the number of plugins or the gateway concurrency, or raise the memory and map-count limits (vm.max_map_count).',
    ],
  },
  {
    id: 'envoy-crash',
    category: 'crash',
    name: 'Envoy crashed',
    remediation: [
      'Note the Envoy version and the top frames below; check the Higress release notes and issues for this crash, and upgrade to the latest patch release.',
      'If a plugin was enabled or changed just before, disable it and see whether the crash stops; check the container memory limit and usage (OOM can look like a crash).',
    ],
  },
  {
    id: 'oom',
    category: 'resource',
    name: 'Out of memory',
    remediation: [
      'Raise the gateway container memory limit (Kubernetes resources.limits.memory, Docker --memory) and check what grows: Wasm plugins reserve memory per VM and worker.',
      'Reduce Wasm plugins or worker threads (concurrency), and watch memory over time (docker stats / kubectl top pod).',
    ],
  },
  {
    id: 'bad-config',
    category: 'config',
    name: 'Gateway configuration rejected',
    remediation: [
      'Fix the resource named in the rejection (Ingress, McpBridge, WasmPlugin, EnvoyFilter, higress-config); until then Envoy keeps its previous configuration for that type.',
      'On the control plane, `ADS:<TYPE>: ACK ERROR` lines in pilot.log / the discovery container show the same rejection.',
    ],
  },
  {
    id: 'xds-disconnected',
    category: 'control-plane',
    name: 'Gateway lost its configuration stream',
    remediation: [
      'Check that the controller/pilot is running and reachable from the gateway (all-in-one: 127.0.0.1:15012; Kubernetes: higress-controller.<namespace>.svc:15012).',
      'Look in controller.log / pilot.log (all-in-one) or the higress-controller pod logs for why it is down or refusing connections.',
    ],
  },
  {
    id: 'tls-certificate',
    category: 'tls',
    name: 'Certificate verification failed',
    remediation: [
      'The peer\'s certificate is not trusted or does not match its name: fix the certificate chain or SAN, or configure the CA for that upstream (DestinationRule/McpBridge TLS settings); skip verification only for testing.',
      'For listener certificates from secrets (SDS), check the Secret exists and holds a valid key pair.',
    ],
  },
  {
    id: 'port-bind',
    category: 'startup',
    name: 'Listener cannot bind its port',
    remediation: [
      '`Address already in use`: another process (or a second gateway with host networking) holds the port; free it or change the gateway port.',
      '`Permission denied`: ports below 1024 need NET_BIND_SERVICE or net.ipv4.ip_unprivileged_port_start=0 when the gateway runs as non-root.',
    ],
  },
  {
    id: 'upstream-unavailable',
    category: 'upstream',
    name: 'Upstream unavailable',
    remediation: [
      'Check the backend service behind the cluster named here: endpoints, health checks, and that it accepts connections from the gateway (ports, network policies).',
      'For external services (McpBridge, DNS/static sources), check that the address resolves and is reachable from the gateway container.',
    ],
  },
  {
    id: 'unknown',
    category: '—',
    name: 'Unexplained error',
    remediation: ['No pattern explains this error: read the evidence lines; if it matters, add a pattern (higress-doctor patterns) or report it.'],
  },
] as const satisfies readonly CauseInfo[];

// Every cause id has its entry: the compiler checks this table against CAUSE_IDS (src/causes.ts).
type Unlisted = Exclude<CauseId, (typeof CAUSES)[number]['id']>;
export const EVERY_CAUSE_LISTED: [Unlisted] extends [never] ? true : never = true;

const BY_ID = new Map<string, CauseInfo>(CAUSES.map((c) => [c.id, c]));

export function causeInfo(id: CauseId): CauseInfo {
  return BY_ID.get(id)!;
}

