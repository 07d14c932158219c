/**
 * How a list field merges, for strategic merge patch and server-side apply of built-in kinds:
 * by a key field ("map"), as a set of primitives ("set"), or replaced whole ("atomic").
 * Mirrors the patchMergeKey / listType tags of the upstream Go types for the fields kubesim's
 * users touch; unlisted lists are atomic, as are all lists of custom resources.
 */
export type ListKind = { type: 'map'; key: string } | { type: 'set' } | { type: 'atomic' };

const byName: Record<string, ListKind> = {
  containers: { type: 'map', key: 'name' },
  initContainers: { type: 'map', key: 'name' },
  ephemeralContainers: { type: 'map', key: 'name' },
  env: { type: 'map', key: 'name' },
  volumes: { type: 'map', key: 'name' },
  volumeMounts: { type: 'map', key: 'mountPath' },
  volumeDevices: { type: 'map', key: 'devicePath' },
  imagePullSecrets: { type: 'map', key: 'name' },
  conditions: { type: 'map', key: 'type' },
  ownerReferences: { type: 'map', key: 'uid' },
  hostAliases: { type: 'map', key: 'ip' },
  topologySpreadConstraints: { type: 'map', key: 'topologyKey' },
  resourceClaims: { type: 'map', key: 'name' },
  finalizers: { type: 'set' },
};

/**
 * @param field  the list's field name
 * @param path   names of the enclosing fields from the root (e.g. ["spec"] for Service ports)
 * @param kind   the object's kind; undefined for custom resources
 */
export function listKindOf(field: string, path: readonly string[], kind: string | undefined): ListKind {
  if (kind === undefined) return field === 'finalizers' && path.length === 1 && path[0] === 'metadata' ? { type: 'set' } : { type: 'atomic' };
  if (field === 'ports') {
    if (kind === 'Service' && path.length === 1 && path[0] === 'spec') return { type: 'map', key: 'port' };
    if (path.includes('containers') || path.includes('initContainers')) return { type: 'map', key: 'containerPort' };
    return { type: 'atomic' };
  }
  return byName[field] ?? { type: 'atomic' };
}
