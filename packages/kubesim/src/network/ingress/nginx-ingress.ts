import type { ClusterView } from '../cluster-view.js';
import type { KubeObject } from '../kube-objects.js';
import { parseCanaryPolicy, routesToCanary, type CanaryPolicy } from './canary-policy.js';
import {
  creationTime,
  hostMatches,
  type HostClaim,
  pathPrefixMatches,
  type RequestFacts,
  type RouteDecision,
  type RouterContext,
} from './route-decision.js';

interface IngressBackend {
  service?: { name?: string; port?: { number?: number; name?: string } };
}

interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: IngressBackend;
}

export interface Ingress extends KubeObject {
  metadata?: KubeObject['metadata'] & { creationTimestamp?: string | Date };
  spec?: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    rules?: Array<{ host?: string; http?: { paths?: IngressPath[] } }>;
  };
}

interface Candidate {
  ingress: Ingress;
  host: string;
  path: IngressPath;
  /** This path's decision, made once: it depends only on the Ingress, which never changes in place. */
  decision?: RouteDecision;
}

const policies = new WeakMap<Ingress, CanaryPolicy>();

function policyOf(ing: Ingress, ctx: RouterContext): CanaryPolicy {
  let p = policies.get(ing);
  if (!p) {
    const ref = { kind: 'Ingress', namespace: ing.metadata?.namespace ?? '', name: ing.metadata?.name ?? '' };
    p = parseCanaryPolicy(ing.metadata?.annotations, (reason, msg) => ctx.report(ref, reason, msg));
    policies.set(ing, p);
  }
  return p;
}

/** The Ingresses as routing reads them, sorted and split once per change of the Ingress list. */
interface CompiledIngresses {
  main: readonly Ingress[];
  mainCandidates: readonly Candidate[];
  /** The main Ingresses' hosts ('' = no host), and their wildcards most specific first. */
  hosts: ReadonlySet<string>;
  wildcards: readonly string[];
  canaryCandidates: readonly Candidate[];
}

const compiled = new WeakMap<readonly Ingress[], CompiledIngresses>();

function compile(list: readonly Ingress[], ctx: RouterContext): CompiledIngresses {
  let c = compiled.get(list);
  if (!c) {
    const all = [...list].sort(byAge);
    const main = all.filter((i) => !policyOf(i, ctx).canary);
    const mainCandidates = candidates(main);
    const hosts = new Set(mainCandidates.map((m) => m.host));
    const wildcards = [...hosts].filter((h) => h.startsWith('*.')).sort((a, b) => b.length - a.length);
    c = { main, mainCandidates, hosts, wildcards, canaryCandidates: candidates(all.filter((i) => policyOf(i, ctx).canary)) };
    compiled.set(list, c);
  }
  return c;
}

/** Older first, then by namespace/name: ingress-nginx lets the oldest Ingress win a conflict. */
function byAge(a: Ingress, b: Ingress): number {
  const ta = creationTime(a);
  const tb = creationTime(b);
  if (ta !== tb) return ta - tb;
  const ka = `${a.metadata?.namespace}/${a.metadata?.name}`;
  const kb = `${b.metadata?.namespace}/${b.metadata?.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function candidates(ingresses: readonly Ingress[]): Candidate[] {
  const out: Candidate[] = [];
  for (const ingress of ingresses) {
    for (const rule of Array.isArray(ingress.spec?.rules) ? ingress.spec.rules : []) {
      for (const path of Array.isArray(rule?.http?.paths) ? rule.http.paths : []) {
        if (path && typeof path === 'object')
          out.push({ ingress, host: typeof rule.host === 'string' ? rule.host.toLowerCase() : '', path });
      }
    }
  }
  return out;
}

/** Score of a path match: higher wins; -1 = no match. Exact beats any prefix. */
function pathScore(p: IngressPath, reqPath: string): number {
  const path = typeof p.path === 'string' && p.path !== '' ? p.path : '/';
  switch (p.pathType) {
    case 'Exact':
      return reqPath === path ? 1e6 : -1;
    case 'Prefix':
      return pathPrefixMatches(path, reqPath) ? path.replace(/\/+$/, '').length : -1;
    default:
      // ImplementationSpecific: ingress-nginx emits a plain nginx prefix location (no element rule).
      return reqPath.startsWith(path) ? path.length : -1;
  }
}

/** The server block a Host lands on: exact host, else the most specific wildcard, else catch-all. */
function serverHost(c: CompiledIngresses, host: string, claim: HostClaim): string | undefined {
  if (claim === 'catch-all') return c.hosts.has('') ? '' : undefined;
  if (c.hosts.has(host)) return host;
  return c.wildcards.find((h) => hostMatches(h, host, 'one'));
}

function toTarget(ing: Ingress, backend: IngressBackend | undefined, route: string): RouteDecision {
  const svc = backend?.service;
  if (!svc?.name) return { kind: 'error', status: 503, reason: 'Ingress backend names no Service', route };
  return {
    kind: 'backend',
    route,
    target: {
      namespace: ing.metadata?.namespace ?? 'default',
      service: svc.name,
      port: svc.port?.number ?? svc.port?.name,
      missingServiceStatus: 503,
      tries: 3,
    },
  };
}

/**
 * Routes a request over networking.k8s.io/v1 Ingresses as ingress-nginx does, including a
 * canary Ingress (annotation canary: "true") for the same host and path. Returns undefined
 * when no Ingress claims the request's host, so other route kinds may try.
 */
export function routeIngress(view: ClusterView, req: RequestFacts, ctx: RouterContext): RouteDecision | undefined {
  const table = compile(view.list<Ingress>('Ingress'), ctx);
  const { main, mainCandidates, canaryCandidates } = table;
  const host = serverHost(table, req.host, ctx.claim);
  let best: Candidate | undefined;
  let bestScore = -1;
  if (host !== undefined) {
    for (const c of mainCandidates) {
      if (c.host !== host) continue;
      const s = pathScore(c.path, req.path);
      if (s > bestScore) {
        best = c;
        bestScore = s;
      }
    }
  }
  if (!best) {
    // spec.defaultBackend catches what no rule takes, so it is a catch-all claim.
    const fallback = ctx.claim === 'catch-all' ? main.find((i) => i.spec?.defaultBackend) : undefined;
    if (fallback)
      return toTarget(
        fallback,
        fallback.spec?.defaultBackend,
        `ingress ${fallback.metadata?.namespace}/${fallback.metadata?.name} default backend`,
      );
    return host === undefined ? undefined : { kind: 'no-route' };
  }
  const name = (i: Ingress): string => `ingress ${i.metadata?.namespace}/${i.metadata?.name}`;
  const canary = canaryCandidates.find(
    (c) =>
      c.host === best.host &&
      (c.path.path || '/') === (best.path.path || '/') &&
      c.ingress.metadata?.namespace === best.ingress.metadata?.namespace,
  );
  if (canary && routesToCanary(policyOf(canary.ingress, ctx), req, ctx)) {
    return (canary.decision ??= toTarget(canary.ingress, canary.path.backend, `${name(canary.ingress)} (canary)`));
  }
  return (best.decision ??= toTarget(best.ingress, best.path.backend, name(best.ingress)));
}
