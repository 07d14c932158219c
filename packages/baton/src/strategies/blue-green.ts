import { plannedStep } from '../engine/step-kind.js';
import { rolloutStep } from './steps/rollout-step.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { PlannedStep } from '../engine/step.js';
import type { Strategy, StrategyInput, StrategySteps } from './strategy.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { pinToLivePods } from './pin-service.js';
import { drainThenScale } from './drain-plan.js';
import { scaleStep } from './steps/scale-step.js';
import { switchSelectorStep } from './steps/switch-selector-step.js';

export const colorLabel = 'baton.dev/color';
type Color = 'blue' | 'green';

interface ServiceLike extends KubeObject {
  spec?: { selector?: Record<string, string>; [f: string]: unknown };
}

/**
 * Blue-green: the new release gets its own Deployment (`<name>-<colour>`) and a preview Service;
 * hooks verify it there; then the live Service's selector moves to it in one write. The old colour
 * stays for scaleDownDelaySeconds so switching back is instant.
 *
 * An app that was never blue-green (a plain Deployment behind a Service selecting `app: x`) is
 * adopted first: the Service is pinned to the live pods' pod-template-hash, so the new colour's
 * pods, which also carry `app: x`, get no traffic before the switch.
 */
export const blueGreenStrategy: Strategy = {
  kind: 'blue-green',
  plan(input: StrategyInput): StrategySteps {
    const options = input.spec.strategy.blueGreen;
    const base = input.deployment.metadata.name;
    const service = input.service as ServiceLike | undefined;
    if (!service) throw new Error('blue-green needs the app Service in the manifests (it switches its selector)');
    const baseSelector = { ...(service.spec?.selector ?? {}) };
    const liveService = input.live.service as ServiceLike | undefined;
    const liveSelector = liveService?.spec?.selector ?? {};
    const activeColor = liveSelector[colorLabel] as Color | undefined;
    const active = activeColor ? `${base}-${activeColor}` : input.live.deployments.find((d) => d.metadata.name === base) ? base : undefined;
    const color: Color = activeColor === 'blue' ? 'green' : 'blue';
    const name = `${base}-${color}`;
    const warnings: string[] = [];
    const before: PlannedStep[] = [];

    // What the live Service must keep selecting until the switch.
    let holdSelector: Record<string, string> | undefined = activeColor ? liveSelector : undefined;
    if (!activeColor && active) {
      const pin = pinToLivePods({
        id: 'bluegreen:adopt',
        service: service.metadata.name,
        deployment: active,
        hash: input.live.currentHash[active],
        baseSelector,
      });
      if (pin) {
        holdSelector = pin.selector;
        before.push(pin.step);
      } else {
        warnings.push(`could not find the live ReplicaSet of ${active}; its Service will not be pinned before the new colour starts`);
      }
    }

    const deployment: DeploymentLike = structuredClone(input.deployment);
    deployment.metadata = { ...deployment.metadata, name, labels: { ...(deployment.metadata.labels ?? {}), [colorLabel]: color } };
    deployment.spec.selector = { matchLabels: { ...(deployment.spec.selector.matchLabels ?? {}), [colorLabel]: color } };
    deployment.spec.template.metadata = {
      ...(deployment.spec.template.metadata ?? {}),
      labels: { ...(deployment.spec.template.metadata?.labels ?? {}), [colorLabel]: color },
    };
    deployment.spec.progressDeadlineSeconds = options.progressDeadlineSeconds;
    const activeLive = input.live.deployments.find((d) => d.metadata.name === active);
    if (activeLive?.spec.replicas !== undefined) deployment.spec.replicas = activeLive.spec.replicas;
    const image = input.spec.image.ref;

    const previewName = options.previewService ?? `${service.metadata.name}-preview`.slice(0, 63);
    const newSelector = { ...baseSelector, [colorLabel]: color };
    const liveServiceObject: ServiceLike = {
      ...structuredClone(service),
      spec: { ...(service.spec ?? {}), selector: holdSelector ?? baseSelector },
    };
    const preview: ServiceLike = {
      ...structuredClone(service),
      metadata: { name: previewName, labels: { ...(service.metadata.labels ?? {}), 'baton.dev/preview-of': service.metadata.name } },
      spec: { ...(service.spec ?? {}), selector: newSelector },
    };
    delete (preview.spec as Record<string, unknown>).clusterIP;
    delete (preview.spec as Record<string, unknown>).clusterIPs;

    before.push(
      plannedStep(rolloutStep, {
        id: `rollout:${name}`,
        title: `Start ${name} (${color}) with ${image}, ${deployment.spec.replicas ?? 1} replica(s), no traffic yet`,
        reversible: true,
        params: {
          deployment: deployment,
          image,
          timeoutSeconds: options.progressDeadlineSeconds + 60,
          ...(input.configFrom ? { configFrom: input.configFrom } : {}),
        },
      }),
    );
    const after: PlannedStep[] = [
      plannedStep(switchSelectorStep, {
        id: 'bluegreen:switch',
        title: `Switch Service ${service.metadata.name} to ${color}`,
        reversible: true,
        params: { service: service.metadata.name, selector: newSelector },
      }),
    ];
    if (active) {
      const drained = drainThenScale(input.spec, `bluegreen:scale-down:${active}`, active, options.scaleDownDelaySeconds);
      if (drained) after.push(drained);
      else
        after.push(
          plannedStep(scaleStep, {
            id: `bluegreen:scale-down:${active}`,
            title: `Keep ${active} warm ${options.scaleDownDelaySeconds}s for instant switch-back, then scale it to 0`,
            reversible: true,
            params: { deployment: active, replicas: 0, afterSeconds: options.scaleDownDelaySeconds },
          }),
        );
    }
    return {
      serviceObjects: [liveServiceObject, preview],
      beforeVerify: before,
      afterVerify: after,
      verifyTarget: { newDeployment: name, ...(active ? { oldDeployment: active } : {}), service: previewName },
      trafficSwitch: 'bluegreen:switch',
      serving: { deployment: name, selector: newSelector },
      ...(holdSelector ? { previousSelector: holdSelector } : {}),
      warnings,
    };
  },
};
