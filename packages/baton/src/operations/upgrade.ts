import { newRunId, startRun } from '../engine/engine.js';
import type { RunOutcome } from '../engine/run-outcome.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import type { Plan } from '../plan/plan.js';
import type { Probe } from '../probe/probe.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { ProbeSpec } from '../spec/schema.js';
import { systemClock } from './clock.js';
import { engineOptions } from './engine-options.js';
import { planRelease, type PlannedRelease } from './plan.js';
import type { OperationPorts } from './ports.js';
import { startProbeFor } from './probe-session.js';
import { probeRouting } from '../upgrade/probe-target.js';
import { recordInputs, toJson, type ReleaseInputs } from './release-inputs.js';
import { probedRun } from './probed-run.js';
import { finishRun, type RunResult } from './run-result.js';

export interface UpgradeOptions {
  /** Send probe traffic for the whole run. Default: the spec's probe.enabled. */
  probe?: boolean;
  /** Probe traffic before the first step, for a baseline. Default 1000 ms. */
  warmupMs?: number;
  /** Probe traffic after the last step, to see what the switch left behind. Default 2000 ms. */
  tailMs?: number;
  /** A plan made earlier by planRelease (e.g. shown to a person first); default: plan now. */
  planned?: PlannedRelease;
  runId?: string;
}

export interface UpgradeResult extends RunResult {
  plan: Plan;
}

/**
 * `upgrade`: plans (once), starts probe traffic for a baseline, runs the plan under the engine
 * (journal, lock, rollback), keeps probing a little after the last step, then returns the outcome
 * with the run's record, summary and probe-budget verdict. The journal's first entry records the
 * inputs (spec, manifests, migrations; no secrets), so every later verb needs only the journal.
 */
export async function upgrade(inputs: ReleaseInputs, ports: OperationPorts, options: UpgradeOptions = {}): Promise<UpgradeResult> {
  const planned = options.planned ?? (await planRelease(inputs, ports));
  const result = await runPlanned({ inputs, plan: planned.plan, service: planned.live.service, ports, options });
  return { ...result, plan: planned.plan };
}

/** Runs a plan (an upgrade's, a rollback's) under the probe and the engine; shared by both verbs. */
export async function runPlanned(o: {
  inputs: ReleaseInputs;
  plan: Plan;
  service: KubeObject | undefined;
  ports: OperationPorts;
  options: UpgradeOptions;
}): Promise<RunResult> {
  const { inputs, plan, ports, options } = o;
  const { spec } = inputs;
  const clock = ports.clock ?? systemClock;
  const probeSpec: ProbeSpec = spec.probe;
  let probe: Probe | undefined;
  if (options.probe ?? probeSpec.enabled) {
    probe = await startProbeFor(probeSpec, o.service, { ...ports, routed: probeRouting(spec).routed });
    if (probe) await clock.sleep(options.warmupMs ?? 1000);
  }
  // Known before the run starts: the probe's checkpoints are kept under it from the first step.
  const runId = options.runId ?? newRunId(spec.app, clock.now());
  const keep = (outcome: RunOutcome, record: ProbeRecord | undefined): Promise<RunResult> =>
    finishRun({
      journal: ports.journal,
      ...(ports.artifacts ? { artifacts: ports.artifacts } : {}),
      outcome,
      plan,
      probe: record,
      budget: probe ? probeSpec.budget : undefined,
    });
  const measured = await probedRun({
    runId,
    probe,
    earlier: [],
    ports,
    tailMs: options.tailMs ?? 2000,
    keep,
    act: (onEvent) =>
      startRun({
        ...engineOptions(ports, { ...(probe ? { probe } : {}), onEvent }),
        runId,
        app: spec.app,
        namespace: spec.namespace,
        steps: plan.steps,
        meta: { plan: toJson(plan), inputs: recordInputs(inputs) },
      }),
  });
  return keep(measured.outcome, measured.probe);
}
