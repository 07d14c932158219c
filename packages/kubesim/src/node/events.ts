import { randomBytes } from 'node:crypto';
import type { KubeClient } from './kube-client.js';
import type { Pod } from './pod-types.js';

/** Records core/v1 Events about pods, as the kubelet does; failures to record are ignored. */
export class EventRecorder {
  constructor(private readonly client: KubeClient, private readonly nodeName: string, private readonly now: () => number) {}

  record(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    const ns = pod.metadata.namespace ?? 'default';
    const ts = new Date(this.now()).toISOString();
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid, ...(fieldPath ? { fieldPath } : {}) },
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
}
