import type { JournalEntry } from '../engine/journal.js';
import { deriveRunState, type RunState } from '../engine/run-state.js';
import type { ProbeStats } from '../engine/step.js';
import { BatonError } from '../errors.js';
import { ConfigMapJournal } from '../kube/configmap-journal.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import { readHistory } from '../kube/release-history.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import { listReleases, requestControl } from '../controller/release-client.js';
import { releaseProbeRecord } from '../controller/release-probe-record.js';
import { appLabel, isFinalPhase, releaseKind, type ProbeStatus, type Release, type ReleaseControl } from '../controller/release.js';
import { assertActionAllowed } from './action-guard.js';
import { watchBatonConfigMaps } from './change-feed.js';
import type {
  ActionAccepted,
  ActionKind,
  ActionView,
  AppView,
  DashboardBackend,
  DashboardChange,
  ReleaseView,
} from './dashboard-backend.js';
import { buildRunView, type ActivityView, type RunView } from './run-view.js';
import { TrafficReader } from './traffic-reader.js';

export interface ReleaseBackendOptions {
  kube: KubeClient;
  /** Only this namespace's Releases (a controller started with --namespace); default every namespace. */
  namespace?: string;
}

/** What each dashboard action asks of the controller: the status.control request `baton release VERB` sends. */
const requests = {
  promote: () => ({ promote: true }),
  abort: (reason: string) => ({ abort: true, reason }),
  retry: () => ({ retry: true }),
} satisfies Record<Exclude<ActionKind, 'rollback'>, (reason: string) => ReleaseControl>;

/** There is no rollback request a Release can carry (the CLI has none either): the button says what to do instead. */
const noRollback: ActionView = {
  kind: 'rollback',
  allowed: false,
  consequence:
    'the controller takes no rollback request: create a Release of the earlier version (`baton upgrade --in-cluster` with its baton.yaml), or run `baton rollback` where the spec is',
};

/**
 * The dashboard over the cluster, for the controller: apps and their release history from
 * Releases and the history ConfigMap `baton releases` reads, runs from the controller's
 * ConfigMapJournal, changes from two Kubernetes watches (Releases; baton's ConfigMaps, which a
 * journal append touches). Actions are the status.control merge patches the CLI sends, through
 * release-client; the controller acts on them, and the page follows through the watches. Nothing
 * is run here: any replica, leader or not, can serve it. Reads are fresh on every call.
 */
export class ReleaseBackend implements DashboardBackend {
  private readonly listeners = new Set<(change: DashboardChange) => void>();
  private readonly stops: Array<() => void> = [];
  private readonly traffic: TrafficReader;
  private watchError: string | undefined;

  constructor(private readonly o: ReleaseBackendOptions) {
    this.traffic = new TrafficReader(o.kube);
    const emit = (change: DashboardChange): void => this.emit(change);
    this.stops.push(
      watchBatonConfigMaps(
        o.kube,
        emit,
        (message) => {
          this.watchError = message;
        },
        o.namespace ? { namespace: o.namespace } : {},
      ),
    );
    const stop = new AbortController();
    void o.kube
      .customResources()
      .watch<Release>(releaseKind, {
        ...(o.namespace ? { namespace: o.namespace } : {}),
        signal: stop.signal,
        onEvent: ({ object }) => {
          const runId = object.status?.runId;
          if (runId) emit({ kind: 'run', runId });
          emit({ kind: 'apps' });
        },
        onRelist: (error) => {
          this.watchError = error ? `the watch of Releases ended: ${error instanceof Error ? error.message : String(error)}` : undefined;
        },
      })
      .catch(() => undefined);
    this.stops.push(() => stop.abort());
  }

  async listApps(): Promise<AppView[]> {
    const releases = await listReleases(this.o.kube, this.o.namespace);
    const namespaces = [...new Set(releases.map((r) => r.metadata.namespace ?? 'default'))];
    const runs = (await Promise.all(namespaces.map((ns) => new ConfigMapJournal(this.o.kube, ns).listRuns()))).flat();
    const apps = new Map<string, AppView>();
    const appFor = (namespace: string, app: string): AppView => {
      const key = `${namespace}/${app}`;
      let view = apps.get(key);
      if (!view) apps.set(key, (view = { app, namespace, releases: [], runs: [], rollback: noRollback }));
      return view;
    };
    for (const r of releases) {
      const view = appFor(r.metadata.namespace ?? 'default', appOfRelease(r));
      // Without a run there is no journal to show: the Release's phase and message say why.
      if (r.status?.runId === undefined) {
        view.unstarted = [
          ...(view.unstarted ?? []),
          { name: r.metadata.name, phase: r.status?.phase ?? 'Pending', ...(r.status?.message ? { message: r.status.message } : {}) },
        ];
      }
    }
    for (const run of runs) appFor(run.namespace, run.app).runs.push(run);
    await Promise.all(
      [...apps.values()].map(async (view) => {
        view.runs.sort((a, b) => b.startedAt - a.startedAt);
        try {
          view.releases = (await readHistory(this.o.kube, view.namespace, view.app)).map(releaseView).reverse();
        } catch (error) {
          view.releasesError = this.watchError ?? (error instanceof Error ? error.message : String(error));
        }
      }),
    );
    return [...apps.values()].sort((a, b) => (b.runs[0]?.startedAt ?? 0) - (a.runs[0]?.startedAt ?? 0));
  }

  async getRun(runId: string): Promise<RunView | undefined> {
    const found = await this.find(runId);
    if (!found) return undefined;
    const { release, entries, state } = found;
    const probe = release?.status?.probe;
    const pending = release ? pendingActivity(release) : undefined;
    return buildRunView({
      entries,
      state,
      live: state.status === 'running',
      probe: release ? await releaseProbeRecord(this.o.kube, release) : undefined,
      traffic: await this.traffic.read(state),
      ...(probe && !isFinalRelease(release) ? { liveProbe: liveStats(probe), liveProbeBy: 'controller' as const } : {}),
      ...(pending ? { activity: pending } : {}),
    });
  }

  watch(listener: (change: DashboardChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  promote(runId: string): Promise<ActionAccepted> {
    return this.ask(runId, 'promote', requests.promote());
  }

  abort(runId: string, reason: string): Promise<ActionAccepted> {
    return this.ask(runId, 'abort', requests.abort(reason));
  }

  retry(runId: string): Promise<ActionAccepted> {
    return this.ask(runId, 'retry', requests.retry());
  }

  async rollback(target: { namespace: string; app: string }): Promise<ActionAccepted> {
    throw new BatonError(
      'ROLLBACK_NOT_POSSIBLE',
      `cannot roll ${target.namespace}/${target.app} back from the controller's dashboard: ${noRollback.consequence}`,
    );
  }

  async close(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    this.listeners.clear();
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

  /**
   * Checks the request against the journal (the same refusals as the local dashboard), then
   * sends the CLI's status patch; requestControl refuses a Release that already ended.
   */
  private async ask(runId: string, kind: Exclude<ActionKind, 'rollback'>, control: ReleaseControl): Promise<ActionAccepted> {
    const found = await this.find(runId);
    if (!found)
      throw new BatonError('RUN_NOT_FOUND', `there is no run ${runId}`, {
        hint: 'it never existed here, or its journal was deleted; go back to the list of apps',
      });
    const { release, state } = found;
    if (!release) {
      throw new BatonError(
        'ACTION_NOT_POSSIBLE',
        `cannot ${kind} run ${runId}: it was not started by a Release, so the controller does not drive it`,
        { hint: `act on it where it runs: baton ${kind === 'retry' ? 'resume' : kind} ${runId} --journal configmap` },
      );
    }
    assertActionAllowed(state, kind);
    const name = release.metadata.name;
    const namespace = release.metadata.namespace ?? 'default';
    if (release.status?.control?.[kind] === true) {
      throw new BatonError(
        'RUN_BUSY',
        `${kind} of Release ${namespace}/${name} was already asked for; the controller has not acted on it yet`,
        { hint: 'wait for it: the page follows the Release' },
      );
    }
    await requestControl(this.o.kube, namespace, name, control);
    this.emit({ kind: 'run', runId });
    return { kind, runId, message: `asked the controller to ${kind} Release ${namespace}/${name} (status.control): follow it here` };
  }

  /** The run's journal, and the Release that started it (none for a CLI run journaled in a ConfigMap). */
  private async find(runId: string): Promise<{ release: Release | undefined; entries: JournalEntry[]; state: RunState } | undefined> {
    const releases = await listReleases(this.o.kube, this.o.namespace);
    const release = releases.find((r) => r.status?.runId === runId);
    const namespaces = release
      ? [release.metadata.namespace ?? 'default']
      : [...new Set(releases.map((r) => r.metadata.namespace ?? 'default'))];
    for (const namespace of namespaces) {
      // Any run id names a valid ConfigMap (configMapName sanitizes it): no such run reads as empty.
      const entries = await new ConfigMapJournal(this.o.kube, namespace).read(runId);
      if (entries.length > 0) return { release, entries, state: deriveRunState(entries) };
    }
    return undefined;
  }
}

function appOfRelease(release: Release): string {
  const app = release.metadata.labels?.[appLabel] ?? release.spec?.upgrade?.app;
  return typeof app === 'string' ? app : release.metadata.name;
}

function releaseView(h: Awaited<ReturnType<typeof readHistory>>[number]): ReleaseView {
  return {
    version: h.version,
    image: h.image,
    strategy: h.strategy,
    at: h.at,
    runId: h.runId,
    ...(h.rollbackOf ? { rollbackOf: h.rollbackOf } : {}),
  };
}

function isFinalRelease(release: Release | undefined): boolean {
  return isFinalPhase(release?.status?.phase);
}

/** The controller's probe counters (summed over every leader's segment) as the page's live totals. */
function liveStats(probe: ProbeStatus): ProbeStats {
  return {
    requests: probe.requests,
    failed: probe.failed,
    streamsStarted: probe.streamsStarted,
    streamsCut: probe.streamsCut,
    p50Ms: null,
    p99Ms: null,
    byVersion: probe.byVersion,
  };
}

/** A request the controller has not acted on yet, or the error its last reconcile hit, as the page's activity line. */
function pendingActivity(release: Release): ActivityView | undefined {
  const control = release.status?.control ?? {};
  const asked = (['abort', 'promote', 'retry'] as const).find((k) => control[k] === true);
  if (asked)
    return {
      kind: asked,
      state: 'running',
      message: `${asked} asked for (status.control.${asked}): waiting for the controller`,
      at: Date.now(),
    };
  const error = release.status?.conditions?.find((c) => c.type === 'ReconcileError' && c.status === 'True');
  if (error)
    return {
      kind: 'reconcile',
      state: 'failed',
      message: `the controller's last reconcile failed: ${error.message}`,
      at: Date.parse(error.lastTransitionTime) || Date.now(),
    };
  return undefined;
}
