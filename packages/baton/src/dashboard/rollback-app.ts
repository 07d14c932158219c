import type { RunSummary } from '../engine/journal.js';
import type { RunState } from '../engine/run-state.js';
import { isFinalStatus } from '../engine/run-status.js';
import { BatonError } from '../errors.js';
import type { ReleaseEntry } from '../kube/release-history.js';
import { readRecordedRun, rollback, type OperationPorts } from '../operations/index.js';
import type { ActionView } from './dashboard-backend.js';

/** What the Rollback button of an app would do, from the release history. Pure. */
export function rollbackPreview(history: ReleaseEntry[], runs: RunSummary[], busy: ReadonlySet<string>): ActionView {
  const current = history.at(-1);
  const previous = history
    .slice(0, -1)
    .filter((e) => e.version !== current?.version)
    .at(-1);
  const app = current ? `${current.deployment}` : 'the app';
  if (!current || !previous) return { kind: 'rollback', allowed: false, consequence: 'there is no earlier release recorded to go back to' };
  const open = runs.find((r) => !isFinalStatus(r.status));
  if (open) return { kind: 'rollback', allowed: false, consequence: `run ${open.runId} is ${open.status}: finish or abort it first` };
  if ([...busy].some((k) => k.startsWith('rollback:')))
    return { kind: 'rollback', allowed: false, consequence: 'a rollback started from this dashboard is still running' };
  return {
    kind: 'rollback',
    allowed: true,
    consequence:
      `Starts a new run that returns ${app} from ${current.version} (${current.image}) to ${previous.version} (${previous.image}), under the traffic probe. ` +
      (previous.selector
        ? 'The old release still has its own Deployment: the Service switches back to it in one write.'
        : 'The recorded Deployment of that release is rolled out again, with maxUnavailable 0.') +
      ' Database migrations are not reverted.',
  };
}

/**
 * `baton rollback` for the dashboard: the spec the app's latest run recorded in the journal, the
 * history in the cluster, a rollback plan, run by operations/ with the probe.
 */
export async function rollbackApp(o: { state: RunState; ports: OperationPorts }): Promise<void> {
  const run = await readRecordedRun(o.ports.journal, o.state.runId);
  if (!run.inputs)
    throw new BatonError('ROLLBACK_NO_SPEC', `run ${o.state.runId} was journaled without its spec`, {
      hint: 'run `baton rollback` next to the spec',
    });
  await rollback({ spec: run.inputs.spec, manifests: run.inputs.manifests }, o.ports);
}
