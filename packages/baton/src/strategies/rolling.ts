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
    deployment.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: options.maxSurge, maxUnavailable: options.maxUnavailable } };
    deployment.spec.progressDeadlineSeconds = options.progressDeadlineSeconds;
    const warnings: string[] = [];
    if (options.maxUnavailable !== 0 && options.maxUnavailable !== '0%') {
      warnings.push(`strategy.rolling.maxUnavailable is ${options.maxUnavailable}: capacity drops during the rollout; 0 keeps every old pod until its replacement is ready`);
    }
    const image = deployment.spec.template.spec.containers.find((c) => c.image === input.spec.image.ref)?.image ?? input.spec.image.ref;
    return {
      serviceObjects: input.service ? [input.service] : [],
      beforeVerify: [{
        id: `rollout:${deployment.metadata.name}`,
        kind: 'rollout',
        title: `Roll Deployment ${deployment.metadata.name} to ${image} (maxSurge ${String(options.maxSurge)}, maxUnavailable ${String(options.maxUnavailable)})`,
        reversible: true,
        params: { deployment: deployment as never, image, timeoutSeconds: options.progressDeadlineSeconds + 60, ...(input.configFrom ? { configFrom: input.configFrom } : {}) },
      }],
      afterVerify: [],
      verifyTarget: { newDeployment: deployment.metadata.name, ...(input.service ? { service: input.service.metadata.name } : {}) },
      serving: { deployment: deployment.metadata.name },
      warnings,
    };
  },
};
