/** What the kubelet does when a container's process has exited. */
export type ExitDecision =
  | { kind: 'restart' }
  /** Terminated for good: `failsPod` when a plain init container failed under restartPolicy Never. */
  | { kind: 'finished'; completed: boolean; failsPod: boolean }
  /** The pod is terminating (or the node stopping), or a sidecar was stopped on purpose. */
  | { kind: 'stopped' };

export interface ExitFacts {
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  exitCode: number;
  isInit: boolean;
  isSidecar: boolean;
  /** The container was already marked done (e.g. a sidecar being stopped after the containers). */
  done: boolean;
  /** The image changed: restart whatever the policy. */
  specChanged: boolean;
  podStopping: boolean;
}

/**
 * The kubelet's restart rules: containers follow the pod's restartPolicy; init containers are
 * retried on failure unless the policy is Never (then the pod fails) and never rerun after
 * success; sidecars always restart; an image change always restarts.
 */
export function decideAfterExit(f: ExitFacts): ExitDecision {
  if (f.podStopping || f.done) return { kind: 'stopped' };
  if (f.specChanged || f.isSidecar) return { kind: 'restart' };
  if (f.isInit) {
    if (f.exitCode === 0) return { kind: 'finished', completed: true, failsPod: false };
    return f.restartPolicy === 'Never' ? { kind: 'finished', completed: false, failsPod: true } : { kind: 'restart' };
  }
  const restart = f.restartPolicy === 'Always' || (f.restartPolicy === 'OnFailure' && f.exitCode !== 0);
  return restart ? { kind: 'restart' } : { kind: 'finished', completed: f.exitCode === 0, failsPod: false };
}
