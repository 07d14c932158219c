import { z } from 'zod';
import type { Journal } from '../engine/journal.js';
import { deriveRunState, type RunState } from '../engine/run-state.js';
import { BatonError } from '../errors.js';
import type { JsonObject } from '../json.js';
import type { Plan } from '../plan/plan.js';
import { recordedInputs, type ReleaseInputs } from './release-inputs.js';

const releaseRef = z.object({ version: z.string(), image: z.string() });
const planSchema = z.object({
  app: z.string(),
  namespace: z.string(),
  strategy: z.string(),
  from: releaseRef.nullable(),
  to: releaseRef,
  drift: z.array(z.object({ resource: z.string(), field: z.string(), manifest: z.unknown(), cluster: z.unknown() })),
  warnings: z.array(z.string()),
});

/** A run as its journal alone tells it: its state, its plan and the inputs it was made from. */
export interface RecordedRun {
  state: RunState;
  plan: Plan;
  /** Undefined for a run journaled before baton recorded its inputs. */
  inputs: ReleaseInputs | undefined;
}

/** Reads a run back from the journal. Throws RUN_NOT_FOUND for an unknown id. */
export async function readRecordedRun(journal: Journal, runId: string): Promise<RecordedRun> {
  const entries = await journal.read(runId);
  if (entries.length === 0)
    throw new BatonError('RUN_NOT_FOUND', `no run ${runId} in the journal`, { hint: 'list runs with: baton releases' });
  const state = deriveRunState(entries);
  return { state, plan: planOf(state), inputs: recordedInputs(state.meta) };
}

/** The newest run (of `app`, if given), or RUN_NOT_FOUND. */
export async function latestRunId(journal: Journal, filter: { app?: string } = {}): Promise<string> {
  const runs = await journal.listRuns(filter.app ? { app: filter.app } : {});
  runs.sort((a, b) => b.startedAt - a.startedAt);
  const id = runs[0]?.runId;
  if (id === undefined)
    throw new BatonError('RUN_NOT_FOUND', `no runs${filter.app ? ` of ${filter.app}` : ''} in the journal`, {
      hint: 'run `baton upgrade` first, or pass --state-dir',
    });
  return id;
}

/** The plan recorded in the run's meta; a plan made of the steps alone for older journals. */
function planOf(state: RunState): Plan {
  const parsed = planSchema.safeParse(metaPlan(state.meta));
  const base = parsed.success
    ? parsed.data
    : {
        app: state.app,
        namespace: state.namespace,
        strategy: 'unknown',
        from: null,
        to: { version: 'unknown', image: '' },
        drift: [],
        warnings: [],
      };
  return { ...base, steps: state.steps };
}

function metaPlan(meta: JsonObject): unknown {
  return meta.plan;
}
