import type { Journal } from '../engine/journal.js';
import type { RunStatus } from '../engine/run-status.js';
import type { KubeClient } from '../kube/kube-client.js';
import { readHistory, type RecordedRelease } from '../kube/release-history.js';

/** One revision of an app, as `baton history` shows it (like a row of `helm history`). */
export interface Revision {
  revision: number;
  version: string;
  image: string;
  strategy: string;
  /** When it was recorded (ISO 8601). */
  at: string;
  /** `deployed`: the release running now (the newest); `superseded`: an earlier one. */
  status: 'deployed' | 'superseded';
  /** The run that recorded it. */
  runId: string;
  /** How that run stands, when this journal has it. */
  runStatus?: RunStatus;
  /** What made the revision: an upgrade, a rollback, or what baton found running before it. */
  description: string;
}

export interface HistoryView {
  app: string;
  namespace: string;
  /** Oldest first; the last is the one running now. */
  revisions: Revision[];
}

/**
 * `history`: the app's releases as revisions 1, 2, 3…, oldest first. The same version recorded
 * twice (an upgrade, then a rollback to it) is two revisions, each saying what made it. Revisions
 * are stored in the cluster's history, so they never change when old entries are trimmed.
 */
export async function history(
  request: { app: string; namespace: string },
  ports: { kube: KubeClient; journal: Journal },
): Promise<HistoryView> {
  const entries = await readHistory(ports.kube, request.namespace, request.app);
  const runs = new Map((await ports.journal.listRuns({ app: request.app })).map((r) => [r.runId, r.status]));
  const revisions = entries.map((entry, i): Revision => {
    const runId = entry.runId.replace(/:adopted$/, '');
    const runStatus = runs.get(runId);
    return {
      revision: entry.revision,
      version: entry.version,
      image: entry.image,
      strategy: entry.strategy,
      at: entry.at,
      status: i === entries.length - 1 ? 'deployed' : 'superseded',
      runId,
      ...(runStatus ? { runStatus } : {}),
      description: describe(entry),
    };
  });
  return { app: request.app, namespace: request.namespace, revisions };
}

function describe(entry: RecordedRelease): string {
  if (entry.runId.endsWith(':adopted')) return "running before baton's first upgrade (adopted)";
  if (entry.rollbackOf !== undefined)
    return `rollback from ${entry.rollbackOf}${entry.rollbackTo !== undefined ? ` to revision ${entry.rollbackTo}` : ''}`;
  return `upgrade (${entry.strategy})`;
}
