import { BatonError } from '../errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import { checkOwnership, checkWeight, routerLabels } from './router-guard.js';
import type { HeaderRoute, RouterConfig, TrafficRouter, TrafficSplit } from './traffic-router.js';

const prefix = 'nginx.ingress.kubernetes.io/';
interface IngressLike extends KubeObject {
  spec?: { ingressClassName?: string; rules?: Array<{ host?: string; http?: { paths?: Array<{ path?: string; pathType?: string }> } }> };
}

/**
 * ingress-nginx canary: a second Ingress `<ingress>-canary` for the same host and path as the
 * user's main Ingress, pointing at the canary Service, with canary-weight and canary-by-header /
 * canary-by-cookie annotations. The main Ingress is never touched. A cookie route means the
 * cookie's value `always` (ingress-nginx's convention).
 */
export function createNginxIngressRouter(kube: KubeClient, config: RouterConfig): TrafficRouter {
  if (!config.ingress)
    throw new BatonError('TRAFFIC_CONFIG', 'the nginx-ingress router needs traffic.ingress (the main Ingress)', {
      hint: 'name the Ingress that serves the app in traffic.ingress',
    });
  const main = config.ingress;
  const name = `${main}-canary`.slice(0, 63);
  const ref = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name, namespace: config.namespace };
  const read = (): Promise<IngressLike | undefined> => kube.get<IngressLike>(ref);

  const write = async (split: { weight: number; route: HeaderRoute | null }): Promise<void> => {
    checkWeight(split.weight);
    const live = await read();
    checkOwnership(live, { adopt: config.adopt, fieldManager: kube.fieldManager, trafficFields: [`f:${prefix}canary-weight`] });
    const mainLive = await kube.get<IngressLike>({ ...ref, name: main });
    if (!mainLive)
      throw new BatonError(
        'TRAFFIC_NO_INGRESS',
        `Ingress ${config.namespace}/${main} does not exist; an nginx canary Ingress is ignored without it`,
        { hint: 'apply the main Ingress (in the manifests) first' },
      );
    const rule = mainLive.spec?.rules?.find((r) => config.host === undefined || r.host === config.host) ?? mainLive.spec?.rules?.[0];
    const host = config.host ?? rule?.host;
    const mainPath = rule?.http?.paths?.[0];
    const annotations: Record<string, string> = {
      [`${prefix}canary`]: 'true',
      [`${prefix}canary-weight`]: String(Math.round(split.weight)),
    };
    if (split.route?.kind === 'header') {
      annotations[`${prefix}canary-by-header`] = split.route.name;
      annotations[`${prefix}canary-by-header-value`] = split.route.value;
    } else if (split.route?.kind === 'cookie') {
      annotations[`${prefix}canary-by-cookie`] = split.route.name;
    }
    const object: IngressLike = {
      apiVersion: ref.apiVersion,
      kind: 'Ingress',
      metadata: { name, namespace: config.namespace, labels: routerLabels(), annotations },
      spec: {
        ...(mainLive.spec?.ingressClassName ? { ingressClassName: mainLive.spec.ingressClassName } : {}),
        rules: [
          {
            ...(host ? { host } : {}),
            http: {
              paths: [
                {
                  path: config.path ?? mainPath?.path ?? '/',
                  pathType: mainPath?.pathType ?? 'Prefix',
                  backend: { service: { name: config.canaryService, port: { number: config.port } } },
                },
              ] as never,
            },
          },
        ],
      },
    };
    // Server-side apply of the whole object: annotations baton no longer sets (an old header
    // route) are removed because baton owned them and omits them now.
    await kube.apply(object, { force: true });
  };

  const current = async (): Promise<TrafficSplit> => {
    const a = (await read())?.metadata.annotations ?? {};
    if (a[`${prefix}canary`] !== 'true') return { weight: 0, route: null, precision: 'exact' };
    const weight = Number(a[`${prefix}canary-weight`] ?? '0');
    const header = a[`${prefix}canary-by-header`];
    const cookie = a[`${prefix}canary-by-cookie`];
    const route: HeaderRoute | null = header
      ? { kind: 'header', name: header, value: a[`${prefix}canary-by-header-value`] ?? 'always' }
      : cookie
        ? { kind: 'cookie', name: cookie }
        : null;
    return { weight: Number.isFinite(weight) ? weight : 0, route, precision: 'exact' };
  };

  return {
    kind: 'nginx-ingress',
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
