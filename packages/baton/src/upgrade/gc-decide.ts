/** What `baton gc` knows about one release that is not the active one. */
export interface GcCandidate {
  deployment: string;
  /** The release id (`baton.dev/release`), substituted for $release in the query. */
  release: string;
  version: string;
  /** When it stopped being active (epoch ms), if known. */
  inactiveSince: number | undefined;
  /** True when the app Service selects its pods right now (never delete those). */
  selected: boolean;
  /** Sum of the active-task query's values (absent when no query is configured). */
  activeTasks?: GcReading;
  /** Sum of drain.connections over every pod of the release (absent when not configured). */
  connections?: GcReading;
}

/** One piece of evidence about a release: a trustworthy number, or why there is none. */
export type GcReading = { kind: 'value'; value: number } | { kind: 'unknown'; reason: string };

/** The verdict on one release: `delete`, or `keep` with every reason that holds. */
export interface GcDecision {
  deployment: string;
  release: string;
  version: string;
  action: 'delete' | 'keep';
  reasons: string[];
  /** Seconds since it stopped being active, when known. */
  inactiveSeconds: number | null;
  /** null when unknown or not configured. */
  activeTasks: number | null;
  /** Open connections summed over the release's pods; null when unknown or not configured. */
  connections: number | null;
}

/** "90s", "30m", "1h", "2d", "500ms" -> milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${JSON.stringify(text)} (use 90s, 30m, 1h, 2d)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/**
 * Pure: a release is deleted only when every configured evidence (active-task query,
 * connections) reads exactly 0 AND it stopped being active at least `minAgeMs` ago AND the app
 * Service does not select it. Anything unknown (no data, NaN, Prometheus unreachable, a pod that
 * does not answer, no activation time, no evidence at all) keeps it: deleting a release that
 * still works is the one mistake gc must not make, and keeping one a little longer costs only pods.
 */
export function decideGc(candidates: GcCandidate[], o: { minAgeMs: number; now: number }): GcDecision[] {
  return candidates.map((c) => {
    const reasons: string[] = [];
    if (c.selected) reasons.push('the app Service selects it (it is active)');
    const inactiveSeconds = c.inactiveSince === undefined ? null : Math.max(0, Math.floor((o.now - c.inactiveSince) / 1000));
    if (c.inactiveSince === undefined) reasons.push('unknown since when it is inactive');
    else if (o.now - c.inactiveSince < o.minAgeMs) {
      reasons.push(`inactive for ${inactiveSeconds}s, minimum age ${Math.round(o.minAgeMs / 1000)}s (kept for an instant rollback)`);
    }
    if (c.activeTasks === undefined && c.connections === undefined)
      reasons.push('no evidence configured (strategy.rainbow.gc.activeTasksQuery or drain.connections)');
    if (c.activeTasks?.kind === 'unknown') reasons.push(`active tasks unknown: ${c.activeTasks.reason}`);
    else if (c.activeTasks && c.activeTasks.value !== 0) reasons.push(`${c.activeTasks.value} active task(s) still running`);
    if (c.connections?.kind === 'unknown') reasons.push(`connections unknown: ${c.connections.reason}`);
    else if (c.connections && c.connections.value !== 0) reasons.push(`${c.connections.value} open connection(s)`);
    return {
      deployment: c.deployment,
      release: c.release,
      version: c.version,
      action: reasons.length === 0 ? 'delete' : 'keep',
      reasons,
      inactiveSeconds,
      activeTasks: readingValue(c.activeTasks),
      connections: readingValue(c.connections),
    };
  });
}

const readingValue = (r: GcReading | undefined): number | null => (r?.kind === 'value' ? r.value : null);
