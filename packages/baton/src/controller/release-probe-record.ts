import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import type { Release } from './release.js';

/**
 * The probe record the controller stored for a Release (ConfigMap `status.probe.recordRef`, one
 * key per segment). The last segment's record is returned: a failover leaves several, and the
 * last one saw the end; the totals of every segment are in `status.probe`.
 */
export async function releaseProbeRecord(kube: KubeClient, release: Release): Promise<ProbeRecord | undefined> {
  const name = release.status?.probe?.recordRef?.configMap;
  if (name === undefined) return undefined;
  const cm = await kube.get<KubeObject & { data?: Record<string, string> }>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name,
    namespace: release.metadata.namespace ?? kube.defaultNamespace,
  });
  const data = cm?.data ?? {};
  const last = Object.keys(data).sort().at(-1);
  if (last === undefined) return undefined;
  try {
    return JSON.parse(data[last] ?? 'null') as ProbeRecord;
  } catch {
    return undefined; // a torn record: the report and the page say "not measured"
  }
}
