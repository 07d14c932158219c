import type { EngineEvent } from '../engine/engine-event.js';
import type { RunOutcome } from '../engine/run-outcome.js';
import type { Probe } from '../probe/probe.js';
import { ProbeCheckpoint } from '../probe/probe-checkpoint.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import { joinProbeRecords } from '../probe/probe-segments.js';
import { systemClock } from './clock.js';
import type { OperationPorts } from './ports.js';

/** What a probed engine call measured. */
export interface ProbedOutcome {
  outcome: RunOutcome;
  /** Every segment of the run joined (earlier processes' and this one's); undefined when none measured. */
  probe: ProbeRecord | undefined;
  /** True when this call's own probe ran (its budget is judged). */
  measured: boolean;
}

/**
 * The probe segments earlier processes measured for a run: the checkpoint file, else the probe
 * of the record a finished call saved (runs from before checkpoints), else none.
 */
export async function earlierSegments(runId: string, ports: Pick<OperationPorts, 'artifacts'>): Promise<ProbeRecord[]> {
  const store = ports.artifacts;
  if (!store) return [];
  const segments = await store.loadProbeSegments?.(runId);
  if (segments && segments.length > 0) return segments;
  const saved = (await store.load(runId))?.probe;
  return saved ? [saved] : [];
}

/**
 * Runs `act` (an engine call) under `probe`, this process's segment of the run's traffic: step
 * starts are marked on its timeline, and the run's segments so far are checkpointed every 2 s and
 * at every step start, so a SIGKILL loses at most one interval. After `act`, `tailMs` more traffic
 * shows what the last step left behind; then the probe stops and its final record joins the
 * earlier segments (the span between them marked "not measured"). The probe never keeps sending
 * traffic when `act` throws.
 */
export async function probedRun(o: {
  runId: string;
  probe: Probe | undefined;
  earlier: readonly ProbeRecord[];
  ports: OperationPorts;
  tailMs: number;
  checkpointMs?: number;
  act: (onEvent: (event: EngineEvent) => void) => Promise<RunOutcome>;
  /**
   * Called once `act` returned, before the tail: keeps the record as measured so far, so a process
   * killed during the tail still leaves the report of a run its journal says has ended.
   */
  keep?: (outcome: RunOutcome, probe: ProbeRecord | undefined) => Promise<unknown>;
}): Promise<ProbedOutcome> {
  const { probe, ports } = o;
  const store = ports.artifacts;
  const save = store?.saveProbeSegments?.bind(store);
  const checkpoint =
    probe && save
      ? new ProbeCheckpoint({
          probe,
          earlier: o.earlier,
          save: (segments) => save(o.runId, segments),
          ...(o.checkpointMs ? { intervalMs: o.checkpointMs } : {}),
          onError: (error) => ports.onNotice?.(`probe: checkpoint not written (${(error as Error).message})`),
        })
      : undefined;
  const onEvent = (event: EngineEvent): void => {
    if (event.type === 'step-started') {
      probe?.mark(event.stepId);
      checkpoint?.now();
    }
    ports.onEvent?.(event);
  };
  let outcome: RunOutcome;
  try {
    outcome = await o.act(onEvent);
  } catch (error) {
    // e.g. LOCKED: nothing ran; what the probe saw is not part of the run.
    await checkpoint?.stop();
    await probe?.stop();
    throw error;
  }
  if (!probe) return { outcome, probe: joinProbeRecords(o.earlier), measured: false };
  await o.keep?.(outcome, joinProbeRecords([...o.earlier, probe.snapshot()]));
  await (ports.clock ?? systemClock).sleep(o.tailMs);
  const record = await probe.stop();
  await checkpoint?.stop();
  const segments = [...o.earlier, record];
  // The final record replaces the last checkpoint: a later call (resume, promote) starts from it.
  if (save) await save(o.runId, segments);
  return { outcome, probe: joinProbeRecords(segments), measured: true };
}
