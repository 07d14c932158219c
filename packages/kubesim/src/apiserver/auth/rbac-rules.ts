import { isObject, type KubeObject } from '../types.js';
import type { Attributes } from './request-attributes.js';
import type { UserInfo } from './user-info.js';

/** One rbac.authorization.k8s.io/v1 PolicyRule. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function rulesOf(role: KubeObject | undefined): PolicyRule[] {
  const rules = role?.['rules'];
  if (!Array.isArray(rules)) return [];
  return rules.filter(isObject).map((r) => {
    const out: PolicyRule = { verbs: strings(r['verbs']) };
    for (const k of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const)
      if (Array.isArray(r[k])) out[k] = strings(r[k]);
    return out;
  });
}

// The matching functions of plugin/pkg/auth/authorizer/rbac (rbac.go), one for one.
const verbMatches = (r: PolicyRule, verb: string): boolean => r.verbs.includes('*') || r.verbs.includes(verb);
const groupMatches = (r: PolicyRule, group: string): boolean => (r.apiGroups ?? []).some((g) => g === '*' || g === group);

function resourceMatches(r: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (r.resources ?? []).some((x) => x === '*' || x === combined || (subresource !== '' && x === `*/${subresource}`));
}

const nameMatches = (r: PolicyRule, name: string): boolean => !r.resourceNames?.length || r.resourceNames.includes(name);

function urlMatches(r: PolicyRule, path: string): boolean {
  return (r.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

export function ruleAllows(a: Attributes, r: PolicyRule): boolean {
  if (a.resourceRequest) {
    return verbMatches(r, a.verb) && groupMatches(r, a.apiGroup) && resourceMatches(r, a.resource, a.subresource) && nameMatches(r, a.name);
  }
  return verbMatches(r, a.verb) && urlMatches(r, a.path);
}

export interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
  apiGroup?: string;
}

/** Whether a binding's subject is this user; ServiceAccount subjects default to the binding's namespace. */
export function subjectMatches(s: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === user.username;
    case 'Group':
      return s.name !== undefined && user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return user.username === `system:serviceaccount:${ns}:${s.name ?? ''}`;
    }
    default:
      return false;
  }
}

export function subjectsOf(binding: KubeObject): Subject[] {
  const s = binding['subjects'];
  return Array.isArray(s) ? s.filter(isObject).map((x) => x as Subject) : [];
}
