import type { StepRegistry } from '../engine/step.js';
import type { KubeClient } from '../kube/kube-client.js';
import { kubeStepKinds } from '../strategies/steps/index.js';
import { createDbStepKinds } from '../db/steps/index.js';
import { createGateStepKind, createJobGateFactory, gateFactories } from '../gates/index.js';

/**
 * Every step kind a plan may contain, bound to the cluster client. `env` is where database
 * {env: NAME} references are read at run time (default: this process's environment).
 */
export function stepRegistry(kube: KubeClient, options: { env?: NodeJS.ProcessEnv } = {}): StepRegistry {
  const resolveSecret = async (ref: { namespace: string; name: string; key: string }): Promise<string> => {
    const secret = await kube.get<{ apiVersion: string; kind: string; metadata: { name: string }; data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret', name: ref.name, namespace: ref.namespace });
    const value = secret?.data?.[ref.key];
    if (value === undefined) throw new Error(`Secret ${ref.namespace}/${ref.name} has no key ${ref.key}`);
    return Buffer.from(value, 'base64').toString('utf8');
  };
  return { ...kubeStepKinds(kube), ...createDbStepKinds({ resolveSecret, ...(options.env ? { env: options.env } : {}) }), gate: createGateStepKind({ factories: { ...gateFactories, job: createJobGateFactory(kube) } }) };
}
