import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { applyAndWait } from '../../testing/demo-cluster.js';

export const trackLabel = 'baton.dev/track';

function deployment(name: string, image: string, replicas: number, track: string): KubeObject {
  const labels = { app: 'web', [trackLabel]: track };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'app',
              image,
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
              lifecycle: { preStop: { sleep: { seconds: 1 } } },
            },
          ],
        },
      },
    },
  };
}

function service(name: string, selector: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
  };
}

/**
 * Stable `web` (demo/app:v1, track=stable) and canary `web-canary` (v2, track=canary) Deployments,
 * a Service for each, `web-all` selecting both (what replica-ratio splits over), and `web-sel`
 * (stable pods; the one service-selector switches).
 */
export async function applyRouterFixture(kube: KubeClient, o: { stableReplicas?: number; canaryReplicas?: number } = {}): Promise<void> {
  await applyAndWait(kube, [
    service('web', { app: 'web', [trackLabel]: 'stable' }),
    service('web-canary', { app: 'web', [trackLabel]: 'canary' }),
    service('web-all', { app: 'web' }),
    service('web-sel', { app: 'web', [trackLabel]: 'stable' }),
    deployment('web', 'demo/app:v1', o.stableReplicas ?? 2, 'stable'),
    deployment('web-canary', 'demo/app:v2', o.canaryReplicas ?? 1, 'canary'),
  ]);
}

/** A plain Ingress for `host` to `service`, as a user's manifests would have it. */
export function mainIngress(name: string, host: string, serviceName: string): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default' },
    spec: {
      rules: [
        { host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: serviceName, port: { number: 8080 } } } }] } },
      ],
    },
  };
}
