import type { Pod, PodCondition, PodStatus } from './pod-types.js';
import type { ContainerRecord } from './container-record.js';

export interface PodStatusInput {
  pod: Pod;
  podIP: string;
  hostIP: string;
  startTime: string;
  init: ContainerRecord[];
  containers: ContainerRecord[];
  /** Set when an init container failed under restartPolicy Never. */
  failed: boolean;
  terminating: boolean;
  previous: PodCondition[];
  now: string;
  /** Version-dependent parts; default: what 1.29+ shows. */
  features?: { podReadyToStartContainers: boolean; hostIPs: boolean };
}

const OWN = new Set(['PodScheduled', 'PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready']);

/** Init is complete when every init container completed and every sidecar has started once. */
export function initComplete(init: ContainerRecord[]): boolean {
  return init.every((c) => (c.isSidecar ? c.everStarted || c.done : c.done));
}

/** The pod phase, from the container states (as the kubelet's getPhase); sidecars do not count. */
export function podPhase(i: Pick<PodStatusInput, 'init' | 'containers' | 'failed' | 'pod'>): string {
  if (i.failed) return 'Failed';
  if (!initComplete(i.init)) return 'Pending';
  if (i.containers.every((c) => c.done)) return i.containers.every((c) => c.lastExitCode === 0) ? 'Succeeded' : 'Failed';
  const everRan = i.containers.some((c) => c.proc !== undefined || c.restartCount > 0 || c.state.terminated !== undefined);
  return everRan ? 'Running' : 'Pending';
}

/**
 * Builds the pod status the kubelet owns. Conditions keep their lastTransitionTime unless their
 * status changes; conditions set by others (readiness gates) are carried over untouched.
 */
export function buildPodStatus(i: PodStatusInput): PodStatus {
  const phase = podPhase(i);
  const initDone = initComplete(i.init);
  // Sidecars count for readiness, as in Kubernetes.
  const notReady = [...i.init.filter((c) => c.isSidecar && !c.done), ...i.containers].filter((c) => !c.ready).map((c) => c.spec.name);
  const containersReady = !i.terminating && notReady.length === 0 && phase === 'Running';
  const foreign = (i.pod.status?.conditions ?? []).filter((c) => !OWN.has(c.type));
  const gatesOk = (i.pod.spec.readinessGates ?? []).every((g) => foreign.some((c) => c.type === g.conditionType && c.status === 'True'));
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const cond = (type: string, ok: boolean, reason?: string, message?: string): PodCondition => {
    const status = ok ? 'True' : 'False';
    const prev = i.previous.find((c) => c.type === type);
    const c: PodCondition = {
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : i.now,
    };
    if (!ok && reason) c.reason = reason;
    if (!ok && message) c.message = message;
    return c;
  };
  const readyReason = terminal ? 'PodCompleted' : 'ContainersNotReady';
  const readyMsg = terminal ? undefined : `containers with unready status: [${notReady.join(' ')}]`;
  const conditions: PodCondition[] = [
    ...((i.features?.podReadyToStartContainers ?? true) ? [cond('PodReadyToStartContainers', !terminal || !i.terminating)] : []),
    cond(
      'Initialized',
      initDone,
      'ContainersNotInitialized',
      `containers with incomplete status: [${i.init
        .filter((c) => !(c.isSidecar ? c.everStarted : c.done))
        .map((c) => c.spec.name)
        .join(' ')}]`,
    ),
    cond(
      'Ready',
      containersReady && gatesOk,
      containersReady ? 'ReadinessGatesNotReady' : readyReason,
      containersReady ? 'corresponding condition of pod readiness gate is not ready' : readyMsg,
    ),
    cond('ContainersReady', containersReady, readyReason, readyMsg),
    cond('PodScheduled', true),
    ...foreign,
  ];
  const status: PodStatus = {
    phase,
    conditions,
    hostIP: i.hostIP,
    ...((i.features?.hostIPs ?? true) ? { hostIPs: [{ ip: i.hostIP }] } : {}),
    podIP: i.podIP,
    podIPs: [{ ip: i.podIP }],
    startTime: i.startTime,
    containerStatuses: i.containers.map((c) => c.status()),
  };
  if (i.init.length > 0) status.initContainerStatuses = i.init.map((c) => c.status());
  return status;
}
