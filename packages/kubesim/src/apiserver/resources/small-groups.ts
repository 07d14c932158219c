import { fieldErrors } from '../field-errors.js';
import { schemas } from './field-schemas.js';
import type { ResourceDescriptor } from '../resource-descriptor.js';
import { isObject } from '../types.js';

const addressTypes = ['IPv4', 'IPv6', 'FQDN'];

export const endpointslices: ResourceDescriptor = {
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
  singular: 'endpointslice',
  kind: 'EndpointSlice',
  fields: schemas.EndpointSlice,
  namespaced: true,
  subresources: [],
  nameRule: 'subdomain',
  validate(o) {
    const out = [];
    if (!addressTypes.includes(String(o['addressType'])))
      out.push(
        o['addressType'] === undefined
          ? fieldErrors.required('addressType')
          : fieldErrors.notSupported('addressType', o['addressType'], addressTypes),
      );
    const eps = Array.isArray(o['endpoints']) ? o['endpoints'] : [];
    eps.forEach((e, i) => {
      const a = isObject(e) ? e['addresses'] : undefined;
      if (!Array.isArray(a) || a.length === 0)
        out.push(fieldErrors.required(`endpoints[${i}].addresses`, 'must contain at least 1 address'));
    });
    return out;
  },
};

export const leases: ResourceDescriptor = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  singular: 'lease',
  kind: 'Lease',
  fields: schemas.Lease,
  namespaced: true,
  subresources: [],
  nameRule: 'subdomain',
  validate(o) {
    const s = isObject(o['spec']) ? o['spec'] : {};
    const d = s['leaseDurationSeconds'];
    return d !== undefined && (typeof d !== 'number' || d <= 0)
      ? [fieldErrors.invalid('spec.leaseDurationSeconds', d, 'must be greater than 0')]
      : [];
  },
};

export const smallGroups = [endpointslices, leases];
