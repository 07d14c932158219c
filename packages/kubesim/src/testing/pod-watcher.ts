import { KubeConfig, Watch } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';

/** One watch event and the pod set right after it. */
export interface PodSnapshot {
  at: number;
  type: string;
  pod: V1Pod;
  /** All pods known right after this event, by name. */
  pods: Map<string, V1Pod>;
}

/**
 * Records every watch event on pods matching a label selector, with the full set of pods after
 * each event, so a test can assert an invariant over the whole history (never fewer than N ready).
 */
export class PodWatcher {
  readonly history: PodSnapshot[] = [];
  private readonly pods = new Map<string, V1Pod>();
  private abort: AbortController | undefined;

  constructor(
    private readonly kubeconfig: string,
    private readonly namespace: string,
    private readonly labelSelector: string,
  ) {}

  async start(): Promise<void> {
    const kc = new KubeConfig();
    kc.loadFromString(this.kubeconfig);
    const w = new Watch(kc);
    let resolveReady: () => void = () => undefined;
    const ready = new Promise<void>((r) => {
      resolveReady = r;
    });
    this.abort = await w.watch(
      `/api/v1/namespaces/${this.namespace}/pods`,
      { labelSelector: this.labelSelector, allowWatchBookmarks: false },
      (type: string, obj: V1Pod) => {
        const name = obj.metadata?.name ?? '';
        if (type === 'DELETED') this.pods.delete(name);
        else this.pods.set(name, obj);
        this.history.push({ at: Date.now(), type, pod: obj, pods: new Map(this.pods) });
      },
      () => undefined,
    );
    resolveReady();
    await ready;
  }

  stop(): void {
    this.abort?.abort();
  }
}

/** Ready and not terminating: a pod a Service would send traffic to. */
export function isReadyPod(p: V1Pod): boolean {
  return !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}
