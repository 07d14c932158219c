import type { DiscoveryV1EndpointPort, V1Endpoint, V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node';
import type { Controller, ControllerContext } from './controller-context.js';
import { FreshCache } from './fresh-cache.js';
import { isConflict, isNotFound } from './kube-clients.js';
import { controllerRefOf, isPodReady, keyOf, splitKey } from './pod-util.js';
import { findPort, hostnameFor, isManagedService, selectedPods, shouldPodBeInEndpoints } from './service-pods.js';
import { ServiceQueue } from './service-queue.js';
import { canonical, computeTemplateHash } from './template-hash.js';

/** The labels that tie a slice to its Service and mark it as ours (other writers keep theirs). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
const MAX_ENDPOINTS_PER_SLICE = 100;

interface Desired {
  ports: DiscoveryV1EndpointPort[] | undefined;
  endpoints: V1Endpoint[];
}

/** podToEndpoint: conditions exactly as Kubernetes 1.32 computes them. */
export function endpointFor(pod: V1Pod, svc: V1Service, zone: string | undefined): V1Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  // "ready" is never true for a terminating pod unless publishNotReadyAddresses is set.
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  return {
    addresses: [pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip ?? ''],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
    nodeName: pod.spec?.nodeName || undefined,
    zone,
    hostname: hostnameFor(pod, svc),
  };
}

/**
 * The EndpointSlice controller: discovery.k8s.io/v1 slices per selector Service, grouped by the
 * resolved port set, at most 100 endpoints each, terminating pods included with their
 * conditions. A Service with no endpoints keeps one empty placeholder slice, as Kubernetes does.
 * Slices are owned by the Service, so the garbage collector removes them with it. Names are
 * `<service>-<5 chars>` like Kubernetes', but derived from the port set rather than random, so a
 * stale cache can never make two slices for the same ports.
 */
export class EndpointSliceController implements Controller {
  private readonly sq: ServiceQueue;
  /** Our own slice writes, until the informer shows them (no 409 round trips mid-rollout). */
  private readonly fresh = new FreshCache<V1EndpointSlice>();

  constructor(private readonly ctx: ControllerContext) {
    this.sq = new ServiceQueue(ctx, 'endpointslice', (k) => this.sync(k));
    const onSlice = (s: V1EndpointSlice): void => {
      const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
      if (svc && s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) this.sq.queue.add(`${s.metadata?.namespace}/${svc}`);
    };
    ctx.informers.endpointSlices.on('delete', onSlice);
    ctx.informers.endpointSlices.on('update', onSlice);
  }

  start(): void {
    this.sq.queue.start();
  }

  stop(): Promise<void> {
    return this.sq.queue.stop();
  }

  private owned(svc: V1Service): V1EndpointSlice[] {
    return this.ctx.informers.endpointSlices
      .list(svc.metadata?.namespace)
      .filter(
        (s) =>
          s.metadata?.labels?.[SERVICE_NAME_LABEL] === svc.metadata?.name &&
          s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY &&
          (!controllerRefOf(s) || controllerRefOf(s)?.uid === svc.metadata?.uid),
      );
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.ctx.informers.services.get(name, namespace);
    if (!svc || !isManagedService(svc)) {
      this.sq.lastPods.delete(key);
      return; // owned slices go with the Service through garbage collection
    }
    const pods = selectedPods(svc, this.ctx.informers.pods.list(namespace));
    this.sq.lastPods.set(key, new Set(pods.map(keyOf)));
    const desired = this.desired(svc, pods);
    const existing = new Map(this.owned(svc).map((s) => [s.metadata!.name!, this.fresh.resolve(s)]));
    const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY };
    if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const keep = new Set<string>();
    for (const [sliceName, want] of desired) {
      keep.add(sliceName);
      const cur = existing.get(sliceName) ?? this.fresh.get(namespace, sliceName);
      const body: V1EndpointSlice = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        addressType: 'IPv4',
        metadata: {
          ...(cur?.metadata ?? {}),
          name: sliceName,
          namespace,
          labels,
          ownerReferences: [
            { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata!.uid!, controller: true, blockOwnerDeletion: true },
          ],
        },
        endpoints: want.endpoints,
        ports: want.ports,
      };
      if (cur && same(cur.endpoints ?? [], want.endpoints) && same(cur.ports, want.ports) && same(cur.metadata?.labels, labels)) continue;
      const api = this.ctx.clients.discovery;
      try {
        if (cur) {
          this.fresh.remember(body, await api.replaceNamespacedEndpointSlice({ name: sliceName, namespace, body }));
        } else {
          const create = { ...body, metadata: { name: sliceName, namespace, labels, ownerReferences: body.metadata!.ownerReferences } };
          this.fresh.remember(create, await api.createNamespacedEndpointSlice({ namespace, body: create }));
        }
      } catch (err) {
        this.fresh.forget(body);
        if (isConflict(err)) throw new Error(`endpointslice ${namespace}/${sliceName} changed underneath us; retrying`);
        throw err;
      }
    }
    for (const [sliceName] of existing) {
      if (keep.has(sliceName)) continue;
      this.fresh.forget({ metadata: { name: sliceName, namespace } });
      await this.ctx.clients.discovery.deleteNamespacedEndpointSlice({ name: sliceName, namespace }).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
    }
  }

  /** Desired slices by name: endpoints grouped by port set, chunked at 100, or one placeholder. */
  private desired(svc: V1Service, pods: V1Pod[]): Map<string, Desired> {
    const groups = new Map<string, Desired>();
    const svcPorts = svc.spec?.ports ?? [];
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ports: DiscoveryV1EndpointPort[] = [];
      for (const sp of svcPorts) {
        const port = findPort(pod, sp);
        if (port === undefined) continue;
        ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', appProtocol: sp.appProtocol });
      }
      const zone = pod.spec?.nodeName
        ? this.ctx.informers.nodes.get(pod.spec.nodeName)?.metadata?.labels?.['topology.kubernetes.io/zone']
        : undefined;
      const k = JSON.stringify(ports);
      const g = groups.get(k) ?? { ports: ports.length ? ports : undefined, endpoints: [] };
      groups.set(k, g);
      g.endpoints.push(endpointFor(pod, svc, zone));
    }
    const out = new Map<string, Desired>();
    const svcName = svc.metadata!.name!;
    for (const [k, g] of groups) {
      g.endpoints.sort((a, b) => (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? ''));
      for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
        const suffix = computeTemplateHash({ metadata: { name: `${k}#${i}` } }, undefined).slice(0, 5);
        out.set(`${svcName}-${suffix}`, { ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
      }
    }
    if (out.size === 0) {
      const suffix = computeTemplateHash({ metadata: { name: 'placeholder' } }, undefined).slice(0, 5);
      out.set(`${svcName}-${suffix}`, { ports: undefined, endpoints: [] });
    }
    return out;
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
