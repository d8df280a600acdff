// The tool's name and version, read once from package.json (the one-file build carries it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package.js';
import { EMBEDDED } from './embedded.js';

let cached: string | null = null;

export function toolVersion(): string {
  if (cached === null) {
    try {
      cached = EMBEDDED?.version ?? (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      cached = '0.0.0';
    }
  }
  return cached;
}

export const TOOL_NAME = 'higress-doctor';
