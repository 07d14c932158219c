import { randomBytes } from 'node:crypto';
import { startRun, type EngineOptions, type EngineEvent, type RunOutcome } from '../engine/engine.js';
import { startProbe, type Probe } from '../probe/probe.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import type { Prepared } from './prepare.js';
import { probeUrl } from './probe-target.js';
import { saveRunArtifacts } from './run-artifacts.js';

export interface UpgradeOptions {
  prepared: Prepared;
  engine: EngineOptions;
  stateDir: string;
  /** Send probe traffic for the whole run (default: the spec's probe.enabled). */
  probe?: boolean;
  /** Probe traffic before the first step, for a baseline. Default 1000 ms. */
  warmupMs?: number;
  /** Probe traffic after the last step, to see what the switch left behind. Default 2000 ms. */
  tailMs?: number;
  /** Told why the probe did not run, if it did not. */
  onNotice?: (message: string) => void;
}

export interface UpgradeResult {
  outcome: RunOutcome;
  probe: ProbeRecord | undefined;
  files: { record: string; markdown: string; html: string };
}

export function newRunId(app: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${app}-${stamp}-${randomBytes(2).toString('hex')}`;
}

/**
 * The upgrade as a user runs it: probe traffic starts first (a baseline), the plan runs under the
 * engine (journal, lock, rollback), the probe keeps measuring a little after the last step, and
 * the run's record and reports are written beside the journal.
 */
export async function runUpgrade(options: UpgradeOptions): Promise<UpgradeResult> {
  const { prepared, engine } = options;
  const { spec } = prepared.loaded;
  const now = engine.now ?? Date.now;
  const runId = newRunId(spec.app, now());
  let probe: Probe | undefined;
  const wantProbe = options.probe ?? spec.probe.enabled;
  if (wantProbe) {
    const url = probeUrl(spec.probe, prepared.live.service);
    if (url === undefined) options.onNotice?.('probe: no probe.url and no live Service ClusterIP; traffic is not measured this run');
    else {
      probe = await startProbe({
        url, path: spec.probe.path, rps: spec.probe.rps, versionHeader: spec.probe.versionHeader,
        ...(spec.probe.streams ? { streams: spec.probe.streams } : {}),
        ...(spec.probe.sse ? { sse: spec.probe.sse } : {}),
        ...(spec.probe.websockets ? { websockets: spec.probe.websockets } : {}),
        ...(spec.probe.writes ? { writes: spec.probe.writes } : {}),
      });
      await sleep(options.warmupMs ?? 1000);
    }
  }
  const onEvent = (event: EngineEvent): void => {
    if (event.type === 'step-started') probe?.mark(event.stepId);
    engine.onEvent?.(event);
  };
  let outcome: RunOutcome;
  try {
    outcome = await startRun({
      ...engine, onEvent, ...(probe ? { probe } : {}), runId, app: spec.app, namespace: spec.namespace,
      steps: prepared.plan.steps,
      meta: { plan: prepared.plan as never, spec: prepared.loaded.file },
    });
  } catch (error) {
    await probe?.stop(); // e.g. LOCKED: nothing ran, but the probe must not keep sending traffic
    throw error;
  }
  if (probe) await sleep(options.tailMs ?? 2000);
  const record = probe ? await probe.stop() : undefined;
  const files = await saveRunArtifacts({ stateDir: options.stateDir, runId, journal: engine.journal, plan: prepared.plan, probe: record });
  return { outcome, probe: record, files };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
