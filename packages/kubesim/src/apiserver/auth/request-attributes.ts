import type { RequestTarget } from '../request-info.js';

/**
 * What an authorizer decides on (k8s.io/apiserver authorizer.Attributes), derived from a request
 * as the real RequestInfoFactory does.
 */
export type Attributes =
  | {
      resourceRequest: true;
      verb: string;
      apiGroup: string;
      apiVersion: string;
      namespace: string;
      resource: string;
      subresource: string;
      name: string;
    }
  | { resourceRequest: false; verb: string; path: string };

const connectSubresources = new Set(['exec', 'attach', 'portforward', 'proxy']);

export function requestAttributes(method: string, url: URL, t: RequestTarget): Attributes {
  const m = method.toUpperCase();
  if (t.type !== 'resource') return { resourceRequest: false, verb: m.toLowerCase(), path: url.pathname };
  const q = url.searchParams;
  const watch = t.legacyWatch || q.get('watch') === 'true' || q.get('watch') === '1';
  let verb: string;
  switch (m) {
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = t.name === undefined ? 'deletecollection' : 'delete';
      break;
    case 'GET':
    case 'HEAD':
      verb = t.name === undefined || watch ? (watch ? 'watch' : 'list') : 'get';
      break;
    default:
      verb = m.toLowerCase();
  }
  if (t.subresource && connectSubresources.has(t.subresource)) verb = m === 'POST' ? 'create' : m === 'GET' ? 'get' : verb;
  let name = t.name ?? '';
  // A list or watch of one object by field selector is authorized for that name (resourceNames).
  if (!name && (verb === 'list' || verb === 'watch')) {
    const fs = q.get('fieldSelector') ?? '';
    const one = /^metadata\.name==?([^,]+)$/.exec(fs);
    if (one) name = one[1]!;
  }
  // /api/v1/namespaces/NAME addresses the namespace NAME itself, and is inside it.
  const namespace = t.namespace ?? (t.resource === 'namespaces' && t.name ? t.name : '');
  return {
    resourceRequest: true,
    verb,
    apiGroup: t.group,
    apiVersion: t.version,
    namespace,
    resource: t.resource,
    subresource: t.subresource ?? '',
    name,
  };
}
