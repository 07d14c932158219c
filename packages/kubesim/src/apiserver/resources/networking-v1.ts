import type { StatusCause } from '../api-error.js';
import { fieldErrors } from '../field-errors.js';
import { schemas } from './field-schemas.js';
import type { ResourceDescriptor } from '../resource-descriptor.js';
import { isObject, type KubeObject } from '../types.js';

const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateIngress(o: KubeObject): StatusCause[] {
  const out: StatusCause[] = [];
  const s = isObject(o['spec']) ? o['spec'] : {};
  const rules = Array.isArray(s['rules']) ? s['rules'] : [];
  if (rules.length === 0 && !isObject(s['defaultBackend'])) {
    out.push(fieldErrors.invalid('spec', '', 'either `defaultBackend` or `rules` must be specified'));
  }
  rules.forEach((r, i) => {
    const paths = isObject(r) && isObject(r['http']) && Array.isArray(r['http']['paths']) ? r['http']['paths'] : [];
    paths.forEach((p, j) => {
      const f = `spec.rules[${i}].http.paths[${j}]`;
      if (!isObject(p)) return;
      if (p['pathType'] === undefined) out.push(fieldErrors.required(`${f}.pathType`, 'pathType must be specified'));
      else if (!pathTypes.includes(String(p['pathType']))) out.push(fieldErrors.notSupported(`${f}.pathType`, p['pathType'], pathTypes));
      if (!isObject(p['backend'])) out.push(fieldErrors.required(`${f}.backend`));
      if (p['pathType'] !== 'ImplementationSpecific' && typeof p['path'] === 'string' && !p['path'].startsWith('/')) {
        out.push(fieldErrors.invalid(`${f}.path`, p['path'], 'must be an absolute path'));
      }
    });
  });
  return out;
}

export const ingresses: ResourceDescriptor = {
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'ingresses',
  singular: 'ingress',
  kind: 'Ingress',
  fields: schemas.Ingress,
  namespaced: true,
  shortNames: ['ing'],
  subresources: ['status'],
  generation: true,
  nameRule: 'subdomain',
  validate: validateIngress,
  defaults(o) {
    if (!isObject(o['status'])) o['status'] = { loadBalancer: {} };
  },
};

export const ingressclasses: ResourceDescriptor = {
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'ingressclasses',
  singular: 'ingressclass',
  kind: 'IngressClass',
  fields: schemas.IngressClass,
  namespaced: false,
  subresources: [],
  nameRule: 'subdomain',
  validate(o) {
    const s = isObject(o['spec']) ? o['spec'] : {};
    return typeof s['controller'] === 'string' && s['controller'] ? [] : [fieldErrors.required('spec.controller')];
  },
};

export const networkingV1 = [ingresses, ingressclasses];
