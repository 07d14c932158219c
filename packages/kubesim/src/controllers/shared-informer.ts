import { makeInformer } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';

/** The object events controllers subscribe to. */
export type InformerEvent = 'add' | 'update' | 'delete';

/**
 * One list+watch of a resource, shared by every controller that reads it (client-go's shared
 * informer). The client-node ListWatch stops for good on any error, so this wrapper restarts it
 * with a short back-off, resuming from the last resourceVersion (a 410 makes it re-list).
 */
export class SharedInformer<T extends KubernetesObject> {
  private readonly inner;
  private stopped = false;
  private failed = false;
  private starting = false;
  private retryMs = 100;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    kc: KubeConfig,
    private readonly path: string,
    list: () => Promise<KubernetesListObject<T>>,
    private readonly log: (msg: string) => void,
  ) {
    this.inner = makeInformer<T>(kc, path, list);
    this.inner.on('error', (err: unknown) => {
      if (this.stopped) return;
      this.failed = true;
      this.log(`watch ${path} failed (${String((err as Error)?.message ?? err)}), retrying in ${this.retryMs} ms`);
      if (!this.starting) this.scheduleRestart();
    });
  }

  on(event: InformerEvent, cb: (obj: T) => void): void {
    this.inner.on(event, cb);
  }

  list(namespace?: string): readonly T[] {
    return this.inner.list(namespace);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.inner.get(name, namespace);
  }

  /** Resolves once the first list has been loaded into the cache. */
  async start(): Promise<void> {
    this.starting = true;
    try {
      for (;;) {
        this.failed = false;
        await this.inner.start();
        if (!this.failed || this.stopped) break;
        await new Promise((r) => setTimeout(r, this.retryMs));
        this.retryMs = Math.min(this.retryMs * 2, 5000);
        if (this.stopped) break;
      }
    } finally {
      this.starting = false;
    }
    this.retryMs = 100;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inner.stop();
  }

  private scheduleRestart(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.stopped) return;
      this.failed = false;
      void this.inner.start().then(() => {
        if (!this.failed) this.retryMs = 100;
      });
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 5000);
  }
}
