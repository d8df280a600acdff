// Part of `npm run package` (scripts/package.mjs), on its own so that the suite can test it.

/**
 * The bundle's imports of Node's built-in modules (about a hundred: esbuild keeps one per source module)
 * become `require`s at its top. The single executable starts the bundle from a `data:` URL, and Node 20
 * resolves every import by parsing its importer's URL — there the whole bundle, 2.7 MB of base64: 0.26 s
 * of its 0.5 s start. A require takes no URL, and built-ins have no side effects to order, so the
 * declarations go first, where ES imports are hoisted to anyway.
 */
export function builtinsByRequire(code) {
  // At a statement's start only (after `;`, `}` or a line end), never inside a string.
  const IMPORT = /(?<=^|[;}\n])import\s*((?:[\w$]+\s*,\s*)?(?:\{[^}]*\}|\*\s*as\s+[\w$]+)|[\w$]+)\s*from\s*"(node:[\w/]+)"(?:;|(?=\n|$))/g;
  const decls = [];
  const body = code.replace(IMPORT, (_, spec, mod) => {
    const from = `require(${JSON.stringify(mod)})`;
    const parts = /^([\w$]+)\s*,\s*(.*)$/s.exec(spec);
    const [defaultName, rest] = parts ? [parts[1], parts[2]] : /^[\w$]+$/.test(spec) ? [spec, null] : [null, spec];
    if (defaultName) decls.push(`${defaultName}=${from}`);
    if (rest) {
      const ns = /^\*\s*as\s+([\w$]+)$/.exec(rest);
      if (ns) decls.push(`${ns[1]}=${from}`);
      else {
        const names = rest.slice(1, -1).split(',').map((x) => x.trim()).filter(Boolean);
        decls.push(`{${names.map((n) => n.replace(/^([\w$]+)\s+as\s+([\w$]+)$/, '$1:$2')).join(',')}}=${from}`);
      }
    }
    return '';
  });
  if (/(?<=^|[;}\n])import\b[^;"'`]*from\s*"node:/.test(body)) throw new Error('an import of a built-in module is left in the bundle: its form is not one builtinsByRequire() knows');
  // After the banner (its first lines define `require`).
  const bannerEnd = body.indexOf('\n', body.indexOf('const require =')) + 1;
  return `${body.slice(0, bannerEnd)}const ${decls.join(',')};\n${body.slice(bannerEnd)}`;
}
