import type { KubeClient } from './kube-client.js';
import type { PodStatus } from './pod-types.js';

/**
 * Writes a pod's status with a merge patch on pods/status: only when it changed, one write at a
 * time, the newest status winning over queued older ones, retried after API errors.
 */
export class StatusWriter {
  private last = '';
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  /** @param resend builds and writes the current status again (used to retry after a failure). */
  constructor(
    private readonly client: KubeClient,
    private readonly path: string,
    private readonly resend: () => void,
  ) {}

  write(status: PodStatus): void {
    if (this.closed) return;
    const body = JSON.stringify(status);
    if (body === this.last) return;
    this.last = body;
    this.chain = this.chain.then(async () => {
      if (this.last !== body || this.closed) return; // superseded by a newer status
      const r = await this.client
        .request('PATCH', this.path, { status }, 'application/merge-patch+json')
        .catch((e: Error) => ({ status: 0, text: e.message }));
      if (r.status === 404 || (r.status > 0 && r.status < 300)) return;
      // Forget the failed write so the retry sends it even if nothing changed meanwhile.
      if (this.last === body) this.last = '';
      setTimeout(() => this.resend(), 1000).unref();
    });
  }

  /** Resolves when every queued write has been attempted. */
  settled(): Promise<void> {
    return this.chain;
  }

  close(): void {
    this.closed = true;
  }
}
