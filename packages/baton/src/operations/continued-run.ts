import type { EngineOptions } from '../engine/engine-options.js';
import type { RunOutcome } from '../engine/run-outcome.js';
import type { RunState } from '../engine/run-state.js';
import type { Probe } from '../probe/probe.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import { probeRouting } from '../upgrade/probe-target.js';
import { engineOptions } from './engine-options.js';
import type { OperationPorts } from './ports.js';
import { startProbeFor } from './probe-session.js';
import type { RecordedRun } from './recorded-run.js';
import { finishRun, type RunResult } from './run-result.js';
import { earlierSegments, probedRun } from './probed-run.js';
import { joinProbeRecords } from '../probe/probe-segments.js';
import { systemClock } from './clock.js';

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
  const { state } = run;
  if (from < 0 || !state.steps.slice(from).some((s) => s.kind === 'gate')) return undefined;
  return probeForRun(run, ports, why);
}

/**
 * The probe for a run continued in a new process (resume, retry): whenever the recorded spec
 * probes, gate or not, so the report shows traffic across the whole run; a new segment beside
 * the ones earlier processes measured.
 */
export async function probeForRun(run: RecordedRun, ports: OperationPorts, why: string): Promise<Probe | undefined> {
  const { state, inputs } = run;
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
  // As planning found it (plan/observe.ts): the spec's Service, else the one among the manifests.
  const serviceName = spec.service ?? stableService ?? inputs.manifests.find((m) => m.kind === 'Service')?.metadata.name;
  const service = serviceName
    ? await ports.kube.get({ apiVersion: 'v1', kind: 'Service', name: serviceName, namespace: spec.namespace })
    : undefined;
  return startProbeFor(spec.probe, service, { ...ports, why, routed: probeRouting(spec).routed });
}

/** Keeps the record of a continued call that ran no probe: the segments earlier calls measured, joined. */
export async function finishContinued(run: RecordedRun, outcome: RunOutcome, ports: OperationPorts): Promise<RunResult> {
  const earlier = await earlierSegments(run.state.runId, ports);
  return finishRun({
    journal: ports.journal,
    ...(ports.artifacts ? { artifacts: ports.artifacts } : {}),
    outcome,
    plan: run.plan,
    probe: joinProbeRecords(earlier),
    budget: undefined,
  });
}

/**
 * Drives the run through `act` (promoteRun, resumeRun…) with the probe as the gates' reader (so
 * gates judge this segment's fresh traffic only), checkpointing it as the upgrade does, then
 * finishes the result with every segment joined. A probe is never left sending traffic when
 * `act` throws (LOCKED, NOT_PAUSED).
 */
export async function continueUnderProbe(
  run: RecordedRun,
  probe: Probe | undefined,
  ports: OperationPorts,
  act: (options: EngineOptions) => Promise<RunOutcome>,
): Promise<RunResult> {
  const { runId } = run.state;
  const earlier = await earlierSegments(runId, ports);
  // A gate right after the restart needs traffic to judge: a short baseline first, as the upgrade takes.
  if (probe) await (ports.clock ?? systemClock).sleep(CONTINUED_WARMUP_MS);
  const keep = (outcome: RunOutcome, record: ProbeRecord | undefined): Promise<RunResult> =>
    finishRun({
      journal: ports.journal,
      ...(ports.artifacts ? { artifacts: ports.artifacts } : {}),
      outcome,
      plan: run.plan,
      probe: record,
      budget: probe && run.inputs ? run.inputs.spec.probe.budget : undefined,
    });
  const measured = await probedRun({
    runId,
    probe,
    earlier,
    ports,
    tailMs: probe ? CONTINUED_TAIL_MS : 0,
    act: (onEvent) => act(engineOptions(ports, { ...(probe ? { probe } : {}), onEvent })),
    keep,
  });
  return keep(measured.outcome, measured.probe);
}

/** Probe traffic before and after a continued run's steps, as the upgrade's defaults. */
const CONTINUED_WARMUP_MS = 1000;
const CONTINUED_TAIL_MS = 2000;
