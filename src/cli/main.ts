// Entry point: parse the command line, run a command, map every failure to one line on stderr
// and the documented exit code (docs/contracts.md#exit-codes). No stack trace reaches the user.
import { Command, CommanderError, Option } from 'commander';
import { analyze, type AnalyzeOptions, type FailOn } from './analyze.js';
import { InputError } from '../sources/open.js';
// Light modules only: the YAML parser and schema library load with `patterns`, or when the
// compiled catalog cannot be used (see catalog/compiled.ts).
import { CatalogError } from '../catalog/compiled.js';
import { OutputError } from './output.js';
import { addCheckCommand, CheckUsageError } from './check.js';
import { parseZone, type Zone } from '../diagnose/clock.js';
import { DockerError } from '../sources/docker-api.js';
import { SCAN_ARGV } from '../lines/scan-inputs.js';
import { boundHeap, OLD_GENERATION_SLACK_MIB } from '../memory.js';

class UsageError extends Error {}

const EXIT_CODES = `
Exit codes: 0 ran, nothing at or above --fail-on; 1 an incident at or above --fail-on; 2 usage error or unreadable
input (one line on stderr); 130 interrupted (the diagnosis so far is printed first).`;

const ANALYZE_HELP = `
Examples:
  higress-doctor analyze /var/log/higress/                          # a folder of rotated logs, .gz too
  kubectl logs -n higress-system deploy/higress-gateway --timestamps | higress-doctor analyze -
  higress-doctor analyze gateway.log --format markdown > ticket.md  # redacted by default; host names are kept by design
  higress-doctor analyze gateway.log controller.log --since 2h      # several inputs as one timeline
  higress-doctor analyze --docker higress-ai                        # an all-in-one container (Docker Engine API)
${EXIT_CODES}`;

const TAIL_HELP = `
Examples:
  higress-doctor tail /var/log/higress/gateway.log
  higress-doctor tail gateway.log --format ndjson | jq 'select(.type=="incident")'

Keys (on a terminal): ↑/↓ or j/k select, Enter detail, PgUp/PgDn or K/J scroll the detail (a page, a line),
/ filter, s minimum severity, p pause the screen, e export a redacted Markdown report, c clear, ? help,
q or Ctrl-C quit. An input name gateway.log↻04:31 (↧) is the file as read after the rotation (truncation) at 04:31.
Exit codes: 0 stopped (q, Ctrl-C, SIGTERM, end of stdin); 2 an error (one line on stderr); never 1.`;

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** `-p DIR`, repeatable; its help says what the default means instead of `(default: [])`. */
const patternsOption = (): Option =>
  new Option('-p, --patterns <dir>', 'an extra folder of pattern files (repeatable)').argParser(collect).default([], 'the built-in catalog only');

function parseStreams(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--max-streams takes a whole number from 1 to 1000 (got ${v})`);
  return n;
}

/** The options of a cluster source (`--kube`), shared by analyze and tail. */
function addKubeOptions(c: Command, streams: number): Command {
  return c
    .option('--kube', 'read the gateway pods of a Kubernetes cluster through kubectl: logs, container statuses, WasmPlugins')
    .option('--namespace <ns>', '--kube: the namespace (default higress-system)')
    .option('-l, --selector <selector>', '--kube: label selector of the gateway pods (default app=higress-gateway)')
    .option('--context <name>', "--kube: kubeconfig context (default: kubectl's current one)")
    .option('--with-controller', '--kube: add the controller pods (app=higress-controller)')
    .option('--kubectl <path>', '--kube: the kubectl binary (default: kubectl on PATH)')
    .option('--max-streams <n>', `--kube: kubectl log streams at once (default ${streams})`, parseStreams);
}

const KUBE_ONLY = ['namespace', 'selector', 'context', 'withController', 'kubectl', 'maxStreams', 'kubePoll'] as const;

/** The cluster options checked: null without --kube (and then none of its options may be given). */
function kubeOptions(o: Record<string, unknown>, inputs: readonly string[], streams: number): import('./analyze-kube.js').KubeOptions | null {
  if (!o.kube) {
    const given = KUBE_ONLY.find((k) => o[k] !== undefined);
    if (given) throw new UsageError(`--${given.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} goes with --kube`);
    return null;
  }
  if (inputs.length > 0) throw new UsageError(`--kube reads the cluster: give log files (${inputs[0]}) in a run of their own`);
  if (o.docker !== undefined) throw new UsageError('--kube and --docker read different sources: give one per run');
  const namespace = (o.namespace as string | undefined) ?? 'higress-system';
  const selector = (o.selector as string | undefined) ?? 'app=higress-gateway';
  if (!namespace.trim() || !selector.trim()) throw new UsageError('--namespace and --selector must not be empty');
  const context = o.context as string | undefined;
  return {
    target: { kubectl: (o.kubectl as string | undefined) ?? 'kubectl', namespace, ...(context ? { context } : {}) },
    selector,
    withController: o.withController === true,
    ...(o.since !== undefined ? { since: o.since as string } : {}),
    ...(o.until !== undefined ? { until: o.until as string } : {}),
    maxStreams: (o.maxStreams as number | undefined) ?? streams,
    ...(o.kubePoll !== undefined ? { pollMs: Math.max(50, Number(o.kubePoll) || 5000) } : {}),
  };
}

/** `--docker CONTAINER`, checked: null without it. */
function dockerOptions(o: Record<string, unknown>, inputs: readonly string[]): string | null {
  if (o.docker === undefined) return null;
  const c = String(o.docker).trim();
  if (!c) throw new UsageError('--docker takes a container name or id');
  if (inputs.length > 0) throw new UsageError(`--docker reads the container: give log files (${inputs[0]}) in a run of their own`);
  return c;
}

/** `--tz`: a zone name the reports can state (UTC, +08:00, Asia/Shanghai). */
function parseTz(v: string): Zone {
  const z = parseZone(v);
  if (!z) throw new UsageError(`--tz takes UTC, an offset like +08:00, or a zone name like Asia/Shanghai (got ${v})`);
  return z;
}

function parseTop(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--top takes a whole number ≥ 1 (got ${v})`);
  return n;
}

function parseMaxBytes(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1000) throw new UsageError(`--max-bytes takes a whole number of bytes ≥ 1000 (got ${v})`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  // --version says as much as the version command (commander's would print the tool's alone).
  if (argv[0] === '-V' || argv[0] === '--version') argv = ['version'];
  const program = new Command('higress-doctor')
    .description('Explains why a Higress gateway fails, from its logs: the event, its probable cause, the evidence and what to do.')
    .option('-V, --version', 'print the versions (see the version command)')
    .exitOverride()
    // A usage error is one line that says where help is.
    .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `higress-doctor: ${s.slice(7).trimEnd()} (see higress-doctor --help)\n` : s) })
    .showSuggestionAfterError(true);

  const analyzeCommand = program
    .command(SCAN_ARGV.command)
    .addHelpText('after', ANALYZE_HELP)
    .description('post-mortem: diagnose log files, folders of rotated logs (.gz too), stdin (-) or the gateway pods of a cluster (--kube)')
    .argument('[inputs...]', 'log files, folders or - for stdin (default /var/log/higress/gateway.log)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text', 'text'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when an incident is at or above this severity').choices(['none', 'info', 'warning', 'error', 'critical']).default('error', 'error'))
    .addOption(patternsOption())
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--redact', 'hide addresses, tokens and secrets (default for markdown); host names are kept by design (docs/redaction.md)')
    .option('--no-redact', 'show log text as it is, also in markdown')
    .option('--max-bytes <n>', 'markdown: cap the report size (default 60000)', parseMaxBytes)
    .option('--top <n>', 'text and markdown: only the N highest-ranked incidents (a family of one failure on several subjects counts once); the rest are counted', parseTop)
    .option('--no-color', 'no colour in text output')
    .option('--tz <zone>', "the gateway container's time zone (UTC, +08:00, Asia/Shanghai): Envoy prints local time without a zone; read from the log when both clocks appear", parseTz)
    // Named with the words the scan worker's prestart reads (lines/scan-inputs.ts).
    .addOption(new Option(SCAN_ARGV.inProcess, 'parse every line fully (slower; for checking the fast path)').hideHelp());
  addKubeOptions(analyzeCommand, 6)
    .option('--docker <container>', 'read an all-in-one container through the Docker Engine API (DOCKER_HOST honoured): its log, /var/log/higress, its state')
    .option('--since <when>', 'only events newer than a duration back from now (1h, 30m) or a time (2026-05-20T08:00:00Z); every source')
    .option('--until <when>', 'only events older than a time, or a duration back from now; every source')
    .action(async (inputs: string[], o: Record<string, unknown>) => {
      const kube = kubeOptions(o, inputs, 6);
      const docker = dockerOptions(o, inputs);
      const ac = new AbortController();
      const onInt = (): void => ac.abort();
      process.once('SIGINT', onInt);
      boundHeap({ oldSlackMiB: OLD_GENERATION_SLACK_MIB });
      try {
        const opts: AnalyzeOptions = {
          format: o.format as 'text' | 'json' | 'markdown',
          failOn: o.failOn as FailOn,
          patterns: o.patterns as string[],
          output: o.output as string | undefined,
          redact: argv.includes('--redact') ? true : argv.includes('--no-redact') ? false : undefined,
          maxBytes: o.maxBytes as number | undefined,
          color: o.color as boolean,
          noPrefilter: o.prefilter === false,
          zone: (o.tz as Zone | undefined) ?? null,
          ...(o.top !== undefined ? { top: o.top as number } : {}),
          command: ['higress-doctor', ...argv].join(' '),
        };
        const window = { ...(o.since !== undefined ? { since: o.since as string } : {}), ...(o.until !== undefined ? { until: o.until as string } : {}) };
        code = kube
          ? await (await import('./analyze-kube.js')).analyzeKube(opts, kube, ac.signal)
          : docker
            ? await (await import('./analyze-docker.js')).analyzeDocker(opts, { container: docker, ...window }, ac.signal)
            : await analyze(inputs, { ...opts, ...window }, ac.signal);
      } finally {
        process.removeListener('SIGINT', onInt);
      }
    });

  const tailProgram = program
    .command('tail')
    .addHelpText('after', TAIL_HELP)
    .description('follow a live log (through rotation), or every gateway pod of a cluster (--kube), and show incidents as they form')
    .argument('[file]', 'log file or - for stdin (default /var/log/higress/gateway.log)')
    .addOption(new Option('-f, --format <format>', 'ui on a terminal; text or ndjson lines otherwise').choices(['ui', 'text', 'ndjson']))
    .addOption(new Option('-n, --lines <n>', 'start with the last N lines of the file (--kube: of each container)').default('1000', 'the last 1000 lines'))
    .option('--from-start', 'read the whole file first')
    .option('--poll', 'poll the file instead of watching its folder (some network or overlay filesystems; also HIGRESS_DOCTOR_FOLLOW=poll)')
    .addOption(patternsOption())
    .option('--redact', 'hide addresses, tokens and secrets in output and exports (exports always are); host names are kept by design')
    .option('--tz <zone>', "the gateway container's time zone (UTC, +08:00, Asia/Shanghai); read from the log when both clocks appear", parseTz);
  addKubeOptions(tailProgram, 20)
    .addOption(new Option('--kube-poll <ms>', 'how often the pods are listed again (ms)').hideHelp())
    .option('--docker <container>', 'follow an all-in-one container through the Docker Engine API: its log and the files of /var/log/higress')
    .addOption(new Option('--docker-poll <ms>', 'how often the files of /var/log/higress are looked at (ms)').hideHelp())
    .action(async (file: string | undefined, o: Record<string, unknown>) => {
      const kube = kubeOptions(o, file === undefined ? [] : [file], 20);
      // The follower reads its default notifier from the environment (sources/follow.ts defaultNotifierKind).
      if (o.poll === true) process.env.HIGRESS_DOCTOR_FOLLOW = 'poll';
      const docker = dockerOptions(o, file === undefined ? [] : [file]);
      const { tailCommand } = await import('./tail.js');
      // Runs for hours: the old generation is kept near what it holds too (memory.ts).
      boundHeap({ oldGrowthPercent: 30 });
      code = await tailCommand(file, o, kube, docker);
    });

  program
    .command('version')
    .description("print the tool's, the catalog's and the JSON schema's versions and the build's commit")
    .action(async () => {
      const { versionCommand } = await import('./version.js');
      code = versionCommand();
    });

  addCheckCommand(program, (c) => (code = c));

  const patterns = program.command('patterns').description('the cause catalog: list, show, test pattern files');
  patterns
    .command('list')
    .description('list patterns: id, cause, severity, title')
    .addOption(patternsOption())
    .action(async (o: { patterns: string[] }) => {
      const { patternsCommand } = await import('./patterns.js');
      code = patternsCommand('list', [], o.patterns);
    });
  patterns
    .command('show')
    .description('show one pattern with its docs and examples')
    .argument('<id>')
    .addOption(patternsOption())
    .action(async (id: string, o: { patterns: string[] }) => {
      const { patternsCommand } = await import('./patterns.js');
      code = patternsCommand('show', [id], o.patterns);
    });
  patterns
    .command('test')
    .description("run the examples of pattern files (a file or folder), like a compiler's test mode")
    .argument('<path...>')
    .action(async (paths: string[]) => {
      const { patternsCommand } = await import('./patterns.js');
      code = patternsCommand('test', paths, []);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    return handleError(e);
  }
}

function handleError(e: unknown): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    return 2;
  }
  if (e instanceof CatalogError) {
    process.stderr.write(`higress-doctor: invalid pattern file(s):\n${e.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 2;
  }
  if (e instanceof InputError || e instanceof OutputError || e instanceof UsageError || e instanceof CheckUsageError || e instanceof DockerError) {
    process.stderr.write(`higress-doctor: ${e.message}\n`);
    return 2;
  }
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EPIPE') return 0;
  process.stderr.write(`higress-doctor: internal error: ${(e as Error)?.message ?? String(e)} (please report it)\n`);
  if (process.env.HIGRESS_DOCTOR_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
  return 2;
}
