import type { ProbeRecord } from '../probe/probe-record.js';
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
  /**
   * Replaces the run's probe checkpoint: every probe segment measured so far (one per process that
   * ran the run), written while the probe runs so a killed process loses at most one interval.
   * A store without it keeps no checkpoints (a killed run's traffic is then not measured).
   */
  saveProbeSegments?(runId: string, segments: readonly ProbeRecord[]): Promise<void>;
  /** The run's probe checkpoint, undefined when none was written. */
  loadProbeSegments?(runId: string): Promise<ProbeRecord[] | undefined>;
}
