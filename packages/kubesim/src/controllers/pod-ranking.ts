import type { V1Pod } from '@kubernetes/client-node';
import { toMillis } from './object-time.js';
import { isPodReady, podReadyTime } from './pod-util.js';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function maxRestarts(pod: V1Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

function deletionCost(pod: V1Pod): number {
  const v = pod.metadata?.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : 0;
}

/** LogarithmicScaleDown: ages compared in powers-of-two buckets of nanoseconds. */
function logRankDiff(t1: number, t2: number, now: number): number {
  const d1 = (now - t1) * 1e6;
  const d2 = (now - t2) * 1e6;
  const r1 = d1 > 0 ? Math.floor(Math.log2(d1)) : -1;
  const r2 = d2 > 0 ? Math.floor(Math.log2(d2)) : -1;
  return r1 - r2;
}

const uidLess = (a: V1Pod, b: V1Pod): number =>
  (a.metadata?.uid ?? '') < (b.metadata?.uid ?? '') ? -1 : (a.metadata?.uid ?? '') > (b.metadata?.uid ?? '') ? 1 : 0;

/**
 * The order in which a ReplicaSet deletes pods, first to go first (controller.ActivePodsWithRanks
 * with Kubernetes 1.32's default gates): unassigned before assigned, Pending < Unknown < Running,
 * not ready before ready, lower pod-deletion-cost first, pods doubled up on a node first, more
 * recently ready first (log buckets), more restarts first, newer first (log buckets).
 */
export function comparePodsForDeletion(a: V1Pod, b: V1Pod, rankA: number, rankB: number, now: number): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = PHASE_ORDER[a.status?.phase ?? 'Pending'] ?? 0;
  const pb = PHASE_ORDER[b.status?.phase ?? 'Pending'] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  if (rankA !== rankB) return rankB - rankA;
  if (ra && rb) {
    const ta = podReadyTime(a);
    const tb = podReadyTime(b);
    if (ta !== tb) {
      if (ta === undefined) return -1;
      if (tb === undefined) return 1;
      const d = logRankDiff(ta, tb, now);
      return d === 0 ? uidLess(a, b) : d;
    }
  }
  const xa = maxRestarts(a);
  const xb = maxRestarts(b);
  if (xa !== xb) return xb - xa;
  const ta = toMillis(a.metadata?.creationTimestamp);
  const tb = toMillis(b.metadata?.creationTimestamp);
  if (ta !== tb) {
    if (ta === undefined) return -1;
    if (tb === undefined) return 1;
    const d = logRankDiff(ta, tb, now);
    return d === 0 ? uidLess(a, b) : d;
  }
  return 0;
}

/**
 * getPodsToDelete: the `count` pods to remove. A pod's rank is how many related pods (of the same
 * owner family) share its node, so doubled-up pods go first.
 */
export function podsToDelete(pods: V1Pod[], related: V1Pod[], count: number, now: number): V1Pod[] {
  if (count >= pods.length) return pods.slice(0, count);
  const perNode = new Map<string, number>();
  for (const p of related) {
    const n = p.spec?.nodeName;
    if (n && !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
      perNode.set(n, (perNode.get(n) ?? 0) + 1);
  }
  const rank = (p: V1Pod): number => (p.spec?.nodeName ? (perNode.get(p.spec.nodeName) ?? 0) : 0);
  return [...pods].sort((a, b) => comparePodsForDeletion(a, b, rank(a), rank(b), now)).slice(0, count);
}
