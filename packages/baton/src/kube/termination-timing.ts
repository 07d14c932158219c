/** The pod's grace period (Kubernetes default 30 s). */
export function gracePeriodSeconds(podSpec: Record<string, unknown>): number {
  const value = podSpec['terminationGracePeriodSeconds'];
  return typeof value === 'number' ? value : 30;
}

/**
 * How long a preStop hook sleeps: the native `sleep.seconds` action, or a `sleep N` exec command.
 * undefined when there is no recognisable sleep.
 */
export function preStopSleepSeconds(preStop: unknown): number | undefined {
  if (preStop === null || typeof preStop !== 'object') return undefined;
  const hook = preStop as Record<string, unknown>;
  const native = (hook['sleep'] as Record<string, unknown> | undefined)?.['seconds'];
  if (typeof native === 'number') return native;
  const command = (hook['exec'] as Record<string, unknown> | undefined)?.['command'];
  if (!Array.isArray(command)) return undefined;
  const match = /\bsleep\s+(\d+(?:\.\d+)?)/.exec(command.map(String).join(' '));
  return match === null ? undefined : Number(match[1]);
}
