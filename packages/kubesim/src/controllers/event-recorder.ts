import type { CoreV1Api, CoreV1Event } from '@kubernetes/client-node';
import { rfc3339 } from './object-time.js';

/** The part of an object an Event refers to. */
export interface EventTarget {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

const API_VERSIONS: Record<string, string> = {
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  Pod: 'v1',
  Service: 'v1',
  Node: 'v1',
};

/**
 * Writes core/v1 Events the way client-go's recorder does (what `kubectl describe` and
 * `kubectl get events` show). Events are best effort: a failed write is logged, never thrown.
 */
export class EventRecorder {
  private seq = 0;

  constructor(
    private readonly core: CoreV1Api,
    private readonly component: string,
    private readonly now: () => number,
    private readonly log: (msg: string) => void,
  ) {}

  event(target: EventTarget, kind: string, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const namespace = target.metadata?.namespace || 'default';
    const now = this.now();
    const ts = rfc3339(now) as unknown as Date;
    const name = `${target.metadata?.name ?? 'unknown'}.${(BigInt(now) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
    const body: CoreV1Event = {
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: API_VERSIONS[kind] ?? target.apiVersion,
        kind,
        name: target.metadata?.name,
        namespace: target.metadata?.namespace,
        uid: target.metadata?.uid,
        resourceVersion: target.metadata?.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.component,
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
    };
    this.core.createNamespacedEvent({ namespace, body }).catch((err: unknown) => {
      this.log(`event ${reason} for ${kind} ${namespace}/${target.metadata?.name}: ${String((err as Error)?.message ?? err)}`);
    });
  }
}
