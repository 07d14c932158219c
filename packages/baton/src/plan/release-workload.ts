import { BatonError } from '../errors.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import type { BatonSpec } from '../spec/schema.js';
import { containerOf } from '../strategies/workload.js';
import { retiredDeployments } from './baton-changes.js';
import { findDrift, type Drift } from './drift.js';
import { objectKey, type LiveState } from './live-state.js';

/** The manifests as the release applies them, and its Deployment with baton's changes. */
export interface ReleaseWorkload {
  /** Every manifest, in the spec's namespace. */
  manifests: KubeObject[];
  /** The Deployment as the user wrote it, and as the release runs it (new image, labels, env). */
  deploymentManifest: DeploymentLike;
  deployment: DeploymentLike;
  serviceManifest: KubeObject | undefined;
  /** The live Deployment of the same name, if any. */
  liveSame: DeploymentLike | undefined;
  drift: Drift[];
  warnings: string[];
}

/**
 * Phase 1 of a plan: find the app's Deployment and Service in the manifests, set the new image,
 * BATON_RELEASE and the release label, and compare every manifest with the cluster (drift). A
 * replica count the cluster changed is kept for the upgrade, with a warning.
 */
export function releaseWorkload(
  spec: BatonSpec,
  input: { manifests: readonly KubeObject[]; live: LiveState },
  version: string,
): ReleaseWorkload {
  const namespace = spec.namespace;
  const manifests = input.manifests.map((m) => ({ ...m, metadata: { ...m.metadata, namespace: m.metadata.namespace ?? namespace } }));
  const foreign = manifests.filter((m) => m.metadata.namespace !== namespace);
  if (foreign.length > 0) {
    throw new BatonError(
      'PLAN_NAMESPACE',
      `${objectKey(foreign[0]!)} is in namespace ${foreign[0]!.metadata.namespace}, the spec says ${namespace}`,
      { hint: 'keep one app in one namespace, or fix spec.namespace' },
    );
  }
  const deploymentManifest = pickOne(manifests, 'Deployment', spec.deployment, 'deployment') as DeploymentLike;
  const serviceManifest = pickOne(manifests, 'Service', spec.service, 'service', true);
  const warnings: string[] = [];

  const deployment = structuredClone(deploymentManifest);
  const container = containerOf(deployment, spec.image.container);
  container.image = spec.image.ref;
  for (const c of deployment.spec.template.spec.containers) {
    c.env = [...(c.env ?? []).filter((e) => e.name !== 'BATON_RELEASE'), { name: 'BATON_RELEASE', value: version }];
  }
  deployment.metadata.labels = {
    ...(deployment.metadata.labels ?? {}),
    'app.kubernetes.io/managed-by': 'baton',
    'baton.dev/app': spec.app,
  };
  const template = deployment.spec.template;
  template.metadata = {
    ...(template.metadata ?? {}),
    labels: { ...(template.metadata?.labels ?? {}), 'baton.dev/release': labelValue(version) },
  };

  const drift: Drift[] = [];
  for (const m of manifests) drift.push(...findDrift(m, input.live.objects[objectKey(m)]));
  // Drift in the manifest's own Deployment is measured against the manifest as the user wrote it.
  const liveSame = input.live.deployments.find((d) => d.metadata.name === deploymentManifest.metadata.name);
  // A Deployment baton retired (blue-green's old colour) runs 0 replicas by baton's own doing.
  const retired = retiredDeployments(input.live.history).has(`Deployment/${deploymentManifest.metadata.name}`);
  if (
    !retired &&
    liveSame?.spec.replicas !== undefined &&
    deploymentManifest.spec.replicas !== undefined &&
    liveSame.spec.replicas !== deploymentManifest.spec.replicas
  ) {
    // Scaling down in the middle of an upgrade drops capacity: keep what runs, say so.
    deployment.spec.replicas = liveSame.spec.replicas;
    warnings.push(
      `drift: the manifests say ${deploymentManifest.spec.replicas} replica(s) for ${deployment.metadata.name}, the cluster runs ${liveSame.spec.replicas}; keeping ${liveSame.spec.replicas} for this upgrade — update the YAML to match (or scale on purpose after)`,
    );
  }
  return { manifests, deploymentManifest, deployment, serviceManifest, liveSame, drift, warnings };
}

export function pickOne(
  objects: KubeObject[],
  kind: string,
  name: string | undefined,
  field: string,
  optional = false,
): KubeObject | undefined {
  const candidates = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0 && optional && name === undefined) return undefined;
  if (candidates.length === 0) {
    throw new BatonError('PLAN_NO_WORKLOAD', `no ${kind}${name ? ` named ${name}` : ''} in the manifests`, {
      hint: `add it to the manifests, or set spec.${field} to one of: ${
        objects
          .filter((o) => o.kind === kind)
          .map((o) => o.metadata.name)
          .join(', ') || '(none)'
      }`,
    });
  }
  throw new BatonError(
    'PLAN_AMBIGUOUS',
    `the manifests have ${candidates.length} ${kind}s (${candidates.map((c) => c.metadata.name).join(', ')})`,
    { hint: `set spec.${field} to the one baton upgrades` },
  );
}

/** A version as a label value: at most 63 characters of [A-Za-z0-9._-], alphanumeric at both ends. */
export function labelValue(version: string): string {
  return (
    version
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 63)
      .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'unknown'
  );
}
