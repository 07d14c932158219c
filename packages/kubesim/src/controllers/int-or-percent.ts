/** An IntOrString as Kubernetes accepts it for maxSurge / maxUnavailable: 3 or "25%". */
export type IntOrPercent = number | string;

/**
 * Scales an int-or-percent against a total, like apimachinery's GetScaledValueFromIntOrPercent:
 * integers pass through, percentages are rounded up or down as asked. Rounding direction is the
 * whole safety story of a rolling update (surge rounds up, unavailability rounds down).
 */
export function scaledValue(value: IntOrPercent | undefined, total: number, roundUp: boolean): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  const m = /^(-?\d+)%$/.exec(value);
  if (!m) {
    // Kubernetes also rejects a bare numeric string here ("invalid value for IntOrString").
    throw new Error(`invalid value for IntOrString: ${JSON.stringify(value)} is not a percentage`);
  }
  const pct = Number(m[1]);
  const raw = (pct * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}
