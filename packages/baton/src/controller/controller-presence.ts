import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import { KubeApiError } from '../kube/kube-errors.js';

/** The controller's leader Lease, as install-manifests.ts names it (`baton install --namespace` moves it). */
export const controllerLease = { namespace: 'baton-system', name: 'baton-controller' } as const;

interface LeaseObject extends KubeObject {
  spec?: { holderIdentity?: string | null; leaseDurationSeconds?: number; renewTime?: string | null };
}

/**
 * Whether a controller leads now, read from its Lease: `leading` (a holder renewed within its
 * lease), `absent` (no Lease, no holder, or expired: nobody acts on Releases), or `unknown` (the
 * Lease could not be read, e.g. the user may not get Leases in that namespace).
 */
export type ControllerPresence = { kind: 'leading'; holder: string } | { kind: 'absent'; why: string } | { kind: 'unknown'; why: string };

/** The commands that show why no controller acts, for error hints. */
export function howToCheckController(namespace: string = controllerLease.namespace): string {
  return `check it with: kubectl -n ${namespace} get pods -l app.kubernetes.io/name=baton,app.kubernetes.io/component=controller; kubectl -n ${namespace} get lease ${controllerLease.name} -o yaml (install it with baton install --apply)`;
}

export async function controllerPresence(
  kube: KubeClient,
  o: { namespace?: string; now?: () => number } = {},
): Promise<ControllerPresence> {
  const namespace = o.namespace ?? controllerLease.namespace;
  let lease: LeaseObject | undefined;
  try {
    lease = await kube.get<LeaseObject>({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: controllerLease.name, namespace });
  } catch (error) {
    if (error instanceof KubeApiError && error.status !== 0) return { kind: 'unknown', why: error.message };
    throw error;
  }
  if (lease === undefined)
    return { kind: 'absent', why: `there is no Lease ${namespace}/${controllerLease.name}: no controller has ever led in this cluster` };
  const holder = lease.spec?.holderIdentity ?? '';
  if (holder === '')
    return { kind: 'absent', why: `the Lease ${namespace}/${controllerLease.name} has no holder: no controller replica leads` };
  const renewed = Date.parse(lease.spec?.renewTime ?? '');
  // A few seconds of grace over the lease: the reader's clock is not the renewer's.
  const validMs = ((lease.spec?.leaseDurationSeconds ?? 15) + 5) * 1000;
  const now = (o.now ?? Date.now)();
  if (Number.isFinite(renewed) && now - renewed > validMs) {
    return {
      kind: 'absent',
      why: `the Lease ${namespace}/${controllerLease.name} was last renewed by ${holder} ${Math.round((now - renewed) / 1000)} s ago and has expired: no controller replica leads`,
    };
  }
  return { kind: 'leading', holder };
}
