#!/usr/bin/env node
import { prestartScanWorker } from '../dist/src/lines/parallel.js';

// `analyze` of a big file: the scan worker boots while the rest of the CLI loads.
prestartScanWorker(process.argv.slice(2));
const { main } = await import('../dist/src/cli/main.js');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
