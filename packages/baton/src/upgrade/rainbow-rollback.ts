import { plannedStep } from '../engine/step-kind.js';
import { rolloutStep } from '../strategies/steps/rollout-step.js';
import type { PlannedStep } from '../engine/step.js';
import { BatonError } from '../errors.js';
import type { Plan } from '../plan/plan.js';
import type { ReleaseEntry } from '../kube/release-history.js';
import { pickRollbackTarget, type RollbackChoice } from './rollback-target.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { switchSelectorStep } from '../strategies/steps/switch-selector-step.js';
import { recordRollbackStep } from './record-rollback.js';

export interface RainbowRollbackInput extends RollbackChoice {
  app: string;
  namespace: string;
  history: ReleaseEntry[];
  /** Live Deployments by name (whether the target release still runs, and how ready it is). */
  live: Record<string, DeploymentLike | undefined>;
}

/**
 * Plans a rainbow rollback. A release that still runs with ready pods is re-activated by one
 * Service switch: no pod starts, nothing waits (the Spawn seed's "quickly and easily switched
 * back"). One that was collected (or has no ready pod) is redeployed from the Deployment recorded
 * in the history, then activated. The current release keeps running, like any older one, until
 * `baton gc` collects it. Pure.
 */
export function planRainbowRollback(input: RainbowRollbackInput): Plan {
  const { target, current } = pickRollbackTarget(input);
  if (!target.selector || !target.service) {
    throw new BatonError('ROLLBACK_NO_SELECTOR', `release ${target.version} was recorded without the Service selector that activates it`, {
      hint: 'redeploy that version with `baton upgrade`',
    });
  }
  const steps: PlannedStep[] = [];
  const live = input.live[target.deployment];
  const ready = (live?.status?.availableReplicas ?? 0) > 0 && (live?.spec.replicas ?? 1) > 0;
  if (!ready) {
    const template = (target.template as DeploymentLike | undefined) ?? live;
    if (!template)
      throw new BatonError(
        'ROLLBACK_GONE',
        `Deployment ${target.deployment} of release ${target.version} is gone and no template was recorded`,
        { hint: 'redeploy that version with `baton upgrade`' },
      );
    const deployment = structuredClone(template);
    deployment.spec.replicas = Math.max(1, input.live[current.deployment]?.spec.replicas ?? template.spec.replicas ?? 1);
    const image = deployment.spec.template.spec.containers[0]?.image ?? target.image;
    steps.push(
      plannedStep(rolloutStep, {
        id: `rollout:${target.deployment}`,
        reversible: true,
        title: `Redeploy release ${target.version} as ${target.deployment} (${image}, its recorded template and config)`,
        params: { deployment: deployment, image, timeoutSeconds: (deployment.spec.progressDeadlineSeconds ?? 300) + 60 },
      }),
    );
  }
  steps.push(
    plannedStep(switchSelectorStep, {
      id: 'rainbow:activate',
      reversible: true,
      title: `Re-activate release ${target.version}: Service ${target.service} -> ${Object.entries(target.selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')} (${current.version} keeps running)`,
      params: { service: target.service, selector: target.selector },
    }),
  );
  steps.push(recordRollbackStep(target, current));
  return {
    app: input.app,
    namespace: input.namespace,
    strategy: `rollback (rainbow${ready ? ', instant' : ', redeploy'})`,
    from: { version: current.version, image: current.image },
    to: { version: target.version, image: target.image },
    steps,
    drift: [],
    warnings: [],
  };
}
