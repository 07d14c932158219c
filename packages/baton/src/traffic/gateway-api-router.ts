import { BatonError } from '../errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import { checkOwnership, checkWeight, routerLabels } from './router-guard.js';
import { cookieRegex, parseCookieRegex } from './cookie-regex.js';
import type { HeaderRoute, RouterConfig, TrafficRouter, TrafficSplit } from './traffic-router.js';

interface BackendRef {
  name: string;
  port?: number;
  weight?: number;
}
interface Rule {
  matches?: Array<{ path?: unknown; headers?: Array<{ type?: string; name: string; value: string }> }>;
  backendRefs?: BackendRef[];
}
interface RouteLike extends KubeObject {
  spec?: { rules?: Rule[] };
}

/**
 * Gateway API: one HTTPRoute baton owns, attached to the user's Gateway. Its last rule splits by
 * backendRefs weights (stable 100-w, canary w); a header route is an earlier, more specific rule
 * whose only backend is the canary Service. Gateway API has no cookie matcher, so a cookie route
 * is a regular-expression match on the Cookie header.
 */
export function createGatewayApiRouter(kube: KubeClient, config: RouterConfig): TrafficRouter {
  if (!config.httpRoute || !config.gateway)
    throw new BatonError('TRAFFIC_CONFIG', 'the gateway-api router needs traffic.httpRoute and traffic.gateway', {
      hint: 'name the HTTPRoute baton manages and the Gateway it attaches to',
    });
  const ref = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', name: config.httpRoute, namespace: config.namespace };
  const path = { type: 'PathPrefix', value: config.path ?? '/' };
  const backend = (name: string, weight: number): BackendRef => ({ name, port: config.port, weight });

  const write = async (split: { weight: number; route: HeaderRoute | null }): Promise<void> => {
    checkWeight(split.weight);
    checkOwnership(await kube.get(ref), { adopt: config.adopt, fieldManager: kube.fieldManager, trafficFields: ['f:rules'] });
    const rules: Rule[] = [];
    if (split.route) {
      const header =
        split.route.kind === 'header'
          ? { type: 'Exact', name: split.route.name, value: split.route.value }
          : { type: 'RegularExpression', name: 'cookie', value: cookieRegex(split.route.name) };
      rules.push({ matches: [{ path, headers: [header] }], backendRefs: [backend(config.canaryService, 1)] });
    }
    rules.push({
      matches: [{ path }],
      backendRefs: [backend(config.stableService, 100 - split.weight), backend(config.canaryService, split.weight)],
    });
    await kube.apply(
      {
        apiVersion: ref.apiVersion,
        kind: 'HTTPRoute',
        metadata: { name: ref.name, namespace: config.namespace, labels: routerLabels() },
        spec: { parentRefs: [{ name: config.gateway }], ...(config.host ? { hostnames: [config.host] } : {}), rules },
      },
      { force: true },
    );
  };

  const current = async (): Promise<TrafficSplit> => {
    const rules = (await kube.get<RouteLike>(ref))?.spec?.rules ?? [];
    let route: HeaderRoute | null = null;
    let weight = 0;
    for (const rule of rules) {
      const header = rule.matches?.[0]?.headers?.[0];
      if (header) {
        const cookie = header.name.toLowerCase() === 'cookie' ? parseCookieRegex(header.value) : undefined;
        route = cookie ? { kind: 'cookie', name: cookie } : { kind: 'header', name: header.name, value: header.value };
        continue;
      }
      const refs = rule.backendRefs ?? [];
      const total = refs.reduce((n, b) => n + (b.weight ?? 1), 0);
      const canary = refs.filter((b) => b.name === config.canaryService).reduce((n, b) => n + (b.weight ?? 1), 0);
      weight = total === 0 ? 0 : Math.round((canary / total) * 100);
    }
    return { weight, route, precision: 'exact' };
  };

  return {
    kind: 'gateway-api',
    precision: 'exact',
    async setWeight(weight) {
      checkWeight(weight);
      await write({ weight, route: (await current()).route });
    },
    async setHeaderRoute(route) {
      await write({ weight: (await current()).weight, route });
    },
    current,
  };
}
