import type { V1EndpointAddress, V1EndpointSubset, V1Endpoints, V1Service } from '@kubernetes/client-node';
import type { Controller, ControllerContext } from './controller-context.js';
import { FreshCache } from './fresh-cache.js';
import { isConflict, isNotFound } from './kube-clients.js';
import { isPodReady, keyOf, splitKey } from './pod-util.js';
import { findPort, hostnameFor, isManagedService, selectedPods, shouldPodBeInEndpoints } from './service-pods.js';
import { ServiceQueue } from './service-queue.js';
import { canonical } from './template-hash.js';

interface PortOut {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/**
 * The (legacy) Endpoints controller: one Endpoints object per selector Service. Ready pods go to
 * addresses, not-ready ones to notReadyAddresses, terminating pods are dropped (all three become
 * addresses with publishNotReadyAddresses). Subsets are repacked by identical port sets.
 */
export class EndpointsController implements Controller {
  private readonly sq: ServiceQueue;
  private readonly fresh = new FreshCache<V1Endpoints>();

  constructor(private readonly ctx: ControllerContext) {
    this.sq = new ServiceQueue(ctx, 'endpoints', (k) => this.sync(k));
    ctx.informers.endpoints.on('delete', (ep) => this.sq.queue.add(keyOf(ep)));
  }

  start(): void {
    this.sq.queue.start();
  }

  stop(): Promise<void> {
    return this.sq.queue.stop();
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.ctx.informers.services.get(name, namespace);
    const inCache = this.ctx.informers.endpoints.get(name, namespace);
    const existing = inCache ? this.fresh.resolve(inCache) : this.fresh.get(namespace, name);
    if (!svc) {
      this.sq.lastPods.delete(key);
      this.fresh.forget({ metadata: { name, namespace } });
      // The Service is gone: its Endpoints go too (they carry no ownerReference to collect them).
      if (existing)
        await this.ctx.clients.core.deleteNamespacedEndpoints({ name, namespace }).catch((e: unknown) => {
          if (!isNotFound(e)) throw e;
        });
      return;
    }
    if (!isManagedService(svc)) return;
    const pods = selectedPods(svc, this.ctx.informers.pods.list(namespace));
    this.sq.lastPods.set(key, new Set(pods.map(keyOf)));
    const subsets = this.subsets(svc, pods);
    const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
    if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    if (existing && same(existing.subsets, subsets) && same(existing.metadata?.labels, labels)) return;
    const body: V1Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(existing?.metadata ?? {}), name, namespace, labels },
      subsets: subsets.length > 0 ? subsets : undefined,
    };
    try {
      if (existing) {
        this.fresh.remember(body, await this.ctx.clients.core.replaceNamespacedEndpoints({ name, namespace, body }));
      } else {
        const create = { ...body, metadata: { name, namespace, labels } };
        this.fresh.remember(create, await this.ctx.clients.core.createNamespacedEndpoints({ namespace, body: create }));
      }
    } catch (err) {
      this.fresh.forget(body);
      // 409 on create means our cache is behind: the retry sees the object.
      if (isConflict(err)) throw new Error(`endpoints ${key} changed underneath us; retrying`);
      throw err;
    }
  }

  private subsets(svc: V1Service, pods: ReturnType<typeof selectedPods>): V1EndpointSubset[] {
    const tolerate = svc.spec?.publishNotReadyAddresses === true;
    const groups = new Map<string, { ports: PortOut[]; ready: V1EndpointAddress[]; notReady: V1EndpointAddress[] }>();
    const svcPorts = svc.spec?.ports ?? [];
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, tolerate)) continue;
      const addr: V1EndpointAddress = {
        ip: pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip ?? '',
        nodeName: pod.spec?.nodeName,
        hostname: hostnameFor(pod, svc),
        targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
      };
      const ports: PortOut[] = [];
      if (svcPorts.length === 0) {
        if (svc.spec?.clusterIP !== 'None') continue;
      } else {
        for (const sp of svcPorts) {
          const port = findPort(pod, sp);
          if (port === undefined) continue;
          ports.push({ name: sp.name || undefined, port, protocol: sp.protocol ?? 'TCP', appProtocol: sp.appProtocol });
        }
        if (ports.length === 0) continue;
      }
      ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
      const k = JSON.stringify(ports);
      const g = groups.get(k) ?? { ports, ready: [], notReady: [] };
      groups.set(k, g);
      if (tolerate || isPodReady(pod)) g.ready.push(addr);
      else g.notReady.push(addr);
    }
    const byIp = (a: V1EndpointAddress, b: V1EndpointAddress): number =>
      a.ip.localeCompare(b.ip) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');
    return [...groups.values()].map((g) => ({
      addresses: g.ready.length ? g.ready.sort(byIp) : undefined,
      notReadyAddresses: g.notReady.length ? g.notReady.sort(byIp) : undefined,
      ports: g.ports.length ? g.ports : undefined,
    }));
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
