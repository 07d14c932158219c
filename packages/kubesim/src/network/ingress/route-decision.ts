/** What the ingress proxy knows about one incoming request when it picks a route. */
export interface RequestFacts {
  /** Host header without port, lower-cased. */
  host: string;
  /** URL path without the query string. */
  path: string;
  method: string;
  query: URLSearchParams;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  cookies: Record<string, string>;
}

/** Which Service (and optionally which labelled subset of its pods) a request goes to. */
export interface RouteTarget {
  namespace: string;
  service: string;
  /** Service port by number or name; undefined = the Service's only port. */
  port: number | string | undefined;
  /** DestinationRule subset labels the chosen endpoints must carry. */
  subsetLabels?: Record<string, string>;
  /** Status when the Service does not exist: 503 for NGINX and Istio, 500 for Gateway API. */
  missingServiceStatus: 500 | 503;
  /**
   * Endpoints tried for one request when connecting fails or the upstream errs before answering
   * (see docs/network.md): ingress-nginx `proxy_next_upstream error timeout` with
   * `proxy-next-upstream-tries: 3`; Istio's default retry policy (2 retries on connect-failure);
   * Gateway API implementations (Envoy Gateway) retry nothing by default. Default 1.
   */
  tries?: number;
}

/**
 * The outcome of routing: a backend, no route at all (404), or an error status decided by the
 * route itself (e.g. a Gateway API rule whose backends are all invalid gets 500).
 */
export type RouteDecision =
  | { kind: 'backend'; target: RouteTarget; route: string }
  | { kind: 'no-route' }
  | { kind: 'error'; status: number; reason: string; route: string };

/** Reports a problem with a routing object once (logger + Kubernetes Event). */
export type ProblemReporter = (object: { kind: string; namespace: string; name: string }, reason: string, message: string) => void;

/**
 * How a route source may claim a request's host. Routing runs twice over all sources: first only
 * sources with an object naming the host (exactly or by wildcard) may answer, then those with
 * catch-all objects (an Ingress rule without host, an HTTPRoute without hostnames, a
 * VirtualService for "*"), so one port can serve all kinds without a catch-all of one kind
 * swallowing another kind's named host.
 */
export type HostClaim = 'named' | 'catch-all';

/** Shared by the route matchers: randomness is injected so weights are testable. */
export interface RouterContext {
  random: () => number;
  report: ProblemReporter;
  /** Which pass of routing this is; a source answers only if it claims the host this way. */
  claim: HostClaim;
}

/** Picks an index with probability proportional to its weight; -1 when all weights are zero. */
export function weightedIndex(weights: readonly number[], random: () => number): number {
  const total = weights.reduce((a, w) => a + w, 0);
  if (!(total > 0)) return -1;
  let x = random() * total;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] ?? 0;
    if (w <= 0) continue;
    if (x < w) return i;
    x -= w;
  }
  return weights.findLastIndex((w) => w > 0);
}

/**
 * Kubernetes-style element-wise path prefix: "/foo" matches "/foo", "/foo/" and "/foo/bar",
 * never "/foobar". A trailing slash in the prefix is ignored.
 */
export function pathPrefixMatches(prefix: string, path: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  if (p === '') return true;
  return path === p || path.startsWith(`${p}/`);
}

/** Host pattern match; "*.example.com" matches any host ending in ".example.com". */
export function hostMatches(pattern: string, host: string, wildcardLabels: 'one' | 'many'): boolean {
  const pat = pattern.toLowerCase();
  if (pat === '*') return true;
  if (!pat.startsWith('*.')) return pat === host;
  const suffix = pat.slice(1);
  if (!host.endsWith(suffix) || host.length === suffix.length) return false;
  return wildcardLabels === 'many' || !host.slice(0, host.length - suffix.length).includes('.');
}

// Compiled regexes by source: route matchers run per request and must not recompile each time.
const regexCache = new Map<string, RegExp | null>();

/** A regex built from untrusted input; null when it does not compile. */
export function safeRegex(source: string, anchored: boolean): RegExp | null {
  const key = anchored ? `^(?:${source})$` : source;
  let re = regexCache.get(key);
  if (re === undefined) {
    try {
      re = new RegExp(key);
    } catch {
      re = null;
    }
    // Bounded: the sources come from cluster objects, which can change without end.
    if (regexCache.size >= 1000) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

/** Creation time in ms for ordering (oldest wins conflicts); objects without one sort last. */
export function creationTime(o: { metadata?: { creationTimestamp?: string | Date } }): number {
  const t = Date.parse(String(o.metadata?.creationTimestamp ?? ''));
  return Number.isNaN(t) ? Number.MAX_SAFE_INTEGER : t;
}
