import { ApiError, errors } from '../api-error.js';
import type { ObjectStore } from '../store/object-store.js';
import { isObject } from '../types.js';
import { issuer, type BoundObject, type ServiceAccountTokens } from './service-account-tokens.js';

/**
 * POST serviceaccounts/NAME/token (TokenRequest), as kube-apiserver answers it: audiences default
 * to the server's, expirationSeconds to 3600 (at least 600), an optional boundObjectRef (Pod,
 * Secret or Node) must exist with the given uid, and the token dies with the object it is bound to.
 */
export function requestToken(
  store: ObjectStore,
  tokens: ServiceAccountTokens,
  namespace: string,
  name: string,
  body: unknown,
  now: Date,
): Record<string, unknown> {
  const sa = store.get('/serviceaccounts', namespace, name);
  if (!sa) throw errors.notFound('serviceaccounts', '', name);
  const b = isObject(body) ? body : {};
  const spec = isObject(b['spec']) ? b['spec'] : {};
  const audiences = Array.isArray(spec['audiences']) && spec['audiences'].length ? spec['audiences'].map(String) : [issuer];
  const expirationSeconds = typeof spec['expirationSeconds'] === 'number' ? spec['expirationSeconds'] : 3600;
  if (expirationSeconds < 600) {
    throw errors.invalid('TokenRequest', 'authentication.k8s.io', name, [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.expirationSeconds',
        message: `Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`,
      },
    ]);
  }
  if (expirationSeconds > 2 ** 32) {
    throw errors.invalid('TokenRequest', 'authentication.k8s.io', name, [
      {
        reason: 'FieldValueTooLong',
        field: 'spec.expirationSeconds',
        message: `Invalid value: ${expirationSeconds}: may not specify a duration larger than 2^32 seconds`,
      },
    ]);
  }
  let bound: BoundObject | undefined;
  let node: { name: string; uid: string } | undefined;
  const ref = spec['boundObjectRef'];
  if (isObject(ref)) {
    const kind = String(ref['kind'] ?? '');
    const refName = String(ref['name'] ?? '');
    const key = kind === 'Pod' ? '/pods' : kind === 'Secret' ? '/secrets' : kind === 'Node' ? '/nodes' : undefined;
    if (!key) {
      throw errors.badRequest(
        `cannot bind token for serviceaccount "${name}" to object of type ${String(ref['apiVersion'] ?? 'v1')}, Kind=${kind}`,
      );
    }
    const o = store.get(key, kind === 'Node' ? undefined : namespace, refName);
    if (!o) throw errors.notFound(key.slice(1), '', refName);
    if (ref['uid'] && ref['uid'] !== o.metadata.uid) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${kind} "${refName}": the UID in the bound object reference (${String(ref['uid'])}) does not match the UID in record. The object might have been deleted and then recreated`,
        { name: refName, kind },
      );
    }
    bound = { kind: kind as BoundObject['kind'], name: refName, uid: o.metadata.uid ?? '' };
    const nodeName = kind === 'Pod' && isObject(o['spec']) ? o['spec']['nodeName'] : undefined;
    const n = typeof nodeName === 'string' ? store.get('/nodes', undefined, nodeName) : undefined;
    if (n) node = { name: nodeName as string, uid: n.metadata.uid ?? '' };
  }
  const issued = tokens.issue({
    namespace,
    serviceAccount: sa,
    audiences,
    expirationSeconds,
    now,
    ...(bound ? { bound } : {}),
    ...(node ? { node } : {}),
  });
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: null },
    spec: { audiences, expirationSeconds, boundObjectRef: isObject(ref) ? ref : null },
    status: issued,
  };
}
