// The entry of the one-file build (scripts/package.mjs bundles from here): what bin/higress-doctor.js
// does, and — when this same file is started as the scan worker's thread (lines/parallel.ts) — the
// scan worker. Everything past the role check is loaded only by the thread that needs it.
import { isMainThread, workerData } from 'node:worker_threads';
import { SCAN_WORKER_ROLE } from '../lines/parallel.js';
import { prestartScan } from '../lines/scan-inputs.js';

if (!isMainThread && (workerData as { role?: unknown } | null)?.role === SCAN_WORKER_ROLE) {
  await import('../lines/scan-worker.js');
} else {
  const argv = process.argv.slice(2);
  prestartScan(argv);
  const { main } = await import('./main.js');
  // Not awaited: a run that waits on nothing but stdin must not look like a stalled top-level await.
  void main(argv).then((code) => {
    process.exitCode = code;
  });
}
