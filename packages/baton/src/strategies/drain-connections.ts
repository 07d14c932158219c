import type { ConnectionMetric } from '../spec/connection-metric.js';

export { connectionMetricSchema, type ConnectionMetric } from '../spec/connection-metric.js';

/**
 * Sums the samples of `metric` (matching `labels`) in Prometheus text exposition. undefined when
 * the metric is absent: "no data" is never read as 0, since 0 is what lets baton take a pod away.
 */
export function sumMetric(text: string, metric: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  let found = false;
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line.trim());
    if (!m || m[1] !== metric) continue;
    const sample: Record<string, string> = {};
    for (const pair of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) sample[pair[1] ?? ''] = pair[2] ?? '';
    if (!Object.entries(labels).every(([k, v]) => sample[k] === v)) continue;
    const value = Number(m[4]);
    if (!Number.isFinite(value)) continue;
    found = true;
    sum += value;
  }
  return found ? sum : undefined;
}

/** The pod's port number for a port given by number or by container port name. */
export function resolvePort(
  port: number | string,
  containers: ReadonlyArray<{ ports?: ReadonlyArray<{ name?: string; containerPort: number }> }>,
): number | undefined {
  if (typeof port === 'number') return port;
  for (const c of containers) for (const p of c.ports ?? []) if (p.name === port) return p.containerPort;
  return undefined;
}

/**
 * Reads one pod's connections from its metric endpoint at `http://<podIP>:<port><path>`: reachable
 * on kubesim and from inside a cluster (baton as a controller or Job). Undefined when the pod does
 * not answer or the metric is missing.
 */
export async function readPodConnections(
  podIp: string,
  port: number,
  metric: ConnectionMetric,
  timeoutMs = 2000,
): Promise<number | undefined> {
  try {
    const res = await fetch(`http://${podIp}:${port}${metric.path}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) {
      await res.arrayBuffer();
      return undefined;
    }
    return sumMetric(await res.text(), metric.metric, metric.labels ?? {});
  } catch {
    return undefined;
  }
}

/** Asks a pod to end its resumable streams now (e.g. POST /admin/drain); false when it did not answer 2xx. */
export async function nudgePod(podIp: string, port: number, nudge: { path: string; method: string }, timeoutMs = 2000): Promise<boolean> {
  try {
    const res = await fetch(`http://${podIp}:${port}${nudge.path}`, { method: nudge.method, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}
