import type { ClusterView } from '../cluster-view.js';
import type { KubeObject } from '../kube-objects.js';
import {
  hostMatches,
  safeRegex,
  type HostClaim,
  weightedIndex,
  type RequestFacts,
  type RouteDecision,
  type RouterContext,
} from './route-decision.js';

type StringMatch = { exact?: string; prefix?: string; regex?: string };

interface HttpMatchRequest {
  uri?: StringMatch;
  method?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
}

interface Destination {
  host?: string;
  subset?: string;
  port?: { number?: number };
}

export interface VirtualService extends KubeObject {
  spec?: {
    hosts?: string[];
    gateways?: string[];
    http?: Array<{ name?: string; match?: HttpMatchRequest[]; route?: Array<{ destination?: Destination; weight?: number }> }>;
  };
}

export interface DestinationRule extends KubeObject {
  spec?: { host?: string; subsets?: Array<{ name?: string; labels?: Record<string, string> }> };
}

const arr = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);

/** Istio's short-name rule: "reviews" in namespace ns means reviews.ns.svc.cluster.local. */
export function fqdn(host: string, namespace: string): string {
  const h = host.toLowerCase();
  if (h.includes('*')) return h;
  const parts = h.split('.');
  if (parts.length === 1) return `${h}.${namespace}.svc.cluster.local`;
  if (parts.length === 2) return `${h}.svc.cluster.local`;
  return h;
}

function stringMatches(m: StringMatch | undefined, value: string | undefined): boolean {
  if (!m || typeof m !== 'object') return true;
  if (value === undefined) return false;
  if (m.exact !== undefined) return value === m.exact;
  if (m.prefix !== undefined) return value.startsWith(m.prefix);
  if (m.regex !== undefined) return safeRegex(m.regex, true)?.test(value) ?? false;
  return true;
}

function matches(m: HttpMatchRequest, req: RequestFacts): boolean {
  if (m.uri && !stringMatches(m.uri, req.path)) return false;
  if (m.method && !stringMatches(m.method, req.method)) return false;
  for (const [name, sm] of Object.entries(m.headers ?? {})) if (!stringMatches(sm, req.headers[name.toLowerCase()])) return false;
  for (const [name, sm] of Object.entries(m.withoutHeaders ?? {})) if (stringMatches(sm, req.headers[name.toLowerCase()])) return false;
  for (const [name, sm] of Object.entries(m.queryParams ?? {})) if (!stringMatches(sm, req.query.get(name) ?? undefined)) return false;
  return true;
}

function hostMatchesVs(vs: VirtualService, host: string, claim: HostClaim): boolean {
  const ns = vs.metadata?.namespace ?? 'default';
  return arr(vs.spec?.hosts).some(
    (h) =>
      typeof h === 'string' &&
      (claim === 'catch-all' ? h === '*' : h !== '*' && (hostMatches(h, host, 'many') || fqdn(h, ns) === fqdn(host, ns))),
  );
}

/** Maps a destination host to a Service, if it names one in the cluster domain. */
function serviceOf(host: string, namespace: string): { namespace: string; service: string } | undefined {
  const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(fqdn(host, namespace));
  return m ? { service: m[1] as string, namespace: m[2] as string } : undefined;
}

/**
 * Routes over Istio VirtualServices (networking.istio.io v1beta1 and v1): hosts, the first http
 * rule whose match (uri/headers/method/query, exact/prefix/regex) fits, weighted route
 * destinations, and DestinationRule subsets whose labels narrow the Service's endpoints.
 */
export function routeVirtualService(view: ClusterView, req: RequestFacts, ctx: RouterContext): RouteDecision | undefined {
  const services = view.list<VirtualService>('VirtualService').filter((vs) => hostMatchesVs(vs, req.host, ctx.claim));
  if (services.length === 0) return undefined;
  for (const vs of services) {
    const ns = vs.metadata?.namespace ?? 'default';
    const ref = { kind: 'VirtualService', namespace: ns, name: vs.metadata?.name ?? '' };
    const name = `virtualservice ${ns}/${ref.name}`;
    for (const rule of arr(vs.spec?.http)) {
      const ms = arr(rule?.match);
      if (ms.length > 0 && !ms.some((m) => m && typeof m === 'object' && matches(m, req))) continue;
      const routes = arr(rule?.route).filter((r) => typeof r?.destination?.host === 'string' && r.destination.host !== '');
      // A lone destination takes all traffic; Istio defaults its weight to 100.
      const weights = routes.map((r) => (routes.length === 1 && r.weight === undefined ? 100 : Number(r.weight ?? 0)));
      if (weights.some((w) => !Number.isFinite(w) || w < 0)) {
        ctx.report(ref, 'InvalidWeight', 'route weights must be non-negative numbers');
        return { kind: 'error', status: 500, reason: 'invalid route weights', route: name };
      }
      const i = weightedIndex(weights, ctx.random);
      const dest = routes[i]?.destination;
      if (!dest?.host) return { kind: 'error', status: 500, reason: 'no route destination with weight > 0', route: name };
      const svc = serviceOf(dest.host, ns);
      if (!svc) return { kind: 'error', status: 503, reason: `destination ${dest.host} is not a cluster Service`, route: name };
      const target = { ...svc, port: dest.port?.number, missingServiceStatus: 503 as const, tries: 3 };
      if (dest.subset === undefined) return { kind: 'backend', route: name, target };
      const labels = subsetLabels(view, fqdn(dest.host, ns), dest.subset);
      // Envoy has no cluster for an undefined subset: 503 (NC), as in Istio.
      if (!labels) return { kind: 'error', status: 503, reason: `no DestinationRule subset ${dest.subset} for ${dest.host}`, route: name };
      return { kind: 'backend', route: `${name} subset ${dest.subset}`, target: { ...target, subsetLabels: labels } };
    }
  }
  return { kind: 'no-route' };
}

function subsetLabels(view: ClusterView, host: string, subset: string): Record<string, string> | undefined {
  for (const dr of view.list<DestinationRule>('DestinationRule')) {
    const h = dr.spec?.host;
    if (typeof h !== 'string' || fqdn(h, dr.metadata?.namespace ?? 'default') !== host) continue;
    const s = arr(dr.spec?.subsets).find((x) => x?.name === subset);
    if (s) return s.labels && typeof s.labels === 'object' ? s.labels : {};
  }
  return undefined;
}
