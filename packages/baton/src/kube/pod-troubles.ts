import type { KubeObject } from './kube-object.js';

/** Container waiting reasons that will not fix themselves by waiting longer. */
const hopeless = new Set([
  'CrashLoopBackOff',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'RunContainerError',
  'CreateContainerError',
]);

interface WaitingState {
  reason?: string;
  message?: string;
}

export interface PodLike extends KubeObject {
  spec: { containers: Array<{ name: string; image: string }> };
  status?: { containerStatuses?: Array<{ name: string; restartCount?: number; state?: { waiting?: WaitingState } }> };
}

/** "pod P container C: CrashLoopBackOff, restarted 3 times (back-off 40s …)". */
function describeWaiting(pod: PodLike, container: string, waiting: WaitingState, restarts: number): string {
  const restarted = restarts > 0 ? `, restarted ${restarts} time${restarts === 1 ? '' : 's'}` : '';
  return `pod ${pod.metadata.name} container ${container}: ${waiting.reason ?? 'waiting'}${restarted}${waiting.message ? ` (${waiting.message})` : ''}`;
}

/** Every container of a live pod that waits to run, each described (reason, restarts, message). */
function waitingContainers(pods: Iterable<PodLike>, image?: string): Array<{ reason: string; text: string }> {
  const out: Array<{ reason: string; text: string }> = [];
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (image !== undefined && !pod.spec.containers.some((c) => c.image === image)) continue;
    for (const cs of pod.status?.containerStatuses ?? []) {
      const waiting = cs.state?.waiting;
      if (waiting?.reason) out.push({ reason: waiting.reason, text: describeWaiting(pod, cs.name, waiting, cs.restartCount ?? 0) });
    }
  }
  return out;
}

/** A pod running `image` that can never become ready (crash loop, missing image), or undefined. */
export function hopelessPod(pods: Iterable<PodLike>, image: string): string | undefined {
  return waitingContainers(pods, image).find((w) => hopeless.has(w.reason))?.text;
}

/** Why pods are not ready yet, for progress lines: every waiting container, described. */
export function waitingReasons(pods: Iterable<PodLike>): string[] {
  return waitingContainers(pods).map((w) => w.text);
}
