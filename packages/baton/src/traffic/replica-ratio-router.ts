import { setTimeout as sleep } from 'node:timers/promises';
import { BatonError } from '../errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { checkWeight } from './router-guard.js';
import type { RouterConfig, TrafficRouter, TrafficSplit } from './traffic-router.js';

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

  return {
    kind: 'replica-ratio',
    precision: 'approximate',
    async setWeight(weight) {
      checkWeight(weight);
      const canary = Math.round((totalReplicas * weight) / 100);
      const stable = totalReplicas - canary;
      const before = await read(canaryDeployment);
      const grows = canary >= (before.spec.replicas ?? 0);
      const order: Array<[string, number]> = grows ? [[canaryDeployment, canary], [stableDeployment, stable]] : [[stableDeployment, stable], [canaryDeployment, canary]];
      for (const [name, replicas] of order) {
        await kube.mergePatch(ref(name), { spec: { replicas } });
        const deadline = Date.now() + 180_000;
        while (!settled(await read(name), replicas)) {
          if (Date.now() > deadline) throw new BatonError('TRAFFIC_TIMEOUT', `Deployment ${name} did not reach ${replicas} ready replica(s) in 180 s`);
          await sleep(250);
        }
      }
    },
    async setHeaderRoute(route) {
      if (route !== null) throw new BatonError('TRAFFIC_UNSUPPORTED', 'the replica-ratio router cannot route by header or cookie (no proxy sees the request)', { hint: 'use nginx-ingress, gateway-api or istio for A/B routes' });
    },
    async current(): Promise<TrafficSplit> {
      const stable = (await read(stableDeployment)).spec.replicas ?? 1;
      const canary = (await read(canaryDeployment)).spec.replicas ?? 1;
      const total = stable + canary;
      return { weight: total === 0 ? 0 : Math.round((canary / total) * 100), route: null, precision: 'approximate' };
    },
  };
}
