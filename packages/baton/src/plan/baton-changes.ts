import type { PlannedStep } from '../engine/step.js';
import type { ReleaseEntry } from '../kube/release-history.js';
import type { Drift } from './drift.js';

/**
 * What baton itself changes on the objects it upgrades, so that `baton diff` right after a clean
 * upgrade reports no drift: a difference there is baton's doing, not someone's hand.
 *   - the managed container's image: baton sets it from spec.image.ref; a live image that is the
 *     one this plan applies or one baton recorded in the release history is its own;
 *   - ConfigMap / Secret references: baton points the pod template at immutable copies named
 *     `<name>-<10 hex digits of their content>` (config-snapshot); such a name is its own;
 *   - the replicas of a Deployment whose release no longer serves (blue-green, rainbow): baton
 *     scaled it to 0;
 *   - the rollout policy a rollout step of this plan applies to that object (strategy, progress
 *     deadline, labels): a live value equal to what baton would apply again is its own.
 * A value that matches none of these (an image set with `kubectl set image`, a scaled Deployment)
 * stays drift.
 */
export function batonChanges(o: { steps: readonly PlannedStep[]; history: readonly ReleaseEntry[]; image: string }): (d: Drift) => boolean {
  const applied = new Map<string, unknown>();
  for (const step of o.steps) {
    const deployment = step.kind === 'rollout' ? step.params['deployment'] : undefined;
    const name = isRecord(deployment) && isRecord(deployment['metadata']) ? deployment['metadata']['name'] : undefined;
    if (typeof name === 'string' && !applied.has(`Deployment/${name}`)) applied.set(`Deployment/${name}`, deployment);
  }
  const images = new Set([o.image, ...o.history.map((h) => h.image)]);
  const retired = retiredDeployments(o.history);
  return (d) => {
    if (d.field === '(object)') return false;
    if (d.field === 'spec.replicas' && d.cluster === 0 && retired.has(d.resource)) return true;
    if (/\.image$/.test(d.field) && typeof d.cluster === 'string' && images.has(d.cluster) && d.resource.startsWith('Deployment/'))
      return true;
    if (isHashedCopy(d)) return true;
    const planned = applied.get(d.resource);
    return planned !== undefined && policyField.test(d.field) && d.cluster !== undefined && sameValue(valueAt(planned, d.field), d.cluster);
  };
}

/**
 * Deployments of earlier releases that no longer serve (blue-green's old colour, rainbow's old
 * releases): baton scaled them to 0 itself.
 */
export function retiredDeployments(history: readonly ReleaseEntry[]): Set<string> {
  const serving = history.at(-1)?.deployment;
  return new Set(
    history
      .map((h) => h.deployment)
      .filter((name) => name !== serving)
      .map((name) => `Deployment/${name}`),
  );
}

/**
 * Fields baton sets from its own policy on every rollout. Not replicas: the plan keeps the live
 * count to hold capacity, so a planned value equal to the live one proves nothing there.
 */
const policyField = /^(spec\.strategy(\.|$)|spec\.progressDeadlineSeconds$|spec\.template\.metadata\.labels\.|metadata\.labels\.)/;

/** Fields that name a ConfigMap or Secret in a pod template. */
const configRefField = /(configMapRef|secretRef|configMapKeyRef|secretKeyRef|configMap)\.name$|secret\.secretName$|\.secret\.name$/;

function isHashedCopy(d: Drift): boolean {
  if (!configRefField.test(d.field) || typeof d.manifest !== 'string' || typeof d.cluster !== 'string') return false;
  return (
    d.cluster.length === Math.min(d.manifest.length, 52) + 11 &&
    d.cluster.startsWith(`${d.manifest.slice(0, 52)}-`) &&
    /-[0-9a-f]{10}$/.test(d.cluster)
  );
}

/** Splits a drift field ("spec.template.spec.containers.[app].image") into its segments; names may hold dots. */
export function fieldSegments(field: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of field) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '.' && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out.filter((s) => s !== '');
}

function valueAt(root: unknown, field: string): unknown {
  let cur: unknown = root;
  for (const seg of fieldSegments(field)) {
    const item = /^\[(.*)\]$/.exec(seg);
    if (item) {
      if (!Array.isArray(cur)) return undefined;
      const key = item[1] ?? '';
      const named = cur.find((x) => isRecord(x) && x['name'] === key);
      cur = named ?? (/^\d+$/.test(key) ? cur[Number(key)] : undefined);
    } else {
      if (!isRecord(cur)) return undefined;
      cur = cur[seg];
    }
  }
  return cur;
}

function sameValue(a: unknown, b: unknown): boolean {
  if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string')) return String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
