import type { PlannedStep } from '../engine/step.js';
import type { JsonObject } from '../json.js';
import { BatonError } from '../errors.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { BatonSpec } from '../spec/schema.js';
import { parseImageRef } from '../spec/image-ref.js';
import { strategies } from '../strategies/index.js';
import { drainWarnings, podTiming } from '../strategies/drain-plan.js';
import { analysisScope } from '../strategies/canary.js';
import { configReferences, containerOf, forReapply } from '../strategies/workload.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { batonChanges, retiredDeployments } from './baton-changes.js';
import { findDrift, type Drift } from './drift.js';
import { plannedStep } from '../engine/step-kind.js';
import { applyObjectsStep } from '../strategies/steps/apply-objects-step.js';
import { awaitOldPodsStep } from '../strategies/steps/await-old-pods-step.js';
import { configSnapshotStep } from '../strategies/steps/config-snapshot-step.js';
import { recordReleaseStep } from '../strategies/steps/record-release-step.js';
import { objectKey, type LiveState } from './live-state.js';
import type { Plan, ReleaseRef } from './plan.js';
import { verifyStep } from '../strategies/steps/verify-step.js';

export interface PlanInput {
  spec: BatonSpec;
  manifests: readonly KubeObject[];
  live: LiveState;
  /** Extra steps around the rollout (database: backup + expand before, contract after). */
  database?: { before: PlannedStep[]; after: PlannedStep[] };
}

/** The name the new release goes by: spec.version, else the image tag. */
export function releaseVersion(spec: BatonSpec): string {
  return spec.version ?? parseImageRef(spec.image.ref).tag ?? spec.image.ref;
}

/**
 * The release the cluster runs today, as the upgrade replaces it: the last one baton recorded,
 * else the image the live Deployment runs. Known before planning, so the plan is built once.
 */
export function currentRelease(input: Pick<PlanInput, 'spec' | 'manifests' | 'live'>): ReleaseRef | null {
  const last = input.live.history.at(-1);
  if (last) return { version: last.version, image: last.image };
  const manifest = pickOne(input.manifests.map((m) => ({ ...m })), 'Deployment', input.spec.deployment, 'deployment') as DeploymentLike;
  const container = containerOf(manifest, input.spec.image.container);
  const image = input.live.deployments.find((d) => d.metadata.name === manifest.metadata.name)?.spec.template.spec.containers.find((c) => c.name === container.name)?.image;
  return image ? { version: parseImageRef(image).tag ?? image, image } : null;
}

/** Spec + manifests + observed cluster -> Plan. Pure: no I/O, same input, same plan. */
export function buildPlan(input: PlanInput): Plan {
  const { spec } = input;
  const namespace = spec.namespace;
  const manifests = input.manifests.map((m) => ({ ...m, metadata: { ...m.metadata, namespace: m.metadata.namespace ?? namespace } }));
  const foreign = manifests.filter((m) => m.metadata.namespace !== namespace);
  if (foreign.length > 0) {
    throw new BatonError('PLAN_NAMESPACE', `${objectKey(foreign[0]!)} is in namespace ${foreign[0]!.metadata.namespace}, the spec says ${namespace}`, { hint: 'keep one app in one namespace, or fix spec.namespace' });
  }
  const deploymentManifest = pickOne(manifests, 'Deployment', spec.deployment, 'deployment') as DeploymentLike;
  const serviceManifest = pickOne(manifests, 'Service', spec.service, 'service', true);
  const warnings: string[] = [];
  const version = releaseVersion(spec);

  const deployment = structuredClone(deploymentManifest);
  const container = containerOf(deployment, spec.image.container);
  container.image = spec.image.ref;
  for (const c of deployment.spec.template.spec.containers) {
    c.env = [...(c.env ?? []).filter((e) => e.name !== 'BATON_RELEASE'), { name: 'BATON_RELEASE', value: version }];
  }
  deployment.metadata.labels = { ...(deployment.metadata.labels ?? {}), 'app.kubernetes.io/managed-by': 'baton', 'baton.dev/app': spec.app };
  const template = deployment.spec.template;
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), 'baton.dev/release': labelValue(version) } };

  const drift: Drift[] = [];
  for (const m of manifests) drift.push(...findDrift(m, input.live.objects[objectKey(m)]));
  // Drift in the manifest's own Deployment is measured against the manifest as the user wrote it.
  const liveSame = input.live.deployments.find((d) => d.metadata.name === deploymentManifest.metadata.name);
  // A Deployment baton retired (blue-green's old colour) runs 0 replicas by baton's own doing.
  const retired = retiredDeployments(input.live.history).has(`Deployment/${deploymentManifest.metadata.name}`);
  if (!retired && liveSame?.spec.replicas !== undefined && deploymentManifest.spec.replicas !== undefined && liveSame.spec.replicas !== deploymentManifest.spec.replicas) {
    // Scaling down in the middle of an upgrade drops capacity: keep what runs, say so.
    deployment.spec.replicas = liveSame.spec.replicas;
    warnings.push(`drift: the manifests say ${deploymentManifest.spec.replicas} replica(s) for ${deployment.metadata.name}, the cluster runs ${liveSame.spec.replicas}; keeping ${liveSame.spec.replicas} for this upgrade — update the YAML to match (or scale on purpose after)`);
  }

  const steps: PlannedStep[] = [];

  const secretsInManifests = manifests.filter((m) => m.kind === 'Secret');
  if (secretsInManifests.length > 0) {
    warnings.push(`baton does not apply Secrets from manifests (their values would be written to the plan and journal): ${secretsInManifests.map((s) => s.metadata.name).join(', ')}; create them beforehand (kubectl, sealed-secrets, external-secrets)`);
  }
  let configFrom: string | undefined;
  if (spec.config.travelsWithRelease) {
    const refs = configReferences(template.spec);
    const inManifests = manifests.filter((m) => m.kind === 'ConfigMap' && refs.configMaps.has(m.metadata.name));
    const liveConfigMaps = [...refs.configMaps].filter((n) => !inManifests.some((m) => m.metadata.name === n));
    if (refs.configMaps.size + refs.secrets.size > 0) {
      configFrom = 'config:snapshot';
      steps.push(plannedStep(configSnapshotStep, {
        id: configFrom, reversible: true,
        title: `Pin config to this release: ${[...refs.configMaps].map((n) => `ConfigMap ${n}`).concat([...refs.secrets].map((n) => `Secret ${n}`)).join(', ')} -> immutable hashed copies`,
        params: { app: spec.app, configMaps: inManifests.map(configMapData), liveConfigMaps, secrets: [...refs.secrets] },
      }));
    }
  }

  const strategy = strategies[spec.strategy.kind];
  let planned: ReturnType<typeof strategy.plan>;
  try {
    planned = strategy.plan({ spec, deployment, service: serviceManifest, live: input.live, version, configFrom });
  } catch (error) {
    throw new BatonError('PLAN_STRATEGY', `strategy ${spec.strategy.kind}: ${(error as Error).message}`, { hint: 'fix the manifests or choose another strategy' });
  }
  warnings.push(...planned.warnings);
  const timing = podTiming(deployment.spec.template);
  warnings.push(...drainWarnings(spec, timing.graceSeconds, timing.preStopSeconds));
  let dbBefore = input.database?.before ?? [];
  let dbAfter = input.database?.after ?? [];
  if (planned.migrationsInsideAt !== undefined && (dbBefore.length + dbAfter.length) > 0) {
    // Maintenance mode: no old code runs during the migrations, so every phase runs there, and
    // the migrations themselves are the point of no return.
    const inside = [...dbBefore, ...dbAfter].filter((s) => s.kind !== 'await-old-sessions-gone')
      .map((s) => (s.kind === 'migrate' || s.kind === 'backfill' ? { ...s, reversible: false } : s));
    planned.beforeVerify.splice(planned.migrationsInsideAt, 0, ...inside);
    dbBefore = [];
    dbAfter = [];
  }
  steps.unshift(...dbBefore);
  const others = manifests.filter((m) => m !== deploymentManifest && m !== serviceManifest && m.kind !== 'Secret');
  const toApply = [...others, ...planned.serviceObjects];
  if (toApply.length > 0) {
    steps.push(plannedStep(applyObjectsStep, { id: 'apply:objects', reversible: true, title: `Apply ${toApply.map(objectKey).join(', ')}`, params: { objects: toApply } }));
  }
  steps.push(...planned.beforeVerify);
  for (const hook of spec.verify) {
    steps.push(plannedStep(verifyStep, { id: `verify:${hook.name}`, reversible: true, title: `Verify ${hook.name}: ${hook.exec ? `exec ${hook.exec.command.join(' ')}` : `GET ${hook.http?.url ?? hook.http?.path}`}`, params: { hook, ...planned.verifyTarget } }));
  }
  steps.push(...planned.afterVerify);
  const analysis = spec.probe.enabled ? spec.probe.analysis : undefined;
  if (analysis) {
    // Judge live traffic right after the step the strategy names as the one that moved it.
    const switched = steps.findIndex((s) => s.id === planned.trafficSwitch);
    const at = switched >= 0 ? switched : steps.length - 1;
    // The new version should now answer everything: judge its own answers once it measurably does
    // (after a Service switch, once old keep-alive connections have moved).
    const scope = analysisScope({ spec, deployment, service: serviceManifest, live: input.live, version, configFrom }, switched >= 0 ? { trafficStep: steps[at]!.id } : {});
    steps.splice(at + 1, 0, {
      id: 'analysis:probe', kind: 'gate', reversible: true,
      title: `Analysis: ${analysis.seconds}s of the new version's own answers within budget (error rate <= ${analysis.maxErrorRate}, streams cut <= ${analysis.maxStreamsCut}${analysis.maxP99Ms ? `, p99 <= ${analysis.maxP99Ms} ms` : ''}, at least ${analysis.minRequests} answers)`,
      params: {
        gate: {
          kind: 'probe', maxErrorRate: analysis.maxErrorRate, maxStreamsCut: analysis.maxStreamsCut, maxMessagesLost: analysis.maxMessagesLost, ...(analysis.maxResumeGapMs ? { maxResumeGapMs: analysis.maxResumeGapMs } : {}), minRequests: analysis.minRequests, ...(analysis.maxP99Ms ? { maxP99Ms: analysis.maxP99Ms } : {}),
          version: scope.version, previousVersions: scope.previousVersions, expectedShare: 100, ...(scope.trafficStep ? { trafficStep: scope.trafficStep } : {}),
        },
        intervalMs: 1000, count: analysis.seconds, failureLimit: 0, timeoutMs: analysis.seconds * 1000 + 30_000, inconclusive: 'pause',
      },
    });
  }
  const after = dbAfter;
  if (after.length > 0) {
    steps.push(plannedStep(awaitOldPodsStep, {
      id: 'await:old-pods', reversible: true, title: `Wait until no pod of an older release is left (terminating ones included)`,
      params: { selector: deployment.spec.selector.matchLabels ?? {}, release: labelValue(version), timeoutSeconds: 600 },
    }));
  }
  steps.push(...after);
  // The first time baton upgrades an app, what runs today becomes the first history entry, so
  // `baton rollback` has somewhere to go back to.
  const adoptFrom = input.live.history.length === 0 ? (liveSame ?? input.live.deployments[0]) : undefined;
  const adopt = adoptFrom ? {
    version: parseImageRef(adoptFrom.spec.template.spec.containers[0]?.image ?? '').tag ?? 'unknown', image: adoptFrom.spec.template.spec.containers[0]?.image ?? '',
    strategy: 'adopted', deployment: adoptFrom.metadata.name, template: forReapply(adoptFrom),
    ...(planned.previousSelector ? { selector: planned.previousSelector } : {}), ...(serviceManifest ? { service: serviceManifest.metadata.name } : {}),
  } : undefined;
  steps.push(plannedStep(recordReleaseStep, {
    id: 'release:record', reversible: true, title: `Record release ${version} in the app history`,
    params: { entry: { version, image: spec.image.ref, strategy: spec.strategy.kind, deployment: planned.serving.deployment, ...(planned.serving.selector ? { selector: planned.serving.selector } : {}), ...(serviceManifest ? { service: serviceManifest.metadata.name } : {}) }, ...(adopt ? { adopt } : {}) },
  }));

  const from = currentRelease(input);
  if (from?.image === spec.image.ref) warnings.push(`the cluster already runs ${spec.image.ref}; the upgrade will re-apply it`);
  const ownChange = batonChanges({ steps, history: input.live.history, image: spec.image.ref });
  return { app: spec.app, namespace, strategy: spec.strategy.kind, from, to: { version, image: spec.image.ref }, steps, drift: drift.filter((d) => !ownChange(d)), warnings };
}

/** What the config snapshot needs of a manifest's ConfigMap: its name and data (string values). */
function configMapData(m: KubeObject): { metadata: { name: string }; data: Record<string, string>; binaryData?: Record<string, string> } {
  const { data, binaryData } = m as KubeObject & { data?: Record<string, string>; binaryData?: Record<string, string> };
  return { metadata: { name: m.metadata.name }, data: data ?? {}, ...(binaryData ? { binaryData } : {}) };
}

function pickOne(objects: KubeObject[], kind: string, name: string | undefined, field: string, optional = false): KubeObject | undefined {
  const candidates = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0 && optional && name === undefined) return undefined;
  if (candidates.length === 0) {
    throw new BatonError('PLAN_NO_WORKLOAD', `no ${kind}${name ? ` named ${name}` : ''} in the manifests`, { hint: `add it to the manifests, or set spec.${field} to one of: ${objects.filter((o) => o.kind === kind).map((o) => o.metadata.name).join(', ') || '(none)'}` });
  }
  throw new BatonError('PLAN_AMBIGUOUS', `the manifests have ${candidates.length} ${kind}s (${candidates.map((c) => c.metadata.name).join(', ')})`, { hint: `set spec.${field} to the one baton upgrades` });
}

function labelValue(version: string): string {
  return version.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'unknown';
}
