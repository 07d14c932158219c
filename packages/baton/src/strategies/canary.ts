import { routerTraits } from '../traffic/index.js';
import { plannedStep } from '../engine/step-kind.js';
import { rolloutStep } from './steps/rollout-step.js';
import type { PlannedStep } from '../engine/step.js';
import { setWeightStep } from './steps/set-weight-step.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { BatonSpec } from '../spec/schema.js';
import type { RouterConfig } from '../traffic/traffic-router.js';
import type { Strategy, StrategyInput, StrategySteps } from './strategy.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { pinToLivePods } from './pin-service.js';
import { holdAndRelease } from './drain-plan.js';
import { parseImageRef } from '../spec/image-ref.js';
import type { HeaderRoute } from '../traffic/traffic-router.js';
import { pauseStep } from './steps/pause-step.js';
import { scaleStep } from './steps/scale-step.js';
import { switchSelectorStep } from './steps/switch-selector-step.js';

export const trackLabel = 'baton.dev/track';
const releaseLabel = 'baton.dev/release';

interface ServiceLike extends KubeObject {
  spec?: { selector?: Record<string, string>; ports?: Array<{ port: number }>; [f: string]: unknown };
}
type Analysis = { seconds: number; maxErrorRate: number; maxP99Ms?: number | undefined; minRequests: number };

/** What a probe analysis judges: the new version's answers, found by label, after a traffic step. */
export interface AnalysisScope {
  version: string;
  previousVersions: string[];
  /** The step that moved traffic (its result has the weight set and when). */
  trafficStep?: string;
  /** A/B: judge the requests the probe sends with this route. */
  route?: HeaderRoute;
}

/**
 * The labels the releases serving today answer with, as far as the plan can tell: the release
 * label baton set and the image tag of every live Deployment with replicas. The probe gate takes
 * any other label as the new version when the new release's own label does not show.
 */
export function analysisScope(input: StrategyInput, extra: Pick<AnalysisScope, 'trafficStep' | 'route'> = {}): AnalysisScope {
  const previous = new Set<string>();
  for (const d of input.live.deployments) {
    if ((d.spec.replicas ?? 1) === 0) continue;
    const label = d.spec.template.metadata?.labels?.[releaseLabel];
    if (label) previous.add(label);
    for (const c of d.spec.template.spec.containers) {
      const tag = parseImageRef(c.image ?? '').tag;
      if (tag) previous.add(tag);
    }
  }
  previous.delete(input.version);
  return { version: input.version, previousVersions: [...previous].sort(), ...extra };
}

/** What canary and A/B share: the canary workload, its Service, the router, and promotion. */
export interface CanaryRelease {
  router: RouterConfig;
  canaryName: string;
  serviceObjects: KubeObject[];
  /** Pin the stable Service, start the canary Deployment: no traffic moves yet. */
  setup: PlannedStep[];
  /** Roll the stable Deployment to the new version, then take the canary out. */
  promote(finalTraffic: PlannedStep[]): PlannedStep[];
  serving: StrategySteps['serving'];
  /** The promotion's roll of the stable Deployment: from then on every request meets the new version. */
  trafficSwitch: string;
  previousSelector?: Record<string, string>;
  warnings: string[];
}

/**
 * Plans the canary workload. The new version runs as `<deployment>-canary` (pods labelled
 * baton.dev/track=canary) behind `<service>-canary`; the stable Service is pinned to the live
 * pods' pod-template-hash, since the canary's pods carry the same app labels and would otherwise
 * take stable traffic. replica-ratio is the exception: one Service over both, shares by replicas.
 */
export function planCanaryRelease(input: StrategyInput, options: { replicas: number; progressDeadlineSeconds: number }): CanaryRelease {
  const { spec } = input;
  const traffic = spec.traffic;
  const service = input.service as ServiceLike | undefined;
  if (!service) throw new Error(`${spec.strategy.kind} needs the app Service in the manifests (the stable side of the split)`);
  // Fail at plan time, not after the canary started: each router names the objects it needs.
  const traits = routerTraits[traffic.router];
  const missing = traits.requires.filter((r) => !traffic[r.field]).map((r) => `traffic.${r.field} (${r.what})`);
  if (missing.length > 0) throw new Error(`traffic.router ${traffic.router} needs ${missing.join(' and ')}`);
  const base = input.deployment.metadata.name;
  const canaryName = `${base}-canary`.slice(0, 63);
  const baseSelector = { ...(service.spec?.selector ?? {}) };
  const ratio = traits.sharedService;
  const warnings: string[] = [];
  const setup: PlannedStep[] = [];
  const liveStable = input.live.deployments.find((d) => d.metadata.name === base);
  const pin = liveStable
    ? pinToLivePods({
        id: 'canary:pin',
        service: service.metadata.name,
        deployment: base,
        hash: input.live.currentHash[base],
        baseSelector,
      })
    : undefined;
  let holdSelector: Record<string, string> | undefined;
  if (!ratio && pin) {
    holdSelector = pin.selector;
    setup.push(pin.step);
  } else if (ratio) {
    // One Service over both Deployments: exactly the manifest's selector, whatever an earlier
    // release pinned it to (an apply does not remove selector keys set by patch).
    setup.push(
      plannedStep(switchSelectorStep, {
        id: 'canary:select-both',
        title: `Service ${service.metadata.name} selects ${base} and ${canaryName} (${JSON.stringify(baseSelector)})`,
        reversible: true,
        params: { service: service.metadata.name, selector: baseSelector },
      }),
    );
  } else {
    warnings.push(
      `no live ReplicaSet of ${base} found; Service ${service.metadata.name} is not pinned and will also select the canary's pods`,
    );
  }
  const stableReplicas = liveStable?.spec.replicas ?? input.deployment.spec.replicas ?? 1;
  const newRelease = input.deployment.spec.template.metadata?.labels?.[releaseLabel];
  const newSelector = newRelease ? { ...baseSelector, [releaseLabel]: newRelease } : baseSelector;

  const canary: DeploymentLike = structuredClone(input.deployment);
  canary.metadata = { ...canary.metadata, name: canaryName, labels: { ...(canary.metadata.labels ?? {}), [trackLabel]: 'canary' } };
  canary.spec.selector = { matchLabels: { ...(canary.spec.selector.matchLabels ?? {}), [trackLabel]: 'canary' } };
  canary.spec.template.metadata = {
    ...(canary.spec.template.metadata ?? {}),
    labels: { ...(canary.spec.template.metadata?.labels ?? {}), [trackLabel]: 'canary' },
  };
  // replica-ratio: the canary's first pod would take traffic the moment it is ready; set-weight starts it.
  canary.spec.replicas = ratio ? 0 : options.replicas;
  canary.spec.progressDeadlineSeconds = options.progressDeadlineSeconds;
  const image = spec.image.ref;
  setup.push(
    plannedStep(rolloutStep, {
      id: `rollout:${canaryName}`,
      reversible: true,
      title: `Start ${canaryName} with ${image}, ${canary.spec.replicas} replica(s), no traffic yet`,
      params: {
        deployment: canary,
        image,
        timeoutSeconds: options.progressDeadlineSeconds + 60,
        ...(input.configFrom ? { configFrom: input.configFrom } : {}),
      },
    }),
  );

  const canaryServiceName = `${service.metadata.name}-canary`.slice(0, 63);
  const canarySelector = { ...baseSelector, [trackLabel]: 'canary' };
  const canaryService: ServiceLike = {
    ...structuredClone(service),
    metadata: { name: canaryServiceName, labels: { ...(service.metadata.labels ?? {}), 'app.kubernetes.io/managed-by': 'baton' } },
    spec: { ...(service.spec ?? {}), selector: canarySelector },
  };
  delete (canaryService.spec as Record<string, unknown>).clusterIP;
  delete (canaryService.spec as Record<string, unknown>).clusterIPs;
  const stableService: ServiceLike = {
    ...structuredClone(service),
    spec: { ...(service.spec ?? {}), selector: holdSelector ?? baseSelector },
  };

  const router: RouterConfig = {
    kind: traffic.router,
    namespace: spec.namespace,
    stableService: service.metadata.name,
    canaryService: ratio ? service.metadata.name : canaryServiceName,
    port: service.spec?.ports?.[0]?.port ?? 80,
    ...(traffic.host ? { host: traffic.host } : {}),
    ...(traffic.path ? { path: traffic.path } : {}),
    ...(traffic.ingress ? { ingress: traffic.ingress } : {}),
    ...(traffic.httpRoute ? { httpRoute: traffic.httpRoute } : {}),
    ...(traffic.gateway ? { gateway: traffic.gateway } : {}),
    virtualService: traffic.virtualService ?? service.metadata.name,
    canaryPodLabels: { [trackLabel]: 'canary' },
    stableDeployment: base,
    canaryDeployment: canaryName,
    totalReplicas: stableReplicas,
    stableSelector: holdSelector ?? baseSelector,
    canarySelector,
    adopt: traffic.adopt,
  };

  const deployment = structuredClone(input.deployment);
  deployment.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
  deployment.spec.progressDeadlineSeconds = options.progressDeadlineSeconds;
  // Drain by evidence: the stable Deployment's old pods (no new traffic after select-new) and the
  // canary's pods (still in the Service) are held out of their controllers, then drained.
  const stableDrain = liveStable ? holdAndRelease(spec, base, newSelector) : undefined;
  const canaryDrain = holdAndRelease(spec, canaryName, newSelector);
  if (stableDrain) deployment.spec.paused = false;
  const promote = (finalTraffic: PlannedStep[]): PlannedStep[] => [
    // The stable Service now selects every new-version pod (the canary's first), so rolling the
    // stable Deployment never leaves it without endpoints and never sends traffic to old pods again.
    ...(ratio
      ? []
      : [
          plannedStep(switchSelectorStep, {
            id: 'promote:select-new',
            reversible: true,
            title: `Promote: Service ${service.metadata.name} selects the new release's pods (${JSON.stringify(newSelector)})`,
            params: { service: service.metadata.name, selector: newSelector },
          }),
        ]),
    ...(stableDrain ? [stableDrain.hold] : []),
    plannedStep(rolloutStep, {
      id: `rollout:${base}`,
      reversible: true,
      title: `Promote: roll ${base} to ${image} (maxSurge 1, maxUnavailable 0)`,
      params: {
        deployment: deployment,
        image,
        timeoutSeconds: options.progressDeadlineSeconds + 60,
        ...(input.configFrom ? { configFrom: input.configFrom } : {}),
      },
    }),
    ...finalTraffic,
    ...(canaryDrain ? [canaryDrain.hold] : []),
    plannedStep(scaleStep, {
      id: `scale:${canaryName}`,
      reversible: true,
      title: `Scale ${canaryName} to 0 (its pods drain first)`,
      params: { deployment: canaryName, replicas: 0 },
    }),
    ...(stableDrain ? [stableDrain.release] : []),
    ...(canaryDrain ? [canaryDrain.release] : []),
  ];
  return {
    router,
    canaryName,
    serviceObjects: [stableService, ...(ratio ? [] : [canaryService])],
    setup,
    promote,
    trafficSwitch: `rollout:${base}`,
    serving: { deployment: base, ...(ratio ? {} : { selector: newSelector }) },
    ...(holdSelector ? { previousSelector: holdSelector } : {}),
    warnings,
  };
}

/** The final "weight 0" of a promotion: the router config whose stable side is the new release. */
export function promotedRouter(release: CanaryRelease): RouterConfig {
  const selector = release.serving.selector;
  return selector ? { ...release.router, stableSelector: selector } : release.router;
}

/**
 * A probe-gate step judging the new version's own answers for `seconds` once the traffic step
 * measurably took effect; a failure rolls back.
 */
export function analysisStep(id: string, a: Analysis, scope: AnalysisScope): PlannedStep {
  const who = scope.route ? `the new version's answers to routed requests` : `the new version's own answers`;
  return {
    id,
    kind: 'gate',
    reversible: true,
    title: `Analysis: ${a.seconds}s of ${who} (error rate <= ${a.maxErrorRate}${a.maxP99Ms ? `, p99 <= ${a.maxP99Ms} ms` : ''}, at least ${a.minRequests} answers)`,
    params: {
      gate: {
        kind: 'probe',
        maxErrorRate: a.maxErrorRate,
        minRequests: a.minRequests,
        ...(a.maxP99Ms ? { maxP99Ms: a.maxP99Ms } : {}),
        version: scope.version,
        previousVersions: scope.previousVersions,
        ...(scope.trafficStep ? { trafficStep: scope.trafficStep } : {}),
        ...(scope.route ? { route: { ...scope.route } } : {}),
      },
      intervalMs: 1000,
      count: a.seconds,
      failureLimit: 0,
      timeoutMs: a.seconds * 1000 + 30_000,
      inconclusive: 'pause',
    },
  };
}

type PrometheusAnalysis = Extract<BatonSpec['strategy']['canary']['steps'][number], { prometheus: unknown }>['prometheus'];

/** A Prometheus-gate step, its query scoped to the release under test by template variables. */
function prometheusStep(id: string, p: PrometheusAnalysis, scope: AnalysisScope): PlannedStep {
  return {
    id,
    kind: 'gate',
    reversible: true,
    title: `Analysis: Prometheus ${p.query} within ${JSON.stringify(p.thresholds)}, ${p.times} time(s)`,
    params: {
      gate: {
        kind: 'prometheus',
        url: p.url,
        query: p.query,
        thresholds: { ...p.thresholds },
        minSamples: p.minSamples,
        release: { version: scope.version, previousVersions: scope.previousVersions, label: p.releaseLabel },
      },
      intervalMs: p.intervalSeconds * 1000,
      count: p.times,
      failureLimit: 0,
      timeoutMs: (p.times + 3) * p.intervalSeconds * 1000,
      inconclusive: 'pause',
    },
  };
}

function planPause(id: string, seconds: number | undefined): PlannedStep {
  return plannedStep(pauseStep, {
    id,
    reversible: true,
    title: seconds === undefined ? 'Pause until `baton promote`' : `Pause ${seconds}s`,
    params: seconds === undefined ? {} : { seconds },
  });
}

/**
 * Canary: `<deployment>-canary` takes the spec's weights step by step, with pauses and probe
 * analyses between them; then the stable Deployment is rolled to the new version and the canary
 * removed. Before that, a failure rolls back and the first set-weight's undo puts all traffic
 * back on stable in one write.
 */
export const canaryStrategy: Strategy = {
  kind: 'canary',
  plan(input: StrategyInput): StrategySteps {
    const options = input.spec.strategy.canary;
    const release = planCanaryRelease(input, options);
    checkWeights(input.spec, options.steps);
    const steps: PlannedStep[] = [];
    let weights = 0;
    let trafficStep: string | undefined;
    options.steps.forEach((s, i) => {
      if ('setWeight' in s) {
        trafficStep = `canary:${i}:weight-${s.setWeight}`;
        steps.push(
          plannedStep(setWeightStep, {
            id: trafficStep,
            reversible: true,
            title: `${release.router.kind}: ${s.setWeight}% of traffic to the new version`,
            params: { router: release.router, weight: s.setWeight, restoreOnUndo: weights === 0 },
          }),
        );
        weights += 1;
      } else if ('pause' in s) {
        steps.push(planPause(`canary:${i}:pause`, s.pause.seconds));
      } else if ('analysis' in s) {
        steps.push(analysisStep(`canary:${i}:analysis`, s.analysis, analysisScope(input, trafficStep ? { trafficStep } : {})));
      } else {
        steps.push(prometheusStep(`canary:${i}:prometheus`, s.prometheus, analysisScope(input)));
      }
    });
    const final = plannedStep(setWeightStep, {
      id: 'promote:weight-0',
      reversible: true,
      title: `${release.router.kind}: traffic back to the (now promoted) stable side`,
      params: { router: promotedRouter(release), weight: 0, restoreOnUndo: true },
    });
    return {
      serviceObjects: release.serviceObjects,
      beforeVerify: [...release.setup, ...steps],
      afterVerify: release.promote([final]),
      verifyTarget: {
        newDeployment: release.canaryName,
        oldDeployment: input.deployment.metadata.name,
        ...(release.router.canaryService ? { service: release.router.canaryService } : {}),
      },
      trafficSwitch: release.trafficSwitch,
      serving: release.serving,
      ...(release.previousSelector ? { previousSelector: release.previousSelector } : {}),
      warnings: release.warnings,
    };
  },
};

function checkWeights(spec: BatonSpec, steps: BatonSpec['strategy']['canary']['steps']): void {
  if (spec.traffic.router !== 'service-selector') return;
  const bad = steps.find((s) => 'setWeight' in s && s.setWeight !== 0 && s.setWeight !== 100);
  if (bad)
    throw new Error(
      `traffic.router service-selector switches all or nothing; setWeight ${(bad as { setWeight: number }).setWeight} cannot be expressed (use 0 or 100, or a router with weights)`,
    );
}
