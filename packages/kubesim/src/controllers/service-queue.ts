import type { V1Pod, V1Service } from '@kubernetes/client-node';
import type { ControllerContext } from './controller-context.js';
import { mapSelectorMatches } from './label-selector.js';
import { keyOf } from './pod-util.js';
import { describeError } from './kube-clients.js';
import { WorkQueue } from './work-queue.js';

/**
 * The event wiring both endpoint controllers share: a Service is resynced when it changes or
 * when a pod it selects (or selected at its last sync, so label changes count) changes.
 */
export class ServiceQueue {
  readonly queue: WorkQueue;
  /** Pod keys each Service included at its last sync. */
  readonly lastPods = new Map<string, Set<string>>();

  constructor(ctx: ControllerContext, name: string, sync: (key: string) => Promise<void>) {
    this.queue = new WorkQueue(sync, { onError: (k, e) => ctx.log(`${name} ${k}: ${describeError(e)}`) });
    const { services, pods } = ctx.informers;
    for (const ev of ['add', 'update', 'delete'] as const) {
      services.on(ev, (s: V1Service) => this.queue.add(keyOf(s)));
      pods.on(ev, (p: V1Pod) => {
        const pk = keyOf(p);
        for (const s of services.list(p.metadata?.namespace)) {
          const sk = keyOf(s);
          if (mapSelectorMatches(s.spec?.selector, p.metadata?.labels) || this.lastPods.get(sk)?.has(pk)) this.queue.add(sk);
        }
      });
    }
  }
}
