import type { Condition } from './release.js';

/**
 * Sets a condition in a list, keeping lastTransitionTime when the status did not change (the
 * Kubernetes convention: the time says when it last flipped, not when it was last written).
 */
export function setCondition(list: readonly Condition[] | undefined, next: Omit<Condition, 'lastTransitionTime'>, now: number): Condition[] {
  const previous = list?.find((c) => c.type === next.type);
  const lastTransitionTime = previous !== undefined && previous.status === next.status ? previous.lastTransitionTime : new Date(now).toISOString();
  return [...(list ?? []).filter((c) => c.type !== next.type), { ...next, lastTransitionTime }];
}

export function removeCondition(list: readonly Condition[] | undefined, type: string): Condition[] {
  return (list ?? []).filter((c) => c.type !== type);
}
