/**
 * How a list field merges, for strategic merge patch and server-side apply of built-in kinds:
 * by a key field ("map"), as a set of primitives ("set"), or replaced whole ("atomic").
 * Mirrors the patchMergeKey / listType tags of the upstream Go types for the fields kubesim's
 * users touch; unlisted lists are atomic, as are all lists of custom resources.
 */
export type ListKind = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };

/** How the list `field` under the enclosing field names `path` merges, for one kind. */
export type ListKindResolver = (field: string, path: readonly string[]) => ListKind;

const byName: Record<string, ListKind> = {
  containers: { type: 'map', keys: ['name'] },
  initContainers: { type: 'map', keys: ['name'] },
  ephemeralContainers: { type: 'map', keys: ['name'] },
  env: { type: 'map', keys: ['name'] },
  volumes: { type: 'map', keys: ['name'] },
  volumeMounts: { type: 'map', keys: ['mountPath'] },
  volumeDevices: { type: 'map', keys: ['devicePath'] },
  imagePullSecrets: { type: 'map', keys: ['name'] },
  conditions: { type: 'map', keys: ['type'] },
  ownerReferences: { type: 'map', keys: ['uid'] },
  hostAliases: { type: 'map', keys: ['ip'] },
  topologySpreadConstraints: { type: 'map', keys: ['topologyKey'] },
  resourceClaims: { type: 'map', keys: ['name'] },
  finalizers: { type: 'set' },
};

/** The resolver for a built-in kind (merge keys above) or, with a schema, for a custom resource. */
export function listKindsFor(d: { kind: string; custom?: boolean; schema?: Record<string, unknown> }): ListKindResolver {
  if (!d.custom) return (field, path) => listKindOf(field, path, d.kind);
  const root = d.schema;
  return (field, path) => (root ? schemaListKind(root, field, path) : listKindOf(field, path, undefined));
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** x-kubernetes-list-type / -list-map-keys of a CRD schema (lists default to atomic, as upstream). */
function schemaListKind(root: Record<string, unknown>, field: string, path: readonly string[]): ListKind {
  let s: unknown = root;
  for (const name of [...path, field]) {
    const props = isObj(s) && isObj(s['properties']) ? s['properties'] : undefined;
    s = props?.[name];
    if (name !== field && isObj(s) && s['type'] === 'array') s = s['items'];
  }
  if (!isObj(s)) return path.length === 1 && path[0] === 'metadata' && field === 'finalizers' ? { type: 'set' } : { type: 'atomic' };
  const t = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'];
  if (t === 'map' && Array.isArray(keys) && keys.length) return { type: 'map', keys: keys.map(String) };
  if (t === 'set') return { type: 'set' };
  return { type: 'atomic' };
}

/**
 * @param field  the list's field name
 * @param path   names of the enclosing fields from the root (e.g. ["spec"] for Service ports)
 * @param kind   the object's kind; undefined for custom resources
 */
export function listKindOf(field: string, path: readonly string[], kind: string | undefined): ListKind {
  if (kind === undefined)
    return field === 'finalizers' && path.length === 1 && path[0] === 'metadata' ? { type: 'set' } : { type: 'atomic' };
  if (field === 'ports') {
    if (kind === 'Service' && path.length === 1 && path[0] === 'spec') return { type: 'map', keys: ['port'] };
    if (path.includes('containers') || path.includes('initContainers')) return { type: 'map', keys: ['containerPort'] };
    return { type: 'atomic' };
  }
  return byName[field] ?? { type: 'atomic' };
}
