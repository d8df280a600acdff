#!/usr/bin/env node
import { prestartScan } from '../dist/src/lines/scan-inputs.js';

// `analyze` of a big file: the scan worker boots while the rest of the CLI loads (lines/scan-inputs.ts decides).
prestartScan(process.argv.slice(2));
const { main } = await import('../dist/src/cli/main.js');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
