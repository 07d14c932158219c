import { ApiError } from '../api-error.js';
import type { ObjectStore } from '../store/object-store.js';
import { isObject, type KubeObject } from '../types.js';

export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The ServiceAccount admission plugin on pod create: the pod's service account must exist
 * (else 403 "error looking up service account"), and unless automountServiceAccountToken is
 * false (on the pod, else on the account) the pod gets the projected `kube-api-access-XXXXX`
 * volume (a token bound to the pod, the cluster CA, the namespace) mounted read-only at
 * /var/run/secrets/kubernetes.io/serviceaccount in every container that has nothing there.
 */
export function admitPodServiceAccount(store: ObjectStore, namespace: string, pod: KubeObject, randomSuffix: () => string): void {
  const spec = isObject(pod['spec']) ? pod['spec'] : undefined;
  if (!spec) return;
  const name = String(spec['serviceAccountName'] || spec['serviceAccount'] || 'default');
  spec['serviceAccountName'] = name;
  const sa = store.get('/serviceaccounts', namespace, name);
  if (!sa) {
    const podName = pod.metadata.name || pod.metadata.generateName || 'Unknown';
    throw new ApiError(
      403,
      'Forbidden',
      `pods "${podName}" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`,
      { name: podName, kind: 'pods' },
    );
  }
  const automount =
    typeof spec['automountServiceAccountToken'] === 'boolean'
      ? spec['automountServiceAccountToken']
      : sa['automountServiceAccountToken'] !== false;
  if (!automount) return;
  const containers = ['initContainers', 'containers', 'ephemeralContainers'].flatMap((k) =>
    Array.isArray(spec[k]) ? spec[k].filter(isObject) : [],
  );
  const needs = containers.filter(
    (c) => !(Array.isArray(c['volumeMounts']) && c['volumeMounts'].some((m) => isObject(m) && m['mountPath'] === serviceAccountMountPath)),
  );
  if (needs.length === 0) return;
  const volumes = Array.isArray(spec['volumes']) ? spec['volumes'] : [];
  const volume = `kube-api-access-${randomSuffix()}`;
  spec['volumes'] = [
    ...volumes,
    {
      name: volume,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
  ];
  for (const c of needs) {
    const mounts = Array.isArray(c['volumeMounts']) ? c['volumeMounts'] : [];
    c['volumeMounts'] = [...mounts, { name: volume, readOnly: true, mountPath: serviceAccountMountPath }];
  }
}
