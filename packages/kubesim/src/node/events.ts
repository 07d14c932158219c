import { randomBytes } from 'node:crypto';
import type { KubeClient } from './kube-client.js';
import type { Pod } from './pod-types.js';

interface Seen {
  name: string;
  namespace: string;
  count: number;
  first: string;
}

/** How many distinct events are remembered for aggregation. */
const MAX_TRACKED = 4096;

/**
 * Records core/v1 Events about pods, as the kubelet does. A repeat of the same event (same pod,
 * reason, message, container) bumps `count` / `lastTimestamp` on the existing object instead of
 * creating a new one, so a flapping probe does not fill the API server. Failures are ignored.
 */
export class EventRecorder {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly client: KubeClient,
    private readonly nodeName: string,
    private readonly now: () => number,
  ) {}

  record(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    const ns = pod.metadata.namespace ?? 'default';
    const ts = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const key = `${pod.metadata.uid}\u0000${reason}\u0000${message}\u0000${fieldPath ?? ''}`;
    const prev = this.seen.get(key);
    if (prev) {
      prev.count++;
      // Re-insert so the map's order is least-recently-used first.
      this.seen.delete(key);
      this.seen.set(key, prev);
      const patch = { count: prev.count, lastTimestamp: ts };
      this.client
        .request('PATCH', `/api/v1/namespaces/${prev.namespace}/events/${prev.name}`, patch, 'application/merge-patch+json')
        .catch(() => {});
      return;
    }
    const name = `${pod.metadata.name}.${randomBytes(8).toString('hex')}`;
    this.seen.set(key, { name, namespace: ns, count: 1, first: ts });
    if (this.seen.size > MAX_TRACKED) this.seen.delete(this.seen.keys().next().value!);
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: ns,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      type,
      source: { component: 'kubelet', host: this.nodeName },
      reportingComponent: 'kubelet',
      reportingInstance: this.nodeName,
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
    };
    this.client.request('POST', `/api/v1/namespaces/${ns}/events`, event).catch(() => {});
  }

  /** Forgets a pod's events (the pod is gone; its events age out on the server). */
  forget(uid: string): void {
    for (const k of this.seen.keys()) if (k.startsWith(`${uid}\u0000`)) this.seen.delete(k);
  }
}
