import type { V1Deployment, V1DeploymentStatus, V1ReplicaSet } from '@kubernetes/client-node';
import { DeploymentReason, newCondition, setCondition } from './deployment-conditions.js';
import { maxUnavailable, specReplicas, sumActual, sumAvailable, sumReady, sumSpec } from './rolling-math.js';

/** calculateStatus: the Deployment status its ReplicaSets imply, with the Available condition. */
export function calculateStatus(allRSs: V1ReplicaSet[], newRS: V1ReplicaSet | undefined, d: V1Deployment, now: number): V1DeploymentStatus {
  const available = sumAvailable(allRSs);
  const unavailable = Math.max(0, sumSpec(allRSs) - available);
  const status: V1DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: sumActual(allRSs),
    updatedReplicas: sumActual([newRS]),
    readyReplicas: sumReady(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    collisionCount: d.status?.collisionCount,
    conditions: [...(d.status?.conditions ?? [])],
  };
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(
      status,
      newCondition('Available', 'True', DeploymentReason.MinimumReplicasAvailable, 'Deployment has minimum availability.', now),
    );
  } else {
    setCondition(
      status,
      newCondition(
        'Available',
        'False',
        DeploymentReason.MinimumReplicasUnavailable,
        'Deployment does not have minimum availability.',
        now,
      ),
    );
  }
  return status;
}

/** DeploymentComplete: every desired replica updated and available, nothing old left. */
export function deploymentComplete(d: V1Deployment, s: V1DeploymentStatus): boolean {
  const n = specReplicas(d);
  return (
    (s.updatedReplicas ?? 0) === n &&
    (s.replicas ?? 0) === n &&
    (s.availableReplicas ?? 0) === n &&
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/** DeploymentProgressing: any sign of progress since the last recorded status. */
export function deploymentProgressing(d: V1Deployment, s: V1DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** HasProgressDeadline: set and not MaxInt32 (which means "never"). */
export function hasProgressDeadline(d: V1Deployment): boolean {
  const p = d.spec?.progressDeadlineSeconds;
  return p !== undefined && p !== null && p !== 2147483647;
}
