import type { V1Pod, V1Service, V1ServicePort } from '@kubernetes/client-node';
import { mapSelectorMatches } from './label-selector.js';
import { isPodTerminal } from './pod-util.js';

/** Services whose Endpoints/EndpointSlices the controllers manage: a selector, not ExternalName. */
export function isManagedService(svc: V1Service): boolean {
  return svc.spec?.type !== 'ExternalName' && Object.keys(svc.spec?.selector ?? {}).length > 0;
}

/** The pods a Service selects, from the informer cache. */
export function selectedPods(svc: V1Service, pods: readonly V1Pod[]): V1Pod[] {
  return pods.filter(
    (p) => p.metadata?.namespace === svc.metadata?.namespace && mapSelectorMatches(svc.spec?.selector, p.metadata?.labels),
  );
}

/**
 * endpointutil.ShouldPodBeInEndpoints: terminal pods and pods without an IP never; terminating
 * pods only when the caller includes them (EndpointSlices do; Endpoints only with
 * publishNotReadyAddresses).
 */
export function shouldPodBeInEndpoints(pod: V1Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && (pod.status?.podIPs ?? []).length === 0) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/**
 * podutil.FindPort: a numeric targetPort is used as is; a named one resolves to the container port
 * of that name and protocol (sidecar init containers included), or the pod is skipped for it.
 */
export function findPort(pod: V1Pod, sp: V1ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** ShouldSetHostname: the pod's hostname is published when its subdomain is this Service. */
export function hostnameFor(pod: V1Pod, svc: V1Service): string | undefined {
  const h = pod.spec?.hostname;
  return h && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace ? h : undefined;
}
