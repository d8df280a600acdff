// `analyze --kube` at fleet scale against the Kubernetes API stand-in: N gateway pods, each with a log of M MiB
// (bench/generate.ts lines, one copy in memory served to every pod with its own kubelet timestamps), read by the
// real kubectl a few streams at a time, spooled, merged by time. Measures wall time, peak RSS (the largest process
// of the run, GNU time's %M) and the spool size; checks every line arrived.
//
//   node dist/bench/kube.js [--pods 50] [--mib 10] [--streams 6] [--runs 1] [--node-rss]
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { KubeStandIn } from './kube-stand-in.js';
import { generateLines } from './generate.js';
import { measure } from './measure.js';
import { fmt, MiB, repoRoot } from './common.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

async function main(): Promise<void> {
  const pods = arg('--pods', 50);
  const mib = arg('--mib', 10);
  const streams = arg('--streams', 6);
  const runs = arg('--runs', 1);
  const lines: string[] = [];
  let bytes = 0;
  for (const l of generateLines({ seed: 1 })) {
    lines.push(l);
    bytes += Buffer.byteLength(l) + 1;
    if (bytes >= mib * MiB) break;
  }
  const api = await KubeStandIn.start();
  const start = Date.UTC(2026, 4, 20, 8, 0, 0);
  const stepMs = 3_600_000 / lines.length;
  for (let p = 0; p < pods; p++) {
    api.addPod({
      name: `higress-gateway-6f7c9d8b5-${String(p).padStart(5, '0')}`,
      namespace: 'higress-system',
      labels: { app: 'higress-gateway' },
      node: `node-${p % 5}`,
      phase: 'Running',
      containers: [
        {
          name: 'higress-gateway',
          restartCount: 0,
          ready: true,
          state: { running: { startedAt: '2026-05-20T08:00:00Z' } },
          lastState: {},
          // Pods write at the same pace, a few milliseconds apart: the merge interleaves every line.
          current: { lines: lines.length, startMs: start + p * 3, stepMs, line: (i) => lines[i]! },
          previous: null,
          instance: 0,
        },
      ],
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'hd-bench-kube-'));
  const kubeconfig = api.kubeconfig(join(dir, 'kubeconfig'));
  const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache'), HOME: dir };
  const root = repoRoot();
  process.stdout.write(`analyze --kube: ${pods} pods × ${fmt(bytes / MiB, 1)} MiB (${fmt((pods * bytes) / MiB)} MiB, ${fmt(pods * lines.length)} lines), --max-streams ${streams}\n`);
  try {
    for (let r = 0; r < runs; r++) {
      const m = await measure(process.execPath, [join(root, 'bin', 'higress-doctor.js'), 'analyze', '--kube', '--format', 'json', '--fail-on', 'none', '--max-streams', String(streams)], {
        env,
        timeoutMs: 30 * 60_000,
        // --node-rss: the higress-doctor process alone (its /proc high-water mark), not its largest kubectl.
        ...(process.argv.includes('--node-rss') ? { rssMethod: 'proc-poll' as const } : {}),
      });
      if (m.code !== 0) throw new Error(`analyze --kube exited ${m.code}: ${m.stderr}`);
      const d = JSON.parse(m.stdout) as { inputs: Array<{ lines: number }>; incidents: Array<{ cause: string; count: number }> };
      const read = d.inputs.reduce((n, i) => n + i.lines, 0);
      const mbps = (pods * bytes) / MiB / (m.wallMs / 1000);
      process.stdout.write(
        `run ${r + 1}: ${fmt(m.wallMs / 1000, 1)} s wall (${fmt(mbps, 1)} MiB/s), cpu ${m.cpuSec === null ? '?' : fmt(m.cpuSec, 1)} s, peak RSS ${m.maxRssKiB === null ? '?' : fmt(m.maxRssKiB / 1024)} MiB (${m.rssMethod}); ` +
          `${fmt(read)} of ${fmt(pods * lines.length)} lines read; ${d.incidents.length} incidents (${d.incidents.slice(0, 4).map((i) => `${i.cause} ×${i.count}`).join(', ')})\n`,
      );
      // With HIGRESS_DOCTOR_DEBUG set, the run says how long fetching and merging took.
      for (const l of m.stderr.split('\n')) if (l.includes('kube:')) process.stdout.write(`  ${l}\n`);
    }
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 1;
});
