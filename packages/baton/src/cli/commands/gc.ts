import { resolve } from 'node:path';
import { BatonError } from '../../errors.js';
import { loadSpec } from '../../spec/load-spec.js';
import { gc } from '../../operations/gc.js';
import { parseDuration } from '../../upgrade/gc-decide.js';
import { noGcHint } from '../../upgrade/gc.js';
import { exitCodes } from '../exit-codes.js';
import { printJson, type CliIO } from '../io.js';
import { commandContext } from './context.js';

/**
 * `baton gc`: deletes old rainbow releases that have no active task (Prometheus) and no open
 * connection (drain.connections, read from each pod), and stopped
 * being active at least `strategy.rainbow.gc.minAge` ago; says why each other one stays.
 * `--dry-run` decides only. Meant to run on a schedule (a CronJob: see docs/rainbow.md).
 */
export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  const json = options.output === 'json';
  // Bad input first, before any connection.
  const { spec } = await loadSpec(resolve(io.cwd, options.spec as string));
  if (!spec.strategy.rainbow.gc) {
    throw new BatonError('SPEC_NO_GC', `strategy.rainbow.gc is not set for ${spec.app}`, { hint: noGcHint });
  }
  if (!spec.strategy.rainbow.gc.prometheusUrl && !spec.drain?.connections) {
    throw new BatonError('SPEC_NO_GC', `strategy.rainbow.gc of ${spec.app} has no evidence that a release is idle`, { hint: noGcHint });
  }
  // --min-age was checked by durationOption while argv was read.
  const minAgeMs = options.minAge === undefined ? undefined : parseDuration(options.minAge as string);
  const report = await gc(
    { spec, dryRun: options.dryRun === true, ...(minAgeMs !== undefined ? { minAgeMs } : {}) },
    commandContext(options, io).ports,
  );
  if (json) printJson(io, 'GcReport', { ...report, dryRun: options.dryRun === true });
  else {
    io.stdout.write(
      `Releases of ${report.namespace}/${report.app}: active ${report.active ? `${report.active.release} (Deployment ${report.active.deployment})` : '(none selected by the Service)'}\n`,
    );
    if (report.decisions.length === 0) io.stdout.write('  no older release is running\n');
    for (const d of report.decisions) {
      const verb = d.action === 'delete' ? (options.dryRun === true ? 'would delete' : 'delete') : 'keep';
      io.stdout.write(
        `  ${verb.padEnd(12)} ${d.release.padEnd(16)} ${d.deployment.padEnd(28)} ${d.activeTasks !== null ? `tasks ${d.activeTasks}, ` : ''}${d.connections !== null ? `connections ${d.connections}, ` : ''}inactive ${d.inactiveSeconds ?? '?'}s${d.reasons.length ? ` — ${d.reasons.join('; ')}` : ''}\n`,
      );
    }
    if (report.run) io.stdout.write(`run ${report.run.runId}: ${report.run.status}${report.run.reason ? ` — ${report.run.reason}` : ''}\n`);
  }
  if (!report.run || report.run.status === 'succeeded') return exitCodes.ok;
  return report.run.status === 'halted' ? exitCodes.halted : exitCodes.failed;
}
