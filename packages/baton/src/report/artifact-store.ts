import type { RunRecord } from './run-record.js';

/** Where a stored run's artifacts can be found (file paths, a ConfigMap name, a URL...). */
export type ArtifactRefs = Readonly<Record<string, string>>;

/**
 * Keeps each run's record (and whatever renderings the store chooses). The CLI stores files under
 * --state-dir; a controller could keep them in a CR status or a ConfigMap.
 */
export interface ArtifactStore {
  save(record: RunRecord): Promise<ArtifactRefs>;
  /** The record saved for `runId`, undefined when none was saved. */
  load(runId: string): Promise<RunRecord | undefined>;
}
