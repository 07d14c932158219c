import { fieldErrors } from '../field-errors.js';
import type { ResourceDescriptor } from '../resource-descriptor.js';
import { isObject } from '../types.js';

/**
 * Create-only review resources, answered and never stored. kubesim has one all-powerful token,
 * so every access review is allowed, and "whoami" is the kubesim user.
 */
export const selfsubjectaccessreviews: ResourceDescriptor = {
  group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview',
  kind: 'SelfSubjectAccessReview', namespaced: false, subresources: [], nameRule: 'path', createOnly: true,
  validate(o) {
    const s = isObject(o['spec']) ? o['spec'] : {};
    return isObject(s['resourceAttributes']) || isObject(s['nonResourceAttributes'])
      ? [] : [fieldErrors.invalid('spec', s, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  },
  defaults(o) {
    o['status'] = { allowed: true, reason: 'kubesim authorizes every request that carries its token' };
  },
};

export const selfsubjectreviews: ResourceDescriptor = {
  group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', singular: 'selfsubjectreview',
  kind: 'SelfSubjectReview', namespaced: false, subresources: [], nameRule: 'path', createOnly: true,
  defaults(o) {
    o['status'] = { userInfo: { username: 'kubesim-admin', groups: ['system:masters', 'system:authenticated'] } };
  },
};

export const selfsubjectrulesreviews: ResourceDescriptor = {
  group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview',
  kind: 'SelfSubjectRulesReview', namespaced: false, subresources: [], nameRule: 'path', createOnly: true,
  defaults(o) {
    o['status'] = {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  },
};

export const reviews = [selfsubjectaccessreviews, selfsubjectrulesreviews, selfsubjectreviews];
