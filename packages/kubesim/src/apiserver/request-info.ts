/** What a request URL addresses. */
export type RequestTarget =
  | {
      type: 'resource';
      group: string;
      version: string;
      namespace?: string;
      resource: string;
      name?: string;
      subresource?: string;
      legacyWatch: boolean;
    }
  | { type: 'discovery'; path: string };

/**
 * Splits /api/v1/... and /apis/GROUP/VERSION/... into their parts, including the
 * namespaces/NAME/RESOURCE form and the deprecated /watch/ prefix.
 */
export function parseTarget(
  pathname: string,
  isNamespacedResource: (group: string, version: string, resource: string) => boolean,
): RequestTarget {
  const segs = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  let group: string, version: string, rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) {
    group = '';
    version = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1]!;
    version = segs[2]!;
    rest = segs.slice(3);
  } else return { type: 'discovery', path: '/' + segs.join('/') };
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  const notFound = { type: 'discovery' as const, path: '/404' + pathname };
  if (rest[0] === 'namespaces' && rest.length >= 3 && isNamespacedResource(group, version, rest[2]!)) {
    if (rest.length > 5) return notFound;
    const [, namespace, resource, name, subresource] = rest;
    return {
      type: 'resource',
      group,
      version,
      namespace: namespace!,
      resource: resource!,
      ...(name !== undefined ? { name } : {}),
      ...(subresource !== undefined ? { subresource } : {}),
      legacyWatch,
    };
  }
  if (rest.length > 3) return notFound;
  const [resource, name, subresource] = rest;
  return {
    type: 'resource',
    group,
    version,
    resource: resource!,
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    legacyWatch,
  };
}
