import { BatonError } from '../errors.js';
import type { KubeObject } from '../kube/kube-object.js';

export const managedByLabel = 'app.kubernetes.io/managed-by';

/** Refuses weights a proxy would misread: a share outside 0..100 has no meaning. */
export function checkWeight(weight: number): void {
  if (!Number.isFinite(weight) || weight < 0 || weight > 100) {
    throw new BatonError('TRAFFIC_WEIGHT', `traffic weight ${weight} is outside 0..100`, { hint: 'use a setWeight between 0 and 100' });
  }
}

/**
 * A route object baton is about to write must be its own. One a person or another controller
 * made (no managed-by=baton label, or another field manager owns the traffic fields) is refused,
 * since overwriting it would silently move their traffic; `adopt: true` says taking it over is meant.
 */
export function checkOwnership(
  live: KubeObject | undefined,
  o: { adopt: boolean | undefined; fieldManager: string; trafficFields: string[] },
): void {
  if (live === undefined || o.adopt === true) return;
  const what = `${live.kind} ${live.metadata.namespace ?? ''}/${live.metadata.name}`;
  const hint = 'set traffic.adopt: true in baton.yaml to let baton take it over, or remove it';
  if (live.metadata.labels?.[managedByLabel] !== 'baton') {
    throw new BatonError(
      'TRAFFIC_NOT_MANAGED',
      `${what} exists and is not managed by baton (label ${managedByLabel}=${live.metadata.labels?.[managedByLabel] ?? '(none)'})`,
      { hint },
    );
  }
  const entries = (live.metadata.managedFields ?? []) as Array<{ manager?: string; fieldsV1?: unknown }>;
  for (const entry of entries) {
    if (entry.manager === o.fieldManager) continue;
    const fields = JSON.stringify(entry.fieldsV1 ?? {});
    const owned = o.trafficFields.find((f) => fields.includes(f));
    if (owned)
      throw new BatonError('TRAFFIC_NOT_MANAGED', `${what}: field manager ${entry.manager ?? '(unknown)'} owns ${owned}`, { hint });
  }
}

/** Labels baton puts on every object a router creates. */
export function routerLabels(): Record<string, string> {
  return { [managedByLabel]: 'baton' };
}
