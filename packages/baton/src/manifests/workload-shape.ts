import { BatonError } from '../errors.js';
import type { LoadedManifest } from './loaded-manifest.js';

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

type Fields = Record<string, unknown>;
const fieldsOf = (value: unknown): Fields | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;

/**
 * The workload fields the API server refuses (422) or that make an upgrade meaningless: replicas
 * that are not a whole number >= 0, no selector, a selector the pod template's labels do not
 * satisfy, no containers, a rolling update with maxSurge and maxUnavailable both 0. Read from the files, so plan and upgrade refuse them (exit 2, file:line)
 * before connecting to anything, instead of after a backup and a migration.
 */
export function workloadShapeProblems(manifests: readonly LoadedManifest[]): string[] {
  const problems: string[] = [];
  for (const m of manifests) {
    if (!workloadKinds.has(m.object.kind)) continue;
    const at = (path: (string | number)[], what: string): void => {
      problems.push(`${m.file}:${m.pathLine(path)}: ${m.object.kind} ${m.object.metadata.name}: ${what}`);
    };
    const spec = fieldsOf(m.object['spec']);
    if (!spec) {
      at([], 'has no spec');
      continue;
    }
    const replicas = spec['replicas'];
    if (replicas !== undefined && !(typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= 0)) {
      at(['spec', 'replicas'], `spec.replicas ${JSON.stringify(replicas)} is not a whole number of 0 or more (write e.g. replicas: 3)`);
    }
    const selector = fieldsOf(spec['selector']);
    const matchLabels = fieldsOf(selector?.['matchLabels']);
    if (!selector || (!matchLabels && !Array.isArray(selector['matchExpressions']))) {
      at(['spec'], 'has no spec.selector.matchLabels: add the labels of its pod template (e.g. selector: { matchLabels: { app: web } })');
    }
    const template = fieldsOf(spec['template']);
    const labels = fieldsOf(fieldsOf(template?.['metadata'])?.['labels']) ?? {};
    const unmatched = Object.entries(matchLabels ?? {}).filter(([key, value]) => labels[key] !== value);
    if (unmatched.length > 0) {
      at(
        ['spec', 'selector'],
        `spec.selector.matchLabels ${unmatched.map(([k, v]) => `${k}=${String(v)}`).join(', ')} not in spec.template.metadata.labels: the Deployment would select none of its own pods (make them agree)`,
      );
    }
    const rollingUpdate = fieldsOf(fieldsOf(spec['strategy'])?.['rollingUpdate']);
    if (rollingUpdate && isZero(rollingUpdate['maxSurge']) && isZero(rollingUpdate['maxUnavailable'])) {
      at(
        ['spec', 'strategy', 'rollingUpdate'],
        'spec.strategy.rollingUpdate has maxSurge 0 and maxUnavailable 0: no pod could ever be replaced (the API server refuses it); for zero downtime write maxSurge: 1, maxUnavailable: 0',
      );
    }
    const containers = fieldsOf(template?.['spec'])?.['containers'];
    if (!Array.isArray(containers) || containers.length === 0) at(['spec', 'template'], 'has no spec.template.spec.containers');
  }
  return problems;
}

/** 0, "0" or "0%": an int-or-string that allows no pod. */
function isZero(value: unknown): boolean {
  return value === 0 || value === '0' || value === '0%';
}

/** Throws MANIFEST_INVALID listing every problem of workloadShapeProblems, or returns. */
export function refuseMalformedWorkloads(manifests: readonly LoadedManifest[]): void {
  const problems = workloadShapeProblems(manifests);
  if (problems.length === 0) return;
  throw new BatonError(
    'MANIFEST_INVALID',
    `the manifests have ${problems.length} invalid workload field${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    {
      hint: 'fix each field above; the API server would refuse them (`baton check` lists more)',
    },
  );
}
