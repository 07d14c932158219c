import type { IncomingMessage } from 'node:http';

/** Who a request is, as an authenticator tells the authorizer (k8s.io/apiserver user.Info). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** The kubeconfig's admin: system:masters, which real API servers let through without RBAC. */
export const adminUser: UserInfo = { username: 'kubesim-admin', groups: ['system:masters', 'system:authenticated'] };

const users = new WeakMap<IncomingMessage, UserInfo>();

/** Remembers who sent a request once it is authenticated (handlers read it with userOf). */
export function setUser(req: IncomingMessage, user: UserInfo): void {
  users.set(req, user);
}

/** The authenticated user of a request; the admin for in-process calls that bypass authentication. */
export function userOf(req: IncomingMessage): UserInfo {
  return users.get(req) ?? adminUser;
}

/** "system:serviceaccount:NS:NAME", the username of a service account's tokens. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The user a service account's token authenticates as, with the groups real servers give it. */
export function serviceAccountUser(namespace: string, name: string, uid: string, extra?: Record<string, string[]>): UserInfo {
  return {
    username: serviceAccountUsername(namespace, name),
    uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    ...(extra && Object.keys(extra).length ? { extra } : {}),
  };
}
