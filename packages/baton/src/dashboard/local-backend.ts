import { join } from 'node:path';
import type { EngineEvent } from '../engine/engine-event.js';
import type { Journal, RunSummary } from '../engine/journal.js';
import { deriveRunState, type RunState } from '../engine/run-state.js';
import type { RunLock } from '../engine/run-lock.js';
import type { StepRegistry } from '../engine/step.js';
import { BatonError } from '../errors.js';
import type { KubeClient } from '../kube/kube-client.js';
import { readHistory } from '../kube/release-history.js';
import { startProbe, type Probe } from '../probe/probe.js';
import { abort, promote, resume, type OperationPorts, type RunResult } from '../operations/index.js';
import { FileArtifactStore } from '../report/file-artifact-store.js';
import type { RunRecord } from '../report/run-record.js';
import { watchBatonConfigMaps, watchStateDir } from './change-feed.js';
import type { ActionAccepted, ActionKind, AppView, DashboardBackend, DashboardChange } from './dashboard-backend.js';
import { assertActionAllowed } from './action-guard.js';
import { rollbackApp, rollbackPreview } from './rollback-app.js';
import { buildRunView, type ActivityView, type RunView } from './run-view.js';
import { TrafficReader } from './traffic-reader.js';

export interface LocalBackendOptions {
  journal: Journal;
  kube: KubeClient;
  lock: RunLock;
  registry: StepRegistry;
  /** The file journal's folder: watched, and where probe records and reports are read and written. */
  stateDir?: string;
  /** Environment for steps and spec loading (database URLs named by env var). */
  env?: NodeJS.ProcessEnv;
  /** Who acts, in the journal and in lock errors. */
  holder?: string;
  /** Cancels the runs this process drives (Ctrl-C): as in the CLI, a cancelled run rolls back. */
  signal?: AbortSignal;
  /** Watch baton's ConfigMaps in the cluster for changes. Default true. */
  watchCluster?: boolean;
}

/**
 * The dashboard's backend: a thin adapter over operations/ (promote, abort, resume, rollback) for
 * actions, and over the run journal (file or ConfigMap), the release history in the cluster and
 * the traffic routers for reading.
 * Reads are fresh on every call (the journal is the truth); changes come from fs.watch on the
 * state dir, a Kubernetes watch on baton's ConfigMaps, and the engine's own events for the runs
 * this process drives. Actions run in this process and report through `watch`.
 */
export class LocalBackend implements DashboardBackend {
  private readonly listeners = new Set<(change: DashboardChange) => void>();
  private readonly activities = new Map<string, ActivityView>();
  private readonly driving = new Set<string>();
  private readonly stops: Array<() => void> = [];
  private readonly pending = new Set<Promise<unknown>>();
  private clusterError: string | undefined;
  /** Probes this process runs for the runs it drives: their totals are shown live. */
  private readonly liveProbes = new Map<string, Probe>();
  private readonly traffic: TrafficReader;
  private readonly artifacts: FileArtifactStore | undefined;

  constructor(private readonly o: LocalBackendOptions) {
    const emit = (change: DashboardChange): void => this.emit(change);
    this.traffic = new TrafficReader(o.kube);
    this.artifacts = o.stateDir ? new FileArtifactStore(join(o.stateDir, 'reports')) : undefined;
    if (o.stateDir) this.stops.push(watchStateDir(o.stateDir, emit));
    if (o.watchCluster !== false)
      this.stops.push(
        watchBatonConfigMaps(o.kube, emit, (message) => {
          this.clusterError = message;
        }),
      );
  }

  async listApps(): Promise<AppView[]> {
    const runs = await this.o.journal.listRuns();
    const byApp = new Map<string, RunSummary[]>();
    for (const r of runs) {
      const key = `${r.namespace}/${r.app}`;
      byApp.set(key, [...(byApp.get(key) ?? []), r]);
    }
    const apps: AppView[] = [];
    for (const [key, appRuns] of byApp) {
      const [namespace = '', app = ''] = key.split('/');
      const view: AppView = {
        app,
        namespace,
        releases: [],
        runs: appRuns,
        rollback: { kind: 'rollback', allowed: false, consequence: '' },
      };
      try {
        const history = await readHistory(this.o.kube, namespace, app);
        view.releases = history
          .map((h) => ({
            version: h.version,
            image: h.image,
            strategy: h.strategy,
            at: h.at,
            runId: h.runId,
            ...(h.rollbackOf ? { rollbackOf: h.rollbackOf } : {}),
          }))
          .reverse();
        view.rollback = rollbackPreview(history, appRuns, this.driving);
      } catch (error) {
        view.releasesError = this.clusterError ?? (error instanceof Error ? error.message : String(error));
        view.rollback = { kind: 'rollback', allowed: false, consequence: 'the release history cannot be read from the cluster' };
      }
      apps.push(view);
    }
    return apps.sort((a, b) => (b.runs[0]?.startedAt ?? 0) - (a.runs[0]?.startedAt ?? 0));
  }

  async getRun(runId: string): Promise<RunView | undefined> {
    const entries = await this.readEntries(runId);
    if (entries.length === 0) return undefined;
    const state = deriveRunState(entries);
    const record = await this.savedRecord(runId);
    const activity = this.activities.get(runId);
    const live = this.liveProbes.get(runId);
    return buildRunView({
      entries,
      state,
      probe: record?.probe,
      traffic: await this.traffic.read(state),
      ...(live ? { liveProbe: live.stats() } : {}),
      live: this.driving.has(runId),
      ...(activity ? { activity } : {}),
    });
  }

  watch(listener: (change: DashboardChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async promote(runId: string): Promise<ActionAccepted> {
    const state = await this.stateOf(runId);
    this.assertAllowed(state, 'promote');
    return this.drive(runId, 'promote', `promoting ${state.paused?.stepId ?? ''}`, (ports) =>
      promote({ runId }, { ...ports, onNotice: (line) => this.note(runId, 'promote', line) }),
    );
  }

  async abort(runId: string, reason: string): Promise<ActionAccepted> {
    const state = await this.stateOf(runId);
    this.assertAllowed(state, 'abort');
    // A run live in another process is asked to stop (the use case finds its lock held); a
    // stopped one, or one whose process died, is rolled back here.
    return this.drive(runId, 'abort', 'aborting', async (ports) => {
      const result = await abort({ runId, reason }, ports);
      return result.kind === 'aborted' ? result : undefined;
    });
  }

  async retry(runId: string): Promise<ActionAccepted> {
    const state = await this.stateOf(runId);
    this.assertAllowed(state, 'retry');
    return this.drive(runId, 'retry', 'retrying', (ports) => resume({ runId }, ports));
  }

  async rollback(target: { namespace: string; app: string }): Promise<ActionAccepted> {
    const runs = await this.o.journal.listRuns({ app: target.app });
    const history = await readHistory(this.o.kube, target.namespace, target.app);
    const preview = rollbackPreview(
      history,
      runs.filter((r) => r.namespace === target.namespace),
      this.driving,
    );
    if (!preview.allowed)
      throw new BatonError('ROLLBACK_NOT_POSSIBLE', `cannot roll ${target.namespace}/${target.app} back: ${preview.consequence}`);
    const latest = runs.find((r) => r.namespace === target.namespace);
    if (!latest) throw new BatonError('RUN_NOT_FOUND', `no run of ${target.namespace}/${target.app} in the journal`);
    const state = await this.stateOf(latest.runId);
    const key = `rollback:${target.namespace}/${target.app}`;
    this.driving.add(key);
    const job = rollbackApp({ state, ports: this.portsFor(undefined) })
      .then(
        () => this.emit({ kind: 'apps' }),
        (error: unknown) =>
          this.note(latest.runId, 'rollback', `rollback failed: ${error instanceof Error ? error.message : String(error)}`, 'failed'),
      )
      .finally(() => {
        this.driving.delete(key);
        this.emit({ kind: 'apps' });
      });
    this.track(job);
    this.emit({ kind: 'apps' });
    return { kind: 'rollback', runId: latest.runId, message: `rolling ${target.app} back: a new run starts (follow it in the app's runs)` };
  }

  async close(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    this.listeners.clear();
    await Promise.allSettled([...this.pending]);
  }

  private emit(change: DashboardChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch {
        /* a broken subscriber must not stop the others */
      }
    }
  }

  private async readEntries(runId: string): ReturnType<Journal['read']> {
    try {
      return await this.o.journal.read(runId);
    } catch (error) {
      // A run id that cannot name a journal cannot exist either.
      if (error instanceof BatonError && error.code === 'JOURNAL_BAD_RUN_ID') return [];
      throw error;
    }
  }

  private async stateOf(runId: string): Promise<RunState> {
    const entries = await this.readEntries(runId);
    if (entries.length === 0)
      throw new BatonError('RUN_NOT_FOUND', `there is no run ${runId}`, {
        hint: 'it never existed here, or its journal was deleted; go back to the list of apps',
      });
    return deriveRunState(entries);
  }

  /** Checks the action against the run's current state, so a stale page cannot act on a finished run. */
  private assertAllowed(state: RunState, kind: ActionKind): void {
    if (this.driving.has(state.runId))
      throw new BatonError('RUN_BUSY', `run ${state.runId} is already being acted on by this dashboard`, {
        hint: 'wait for that action to finish',
      });
    assertActionAllowed(state, kind);
  }

  /** The ports the use cases act through: this backend's journal, lock and step kinds. */
  private portsFor(runId: string | undefined): OperationPorts {
    return {
      kube: this.o.kube,
      journal: this.o.journal,
      lock: this.o.lock,
      registry: this.o.registry,
      env: this.o.env ?? {},
      ...(this.artifacts ? { artifacts: this.artifacts } : {}),
      ...(this.o.holder ? { holder: this.o.holder } : {}),
      ...(this.o.signal ? { signal: this.o.signal } : {}),
      onEvent: (event: EngineEvent) => this.emit({ kind: 'run', runId: runId ?? event.runId }),
      // The probe a use case starts (a promotion's) is kept here so the page shows its totals live.
      probes: async (options) => {
        const probe = await startProbe(options);
        if (runId) this.liveProbes.set(runId, probe);
        return probe;
      },
    };
  }

  /** Runs a use case in the background; undefined means it was asked of the process driving the run. */
  private drive(
    runId: string,
    kind: ActionKind,
    doing: string,
    act: (ports: OperationPorts) => Promise<RunResult | undefined>,
  ): ActionAccepted {
    this.driving.add(runId);
    this.activities.set(runId, { kind, state: 'running', message: doing, at: Date.now() });
    this.emit({ kind: 'run', runId });
    const job = (async () => {
      try {
        const outcome = (await act(this.portsFor(runId)))?.outcome;
        this.activities.set(runId, {
          kind,
          state: 'finished',
          message: outcome
            ? `${kind}: run ${outcome.status}${outcome.reason ? ` — ${outcome.reason}` : ''}`
            : `${kind} requested from the process driving the run`,
          at: Date.now(),
        });
      } catch (error) {
        this.activities.set(runId, {
          kind,
          state: 'failed',
          message: `${kind} failed: ${error instanceof Error ? error.message : String(error)}`,
          at: Date.now(),
        });
      } finally {
        this.liveProbes.delete(runId);
        this.driving.delete(runId);
        this.emit({ kind: 'run', runId });
        this.emit({ kind: 'apps' });
      }
    })();
    this.track(job);
    return { kind, runId, message: `${doing}: follow it here` };
  }

  private note(runId: string, kind: ActionKind, message: string, state: ActivityView['state'] = 'running'): void {
    this.activities.set(runId, { kind, state, message, at: Date.now() });
    this.emit({ kind: 'run', runId });
  }

  private track(job: Promise<unknown>): void {
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  private async savedRecord(runId: string): Promise<RunRecord | undefined> {
    // No record yet (still running, or interrupted): the page says "not measured".
    return this.artifacts?.load(runId).catch(() => undefined);
  }
}
