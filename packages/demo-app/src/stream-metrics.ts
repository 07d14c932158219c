import { Gauge, Registry } from 'prom-client';
import type { Lifecycle } from './lifecycle.js';

/**
 * `/metrics` in Prometheus text: `demo_open_streams{kind}` (download, sse, websocket) open on this
 * pod right now. baton's drain-by-evidence reads it per pod and takes the pod away only at 0.
 */
export function createStreamMetrics(lifecycle: Lifecycle, version: string): { contentType: string; text(): Promise<string> } {
  const registry = new Registry();
  registry.setDefaultLabels({ version });
  new Gauge({
    name: 'demo_open_streams',
    help: 'Long-lived exchanges open on this pod, by kind',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      for (const [kind, n] of Object.entries(lifecycle.openCounts())) this.set({ kind }, n);
    },
  });
  return { contentType: registry.contentType, text: () => registry.metrics() };
}
