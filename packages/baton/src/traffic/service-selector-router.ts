import { BatonError } from '../errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import { checkWeight } from './router-guard.js';
import type { RouterConfig, TrafficRouter, TrafficSplit } from './traffic-router.js';

interface ServiceLike extends KubeObject {
  spec?: { selector?: Record<string, string> };
}

/**
 * No proxy at all: the stable Service's selector points at the stable pods (weight 0) or the new
 * version's pods (weight 100), switched in one write. Anything in between cannot be expressed and
 * is refused rather than rounded, and so are header routes.
 */
export function createServiceSelectorRouter(kube: KubeClient, config: RouterConfig): TrafficRouter {
  const { stableSelector, canarySelector } = config;
  if (!stableSelector || !canarySelector)
    throw new BatonError('TRAFFIC_CONFIG', 'the service-selector router needs the stable and canary selectors');
  const ref = { apiVersion: 'v1', kind: 'Service', name: config.stableService, namespace: config.namespace };
  const matches = (live: Record<string, string>, want: Record<string, string>): boolean =>
    Object.keys(live).length === Object.keys(want).length && Object.entries(want).every(([k, v]) => live[k] === v);
  return {
    kind: 'service-selector',
    precision: 'exact',
    async setWeight(weight) {
      checkWeight(weight);
      if (weight !== 0 && weight !== 100) {
        throw new BatonError(
          'TRAFFIC_WEIGHT',
          `the service-selector router switches all or nothing; weight ${weight} cannot be expressed`,
          { hint: 'use 0 or 100, or a router with weights (nginx-ingress, gateway-api, istio, replica-ratio)' },
        );
      }
      const live = await kube.get<ServiceLike>(ref);
      if (!live) throw new BatonError('SERVICE_MISSING', `Service ${config.namespace}/${config.stableService} does not exist`);
      const want = weight === 100 ? canarySelector : stableSelector;
      const patch: Record<string, string | null> = { ...want };
      for (const key of Object.keys(live.spec?.selector ?? {})) if (!(key in want)) patch[key] = null;
      await kube.mergePatch(ref, { spec: { selector: patch } });
    },
    async setHeaderRoute(route) {
      if (route !== null)
        throw new BatonError('TRAFFIC_UNSUPPORTED', 'the service-selector router cannot route by header or cookie', {
          hint: 'use nginx-ingress, gateway-api or istio for A/B routes',
        });
    },
    async current(): Promise<TrafficSplit> {
      const selector = (await kube.get<ServiceLike>(ref))?.spec?.selector ?? {};
      return { weight: matches(selector, canarySelector) ? 100 : 0, route: null, precision: 'exact' };
    },
  };
}
