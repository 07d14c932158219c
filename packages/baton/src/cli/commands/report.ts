import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { releaseProbeRecord } from '../../controller/release-probe-record.js';
import { BatonError } from '../../errors.js';
import { ConfigMapJournal } from '../../kube/configmap-journal.js';
import { report, type RunReport } from '../../operations/report.js';
import { renderHtml, renderJson, renderMarkdown } from '../../report/index.js';
import { exitCodes } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import type { LockTarget } from '../../engine/run-lock.js';
import { LeaseLock } from '../../kube/lease-lock.js';
import { fileArtifacts, fileJournal, kubeFrom, stateDirOf } from './context.js';
import { readTarget, releaseTargetOf, type ReleaseTarget } from './release-target.js';

/**
 * `baton report [RUN]`: a run's report from --state-dir. `baton report release/NAME` (or
 * `--in-cluster [NAME]`, default the newest Release): the same report use case over the Release's
 * journal ConfigMap and the probe record ConfigMap the controller wrote.
 */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const target = releaseTargetOf(options, args[0], io);
  const stateDir = stateDirOf(options, io);
  const { record } = target
    ? await releaseReport(target)
    : await report(
        { ...(args[0] ? { runId: args[0] } : {}) },
        {
          journal: fileJournal(stateDir),
          artifacts: fileArtifacts(stateDir),
          // Asked only for a run still recorded as running: is its process alive, or was it killed?
          lock: { inspect: async (t: LockTarget) => new LeaseLock(kubeFrom(options, io)).inspect(t) },
        },
      );
  // `-o json` is the same as `--format json`, as on every other command.
  const format = options.output === 'json' ? 'json' : options.format;
  const text = format === 'html' ? renderHtml(record) : format === 'json' ? renderJson(record) : renderMarkdown(record);
  if (typeof options.out === 'string') {
    await writeFile(resolve(io.cwd, options.out), text);
    io.stderr.write(`wrote ${options.out}\n`);
  } else io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return exitCodes.ok;
}

async function releaseReport(target: ReleaseTarget): Promise<RunReport> {
  const release = await readTarget(target);
  const runId = release.status?.runId;
  if (runId === undefined) {
    throw new BatonError(
      'RUN_NOT_FOUND',
      `Release ${target.namespace}/${release.metadata.name} has not started a run yet (phase ${release.status?.phase ?? 'Pending'}${release.status?.message ? `: ${release.status.message.split('\n')[0]}` : ''})`,
      {
        hint: `see why with: baton status release/${release.metadata.name} -n ${target.namespace}`,
      },
    );
  }
  return report(
    { runId },
    { journal: new ConfigMapJournal(target.kube, target.namespace), probes: { load: () => releaseProbeRecord(target.kube, release) } },
  );
}
