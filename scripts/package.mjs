// `npm run package`: the tool as files an operator can carry into a site with no npm and maybe no
// Node.js (README "Offline install"). From what `npm run build` made, it writes to dist/package/:
//   higress-doctor.mjs          one ES module (esbuild): the CLI, Ink, the compiled catalog and its
//                               pattern files, the WebAssembly line index; runs with node >= 20.19
//   higress-doctor-<os>-<arch>  a Node single executable of that module: needs no Node at all
//   higress-doctor-<v>.tgz      an npm package of that module with no dependencies, so that
//                               `npm install ./higress-doctor-<v>.tgz --offline` needs no registry
//   SHA256SUMS                  for the three
// Usage: node scripts/package.mjs [--out DIR]. Exit 1 with one line on stderr when a step fails.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { gitCommit } from './build-info.mjs';
import { builtinsByRequire } from './builtins-by-require.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
/** The marker Node's single executables look for (Node's documentation names it). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const BUNDLE = 'higress-doctor.mjs';

class PackageError extends Error {}

function parseArgs(argv) {
  let out = join(ROOT, 'dist', 'package');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) out = resolve(argv[++i]);
    else throw new PackageError(`unknown argument ${argv[i]} (usage: node scripts/package.mjs [--out DIR])`);
  }
  return { out };
}

const mib = (n) => `${(n / 1024 / 1024).toFixed(2)} MiB`;

/** What src/embedded.ts stands for in the bundle: what the development build reads from the package folder. */
async function embeddedData() {
  const need = ['dist/src/cli/bundle-entry.js', 'dist/catalog.json', 'dist/scan-plan.json'];
  const missing = need.filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length) throw new PackageError(`${missing.join(', ')} missing: npm run build makes them (the catalog's files only when it has no problems)`);
  // The same file list, in the same order, as the development build's `version` fingerprints.
  const { listYaml } = await import(pathToFileURL(join(ROOT, 'dist', 'src', 'catalog', 'compiled.js')).href);
  const patterns = listYaml(join(ROOT, 'patterns')).map((f) => [relative(ROOT, f).split(sep).join('/'), readFileSync(f, 'utf8')]);
  return {
    version: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    commit: gitCommit(ROOT),
    catalog: readFileSync(join(ROOT, 'dist', 'catalog.json'), 'utf8'),
    scanPlan: readFileSync(join(ROOT, 'dist', 'scan-plan.json'), 'utf8'),
    patterns,
  };
}

/** The licence texts of the packages bundled, as a closing comment (their licences ask copies to carry them). */
function thirdPartyNotices(inputs) {
  const dirs = new Set();
  for (const file of Object.keys(inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file.split(sep).join('/'));
    if (m) dirs.add(m[1]);
  }
  const parts = [];
  for (const dir of [...dirs].sort((a, b) => a.split('node_modules/').pop().localeCompare(b.split('node_modules/').pop()))) {
    const abs = resolve(ROOT, dir);
    const pkg = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(abs).find((f) => /^licen[cs]e(\.md|\.txt)?$/i.test(f));
    const text = licenceFile ? readFileSync(join(abs, licenceFile), 'utf8').trim() : `(the package has no licence file; package.json says ${pkg.license ?? 'nothing'})`;
    parts.push(`---- ${pkg.name} ${pkg.version} (${pkg.license ?? 'no licence field'}) ----\n${text}`);
  }
  const body = parts.join('\n\n').replace(/\*\//g, '* /');
  return `\n/*\nThird-party software bundled in this file, each with the licence it is distributed under:\n\n${body}\n*/\n`;
}

async function bundle(outFile) {
  const embedded = await embeddedData();
  const embeddedModule = join(ROOT, 'dist', 'src', 'embedded.js');
  let embeddedReplaced = false;
  let inkDevReplaced = false;
  const plugin = {
    name: 'higress-doctor-offline',
    setup(b) {
      // The build carries what the development build reads from dist/ and patterns/.
      b.onLoad({ filter: /[\\/]embedded\.js$/ }, (args) => {
        if (resolve(args.path) !== embeddedModule) return undefined;
        embeddedReplaced = true;
        return { contents: `export const EMBEDDED = ${JSON.stringify(embedded)};\n`, loader: 'js' };
      });
      // When DEV=true, Ink imports React's devtools (react-devtools-core, an optional package we do
      // not ship, and ws) and reads its own package.json: none of them is in the one file. Its
      // devtools module becomes an empty one and DEV is not Ink's business here.
      b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
        /[\\/]ink[\\/]build$/.test(args.resolveDir) ? { path: 'ink-devtools', namespace: 'higress-doctor-stub' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'higress-doctor-stub' }, () => ({ contents: 'export {};\n', loader: 'js' }));
      b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]utils\.js$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const patched = text.replace("process.env['DEV'] === 'true'", 'false');
        if (patched === text) throw new Error(`ink's isDev() changed shape (${args.path}): look at its devtools import again`);
        inkDevReplaced = true;
        return { contents: patched, loader: 'js' };
      });
    },
  };
  const result = await build({
    entryPoints: [join(ROOT, 'dist', 'src', 'cli', 'bundle-entry.js')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // React's production build: the development one adds checks and warnings for React's own users.
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: true,
    legalComments: 'none',
    // CommonJS dependencies require Node's built-in modules: give the ES module a require.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __hdCreateRequire } from 'node:module';\nconst require = __hdCreateRequire(import.meta.url.startsWith('file:') ? import.meta.url : process.execPath);" },
    plugins: [plugin],
    metafile: true,
    write: false,
    outfile: outFile,
    logLevel: 'silent',
  });
  if (!embeddedReplaced) throw new PackageError('the bundle does not carry the catalog: src/embedded.ts was not part of it');
  if (!inkDevReplaced) throw new PackageError("ink's build/utils.js was not part of the bundle: look at the devtools import again");
  const code = Buffer.concat([Buffer.from(builtinsByRequire(result.outputFiles[0].text)), Buffer.from(thirdPartyNotices(result.metafile.inputs))]);
  writeFileSync(outFile, code);
  chmodSync(outFile, 0o755);
  return embedded;
}

/** A Node single executable: this Node binary (stripped when `strip` exists) with the bundle injected as an asset. */
function singleExecutable(bundleFile, outFile, work) {
  const node = readFileSync(process.execPath);
  if (node.indexOf(SEA_FUSE) < 0) throw new PackageError(`${process.execPath} cannot make single executables (no SEA fuse): use an official Node.js build`);
  const config = join(work, 'sea-config.json');
  const blob = join(work, 'sea-prep.blob');
  writeFileSync(config, JSON.stringify({
    main: join(ROOT, 'scripts', 'sea-main.cjs'),
    output: blob,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    assets: { [BUNDLE]: bundleFile },
  }));
  run(process.execPath, ['--experimental-sea-config', config], work, 'node --experimental-sea-config');
  copyFileSync(process.execPath, outFile);
  chmodSync(outFile, 0o755);
  // Node's symbols and debug information: about an eighth of the binary, of no use to an operator.
  const stripped = spawnSync('strip', [outFile], { stdio: 'ignore' }).status === 0;
  const postject = join(dirname(require.resolve('postject')), 'cli.js');
  run(process.execPath, [postject, outFile, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], work, 'postject');
  // It must start: a Node binary that ignores the blob would print Node's own version here.
  const check = spawnSync(outFile, ['version'], { encoding: 'utf8', env: { PATH: '' } });
  if (check.status !== 0 || !check.stdout.startsWith('higress-doctor ')) throw new PackageError(`the single executable does not run: ${(check.stderr || check.stdout || String(check.error)).trim().split('\n')[0]}`);
  return { stripped };
}

/** An npm package of the bundle alone: nothing to fetch when it is installed. */
function tarball(bundleFile, outDir, work) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const stage = join(work, 'npm');
  mkdirSync(join(stage, 'docs'), { recursive: true });
  copyFileSync(bundleFile, join(stage, BUNDLE));
  copyFileSync(join(ROOT, 'README.md'), join(stage, 'README.md'));
  for (const doc of ['causes.md', 'patterns.md']) copyFileSync(join(ROOT, 'docs', doc), join(stage, 'docs', doc));
  const manifest = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    type: 'module',
    bin: { [pkg.name]: BUNDLE },
    engines: pkg.engines,
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const r = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], stage, 'npm pack');
  const name = JSON.parse(r.stdout)[0]?.filename;
  if (!name || !existsSync(join(outDir, name))) throw new PackageError('npm pack wrote no tarball');
  return name;
}

function run(cmd, args, cwd, what) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr || r.stdout).trim().split('\n').filter((l) => !/^warning: /.test(l)).pop();
    throw new PackageError(`${what} failed: ${why ?? `exit ${r.status}`}`);
  }
  return r;
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function main() {
  const { out } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const took = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (f.startsWith('higress-doctor') || f === 'SHA256SUMS') rmSync(join(out, f), { force: true });
  const work = mkdtempSync(join(tmpdir(), 'higress-doctor-package-'));
  try {
    const bundleFile = join(out, BUNDLE);
    const embedded = await bundle(bundleFile);
    console.log(`${BUNDLE}: ${mib(statSync(bundleFile).size)} (commit ${embedded.commit}, ${embedded.patterns.length} pattern files) after ${took()}`);
    const files = [BUNDLE];
    const exe = `higress-doctor-${process.platform}-${process.arch}`;
    if (process.platform === 'linux') {
      const { stripped } = singleExecutable(bundleFile, join(out, exe), work);
      files.push(exe);
      console.log(`${exe}: ${mib(statSync(join(out, exe)).size)} (node ${process.version}${stripped ? ', stripped' : ', not stripped: no strip command'}) after ${took()}`);
    } else {
      console.log(`${exe}: not made (the single executable is built and tested on Linux only)`);
    }
    const tgz = tarball(bundleFile, out, work);
    files.push(tgz);
    console.log(`${tgz}: ${mib(statSync(join(out, tgz)).size)} after ${took()}`);
    const sums = files.sort().map((f) => `${sha256(join(out, f))}  ${f}\n`).join('');
    writeFileSync(join(out, 'SHA256SUMS'), sums);
    const shown = relative(process.cwd(), out);
    console.log(`SHA256SUMS: ${files.length} files, in ${shown === '' ? '.' : shown.startsWith('..') ? out : shown}, after ${took()}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  const first = e?.errors?.[0]; // esbuild's
  const msg = e instanceof PackageError ? e.message : first?.text ? `esbuild: ${first.text}${first.location ? ` (${first.location.file}:${first.location.line})` : ''}` : `${e?.message ?? e}`.split('\n')[0];
  process.stderr.write(`package: ${msg}\n`);
  process.exitCode = 1;
});
