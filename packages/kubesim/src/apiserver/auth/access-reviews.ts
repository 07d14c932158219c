import { errors } from '../api-error.js';
import { isObject, type KubeObject } from '../types.js';
import type { RbacAuthorizer } from './rbac-authorizer.js';
import type { Attributes } from './request-attributes.js';
import type { ServiceAccountTokens } from './service-account-tokens.js';
import { issuer } from './service-account-tokens.js';
import type { UserInfo } from './user-info.js';

export interface ReviewDeps {
  rbac: RbacAuthorizer;
  tokens: ServiceAccountTokens;
  adminToken: string;
  adminUser: UserInfo;
  now(): Date;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function attributesOf(spec: Record<string, unknown>): Attributes {
  const ra = spec['resourceAttributes'];
  if (isObject(ra)) {
    return {
      resourceRequest: true,
      verb: str(ra['verb']),
      apiGroup: str(ra['group']),
      apiVersion: str(ra['version']),
      namespace: str(ra['namespace']),
      resource: str(ra['resource']),
      subresource: str(ra['subresource']),
      name: str(ra['name']),
    };
  }
  const nra = isObject(spec['nonResourceAttributes']) ? spec['nonResourceAttributes'] : {};
  return { resourceRequest: false, verb: str(nra['verb']), path: str(nra['path']) };
}

function decision(deps: ReviewDeps, user: UserInfo, a: Attributes): Record<string, unknown> {
  const d = deps.rbac.authorize(user, a);
  // omitempty: a denial without a reason is just {allowed: false}.
  return d.reason ? { allowed: d.allowed, reason: d.reason } : { allowed: d.allowed };
}

/**
 * The status the real server computes for the review kinds (never stored): access reviews ask
 * the authorizer, rules reviews list the rules RBAC grants, SelfSubjectReview echoes the caller,
 * TokenReview authenticates a token.
 */
export function answerReview(
  deps: ReviewDeps,
  resource: string,
  review: KubeObject,
  caller: UserInfo,
  namespace: string | undefined,
): unknown {
  const spec = isObject(review['spec']) ? review['spec'] : {};
  switch (resource) {
    case 'selfsubjectaccessreviews':
      return decision(deps, caller, attributesOf(spec));
    case 'localsubjectaccessreviews': {
      const ra = isObject(spec['resourceAttributes']) ? spec['resourceAttributes'] : {};
      if (str(ra['namespace']) !== (namespace ?? '')) {
        throw errors.badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace ?? ''}`);
      }
      return decision(deps, subjectOf(spec), attributesOf(spec));
    }
    case 'subjectaccessreviews':
      return decision(deps, subjectOf(spec), attributesOf(spec));
    case 'selfsubjectrulesreviews': {
      const { resource: rules, nonResource } = deps.rbac.rulesFor(caller, str(spec['namespace']));
      return {
        resourceRules: rules.map((r) => ({
          verbs: r.verbs,
          ...(r.apiGroups ? { apiGroups: r.apiGroups } : {}),
          ...(r.resources ? { resources: r.resources } : {}),
          ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
        })),
        nonResourceRules: nonResource.map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs ?? [] })),
        incomplete: false,
      };
    }
    case 'selfsubjectreviews':
      return { userInfo: userInfoJson(caller) };
    case 'tokenreviews': {
      const token = str(spec['token']);
      const user = token === deps.adminToken ? deps.adminUser : deps.tokens.authenticate(token, deps.now());
      return user ? { authenticated: true, user: userInfoJson(user), audiences: [issuer] } : { user: {}, error: 'invalid bearer token' };
    }
    default:
      return {};
  }
}

function subjectOf(spec: Record<string, unknown>): UserInfo {
  const groups = Array.isArray(spec['groups']) ? spec['groups'].map(String) : [];
  const extra = isObject(spec['extra'])
    ? Object.fromEntries(Object.entries(spec['extra']).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : []]))
    : undefined;
  return { username: str(spec['user']), groups, ...(str(spec['uid']) ? { uid: str(spec['uid']) } : {}), ...(extra ? { extra } : {}) };
}

function userInfoJson(u: UserInfo): Record<string, unknown> {
  return { username: u.username, ...(u.uid ? { uid: u.uid } : {}), groups: u.groups, ...(u.extra ? { extra: u.extra } : {}) };
}
