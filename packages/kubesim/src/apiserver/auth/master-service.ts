import type { ResourceRegistry } from '../resource-registry.js';
import type { ObjectStore } from '../store/object-store.js';
import type { ResourceStorage } from '../store/resource-storage.js';
import { isObject, type KubeObject } from '../types.js';
import { InProcessController } from './in-process-controller.js';

export interface MasterEndpoint {
  serviceIP: string;
  hostIP: string;
  port: number;
}

/**
 * The API server's own Service, as kube-apiserver's master-endpoint reconciler keeps it:
 * `default/kubernetes` (ClusterIP, port 443 named https) with an Endpoints object and an
 * EndpointSlice pointing at the server's address. Pods get KUBERNETES_SERVICE_HOST/PORT from it
 * and reach the API through the Service proxy. Recreated if deleted, corrected if changed.
 */
export function startMasterService(
  store: ObjectStore,
  storage: ResourceStorage,
  registry: ResourceRegistry,
  at: MasterEndpoint,
): InProcessController {
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const port = { name: 'https', port: at.port, protocol: 'TCP' };
  const wanted: Record<string, KubeObject> = {
    '/services': {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels },
      spec: {
        type: 'ClusterIP',
        clusterIP: at.serviceIP,
        clusterIPs: [at.serviceIP],
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: at.port }],
        sessionAffinity: 'None',
      },
    },
    '/endpoints': {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: at.hostIP }], ports: [port] }],
    },
    'discovery.k8s.io/endpointslices': {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [at.hostIP], conditions: { ready: true } }],
      ports: [port],
    },
  };
  const keys = Object.keys(wanted);
  return new InProcessController(
    store,
    (e) => keys.includes(e.key) && e.object.metadata.namespace === 'default' && e.object.metadata.name === 'kubernetes',
    () => {
      if (!store.get('/namespaces', undefined, 'default')) return;
      for (const key of keys) {
        const d = registry.byKey(key);
        const want = wanted[key]!;
        if (!d) continue;
        const live = store.get(key, 'default', 'kubernetes');
        if (!live) {
          storage.create(d, 'default', structuredClone(want));
          continue;
        }
        const part = key === '/services' ? 'spec' : key === '/endpoints' ? 'subsets' : 'endpoints';
        const liveSpec = live[part];
        const ok =
          key === '/services'
            ? isObject(liveSpec) &&
              liveSpec['clusterIP'] === at.serviceIP &&
              JSON.stringify(liveSpec['ports']) === JSON.stringify((want['spec'] as Record<string, unknown>)['ports'])
            : JSON.stringify(liveSpec) === JSON.stringify(want[part]) &&
              (key !== 'discovery.k8s.io/endpointslices' || JSON.stringify(live['ports']) === JSON.stringify(want['ports']));
        if (ok) continue;
        if (key === '/services' && isObject(liveSpec) && liveSpec['clusterIP'] !== at.serviceIP) {
          // clusterIP is immutable: replace the Service (a restart from an older data dir).
          storage.delete(d, 'default', 'kubernetes', {});
          storage.create(d, 'default', structuredClone(want));
          continue;
        }
        storage.update(d, 'default', 'kubernetes', {
          ...structuredClone(live),
          [part]: structuredClone(want[part]),
          ...(key === 'discovery.k8s.io/endpointslices' ? { ports: [port] } : {}),
        });
      }
    },
  );
}
