import type { KubeObject } from '../kube-objects.js';

const canaryPrefix = 'nginx.ingress.kubernetes.io/';

/** A networking.k8s.io/v1 Ingress with one host and one path. */
export function makeIngress(o: {
  name: string;
  host: string;
  service: string;
  port?: number;
  path?: string;
  pathType?: string;
  namespace?: string;
  canary?: Record<string, string>;
}): KubeObject {
  const annotations = o.canary
    ? Object.fromEntries([['canary', 'true'], ...Object.entries(o.canary)].map(([k, v]) => [canaryPrefix + k, v]))
    : undefined;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { namespace: o.namespace ?? 'default', name: o.name, ...(annotations ? { annotations } : {}) },
    spec: {
      rules: [
        {
          host: o.host,
          http: {
            paths: [
              {
                path: o.path ?? '/',
                pathType: o.pathType ?? 'Prefix',
                backend: { service: { name: o.service, port: { number: o.port ?? 80 } } },
              },
            ],
          },
        },
      ],
    },
  } as KubeObject;
}

export function makeGateway(name = 'gw', namespace = 'default'): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { namespace, name },
    spec: { gatewayClassName: 'kubesim', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
  } as KubeObject;
}

export function makeHttpRoute(o: {
  name: string;
  host: string;
  rules: Array<{ matches?: unknown[]; backendRefs: Array<{ name: string; port?: number; weight?: number }> }>;
}): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { namespace: 'default', name: o.name },
    spec: {
      parentRefs: [{ name: 'gw' }],
      hostnames: [o.host],
      rules: o.rules.map((r) => ({ ...r, backendRefs: r.backendRefs.map((b) => ({ port: 80, ...b })) })),
    },
  } as KubeObject;
}

export function makeVirtualService(o: { name: string; hosts: string[]; http: unknown[]; apiVersion?: string }): KubeObject {
  return {
    apiVersion: o.apiVersion ?? 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { namespace: 'default', name: o.name },
    spec: { hosts: o.hosts, gateways: ['kubesim-gateway'], http: o.http },
  } as KubeObject;
}

export function makeDestinationRule(o: {
  name: string;
  host: string;
  subsets: Array<{ name: string; labels: Record<string, string> }>;
}): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { namespace: 'default', name: o.name },
    spec: { host: o.host, subsets: o.subsets },
  } as KubeObject;
}

export function makePod(name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name, labels } };
}
