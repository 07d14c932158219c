import type { V1ReplicaSet } from '@kubernetes/client-node';
import { DeploymentReason, getCondition, newCondition, setCondition } from './deployment-conditions.js';
import { REVISION_ANNOTATION } from './deployment-revisions.js';
import { deploymentComplete, hasProgressDeadline } from './deployment-status.js';
import type { DeploymentSync } from './deployment-sync.js';
import {
  byCreation,
  desiredAnnotation,
  isRollingUpdate,
  isSaturated,
  maxScaledDown,
  newRSNewReplicas,
  planCleanupUnhealthy,
  planProportionalScale,
  planScaleDownOld,
  rsReplicas,
  specReplicas,
  sumActual,
} from './rolling-math.js';

const active = (rss: Array<V1ReplicaSet | undefined>): V1ReplicaSet[] => rss.filter((rs): rs is V1ReplicaSet => !!rs && rsReplicas(rs) > 0);

/** rolloutRolling: grow the new ReplicaSet within maxSurge, shrink old ones within maxUnavailable. */
export async function rolloutRolling(s: DeploymentSync): Promise<void> {
  const { newRS, oldRSs } = await s.getAll(true);
  const nrs = s.current(newRS!);
  // reconcileNewReplicaSet
  let scaledUp = false;
  if (rsReplicas(nrs) !== specReplicas(s.d)) {
    const target = rsReplicas(nrs) > specReplicas(s.d) ? specReplicas(s.d) : newRSNewReplicas(s.d, [...oldRSs, nrs], nrs);
    scaledUp = await s.scale(nrs, target);
  }
  if (scaledUp) return s.syncRolloutStatus(newRS);
  if (await reconcileOld(s, newRS!)) return s.syncRolloutStatus(newRS);
  if (deploymentComplete(s.d, s.d.status ?? {})) await cleanupDeployment(s);
  return s.syncRolloutStatus(newRS);
}

async function reconcileOld(s: DeploymentSync, newRS: V1ReplicaSet): Promise<boolean> {
  const oldRSs = s.split().oldRSs;
  if (oldRSs.reduce((n, rs) => n + rsReplicas(rs), 0) === 0) return false;
  const nrs = s.current(newRS);
  const budget = maxScaledDown(s.d, [...oldRSs, nrs], nrs);
  if (budget <= 0) return false;
  let total = 0;
  // Unhealthy old pods go first: removing them costs no availability.
  const cleanup = planCleanupUnhealthy(active(oldRSs), budget);
  for (const rs of active(oldRSs)) {
    const size = cleanup.get(rs.metadata!.name!);
    if (size === undefined) continue;
    total += rsReplicas(rs) - size;
    await s.scale(rs, size);
  }
  const olds = active(s.split().oldRSs.map((rs) => s.current(rs)));
  const down = planScaleDownOld(s.d, [...olds, s.current(newRS)], olds);
  for (const rs of olds) {
    const size = down.get(rs.metadata!.name!);
    if (size === undefined) continue;
    total += rsReplicas(rs) - size;
    await s.scale(rs, size);
  }
  return total > 0;
}

/** rolloutRecreate: all old pods gone (terminating ones included) before the new ReplicaSet grows. */
export async function rolloutRecreate(s: DeploymentSync): Promise<void> {
  let { newRS, oldRSs } = await s.getAll(false);
  let scaledDown = false;
  for (const rs of active(oldRSs)) {
    if (await s.scale(rs, 0)) scaledDown = true;
  }
  if (scaledDown) return s.syncRolloutStatus(newRS);
  if (oldPodsRunning(s, newRS, oldRSs)) return s.syncRolloutStatus(newRS);
  if (!newRS) ({ newRS, oldRSs } = await s.getAll(true));
  await s.scale(s.current(newRS!), specReplicas(s.d));
  if (deploymentComplete(s.d, s.d.status ?? {})) await cleanupDeployment(s);
  return s.syncRolloutStatus(newRS);
}

function oldPodsRunning(s: DeploymentSync, newRS: V1ReplicaSet | undefined, oldRSs: V1ReplicaSet[]): boolean {
  if (sumActual(oldRSs) > 0) return true;
  for (const [uid, pods] of s.podsByRS) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}

/** isScalingEvent: an active ReplicaSet was sized for a different replica count. */
export async function isScalingEvent(s: DeploymentSync): Promise<boolean> {
  const { newRS, oldRSs } = await s.getAll(false);
  return active([...oldRSs, newRS]).some((rs) => {
    const desired = desiredAnnotation(rs);
    return desired !== undefined && desired !== specReplicas(s.d);
  });
}

/** sync: scaling (and paused) without a rollout; proportional scaling mid-rollout. */
export async function syncScaling(s: DeploymentSync): Promise<void> {
  const { newRS, oldRSs } = await s.getAll(false);
  await scale(s, newRS, oldRSs);
  if (s.d.spec?.paused) await cleanupDeployment(s);
  await s.syncStatus(newRS);
}

async function scale(s: DeploymentSync, newRS: V1ReplicaSet | undefined, oldRSs: V1ReplicaSet[]): Promise<void> {
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (rsReplicas(activeOrLatest) !== specReplicas(s.d)) await s.scale(activeOrLatest, specReplicas(s.d));
    return;
  }
  if (isSaturated(s.d, newRS)) {
    for (const rs of active(oldRSs)) await s.scale(rs, 0);
    return;
  }
  if (!isRollingUpdate(s.d)) return;
  const all = active([...oldRSs, newRS]);
  const { sizes, op } = planProportionalScale(s.d, all);
  for (const rs of all) {
    // scaleReplicaSet (not ...AndRecordEvent): writes annotations even when the size is unchanged.
    await s.scale(rs, sizes.get(rs.metadata!.name!) ?? rsReplicas(rs), op);
  }
}

function findActiveOrLatest(newRS: V1ReplicaSet | undefined, oldRSs: V1ReplicaSet[]): V1ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const olds = [...oldRSs].sort(byCreation).reverse();
  const all = active([...olds, newRS]);
  if (all.length === 0) return newRS ?? olds[0];
  if (all.length === 1) return all[0];
  return undefined;
}

/** cleanupDeployment: keep revisionHistoryLimit scaled-down old ReplicaSets, delete older ones. */
async function cleanupDeployment(s: DeploymentSync): Promise<void> {
  const limit = s.d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const cleanable = s.split().oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  const rev = (rs: V1ReplicaSet): number => Number(rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0) || 0;
  cleanable.sort((a, b) => rev(a) - rev(b) || byCreation(a, b));
  for (const rs of cleanable.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0) continue;
    if ((rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    await s.deleteReplicaSet(rs);
  }
}

/** checkPausedConditions: Progressing=Unknown DeploymentPaused / DeploymentResumed. */
export async function checkPausedConditions(s: DeploymentSync, now: number): Promise<void> {
  if (!hasProgressDeadline(s.d)) return;
  const cond = getCondition(s.d.status, 'Progressing');
  // Never hide a reported lack of progress behind a paused condition.
  if (cond?.reason === DeploymentReason.ProgressDeadlineExceeded) return;
  const pausedExists = cond?.reason === DeploymentReason.Paused;
  s.d.status ??= {};
  if (s.d.spec?.paused && !pausedExists) {
    setCondition(s.d.status, newCondition('Progressing', 'Unknown', DeploymentReason.Paused, 'Deployment is paused', now));
  } else if (!s.d.spec?.paused && pausedExists) {
    setCondition(s.d.status, newCondition('Progressing', 'Unknown', DeploymentReason.Resumed, 'Deployment is resumed', now));
  } else {
    return;
  }
  await s.writeStatus();
}
