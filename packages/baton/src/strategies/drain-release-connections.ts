import type { JsonObject } from '../json.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import { selectorString } from '../kube/label-selector.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import type { ConnectionMetric } from '../spec/connection-metric.js';
import { readPodConnections, resolvePort } from './drain-connections.js';

/** A release's open connections: a trustworthy sum, or why there is none. */
export type ReleaseConnections = { kind: 'value'; value: number; pods: number } | { kind: 'unknown'; reason: string };

interface PodLike extends KubeObject {
  spec?: { containers?: Array<{ ports?: Array<{ name?: string; containerPort: number }> }> };
  status?: { podIP?: string; phase?: string };
}

export interface ReadReleaseConnectionsOptions {
  /** Only listing is needed (ReplicaSets and Pods). */
  kube: Pick<KubeClient, 'list'>;
  namespace: string;
  /** The release's Deployment as it is live. */
  deployment: DeploymentLike;
  metric: ConnectionMetric;
  /** Per pod; a pod slower than this counts as not answering. */
  timeoutMs?: number;
}

/**
 * Sums `metric` over every pod of one Deployment (through the ReplicaSets it owns: an adopted
 * plain Deployment's selector also matches the newer releases' pods). The sum is a value only
 * when every pod answered with the metric: a pod that does not answer, has no IP yet or lacks
 * the metric makes the whole release unknown, because deleting it on a partial count would cut
 * the streams of exactly the pod we could not see. A Deployment with no pod holds nothing: 0.
 */
export async function readReleaseConnections(o: ReadReleaseConnectionsOptions): Promise<ReleaseConnections> {
  const { kube, namespace, deployment: d, metric } = o;
  const selector = selectorString(d.spec.selector.matchLabels);
  const { items: sets } = await kube.list<KubeObject>({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace, labelSelector: selector });
  const owned = new Set(
    sets.filter((rs) => rs.metadata.ownerReferences?.some((ref) => ref.uid === d.metadata.uid)).map((rs) => rs.metadata.uid),
  );
  const { items } = await kube.list<PodLike>({ apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: selector });
  // A terminating pod still holds its streams until it exits: it counts like any other.
  const pods = items.filter((p) => p.metadata.ownerReferences?.some((ref) => owned.has(ref.uid)));
  let sum = 0;
  for (const p of pods) {
    const name = p.metadata.name;
    const ip = p.status?.podIP;
    if (!ip)
      return {
        kind: 'unknown',
        reason: `pod ${name} has no IP yet (phase ${p.status?.phase ?? 'unknown'}), so its connections cannot be read`,
      };
    const port = resolvePort(metric.port, p.spec?.containers ?? []);
    if (port === undefined)
      return { kind: 'unknown', reason: `pod ${name} has no container port ${JSON.stringify(metric.port)} (drain.connections.port)` };
    const n = await readPodConnections(ip, port, metric, o.timeoutMs);
    if (n === undefined)
      return {
        kind: 'unknown',
        reason: `pod ${name} did not answer with ${metric.metric} at http://${ip}:${port}${metric.path} (no data is never 0)`,
      };
    sum += n;
  }
  return { kind: 'value', value: sum, pods: pods.length };
}

/** The metric as step params (JSON): the delete-release step reads the release again with it. */
export function connectionMetricJson(m: ConnectionMetric): JsonObject {
  return { port: m.port, path: m.path, metric: m.metric, ...(m.labels ? { labels: { ...m.labels } } : {}) };
}
