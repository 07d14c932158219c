import type { KubeClient } from '../../kube/kube-client.js';
import type { DeploymentLike } from '../../kube/workload-objects.js';
import { selectorString } from '../../kube/label-selector.js';
import { hopelessPod, type PodLike } from '../../kube/pod-troubles.js';

export type RolloutVerdict = { kind: 'complete' } | { kind: 'failed'; reason: string };

/**
 * The same decision `kubectl rollout status` makes, from one Deployment observation.
 * Undefined means "still rolling".
 */
export function rolloutVerdict(d: DeploymentLike): RolloutVerdict | undefined {
  const status = d.status ?? {};
  if ((status.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) return undefined;
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      kind: 'failed',
      reason:
        `Deployment ${d.metadata.name} exceeded its progress deadline (${d.spec.progressDeadlineSeconds ?? 600}s): ${progressing.message ?? ''}`.trim(),
    };
  }
  const want = d.spec.replicas ?? 1;
  const complete =
    (status.updatedReplicas ?? 0) >= want &&
    (status.replicas ?? 0) <= (status.updatedReplicas ?? 0) &&
    (status.availableReplicas ?? 0) >= (status.updatedReplicas ?? 0);
  if (complete) return { kind: 'complete' };
  // A paused Deployment never rolls: waiting would only run out the timeout.
  if (d.spec.paused === true) {
    const ns = d.metadata.namespace ? ` -n ${d.metadata.namespace}` : '';
    return {
      kind: 'failed',
      reason: `Deployment ${d.metadata.name} is paused (spec.paused: true), so its rollout cannot progress: resume it (kubectl rollout resume deployment/${d.metadata.name}${ns}) or drop spec.paused from the manifest, then retry`,
    };
  }
  return undefined;
}

/**
 * Waits on watches (no polling) until the Deployment's rollout completes, its progress deadline
 * passes, or a new pod can never start (crash loop, missing image): then we fail at once instead
 * of waiting out the deadline while users might be hitting a broken version.
 */
export async function waitForRollout(
  kube: KubeClient,
  d: DeploymentLike,
  image: string,
  options: { timeoutMs: number; signal: AbortSignal; onProgress?: (message: string, fraction: number) => void },
): Promise<RolloutVerdict> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  const namespace = d.metadata.namespace;
  const selector = selectorString(d.spec.selector.matchLabels);
  const what = `rollout of Deployment ${d.metadata.name}`;
  let last = '';
  try {
    const deployment = kube.watchUntil<DeploymentLike, RolloutVerdict>(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace, fieldSelector: `metadata.name=${d.metadata.name}` },
      (objects) => {
        const live = objects.values().next().value;
        if (!live) return undefined;
        const s = live.status ?? {};
        const want = live.spec.replicas ?? 1;
        const line = `${s.updatedReplicas ?? 0}/${want} updated, ${s.availableReplicas ?? 0} available, ${s.replicas ?? 0} total`;
        if (line !== last) {
          last = line;
          options.onProgress?.(line, want === 0 ? 1 : Math.min(1, (s.updatedReplicas ?? 0) / want));
        }
        return rolloutVerdict(live);
      },
      { timeoutMs: options.timeoutMs, signal: stop.signal, what },
    );
    const pods = kube.watchUntil<PodLike, RolloutVerdict>(
      { apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: selector },
      (objects) => {
        const reason = hopelessPod(objects.values(), image);
        return reason === undefined ? undefined : { kind: 'failed', reason };
      },
      { timeoutMs: options.timeoutMs + 60_000, signal: stop.signal, what },
    );
    pods.catch(() => undefined);
    deployment.catch(() => undefined);
    return await Promise.race([deployment, pods]);
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    stop.abort();
  }
}
