import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, maxSurge, specReplicas } from './rolling-math.js';

/** The revision bookkeeping `kubectl rollout history/undo` read. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** Kubernetes keeps revision-history under this many characters. */
const MAX_REV_HISTORY_CHARS = 2000;

const SKIP_COPY = new Set([
  LAST_APPLIED,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  ROLLBACK_TO,
]);

/** The revision number of a ReplicaSet (0 when absent or unparseable). */
export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } } | undefined): number {
  const v = obj?.metadata?.annotations?.[REVISION_ANNOTATION];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 0;
}

/** MaxRevision over ReplicaSets. */
export function maxRevision(rss: V1ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/**
 * copyDeploymentAnnotationsToReplicaSet: user annotations (kubernetes.io/change-cause included,
 * which `kubectl rollout history` shows) travel to the ReplicaSet; bookkeeping ones do not.
 */
function copyAnnotations(d: V1Deployment, rs: V1ReplicaSet): boolean {
  let changed = false;
  rs.metadata ??= {};
  rs.metadata.annotations ??= {};
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (SKIP_COPY.has(k)) continue;
    if (rs.metadata.annotations[k] === v) continue;
    rs.metadata.annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas, for proportional scaling later. */
export function setReplicasAnnotations(rs: V1ReplicaSet, desired: number, max: number): boolean {
  rs.metadata ??= {};
  rs.metadata.annotations ??= {};
  const a = rs.metadata.annotations;
  let changed = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: V1ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations: the new ReplicaSet's revision becomes newRevision when that is
 * higher. A ReplicaSet that already had a revision is being rolled back to: its old numbers go to
 * revision-history. Mutates rs; returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(d: V1Deployment, rs: V1ReplicaSet, newRevision: number, exists: boolean): boolean {
  let changed = copyAnnotations(d, rs);
  const a = rs.metadata!.annotations!;
  const had = a[REVISION_ANNOTATION];
  let oldRev = 0;
  if (had !== undefined) {
    if (!/^\d+$/.test(had)) return false;
    oldRev = Number(had);
  }
  if (oldRev < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (had !== undefined) {
      const hist = a[REVISION_HISTORY_ANNOTATION] ?? '';
      if (hist === '') {
        a[REVISION_HISTORY_ANNOTATION] = had;
      } else {
        let parts = hist.split(',');
        let total = hist.length + had.length + 1;
        while (total > MAX_REV_HISTORY_CHARS && parts.length > 0) {
          total -= parts[0]!.length + 1;
          parts = parts.slice(1);
        }
        if (total <= MAX_REV_HISTORY_CHARS) a[REVISION_HISTORY_ANNOTATION] = [...parts, had].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}
