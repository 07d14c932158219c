import type { PlannedStep } from '../engine/step.js';
import { BatonError } from '../errors.js';
import type { Plan } from '../plan/plan.js';
import type { ReleaseEntry } from '../strategies/steps/release-history.js';
import type { DeploymentLike } from '../strategies/workload.js';

export interface RollbackInput {
  app: string;
  namespace: string;
  history: ReleaseEntry[];
  /** Live Deployments by name (to know whether the target release still runs). */
  live: Record<string, DeploymentLike | undefined>;
  /** Roll back to this version (default: the release before the current one). */
  to?: string;
  scaleDownDelaySeconds: number;
}

/**
 * Plans a return to an earlier release from the history the cluster keeps. Blue-green: if the
 * old colour still exists, scale it up (if it was scaled down), switch the Service back (the
 * instant part) and scale the current colour down later. Otherwise, and for rolling: roll the
 * recorded Deployment (with its own pinned config) back out. Pure.
 */
export function planRollback(input: RollbackInput): Plan {
  const current = input.history.at(-1);
  if (!current) throw new BatonError('ROLLBACK_NO_HISTORY', `no release of ${input.namespace}/${input.app} is recorded`, { hint: 'baton records releases it deploys; nothing to roll back to yet' });
  const candidates = input.history.slice(0, -1).filter((e) => e.version !== current.version);
  const target = input.to === undefined ? candidates.at(-1) : candidates.reverse().find((e) => e.version === input.to);
  if (!target) {
    throw new BatonError('ROLLBACK_NO_TARGET', input.to ? `release ${input.to} is not in the history of ${input.app}` : `${input.app} has no release before ${current.version}`, { hint: 'see `baton releases`' });
  }
  const steps: PlannedStep[] = [];
  const liveTarget = input.live[target.deployment];
  const template = target.template as DeploymentLike | undefined;
  const image = template?.spec.template.spec.containers[0]?.image ?? target.image;
  if (target.selector && target.service && target.deployment !== current.deployment) {
    if (!liveTarget && !template) throw new BatonError('ROLLBACK_GONE', `Deployment ${target.deployment} of release ${target.version} is gone and no template was recorded`, { hint: 'redeploy that version with `baton upgrade`' });
    const replicas = input.live[current.deployment]?.spec.replicas ?? template?.spec.replicas ?? 1;
    const deployment = structuredClone(template ?? liveTarget!);
    deployment.spec.replicas = replicas;
    steps.push({ id: `rollout:${target.deployment}`, kind: 'rollout', reversible: true, title: `Bring ${target.deployment} (${target.version}) up to ${replicas} ready replica(s)`, params: { deployment: deployment as never, image, timeoutSeconds: 360 } });
    steps.push({ id: 'bluegreen:switch', kind: 'switch-selector', reversible: true, title: `Switch Service ${target.service} back to ${target.version}`, params: { service: target.service, selector: target.selector } });
    steps.push({ id: `bluegreen:scale-down:${current.deployment}`, kind: 'scale', reversible: true, title: `Keep ${current.deployment} warm ${input.scaleDownDelaySeconds}s, then scale it to 0`, params: { deployment: current.deployment, replicas: 0, afterSeconds: input.scaleDownDelaySeconds } });
  } else {
    if (!template) throw new BatonError('ROLLBACK_NO_TEMPLATE', `release ${target.version} was recorded without its Deployment`, { hint: 'redeploy that version with `baton upgrade`' });
    const deployment = structuredClone(template);
    const live = input.live[deployment.metadata.name];
    if (live?.spec.replicas !== undefined) deployment.spec.replicas = live.spec.replicas; // keep today's capacity
    steps.push({ id: `rollout:${deployment.metadata.name}`, kind: 'rollout', reversible: true, title: `Roll Deployment ${deployment.metadata.name} back to ${image} (its recorded template and config)`, params: { deployment: deployment as never, image, timeoutSeconds: (deployment.spec.progressDeadlineSeconds ?? 600) + 60 } });
  }
  steps.push({ id: 'release:record', kind: 'record-release', reversible: true, title: `Record the rollback to ${target.version}`, params: { entry: { ...target, template: undefined, rollbackOf: current.version } as never } });
  return {
    app: input.app, namespace: input.namespace, strategy: `rollback (${target.selector ? 'blue-green' : 'rolling'})`,
    from: { version: current.version, image: current.image }, to: { version: target.version, image: target.image },
    steps, drift: [], warnings: [],
  };
}
