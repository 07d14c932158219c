/**
 * Timestamps reach the controllers as Date (from typed list calls) or as RFC 3339 strings (from
 * raw watch events). These helpers accept both so nothing else has to care.
 */
export type Timestamp = Date | string | undefined | null;

/** Milliseconds since the epoch, or undefined when absent/unparseable. */
export function toMillis(t: Timestamp): number | undefined {
  if (t === undefined || t === null) return undefined;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The API's own format: RFC 3339 with second precision (metav1.Time drops sub-seconds). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
