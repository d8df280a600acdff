// The cluster is read through the operator's own `kubectl`: whatever their kubeconfig says (contexts, exec and
// OIDC auth plugins, client certificates, proxies, `KUBECONFIG` lists) works here as it works for them, with no
// API client of our own to keep in step. Each call is one kubectl process; its failure becomes one line.
import { spawn, type ChildProcess } from 'node:child_process';
import { stripControls } from '../sanitize.js';
import { InputError } from './open.js';

/** Where the cluster is: the kubectl binary, an optional context, the namespace. */
export interface KubeTarget {
  /** kubectl binary (name on PATH or path). */
  readonly kubectl: string;
  readonly context?: string;
  readonly namespace: string;
}

/** A kubectl call failed; the message is one line a user can act on. */
export class KubeError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'KubeError';
  }
}

/** Largest stderr kept from one kubectl call (its last lines say what went wrong). */
const STDERR_KEEP = 16 * 1024;
/** Largest JSON answer read (a namespace's pods are far below this). */
const JSON_LIMIT = 256 * 1024 * 1024;

/** The arguments of a call: the global ones first, so the verb's own flags stay last. */
export function kubectlArgs(t: KubeTarget, args: readonly string[], namespaced = true): string[] {
  return [...(t.context ? ['--context', t.context] : []), ...(namespaced ? ['--namespace', t.namespace] : []), ...args];
}

/** The environment kubectl runs in: the user's, with the colour and pager wrappers some setups add turned off. */
function kubectlEnv(): NodeJS.ProcessEnv {
  return { ...process.env, KUBECTL_COMMAND_HEADERS: process.env.KUBECTL_COMMAND_HEADERS ?? 'false' };
}

/**
 * What went wrong, in one line, from what kubectl printed on stderr. kubectl logs client-side noise as klog lines
 * (`E1207 05:12:05.904534 20912 memcache.go:265] …`) before its own `error: …` / `Error from server (…): …`.
 */
export function kubectlFailure(t: KubeTarget, what: string, stderr: string, code: number | null): string {
  const lines = stripControls(stderr, { keepNewlines: true })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const own = lines.filter((l) => !/^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w.-]+:\d+\]/.test(l));
  const last = (own.find((l) => /^(?:error|Error from server)\b/.test(l)) ?? own.at(-1) ?? lines.at(-1) ?? '').replace(/^error:\s*/, '');
  const msg = last.length > 300 ? `${last.slice(0, 297)}…` : last;
  const ctx = t.context ? `context "${t.context}"` : 'the current context';
  if (/context "[^"]*" does not exist|no context exists with the name/i.test(msg)) {
    return `kubectl: ${msg} (kubectl config get-contexts lists the contexts of your kubeconfig)`;
  }
  if (/Forbidden|forbidden:/.test(msg)) return `${what}: forbidden by RBAC for ${ctx}: ${msg.replace(/^Error from server \(Forbidden\):\s*/, '')}`;
  if (/Unauthorized|You must be logged in/i.test(msg)) return `${what}: the API server did not accept your credentials (${ctx}): ${msg}`;
  if (/server localhost:8080 was refused/.test(msg)) {
    return `${what}: kubectl found no cluster to talk to (no kubeconfig: it fell back to localhost:8080); set KUBECONFIG or give --context`;
  }
  if (/connection refused|Unable to connect to the server|no such host|i\/o timeout|dial tcp|was refused|TLS handshake timeout|context deadline exceeded/i.test(msg)) {
    return `${what}: cannot reach the Kubernetes API server of ${ctx}: ${msg}`;
  }
  if (/invalid configuration|no configuration has been provided|KUBERNETES_MASTER/i.test(msg)) {
    return `${what}: kubectl has no usable kubeconfig (${msg}); set KUBECONFIG or give --context`;
  }
  if (!msg) return `${what}: kubectl ${code === null ? 'was stopped' : `exited with code ${code}`} without saying why`;
  return `${what}: ${msg}`;
}

function spawnFailure(t: KubeTarget, e: NodeJS.ErrnoException): KubeError {
  if (e.code === 'ENOENT') {
    return new KubeError(
      `${t.kubectl === 'kubectl' ? 'kubectl is not on PATH' : `kubectl not found at ${t.kubectl}`}: --kube reads the cluster through kubectl (install it, e.g. apt-get install kubernetes-client, or give --kubectl PATH)`,
    );
  }
  if (e.code === 'EACCES') return new KubeError(`cannot run ${t.kubectl}: permission denied`);
  return new KubeError(`cannot run ${t.kubectl}: ${e.message}`);
}

/** Runs kubectl and parses its JSON answer. Rejects with a KubeError. */
export function kubectlJson(t: KubeTarget, args: readonly string[], what: string, opts: { namespaced?: boolean; signal?: AbortSignal } = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(t.kubectl, kubectlArgs(t, args, opts.namespaced ?? true), { stdio: ['ignore', 'pipe', 'pipe'], env: kubectlEnv(), signal: opts.signal });
    } catch (e) {
      reject(spawnFailure(t, e as NodeJS.ErrnoException));
      return;
    }
    const out: Buffer[] = [];
    let outLen = 0;
    let err = '';
    let tooBig = false;
    child.stdout!.on('data', (d: Buffer) => {
      outLen += d.length;
      if (outLen > JSON_LIMIT) {
        tooBig = true;
        child.kill();
        return;
      }
      out.push(d);
    });
    child.stderr!.on('data', (d: Buffer) => {
      err = (err + d.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.name === 'AbortError') reject(new KubeError(`${what}: interrupted`));
      else reject(spawnFailure(t, e));
    });
    child.on('close', (code) => {
      if (tooBig) return reject(new KubeError(`${what}: the answer is larger than ${JSON_LIMIT / 1024 / 1024} MiB`));
      if (code !== 0) return reject(new KubeError(kubectlFailure(t, what, err, code)));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
      } catch {
        reject(new KubeError(`${what}: kubectl did not answer with JSON`));
      }
    });
  });
}

/** A running `kubectl logs`: its stdout, and how it ended. */
export interface KubectlStream {
  readonly child: ChildProcess;
  readonly stdout: NodeJS.ReadableStream;
  /** Resolves when the process is gone: null when it exited 0, else the one-line reason. Never rejects. */
  readonly done: Promise<string | null>;
  stop(): void;
}

/** Starts kubectl with its stdout as a stream (logs). A spawn failure (kubectl missing) is reported through `done`. */
export function kubectlStream(t: KubeTarget, args: readonly string[], what: string): KubectlStream {
  // A process group of its own: Ctrl-C on the terminal reaches us, and we end the streams ourselves (a stream
  // that died of the same Ctrl-C first would show as broken off on the way out).
  const child = spawn(t.kubectl, kubectlArgs(t, args), { stdio: ['ignore', 'pipe', 'pipe'], env: kubectlEnv(), detached: true });
  let err = '';
  let spawnError: KubeError | null = null;
  let stopped = false;
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString('utf8')).slice(-STDERR_KEEP);
  });
  const done = new Promise<string | null>((resolve) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = spawnFailure(t, e);
    });
    child.on('close', (code) => {
      if (spawnError) resolve(spawnError.message);
      else if (code === 0 || stopped) resolve(null);
      else resolve(kubectlFailure(t, what, err, code));
    });
  });
  return {
    child,
    stdout: child.stdout!,
    done,
    stop: () => {
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}
