import type { PlannedStep } from '../engine/step.js';
import { plannedStep } from '../engine/step-kind.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import type { KubeObject } from '../kube/kube-object.js';
import { matchesLabels, serviceSelector } from '../kube/label-selector.js';
import { scaleStep } from './steps/scale-step.js';
import { switchSelectorStep } from './steps/switch-selector-step.js';
import { verifyServiceTargetsStep } from './steps/verify-service-targets-step.js';

const sameSelector = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && matchesLabels(a, b);

/** The steps a rolling upgrade adds around its rollout to take the Service back from earlier routing. */
export interface RollingRouting {
  beforeRollout: PlannedStep[];
  afterRollout: PlannedStep[];
  /** The step that moves traffic to the new pods, when it is not the rollout itself. */
  trafficSwitch?: string;
}

/**
 * A rolling upgrade after a blue-green one, or after a rollback that pinned the Service to one
 * ReplicaSet, finds the Service routing somewhere else than the manifests say: to `web-blue`
 * (selector `baton.dev/color`), or to the old pods' `pod-template-hash`. Server-side apply leaves
 * those keys alone (baton's merge patch wrote them), so without this the rollout would succeed
 * and serve nothing new, or, pinned to a hash the rollout retires, nothing at all. These steps
 * make the Service select exactly what the manifests say and retire the other Deployments:
 *
 * - the rolled Deployment serves now (pinned by hash): the other Deployments, which serve
 *   nothing, scale to 0 first; then the selector is made exact (only its pods match), then the
 *   rollout replaces them pod by pod as usual;
 * - another Deployment serves (a colour): the rollout brings the new pods up unserved, the
 *   selector is made exact (old and new pods both serve, as in any rolling update), and the other
 *   Deployments scale to 0, drained.
 *
 * Either way the run ends by checking that the Service selects ready pods of the rolled
 * Deployment and nothing else. Every step undoes: a failure puts the earlier routing back.
 */
export function rollingRouting(o: {
  deployment: DeploymentLike;
  image: string;
  service: KubeObject | undefined;
  live: { deployments: DeploymentLike[]; service: KubeObject | undefined };
  timeoutSeconds: number;
}): RollingRouting {
  const none = { beforeRollout: [], afterRollout: [] };
  if (!o.service || !o.live.service) return none;
  const name = o.deployment.metadata.name;
  const service = o.service.metadata.name;
  const wanted = serviceSelector(o.service);
  const live = serviceSelector(o.live.service);
  const others = o.live.deployments.filter((d) => d.metadata.name !== name && (d.spec.replicas ?? 1) > 0);
  if (sameSelector(wanted, live) && others.length === 0) return none;

  const labels = o.deployment.spec.template.metadata?.labels ?? {};
  const rolledServes = Object.entries(live).every(([k, v]) => k === 'pod-template-hash' || labels[k] === v);
  const exact = plannedStep(switchSelectorStep, {
    id: `route:${service}`,
    reversible: true,
    title: `Make Service ${service} select ${Object.entries(wanted)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')} as the manifests say (it selects ${Object.entries(live)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}, left by an earlier blue-green release or rollback)`,
    params: { service, selector: wanted },
  });
  const retire = others.map((d) =>
    plannedStep(scaleStep, {
      id: `retire:${d.metadata.name}`,
      reversible: true,
      title: `Scale Deployment ${d.metadata.name} (left by a blue-green release) to 0`,
      params: { deployment: d.metadata.name, replicas: 0 },
    }),
  );
  const verify = plannedStep(verifyServiceTargetsStep, {
    id: `route:verify-${service}`,
    reversible: true,
    title: `Check that Service ${service} selects ready pods of ${name} and nothing else`,
    params: { service, deployment: name, image: o.image, timeoutSeconds: o.timeoutSeconds },
  });
  return rolledServes
    ? { beforeRollout: [...retire, exact], afterRollout: [verify] }
    : { beforeRollout: [], afterRollout: [exact, ...retire, verify], trafficSwitch: exact.id };
}
