// `npm run build` step: write dist/build-info.json, the commit the build is made from, which
// `higress-doctor version` prints (scripts/package.mjs carries the same inside the one-file build).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The commit checked out in `root` (12 hex digits, `-dirty` when tracked files differ from it), or `unknown` outside git. */
export function gitCommit(root) {
  const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const head = git('rev-parse', '--short=12', 'HEAD');
  if (head.status !== 0 || !/^[0-9a-f]{7,40}$/.test(head.stdout.trim())) return 'unknown';
  const status = git('status', '--porcelain', '--untracked-files=no');
  return `${head.stdout.trim()}${status.status === 0 && status.stdout.trim() === '' ? '' : '-dirty'}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist', 'build-info.json'), `${JSON.stringify({ commit: gitCommit(root) })}\n`);
}
