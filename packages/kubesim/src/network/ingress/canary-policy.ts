import type { RequestFacts, RouterContext } from './route-decision.js';

const prefix = 'nginx.ingress.kubernetes.io/';

/** The NGINX canary annotations of one Ingress, parsed once. */
export interface CanaryPolicy {
  canary: boolean;
  weight: number;
  weightTotal: number;
  header?: string;
  headerValue?: string;
  headerPattern?: RegExp;
  cookie?: string;
}

/**
 * Parses canary annotations as ingress-nginx does. A malformed number makes that annotation
 * count as unset (weight 0, total 100) and is reported; it never breaks the main route.
 */
export function parseCanaryPolicy(
  annotations: Record<string, string> | undefined,
  report: (reason: string, message: string) => void,
): CanaryPolicy {
  const a: Record<string, string> = {};
  // Annotation values are strings on a validating API server; be safe if one is not.
  for (const [k, v] of Object.entries(annotations && typeof annotations === 'object' ? annotations : {})) a[k] = String(v);
  const int = (key: string, fallback: number): number => {
    const raw = a[prefix + key];
    if (raw === undefined) return fallback;
    if (!/^\s*\d+\s*$/.test(raw)) {
      report('InvalidCanaryAnnotation', `${prefix}${key}=${JSON.stringify(raw)} is not a non-negative integer; ignored`);
      return fallback;
    }
    return Number(raw);
  };
  let weightTotal = int('canary-weight-total', 100);
  if (weightTotal <= 0) {
    report('InvalidCanaryAnnotation', `${prefix}canary-weight-total must be > 0; using 100`);
    weightTotal = 100;
  }
  const policy: CanaryPolicy = { canary: a[`${prefix}canary`] === 'true', weight: int('canary-weight', 0), weightTotal };
  const header = a[`${prefix}canary-by-header`];
  if (header) policy.header = header.toLowerCase();
  const headerValue = a[`${prefix}canary-by-header-value`];
  if (headerValue) policy.headerValue = headerValue;
  const pattern = a[`${prefix}canary-by-header-pattern`];
  if (pattern && !headerValue) {
    try {
      policy.headerPattern = new RegExp(pattern);
    } catch {
      report('InvalidCanaryAnnotation', `${prefix}canary-by-header-pattern is not a valid regular expression; ignored`);
    }
  }
  const cookie = a[`${prefix}canary-by-cookie`];
  if (cookie) policy.cookie = cookie;
  return policy;
}

/**
 * Whether this request goes to the canary, with ingress-nginx's precedence:
 * header, then cookie, then weight. A header or cookie value that is not a match, "always" or
 * "never" falls through to the next rule.
 */
export function routesToCanary(policy: CanaryPolicy, req: RequestFacts, ctx: Pick<RouterContext, 'random'>): boolean {
  if (policy.header !== undefined) {
    const value = req.headers[policy.header];
    if (value !== undefined) {
      if (policy.headerValue !== undefined) {
        if (value === policy.headerValue) return true;
      } else if (policy.headerPattern !== undefined) {
        if (policy.headerPattern.test(value)) return true;
      } else if (value === 'always') {
        return true;
      } else if (value === 'never') {
        return false;
      }
    }
  }
  if (policy.cookie !== undefined) {
    const value = req.cookies[policy.cookie];
    if (value === 'always') return true;
    if (value === 'never') return false;
  }
  if (policy.weight <= 0) return false;
  return ctx.random() * policy.weightTotal < policy.weight;
}
