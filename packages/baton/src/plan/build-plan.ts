import type { PlannedStep } from '../engine/step.js';
import { plannedStep } from '../engine/step-kind.js';
import { BatonError } from '../errors.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import type { BatonSpec } from '../spec/schema.js';
import { parseImageRef } from '../spec/image-ref.js';
import { strategies } from '../strategies/index.js';
import type { StrategyInput } from '../strategies/strategy.js';
import { drainWarnings, podTiming } from '../strategies/drain-plan.js';
import { containerOf } from '../strategies/workload.js';
import { applyObjectsStep } from '../strategies/steps/apply-objects-step.js';
import { batonChanges } from './baton-changes.js';
import { objectKey, type LiveState } from './live-state.js';
import type { Plan, ReleaseRef } from './plan.js';
import { afterRolloutPhase, configSnapshotPhase, insertAnalysis, placeDatabaseSteps, recordPhase, verifyPhase } from './plan-phases.js';
import { pickOne, releaseWorkload } from './release-workload.js';
import { runningRelease } from './running-release.js';

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
 * The release the cluster runs today, as the upgrade replaces it: the last one baton recorded
 * (unless no live Deployment runs it: runningRelease), else the image the live Deployment runs.
 * Known before planning, so the plan is built once.
 */
export function currentRelease(input: Pick<PlanInput, 'spec' | 'manifests' | 'live'>): ReleaseRef | null {
  const last = input.live.history.at(-1);
  if (last) return runningRelease(input.spec, input.live, { version: last.version, image: last.image }).release;
  const manifest = pickOne(
    input.manifests.map((m) => ({ ...m })),
    'Deployment',
    input.spec.deployment,
    'deployment',
  ) as DeploymentLike;
  const container = containerOf(manifest, input.spec.image.container);
  const image = input.live.deployments
    .find((d) => d.metadata.name === manifest.metadata.name)
    ?.spec.template.spec.containers.find((c) => c.name === container.name)?.image;
  return image ? { version: parseImageRef(image).tag ?? image, image } : null;
}

/**
 * Spec + manifests + observed cluster -> Plan. Pure: no I/O, same input, same plan. The phases,
 * in order: the release's workload and drift (release-workload.ts); database steps before; config
 * snapshot; other objects; the strategy's steps around the verification hooks; the analysis after
 * the traffic switch; database steps after the old pods are gone; the history record.
 */
export function buildPlan(input: PlanInput): Plan {
  const { spec } = input;
  const version = releaseVersion(spec);
  const workload = releaseWorkload(spec, input, version);
  const { manifests, deploymentManifest, deployment, serviceManifest } = workload;
  const warnings = [...workload.warnings];

  const config = configSnapshotPhase(spec, deployment, manifests);
  warnings.push(...config.warnings);
  const strategyInput: StrategyInput = {
    spec,
    deployment,
    service: serviceManifest,
    live: input.live,
    version,
    configFrom: config.configFrom,
  };
  const strategy = strategies[spec.strategy.kind];
  let planned: ReturnType<typeof strategy.plan>;
  try {
    planned = strategy.plan(strategyInput);
  } catch (error) {
    throw new BatonError('PLAN_STRATEGY', `strategy ${spec.strategy.kind}: ${(error as Error).message}`, {
      hint: 'fix the manifests or choose another strategy',
    });
  }
  warnings.push(...planned.warnings);
  const timing = podTiming(deployment.spec.template);
  warnings.push(...drainWarnings(spec, timing.graceSeconds, timing.preStopSeconds));
  const database = placeDatabaseSteps(planned, input.database);

  const others = manifests.filter((m) => m !== deploymentManifest && m !== serviceManifest && m.kind !== 'Secret');
  const toApply = [...others, ...planned.serviceObjects];
  const steps: PlannedStep[] = [
    ...database.before,
    ...config.steps,
    ...(toApply.length > 0
      ? [
          plannedStep(applyObjectsStep, {
            id: 'apply:objects',
            reversible: true,
            title: `Apply ${toApply.map(objectKey).join(', ')}`,
            params: { objects: toApply },
          }),
        ]
      : []),
    ...planned.beforeVerify,
    ...verifyPhase(spec, planned),
    ...planned.afterVerify,
  ];
  insertAnalysis(steps, spec, planned, strategyInput);
  steps.push(...afterRolloutPhase(database.after, deployment, version));
  steps.push(recordPhase({ spec, version, live: input.live, liveSame: workload.liveSame, planned, service: serviceManifest }));

  const from = currentRelease(input);
  const last = input.live.history.at(-1);
  const disagreement = last ? runningRelease(spec, input.live, { version: last.version, image: last.image }).disagreement : undefined;
  if (disagreement) warnings.push(disagreement);
  if (from?.image === spec.image.ref) warnings.push(`the cluster already runs ${spec.image.ref}; the upgrade will re-apply it`);
  const ownChange = batonChanges({ steps, history: input.live.history, image: spec.image.ref });
  return {
    app: spec.app,
    namespace: spec.namespace,
    strategy: spec.strategy.kind,
    from,
    to: { version, image: spec.image.ref },
    steps,
    drift: workload.drift.filter((d) => !ownChange(d)),
    warnings,
  };
}
