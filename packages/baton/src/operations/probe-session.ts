import { BatonError } from '../errors.js';
import type { KubeObject } from '../kube/kube-object.js';
import { checkReachable } from '../probe/probe-reachability.js';
import { startProbe, type Probe } from '../probe/probe.js';
import type { ProbeSpec } from '../spec/schema.js';
import { probeUrl } from '../upgrade/probe-target.js';
import type { ProbeFactory } from './ports.js';
import type { RoutedShare } from '../probe/http-load.js';

/**
 * The one probe start-up every use case shares (upgrade, rollback, promote): the spec's probe
 * settings, every kind of traffic it names (writes included), aimed at the spec's URL or the live
 * Service. Undefined, with the reason told, when there is nowhere to send traffic.
 */
export async function startProbeFor(
  probe: ProbeSpec,
  service: KubeObject | undefined,
  o: { probes?: ProbeFactory; onNotice?: (message: string) => void; why?: string; routed?: RoutedShare | undefined },
): Promise<Probe | undefined> {
  const url = probeUrl(probe, service);
  if (url === undefined) {
    o.onNotice?.(`probe: no probe.url and no live Service ClusterIP; ${o.why ?? 'traffic is not measured this run'}`);
    return undefined;
  }
  await refuseUnreachable(probe, service, url);
  return (o.probes ?? startProbe)({
    url,
    path: probe.path,
    rps: probe.rps,
    versionHeader: probe.versionHeader,
    ...(probe.streams ? { streams: probe.streams } : {}),
    ...(probe.sse ? { sse: probe.sse } : {}),
    ...(probe.websockets ? { websockets: probe.websockets } : {}),
    ...(probe.writes ? { writes: probe.writes } : {}),
    // A/B: a share of requests carries the route, so the A/B analysis judges the new version's answers.
    ...(o.routed ? { routed: o.routed } : {}),
  });
}

/**
 * Before any traffic (and so before any change): can this process reach the target at all? A
 * laptop or CI runner cannot reach a ClusterIP on EKS, GKE or k3s; probing anyway would count
 * baton's own unreachability as the app's failed requests and roll back a healthy release.
 */
async function refuseUnreachable(probe: ProbeSpec, service: KubeObject | undefined, url: string): Promise<void> {
  const s = service as (KubeObject & { spec?: { ports?: Array<{ port?: number }> } }) | undefined;
  const port = s?.spec?.ports?.[0]?.port;
  const verdict = await checkReachable({
    url,
    path: probe.path,
    fromClusterIp: probe.url === undefined,
    ...(s && port !== undefined ? { service: { namespace: s.metadata.namespace ?? 'default', name: s.metadata.name, port } } : {}),
  });
  if (verdict.kind === 'reachable') return;
  if (verdict.code === 'ECONNREFUSED') {
    // The address answers, but nothing accepts connections there: not a routing problem.
    throw new BatonError(
      'PROBE_UNREACHABLE',
      `nothing accepts connections at the probe's target ${url} (ECONNREFUSED): no ready pod behind it, or the wrong address; every probe request would fail and count against the new version, so nothing was changed`,
      {
        hint: 'fix probe.url (or the Service), or run without traffic proof: --no-probe (the upgrade is then not measured)',
      },
    );
  }
  const whose = probe.url === undefined ? `Service ${s?.metadata.name ?? ''}'s ClusterIP (no probe.url is set)` : 'probe.url';
  throw new BatonError(
    'PROBE_UNREACHABLE',
    `the probe cannot reach ${whose} from where baton runs: ${verdict.reason}; nothing was changed`,
    {
      hint: verdict.fixes.map((f, i) => `(${i + 1}) ${f}`).join('; '),
    },
  );
}
