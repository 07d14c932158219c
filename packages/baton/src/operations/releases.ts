import type { Journal, RunSummary } from '../engine/journal.js';
import type { KubeClient } from '../kube/kube-client.js';
import { readHistory, type RecordedRelease } from '../kube/release-history.js';

export interface ReleasesView {
  /** The app's history as the cluster keeps it, oldest first; the last is current. */
  releases: RecordedRelease[];
  /** Runs of the app in the journal, oldest first. */
  runs: RunSummary[];
}

/** `releases`: the app history recorded in the cluster and the runs the journal knows. */
export async function releases(
  request: { app: string; namespace: string },
  ports: { kube: KubeClient; journal: Journal },
): Promise<ReleasesView> {
  const history = await readHistory(ports.kube, request.namespace, request.app);
  const runs = (await ports.journal.listRuns({ app: request.app })).sort((a, b) => a.startedAt - b.startedAt);
  return { releases: history, runs };
}
