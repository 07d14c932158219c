import { errors } from './api-error.js';
import { fieldErrors } from './field-errors.js';
import type { FieldManager } from './patch/managed-fields.js';
import type { ResourceDescriptor } from './resource-descriptor.js';
import { storageKey } from './resource-registry.js';
import { timestamp, type ResourceStorage } from './store/resource-storage.js';
import { readPath } from './resources/apiextensions-v1.js';
import { clone, isObject, type KubeObject } from './types.js';

/** autoscaling/v1 Scale view of a scalable object. */
export function readScale(d: ResourceDescriptor, o: KubeObject): KubeObject {
  const p = d.scalePaths ?? { specReplicas: '.spec.replicas', statusReplicas: '.status.replicas' };
  const m = o.metadata;
  const selector = d.scale?.selector(o) ?? (p.labelSelector ? String(readPath(o, p.labelSelector) ?? '') : '');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: Number(readPath(o, p.specReplicas) ?? 0) },
    status: { replicas: Number(readPath(o, p.statusReplicas) ?? 0), selector },
  };
}

/** Sets a simple ".a.b" path, creating maps on the way. */
function writePath(o: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.replace(/^\./, '').split('.').filter(Boolean);
  let cur = o;
  for (const k of keys.slice(0, -1)) cur = (isObject(cur[k]) ? cur[k] : (cur[k] = {})) as Record<string, unknown>;
  cur[keys[keys.length - 1] ?? 'replicas'] = value;
}

/** Writes Scale.spec.replicas back into the object (409 on a stale resourceVersion, 422 if negative). */
export function writeScale(
  storage: ResourceStorage,
  d: ResourceDescriptor,
  live: KubeObject,
  scale: KubeObject,
  opts: { dryRun?: boolean; manager: FieldManager },
): KubeObject {
  const name = live.metadata.name ?? '';
  const rv = scale.metadata.resourceVersion;
  if (rv && rv !== live.metadata.resourceVersion) {
    throw errors.conflict(
      d.resource,
      d.group,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  }
  const replicas = isObject(scale['spec']) ? scale['spec']['replicas'] : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw errors.invalid('Scale', 'autoscaling', name, [
      fieldErrors.invalid('spec.replicas', replicas ?? null, 'must be greater than or equal to 0'),
    ]);
  }
  const next = clone(live);
  writePath(next, d.scalePaths?.specReplicas ?? '.spec.replicas', replicas);
  return storage.update(d, live.metadata.namespace, name, next, { ...opts, subresource: '' });
}

const success = (code: number): Record<string, unknown> => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code });

/** POST pods/NAME/binding: the scheduler's way to set spec.nodeName (once). */
export function bindPod(
  storage: ResourceStorage,
  d: ResourceDescriptor,
  ns: string,
  name: string,
  binding: KubeObject,
): Record<string, unknown> {
  const pod = storage.get(d, ns, name);
  const target = isObject(binding['target']) ? binding['target'] : {};
  const node = target['name'];
  if (typeof node !== 'string' || node === '') throw errors.invalid('Binding', '', name, [fieldErrors.required('target.name')]);
  const spec = isObject(pod['spec']) ? pod['spec'] : {};
  if (pod.metadata.deletionTimestamp)
    throw errors.conflict('pods/binding', '', name, `pod ${name} is being deleted, cannot be assigned to a host`);
  if (spec['nodeName'])
    throw errors.conflict('pods/binding', '', name, `pod ${name} is already assigned to node "${String(spec['nodeName'])}"`);
  const next = clone(pod);
  (next['spec'] as Record<string, unknown>)['nodeName'] = node;
  const status = isObject(next['status']) ? next['status'] : ((next['status'] = {}) as Record<string, unknown>);
  const conds = (Array.isArray(status['conditions']) ? status['conditions'] : []).filter(
    (c) => !(isObject(c) && c['type'] === 'PodScheduled'),
  );
  conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(new Date()) });
  status['conditions'] = conds;
  // Binding is the one sanctioned write of spec.nodeName, so it goes to the store directly.
  storage.store.update(storageKey(d), next, pod);
  return success(201);
}

/** POST pods/NAME/eviction: deletes the pod gracefully (PodDisruptionBudgets are not modelled). */
export function evictPod(
  storage: ResourceStorage,
  d: ResourceDescriptor,
  ns: string,
  name: string,
  body: unknown,
): Record<string, unknown> {
  const opts = isObject(body) && isObject(body['deleteOptions']) ? body['deleteOptions'] : {};
  const grace = typeof opts['gracePeriodSeconds'] === 'number' ? opts['gracePeriodSeconds'] : undefined;
  storage.delete(d, ns, name, grace === undefined ? {} : { gracePeriodSeconds: grace });
  return success(201);
}
