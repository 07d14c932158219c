import { BatonError } from '../errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import { cookieRegex, parseCookieRegex } from './cookie-regex.js';
import { checkOwnership, checkWeight, routerLabels } from './router-guard.js';
import type { HeaderRoute, RouterConfig, TrafficRouter, TrafficSplit } from './traffic-router.js';

const group = 'networking.istio.io/v1';
type StringMatch = { exact?: string; regex?: string };
interface Destination {
  host: string;
  subset?: string;
  port?: { number: number };
}
interface HttpRoute {
  match?: Array<{ uri?: { prefix: string }; headers?: Record<string, StringMatch> }>;
  route?: Array<{ destination: Destination; weight?: number }>;
}
interface VirtualServiceLike extends KubeObject {
  spec?: { http?: HttpRoute[] };
}

/**
 * Istio: a VirtualService baton owns whose last http route splits by weight between the stable
 * Service and the canary subset, and a DestinationRule defining that subset by the canary pods'
 * label (baton.dev/track=canary), so only new-version pods ever count as canary. A header route is
 * a first http entry matching the header (or the Cookie header by regex) to the canary only.
 */
export function createIstioRouter(kube: KubeClient, config: RouterConfig): TrafficRouter {
  if (!config.virtualService || !config.canaryPodLabels)
    throw new BatonError('TRAFFIC_CONFIG', 'the istio router needs traffic.virtualService and the canary pod labels', {
      hint: 'name the VirtualService baton manages',
    });
  const vsRef = { apiVersion: group, kind: 'VirtualService', name: config.virtualService, namespace: config.namespace };
  const drRef = {
    apiVersion: group,
    kind: 'DestinationRule',
    name: `${config.virtualService}-canary`.slice(0, 63),
    namespace: config.namespace,
  };
  const port = { number: config.port };
  const stable: Destination = { host: config.stableService, port };
  const canary: Destination = { host: config.canaryService, subset: 'canary', port };
  const uri: { uri?: { prefix: string } } = config.path && config.path !== '/' ? { uri: { prefix: config.path } } : {};

  const write = async (split: { weight: number; route: HeaderRoute | null }): Promise<void> => {
    checkWeight(split.weight);
    checkOwnership(await kube.get(vsRef), { adopt: config.adopt, fieldManager: kube.fieldManager, trafficFields: ['f:http'] });
    checkOwnership(await kube.get(drRef), { adopt: config.adopt, fieldManager: kube.fieldManager, trafficFields: ['f:subsets'] });
    await kube.apply(
      {
        apiVersion: group,
        kind: 'DestinationRule',
        metadata: { name: drRef.name, namespace: config.namespace, labels: routerLabels() },
        spec: { host: config.canaryService, subsets: [{ name: 'canary', labels: config.canaryPodLabels }] },
      },
      { force: true },
    );
    const http: HttpRoute[] = [];
    if (split.route) {
      const headers: Record<string, StringMatch> =
        split.route.kind === 'header'
          ? { [split.route.name.toLowerCase()]: { exact: split.route.value } }
          : { cookie: { regex: cookieRegex(split.route.name) } };
      http.push({ match: [{ ...uri, headers }], route: [{ destination: canary, weight: 100 }] });
    }
    http.push({
      ...(config.path && config.path !== '/' ? { match: [uri] } : {}),
      route: [
        { destination: stable, weight: 100 - split.weight },
        { destination: canary, weight: split.weight },
      ],
    });
    await kube.apply(
      {
        apiVersion: group,
        kind: 'VirtualService',
        metadata: { name: vsRef.name, namespace: config.namespace, labels: routerLabels() },
        spec: { hosts: [config.host ?? '*'], http },
      },
      { force: true },
    );
  };

  const current = async (): Promise<TrafficSplit> => {
    const http = (await kube.get<VirtualServiceLike>(vsRef))?.spec?.http ?? [];
    let route: HeaderRoute | null = null;
    let weight = 0;
    for (const entry of http) {
      const headers = Object.entries(entry.match?.[0]?.headers ?? {});
      if (headers.length > 0) {
        const [name, match] = headers[0]!;
        const cookie = name === 'cookie' && match.regex ? parseCookieRegex(match.regex) : undefined;
        route = cookie ? { kind: 'cookie', name: cookie } : { kind: 'header', name, value: match.exact ?? '' };
        continue;
      }
      const destinations = entry.route ?? [];
      const total = destinations.reduce((n, d) => n + (d.weight ?? (destinations.length === 1 ? 100 : 0)), 0);
      const toCanary = destinations.filter((d) => d.destination.subset === 'canary').reduce((n, d) => n + (d.weight ?? 0), 0);
      weight = total === 0 ? 0 : Math.round((toCanary / total) * 100);
    }
    return { weight, route, precision: 'exact' };
  };

  return {
    kind: 'istio',
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
