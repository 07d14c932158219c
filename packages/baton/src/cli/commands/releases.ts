import { resolve } from 'node:path';
import { listReleases } from '../../controller/release-client.js';
import { ConfigMapJournal } from '../../kube/configmap-journal.js';
import { releases } from '../../operations/releases.js';
import { loadSpec } from '../../spec/load-spec.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { appTargetOf } from './app-target.js';
import { commandContext } from './context.js';
import { progressLine } from './release-view.js';

export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  if (options.inCluster === true) return inCluster(options, io);
  const { spec } = await loadSpec(resolve(io.cwd, String(options.spec)));
  const ctx = commandContext(options, io);
  const view = await releases({ app: spec.app, namespace: spec.namespace }, ctx.ports);
  if (options.output === 'json') {
    printJson(io, 'ReleaseHistory', view);
    return exitCodes.ok;
  }
  const history = view.releases;
  writeHistory(io, `${spec.namespace}/${spec.app}`, history);
  io.stdout.write(`\nRuns in ${ctx.stateDir}:\n`);
  if (view.runs.length === 0) io.stdout.write('  (none)\n');
  for (const r of view.runs)
    io.stdout.write(`  ${r.runId}  ${r.status.padEnd(11)} ${new Date(r.startedAt).toISOString()}${r.reason ? `  ${r.reason}` : ''}\n`);
  return exitCodes.ok;
}

/**
 * `baton releases --in-cluster`: the Releases of the namespace (of the spec's app when baton.yaml
 * is there, or --app), newest first, and the app's history with the runs the cluster's journal
 * ConfigMaps hold, through the same releases use case as the local verb.
 */
async function inCluster(options: Record<string, unknown>, io: CliIO): Promise<number> {
  const { kube, namespace, app } = await appTargetOf(options, typeof options.app === 'string' ? options.app : undefined, io);
  const objects = await listReleases(kube, namespace, app);
  const view =
    app === undefined
      ? { releases: [], runs: [] }
      : await releases({ app, namespace }, { kube, journal: new ConfigMapJournal(kube, namespace) });
  if (options.output === 'json') {
    const inClusterReleases = objects.map((r) => ({
      name: r.metadata.name,
      namespace: r.metadata.namespace,
      app: r.spec.upgrade.app,
      createdAt: r.metadata.creationTimestamp,
      status: r.status ?? {},
    }));
    printJson(io, 'ReleaseHistory', { ...view, inCluster: inClusterReleases });
    return exitCodes.ok;
  }
  io.stdout.write(
    `Releases in namespace ${namespace}${app ? ` of app ${app}` : ''} (newest first; act on one with baton status|promote|abort|report release/NAME):\n`,
  );
  if (objects.length === 0) io.stdout.write('  (none)\n');
  for (const r of objects) io.stdout.write(`  ${progressLine(r)}\n`);
  if (app !== undefined) {
    io.stdout.write('\n');
    writeHistory(io, `${namespace}/${app}`, view.releases);
  }
  return exitCodes.ok;
}

function writeHistory(io: CliIO, app: string, history: Awaited<ReturnType<typeof releases>>['releases']): void {
  io.stdout.write(`Releases of ${app} (from the cluster; revision numbers as in \`baton history\`):\n`);
  if (history.length === 0) io.stdout.write('  (none recorded yet)\n');
  history.forEach((r, i) => {
    io.stdout.write(
      `  ${i === history.length - 1 ? '*' : ' '} ${String(r.revision).padStart(3)} ${r.version.padEnd(12)} ${r.image.padEnd(36)} ${r.strategy.padEnd(10)} ${r.at}  run ${r.runId}\n`,
    );
  });
}
