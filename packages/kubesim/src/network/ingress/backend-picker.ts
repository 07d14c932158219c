import type { ClusterView } from '../cluster-view.js';
import type { Pod, Service, ServicePort } from '../kube-objects.js';
import { findServicePort, serviceBackends, type Backend } from '../service-backends.js';
import type { RouteTarget } from './route-decision.js';

export type BackendChoice = { kind: 'backend'; backend: Backend } | { kind: 'unavailable'; status: number; reason: string };

/**
 * Resolves a route target to one pod endpoint, round-robin, as ingress-nginx does: it proxies
 * straight to pod IPs (not the clusterIP) and uses only ready endpoints.
 */
export class BackendPicker {
  private readonly cursors = new Map<string, number>();
  private readonly readyCache = new Map<string, { inputs: readonly unknown[]; ready: readonly Backend[] }>();

  constructor(private readonly view: ClusterView) {}

  /** `exclude`: endpoints ("ip:port") already tried for this request, skipped while others remain. */
  pick(target: RouteTarget, exclude?: ReadonlySet<string>): BackendChoice {
    const svc = this.view.get<Service>('Service', target.namespace, target.service);
    if (!svc)
      return {
        kind: 'unavailable',
        status: target.missingServiceStatus,
        reason: `service ${target.namespace}/${target.service} not found`,
      };
    const port = findServicePort(svc, target.port);
    if (!port)
      return {
        kind: 'unavailable',
        status: 503,
        reason: `service ${target.namespace}/${target.service} has no port ${String(target.port)}`,
      };
    const key = `${target.namespace}/${target.service}:${String(port.port)}:${target.subsetLabels ? JSON.stringify(target.subsetLabels) : ''}`;
    let ready = this.ready(key, svc, port, target);
    if (ready.length === 0)
      return { kind: 'unavailable', status: 503, reason: `no ready endpoints for ${target.namespace}/${target.service}` };
    if (exclude?.size) {
      const untried = ready.filter((b) => !exclude.has(`${b.ip}:${b.port}`));
      if (untried.length === 0) return { kind: 'unavailable', status: 502, reason: 'every endpoint failed' };
      ready = untried;
    }
    const n = this.cursors.get(key) ?? 0;
    this.cursors.set(key, (n + 1) % 1e9);
    return { kind: 'backend', backend: ready[n % ready.length] as Backend };
  }

  /** The ready endpoints of a target, recomputed only when an object they derive from changed. */
  private ready(key: string, svc: Service, port: ServicePort, target: RouteTarget): readonly Backend[] {
    const inputs = [
      svc,
      this.view.list('EndpointSlice', target.namespace),
      this.view.list('Endpoints', target.namespace),
      this.view.list('Pod', target.namespace),
    ] as const;
    const cached = this.readyCache.get(key);
    if (cached?.inputs.every((x, i) => x === inputs[i])) return cached.ready;
    let ready = serviceBackends(this.view, svc, port).filter((b) => b.ready);
    const labels = target.subsetLabels;
    if (labels) {
      ready = ready.filter((b) => {
        const pod = b.podName ? this.view.get<Pod>('Pod', target.namespace, b.podName) : undefined;
        const have = pod?.metadata?.labels ?? {};
        return Object.entries(labels).every(([k, v]) => have[k] === v);
      });
    }
    // Bounded: targets come from cluster objects, which can change without end.
    if (this.readyCache.size >= 1000) this.readyCache.clear();
    this.readyCache.set(key, { inputs, ready });
    return ready;
  }
}
