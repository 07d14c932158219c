import type { KubeObject } from '../kube/kube-object.js';
import type { RoutedShare } from '../probe/http-load.js';
import type { BatonSpec, ProbeSpec } from '../spec/schema.js';

interface ServiceLike extends KubeObject {
  spec?: { clusterIP?: string; ports?: Array<{ port: number }> };
}

/**
 * Where the probe sends traffic: the spec's URL, else the live Service's ClusterIP (reachable from
 * the host on kubesim, and from inside a real cluster). Undefined when neither is known.
 */
export function probeUrl(spec: ProbeSpec, service: KubeObject | undefined): string | undefined {
  if (spec.url) return spec.url;
  const s = service as ServiceLike | undefined;
  const ip = s?.spec?.clusterIP;
  if (!ip || ip === 'None') return undefined;
  return `http://${ip}:${s?.spec?.ports?.[0]?.port ?? 80}`;
}

/**
 * A/B: the share of probe requests that carry the route's header or cookie, so the A/B analysis
 * judges the answers the route sends to the new version. Undefined for other strategies.
 */
export function probeRouting(spec: BatonSpec): { routed?: RoutedShare } {
  if (spec.strategy.kind !== 'ab') return {};
  const match = spec.strategy.ab.match;
  const headers = 'header' in match ? { [match.header]: match.value } : { cookie: `${match.cookie}=always` };
  return { routed: { share: spec.probe.routedShare, headers } };
}
