import { setTimeout as sleep } from 'node:timers/promises';
import { BatonError } from '../errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import { selectorString } from '../kube/label-selector.js';
import { hopelessPod, waitingReasons, type PodLike } from '../kube/pod-troubles.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { checkWeight } from './router-guard.js';
import type { RouterConfig, SetWeightOptions, TrafficRouter, TrafficSplit } from './traffic-router.js';

/** How long one side may take to run its share of ready pods. */
const settleTimeoutMs = 180_000;

type WithStatus = DeploymentLike & { status?: { replicas?: number; readyReplicas?: number } };

/**
 * No mesh: one Service selects both Deployments and round-robins over their pods, so the new
 * version's share is canary / (stable + canary) replicas. totalReplicas are shared out (the
 * growing side first, so capacity never dips), and the call returns once both sides run exactly
 * that many ready pods. Only as fine as one replica in totalReplicas: reported approximate.
 */
export function createReplicaRatioRouter(kube: KubeClient, config: RouterConfig): TrafficRouter {
  const { stableDeployment, canaryDeployment, totalReplicas } = config;
  if (!stableDeployment || !canaryDeployment || !totalReplicas) {
    throw new BatonError('TRAFFIC_CONFIG', 'the replica-ratio router needs the stable and canary Deployments and traffic.totalReplicas');
  }
  const ref = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: config.namespace });
  const read = async (name: string): Promise<WithStatus> => {
    const d = await kube.get<WithStatus>(ref(name));
    if (!d) throw new BatonError('DEPLOYMENT_MISSING', `Deployment ${config.namespace}/${name} does not exist`);
    return d;
  };
  const settled = (d: WithStatus, want: number): boolean =>
    (d.spec.replicas ?? 1) === want && (d.status?.replicas ?? 0) === want && (d.status?.readyReplicas ?? 0) === want;

  /**
   * Polls until the Deployment runs exactly `want` ready pods, saying on every change what it
   * waits for (ready count, and each pod that waits: reason and restarts). A pod that can never
   * become ready (crash loop, missing image) fails the wait at once, as a rollout's wait does,
   * rather than letting users hit the broken version until the 180 s deadline.
   */
  const untilSettled = async (name: string, want: number, options: SetWeightOptions): Promise<void> => {
    const deadline = Date.now() + settleTimeoutMs;
    let said = '';
    for (;;) {
      const d = await read(name);
      if (settled(d, want)) return;
      const ready = d.status?.readyReplicas ?? 0;
      const selector = selectorString(d.spec.selector.matchLabels);
      const { items: selected } = await kube.list<PodLike>({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: config.namespace,
        labelSelector: selector,
      });
      // The stable selector may also match the canary's pods: judge this Deployment's own.
      const images = d.spec.template.spec.containers.map((c) => c.image);
      const pods = selected.filter((p) => p.spec.containers.some((c) => images.includes(c.image)));
      const broken = images.map((image) => hopelessPod(pods, image)).find((x) => x !== undefined);
      if (broken !== undefined) {
        throw new BatonError('TRAFFIC_PODS_FAILING', `Deployment ${name} cannot reach ${want} ready replica(s): ${broken}`, {
          hint: `read why in its logs: kubectl logs -n ${config.namespace} -l ${selector} --previous`,
        });
      }
      const line = [`Deployment ${name}: ${ready} ready, wants ${want}`, ...waitingReasons(pods)].join('; ');
      if (line !== said) {
        said = line;
        options.onProgress?.(line, want === 0 ? 1 : Math.min(1, ready / want));
      }
      if (Date.now() > deadline)
        throw new BatonError(
          'TRAFFIC_TIMEOUT',
          `Deployment ${name} did not reach ${want} ready replica(s) in ${settleTimeoutMs / 1000} s (${line})`,
        );
      await sleep(250, undefined, options.signal === undefined ? {} : { signal: options.signal });
    }
  };

  return {
    kind: 'replica-ratio',
    precision: 'approximate',
    async setWeight(weight, options = {}) {
      checkWeight(weight);
      const canary = Math.round((totalReplicas * weight) / 100);
      const stable = totalReplicas - canary;
      const before = await read(canaryDeployment);
      const grows = canary >= (before.spec.replicas ?? 0);
      const order: Array<[string, number]> = grows
        ? [
            [canaryDeployment, canary],
            [stableDeployment, stable],
          ]
        : [
            [stableDeployment, stable],
            [canaryDeployment, canary],
          ];
      for (const [name, replicas] of order) {
        await kube.mergePatch(ref(name), { spec: { replicas } });
        await untilSettled(name, replicas, options);
      }
    },
    async setHeaderRoute(route) {
      if (route !== null)
        throw new BatonError(
          'TRAFFIC_UNSUPPORTED',
          'the replica-ratio router cannot route by header or cookie (no proxy sees the request)',
          { hint: 'use nginx-ingress, gateway-api or istio for A/B routes' },
        );
    },
    async current(): Promise<TrafficSplit> {
      const stable = (await read(stableDeployment)).spec.replicas ?? 1;
      const canary = (await read(canaryDeployment)).spec.replicas ?? 1;
      const total = stable + canary;
      return { weight: total === 0 ? 0 : Math.round((canary / total) * 100), route: null, precision: 'approximate' };
    },
  };
}
