import type { ResourceRegistry } from '../resource-registry.js';
import type { ObjectStore } from '../store/object-store.js';
import type { ResourceStorage } from '../store/resource-storage.js';
import { isObject } from '../types.js';
import { InProcessController } from './in-process-controller.js';

const name = 'kube-root-ca.crt';

/**
 * kube-controller-manager's root-ca-cert-publisher: every active namespace has a ConfigMap
 * `kube-root-ca.crt` whose `ca.crt` is the CA that signs the API server's certificate. The
 * kubelet projects it into pods as /var/run/secrets/kubernetes.io/serviceaccount/ca.crt.
 */
export function startRootCaPublisher(
  store: ObjectStore,
  storage: ResourceStorage,
  registry: ResourceRegistry,
  caPem: string,
): InProcessController {
  return new InProcessController(
    store,
    (e) => e.key === '/namespaces' || (e.key === '/configmaps' && e.object.metadata.name === name),
    () => {
      const d = registry.byKey('/configmaps');
      if (!d) return;
      for (const ns of store.list('/namespaces')) {
        if (ns.metadata.deletionTimestamp) continue;
        const n = ns.metadata.name ?? '';
        const live = store.get('/configmaps', n, name);
        const data = { 'ca.crt': caPem };
        const annotations = {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
        };
        if (!live) storage.create(d, n, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: n, annotations }, data });
        else if (!isObject(live['data']) || live['data']['ca.crt'] !== caPem)
          storage.update(d, n, name, { ...structuredClone(live), data });
      }
    },
  );
}
