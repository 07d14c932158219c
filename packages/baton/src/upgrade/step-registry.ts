import type { StepRegistry } from '../engine/step.js';
import type { KubeClient } from '../kube/kube-client.js';
import { kubeStepKinds } from '../strategies/steps/index.js';
import { createDbStepKinds } from '../db/steps/index.js';
import { kubeSecretResolver } from '../kube/secret-resolver.js';
import { createGateStepKind, createJobGateFactory, gateFactories } from '../gates/index.js';

/**
 * Every step kind a plan may contain, bound to the cluster client. `env` is where database
 * {env: NAME} references are read at run time (default: this process's environment).
 */
export function stepRegistry(kube: KubeClient, options: { env?: NodeJS.ProcessEnv } = {}): StepRegistry {
  const resolveSecret = kubeSecretResolver(kube);
  return {
    ...kubeStepKinds(kube),
    ...createDbStepKinds({ resolveSecret, ...(options.env ? { env: options.env } : {}) }),
    gate: createGateStepKind({ factories: { ...gateFactories, job: createJobGateFactory(kube) } }),
  };
}
