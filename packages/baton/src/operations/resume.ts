import { abortRun, promoteRun, requestAbort, resumeRun } from '../engine/engine.js';
import type { RunOutcome } from '../engine/run-outcome.js';
import { RunLockedError } from '../engine/run-lock.js';
import type { Probe } from '../probe/probe.js';
import { engineOptions } from './engine-options.js';
import type { OperationPorts } from './ports.js';
import { startProbeFor } from './probe-session.js';
import { probeRouting } from '../upgrade/probe-target.js';
import { readRecordedRun, type RecordedRun } from './recorded-run.js';
import { finishRun, type RunResult } from './run-result.js';

/**
 * `resume`: continues a run that stopped (crash, halt, pause) from its journal alone: it reaches
 * the same end state as an uninterrupted run.
 */
export async function resume(request: { runId: string }, ports: OperationPorts): Promise<RunResult> {
  const run = await readRecordedRun(ports.journal, request.runId);
  const outcome = await resumeRun({ ...engineOptions(ports), runId: request.runId });
  return finish(run, outcome, ports, undefined);
}

/**
 * `promote`: approves the paused step and runs the rest. When a gate follows the pause (a canary's
 * analysis) it probes live traffic, set up from the spec the run recorded, as the upgrade did.
 */
export async function promote(request: { runId: string }, ports: OperationPorts): Promise<RunResult> {
  const run = await readRecordedRun(ports.journal, request.runId);
  const probe = await probeForPromotion(run, ports);
  let outcome: RunOutcome;
  try {
    outcome = await promoteRun({ ...engineOptions(ports, probe ? { probe } : {}), runId: request.runId });
  } catch (error) {
    await probe?.stop();
    throw error;
  }
  return finish(run, outcome, ports, probe);
}

/** How an abort went: acted on a stopped run, or asked a live one (in another process) to stop. */
export type AbortResult =
  | ({ kind: 'aborted' } & RunResult)
  /** The run is live elsewhere: abort was requested; it rolls back at its next check. */
  | { kind: 'requested'; runId: string; holder: string };

/**
 * `abort`: gives up a run. A stopped run rolls back here (before the point of no return; after it,
 * it ends aborted with nothing undone). A run live in another process sharing the journal is asked
 * to stop instead.
 */
export async function abort(request: { runId: string; reason: string }, ports: OperationPorts): Promise<AbortResult> {
  const run = await readRecordedRun(ports.journal, request.runId);
  try {
    const outcome = await abortRun({ ...engineOptions(ports), runId: request.runId, reason: request.reason });
    return { kind: 'aborted', ...(await finish(run, outcome, ports, undefined)) };
  } catch (error) {
    if (!(error instanceof RunLockedError)) throw error;
    await requestAbort({ journal: ports.journal, runId: request.runId, reason: request.reason, ...(ports.holder ? { by: ports.holder } : {}), ...(ports.clock ? { now: () => ports.clock?.now() ?? Date.now() } : {}) });
    return { kind: 'requested', runId: request.runId, holder: error.holder };
  }
}

async function finish(run: RecordedRun, outcome: RunOutcome, ports: OperationPorts, probe: Probe | undefined): Promise<RunResult> {
  const measured = probe ? await probe.stop() : undefined;
  // A later call keeps what the first one measured: the upgrade's probe record stays in the report.
  const earlier = measured ? undefined : (await ports.artifacts?.load(run.state.runId))?.probe;
  return finishRun({
    journal: ports.journal, ...(ports.artifacts ? { artifacts: ports.artifacts } : {}), outcome, plan: run.plan,
    probe: measured ?? earlier, budget: measured && run.inputs ? run.inputs.spec.probe.budget : undefined,
  });
}

/** The probe a promoted run needs: only when a gate follows the paused step and the spec probes. */
async function probeForPromotion(run: RecordedRun, ports: OperationPorts): Promise<Probe | undefined> {
  const { state, inputs } = run;
  const pausedAt = state.steps.findIndex((s) => s.id === state.paused?.stepId);
  if (pausedAt < 0 || !state.steps.slice(pausedAt + 1).some((s) => s.kind === 'gate')) return undefined;
  if (!inputs) {
    ports.onNotice?.('probe: this run was journaled without its spec; the analyses after the pause see no traffic');
    return undefined;
  }
  const { spec } = inputs;
  if (!spec.probe.enabled) return undefined;
  const routed = state.steps.find((s) => s.kind === 'set-weight' || s.kind === 'set-header-route')?.params.router;
  const stableService = routed && typeof routed === 'object' && !Array.isArray(routed) && typeof routed.stableService === 'string' ? routed.stableService : undefined;
  const serviceName = spec.service ?? stableService;
  const service = serviceName ? await ports.kube.get({ apiVersion: 'v1', kind: 'Service', name: serviceName, namespace: spec.namespace }) : undefined;
  return startProbeFor(spec.probe, service, { ...ports, why: 'the analyses after the pause see no traffic', routed: probeRouting(spec).routed });
}
