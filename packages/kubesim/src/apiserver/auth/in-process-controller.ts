import { ApiError } from '../api-error.js';
import type { ObjectStore, StoreEvent } from '../store/object-store.js';

/**
 * A controller running inside the API server process (like kube-controller-manager's loops, but
 * reading the store directly): `sync` runs asynchronously after any change of interest, coalesced,
 * so it sees the settled state. Errors a write answers (conflicts, validation) are left for the
 * next change.
 */
export class InProcessController {
  private scheduled = false;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    store: ObjectStore,
    interested: (e: StoreEvent) => boolean,
    private readonly sync: () => void,
  ) {
    this.unsubscribe = store.subscribe((e) => {
      if (interested(e)) this.schedule();
    });
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped) return;
      try {
        this.sync();
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
    });
  }
}
