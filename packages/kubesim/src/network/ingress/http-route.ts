import type { ClusterView } from '../cluster-view.js';
import type { KubeObject } from '../kube-objects.js';
import {
  creationTime,
  hostMatches,
  pathPrefixMatches,
  safeRegex,
  weightedIndex,
  type RequestFacts,
  type RouteDecision,
  type RouterContext,
} from './route-decision.js';

interface HttpRouteMatch {
  path?: { type?: string; value?: string };
  headers?: Array<{ type?: string; name?: string; value?: string }>;
  queryParams?: Array<{ type?: string; name?: string; value?: string }>;
  method?: string;
}

interface BackendRef {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  port?: number;
  weight?: number;
}

export interface HttpRoute extends KubeObject {
  metadata?: KubeObject['metadata'] & { creationTimestamp?: string | Date };
  spec?: {
    parentRefs?: Array<{ group?: string; kind?: string; name?: string; namespace?: string }>;
    hostnames?: string[];
    rules?: Array<{ matches?: HttpRouteMatch[]; backendRefs?: BackendRef[] }>;
  };
}

interface Scored {
  route: HttpRoute;
  rule: NonNullable<NonNullable<HttpRoute['spec']>['rules']>[number];
  score: number[];
}

const arr = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);

/** Whether the route is attached to a Gateway that exists (any Gateway will do). */
function attached(view: ClusterView, route: HttpRoute): boolean {
  const ns = route.metadata?.namespace ?? 'default';
  return arr(route.spec?.parentRefs).some(
    (p) =>
      !!p &&
      typeof p === 'object' &&
      (p.kind ?? 'Gateway') === 'Gateway' &&
      typeof p.name === 'string' &&
      view.get('Gateway', p.namespace ?? ns, p.name) !== undefined,
  );
}

const attachedCache = new WeakMap<readonly HttpRoute[], { gateways: readonly KubeObject[]; routes: readonly HttpRoute[] }>();

/**
 * The attached routes, oldest first so that, on equal precedence, the older route keeps winning
 * (spec tie-break); recomputed only when the HTTPRoute or Gateway list changes.
 */
function attachedRoutes(view: ClusterView): readonly HttpRoute[] {
  const list = view.list<HttpRoute>('HTTPRoute');
  const gateways = view.list('Gateway');
  const cached = attachedCache.get(list);
  if (cached?.gateways === gateways) return cached.routes;
  const routes = list.filter((r) => attached(view, r)).sort((a, b) => creationTime(a) - creationTime(b));
  attachedCache.set(list, { gateways, routes });
  return routes;
}

/** Host specificity: exact > wildcard (longer is more specific) > no hostnames; -1 = no match. */
function hostScore(route: HttpRoute, host: string): number {
  const names = arr(route.spec?.hostnames).filter((h): h is string => typeof h === 'string');
  if (names.length === 0) return 1;
  if (names.some((h) => h.toLowerCase() === host)) return 1e6;
  const wild = names.filter((h) => h.startsWith('*.') && hostMatches(h, host, 'many')).map((h) => h.length);
  return wild.length > 0 ? 2 + Math.max(...wild) : -1;
}

/** A match's precedence key per the Gateway API spec, or undefined when it does not match. */
function matchScore(m: HttpRouteMatch, req: RequestFacts): number[] | undefined {
  const type = m.path?.type ?? 'PathPrefix';
  const value = String(m.path?.value ?? '/');
  let pathRank: number;
  if (type === 'Exact') {
    if (req.path !== value) return undefined;
    pathRank = 1e6;
  } else if (type === 'RegularExpression') {
    if (!safeRegex(value, true)?.test(req.path)) return undefined;
    pathRank = 0;
  } else {
    if (!pathPrefixMatches(value, req.path)) return undefined;
    pathRank = 1 + value.length;
  }
  if (m.method !== undefined && String(m.method).toUpperCase() !== req.method) return undefined;
  for (const h of arr(m.headers)) {
    if (!h || typeof h !== 'object') return undefined;
    const actual = req.headers[String(h?.name ?? '').toLowerCase()];
    if (actual === undefined) return undefined;
    const ok = h.type === 'RegularExpression' ? safeRegex(String(h.value ?? ''), false)?.test(actual) : actual === h.value;
    if (!ok) return undefined;
  }
  for (const q of arr(m.queryParams)) {
    if (!q || typeof q !== 'object') return undefined;
    const actual = req.query.get(String(q?.name ?? ''));
    if (actual === null) return undefined;
    const ok = q.type === 'RegularExpression' ? safeRegex(String(q.value ?? ''), false)?.test(actual) : actual === q.value;
    if (!ok) return undefined;
  }
  return [pathRank, m.method ? 1 : 0, arr(m.headers).length, arr(m.queryParams).length];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Routes over Gateway API HTTPRoutes (gateway.networking.k8s.io/v1) attached to any Gateway:
 * hostnames, path/header/query/method matches with the spec's precedence, weighted backendRefs.
 * Per the spec, a rule whose backends are all invalid answers 500, a missing Service 500.
 */
export function routeHttpRoute(view: ClusterView, req: RequestFacts, ctx: RouterContext): RouteDecision | undefined {
  let best: Scored | undefined;
  let claimed = false;
  const routes = attachedRoutes(view);
  for (const route of routes) {
    const hs = hostScore(route, req.host);
    if (hs < 0) continue;
    // Every attached route with a fitting hostname takes part; whether this kind answers in this
    // pass depends on whether one of them names the host (hs > 1) or is a catch-all (hs === 1).
    if ((ctx.claim === 'named') === hs > 1) claimed = true;
    for (const rule of arr(route.spec?.rules)) {
      if (!rule || typeof rule !== 'object') continue;
      const matches = arr(rule?.matches);
      for (const m of matches.length > 0 ? matches : [{}]) {
        const s = matchScore(m ?? {}, req);
        if (!s) continue;
        const score = [hs, ...s];
        if (!best || compare(score, best.score) > 0) best = { route, rule, score };
      }
    }
  }
  if (!claimed) return undefined;
  if (!best) return { kind: 'no-route' };
  const ns = best.route.metadata?.namespace ?? 'default';
  const name = `httproute ${ns}/${best.route.metadata?.name}`;
  const refs = arr(best.rule.backendRefs).filter((r) => r && (r.kind ?? 'Service') === 'Service' && (r.group ?? '') === '');
  const weights = refs.map((r) => {
    if (r.weight === undefined) return 1;
    if (Number.isInteger(r.weight) && r.weight >= 0 && r.weight <= 1_000_000) return r.weight;
    // The CRD's schema would reject this; without it, the backend gets no traffic and we say so.
    ctx.report(
      { kind: 'HTTPRoute', namespace: ns, name: best.route.metadata?.name ?? '' },
      'InvalidWeight',
      `backendRef ${String(r.name)} weight ${JSON.stringify(r.weight)} is not an integer in 0..1000000; treated as 0`,
    );
    return 0;
  });
  const i = weightedIndex(weights, ctx.random);
  const ref = refs[i];
  if (!ref?.name) return { kind: 'error', status: 500, reason: 'no valid backendRef with weight > 0', route: name };
  return {
    kind: 'backend',
    route: name,
    target: { namespace: ref.namespace ?? ns, service: ref.name, port: ref.port, missingServiceStatus: 500 },
  };
}
