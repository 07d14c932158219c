import type { StepRegistry } from '../engine/step.js';
import type { KubeClient } from '../kube/kube-client.js';
import { kubeStepKinds } from '../strategies/steps/index.js';

/** Every step kind a plan may contain, bound to the cluster client. */
export function stepRegistry(kube: KubeClient): StepRegistry {
  return { ...kubeStepKinds(kube) };
}
