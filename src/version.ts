// The tool's name and version, read once from package.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './catalog/compiled.js';

let cached: string | null = null;

export function toolVersion(): string {
  if (cached === null) {
    try {
      cached = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      cached = '0.0.0';
    }
  }
  return cached;
}

export const TOOL_NAME = 'higress-doctor';
