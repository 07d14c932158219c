import type { LoadedManifest } from '../../manifests/loaded-manifest.js';
import { recordAt, valueAt } from './value-at.js';

/** A container of a workload's pod template, with the path to it. */
export interface WorkloadContainer {
  name: string;
  container: Record<string, unknown>;
  path: (string | number)[];
}

/** An object that runs long-lived pods from a template. */
export interface Workload {
  manifest: LoadedManifest;
  kind: string;
  name: string;
  /** spec.replicas, with Kubernetes' default of 1 (undefined for a DaemonSet). */
  replicas: number | undefined;
  podSpecPath: (string | number)[];
  podSpec: Record<string, unknown>;
  /** Regular containers (init containers finish before the pod serves). */
  containers: WorkloadContainer[];
  /** The pod template's labels (what a PodDisruptionBudget selects). */
  templateLabels: Record<string, string>;
}

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout']);

/** The Deployments, StatefulSets, DaemonSets (and Argo Rollouts) among the manifests. */
export function workloads(manifests: readonly LoadedManifest[]): Workload[] {
  return manifests
    .filter((m) => workloadKinds.has(m.object.kind))
    .map((manifest) => {
      const podSpecPath = ['spec', 'template', 'spec'];
      const podSpec = recordAt(manifest.object, podSpecPath) ?? {};
      const list = valueAt(podSpec, ['containers']);
      const containers = (Array.isArray(list) ? list : []).map((container: unknown, index) => {
        const record = (container !== null && typeof container === 'object' ? container : {}) as Record<string, unknown>;
        return {
          name: typeof record['name'] === 'string' ? record['name'] : `#${index}`,
          container: record,
          path: [...podSpecPath, 'containers', index],
        };
      });
      const replicas = valueAt(manifest.object, ['spec', 'replicas']);
      return {
        manifest,
        kind: manifest.object.kind,
        name: manifest.object.metadata.name,
        replicas: manifest.object.kind === 'DaemonSet' ? undefined : typeof replicas === 'number' ? replicas : 1,
        podSpecPath,
        podSpec,
        containers,
        templateLabels: (recordAt(manifest.object, ['spec', 'template', 'metadata', 'labels']) ?? {}) as Record<string, string>,
      };
    });
}
