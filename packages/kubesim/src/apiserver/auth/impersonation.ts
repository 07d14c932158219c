import type { IncomingMessage } from 'node:http';
import { errors } from '../api-error.js';
import { forbiddenMessage, type RbacAuthorizer } from './rbac-authorizer.js';
import type { Attributes } from './request-attributes.js';
import { serviceAccountUser, type UserInfo } from './user-info.js';

/**
 * User impersonation (`kubectl --as=... --as-group=...`), as kube-apiserver's impersonation
 * filter: the caller needs the `impersonate` verb on users / groups / serviceaccounts (/ uids,
 * userextras), and the request then runs as the impersonated user. A service-account username
 * gets the service-account groups; every impersonated user is in system:authenticated.
 */
export function impersonate(req: IncomingMessage, caller: UserInfo, rbac: RbacAuthorizer): UserInfo {
  const header = (n: string): string[] => {
    const v = req.headers[n];
    return v === undefined ? [] : (Array.isArray(v) ? v : v.split(',')).map((x) => x.trim()).filter(Boolean);
  };
  const user = header('impersonate-user')[0];
  const groups = header('impersonate-group');
  const uid = header('impersonate-uid')[0];
  if (user === undefined) {
    if (groups.length || uid) throw errors.badRequest('requested [Impersonate-Group / Impersonate-Uid] without impersonating a user');
    return caller;
  }
  const check = (a: Attributes): void => {
    if (rbac.authorize(caller, a).allowed) return;
    const f = forbiddenMessage(caller, a);
    throw errors.forbidden(f.message, f.details);
  };
  const res = (resource: string, name: string, namespace = ''): Attributes => ({
    resourceRequest: true,
    verb: 'impersonate',
    apiGroup: '',
    apiVersion: 'v1',
    namespace,
    resource,
    subresource: '',
    name,
  });
  let out: UserInfo;
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
  if (sa) {
    check(res('serviceaccounts', sa[2]!, sa[1]!));
    out = serviceAccountUser(sa[1]!, sa[2]!, uid ?? '');
  } else {
    check(res('users', user));
    out = { username: user, groups: [] };
  }
  for (const g of groups) {
    check(res('groups', g));
    if (!out.groups.includes(g)) out.groups.push(g);
  }
  if (uid) {
    check({
      resourceRequest: true,
      verb: 'impersonate',
      apiGroup: 'authentication.k8s.io',
      apiVersion: 'v1',
      namespace: '',
      resource: 'uids',
      subresource: '',
      name: uid,
    });
    out.uid = uid;
  }
  if (!out.groups.includes('system:authenticated') && user !== 'system:anonymous') out.groups.push('system:authenticated');
  return out;
}
