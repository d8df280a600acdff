// `higress-doctor version` (and --version): what a support ticket needs to know about the build.
import { isSea } from 'node:sea';
import { EMBEDDED } from '../embedded.js';
import { SCHEMA_VERSION } from '../report/json.js';
import { buildCommit, catalogVersion, TOOL_NAME, toolVersion } from '../version.js';
import { writeStdout } from './output.js';

export function versionText(): string {
  const catalog = catalogVersion();
  const build = isSea() ? 'single executable' : EMBEDDED ? 'one-file bundle' : 'package folder';
  return [
    `${TOOL_NAME} ${toolVersion()}`,
    `catalog      ${catalog.patterns} patterns, fingerprint ${catalog.fingerprint}`,
    `json schema  ${SCHEMA_VERSION} (analyze --format json)`,
    `commit       ${buildCommit()}`,
    `runtime      node ${process.versions.node} ${process.platform}-${process.arch}, ${build}`,
    '',
  ].join('\n');
}

export function versionCommand(): number {
  writeStdout(versionText());
  return 0;
}
