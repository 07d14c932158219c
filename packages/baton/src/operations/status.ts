import type { Journal } from '../engine/journal.js';
import type { RunState } from '../engine/run-state.js';
import type { RunLock } from '../engine/run-lock.js';
import type { KubeClient } from '../kube/kube-client.js';
import { createRouter } from '../traffic/index.js';
import { routerConfigSchema } from '../traffic/router-config-schema.js';
import type { RouterKind, TrafficSplit } from '../traffic/traffic-router.js';
import { latestRunId, readRecordedRun } from './recorded-run.js';

/** The split as the router reads it back, or why it could not be read. */
export type SplitReading = (TrafficSplit & { router: RouterKind }) | { router: RouterKind; error: string };

/** A run as `baton status`, a dashboard or a controller shows it. */
export interface RunStatusView {
  state: RunState;
  /** For runs that move traffic through a router (canary, A/B): the split now. */
  traffic?: SplitReading;
  /**
   * The journal says running, but no live process holds the app's lock: the process that ran it
   * died (SIGKILL, a lost laptop). Nothing moves until someone continues it.
   */
  interrupted?: { reason: string; next: string };
}

/**
 * `status`: the state of a run (default: the newest) from its journal, and, when its steps drive a
 * traffic router, the split that router reports now. Reads only; never touches the run.
 */
export async function status(
  request: { runId?: string; app?: string },
  ports: { journal: Journal; kube?: KubeClient | (() => KubeClient); lock?: Pick<RunLock, 'inspect'> },
): Promise<RunStatusView> {
  const runId = request.runId ?? (await latestRunId(ports.journal, request.app ? { app: request.app } : {}));
  const { state } = await readRecordedRun(ports.journal, runId);
  const traffic = ports.kube ? await readSplit(state, ports.kube) : undefined;
  const interrupted = ports.lock ? await interruption(state, ports.lock) : undefined;
  return { state, ...(traffic ? { traffic } : {}), ...(interrupted ? { interrupted } : {}) };
}

/** A running run whose lock no live process holds was interrupted; a lock that cannot be read says nothing. */
export async function interruption(state: RunState, lock: Pick<RunLock, 'inspect'>): Promise<RunStatusView['interrupted']> {
  if (state.status !== 'running') return undefined;
  const holder = await lock.inspect({ app: state.app, namespace: state.namespace }).catch(() => 'unknown' as const);
  if (holder === 'unknown' || holder?.alive === true) return undefined;
  const reason =
    holder === undefined
      ? "no process holds the app's lock: the one that ran it stopped (killed, or its machine went away)"
      : `the app's lock is held by ${holder.holder}, which is no longer alive`;
  return { reason, next: `baton resume ${state.runId}` };
}

async function readSplit(state: RunState, kube: KubeClient | (() => KubeClient)): Promise<SplitReading | undefined> {
  const step = state.steps.find((s) => s.kind === 'set-weight' || s.kind === 'set-header-route');
  if (!step) return undefined;
  const config = routerConfigSchema.safeParse(step.params.router);
  if (!config.success) return undefined;
  const router = config.data.kind;
  try {
    const client = typeof kube === 'function' ? kube() : kube;
    return { ...(await createRouter(client, config.data).current()), router };
  } catch (error) {
    return { router, error: (error as Error).message };
  }
}
