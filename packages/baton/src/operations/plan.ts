import { BatonError } from '../errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import { assertServerAccepts } from '../kube/server-capabilities.js';
import { kubeSecretResolver } from '../kube/secret-resolver.js';
import { findMissingObjects } from '../plan/missing-objects.js';
import { buildPlan, currentRelease, releaseVersion } from '../plan/build-plan.js';
import type { LiveState } from '../plan/live-state.js';
import { observe } from '../plan/observe.js';
import type { Plan } from '../plan/plan.js';
import { databaseSteps } from '../upgrade/database-steps.js';
import { refuseWhatTheServerRefuses } from './dry-run-plan.js';
import { refuseUnservedServices } from './refuse-unserved-services.js';
import { refuseUnwritableBackupDirs } from './refuse-unwritable-backup.js';
import type { Environment } from './ports.js';
import type { ReleaseInputs } from './release-inputs.js';

/** A plan and what the cluster looked like when it was made. */
export interface PlannedRelease {
  plan: Plan;
  live: LiveState;
}

/**
 * `plan`: reaches the cluster (and the database, for pending migrations) and plans the upgrade.
 * Changes nothing anywhere: an unreachable cluster or a bad manifest fails here, before any step.
 * The release being replaced is read first, so the plan is built once, database steps included.
 */
export async function planRelease(inputs: ReleaseInputs, ports: { kube: KubeClient; env?: Environment }): Promise<PlannedRelease> {
  const { spec } = inputs;
  const manifests = [...inputs.manifests];
  // The server's minor decides which fields it takes: refuse here what it would refuse mid-run.
  assertServerAccepts(manifests, await ports.kube.version(), ports.kube.server);
  // Before anything else is read: a missing namespace is named as such, with every other
  // missing object, and not as whatever read failed first.
  await refuseMissingObjects(inputs, ports.kube);
  await refuseUnservedServices(manifests, ports.kube, spec.namespace);
  const live = await observe(ports.kube, spec, manifests);
  const from = currentRelease({ spec, manifests, live });
  const database = await databaseSteps(
    { spec, migrations: inputs.migrations, backupDir: inputs.backupDir ?? spec.database?.backup?.dir ?? '.baton/backups' },
    { env: ports.env ?? {}, fromVersion: from?.version, toVersion: releaseVersion(spec), resolveSecret: kubeSecretResolver(ports.kube) },
  );
  const plan = buildPlan({ spec, manifests, live, ...(database ? { database } : {}) });
  if (database) plan.warnings.push(...database.warnings);
  if (database?.migrations) plan.migrations = database.migrations;
  plan.warnings.push(...(await refuseUnwritableBackupDirs(plan)));
  await refuseWhatTheServerRefuses(plan, ports.kube, spec.namespace);
  return { plan, live };
}

/**
 * Fails before any change (exit 2) when the namespace, a hook's or backup's pod, or a Secret or
 * ConfigMap the new pods read exists neither in the cluster nor in the manifests. Runs before the
 * database is reached, so a missing namespace is named as such and not as an unreadable Secret.
 */
async function refuseMissingObjects(inputs: ReleaseInputs, kube: KubeClient): Promise<void> {
  const missing = await findMissingObjects({
    spec: inputs.spec,
    manifests: [...inputs.manifests],
    live: (ref) => kube.get(ref),
    // Only the maintenance strategy backs up after applying (in maintenance mode, right before
    // the migration); every other plan backs up first.
    backupRunsBeforeApply: inputs.spec.strategy.kind !== 'maintenance',
  });
  if (missing.length === 0) return;
  const lines = missing.map((m) => `  - ${m.object} (needed by ${m.neededBy}): ${m.fix}`).join('\n');
  throw new BatonError(
    'PLAN_MISSING_OBJECTS',
    `the run needs ${missing.length === 1 ? 'an object' : `${missing.length} objects`} that neither the cluster nor the manifests have; nothing was changed:\n${lines}`,
    {
      hint: 'create them (or fix baton.yaml), then run baton plan again',
    },
  );
}
