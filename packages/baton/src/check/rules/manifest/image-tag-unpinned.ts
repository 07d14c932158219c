import type { ManifestRule } from '../../manifest/manifest-rule.js';
import { workloads } from '../../manifest/workloads.js';

/** The tag part of an image reference (after the last '/', so registry ports are not tags). */
function tagOf(image: string): string | undefined {
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.indexOf(':');
  return colon === -1 ? undefined : name.slice(colon + 1);
}

/**
 * `latest` or no tag means the version that runs depends on when a node pulls: two pods of one
 * "release" can run different code, and a rollback cannot name what to go back to.
 */
export const imageTagUnpinned: ManifestRule = {
  severity: 'error',
  summary: 'image without a pinned tag (latest or none)',
  check: (manifests) =>
    workloads(manifests).flatMap((w) =>
      w.containers.flatMap((c) => {
        const image = c.container['image'];
        if (typeof image !== 'string' || image.includes('@sha256:')) return [];
        const tag = tagOf(image);
        if (tag !== undefined && tag !== 'latest') return [];
        return [
          {
            manifest: w.manifest,
            path: [...c.path, 'image'],
            message: `container ${c.name} of ${w.kind} ${w.name} uses image ${image} ${tag === undefined ? 'without a tag' : 'tagged latest'}: which version runs depends on when each node pulls`,
            hint: `Pin an immutable version: ${image.replace(/:latest$/, '')}:<version> or ${image.replace(/:latest$/, '')}@sha256:<digest>.`,
          },
        ];
      }),
    ),
};
