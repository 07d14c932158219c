import type { EngineOptions } from '../engine/engine-options.js';
import type { RunOutcome } from '../engine/run-outcome.js';
import type { RunState } from '../engine/run-state.js';
import type { Probe } from '../probe/probe.js';
import { probeRouting } from '../upgrade/probe-target.js';
import { engineOptions } from './engine-options.js';
import type { OperationPorts } from './ports.js';
import { startProbeFor } from './probe-session.js';
import type { RecordedRun } from './recorded-run.js';
import { finishRun, type RunResult } from './run-result.js';

/** What the verbs that continue a stopped run (promote, resume, retry, abort) share. */

/** The index of the first step not done yet: the failed, paused or next step. */
export function firstPendingStep(state: RunState): number {
  return state.steps.findIndex((s) => !(s.id in state.completed));
}

/**
 * The probe a continued run needs: only when a gate is among the steps from `from` on and the
 * recorded spec probes; set up from that spec, as the upgrade did. `why` says what goes unseen
 * when there is none.
 */
export async function probeForGatesFrom(run: RecordedRun, from: number, ports: OperationPorts, why: string): Promise<Probe | undefined> {
  const { state, inputs } = run;
  if (from < 0 || !state.steps.slice(from).some((s) => s.kind === 'gate')) return undefined;
  if (!inputs) {
    ports.onNotice?.(`probe: this run was journaled without its spec; ${why}`);
    return undefined;
  }
  const { spec } = inputs;
  if (!spec.probe.enabled) return undefined;
  const routed = state.steps.find((s) => s.kind === 'set-weight' || s.kind === 'set-header-route')?.params.router;
  const stableService =
    routed && typeof routed === 'object' && !Array.isArray(routed) && typeof routed.stableService === 'string'
      ? routed.stableService
      : undefined;
  const serviceName = spec.service ?? stableService;
  const service = serviceName
    ? await ports.kube.get({ apiVersion: 'v1', kind: 'Service', name: serviceName, namespace: spec.namespace })
    : undefined;
  return startProbeFor(spec.probe, service, { ...ports, why, routed: probeRouting(spec).routed });
}

/** Stops the probe (if any), joins what it measured (or what an earlier call measured) and keeps the record. */
export async function finishContinued(
  run: RecordedRun,
  outcome: RunOutcome,
  ports: OperationPorts,
  probe: Probe | undefined,
): Promise<RunResult> {
  const measured = probe ? await probe.stop() : undefined;
  // A later call keeps what the first one measured: the upgrade's probe record stays in the report.
  const earlier = measured ? undefined : (await ports.artifacts?.load(run.state.runId))?.probe;
  return finishRun({
    journal: ports.journal,
    ...(ports.artifacts ? { artifacts: ports.artifacts } : {}),
    outcome,
    plan: run.plan,
    probe: measured ?? earlier,
    budget: measured && run.inputs ? run.inputs.spec.probe.budget : undefined,
  });
}

/**
 * Drives the run through `act` (promoteRun, resumeRun…) with the probe as the gates' reader, then
 * finishes the result. A probe is never left sending traffic when `act` throws (LOCKED, NOT_PAUSED).
 */
export async function continueUnderProbe(
  run: RecordedRun,
  probe: Probe | undefined,
  ports: OperationPorts,
  act: (options: EngineOptions) => Promise<RunOutcome>,
): Promise<RunResult> {
  let outcome: RunOutcome;
  try {
    outcome = await act(engineOptions(ports, probe ? { probe } : {}));
  } catch (error) {
    await probe?.stop();
    throw error;
  }
  return finishContinued(run, outcome, ports, probe);
}
