import { Command, CommanderError, Option } from 'commander';
import { exitCodeHelp, exitCodes } from './exit-codes.js';
import { reportError } from './errors.js';
import type { CliIO, OutputFormat } from './io.js';

/** Options every cluster-facing command shares. */
export interface CommonOptions {
  spec: string;
  kubeconfig?: string;
  context?: string;
  stateDir: string;
  output: OutputFormat;
}

type Action = (options: Record<string, unknown>, args: string[], io: CliIO) => Promise<number>;

/** Commands are imported only when run, so `baton --help` stays fast. */
const lazy = (load: () => Promise<{ run: Action }>): Action => async (options, args, io) => (await load()).run(options, args, io);

function common(cmd: Command, withSpec = true): Command {
  if (withSpec) cmd.option('-f, --spec <file>', 'the baton.yaml to use', 'baton.yaml');
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--state-dir <dir>', 'where run journals and reports are kept', '.baton')
    .addOption(new Option('--journal <store>', 'where the run journal lives: files under --state-dir, or ConfigMaps in the cluster (for baton running in a pod)').choices(['file', 'configmap']).default('file'))
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'));
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

  register(common(program.command('plan').description('show what an upgrade would do, step by step, and any drift; changes nothing')),
    lazy(() => import('./commands/plan.js')));
  register(common(program.command('diff').description('show drift between the manifests and the cluster (the YAML says 1 replica, the cluster runs 2)')),
    lazy(() => import('./commands/diff.js')));
  register(common(program.command('upgrade').description('run the upgrade: plan, act with a journal and a lock, probe live traffic, roll back on failure, report'))
    .option('--no-probe', 'do not send probe traffic (the report then says "not measured")'),
  lazy(() => import('./commands/upgrade.js')));
  register(common(program.command('resume').argument('<run>', 'run id').description('continue a run that stopped (crash, halt, pause): reaches the same end state as an uninterrupted run'), false),
    lazy(() => import('./commands/resume.js')));
  register(common(program.command('abort').argument('<run>', 'run id').option('--reason <text>', 'why', 'aborted by the operator')
    .description('give up a stopped run: rolls back before the point of no return; after it, stops and says what is left'), false),
  lazy(() => import('./commands/abort.js')));
  register(common(program.command('promote').argument('<run>', 'run id').description('approve a paused run and continue it'), false),
    lazy(() => import('./commands/promote.js')));
  register(common(program.command('rollback').description('go back to the previous release (or --to VERSION): blue-green switches back instantly while the old colour lives; rolling re-applies the recorded Deployment and its config'))
    .option('--to <version>', 'the release to return to (see `baton releases`)')
    .option('--no-probe', 'do not send probe traffic'),
  lazy(() => import('./commands/rollback.js')));
  register(common(program.command('gc').description('rainbow: delete old releases with no active task (Prometheus) past their minimum age; say why the others stay'))
    .option('--dry-run', 'decide and print, delete nothing')
    .option('--min-age <duration>', 'override strategy.rainbow.gc.minAge (e.g. 30m, 1h)'),
  lazy(() => import('./commands/gc.js')));
  register(common(program.command('releases').description('the app history recorded in the cluster, and local runs')),
    lazy(() => import('./commands/releases.js')));
  register(common(program.command('status').argument('[run]', 'run id (default: the latest)').description('the state of a run: steps, outcome, gate verdicts, traffic split (canary / A/B), what to do next'), false)
    .option('-w, --watch', 'keep refreshing until the run ends (Ctrl-C stops watching, not the run)')
    .option('--interval <ms>', 'refresh interval with --watch', '1000'),
    lazy(() => import('./commands/status.js')));
  register(program.command('report').argument('[run]', 'run id (default: the latest)')
    .option('--state-dir <dir>', 'where run journals and reports are kept', '.baton')
    .addOption(new Option('--format <format>', 'report format').choices(['markdown', 'json', 'html']).default('markdown'))
    .option('--out <file>', 'write to a file instead of stdout')
    .description('the report of a run: downtime, rollout time, failed requests, streams cut, data loss, backup size'),
  lazy(() => import('./commands/report.js')));
  register(program.command('check')
    .option('--migrations <dir>', 'a folder of NNNN_name.sql migrations')
    .option('--manifests <path...>', 'Kubernetes YAML files or folders')
    .addOption(new Option('--dialect <dialect>', 'SQL dialect').choices(['postgres', 'mysql']).default('postgres'))
    .option('-f, --spec <file>', 'take migrations, dialect and manifests from this baton.yaml')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .description('lint migrations (unsafe operations, with the safe alternative) and manifests (the zero-downtime checklist)'),
  lazy(() => import('./commands/check.js')));
  register(program.command('probe').argument('<url>', 'base URL of the app')
    .option('--duration <seconds>', 'how long to probe', '10')
    .option('--rps <n>', 'requests per second', '200')
    .option('--path <path>', 'request path', '/')
    .option('--streams <n>', 'long downloads kept open (needs --stream-path)', '0')
    .option('--stream-path <path>', 'path of a long download', '/stream?seconds=5')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .description('send steady traffic to a URL and count every failed request and cut stream'),
  lazy(() => import('./commands/probe.js')));
  register(program.command('schema').description('print the JSON Schema of baton.yaml (for editors)'),
    lazy(() => import('./commands/schema.js')));
  register(program.command('demo')
    .addOption(new Option('--strategy <kind>', 'upgrade strategy').choices(['rolling', 'blue-green', 'canary', 'ab', 'rainbow']).default('rolling'))
    .option('--no-prestop', 'remove the app\'s preStop sleep to watch requests drop (the probe is not blind)')
    .option('--bad-version', 'upgrade to a version that fails its verification, to watch an automatic rollback')
    .option('--rps <n>', 'probe requests per second', '200')
    .option('--state-dir <dir>', 'where the run journal and report are written', '.baton-demo')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .description('the embedded default: start kubesim and an embedded PostgreSQL, run demo-app v1 under live traffic, upgrade it to v2, print the report'),
  lazy(() => import('./commands/demo.js')));

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.invalidInput;
    }
    return reportError(io, error, output);
  }
  return exitCode;
}
