import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import { isConflict, isNotFound } from './kube-clients.js';

interface Owned {
  metadata?: V1ObjectMeta;
}

/** What `claim` needs: the owner reference to add, the candidates and how to write one. */
export interface ClaimOptions<T extends Owned> {
  owner: V1OwnerReference;
  ownerDeleting: boolean;
  candidates: readonly T[];
  matches: (obj: T) => boolean;
  /**
   * Writes the child's new ownerReferences. Use a merge patch carrying the cached
   * resourceVersion (see `ownerPatch`): a full PUT of a pod would also resend its immutable spec.
   */
  replace: (obj: T) => Promise<T>;
}

/**
 * ControllerRefManager's claim: keep the children we control that still match, adopt matching
 * orphans (controller ownerReference added), release children whose labels stopped matching
 * (ownerReference removed, the way `kubectl label pod x app-` takes a pod out for debugging).
 * An owner being deleted adopts nothing. A child that changed or vanished meanwhile is skipped;
 * its watch event brings the owner back.
 */
export async function claim<T extends Owned>(o: ClaimOptions<T>): Promise<T[]> {
  const out: T[] = [];
  for (const child of o.candidates) {
    const refs = child.metadata?.ownerReferences ?? [];
    const ctrl = refs.find((r) => r.controller === true);
    try {
      if (ctrl) {
        if (ctrl.uid !== o.owner.uid) continue;
        if (o.matches(child)) {
          out.push(child);
        } else if (!o.ownerDeleting && !child.metadata?.deletionTimestamp) {
          await o.replace({ ...child, metadata: { ...child.metadata, ownerReferences: refs.filter((r) => r.uid !== o.owner.uid) } });
        }
        continue;
      }
      if (o.ownerDeleting || child.metadata?.deletionTimestamp || !o.matches(child)) continue;
      const adopted = await o.replace({ ...child, metadata: { ...child.metadata, ownerReferences: [...refs, o.owner] } });
      out.push(adopted);
    } catch (err) {
      if (!isConflict(err) && !isNotFound(err)) throw err;
    }
  }
  return out;
}

/**
 * The merge patch that sets a child's ownerReferences, guarded by its resourceVersion (a stale
 * cache gets a 409) and uid (a re-created namesake is never claimed), as ControllerRefManager's
 * patches are.
 */
export function ownerPatch(obj: Owned): { metadata: { ownerReferences: V1OwnerReference[]; resourceVersion?: string; uid?: string } } {
  return {
    metadata: {
      ownerReferences: obj.metadata?.ownerReferences ?? [],
      resourceVersion: obj.metadata?.resourceVersion,
      uid: obj.metadata?.uid,
    },
  };
}
