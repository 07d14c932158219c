interface CrdSpec {
  group: string;
  kind: string;
  plural: string;
  shortNames: string[];
  versions: string[];
}

const specs: CrdSpec[] = [
  { group: 'gateway.networking.k8s.io', kind: 'Gateway', plural: 'gateways', shortNames: ['gtw'], versions: ['v1'] },
  { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', plural: 'httproutes', shortNames: [], versions: ['v1'] },
  { group: 'networking.istio.io', kind: 'VirtualService', plural: 'virtualservices', shortNames: ['vs'], versions: ['v1', 'v1beta1'] },
  { group: 'networking.istio.io', kind: 'DestinationRule', plural: 'destinationrules', shortNames: ['dr'], versions: ['v1', 'v1beta1'] },
];

/**
 * CustomResourceDefinitions for the routing objects the ingress proxy reads. The schemas accept
 * any spec (x-kubernetes-preserve-unknown-fields): like a cluster without Istio's or Gateway
 * API's validating webhooks, bad objects are stored and the proxy must cope with them.
 * The first listed version is the storage version; all versions are served.
 */
export const networkCrds: readonly object[] = Object.freeze(
  specs.map((s) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${s.plural}.${s.group}` },
    spec: {
      group: s.group,
      scope: 'Namespaced',
      names: { kind: s.kind, listKind: `${s.kind}List`, plural: s.plural, singular: s.kind.toLowerCase(), shortNames: s.shortNames },
      versions: s.versions.map((name, i) => ({
        name,
        served: true,
        storage: i === 0,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      })),
    },
  })),
);
