// Derived fields: small, named functions a pattern can apply to an extracted field
// (`fields: { plugin: { from: url, transform: plugin-from-url } }`).

/**
 * The plugin a Wasm URL names, following how Higress builds them:
 * `oci://<registry>/plugins/key-auth:1.0.0`, `http://host:8002/plugins/key-auth/1.0.0/plugin.wasm`,
 * `http://host/key-auth.wasm`. Returns '' when the URL names no plugin (a fixed path such as
 * `/plugin.wasm`, or a literal `${name}`), which is itself a clue.
 */
export const pluginFromUrl = remembered(pluginFromUrlUncached, 512);

function pluginFromUrlUncached(url: string): string {
  const raw = url.trim();
  // `cannot fetch Wasm module <name>: missing image pulling secret` names the resource, not a URL.
  if (!raw.includes('/')) return pluginFromName(raw);
  let u = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  u = u.replace(/[?#].*$/, '');
  const slash = u.indexOf('/');
  if (slash < 0) return '';
  const path = u.slice(slash + 1);
  if (path.includes('${')) return '';
  const parts = path.split('/').filter(Boolean);
  const last = parts[parts.length - 1] ?? '';
  if (/^(?:plugin|main)\.wasm$/i.test(last)) {
    // .../<name>/<version>/plugin.wasm or .../<name>/plugin.wasm
    const before = parts.slice(0, -1).filter((p) => !isVersion(p));
    const name = before.length > 0 ? stripTag(before[before.length - 1]!) : '';
    // `/wasm/plugin.wasm` names a folder, not a plugin: that is the fixed-path mistake.
    return GENERIC_FOLDERS.has(name.toLowerCase()) ? '' : name;
  }
  if (/\.wasm$/i.test(last)) return last.slice(0, -5);
  const plugins = parts.indexOf('plugins');
  if (plugins >= 0 && parts[plugins + 1]) return stripTag(parts[plugins + 1]!);
  // OCI: <registry>/<repo path>/<name>:<tag>; `…/mcp-server/all-in-one:1.0.0` names the plugin one level up.
  const name = stripTag(last);
  if (name === 'all-in-one' && parts.length >= 2) return stripTag(parts[parts.length - 2]!);
  return name;
}

const GENERIC_FOLDERS = new Set(['wasm', 'plugins', 'plugin', 'higress', 'static', 'files', 'share', 'download', 'downloads', 'repo', 'repository', 'artifacts', 'modules']);

function isVersion(s: string): boolean {
  return /^v?\d+(?:\.\d+)*(?:[-+][\w.]+)?$/.test(s);
}

function stripTag(s: string): string {
  const at = s.indexOf('@');
  const noDigest = at >= 0 ? s.slice(0, at) : s;
  const colon = noDigest.indexOf(':');
  return colon >= 0 ? noDigest.slice(0, colon) : noDigest;
}

/**
 * A Higress plugin resource name → the plugin: `higress-system.key-auth-1.0.0` → `key-auth`,
 * `higress-system.mcp-server.internal` → `mcp-server`.
 */
export const pluginFromName = remembered(pluginFromNameUncached, 256);

function pluginFromNameUncached(name: string): string {
  let n = name.trim();
  const dot = n.indexOf('.');
  if (dot > 0 && /^[a-z0-9-]+$/.test(n.slice(0, dot)) && n.slice(0, dot).includes('-system')) n = n.slice(dot + 1);
  else if (dot > 0 && n.slice(0, dot) === 'default') n = n.slice(dot + 1);
  n = n.replace(/\.internal$/, '');
  n = n.replace(/-\d+(?:\.\d+){1,3}(?:-[\w.]+)?$/, '');
  return n;
}

/**
 * A Higress C++ plugin's source folder → the name it is published and configured under: the folders
 * use underscores (`extensions/jwt_auth/plugin.cc`), the plugins hyphens (`jwt-auth`), so one
 * plugin's lines group together whichever of the two names them.
 */
export function pluginFromSourceDir(dir: string): string {
  return dir.trim().replace(/_/g, '-');
}

/** `type.googleapis.com/envoy.config.listener.v3.Listener` → `Listener`. */
export function typeShort(typeUrl: string): string {
  const last = typeUrl.split(/[/.]/).pop() ?? typeUrl;
  return last;
}

/** The first line of a multi-line value. */
export function firstLine(v: string): string {
  const nl = v.indexOf('\n');
  return nl < 0 ? v : v.slice(0, nl);
}

/**
 * `fn` with its first answers remembered: the same few names and URLs come back on every
 * configuration push. Bounded (256 answers, keys up to `maxKey` characters), never started over
 * (a storm of distinct URLs would churn the memory), and made from a copy of the key: a key cut
 * out of a log line, or an answer cut out of that key, keeps the whole line alive.
 */
function remembered(fn: (v: string) => string, maxKey: number): (v: string) => string {
  const answers = new Map<string, string>();
  return (v) => {
    let answer = answers.get(v);
    if (answer === undefined) {
      if (answers.size < 256 && v.length <= maxKey) {
        const key = Buffer.from(v, 'utf8').toString('utf8');
        answer = fn(key);
        answers.set(key, answer);
      } else answer = fn(v);
    }
    return answer;
  };
}

export const TRANSFORMS: Readonly<Record<string, (v: string) => string>> = {
  'plugin-from-url': pluginFromUrl,
  'plugin-from-name': pluginFromName,
  'plugin-from-source-dir': pluginFromSourceDir,
  'type-short': typeShort,
  'first-line': firstLine,
  trim: (v) => v.trim(),
  lower: (v) => v.toLowerCase(),
};
