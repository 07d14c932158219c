/** An image reference split into its parts: `registry/repo:tag@digest`. */
export interface ImageRef {
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

export function parseImageRef(ref: string): ImageRef {
  const [nameAndTag, digest] = ref.split('@', 2) as [string, string | undefined];
  // A colon after the last slash is a tag; one before it belongs to a registry host:port.
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  if (colon === -1) return { repository: nameAndTag, tag: undefined, digest };
  return { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest };
}

/**
 * Why an image reference is not pinned, or undefined when it is. `latest` and a missing tag both
 * mean "whatever was pushed last": the Castopod seed's "ticking time bomb".
 */
export function unpinnedReason(ref: string): string | undefined {
  const parsed = parseImageRef(ref);
  if (parsed.digest !== undefined) return undefined;
  if (parsed.tag === undefined) return `image "${ref}" has no tag, which means :latest`;
  if (parsed.tag === 'latest') return `image "${ref}" uses the :latest tag`;
  return undefined;
}

const pathComponent = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/**
 * The distribution reference grammar (what the registry and the kubelet accept):
 * `[host[:port]/]path[:tag][@algo:hex]`. Spaces, `;`, `$` and other shell characters never match.
 */
export const imageRefPattern = new RegExp(
  `^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?/)?${pathComponent}(?:/${pathComponent})*` +
    '(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$',
);
