import { kubeTime, microTime } from './kube-time.js';

/** Fields of type metav1.MicroTime (six fractional digits on the wire); every other time is metav1.Time. */
const microTimeFields = new Set(['acquireTime', 'renewTime', 'eventTime', 'lastObservedTime']);

/**
 * client-node's typed deserializer turns every timestamp into a JavaScript Date, while watches
 * (and our KubeObject types) carry the strings the API server wrote. Mixed, they break quietly:
 * `${date}` is "Wed Dec 02 2026 ...", which sorts after any "2026-12-02T..." string (two Releases
 * created in the same second each waited for the other). Every object KubeClient returns goes
 * through here, so baton sees one format: the wire's. A MicroTime keeps milliseconds only (Date
 * has no more), written with the six digits the server requires.
 */
export function toWireJson<T>(value: T): T {
  return convert(value, '') as T;
}

function convert(value: unknown, key: string): unknown {
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? null : microTimeFields.has(key) ? microTime(value.getTime()) : kubeTime(value.getTime());
  if (Array.isArray(value)) return value.map((item) => convert(item, key));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = convert(v, k);
    return out;
  }
  return value;
}
