import type { ClusterView } from './cluster-view.js';
import type { EndpointSlice, Endpoints, Service, ServicePort } from './kube-objects.js';

/** One endpoint address with the port a Service port resolves to on it. */
export interface Backend {
  ip: string;
  port: number;
  /** Pod name from the endpoint's targetRef, when known (for DestinationRule subsets). */
  podName?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

const serviceNameLabel = 'kubernetes.io/service-name';

/** Finds a Service port by number or name, as an Ingress or route backend names it. */
export function findServicePort(service: Service, ref: number | string | undefined): ServicePort | undefined {
  const ports = Array.isArray(service.spec?.ports) ? service.spec.ports : [];
  if (ref === undefined) return ports.length === 1 ? ports[0] : undefined;
  return ports.find((p) => (typeof ref === 'number' ? p?.port === ref : p?.name === ref));
}

/**
 * Every endpoint of `service` for one of its ports, ready or not. Endpoint ports are matched by the
 * Service port's name, as kube-proxy does: the EndpointSlice controller already resolved named
 * targetPorts per pod, so two pods may serve the same Service port on different numbers.
 * EndpointSlices win; core/v1 Endpoints are read only when no slice exists for the Service
 * (a selector-less Service whose owner wrote Endpoints by hand).
 */
export function serviceBackends(view: ClusterView, service: Service, port: ServicePort): Backend[] {
  const namespace = service.metadata?.namespace ?? '';
  const name = service.metadata?.name ?? '';
  const wantedName = port.name ?? '';
  const slices = view.list<EndpointSlice>('EndpointSlice', namespace).filter((s) => s.metadata?.labels?.[serviceNameLabel] === name);
  const seen = new Set<string>();
  const out: Backend[] = [];
  const add = (b: Backend): void => {
    const key = `${b.ip}:${b.port}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(b);
  };
  if (slices.length > 0) {
    for (const slice of slices) {
      if (slice.addressType !== undefined && slice.addressType !== 'IPv4') continue;
      const slicePorts = Array.isArray(slice.ports) ? slice.ports : [];
      const sp = slicePorts.find((p) => (p?.name ?? '') === wantedName);
      if (!sp || typeof sp.port !== 'number') continue;
      for (const ep of Array.isArray(slice.endpoints) ? slice.endpoints : []) {
        const ip = Array.isArray(ep?.addresses) ? ep.addresses[0] : undefined;
        if (typeof ip !== 'string') continue;
        // API semantics: a nil `ready` means ready; nil `serving` follows `ready`.
        const ready = ep.conditions?.ready !== false;
        const serving = ep.conditions?.serving ?? ready;
        const terminating = ep.conditions?.terminating === true;
        const b: Backend = { ip, port: sp.port, ready, serving: serving !== false, terminating };
        if (ep.targetRef?.kind === 'Pod' && ep.targetRef.name) b.podName = ep.targetRef.name;
        add(b);
      }
    }
    return out;
  }
  const endpoints = view.get<Endpoints>('Endpoints', namespace, name);
  const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);
  for (const subset of list(endpoints?.subsets)) {
    if (!subset || typeof subset !== 'object') continue;
    const sp = list(subset.ports).find((p) => (p?.name ?? '') === wantedName);
    if (!sp || typeof sp.port !== 'number') continue;
    for (const a of list(subset.addresses)) {
      if (typeof a?.ip !== 'string') continue;
      const b: Backend = { ip: a.ip, port: sp.port, ready: true, serving: true, terminating: false };
      if (a.targetRef?.name) b.podName = a.targetRef.name;
      add(b);
    }
    for (const a of list(subset.notReadyAddresses)) {
      if (typeof a?.ip === 'string') add({ ip: a.ip, port: sp.port, ready: false, serving: false, terminating: false });
    }
  }
  return out;
}

/**
 * The endpoints a proxy may send new traffic to: the ready ones; if there are none, those that
 * are terminating but still serving (Kubernetes 1.26+ "ProxyTerminatingEndpoints" behaviour, so a
 * Service whose every pod is draining keeps answering instead of refusing).
 */
export function routableBackends(backends: readonly Backend[]): Backend[] {
  const ready = backends.filter((b) => b.ready);
  if (ready.length > 0) return ready;
  return backends.filter((b) => b.terminating && b.serving);
}
