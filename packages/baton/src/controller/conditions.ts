import { conditionTypes, type Condition, type ProbeStatus, type ReleaseStatus } from './release.js';

/**
 * Sets a condition in a list, keeping lastTransitionTime when the status did not change (the
 * Kubernetes convention: the time says when it last flipped, not when it was last written).
 */
export function setCondition(
  list: readonly Condition[] | undefined,
  next: Omit<Condition, 'lastTransitionTime'>,
  now: number,
): Condition[] {
  const previous = list?.find((c) => c.type === next.type);
  const lastTransitionTime =
    previous !== undefined && previous.status === next.status ? previous.lastTransitionTime : new Date(now).toISOString();
  return [...(list ?? []).filter((c) => c.type !== next.type), { ...next, lastTransitionTime }];
}

export function removeCondition(list: readonly Condition[] | undefined, type: string): Condition[] {
  return (list ?? []).filter((c) => c.type !== type);
}

/**
 * Puts the probe's latest figures into status together with the ProbeClean condition read from
 * them: every writer that moves `status.probe` (each step's write and the progress writes while a
 * step runs) goes through here, so the condition never keeps totals older than the figures.
 */
export function withProbeFigures(status: ReleaseStatus, probe: ProbeStatus, now: number): ReleaseStatus {
  const clean = probe.failed === 0 && probe.streamsCut === 0 && probe.lostWrites === 0;
  const condition: Omit<Condition, 'lastTransitionTime'> = {
    type: conditionTypes.probeClean,
    status: clean ? 'True' : 'False',
    reason: clean ? 'NoClientLost' : 'ClientsLost',
    message: `${probe.failed}/${probe.requests} requests failed, ${probe.streamsCut} streams cut, ${probe.lostWrites} writes lost`,
  };
  return { ...status, probe, conditions: setCondition(status.conditions, condition, now) };
}
