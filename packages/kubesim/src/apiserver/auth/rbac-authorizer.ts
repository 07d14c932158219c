import type { ObjectStore } from '../store/object-store.js';
import { isObject, type KubeObject } from '../types.js';
import type { Attributes } from './request-attributes.js';
import { ruleAllows, rulesOf, subjectMatches, subjectsOf, type PolicyRule } from './rbac-rules.js';
import type { UserInfo } from './user-info.js';

export interface Decision {
  allowed: boolean;
  reason: string;
}

const group = 'rbac.authorization.k8s.io';

interface Grant {
  binding: KubeObject;
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  roleKind: string;
  roleName: string;
  rules: PolicyRule[];
}

/**
 * The RBAC authorizer over the stored Roles, ClusterRoles and bindings, evaluated per request as
 * kube-apiserver's: ClusterRoleBindings everywhere, RoleBindings only inside their namespace
 * (non-resource URLs only through ClusterRoleBindings), a binding to a missing role grants
 * nothing, an unknown verb in a rule matches no request. system:masters is allowed before RBAC
 * is consulted, as the real server's privileged-group authorizer does.
 */
export class RbacAuthorizer {
  constructor(private readonly store: ObjectStore) {}

  authorize(user: UserInfo, a: Attributes): Decision {
    if (user.groups.includes('system:masters')) return { allowed: true, reason: '' };
    for (const g of this.grants(user, a.resourceRequest ? a.namespace : '')) {
      if (!a.resourceRequest && g.kind === 'RoleBinding') continue;
      if (g.rules.some((r) => ruleAllows(a, r))) {
        const where =
          g.kind === 'RoleBinding'
            ? `RoleBinding "${g.binding.metadata.name}/${g.binding.metadata.namespace}"`
            : `ClusterRoleBinding "${g.binding.metadata.name}"`;
        return {
          allowed: true,
          reason: `RBAC: allowed by ${where} of ${g.roleKind} "${g.roleName}" to ${this.subjectText(g.binding, user)}`,
        };
      }
    }
    return { allowed: false, reason: '' };
  }

  /** The rules that apply to a user in a namespace ("" = cluster scope), for SelfSubjectRulesReview. */
  rulesFor(user: UserInfo, namespace: string): { resource: PolicyRule[]; nonResource: PolicyRule[] } {
    const resource: PolicyRule[] = [];
    const nonResource: PolicyRule[] = [];
    for (const g of this.grants(user, namespace)) {
      for (const r of g.rules) {
        if (r.nonResourceURLs?.length) {
          if (g.kind === 'ClusterRoleBinding') nonResource.push(r);
        } else resource.push(r);
      }
    }
    return { resource, nonResource };
  }

  private *grants(user: UserInfo, namespace: string): Generator<Grant> {
    for (const b of this.store.list(`${group}/clusterrolebindings`)) {
      if (!subjectsOf(b).some((s) => subjectMatches(s, user, ''))) continue;
      const ref = roleRef(b);
      if (ref.kind !== 'ClusterRole') continue;
      yield {
        binding: b,
        kind: 'ClusterRoleBinding',
        roleKind: 'ClusterRole',
        roleName: ref.name,
        rules: rulesOf(this.store.get(`${group}/clusterroles`, undefined, ref.name)),
      };
    }
    if (!namespace) return;
    for (const b of this.store.list(`${group}/rolebindings`, namespace)) {
      if (!subjectsOf(b).some((s) => subjectMatches(s, user, namespace))) continue;
      const ref = roleRef(b);
      const role =
        ref.kind === 'ClusterRole'
          ? this.store.get(`${group}/clusterroles`, undefined, ref.name)
          : ref.kind === 'Role'
            ? this.store.get(`${group}/roles`, namespace, ref.name)
            : undefined;
      yield { binding: b, kind: 'RoleBinding', roleKind: ref.kind, roleName: ref.name, rules: rulesOf(role) };
    }
  }

  private subjectText(b: KubeObject, user: UserInfo): string {
    const s = subjectsOf(b).find((x) => subjectMatches(x, user, b.metadata.namespace ?? ''));
    if (s?.kind === 'ServiceAccount') return `ServiceAccount "${s.name}/${s.namespace || b.metadata.namespace}"`;
    return `${s?.kind ?? 'User'} "${s?.name ?? user.username}"`;
  }
}

function roleRef(b: KubeObject): { kind: string; name: string } {
  const r = b['roleRef'];
  return isObject(r) ? { kind: String(r['kind'] ?? ''), name: String(r['name'] ?? '') } : { kind: '', name: '' };
}

/** The real server's 403 message (responsewriters.forbiddenMessage + apierrors.NewForbidden). */
export function forbiddenMessage(
  user: UserInfo,
  a: Attributes,
): { message: string; details: { group?: string; kind?: string; name?: string } } {
  if (!a.resourceRequest) return { message: `forbidden: User "${user.username}" cannot ${a.verb} path "${a.path}"`, details: {} };
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const why = `User "${user.username}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}`;
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const message = a.name ? `${qualified} "${a.name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
  return { message, details: { ...(a.name ? { name: a.name } : {}), ...(a.apiGroup ? { group: a.apiGroup } : {}), kind: a.resource } };
}
