import type { RunSummary } from '../engine/journal.js';
import type { RunView } from './run-view.js';

/** One release of an app as the cluster records it (no Deployment template: the page needs none). */
export interface ReleaseView {
  version: string;
  image: string;
  strategy: string;
  at: string;
  runId: string;
  rollbackOf?: string;
}

/** An app: its release history (from the cluster) and its runs (from the journal), newest first. */
export interface AppView {
  app: string;
  namespace: string;
  releases: ReleaseView[];
  /** Why the history could not be read (cluster unreachable...), when it could not. */
  releasesError?: string;
  runs: RunSummary[];
  /** In-cluster only: Releases that have no run yet (Pending, Waiting, Invalid), and why. */
  unstarted?: UnstartedRelease[];
  /** What a rollback would do, or why none is possible. */
  rollback: ActionView;
}

/** A Release the controller has not started a run for: its phase and the controller's message. */
export interface UnstartedRelease {
  name: string;
  phase: string;
  message?: string;
}

export type ActionKind = 'promote' | 'abort' | 'retry' | 'rollback';

/** A button on the page: whether it applies now, and what pressing it will do, in plain words. */
export interface ActionView {
  kind: ActionKind;
  allowed: boolean;
  /** What will happen (shown in the confirmation), or why it is not possible now. */
  consequence: string;
  /** Set when this action passes or has passed the point of no return: said first, in the dialog. */
  pointOfNoReturn?: string;
}

/** What the backend answers when an action was accepted; its end arrives as a change. */
export interface ActionAccepted {
  kind: ActionKind;
  runId: string;
  message: string;
}

/** A change the page should see: a run's journal moved, or the list of apps/releases did. */
export type DashboardChange = { kind: 'run'; runId: string } | { kind: 'apps' };

/**
 * What the dashboard needs from baton: read apps and runs, be told when they change, and act on
 * a run. Implemented over the journal and the engine today (local-backend.ts); every method
 * returns data or throws a BatonError with a code (RUN_NOT_FOUND, RUN_FINISHED, NOT_PAUSED...)
 * that the HTTP layer turns into a clear message. Nothing here returns Secret values.
 */
export interface DashboardBackend {
  listApps(): Promise<AppView[]>;
  /** undefined when no such run exists (never started, or its journal was deleted). */
  getRun(runId: string): Promise<RunView | undefined>;
  /** Calls `listener` on every change until the returned function is called. No polling. */
  watch(listener: (change: DashboardChange) => void): () => void;
  promote(runId: string): Promise<ActionAccepted>;
  abort(runId: string, reason: string): Promise<ActionAccepted>;
  retry(runId: string): Promise<ActionAccepted>;
  rollback(target: { namespace: string; app: string }): Promise<ActionAccepted>;
  close(): Promise<void>;
}
