// What a Higress gateway lets a Wasm module import, per gateway version. Envoy links a module only
// when every function import names a host function it registered; an unknown one fails with
// `Failed to load Wasm module due to a missing import: <module>.<name>` (docs/formats.md §B), which is
// what `check` predicts here, before the gateway fetches anything.
//
// Built from these sources (facts only; docs/check.md has the full account):
// - Registration: proxy-wasm-cpp-host `src/wasm.cc` `WasmBase::registerCallbacks()` (env.pthread_equal,
//   env.emscripten_notify_memory_growth, every `FOR_ALL_WASI_FUNCTIONS` under both `wasi_unstable` and
//   `wasi_snapshot_preview1`, every `FOR_ALL_HOST_FUNCTIONS` as `env.proxy_*`, and the ABI-specific
//   ones), lists in `include/proxy-wasm/exports.h`; ABI exports in `src/bytecode_util.cc`.
// - Higress 1.0–1.3 (Envoy 1.20): proxy-wasm/proxy-wasm-cpp-host at d32cb05 (the exports.h Higress's
//   `envoy/1.20/patches/envoy/20230201-wasi-stub.patch` applies to) plus that patch's three WASI stubs.
// - Higress 1.4 (`20240519-wasm-upgrade.patch`, `20240521-fix-wasm-host.patch`): higress-group fork cad2eb0.
// - Higress 2.0.0–2.0.3: higress-group/envoy envoy-1.27 pins fork 7850d17 (2.0.4–2.0.7: the fork had
//   no function change until 70cab1a, 2025-03-25).
// - Higress 2.1.0 (alibaba/higress #1993, #2003): fork cde187a; 2.1.2: 71f6a9e "add more wasi abis"
//   (inferred from the same-day submodule update); 2.1.4 (#2387 "add upstream override wasm abi"):
//   27df305; 2.1.6 (#2662): 913c1b0, same functions. Higress 2.2 (Envoy 1.36) carries the same
//   patch set; its pin was not readable and is taken to provide at least 27df305's functions.
// Memory and table imports are always accepted; global imports never are (V8 `link`).

/** One step of the table: what became available in a Higress release. */
interface Level {
  /** The first Higress release with these functions. */
  readonly since: string;
  readonly env: readonly string[];
  readonly wasi: readonly string[];
  readonly abis: readonly string[];
}

// Upstream proxy-wasm's host functions registered for every ABI version (FOR_ALL_HOST_FUNCTIONS).
const PROXY_COMMON = [
  'log', 'get_status', 'set_property', 'get_property', 'send_local_response', 'get_shared_data', 'set_shared_data',
  'register_shared_queue', 'resolve_shared_queue', 'dequeue_shared_queue', 'enqueue_shared_queue',
  'get_header_map_value', 'add_header_map_value', 'replace_header_map_value', 'remove_header_map_value',
  'get_header_map_pairs', 'set_header_map_pairs', 'get_header_map_size', 'get_buffer_status', 'get_buffer_bytes',
  'set_buffer_bytes', 'http_call', 'grpc_call', 'grpc_stream', 'grpc_close', 'grpc_cancel', 'grpc_send',
  'set_tick_period_milliseconds', 'get_current_time_nanoseconds', 'define_metric', 'increment_metric',
  'record_metric', 'get_metric', 'set_effective_context', 'done', 'call_foreign_function',
].map((f) => `proxy_${f}`);

const LEVELS: readonly Level[] = [
  {
    since: '1.0.0',
    env: ['pthread_equal', ...PROXY_COMMON],
    wasi: [
      'fd_write', 'fd_read', 'fd_seek', 'fd_close', 'fd_fdstat_get', 'environ_get', 'environ_sizes_get', 'args_get',
      'args_sizes_get', 'clock_time_get', 'random_get', 'proc_exit', 'path_open', 'fd_prestat_get', 'fd_prestat_dir_name',
    ],
    abis: ['0_1_0', '0_2_0', '0_2_1'],
  },
  { since: '1.4.0', env: ['emscripten_notify_memory_growth', 'proxy_redis_init', 'proxy_redis_call'], wasi: [], abis: ['0_2_100'] },
  { since: '2.1.0', env: [], wasi: ['fd_fdstat_set_flags', 'sched_yield', 'poll_oneoff', 'path_filestat_get', 'fd_filestat_get'], abis: [] },
  {
    since: '2.1.2',
    env: [],
    wasi: [
      'fd_fdstat_set_rights', 'clock_res_get', 'fd_advise', 'fd_allocate', 'fd_datasync', 'fd_filestat_set_size',
      'fd_filestat_set_times', 'fd_pread', 'fd_pwrite', 'fd_readdir', 'fd_renumber', 'fd_sync', 'fd_tell',
      'path_create_directory', 'path_filestat_set_times', 'path_link', 'path_readlink', 'path_remove_directory',
      'path_rename', 'path_symlink', 'path_unlink_file', 'sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown',
    ],
    abis: [],
  },
  { since: '2.1.4', env: ['proxy_get_upstream_hosts', 'proxy_inject_encoded_data_to_filter_chain', 'proxy_set_upstream_override_host'], wasi: [], abis: [] },
];

/** Host functions registered only for some ABI versions (registerCallbacks' `abiVersion()` branches). */
const ABI_SPECIFIC: Readonly<Record<string, readonly string[]>> = {
  '0_1_0': ['proxy_get_configuration', 'proxy_continue_request', 'proxy_continue_response', 'proxy_clear_route_cache'],
  '0_2_0': ['proxy_continue_stream', 'proxy_close_stream'],
  '0_2_1': ['proxy_continue_stream', 'proxy_close_stream', 'proxy_get_log_level'],
  '0_2_100': ['proxy_continue_stream', 'proxy_close_stream', 'proxy_get_log_level'],
};

/** Not in upstream proxy-wasm: only a Higress gateway has these. */
const HIGRESS_ONLY = new Set([
  'env.proxy_redis_init', 'env.proxy_redis_call', 'env.proxy_get_upstream_hosts',
  'env.proxy_inject_encoded_data_to_filter_chain', 'env.proxy_set_upstream_override_host',
]);

const WASI_MODULES = ['wasi_unstable', 'wasi_snapshot_preview1'];

/** The newest Higress line the table describes; a newer --gateway is checked against it. */
export const NEWEST_KNOWN = '2.2.0';

export type Version = readonly [number, number, number];

/** `2.1.3`, `v2.1`, `2` → a version; null when it is not one. */
export function parseVersion(s: string): Version | null {
  const m = /^v?(\d{1,3})(?:\.(\d{1,3}))?(?:\.(\d{1,3}))?$/.exec(s.trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export const formatVersion = (v: Version): string => v.join('.');

/** The gateway a module is checked against. */
export interface Gateway {
  readonly version: Version;
  /** For sentences: `Higress 2.1.3`. */
  readonly name: string;
  /** How it was chosen, for the report: `--gateway 2.1.3`, `newest known (2.2)`. */
  readonly label: string;
}

export function gatewayFor(option: string | undefined): Gateway | null {
  if (option === undefined) return { version: parseVersion(NEWEST_KNOWN)!, name: 'Higress 2.2', label: 'Higress 2.2 (newest known; --gateway to choose)' };
  const v = parseVersion(option);
  if (!v || v[0] < 1) return null;
  const newest = parseVersion(NEWEST_KNOWN)!;
  const name = `Higress ${formatVersion(v)}`;
  if (compareVersions(v, newest) > 0) return { version: v, name, label: `${name} (checked as ${NEWEST_KNOWN}, the newest known)` };
  return { version: v, name, label: name };
}

interface Entry {
  since: Version;
}

const FUNCTIONS = new Map<string, Entry>();
const ABIS = new Map<string, Entry>();
for (const level of LEVELS) {
  const since = parseVersion(level.since)!;
  for (const f of level.env) FUNCTIONS.set(`env.${f}`, { since });
  for (const f of level.wasi) for (const m of WASI_MODULES) FUNCTIONS.set(`${m}.${f}`, { since });
  for (const a of level.abis) ABIS.set(a, { since });
}

/** The Proxy-Wasm ABI versions a module may export as `proxy_abi_version_<v>`, and since when. */
export function abiSince(abi: string): Version | null {
  return ABIS.get(abi)?.since ?? null;
}

export type ImportVerdict =
  | { readonly ok: true; readonly higressOnly: boolean; readonly since: Version }
  /** `since` null: no known Higress version provides it. */
  | { readonly ok: false; readonly since: Version | null; readonly reason: string };

/** Whether the gateway links `module.name` (a function import) for a module of ABI `abi`. */
export function checkImport(module: string, name: string, abi: string, gw: Gateway): ImportVerdict {
  const key = `${module}.${name}`;
  const abiOnly = module === 'env' ? Object.entries(ABI_SPECIFIC).filter(([, fs]) => fs.includes(name)).map(([a]) => a) : [];
  if (abiOnly.length > 0) {
    // The same name under another ABI: the module mixes SDKs; no gateway version helps.
    if (!abiOnly.includes(abi)) return { ok: false, since: null, reason: `registered only for Proxy-Wasm ABI ${abiOnly.join(', ')}, not ${abi}` };
    const since = abiSince(abi)!;
    return compareVersions(gw.version, since) >= 0 ? { ok: true, higressOnly: false, since } : { ok: false, since, reason: 'not provided' };
  }
  const entry = FUNCTIONS.get(key);
  if (!entry) return { ok: false, since: null, reason: 'not provided by any known Higress version' };
  if (compareVersions(gw.version, entry.since) < 0) return { ok: false, since: entry.since, reason: 'not provided' };
  return { ok: true, higressOnly: HIGRESS_ONLY.has(key), since: entry.since };
}

/** Every function the newest known gateway provides (for tests and docs). */
export function knownImports(): string[] {
  return [...FUNCTIONS.keys(), ...new Set(Object.values(ABI_SPECIFIC).flat().map((f) => `env.${f}`))];
}
