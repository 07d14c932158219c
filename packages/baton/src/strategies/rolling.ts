import { holdAndRelease } from './drain-plan.js';
import { plannedStep } from '../engine/step-kind.js';
import { rolloutStep } from './steps/rollout-step.js';
import { rollingRouting } from './rolling-routing.js';
import type { Strategy, StrategyInput, StrategySteps } from './strategy.js';

/**
 * Rolling update with maxUnavailable 0 / maxSurge 1 by default (the Castopod seed's "single most
 * important setting"): a new pod must be ready before an old one goes, so capacity never drops.
 */
export const rollingStrategy: Strategy = {
  kind: 'rolling',
  plan(input: StrategyInput): StrategySteps {
    const options = input.spec.strategy.rolling;
    const deployment = structuredClone(input.deployment);
    deployment.spec.strategy = {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: options.maxSurge, maxUnavailable: options.maxUnavailable },
    };
    deployment.spec.progressDeadlineSeconds = options.progressDeadlineSeconds;
    const warnings: string[] = [];
    if (options.maxUnavailable !== 0 && options.maxUnavailable !== '0%') {
      warnings.push(
        `strategy.rolling.maxUnavailable is ${options.maxUnavailable}: capacity drops during the rollout; 0 keeps every old pod until its replacement is ready`,
      );
    }
    const image = deployment.spec.template.spec.containers.find((c) => c.image === input.spec.image.ref)?.image ?? input.spec.image.ref;
    const selector = (input.service?.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {};
    const live = input.live.deployments.some((d) => d.metadata.name === deployment.metadata.name);
    // Drain by evidence: old pods are held out of the controller before the rollout (so it brings up
    // a full new ReplicaSet and deletes none of them), then drained; the apply unpauses.
    const drain = live ? holdAndRelease(input.spec, deployment.metadata.name, selector) : undefined;
    if (drain) deployment.spec.paused = false;
    const routing = rollingRouting({ deployment, image, service: input.service, live: input.live, timeoutSeconds: 120 });
    return {
      serviceObjects: input.service ? [input.service] : [],
      // With a drain, the held old pods leave the Service right after the rollout (the traffic
      // switch a gate judges from); their open connections stay until the release at the end.
      beforeVerify: [
        ...routing.beforeRollout,
        ...(drain ? [drain.hold] : []),
        plannedStep(rolloutStep, {
          id: `rollout:${deployment.metadata.name}`,

          title: `Roll Deployment ${deployment.metadata.name} to ${image} (maxSurge ${String(options.maxSurge)}, maxUnavailable ${String(options.maxUnavailable)})`,
          reversible: true,
          params: {
            deployment: deployment,
            image,
            timeoutSeconds: options.progressDeadlineSeconds + 60,
            ...(input.configFrom ? { configFrom: input.configFrom } : {}),
          },
        }),
        ...(drain ? [drain.unserve] : []),
        ...routing.afterRollout,
      ],
      afterVerify: drain ? [drain.release] : [],
      verifyTarget: { newDeployment: deployment.metadata.name, ...(input.service ? { service: input.service.metadata.name } : {}) },
      trafficSwitch: routing.trafficSwitch ?? (drain ? drain.unserve.id : `rollout:${deployment.metadata.name}`),
      serving: { deployment: deployment.metadata.name },
      warnings,
    };
  },
};
