import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../kube/kube-client.js';
import type { Release } from './release.js';

export type EventType = 'Normal' | 'Warning';

/**
 * Writes Kubernetes Events on a Release (`kubectl describe release` shows them): each step, each
 * gate verdict, each rollback. An Event that cannot be written is logged, never fatal: events
 * are a courtesy, the status is the record.
 */
export class ReleaseEvents {
  constructor(
    private readonly kube: KubeClient,
    private readonly identity: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async emit(release: Release, type: EventType, reason: string, message: string): Promise<void> {
    const now = new Date().toISOString();
    const namespace = release.metadata.namespace ?? 'default';
    try {
      await this.kube.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${release.metadata.name}.${Date.now().toString(16)}${randomBytes(3).toString('hex')}`, namespace },
        involvedObject: {
          apiVersion: release.apiVersion,
          kind: 'Release',
          name: release.metadata.name,
          namespace,
          uid: release.metadata.uid,
        },
        reason,
        message: message.slice(0, 1024),
        type,
        source: { component: 'baton-controller' },
        reportingComponent: 'baton.dev/controller',
        reportingInstance: this.identity,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      });
    } catch (error) {
      this.onError(error);
    }
  }
}
