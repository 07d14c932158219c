import { Command, CommanderError, Option } from 'commander';
import { exitCodeHelp, exitCodes } from './exit-codes.js';
import { reportError } from './errors.js';
import { countOption, durationOption, intervalMs, listenAddress, portOption, positiveNumber } from './option-parsers.js';
import { printJson, type CliIO, type OutputFormat } from './io.js';

/** Options every cluster-facing command shares. */
export interface CommonOptions {
  spec: string;
  kubeconfig?: string;
  context?: string;
  stateDir: string;
  output: OutputFormat;
}

type Action = (options: Record<string, unknown>, args: string[], io: CliIO) => Promise<number>;

/** `-o json`, `-ojson`, `--output json`, `--output=json`: read from argv, as commander refused it. */
function asksForJson(argv: readonly string[]): boolean {
  return argv.some(
    (arg, i) => arg === '-ojson' || arg === '--output=json' || ((arg === '-o' || arg === '--output') && argv[i + 1] === 'json'),
  );
}

/** Commands are imported only when run, so `baton --help` stays fast. */
const lazy =
  (load: () => Promise<{ run: Action }>): Action =>
  async (options, args, io) =>
    (await load()).run(options, args, io);

function common(cmd: Command, withSpec = true): Command {
  if (withSpec) cmd.option('-f, --spec <file>', 'the baton.yaml to use', 'baton.yaml');
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--state-dir <dir>', 'where run journals and reports are kept', '.baton')
    .addOption(
      new Option(
        '--journal <store>',
        'where the run journal lives: files under --state-dir, or ConfigMaps in the cluster (for baton running in a pod)',
      )
        .choices(['file', 'configmap'])
        .default('file'),
    )
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'));
}

/**
 * The flags of verbs that also act through a Release (run by baton's controller) instead of a
 * local run: `release/NAME` as the argument, or `--in-cluster`.
 */
function releaseFlags(cmd: Command, o: { newest?: boolean; detach?: boolean } = {}): Command {
  cmd
    .option(
      '--in-cluster',
      o.newest
        ? "act on a Release run by baton's controller: the argument is its name (default: the newest Release), as with release/NAME"
        : "act on a Release run by baton's controller: the argument is its name, as with release/NAME",
    )
    .option('-n, --namespace <ns>', "with release/NAME or --in-cluster: the Release's namespace (default: the kubeconfig's)");
  if (o.detach) cmd.option('--detach', 'with release/NAME: return once the request is written, without following the Release');
  return cmd;
}

/**
 * Runs the baton CLI in-process and resolves to the exit code; only the bin calls process.exit.
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let exitCode: number = exitCodes.ok;
  let output: OutputFormat = 'text';
  const program = new Command('baton')
    .description('Zero-downtime, schema-aware upgrades for applications on Kubernetes, proven with measured numbers.')
    .version('0.1.0')
    .showHelpAfterError()
    .addHelpText('after', `\n${exitCodeHelp}\n\nbaton is also \`kubectl baton\` when its bin folder is on PATH.`)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const register = (cmd: Command, action: Action): void => {
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const options = command.opts();
      output = (options.output as OutputFormat | undefined) ?? 'text';
      exitCode = await action(options, command.args, io);
    });
  };

  register(
    common(program.command('plan').description('show what an upgrade would do, step by step, and any drift; changes nothing')),
    lazy(() => import('./commands/plan.js')),
  );
  register(
    common(
      program.command('diff').description('show drift between the manifests and the cluster (the YAML says 1 replica, the cluster runs 2)'),
    ),
    lazy(() => import('./commands/diff.js')),
  );
  register(
    common(
      program
        .command('upgrade')
        .description('run the upgrade: plan, act with a journal and a lock, probe live traffic, roll back on failure, report'),
    )
      .option('--no-probe', 'do not send probe traffic (the report then says "not measured")')
      .option('--in-cluster', "hand the upgrade to baton's controller: create a Release and follow it")
      .option('--detach', 'with --in-cluster: return once the Release is created')
      .option('--name <name>', 'with --in-cluster: the Release name (default: app-date-random)'),
    async (o, a, i) =>
      (o.inCluster ? lazy(() => import('./commands/upgrade-in-cluster.js')) : lazy(() => import('./commands/upgrade.js')))(o, a, i),
  );
  register(
    common(
      program
        .command('release')
        .argument('<verb>', 'list | status | report | promote | abort | pause | resume | retry')
        .argument('[name]', 'the Release')
        .description(
          "Releases run in the cluster by baton's controller: follow them, and promote/abort/pause/retry through status patches that GitOps syncs do not revert",
        ),
      false,
    )
      .option('-n, --namespace <ns>', "the Releases' namespace (default: the kubeconfig's)")
      .option('-A, --all-namespaces', 'list: every namespace')
      .option('--app <app>', 'list: only this app')
      .option('-w, --watch', 'status (or after a control verb): follow until the Release rests')
      .option('--reason <text>', 'abort: why')
      .addOption(new Option('--format <format>', 'report format').choices(['markdown', 'json', 'html']).default('markdown')),
    lazy(() => import('./commands/release.js')),
  );
  register(
    common(
      program
        .command('controller')
        .description("run baton's in-cluster controller (leader election, reconciles Releases); in a pod it uses its service account"),
      false,
    )
      .option('--namespace <ns>', 'watch Releases only in this namespace (default: all)')
      .option('--lease-namespace <ns>', "namespace of the leader Lease (default: the pod's)")
      .option('--identity <id>', 'leader election identity (default: $POD_NAME)')
      .option(
        '--metrics-address <host:port>',
        'serve /metrics, /healthz, /readyz here; $(POD_IP) is replaced by the pod IP',
        listenAddress(),
      )
      .option(
        '--dashboard-address <host:port|off>',
        "serve the dashboard here, token in Secret baton-dashboard (default: $BATON_DASHBOARD_ADDRESS, else off; the install sets the pod's own 127.0.0.1:8080, reached with kubectl port-forward)",
        listenAddress({ off: true }),
      ),
    lazy(() => import('./commands/controller.js')),
  );
  register(
    program
      .command('install')
      .description(
        "the controller's manifests (CRD, RBAC, Deployment, PDB), the same as `kubectl apply -k config/`: print, --apply, or --write DIR",
      )
      .option('--apply', 'apply them to the cluster')
      .option('--write <dir>', 'write the kustomize folder')
      .option('--namespace <ns>', "the controller's namespace", 'baton-system')
      .option('--image <ref>', 'the controller image', 'baton/controller:0.1.0')
      .option('--kubeconfig <file>', 'kubeconfig to use')
      .option('--context <name>', 'kubeconfig context to use'),
    lazy(() => import('./commands/install.js')),
  );
  register(
    releaseFlags(
      common(
        program
          .command('resume')
          .argument('<run>', "run id, or release/NAME for a Release run by baton's controller")
          .description(
            'continue a run that stopped (crash, halt, pause): reaches the same end state as an uninterrupted run; for a Halted Release, a retry of the failed step through status.control',
          ),
        false,
      ),
      { detach: true },
    ),
    lazy(() => import('./commands/resume.js')),
  );
  register(
    releaseFlags(
      common(
        program
          .command('abort')
          .argument('<run>', "run id, or release/NAME for a Release run by baton's controller")
          .option('--reason <text>', 'why', 'aborted by the operator')
          .description(
            'give up a stopped run: rolls back before the point of no return; after it, stops and says what is left. A Release (running or stopped) is asked through status.control and followed',
          ),
        false,
      ),
      { detach: true },
    ),
    lazy(() => import('./commands/abort.js')),
  );
  register(
    releaseFlags(
      common(
        program
          .command('promote')
          .argument('<run>', "run id, or release/NAME for a Release run by baton's controller")
          .description(
            'approve a paused run and continue it; a paused Release is promoted through status.control and followed until it rests',
          ),
        false,
      ),
      { detach: true },
    ),
    lazy(() => import('./commands/promote.js')),
  );
  register(
    releaseFlags(
      common(
        program
          .command('pause')
          .argument('<run>', "run id, or release/NAME for a Release run by baton's controller")
          .option('--reason <text>', 'why (journaled)', 'paused by the operator')
          .description(
            "ask a run that is live in another process (it holds the app's lock) to stop before its next step; the step in flight finishes first. `baton promote RUN` (or resume) continues it. Returns once the request is journaled. A Release is paused through status.control.pause",
          ),
        false,
      ),
    ),
    lazy(() => import('./commands/pause.js')),
  );
  register(
    releaseFlags(
      common(
        program
          .command('retry')
          .argument('<run>', "run id, or release/NAME for a Halted Release run by baton's controller")
          .description(
            'run the step that halted a run again, then the rest: a step that failed after the point of no return, an undo that stopped a rollback, or a gate that paused undecided. A paused step is promoted instead, an interrupted run resumed; a finished run cannot be retried. A Halted Release is retried through status.control.retry and followed',
          ),
        false,
      ),
      { detach: true },
    ),
    lazy(() => import('./commands/retry.js')),
  );
  register(
    releaseFlags(
      common(
        program
          .command('rollback')
          .argument(
            '[release]',
            'release/NAME: a new Release, run by the controller, back to the version that (succeeded) Release replaced',
          )
          .description(
            "go back to the previous release (or --to VERSION, or --to-revision N from baton history): blue-green switches back instantly while the old colour lives; rolling re-applies the recorded Deployment and its config. With release/NAME the controller rolls forward to the old image with that Release's spec",
          ),
      )
        .option('--to <version>', 'the release to return to: the newest revision of that version (see `baton history`)')
        .option(
          '--to-revision <n>',
          'the revision to return to, its image and config (see `baton history`); the current one: nothing to do',
        ),
      { detach: true },
    ).option('--no-probe', 'do not send probe traffic'),
    lazy(() => import('./commands/rollback.js')),
  );
  register(
    common(
      program
        .command('gc')
        .description('rainbow: delete old releases with no active task (Prometheus) past their minimum age; say why the others stay'),
    )
      .option('--dry-run', 'decide and print, delete nothing')
      .option('--min-age <duration>', 'override strategy.rainbow.gc.minAge (e.g. 30m, 1h)', durationOption),
    lazy(() => import('./commands/gc.js')),
  );
  register(
    common(
      program
        .command('releases')
        .description(
          'the app history recorded in the cluster, and local runs; with --in-cluster, the Releases and the runs journaled in the cluster',
        ),
    )
      .option(
        '--in-cluster',
        "list Releases (of the spec's app when baton.yaml is there, or --app) and the runs in the cluster's journal ConfigMaps instead of local runs",
      )
      .option('-n, --namespace <ns>', "with --in-cluster: the namespace (default: the spec's, then the kubeconfig's)")
      .option('--app <app>', 'with --in-cluster: only this app'),
    lazy(() => import('./commands/releases.js')),
  );
  register(
    common(
      program
        .command('history')
        .argument('[app]', 'the app (default: the one of baton.yaml)')
        .description(
          "the app's releases as revisions 1, 2, 3…, oldest first (like helm history): when, status, version, image, run, and what made each (upgrade, rollback, adopted); `baton rollback --to-revision N` returns to one",
        ),
    ).option('-n, --namespace <ns>', "the app's namespace (default: baton.yaml's for its app, then the kubeconfig's)"),
    lazy(() => import('./commands/history.js')),
  );
  register(
    releaseFlags(
      common(
        program
          .command('status')
          .argument('[run]', "run id (default: the latest), or release/NAME for a Release run by baton's controller")
          .description(
            'the state of a run (or of a Release): steps, outcome, gate verdicts, traffic split (canary / A/B), what to do next; exits like kubectl rollout status',
          ),
        false,
      ),
      { newest: true },
    )
      .option('-w, --watch', 'keep refreshing until the run ends (Ctrl-C stops watching, not the run)')
      .option('--interval <ms>', 'refresh interval with --watch', intervalMs, 1000),
    lazy(() => import('./commands/status.js')),
  );
  register(
    common(
      program
        .command('dashboard')
        .description(
          'a local web page of apps, releases and live runs (traffic split, probe charts, gates) with promote / abort / retry / rollback behind a token',
        ),
      false,
    )
      .option('--address <ip>', 'address to listen on (default 127.0.0.1: this machine only)', '127.0.0.1')
      .option('--port <n>', 'port (default: a free one)', portOption, 0)
      .option(
        '--in-cluster',
        'print how to reach the dashboard the controller serves (kubectl port-forward and the URL with its token); starts nothing',
      )
      .option('--controller-namespace <ns>', 'where the controller runs (with --in-cluster)', 'baton-system'),
    lazy(() => import('./commands/dashboard.js')),
  );
  register(
    releaseFlags(
      program
        .command('report')
        .argument(
          '[run]',
          "run id (default: the latest), or release/NAME for a Release run by baton's controller (its journal and probe record ConfigMaps)",
        )
        .option('--state-dir <dir>', 'where run journals and reports are kept', '.baton')
        .option('--kubeconfig <file>', 'with release/NAME: kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)')
        .option('--context <name>', 'with release/NAME: kubeconfig context to use'),
      { newest: true },
    )
      .addOption(new Option('--format <format>', 'report format').choices(['markdown', 'json', 'html']).default('markdown'))
      .option('--out <file>', 'write to a file instead of stdout')
      .addOption(new Option('-o, --output <format>', 'output format (json = --format json)').choices(['text', 'json']).default('text'))
      .description('the report of a run: downtime, rollout time, failed requests, streams cut, data loss, backup size'),
    lazy(() => import('./commands/report.js')),
  );
  register(
    program
      .command('check')
      .option('--migrations <dir>', 'a folder of NNNN_name.sql migrations')
      .option('--manifests <path...>', 'Kubernetes YAML files or folders')
      .addOption(
        new Option('--dialect <dialect>', "SQL dialect (with --database: the URL's)").choices(['postgres', 'mysql']).default('postgres'),
      )
      .option('-f, --spec <file>', 'take migrations, dialect and manifests (with --database: database.url) from this baton.yaml')
      .option(
        '--database [url]',
        "judge pending migrations against this live database, read-only (table sizes, columns, indexes, constraints); with --spec and no URL, the spec's database.url",
      )
      .option(
        '--small-table-rows <n>',
        'with --database: up to this many rows (estimate) a table counts as small',
        countOption('10000', 1e12),
        10_000,
      )
      .option(
        '--small-table-bytes <n>',
        'with --database: and up to this many bytes (table + indexes)',
        countOption('16777216', 1e15),
        16_777_216,
      )
      .option(
        '--kubeconfig <file>',
        'with --spec --database: kubeconfig to read a database.url Secret (default: $KUBECONFIG, then ~/.kube/config)',
      )
      .option('--context <name>', 'with --spec --database: kubeconfig context for the Secret')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
      .description(
        'lint migrations (unsafe operations, with the safe alternative) and manifests (the zero-downtime checklist); offline unless --database, which judges pending migrations by the live schema, read-only',
      ),
    lazy(() => import('./commands/check.js')),
  );
  register(
    program
      .command('probe')
      .argument('<url>', 'base URL of the app')
      .option('--duration <seconds>', 'how long to probe', positiveNumber('30', 86_400), 10)
      .option('--rps <n>', 'requests per second', positiveNumber('200', 100_000), 200)
      .option('--path <path>', 'request path', '/')
      .option('--streams <n>', 'long downloads kept open (needs --stream-path)', countOption('3', 10_000), 0)
      .option('--stream-path <path>', 'path of a long download', '/stream?seconds=5')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
      .description('send steady traffic to a URL and count every failed request and cut stream'),
    lazy(() => import('./commands/probe.js')),
  );
  register(
    program
      .command('schema')
      .description('print the JSON Schema of baton.yaml (for editors)')
      .addOption(new Option('-o, --output <format>', 'output format (the schema is JSON)').choices(['json']).default('json')),
    lazy(() => import('./commands/schema.js')),
  );
  register(
    program
      .command('demo')
      .argument('[action]', '`stop`: end a demo that --keep left running')
      .option('--keep', 'leave kubesim and the database running after the upgrade, and print the kubeconfig and the next commands to try')
      .addOption(
        new Option('--strategy <kind>', 'upgrade strategy')
          .choices(['rolling', 'blue-green', 'canary', 'ab', 'rainbow'])
          .default('rolling'),
      )
      .option('--no-prestop', "remove the app's preStop sleep to watch requests drop (the probe is not blind)")
      .option('--bad-version', 'upgrade to a version that fails its verification, to watch an automatic rollback')
      .option('--rps <n>', 'probe requests per second', positiveNumber('200', 100_000), 200)
      .option('--state-dir <dir>', 'where the run journal and report are written', '.baton-demo')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
      .description(
        'the embedded default: start kubesim and an embedded PostgreSQL, run demo-app v1 under live traffic, upgrade it to v2, print the report',
      ),
    lazy(() => import('./commands/demo.js')),
  );

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return exitCodes.ok;
      // commander has told a human on stderr; a script that asked for JSON reads stdout.
      if (asksForJson(argv))
        printJson(io, 'Error', { error: { code: 'USAGE', message: error.message.replace(/^error: /, ''), hint: 'see --help' } });
      return exitCodes.invalidInput;
    }
    return reportError(io, error, output);
  }
  return exitCode;
}
