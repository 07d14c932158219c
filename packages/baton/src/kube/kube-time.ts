/**
 * Timestamps in the two wire formats of the Kubernetes API. The real server parses
 * `metav1.MicroTime` (Lease acquireTime/renewTime, Event eventTime) with the layout
 * "2006-01-02T15:04:05.000000Z07:00": exactly six fractional digits, so JavaScript's
 * millisecond `toISOString()` is refused with a 400. `metav1.Time` is written with whole seconds.
 */

/** RFC 3339 with exactly six fractional digits, in UTC: "2026-12-02T00:08:55.635000Z". */
export function microTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** RFC 3339 with whole seconds, in UTC, as the server writes `metav1.Time`: "2026-12-02T00:08:55Z". */
export function kubeTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
