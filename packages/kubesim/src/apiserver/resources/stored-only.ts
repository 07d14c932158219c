import { fieldErrors } from '../field-errors.js';
import type { ResourceDescriptor } from '../resource-descriptor.js';
import { isObject } from '../types.js';
import { objectMeta, type FieldSchema } from './field-schemas.js';

/**
 * Kinds kubesim stores and serves but does not act on (no controller, no enforcement): RBAC
 * objects (every request is authorized by the one token), PodDisruptionBudgets (evictions do not
 * consult them), HorizontalPodAutoscalers (nothing scales) and NetworkPolicies (traffic is not
 * filtered). They exist so real manifests apply; docs/apiserver.md says what is not modelled.
 */
const top = (names: string): FieldSchema => ({
  apiVersion: '*',
  kind: '*',
  metadata: objectMeta,
  ...Object.fromEntries(names.split(' ').map((n) => [n, '*' as const])),
});

const rbac = (resource: string, kind: string, namespaced: boolean, fields: string): ResourceDescriptor => ({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource,
  singular: kind.toLowerCase(),
  kind,
  namespaced,
  subresources: [],
  nameRule: 'path',
  fields: top(fields),
});

export const roles = rbac('roles', 'Role', true, 'rules');
export const clusterroles = rbac('clusterroles', 'ClusterRole', false, 'rules aggregationRule');
export const rolebindings: ResourceDescriptor = {
  ...rbac('rolebindings', 'RoleBinding', true, 'subjects roleRef'),
  validate: (o) => (isObject(o['roleRef']) ? [] : [fieldErrors.required('roleRef')]),
};
export const clusterrolebindings: ResourceDescriptor = {
  ...rbac('clusterrolebindings', 'ClusterRoleBinding', false, 'subjects roleRef'),
  validate: (o) => (isObject(o['roleRef']) ? [] : [fieldErrors.required('roleRef')]),
};

export const poddisruptionbudgets: ResourceDescriptor = {
  group: 'policy',
  version: 'v1',
  resource: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  kind: 'PodDisruptionBudget',
  namespaced: true,
  shortNames: ['pdb'],
  subresources: ['status'],
  generation: true,
  nameRule: 'subdomain',
  fields: top('spec status'),
  validate(o) {
    const s = isObject(o['spec']) ? o['spec'] : {};
    return s['minAvailable'] !== undefined && s['maxUnavailable'] !== undefined
      ? [fieldErrors.invalid('spec', s, 'minAvailable and maxUnavailable cannot be both set')]
      : [];
  },
};

export const horizontalpodautoscalers: ResourceDescriptor = {
  group: 'autoscaling',
  version: 'v2',
  resource: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  kind: 'HorizontalPodAutoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: ['status'],
  nameRule: 'subdomain',
  fields: top('spec status'),
  validate(o) {
    const s = isObject(o['spec']) ? o['spec'] : {};
    const out = [];
    if (!isObject(s['scaleTargetRef'])) out.push(fieldErrors.required('spec.scaleTargetRef'));
    if (typeof s['maxReplicas'] !== 'number' || s['maxReplicas'] < 1)
      out.push(fieldErrors.invalid('spec.maxReplicas', s['maxReplicas'] ?? 0, 'must be greater than 0'));
    return out;
  },
};

export const networkpolicies: ResourceDescriptor = {
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'networkpolicies',
  singular: 'networkpolicy',
  kind: 'NetworkPolicy',
  namespaced: true,
  shortNames: ['netpol'],
  subresources: [],
  generation: true,
  nameRule: 'subdomain',
  fields: top('spec'),
};

export const storedOnly = [
  roles,
  clusterroles,
  rolebindings,
  clusterrolebindings,
  poddisruptionbudgets,
  horizontalpodautoscalers,
  networkpolicies,
];
