import { fieldErrors } from '../field-errors.js';
import type { ResourceDescriptor } from '../resource-descriptor.js';
import { isObject, type KubeObject } from '../types.js';

/**
 * Create-only review resources, answered and never stored. Their status is computed by the
 * request handler (auth/access-reviews.ts), which knows who is asking.
 */
const oneOfAttributes = (o: KubeObject): ReturnType<typeof fieldErrors.invalid>[] => {
  const s = isObject(o['spec']) ? o['spec'] : {};
  return isObject(s['resourceAttributes']) || isObject(s['nonResourceAttributes'])
    ? []
    : [fieldErrors.invalid('spec', s, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
};

const review = (group: string, resource: string, kind: string, namespaced = false): ResourceDescriptor => ({
  group,
  version: 'v1',
  resource,
  singular: kind.toLowerCase(),
  kind,
  namespaced,
  subresources: [],
  nameRule: 'path',
  createOnly: true,
});

export const selfsubjectaccessreviews: ResourceDescriptor = {
  ...review('authorization.k8s.io', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview'),
  validate: oneOfAttributes,
};
export const subjectaccessreviews: ResourceDescriptor = {
  ...review('authorization.k8s.io', 'subjectaccessreviews', 'SubjectAccessReview'),
  validate(o) {
    const s = isObject(o['spec']) ? o['spec'] : {};
    const who =
      s['user'] || (Array.isArray(s['groups']) && s['groups'].length)
        ? []
        : [fieldErrors.invalid('spec.user', '', 'at least one of user or group must be specified')];
    return [...oneOfAttributes(o), ...who];
  },
};
export const localsubjectaccessreviews: ResourceDescriptor = {
  ...review('authorization.k8s.io', 'localsubjectaccessreviews', 'LocalSubjectAccessReview', true),
  validate: oneOfAttributes,
};
export const selfsubjectrulesreviews = review('authorization.k8s.io', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview');
export const selfsubjectreviews = review('authentication.k8s.io', 'selfsubjectreviews', 'SelfSubjectReview');
export const tokenreviews = review('authentication.k8s.io', 'tokenreviews', 'TokenReview');

export const reviews = [
  selfsubjectaccessreviews,
  subjectaccessreviews,
  localsubjectaccessreviews,
  selfsubjectrulesreviews,
  selfsubjectreviews,
  tokenreviews,
];
