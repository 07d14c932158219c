import type { V1Pod } from '@kubernetes/client-node';
import { toMillis } from './object-time.js';

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the pod last became Ready (the Ready condition's lastTransitionTime), if it is Ready. */
export function podReadyTime(pod: V1Pod): number | undefined {
  const c = pod.status?.conditions?.find((x) => x.type === 'Ready' && x.status === 'True');
  return c ? toMillis(c.lastTransitionTime) : undefined;
}

/**
 * podutil.IsPodAvailable: Ready for at least minReadySeconds. Like Kubernetes, a zero
 * minReadySeconds makes every ready pod available at once.
 */
export function isPodAvailable(pod: V1Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const t = podReadyTime(pod);
  return t !== undefined && t + minReadySeconds * 1000 < now;
}

/** Succeeded or Failed: a terminal pod never runs again. */
export function isPodTerminal(pod: V1Pod): boolean {
  const p = pod.status?.phase;
  return p === 'Succeeded' || p === 'Failed';
}

/** controller.IsPodActive: not terminal and not being deleted. */
export function isPodActive(pod: V1Pod): boolean {
  return !isPodTerminal(pod) && !pod.metadata?.deletionTimestamp;
}

/** The controlling owner reference (controller: true), if any. */
export function controllerRefOf(obj: {
  metadata?: { ownerReferences?: Array<{ controller?: boolean; uid: string; kind: string; name: string }> };
}): { uid: string; kind: string; name: string } | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** "namespace/name", the work-queue key of a namespaced object. */
export function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/** Splits a work-queue key back into namespace and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
