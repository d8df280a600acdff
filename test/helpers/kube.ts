// The real kubectl against the Kubernetes API stand-in (bench/kube-stand-in.ts), for the `--kube` tests: a private
// HOME, kubeconfig and discovery cache per test file, and the built CLI run without blocking this process (the
// stand-in answers kubectl from this same event loop).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeStandIn } from '../../bench/kube-stand-in.js';
import { BIN, ROOT } from './cli.js';

export function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A stand-in cluster with a kubeconfig pointing at it, and a way to run the CLI against it. */
export class KubeLab {
  readonly dir = mkdtempSync(join(tmpdir(), 'hd-kube-'));
  readonly kubeconfig = join(this.dir, 'kubeconfig');

  private constructor(readonly api: KubeStandIn) {
    api.kubeconfig(this.kubeconfig);
  }

  static async start(fixture?: string): Promise<KubeLab> {
    return new KubeLab(await KubeStandIn.start(fixture ? { fixture: join(ROOT, 'test', 'fixtures', 'kube', fixture) } : {}));
  }

  /** The environment the CLI (and so kubectl) runs in: nothing of the developer's own kubeconfig. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: this.dir, KUBECONFIG: this.kubeconfig, KUBECACHEDIR: join(this.dir, 'cache'), NO_COLOR: '1', ...extra };
    for (const k of Object.keys(env)) if (k === 'CI' || k.startsWith('CI_')) delete env[k];
    return env;
  }

  run(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: this.env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  async close(): Promise<void> {
    await this.api.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
