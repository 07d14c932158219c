import { resolve } from 'node:path';
import { createRollbackRelease } from '../../controller/release-client.js';
import type { Release } from '../../controller/release.js';
import { BatonError } from '../../errors.js';
import { ConfigMapJournal } from '../../kube/configmap-journal.js';
import { readRecordedRun } from '../../operations/recorded-run.js';
import { releases } from '../../operations/releases.js';
import { planRollbackFor, rollback, rollbackTargetOf } from '../../operations/rollback.js';
import type { RecordedRelease } from '../../kube/release-history.js';
import type { RollbackChoice } from '../../upgrade/rollback-target.js';
import { exitCodes } from '../exit-codes.js';
import { formatPlan } from '../format-plan.js';
import { printJson, type CliIO } from '../io.js';
import { loadRelease } from '../../spec/load-release.js';
import { commandContext } from './context.js';
import {
  followToRest,
  namedTarget,
  printRelease,
  readTarget,
  releaseExitCode,
  releaseTargetOf,
  type ReleaseTarget,
} from './release-target.js';
import { printRun } from './run-output.js';

/**
 * `baton rollback`: back to the previous release (or --to VERSION, or --to-revision N from `baton
 * history`), under the probe, journaled. A revision that is what runs now: nothing to do, exit 0.
 */
export async function run(options: Record<string, unknown>, args: string[], io: CliIO): Promise<number> {
  const target = releaseTargetOf(options, args[0], io);
  if (target) return rollbackRelease(namedTarget(target, 'rollback'), options, io);
  if (args[0] !== undefined)
    throw new BatonError(
      'USAGE',
      `baton rollback takes no run id ("${args[0]}"): it returns the app of baton.yaml to its previous release`,
      { hint: 'name a Release to roll back through the controller: baton rollback release/NAME' },
    );
  const json = options.output === 'json';
  const toRevision = revisionOption(options);
  const { inputs } = await loadRelease(resolve(io.cwd, String(options.spec))); // bad input first, before any connection
  const { ports } = commandContext(options, io);
  const { app, namespace } = inputs.spec;
  if (toRevision !== undefined) {
    const standing = await rollbackTargetOf({ app, namespace, revision: toRevision }, ports);
    if (standing.kind === 'current')
      return notNeeded(io, json, { app, namespace, revision: toRevision, entry: standing.entry, current: standing.current });
  }
  const request = {
    spec: inputs.spec,
    manifests: inputs.manifests,
    ...(typeof options.to === 'string' ? { to: options.to } : {}),
    ...(toRevision !== undefined ? { toRevision } : {}),
  };
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
  const toRevision = revisionOption(options);
  const release = await readTarget(target);
  const to = await rollbackTarget(target, release, {
    ...(typeof options.to === 'string' ? { to: options.to } : {}),
    ...(toRevision !== undefined ? { toRevision } : {}),
  });
  if (to.kind === 'current')
    return notNeeded(io, json, {
      app: to.app,
      namespace: target.namespace,
      revision: toRevision ?? to.entry.revision,
      entry: to.entry,
      current: to.current,
    });
  const created = await createRollbackRelease(target.kube, release, to);
  if (!json)
    io.stderr.write(
      `created Release ${target.namespace}/${created.metadata.name}: ${release.status?.toVersion ?? '?'} -> ${to.version} (${to.image}); the controller runs it${options.detach ? '' : ' (Ctrl-C stops following, not the run)'}\n`,
    );
  const last = options.detach ? created : await followToRest(target, created.metadata.name, options, io);
  printRelease(io, last, { json });
  return releaseExitCode(last);
}

type ReleaseRollbackTarget =
  | { kind: 'target'; version: string; image: string }
  | { kind: 'current'; app: string; entry: RecordedRelease; current: RecordedRelease };

async function rollbackTarget(target: ReleaseTarget, release: Release, choice: RollbackChoice): Promise<ReleaseRollbackTarget> {
  const id = `${target.namespace}/${release.metadata.name}`;
  const phase = release.status?.phase ?? 'Pending';
  if (phase !== 'Succeeded') {
    const finished = ['RolledBack', 'Aborted', 'Invalid', 'Failed'].includes(phase);
    throw new BatonError(
      finished ? 'RUN_FINISHED' : 'USAGE',
      finished
        ? `Release ${id} ended ${phase}: it left nothing to roll back`
        : `Release ${id} is ${phase}, not finished: it is aborted (which rolls it back before the point of no return), not rolled back`,
      {
        hint: finished
          ? `see the app's history with: baton releases --in-cluster -n ${target.namespace}`
          : `baton abort release/${release.metadata.name} -n ${target.namespace}`,
      },
    );
  }
  const journal = new ConfigMapJournal(target.kube, target.namespace);
  const app = String(release.spec.upgrade.app ?? release.status?.app ?? '');
  if (choice.toRevision !== undefined) {
    const standing = await rollbackTargetOf({ app, namespace: target.namespace, revision: choice.toRevision }, { kube: target.kube });
    if (standing.kind === 'current') return { kind: 'current', app, entry: standing.entry, current: standing.current };
    return { kind: 'target', version: standing.entry.version, image: standing.entry.image };
  }
  if (choice.to === undefined) {
    const { plan } = await readRecordedRun(journal, release.status?.runId ?? '');
    if (plan.from === null)
      throw new BatonError(
        'USAGE',
        `Release ${id} installed the app's first version (${plan.to.version}): there is no earlier one to go back to`,
      );
    return { kind: 'target', ...plan.from };
  }
  const entry = (await releases({ app, namespace: target.namespace }, { kube: target.kube, journal })).releases.findLast(
    (r) => r.version === choice.to,
  );
  if (entry === undefined)
    throw new BatonError('USAGE', `app ${app} has no release ${choice.to} in its history`, {
      hint: `list them with: baton history ${app} -n ${target.namespace}`,
    });
  return { kind: 'target', version: entry.version, image: entry.image };
}

/** --to-revision N: a positive whole number, never together with --to. */
function revisionOption(options: Record<string, unknown>): number | undefined {
  if (options.toRevision === undefined) return undefined;
  const revision = Number(options.toRevision);
  if (!Number.isInteger(revision) || revision < 1)
    throw new BatonError('USAGE', `--to-revision takes a revision number (1, 2, 3…), not "${String(options.toRevision)}"`, {
      hint: 'see the revisions with: baton history',
    });
  if (typeof options.to === 'string')
    throw new BatonError('USAGE', '--to and --to-revision name the release to return to two ways: give one', {
      hint: 'baton rollback --to-revision N (see baton history)',
    });
  return revision;
}

/** The revision asked for is what runs now: nothing is planned, run or changed. */
function notNeeded(
  io: CliIO,
  json: boolean,
  o: { app: string; namespace: string; revision: number; entry: RecordedRelease; current: RecordedRelease },
): number {
  const same = o.entry.revision === o.current.revision;
  const reason = same
    ? `revision ${o.revision} (${o.entry.version}, ${o.entry.image}) is the current release of ${o.namespace}/${o.app}: nothing to do`
    : `revision ${o.revision} is ${o.entry.version} (${o.entry.image}), which is what runs now (revision ${o.current.revision}): nothing to do`;
  if (json)
    printJson(io, 'RollbackNotNeeded', {
      app: o.app,
      namespace: o.namespace,
      revision: o.revision,
      currentRevision: o.current.revision,
      version: o.entry.version,
      image: o.entry.image,
      reason,
    });
  else io.stdout.write(`${reason}\n`);
  return exitCodes.ok;
}
