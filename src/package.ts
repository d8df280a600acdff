// The package folder (package.json, patterns/, dist/), found from this module's own place: the
// same from src/ under the tests and from dist/ when built. Ground: any stage may ask for it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's repository on the web (package.json `repository`/`homepage` say the same; the suite checks): where
 * a report's links point, since a ticket has no `docs/` folder of its own.
 */
export const PROJECT_URL = 'https://github.com/higress-doctor/higress-doctor';

/** The web address of a document of the repository (`docs/causes.md#oom`), on its main branch. */
export function docUrl(path: string): string {
  return `${PROJECT_URL}/blob/main/${path}`;
}

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'patterns'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the higress-doctor package folder');
}
