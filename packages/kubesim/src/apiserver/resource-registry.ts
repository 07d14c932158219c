import type { ResourceDescriptor } from './resource-descriptor.js';
import { descriptorsForCrd } from './resources/apiextensions-v1.js';
import { apiextensionsV1 } from './resources/apiextensions-v1.js';
import { appsV1 } from './resources/apps-v1.js';
import { batchV1 } from './resources/batch-v1.js';
import { coreV1 } from './resources/core-v1.js';
import { networkingV1 } from './resources/networking-v1.js';
import { smallGroups } from './resources/small-groups.js';
import { reviews } from './resources/reviews.js';
import { storedOnly } from './resources/stored-only.js';
import type { KubeObject } from './types.js';

/** Storage key shared by every version of a resource: "group/resource". */
export function storageKey(d: { group: string; resource: string }): string {
  return `${d.group}/${d.resource}`;
}

/**
 * The served resources: built-in groups plus whatever stored CRDs add. Lookups are by
 * group/version/resource (URLs) and by group/kind (ownerReferences, apply bodies).
 */
export class ResourceRegistry {
  private readonly builtIn: ResourceDescriptor[] = [
    ...coreV1,
    ...appsV1,
    ...batchV1,
    ...smallGroups,
    ...networkingV1,
    ...apiextensionsV1,
    ...storedOnly,
    ...reviews,
  ];
  private readonly crds = new Map<string, ResourceDescriptor[]>();

  all(): ResourceDescriptor[] {
    return [...this.builtIn, ...[...this.crds.values()].flat()];
  }

  find(group: string, version: string, resource: string): ResourceDescriptor | undefined {
    return this.all().find((d) => d.group === group && d.version === version && d.resource === resource);
  }

  findKind(group: string, version: string, kind: string): ResourceDescriptor | undefined {
    return this.all().find((d) => d.group === group && d.version === version && d.kind === kind);
  }

  /** The (first served) descriptor for a storage key "group/resource". */
  byKey(key: string): ResourceDescriptor | undefined {
    return this.all().find((d) => storageKey(d) === key);
  }

  /** Whether a group/version is served at all (for 404 vs. NotFound on unknown resources). */
  hasGroupVersion(group: string, version: string): boolean {
    return this.all().some((d) => d.group === group && d.version === version);
  }

  /** Groups with their versions, preferred version first (first listed in the CRD / built-in). */
  groups(): { group: string; versions: string[] }[] {
    const out = new Map<string, string[]>();
    for (const d of this.all()) {
      if (d.group === '') continue;
      const vs = out.get(d.group) ?? [];
      if (!vs.includes(d.version)) vs.push(d.version);
      out.set(d.group, vs);
    }
    return [...out].map(([group, versions]) => ({ group, versions }));
  }

  /** Starts (or refreshes) serving what a CRD declares. */
  setCrd(crd: KubeObject): void {
    this.crds.set(crd.metadata.name ?? '', descriptorsForCrd(crd));
  }

  removeCrd(name: string): void {
    this.crds.delete(name);
  }
}
