import { resolve } from 'node:path';
import { createRollbackRelease } from '../../controller/release-client.js';
import type { Release } from '../../controller/release.js';
import { BatonError } from '../../errors.js';
import { ConfigMapJournal } from '../../kube/configmap-journal.js';
import { readRecordedRun } from '../../operations/recorded-run.js';
import { releases } from '../../operations/releases.js';
import { planRollbackFor, rollback } from '../../operations/rollback.js';
import { formatPlan } from '../format-plan.js';
import type { CliIO } from '../io.js';
import { loadRelease } from '../../spec/load-release.js';
import { commandContext } from './context.js';
import { followToRest, namedTarget, printRelease, readTarget, releaseExitCode, releaseTargetOf, type ReleaseTarget } from './release-target.js';
import { printRun } from './run-output.js';

/** `baton rollback`: back to the previous release (or --to VERSION), under the probe, journaled. */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const target = releaseTargetOf(options, args[0], io);
  if (target) return rollbackRelease(namedTarget(target, 'rollback'), options, io);
  if (args[0] !== undefined) throw new BatonError('USAGE', `baton rollback takes no run id ("${args[0]}"): it returns the app of baton.yaml to its previous release`, { hint: 'name a Release to roll back through the controller: baton rollback release/NAME' });
  const json = options.output === 'json';
  const { inputs } = await loadRelease(resolve(io.cwd, String(options.spec))); // bad input first, before any connection
  const { ports } = commandContext(options, io);
  const request = { spec: inputs.spec, manifests: inputs.manifests, ...(typeof options.to === 'string' ? { to: options.to } : {}) };
  const plan = await planRollbackFor(request, ports);
  if (!json) io.stderr.write(formatPlan(plan));
  const result = await rollback(request, ports, { plan, probe: options.probe !== false });
  return printRun(io, result, { json });
}

/**
 * `baton rollback release/NAME [--to VERSION]`: a new Release, run by the controller, back to the
 * version the named (succeeded) Release replaced, or to --to from the app's history; its spec and
 * inputs are the named Release's with that image. An unfinished Release is aborted, not rolled back.
 */
async function rollbackRelease(target: ReleaseTarget & { name: string }, options: Record<string, unknown>, io: CliIO): Promise<number> {
  const json = options.output === 'json';
  const release = await readTarget(target);
  const to = await rollbackTarget(target, release, typeof options.to === 'string' ? options.to : undefined);
  const created = await createRollbackRelease(target.kube, release, to);
  if (!json) io.stderr.write(`created Release ${target.namespace}/${created.metadata.name}: ${release.status?.toVersion ?? '?'} -> ${to.version} (${to.image}); the controller runs it${options.detach ? '' : ' (Ctrl-C stops following, not the run)'}\n`);
  const last = options.detach ? created : await followToRest(target, created.metadata.name, options, io);
  printRelease(io, last, { json });
  return releaseExitCode(last);
}

async function rollbackTarget(target: ReleaseTarget, release: Release, version: string | undefined): Promise<{ version: string; image: string }> {
  const id = `${target.namespace}/${release.metadata.name}`;
  const phase = release.status?.phase ?? 'Pending';
  if (phase !== 'Succeeded') {
    const finished = ['RolledBack', 'Aborted', 'Invalid', 'Failed'].includes(phase);
    throw new BatonError(finished ? 'RUN_FINISHED' : 'USAGE', finished
      ? `Release ${id} ended ${phase}: it left nothing to roll back`
      : `Release ${id} is ${phase}, not finished: it is aborted (which rolls it back before the point of no return), not rolled back`, {
      hint: finished ? `see the app's history with: baton releases --in-cluster -n ${target.namespace}` : `baton abort release/${release.metadata.name} -n ${target.namespace}`,
    });
  }
  const journal = new ConfigMapJournal(target.kube, target.namespace);
  if (version === undefined) {
    const { plan } = await readRecordedRun(journal, release.status?.runId ?? '');
    if (plan.from === null) throw new BatonError('USAGE', `Release ${id} installed the app's first version (${plan.to.version}): there is no earlier one to go back to`);
    return plan.from;
  }
  const app = String(release.spec.upgrade.app ?? release.status?.app ?? '');
  const entry = (await releases({ app, namespace: target.namespace }, { kube: target.kube, journal })).releases.findLast((r) => r.version === version);
  if (entry === undefined) throw new BatonError('USAGE', `app ${app} has no release ${version} in its history`, { hint: `list them with: baton releases --in-cluster -n ${target.namespace}` });
  return { version: entry.version, image: entry.image };
}
