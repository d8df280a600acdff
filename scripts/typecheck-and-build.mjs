// `npm test`'s first step: `npm run typecheck` and `npm run build`, side by side. The build's compile skips
// its own type check (tsc --noCheck: the same JavaScript, tsconfig.json has isolatedModules) because the
// typecheck beside it checks the same sources with the same options, and the tests too; one tsc each, on
// two cores, instead of two full checks one after the other. Exit 1 when either fails; `npm run build`
// alone is unchanged.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Run a command with this process's output; resolve to its exit code. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', (e) => {
      console.error(`${cmd} ${args.join(' ')}: ${e.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function build() {
  const steps = [
    [process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck']],
    [process.execPath, ['dist/src/cli/build-catalog.js']],
    [process.execPath, ['scripts/build-info.mjs']],
  ];
  for (const [cmd, args] of steps) {
    const code = await run(cmd, args);
    if (code !== 0) return code;
  }
  return 0;
}

const [typecheck, built] = await Promise.all([run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit']), build()]);
if (typecheck !== 0) console.error('typecheck failed');
if (built !== 0) console.error('build failed');
process.exit(typecheck === 0 && built === 0 ? 0 : 1);
