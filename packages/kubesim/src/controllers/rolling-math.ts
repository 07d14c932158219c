import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import { scaledValue } from './int-or-percent.js';

/**
 * The pure replica arithmetic of the Deployment controller (pkg/controller/deployment/util in
 * Kubernetes), over Deployment and ReplicaSet objects. Nothing here does I/O: the controller asks
 * these functions for numbers and then writes them, so the numbers can be table-tested.
 */

/** Set on every ReplicaSet a Deployment scales; proportional scaling reads them back. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/** spec.replicas with the API default of 1. */
export function specReplicas(d: V1Deployment): number {
  return d.spec?.replicas ?? 1;
}

/** A ReplicaSet's spec.replicas (0 for none). */
export function rsReplicas(rs: V1ReplicaSet | undefined): number {
  return rs?.spec?.replicas ?? 0;
}

/** RollingUpdate is the default strategy. */
export function isRollingUpdate(d: V1Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/**
 * ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down, and when both come out 0
 * unavailability becomes 1, or the rollout could never make progress.
 */
export function resolveFenceposts(d: V1Deployment): { surge: number; unavailable: number } {
  const desired = specReplicas(d);
  const ru = d.spec?.strategy?.rollingUpdate;
  const surge = scaledValue(ru?.maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(ru?.maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** MaxUnavailable, clamped to the replica count (0 for Recreate or zero replicas). */
export function maxUnavailable(d: V1Deployment): number {
  if (!isRollingUpdate(d) || specReplicas(d) === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, specReplicas(d));
}

/** MaxSurge (0 for Recreate). */
export function maxSurge(d: V1Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  return resolveFenceposts(d).surge;
}

/** Sums over ReplicaSets: spec, status.replicas, available, ready. */
export const sumSpec = (rss: Array<V1ReplicaSet | undefined>): number => rss.reduce((n, rs) => n + rsReplicas(rs), 0);
export const sumActual = (rss: Array<V1ReplicaSet | undefined>): number => rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
export const sumAvailable = (rss: Array<V1ReplicaSet | undefined>): number =>
  rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
export const sumReady = (rss: Array<V1ReplicaSet | undefined>): number => rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);

/** NewRSNewReplicas: how far the new ReplicaSet may grow in this step. */
export function newRSNewReplicas(d: V1Deployment, allRSs: Array<V1ReplicaSet | undefined>, newRS: V1ReplicaSet): number {
  if (!isRollingUpdate(d)) return specReplicas(d);
  const desired = specReplicas(d);
  const maxTotal = desired + maxSurge(d);
  const current = sumSpec(allRSs);
  if (current >= maxTotal) return rsReplicas(newRS);
  const up = Math.min(maxTotal - current, desired - rsReplicas(newRS));
  return rsReplicas(newRS) + up;
}

/**
 * reconcileOldReplicaSets' budget: how many old pods may go now without dropping below
 * desired - maxUnavailable, counting unavailable new pods against the budget.
 */
export function maxScaledDown(d: V1Deployment, allRSs: Array<V1ReplicaSet | undefined>, newRS: V1ReplicaSet | undefined): number {
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newUnavailable = rsReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
  return sumSpec(allRSs) - minAvailable - newUnavailable;
}

/** Creation time then name: ReplicaSetsByCreationTimestamp (timestamps have 1 s resolution). */
export function byCreation(a: V1ReplicaSet, b: V1ReplicaSet): number {
  const ta = new Date(a.metadata?.creationTimestamp ?? 0).getTime();
  const tb = new Date(b.metadata?.creationTimestamp ?? 0).getTime();
  if (ta !== tb) return ta - tb;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0;
}

/**
 * cleanupUnhealthyReplicas: scale old ReplicaSets down by their unavailable pods first (oldest
 * first), since removing those cannot reduce availability. Returns name -> new size.
 */
export function planCleanupUnhealthy(oldRSs: V1ReplicaSet[], budget: number): Map<string, number> {
  const out = new Map<string, number>();
  let done = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (done >= budget) break;
    const spec = rsReplicas(rs);
    const avail = rs.status?.availableReplicas ?? 0;
    if (spec === 0 || spec === avail) continue;
    const n = Math.min(budget - done, spec - avail);
    out.set(rs.metadata!.name!, spec - n);
    done += n;
  }
  return out;
}

/**
 * scaleDownOldReplicaSetsForRollingUpdate: remove available old pods while total availability
 * stays above desired - maxUnavailable. Returns name -> new size.
 */
export function planScaleDownOld(d: V1Deployment, allRSs: V1ReplicaSet[], oldRSs: V1ReplicaSet[]): Map<string, number> {
  const out = new Map<string, number>();
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const available = sumAvailable(allRSs);
  if (available <= minAvailable) return out;
  const total = available - minAvailable;
  let done = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (done >= total) break;
    const spec = rsReplicas(rs);
    if (spec === 0) continue;
    const n = Math.min(spec, total - done);
    out.set(rs.metadata!.name!, spec - n);
    done += n;
  }
  return out;
}

function annotationInt(rs: V1ReplicaSet, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** The desired-replicas / max-replicas annotations as numbers. */
export const desiredAnnotation = (rs: V1ReplicaSet): number | undefined => annotationInt(rs, DESIRED_REPLICAS_ANNOTATION);
export const maxReplicasAnnotation = (rs: V1ReplicaSet): number | undefined => annotationInt(rs, MAX_REPLICAS_ANNOTATION);

/** IsSaturated: the new ReplicaSet alone runs the whole desired count, all available. */
export function isSaturated(d: V1Deployment, rs: V1ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = desiredAnnotation(rs);
  if (desired === undefined) return false;
  const n = specReplicas(d);
  return rsReplicas(rs) === n && desired === n && (rs.status?.availableReplicas ?? 0) === n;
}

/** getReplicaSetFraction: the ReplicaSet's share of a resize, from the max-replicas annotation. */
function replicaSetFraction(rs: V1ReplicaSet, d: V1Deployment): number {
  if (specReplicas(d) === 0) return -rsReplicas(rs);
  const maxNow = specReplicas(d) + maxSurge(d);
  let before = maxReplicasAnnotation(rs);
  if (before === undefined || before === 0) {
    // Without the annotation, fall back to the current deployment size.
    before = d.status?.replicas ?? 0;
    if (before === 0) return 0;
  }
  const size = (rsReplicas(rs) * maxNow) / before;
  // integer.RoundToInt32 rounds half away from zero; sizes here are never negative.
  return Math.round(size) - rsReplicas(rs);
}

/** GetProportion: the share, capped by what is left to add (or remove). */
function proportion(rs: V1ReplicaSet, d: V1Deployment, toAdd: number, added: number): number {
  if (rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * The proportional-scaling half of dc.scale(): when replicas change mid-rollout, spread the
 * difference over the active ReplicaSets by their size, leftovers to the largest. Returns the
 * new size of every active ReplicaSet (unchanged ones included) and the scaling direction.
 */
export function planProportionalScale(d: V1Deployment, activeRSs: V1ReplicaSet[]): { sizes: Map<string, number>; op: 'up' | 'down' | '' } {
  const total = sumSpec(activeRSs);
  const allowed = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
  const toAdd = allowed - total;
  const rss = [...activeRSs];
  let op: 'up' | 'down' | '' = '';
  if (toAdd > 0) {
    // ReplicaSetsBySizeNewer: larger first, newer first on ties.
    rss.sort((a, b) => rsReplicas(b) - rsReplicas(a) || byCreation(b, a));
    op = 'up';
  } else if (toAdd < 0) {
    // ReplicaSetsBySizeOlder: larger first, older first on ties.
    rss.sort((a, b) => rsReplicas(b) - rsReplicas(a) || byCreation(a, b));
    op = 'down';
  }
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of rss) {
    if (toAdd !== 0) {
      const p = proportion(rs, d, toAdd, added);
      sizes.set(rs.metadata!.name!, rsReplicas(rs) + p);
      added += p;
    } else {
      sizes.set(rs.metadata!.name!, rsReplicas(rs));
    }
  }
  const first = rss[0];
  if (first && toAdd !== 0) {
    const name = first.metadata!.name!;
    sizes.set(name, Math.max(0, sizes.get(name)! + toAdd - added));
  }
  return { sizes, op };
}
