import type { PlannedStep } from '../engine/step.js';
import { plannedStep } from '../engine/step-kind.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { parseImageRef } from '../spec/image-ref.js';
import type { BatonSpec } from '../spec/schema.js';
import { analysisScope } from '../strategies/canary.js';
import type { StrategyInput, StrategySteps } from '../strategies/strategy.js';
import { awaitOldPodsStep } from '../strategies/steps/await-old-pods-step.js';
import { configSnapshotStep } from '../strategies/steps/config-snapshot-step.js';
import { recordReleaseStep } from '../strategies/steps/record-release-step.js';
import { verifyStep } from '../strategies/steps/verify-step.js';
import { configReferences, forReapply } from '../strategies/workload.js';
import type { LiveState } from './live-state.js';
import { labelValue } from './release-workload.js';

/**
 * The phases of a plan after the workload is known (release-workload.ts), in the order buildPlan
 * runs them. Each is pure and returns steps; buildPlan only puts them in order.
 */

/** Config that travels with the release: hashed copies of what the pod template reads. */
export function configSnapshotPhase(
  spec: BatonSpec,
  deployment: DeploymentLike,
  manifests: KubeObject[],
): { steps: PlannedStep[]; configFrom: string | undefined; warnings: string[] } {
  const warnings: string[] = [];
  const secretsInManifests = manifests.filter((m) => m.kind === 'Secret');
  if (secretsInManifests.length > 0) {
    warnings.push(
      `baton does not apply Secrets from manifests (their values would be written to the plan and journal): ${secretsInManifests.map((s) => s.metadata.name).join(', ')}; create them beforehand (kubectl, sealed-secrets, external-secrets)`,
    );
  }
  if (!spec.config.travelsWithRelease) return { steps: [], configFrom: undefined, warnings };
  const refs = configReferences(deployment.spec.template.spec);
  if (refs.configMaps.size + refs.secrets.size === 0) return { steps: [], configFrom: undefined, warnings };
  const inManifests = manifests.filter((m) => m.kind === 'ConfigMap' && refs.configMaps.has(m.metadata.name));
  const liveConfigMaps = [...refs.configMaps].filter((n) => !inManifests.some((m) => m.metadata.name === n));
  const configFrom = 'config:snapshot';
  const step = plannedStep(configSnapshotStep, {
    id: configFrom,
    reversible: true,
    title: `Pin config to this release: ${[...refs.configMaps]
      .map((n) => `ConfigMap ${n}`)
      .concat([...refs.secrets].map((n) => `Secret ${n}`))
      .join(', ')} -> immutable hashed copies`,
    params: { app: spec.app, configMaps: inManifests.map(configMapData), liveConfigMaps, secrets: [...refs.secrets] },
  });
  return { steps: [step], configFrom, warnings };
}

/**
 * Where the database steps go: around the rollout (expand before, contract after), or, in
 * maintenance mode, all inside it, where no old code runs and the migrations are the point of no
 * return. Mutates `planned.beforeVerify` in that case.
 */
export function placeDatabaseSteps(
  planned: StrategySteps,
  database: { before: PlannedStep[]; after: PlannedStep[] } | undefined,
): { before: PlannedStep[]; after: PlannedStep[] } {
  const before = database?.before ?? [];
  const after = database?.after ?? [];
  if (planned.migrationsInsideAt === undefined || before.length + after.length === 0) return { before, after };
  const inside = [...before, ...after]
    .filter((s) => s.kind !== 'await-old-sessions-gone')
    .map((s) => (s.kind === 'migrate' || s.kind === 'backfill' ? { ...s, reversible: false } : s));
  planned.beforeVerify.splice(planned.migrationsInsideAt, 0, ...inside);
  return { before: [], after: [] };
}

/** The spec's verification hooks, run against the release under test. */
export function verifyPhase(spec: BatonSpec, planned: StrategySteps): PlannedStep[] {
  return spec.verify.map((hook) =>
    plannedStep(verifyStep, {
      id: `verify:${hook.name}`,
      reversible: true,
      title: `Verify ${hook.name}: ${hook.exec ? `exec ${hook.exec.command.join(' ')}` : `GET ${hook.http?.url ?? hook.http?.path}`}`,
      params: { hook, ...planned.verifyTarget },
    }),
  );
}

/**
 * The probe analysis, inserted right after the step the strategy names as the one that moved
 * traffic (or at the end): the new version should now answer everything, so it is judged on its
 * own answers once it measurably does (after a Service switch, once keep-alive clients moved).
 */
export function insertAnalysis(steps: PlannedStep[], spec: BatonSpec, planned: StrategySteps, scopeInput: StrategyInput): void {
  const analysis = spec.probe.enabled ? spec.probe.analysis : undefined;
  if (!analysis) return;
  const switched = steps.findIndex((s) => s.id === planned.trafficSwitch);
  const at = switched >= 0 ? switched : steps.length - 1;
  const scope = analysisScope(scopeInput, switched >= 0 ? { trafficStep: steps[at]!.id } : {});
  steps.splice(at + 1, 0, {
    id: 'analysis:probe',
    kind: 'gate',
    reversible: true,
    title: `Analysis: ${analysis.seconds}s of the new version's own answers within budget (error rate <= ${analysis.maxErrorRate}, streams cut <= ${analysis.maxStreamsCut}${analysis.maxP99Ms ? `, p99 <= ${analysis.maxP99Ms} ms` : ''}, at least ${analysis.minRequests} answers)`,
    params: {
      gate: {
        kind: 'probe',
        maxErrorRate: analysis.maxErrorRate,
        maxStreamsCut: analysis.maxStreamsCut,
        maxMessagesLost: analysis.maxMessagesLost,
        ...(analysis.maxResumeGapMs ? { maxResumeGapMs: analysis.maxResumeGapMs } : {}),
        minRequests: analysis.minRequests,
        ...(analysis.maxP99Ms ? { maxP99Ms: analysis.maxP99Ms } : {}),
        version: scope.version,
        previousVersions: scope.previousVersions,
        expectedShare: 100,
        ...(scope.trafficStep ? { trafficStep: scope.trafficStep } : {}),
      },
      intervalMs: 1000,
      count: analysis.seconds,
      failureLimit: 0,
      timeoutMs: analysis.seconds * 1000 + 30_000,
      inconclusive: 'pause',
    },
  });
}

/** Backfill and contract migrations wait until no pod of an older release is left, then run. */
export function afterRolloutPhase(after: PlannedStep[], deployment: DeploymentLike, version: string): PlannedStep[] {
  if (after.length === 0) return [];
  return [
    plannedStep(awaitOldPodsStep, {
      id: 'await:old-pods',
      reversible: true,
      title: `Wait until no pod of an older release is left (terminating ones included)`,
      params: { selector: deployment.spec.selector.matchLabels ?? {}, release: labelValue(version), timeoutSeconds: 600 },
    }),
    ...after,
  ];
}

/**
 * Records the release in the app history. The first time baton upgrades an app, what runs today
 * becomes the first entry, so `baton rollback` has somewhere to go back to.
 */
export function recordPhase(o: {
  spec: BatonSpec;
  version: string;
  live: LiveState;
  liveSame: DeploymentLike | undefined;
  planned: StrategySteps;
  service: KubeObject | undefined;
}): PlannedStep {
  const { spec, version, planned, service } = o;
  const adoptFrom = o.live.history.length === 0 ? (o.liveSame ?? o.live.deployments[0]) : undefined;
  const adopt = adoptFrom
    ? {
        version: parseImageRef(adoptFrom.spec.template.spec.containers[0]?.image ?? '').tag ?? 'unknown',
        image: adoptFrom.spec.template.spec.containers[0]?.image ?? '',
        strategy: 'adopted',
        deployment: adoptFrom.metadata.name,
        template: forReapply(adoptFrom),
        ...(planned.previousSelector ? { selector: planned.previousSelector } : {}),
        ...(service ? { service: service.metadata.name } : {}),
      }
    : undefined;
  return plannedStep(recordReleaseStep, {
    id: 'release:record',
    reversible: true,
    title: `Record release ${version} in the app history`,
    params: {
      entry: {
        version,
        image: spec.image.ref,
        strategy: spec.strategy.kind,
        deployment: planned.serving.deployment,
        ...(planned.serving.selector ? { selector: planned.serving.selector } : {}),
        ...(service ? { service: service.metadata.name } : {}),
      },
      ...(adopt ? { adopt } : {}),
    },
  });
}

/** What the config snapshot needs of a manifest's ConfigMap: its name and data (string values). */
function configMapData(m: KubeObject): { metadata: { name: string }; data: Record<string, string>; binaryData?: Record<string, string> } {
  const { data, binaryData } = m as KubeObject & { data?: Record<string, string>; binaryData?: Record<string, string> };
  return { metadata: { name: m.metadata.name }, data: data ?? {}, ...(binaryData ? { binaryData } : {}) };
}
