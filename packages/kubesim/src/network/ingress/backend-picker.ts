import type { ClusterView } from '../cluster-view.js';
import type { Pod, Service } from '../kube-objects.js';
import { findServicePort, serviceBackends, type Backend } from '../service-backends.js';
import type { RouteTarget } from './route-decision.js';

export type BackendChoice = { kind: 'backend'; backend: Backend } | { kind: 'unavailable'; status: number; reason: string };

/**
 * Resolves a route target to one pod endpoint, round-robin, as ingress-nginx does: it proxies
 * straight to pod IPs (not the clusterIP) and uses only ready endpoints.
 */
export class BackendPicker {
  private readonly cursors = new Map<string, number>();

  constructor(private readonly view: ClusterView) {}

  pick(target: RouteTarget): BackendChoice {
    const svc = this.view.get<Service>('Service', target.namespace, target.service);
    if (!svc) return { kind: 'unavailable', status: target.missingServiceStatus, reason: `service ${target.namespace}/${target.service} not found` };
    const port = findServicePort(svc, target.port);
    if (!port) return { kind: 'unavailable', status: 503, reason: `service ${target.namespace}/${target.service} has no port ${String(target.port)}` };
    let ready = serviceBackends(this.view, svc, port).filter((b) => b.ready);
    const labels = target.subsetLabels;
    if (labels) {
      ready = ready.filter((b) => {
        const pod = b.podName ? this.view.get<Pod>('Pod', target.namespace, b.podName) : undefined;
        const have = pod?.metadata?.labels ?? {};
        return Object.entries(labels).every(([k, v]) => have[k] === v);
      });
    }
    if (ready.length === 0) return { kind: 'unavailable', status: 503, reason: `no ready endpoints for ${target.namespace}/${target.service}` };
    const key = `${target.namespace}/${target.service}:${String(port.port)}:${JSON.stringify(labels ?? {})}`;
    const n = this.cursors.get(key) ?? 0;
    this.cursors.set(key, (n + 1) % 1e9);
    return { kind: 'backend', backend: ready[n % ready.length] as Backend };
  }
}
