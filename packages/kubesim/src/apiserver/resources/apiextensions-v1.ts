import type { StatusCause } from '../api-error.js';
import { fieldErrors } from '../field-errors.js';
import { schemas } from './field-schemas.js';
import type { ResourceDescriptor, Subresource, TableColumn } from '../resource-descriptor.js';
import { isObject, type KubeObject } from '../types.js';
import { validateName } from './names.js';

type Obj = Record<string, unknown>;

function validateCrd(o: KubeObject, old?: KubeObject): StatusCause[] {
  const out: StatusCause[] = [];
  const s = isObject(o['spec']) ? o['spec'] : {};
  const names = isObject(s['names']) ? s['names'] : {};
  const group = s['group'];
  if (typeof group !== 'string' || group === '') out.push(fieldErrors.required('spec.group'));
  else if (!group.includes('.')) out.push(fieldErrors.invalid('spec.group', group, 'should be a domain with at least one dot'));
  if (typeof names['plural'] !== 'string' || !names['plural']) out.push(fieldErrors.required('spec.names.plural'));
  else out.push(...validateName(names['plural'], 'label', 'spec.names.plural'));
  if (typeof names['kind'] !== 'string' || !names['kind']) out.push(fieldErrors.required('spec.names.kind'));
  if (typeof names['plural'] === 'string' && typeof group === 'string' && o.metadata.name !== `${names['plural']}.${group}`) {
    out.push(fieldErrors.invalid('metadata.name', o.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (s['scope'] !== 'Namespaced' && s['scope'] !== 'Cluster')
    out.push(fieldErrors.notSupported('spec.scope', s['scope'] ?? '', ['Cluster', 'Namespaced']));
  const versions = Array.isArray(s['versions']) ? s['versions'] : [];
  if (versions.length === 0) out.push(fieldErrors.required('spec.versions', 'must have exactly one version marked as storage version'));
  else if (versions.filter((v) => isObject(v) && v['storage'] === true).length !== 1) {
    out.push(fieldErrors.invalid('spec.versions', versions.length, 'must have exactly one version marked as storage version'));
  }
  versions.forEach((v, i) => {
    if (!isObject(v)) return;
    if (typeof v['name'] !== 'string' || !v['name']) out.push(fieldErrors.required(`spec.versions[${i}].name`));
    const schema = isObject(v['schema']) ? v['schema']['openAPIV3Schema'] : undefined;
    if (!isObject(schema)) out.push(fieldErrors.required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
  });
  if (old && isObject(old['spec'])) {
    if (old['spec']['group'] !== group) out.push(fieldErrors.invalid('spec.group', group, 'field is immutable'));
    if (old['spec']['scope'] !== s['scope']) out.push(fieldErrors.invalid('spec.scope', s['scope'], 'field is immutable'));
  }
  return out;
}

export const customresourcedefinitions: ResourceDescriptor = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  kind: 'CustomResourceDefinition',
  fields: schemas.CustomResourceDefinition,
  namespaced: false,
  shortNames: ['crd', 'crds'],
  subresources: ['status'],
  generation: true,
  nameRule: 'subdomain',
  definesResources: true,
  keepsStatusOnCreate: true,
  defaults(o) {
    const s = isObject(o['spec']) ? o['spec'] : {};
    const names = isObject(s['names']) ? s['names'] : {};
    if (!names['singular'] && typeof names['kind'] === 'string') names['singular'] = names['kind'].toLowerCase();
    if (!names['listKind'] && typeof names['kind'] === 'string') names['listKind'] = `${names['kind']}List`;
    if (!isObject(s['conversion'])) s['conversion'] = { strategy: 'None' };
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    // The CRD is served as soon as it is stored, so it is reported Established at once.
    o['status'] = {
      acceptedNames: { ...names },
      storedVersions: (Array.isArray(s['versions']) ? s['versions'] : [])
        .filter((v) => isObject(v) && v['storage'] === true)
        .map((v) => (v as Obj)['name']),
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: now },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
          lastTransitionTime: now,
        },
      ],
    };
  },
  validate: validateCrd,
};

/** Reads a simple JSONPath (".a.b"); the subset CRD printer columns use in practice. */
export function readPath(o: unknown, path: string): unknown {
  return path
    .replace(/^\./, '')
    .split('.')
    .filter(Boolean)
    .reduce<unknown>((c, k) => (isObject(c) ? c[k] : undefined), o);
}

function printerColumns(cols: unknown[]): TableColumn[] {
  return cols.filter(isObject).map((c) => ({
    name: String(c['name']),
    type: c['type'] === 'integer' ? ('integer' as const) : c['type'] === 'date' ? ('date' as const) : ('string' as const),
    ...(typeof c['description'] === 'string' ? { description: c['description'] } : {}),
    ...(typeof c['priority'] === 'number' ? { priority: c['priority'] } : {}),
    value: (o: KubeObject) => {
      const v = readPath(o, String(c['jsonPath'] ?? ''));
      return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : typeof v === 'number' ? v : String(v);
    },
  }));
}

/** The descriptors a stored CRD makes the server serve, one per served version. */
export function descriptorsForCrd(crd: KubeObject): ResourceDescriptor[] {
  const s = isObject(crd['spec']) ? crd['spec'] : {};
  const names = isObject(s['names']) ? s['names'] : {};
  const versions = Array.isArray(s['versions']) ? s['versions'] : [];
  const out: ResourceDescriptor[] = [];
  for (const v of versions) {
    if (!isObject(v) || v['served'] === false) continue;
    const sub = isObject(v['subresources']) ? v['subresources'] : {};
    const subresources: Subresource[] = [];
    if (sub['status'] !== undefined) subresources.push('status');
    if (sub['scale'] !== undefined) subresources.push('scale');
    const schema = isObject(v['schema']) && isObject(v['schema']['openAPIV3Schema']) ? v['schema']['openAPIV3Schema'] : undefined;
    out.push({
      group: String(s['group']),
      version: String(v['name']),
      resource: String(names['plural']),
      singular: String(names['singular'] ?? String(names['kind']).toLowerCase()),
      kind: String(names['kind']),
      namespaced: s['scope'] === 'Namespaced',
      subresources,
      generation: true,
      nameRule: 'subdomain',
      custom: true,
      ...(Array.isArray(names['shortNames']) ? { shortNames: names['shortNames'].map(String) } : {}),
      ...(Array.isArray(names['categories']) ? { categories: names['categories'].map(String) } : {}),
      ...(schema ? { schema } : {}),
      ...(Array.isArray(v['additionalPrinterColumns']) ? { columns: printerColumns(v['additionalPrinterColumns']) } : {}),
      ...(isObject(sub['scale'])
        ? {
            scalePaths: {
              specReplicas: String(sub['scale']['specReplicasPath'] ?? '.spec.replicas'),
              statusReplicas: String(sub['scale']['statusReplicasPath'] ?? '.status.replicas'),
              ...(typeof sub['scale']['labelSelectorPath'] === 'string' ? { labelSelector: sub['scale']['labelSelectorPath'] } : {}),
            },
          }
        : {}),
    });
  }
  return out;
}

export const apiextensionsV1 = [customresourcedefinitions];
