// HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN as the console uses it: every `${name}` and
// `${version}` replaced literally with a built-in plugin's spec.yaml name and version (docs/formats.md
// §A6). The common mistakes are visible in the pattern itself: no `${name}` (every plugin fetches one
// file), or a `${name}` a shell expanded to nothing before Higress saw it (`http://host:8080/.wasm`).
import type { PluginRef } from './builtin-plugins.js';

export interface PatternProblem {
  readonly title: string;
  readonly remediation: readonly string[];
}

const QUOTE = "Set the variable with the pattern in single quotes (-e 'HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN=http://<host>:<port>/plugins/${name}/${version}/plugin.wasm'), or escape the $ (\\${name}) in double quotes, docker-compose files ($${name}) and shell scripts.";
const NEEDS_NAME = 'The pattern must contain ${name} (and ${version} where the server lays files out by version), e.g. http://<host>:<port>/plugins/${name}/${version}/plugin.wasm (the layout of Higress\'s plugin-server).';

/** What is wrong with the pattern, or null: the faults a look at the text can prove. */
export function patternProblem(pattern: string): PatternProblem | null {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(pattern)?.[1]?.toLowerCase();
  if (!scheme) return { title: 'not a URL: the pattern must start with http://, https:// or oci://', remediation: [NEEDS_NAME] };
  if (!['http', 'https', 'oci'].includes(scheme)) {
    return { title: `the scheme ${scheme}:// is not one the gateway fetches (http, https or oci)`, remediation: ['Serve the plugins over HTTP (or push them to a registry, oci://); the gateway cannot read local files.'] };
  }
  const unknown = [...pattern.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!).filter((n) => n !== 'name' && n !== 'version');
  if (unknown.length > 0) {
    return { title: `contains \${${unknown[0]}}, which the console never fills (only \${name} and \${version}; it is case-sensitive)`, remediation: [NEEDS_NAME] };
  }
  if (pattern.includes('${name}')) return null;
  const near = /\$name\b|(?<!\$)\{name\}|%\{?name\}?|\$\(name\)/i.exec(pattern)?.[0];
  if (near) return { title: `has ${near} instead of \${name}: the console replaces only \${name}, so every plugin fetches the same URL`, remediation: [NEEDS_NAME] };
  const rest = pattern.slice(pattern.indexOf('://') + 3);
  const path = rest.includes('/') ? rest.slice(rest.indexOf('/')) : '';
  // What `${name}` turned into nothing leaves behind.
  const eaten = /\/\//.test(path) || /\/\.[a-z]+$/i.test(path) || /\/\.[a-z]+\//i.test(path) || /\/-/.test(path) || /[/:]$/.test(pattern);
  if (eaten) {
    return {
      title: `looks shell-expanded: \${name} became an empty string before Higress saw the pattern (${shape(path)}), so every plugin fetches the same URL`,
      remediation: [QUOTE],
    };
  }
  return { title: 'has no ${name}: every plugin fetches the same URL', remediation: [NEEDS_NAME] };
}

function shape(path: string): string {
  if (/\/\//.test(path)) return 'an empty path segment, //';
  if (/\/\.[a-z]+/i.test(path)) return `a file named only ${/\/(\.[a-z]+)/i.exec(path)![1]}`;
  if (/\/-/.test(path)) return 'a segment starting with -';
  return 'a path ending in /';
}

/** The URL the console writes into the WasmPlugin for this plugin. */
export function renderPattern(pattern: string, p: PluginRef): string {
  return pattern.split('${name}').join(p.name).split('${version}').join(p.version);
}
