import { plannedStep } from '../engine/step-kind.js';
import { rolloutStep } from '../strategies/steps/rollout-step.js';
import type { PlannedStep } from '../engine/step.js';
import { BatonError } from '../errors.js';
import type { Plan } from '../plan/plan.js';
import type { ReleaseEntry } from '../kube/release-history.js';
import { pickRollbackTarget, type RollbackChoice } from './rollback-target.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { scaleStep } from '../strategies/steps/scale-step.js';
import { switchSelectorStep } from '../strategies/steps/switch-selector-step.js';
import { verifyServiceTargetsStep } from '../strategies/steps/verify-service-targets-step.js';
import { recordRollbackStep } from './record-rollback.js';

export interface RollbackInput extends RollbackChoice {
  app: string;
  namespace: string;
  history: ReleaseEntry[];
  /** Live Deployments by name (to know whether the target release still runs). */
  live: Record<string, DeploymentLike | undefined>;
  scaleDownDelaySeconds: number;
  /** The app's Service as it is now: where traffic goes, to move it and to check that it moved. */
  service?: { name: string; selector: Record<string, string> };
}

/**
 * Plans a return to an earlier release from the history the cluster keeps, whatever came before
 * (rolling, blue-green, rollbacks of either). When the target runs in another Deployment than the
 * current release (the old colour, or the plain Deployment a blue-green upgrade adopted): bring it
 * up to today's capacity (a Deployment scaled to 0 by blue-green comes back with the current
 * release's replicas, never with 0), point the Service at it (the recorded colour selector, or a
 * pin to its pods' pod-template-hash), then scale the current one down after the warm delay.
 * Otherwise roll the recorded Deployment (with its own pinned config) back out. Either way a
 * final check demands that the Service selects ready pods of the target release and nothing else,
 * so a rollback whose traffic stayed put fails (and is undone) instead of being reported done. Pure.
 */
export function planRollback(input: RollbackInput): Plan {
  const { target, current } = pickRollbackTarget(input);
  const steps: PlannedStep[] = [];
  const liveTarget = input.live[target.deployment];
  const template = target.template as DeploymentLike | undefined;
  const image = template?.spec.template.spec.containers[0]?.image ?? target.image;
  const serviceName = target.service ?? input.service?.name;
  if (target.deployment !== current.deployment) {
    if (!liveTarget && !template)
      throw new BatonError(
        'ROLLBACK_GONE',
        `Deployment ${target.deployment} of release ${target.version} is gone and no template was recorded`,
        { hint: 'redeploy that version with `baton upgrade`' },
      );
    // Today's capacity: what the current release runs; a scaled-down target's own 0 never counts.
    const replicas =
      positive(input.live[current.deployment]?.spec.replicas) ??
      positive(template?.spec.replicas) ??
      positive(liveTarget?.spec.replicas) ??
      1;
    const deployment = structuredClone(template ?? liveTarget!);
    deployment.spec.replicas = replicas;
    steps.push(
      plannedStep(rolloutStep, {
        id: `rollout:${target.deployment}`,
        reversible: true,
        title: `Bring ${target.deployment} (${target.version}) up to ${replicas} ready replica(s)`,
        params: { deployment: deployment, image, timeoutSeconds: 360 },
      }),
    );
    if (!serviceName)
      throw new BatonError('ROLLBACK_NO_SERVICE', `no Service is known for ${input.app}: traffic cannot be moved to ${target.deployment}`, {
        hint: 'name it with `service:` in baton.yaml',
      });
    if (target.selector) {
      steps.push(
        plannedStep(switchSelectorStep, {
          id: 'bluegreen:switch',
          reversible: true,
          title: `Switch Service ${serviceName} back to ${target.version}`,
          params: { service: serviceName, selector: target.selector },
        }),
      );
    } else {
      const base = deployment.spec.selector.matchLabels ?? {};
      steps.push(
        plannedStep(switchSelectorStep, {
          id: 'rollback:pin',
          reversible: true,
          title: `Point Service ${serviceName} at the pods of ${target.deployment} (${target.version}) alone`,
          params: { service: serviceName, selector: base, pinTo: target.deployment },
        }),
      );
    }
    steps.push(verifyTraffic(serviceName, target.deployment, target.version, image));
    steps.push(
      plannedStep(scaleStep, {
        id: `bluegreen:scale-down:${current.deployment}`,
        reversible: true,
        title: `Keep ${current.deployment} warm ${input.scaleDownDelaySeconds}s, then scale it to 0`,
        params: { deployment: current.deployment, replicas: 0, afterSeconds: input.scaleDownDelaySeconds },
      }),
    );
  } else {
    if (!template)
      throw new BatonError('ROLLBACK_NO_TEMPLATE', `release ${target.version} was recorded without its Deployment`, {
        hint: 'redeploy that version with `baton upgrade`',
      });
    const deployment = structuredClone(template);
    const live = input.live[deployment.metadata.name];
    const replicas = positive(live?.spec.replicas);
    if (replicas !== undefined) deployment.spec.replicas = replicas; // keep today's capacity
    steps.push(
      plannedStep(rolloutStep, {
        id: `rollout:${deployment.metadata.name}`,
        reversible: true,
        title: `Roll Deployment ${deployment.metadata.name} back to ${image} (its recorded template and config)`,
        params: { deployment: deployment, image, timeoutSeconds: (deployment.spec.progressDeadlineSeconds ?? 600) + 60 },
      }),
    );
    // A Service pinned to a pod-template-hash would keep naming the rolled-away pods: re-pin it.
    if (serviceName && input.service?.selector['pod-template-hash'] !== undefined) {
      steps.push(
        plannedStep(switchSelectorStep, {
          id: 'rollback:pin',
          reversible: true,
          title: `Point Service ${serviceName} at the rolled-back pods of ${deployment.metadata.name}`,
          params: { service: serviceName, selector: deployment.spec.selector.matchLabels ?? {}, pinTo: deployment.metadata.name },
        }),
      );
    }
    if (serviceName) steps.push(verifyTraffic(serviceName, deployment.metadata.name, target.version, image));
  }
  steps.push(recordRollbackStep(target, current));
  return {
    app: input.app,
    namespace: input.namespace,
    strategy: `rollback (${target.selector ? 'blue-green' : 'rolling'})`,
    from: { version: current.version, image: current.image },
    to: { version: target.version, image: target.image },
    steps,
    drift: [],
    warnings: [],
  };
}

const positive = (n: number | undefined): number | undefined => (n !== undefined && n > 0 ? n : undefined);

function verifyTraffic(service: string, deployment: string, version: string, image: string): PlannedStep {
  return plannedStep(verifyServiceTargetsStep, {
    id: 'rollback:verify-traffic',
    reversible: true,
    title: `Check that Service ${service} selects ready pods of ${deployment} (${version}) and nothing else`,
    params: { service, deployment, image, timeoutSeconds: 60 },
  });
}
