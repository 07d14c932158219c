import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { abortRun, promoteRun, requestAbort, resumeRun, startRun, type EngineEvent, type EngineOptions } from '../engine/engine.js';
import type { Journal } from '../engine/journal.js';
import { deriveRunState, type RunState } from '../engine/run-state.js';
import { RunLockedError } from '../engine/run-lock.js';
import type { StepRegistry } from '../engine/step.js';
import { BatonError } from '../errors.js';
import type { JsonObject } from '../json.js';
import { ConfigMapJournal, configMapName } from '../kube/configmap-journal.js';
import type { KubeClient } from '../kube/kube-client.js';
import { probeSchema, type ProbeSpec } from '../spec/schema.js';
import { loadSpec } from '../spec/load-spec.js';
import { loadRelease } from '../spec/load-release.js';
import { planRelease } from '../operations/plan.js';
import { recordInputs } from '../operations/release-inputs.js';
import { probeUrl } from '../upgrade/probe-target.js';
import { stepRegistry } from '../upgrade/step-registry.js';
import type { AppLocks } from './app-locks.js';
import { removeCondition, setCondition, withProbeFigures } from './conditions.js';
import type { ControllerMetrics } from './controller-metrics.js';
import type { ProbeSessions } from './probe-sessions.js';
import { conditionTypes, isFinalPhase, releaseApiVersion, type Release, type ReleaseStatus } from './release.js';
import type { ReleaseEvents } from './release-events.js';
import { materializeInputs } from './release-inputs.js';
import { statusFromJournal } from './run-status.js';
import { writeStatus } from './status-writer.js';

export interface ReconcilerOptions {
  kube: KubeClient;
  identity: string;
  locks: AppLocks;
  probes: ProbeSessions;
  events: ReleaseEvents;
  metrics: ControllerMetrics;
  /** Step kinds bound to the cluster client. Default: baton's registry. */
  registry?: StepRegistry;
  /** Probe traffic before the first step (a baseline) and after the last. Defaults 1000 / 2000 ms. */
  warmupMs?: number;
  tailMs?: number;
  /** While a step runs, status (probe counters, progress) is refreshed this often. Default 2000 ms. */
  progressMs?: number;
  /** How often a waiting Release looks again. Default 2000 ms. */
  waitPollMs?: number;
  log?: (message: string) => void;
  now?: () => number;
}

/** What the queue does next with the key: again at once, later, or only on the next change. */
export type ReconcileResult = { requeue: 'now' } | { requeue: 'after'; ms: number } | { requeue: 'no' };

type Ctl = 'promote' | 'abort' | 'pause' | 'retry';

/**
 * One reconcile of one Release: read it and the cluster, take at most one step through the step
 * registry (the engine, journaled to a ConfigMap), write status with optimistic concurrency. All
 * it knows comes from the Release and that journal, so a new leader picks up where the old one
 * stopped: a step left in flight is run again (steps are idempotent) or undone, as the engine
 * guarantees for the CLI.
 */
export class Reconciler {
  private readonly registry: StepRegistry;
  private readonly now: () => number;
  /** Releases whose step is running in this process, with the run id, for abort requests. */
  private readonly inFlight = new Map<string, { runId: string; journal: Journal; abortSent: boolean }>();
  /** The running step's latest progress line, per Release key, for the progress writes. */
  private readonly stepProgress = new Map<string, { stepId: string; message: string }>();
  /** Probe totals already counted into the metrics, per Release uid. */
  private readonly counted = new Map<string, { requests: number; failed: number }>();

  constructor(private readonly o: ReconcilerOptions) {
    this.registry = o.registry ?? stepRegistry(o.kube);
    this.now = o.now ?? Date.now;
  }

  /**
   * Told of every watch event, also while the Release's key is being reconciled: an abort
   * asked for during a long step reaches the running step through the journal at once.
   */
  observe(release: Release): void {
    const key = keyOf(release);
    const running = this.inFlight.get(key);
    if (running === undefined || running.abortSent || release.status?.control?.abort !== true) return;
    running.abortSent = true;
    void requestAbort({ journal: running.journal, runId: running.runId, reason: abortReason(release), by: this.o.identity }).catch(() => {
      running.abortSent = false;
    });
  }

  async reconcile(namespace: string, name: string, leading: AbortSignal): Promise<ReconcileResult> {
    const release = await this.o.kube.get<Release>({ apiVersion: releaseApiVersion, kind: 'Release', name, namespace });
    if (release === undefined || release.metadata.deletionTimestamp !== undefined) return { requeue: 'no' };
    const status = release.status ?? {};
    if (isFinalPhase(status.phase)) {
      await this.o.locks.release({ app: appOf(release), namespace });
      return { requeue: 'no' };
    }
    if (status.runId === undefined && status.control?.abort === true) return this.abortUnstarted(release);
    if (status.runId === undefined) return this.start(release, leading);
    return this.continue(release, status.runId, leading);
  }

  /** A Release without a run: validate, wait for its turn, plan, start (first step). */
  private async start(release: Release, leading: AbortSignal): Promise<ReconcileResult> {
    const namespace = release.metadata.namespace ?? 'default';
    const app = appOf(release);
    let specPath: string;
    try {
      specPath = await materializeInputs(this.o.kube, namespace, release.spec.upgrade, release.spec.inputs ?? []);
    } catch (error) {
      return this.invalid(release, error);
    }
    try {
      try {
        await loadSpec(specPath);
      } catch (error) {
        return this.invalid(release, error, specPath);
      }
      const ahead = await this.releaseAhead(release, app);
      if (ahead !== undefined)
        return this.wait(
          release,
          'ReleaseAhead',
          `waits for Release ${namespace}/${ahead}, an earlier Release of app ${app} that has not finished`,
        );
      try {
        await this.o.locks.acquire({ app, namespace }, keyOf(release));
      } catch (error) {
        if (error instanceof RunLockedError)
          return this.wait(release, 'AppLocked', `waits for ${error.holder}, which holds the Lease of app ${app}`);
        throw error;
      }
      const { inputs } = await loadRelease(specPath);
      const prepared = await planRelease(inputs, { kube: this.o.kube, env: process.env });
      const { spec } = inputs;
      const runId = runIdOf(release);
      const journal = new ConfigMapJournal(this.o.kube, namespace);
      const target = spec.probe.enabled ? probeUrl(spec.probe, prepared.live.service) : undefined;
      if ((await journal.read(runId)).length === 0) {
        if (target !== undefined) {
          await this.o.probes.start(uidOf(release), target, spec.probe);
          await delay(this.o.warmupMs ?? 1000);
        }
        await this.o.events.emit(
          release,
          'Normal',
          'RunStarted',
          `${prepared.plan.strategy} ${prepared.plan.from?.version ?? '(none)'} -> ${prepared.plan.to.version}: ${prepared.plan.steps.length} steps`,
        );
        const meta: JsonObject = {
          plan: prepared.plan as unknown as JsonObject,
          probe: spec.probe as unknown as JsonObject,
          release: { namespace, name: release.metadata.name, uid: uidOf(release) },
          inputs: recordInputs(inputs),
        };
        if (target !== undefined) meta.probeTarget = target;
        await this.withProgress(release, runId, journal, () =>
          startRun({ ...this.engine(release, journal, leading), runId, app, namespace, steps: prepared.plan.steps, meta }),
        );
      }
      return this.afterStep(release, runId, journal, { specHash: hashOf(release.spec) });
    } catch (error) {
      return this.reconcileError(release, error);
    } finally {
      await rm(dirname(specPath), { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** A Release with a run: act on human requests, else take the next step. */
  private async continue(release: Release, runId: string, leading: AbortSignal): Promise<ReconcileResult> {
    const namespace = release.metadata.namespace ?? 'default';
    const app = appOf(release);
    const journal = new ConfigMapJournal(this.o.kube, namespace);
    try {
      const entries = await journal.read(runId);
      if (entries.length === 0)
        throw new BatonError('JOURNAL_MISSING', `the journal of run ${runId} (ConfigMap ${configMapName(runId)}) is gone`);
      const state = deriveRunState(entries);
      const control = release.status?.control ?? {};
      const handled: Ctl[] = [];
      if (state.status !== 'succeeded' && state.status !== 'rolled-back' && state.status !== 'aborted') {
        try {
          await this.o.locks.acquire({ app, namespace }, keyOf(release));
        } catch (error) {
          if (error instanceof RunLockedError)
            return this.wait(
              release,
              'AppLocked',
              `waits for ${error.holder}, which holds the Lease of app ${app} (a previous leader's Lease expires within 15 s)`,
            );
          throw error;
        }
        await this.ensureProbe(release, state);
      }
      const engine = this.engine(release, journal, leading);
      const drive = (call: () => Promise<unknown>) => this.withProgress(release, runId, journal, call);
      // A request is acknowledged (cleared in status) before it is acted on: acting is journaled
      // and idempotent, so a crash in between loses nothing, and no later write can revive it.
      const acknowledge = (request: Ctl) =>
        writeStatus(this.o.kube, release, (fresh) => ({
          ...(fresh.status ?? {}),
          control: clearHandled(fresh.status?.control, [request]),
        }));
      if (control.abort === true && !isFinal(state)) {
        handled.push('abort');
        await acknowledge('abort');
        await this.o.events.emit(release, 'Warning', 'AbortRequested', abortReason(release));
        await drive(() => abortRun({ ...engine, runId, reason: abortReason(release) }));
      } else if (control.retry === true && state.status === 'halted') {
        handled.push('retry');
        await acknowledge('retry');
        await drive(() => resumeRun({ ...engine, runId }));
      } else if (
        control.promote === true &&
        (state.paused !== undefined || (state.status === 'paused' && state.pauseRequested !== undefined))
      ) {
        handled.push('promote');
        await acknowledge('promote');
        await this.o.events.emit(
          release,
          'Normal',
          'Promoted',
          state.paused ? `step ${state.paused.stepId} promoted` : 'the run paused on request continues',
        );
        await drive(() => promoteRun({ ...engine, runId }));
      } else if (control.pause === true && state.status === 'running') {
        return this.afterStep(release, runId, journal, { pausedByHuman: true });
      } else if (state.status === 'running') {
        await drive(() => resumeRun({ ...engine, runId }));
      }
      // A request that does not apply to the run's state (promote while running) is cleared too,
      // with a condition-free message in status, so it cannot fire much later by surprise.
      for (const request of ['promote', 'retry'] as const)
        if (control[request] === true && !handled.includes(request) && state.status !== 'running') handled.push(request);
      return this.afterStep(release, runId, journal, { handled });
    } catch (error) {
      return this.reconcileError(release, error);
    }
  }

  /** Writes status from the journal after a step; stops the probe and frees the app once final. */
  private async afterStep(
    release: Release,
    runId: string,
    journal: Journal,
    o: { handled?: Ctl[]; specHash?: string; pausedByHuman?: boolean },
  ): Promise<ReconcileResult> {
    const entries = await journal.read(runId);
    const state = deriveRunState(entries);
    const fromJournal = statusFromJournal(entries);
    const final = isFinal(state);
    let probe = this.o.probes.status(uidOf(release), release.status?.probe, metaString(state, 'probeTarget'));
    if (final && this.o.probes.has(uidOf(release))) {
      await delay(this.o.tailMs ?? 2000);
      probe = await this.o.probes.stop(release, probe);
    }
    this.countProbe(release, probe);
    if (final) this.counted.delete(uidOf(release));
    const written = await writeStatus(this.o.kube, release, (fresh) => {
      const previous = fresh.status ?? {};
      const status: ReleaseStatus = {
        ...previous,
        ...fromJournal,
        app: state.app,
        holder: this.o.identity,
        journalRef: { configMap: configMapName(runId) },
      };
      if (fromJournal.currentStep === undefined) delete status.currentStep;
      status.specHash = previous.specHash ?? o.specHash ?? hashOf(fresh.spec);
      if (probe !== undefined) status.probe = probe;
      // Once the run is over no request applies any more: clear them all.
      status.control = clearHandled(previous.control, final ? ['promote', 'abort', 'pause', 'retry'] : (o.handled ?? []));
      let conditions = removeCondition(previous.conditions, conditionTypes.waiting);
      conditions = removeCondition(conditions, conditionTypes.reconcileError);
      const generation = fresh.metadata.generation ?? 1;
      if (hashOf(fresh.spec) !== status.specHash) {
        conditions = setCondition(
          conditions,
          {
            type: conditionTypes.specChangeRefused,
            status: 'True',
            reason: 'RunInProgress',
            message: `spec changed at generation ${generation} while run ${runId} was under way; the run keeps the spec it started with. To change it, let this Release finish (or abort it) and create a new one`,
            observedGeneration: generation,
          },
          this.now(),
        );
      } else conditions = removeCondition(conditions, conditionTypes.specChangeRefused);
      if (o.pausedByHuman === true && !final) {
        status.phase = 'Paused';
        status.message = `paused by a human (status.control.pause) before the next step; clear it to continue`;
        conditions = setCondition(
          conditions,
          { type: conditionTypes.paused, status: 'True', reason: 'PausedByHuman', message: status.message },
          this.now(),
        );
      } else if (state.status === 'paused') {
        conditions = setCondition(
          conditions,
          {
            type: conditionTypes.paused,
            status: 'True',
            reason: 'StepPaused',
            message: state.reason ?? 'a step waits for promote or abort',
          },
          this.now(),
        );
      } else conditions = removeCondition(conditions, conditionTypes.paused);
      conditions = setCondition(
        conditions,
        {
          type: conditionTypes.progressing,
          status: final ? 'False' : 'True',
          reason: status.phase ?? 'Running',
          message: status.message ?? `step ${status.currentStep?.id ?? '-'}`,
        },
        this.now(),
      );
      status.conditions = conditions;
      status.observedGeneration = generation;
      return status.probe === undefined ? status : withProbeFigures(status, status.probe, this.now());
    });
    if (final) {
      await this.o.locks.release({ app: state.app, namespace: state.namespace });
      await this.o.events.emit(
        written,
        state.status === 'succeeded' ? 'Normal' : 'Warning',
        `Run${fromJournal.phase}`,
        fromJournal.message ?? `run ${runId} ${state.status}`,
      );
      return { requeue: 'no' };
    }
    if (o.pausedByHuman === true || state.status === 'paused' || state.status === 'halted') return { requeue: 'no' };
    return { requeue: 'now' };
  }

  private engine(release: Release, journal: Journal, leading: AbortSignal): EngineOptions {
    const namespace = release.metadata.namespace ?? 'default';
    const probe = this.o.probes.get(uidOf(release));
    const stepStarted = new Map<string, number>();
    return {
      journal,
      registry: this.registry,
      lock: this.o.locks.runLock({ app: appOf(release), namespace }, leading),
      holder: this.o.identity,
      lockRenewMs: 1000,
      abortPollMs: 500,
      maxSteps: 1,
      ...(probe !== undefined ? { probe } : {}),
      onEvent: (event: EngineEvent) => this.onEngineEvent(release, event, stepStarted),
    };
  }

  private onEngineEvent(release: Release, event: EngineEvent, started: Map<string, number>): void {
    if (event.type === 'step-progress') {
      this.stepProgress.set(keyOf(release), { stepId: event.stepId, message: event.message });
      return;
    }
    const uid = uidOf(release);
    if (event.type === 'step-started') {
      started.set(event.stepId, event.at);
      this.o.probes.get(uid)?.mark(event.stepId);
      void this.o.events.emit(release, 'Normal', 'StepStarted', `step ${event.stepId} started`);
    } else if (event.type === 'step-finished' || event.type === 'step-error') {
      this.stepProgress.delete(keyOf(release));
      const began = started.get(event.stepId);
      const result = event.type === 'step-error' ? 'error' : event.result.kind;
      const kind = stepKindOf(release, event.stepId);
      if (began !== undefined) this.o.metrics.stepDuration.observe({ kind, result }, (event.at - began) / 1000);
      const message =
        event.type === 'step-error' ? event.error : event.result.kind === 'done' ? (event.result.summary ?? 'done') : event.result.reason;
      const isGate = kind === 'gate' || event.stepId.startsWith('gate');
      const reason = isGate
        ? result === 'done'
          ? 'GatePassed'
          : result === 'paused'
            ? 'GateWaiting'
            : 'GateFailed'
        : result === 'done'
          ? 'StepSucceeded'
          : result === 'paused'
            ? 'StepPaused'
            : 'StepFailed';
      void this.o.events.emit(
        release,
        result === 'done' || result === 'paused' ? 'Normal' : 'Warning',
        reason,
        `step ${event.stepId}: ${message}`,
      );
    } else if (event.type === 'undo-started') {
      void this.o.events.emit(release, 'Warning', 'RollingBack', `undoing step ${event.stepId}`);
    }
  }

  /** Runs an engine call while refreshing status (probe counters, current step) every few seconds. */
  private async withProgress(release: Release, runId: string, journal: Journal, call: () => Promise<unknown>): Promise<void> {
    const key = keyOf(release);
    this.inFlight.set(key, { runId, journal, abortSent: release.status?.control?.abort === true });
    let writing = false;
    const timer = setInterval(() => {
      if (writing) return;
      writing = true;
      void this.refresh(release, runId, journal).finally(() => {
        writing = false;
      });
    }, this.o.progressMs ?? 2000);
    try {
      await call();
    } finally {
      clearInterval(timer);
      this.inFlight.delete(key);
      this.stepProgress.delete(key);
    }
  }

  private async refresh(release: Release, runId: string, journal: Journal): Promise<void> {
    try {
      const entries = await journal.read(runId);
      const fromJournal = statusFromJournal(entries);
      // The final phase is written by afterStep only, once the probe's tail is measured and its
      // record stored: a reader that sees Succeeded then finds the whole record.
      if (isFinalPhase(fromJournal.phase)) return;
      const fresh = await this.o.kube.get<Release>({
        apiVersion: releaseApiVersion,
        kind: 'Release',
        name: release.metadata.name,
        namespace: release.metadata.namespace ?? 'default',
      });
      if (fresh === undefined) return;
      await writeStatus(this.o.kube, fresh, (current) => {
        const status: ReleaseStatus = {
          ...(current.status ?? {}),
          ...fromJournal,
          holder: this.o.identity,
          journalRef: { configMap: configMapName(runId) },
        };
        status.specHash ??= hashOf(current.spec);
        const progress = this.stepProgress.get(keyOf(release));
        if (progress !== undefined && status.currentStep?.id === progress.stepId)
          status.currentStep = { ...status.currentStep, progress: progress.message };
        const probe = this.o.probes.status(uidOf(release), current.status?.probe, metaString(deriveRunState(entries), 'probeTarget'));
        this.countProbe(release, probe);
        return probe === undefined ? status : withProbeFigures(status, probe, this.now());
      });
    } catch (error) {
      this.o.log?.(`progress write for ${keyOf(release)} failed: ${(error as Error).message}`);
    }
  }

  /** Feeds the probe counters' growth since the last look into the Prometheus counters. */
  private countProbe(release: Release, probe: ReleaseStatus['probe']): void {
    if (probe === undefined) return;
    const uid = uidOf(release);
    const before = this.counted.get(uid) ?? { requests: release.status?.probe?.requests ?? 0, failed: release.status?.probe?.failed ?? 0 };
    const app = appOf(release);
    if (probe.requests > before.requests) this.o.metrics.probeRequests.inc({ app }, probe.requests - before.requests);
    if (probe.failed > before.failed) this.o.metrics.probeFailures.inc({ app }, probe.failed - before.failed);
    this.counted.set(uid, { requests: Math.max(before.requests, probe.requests), failed: Math.max(before.failed, probe.failed) });
  }

  /** A new leader finds the run mid-way with no probe in this process: start a new segment. */
  private async ensureProbe(release: Release, state: RunState): Promise<void> {
    if (this.o.probes.has(uidOf(release)) || isFinal(state)) return;
    const target = metaString(state, 'probeTarget');
    const spec = probeSchema.safeParse(state.meta.probe);
    if (target === undefined || !spec.success) return;
    await this.o.probes.start(uidOf(release), target, spec.data as ProbeSpec);
  }

  private async releaseAhead(release: Release, app: string): Promise<string | undefined> {
    const namespace = release.metadata.namespace ?? 'default';
    const { items } = await this.o.kube.list<Release>({ apiVersion: releaseApiVersion, kind: 'Release', namespace });
    const mine = orderOf(release);
    const ahead = items
      .filter(
        (r) =>
          r.metadata.name !== release.metadata.name && appOf(r) === app && !isFinalPhase(r.status?.phase) && r.status?.phase !== 'Invalid',
      )
      .filter((r) => r.status?.runId !== undefined || orderOf(r) < mine)
      .sort((a, b) => orderOf(a).localeCompare(orderOf(b)));
    return ahead[0]?.metadata.name;
  }

  private async invalid(release: Release, error: unknown, specPath?: string): Promise<ReconcileResult> {
    if (!(error instanceof BatonError)) throw error;
    const message = specPath === undefined ? error.message : cliMessage(error.message, specPath);
    await writeStatus(this.o.kube, release, (fresh) => {
      const generation = fresh.metadata.generation ?? 1;
      const status: ReleaseStatus = { ...(fresh.status ?? {}), phase: 'Invalid', message, observedGeneration: generation };
      status.conditions = setCondition(
        fresh.status?.conditions,
        {
          type: conditionTypes.invalid,
          status: 'True',
          reason: error.code,
          message: error.hint ? `${message}\n${error.hint}` : message,
          observedGeneration: generation,
        },
        this.now(),
      );
      return status;
    });
    await this.o.events.emit(release, 'Warning', 'Invalid', message);
    return { requeue: 'no' };
  }

  /** Aborted before its run began (while waiting, say): nothing was changed, nothing to undo. */
  private async abortUnstarted(release: Release): Promise<ReconcileResult> {
    const message = `aborted before its run started (${abortReason(release)}); nothing was changed`;
    await writeStatus(this.o.kube, release, (fresh) => ({
      ...(fresh.status ?? {}),
      phase: 'Aborted',
      message,
      finishedAt: new Date(this.now()).toISOString(),
      control: clearHandled(fresh.status?.control, ['abort']),
      conditions: removeCondition(fresh.status?.conditions, conditionTypes.waiting),
    }));
    await this.o.events.emit(release, 'Warning', 'RunAborted', message);
    return { requeue: 'no' };
  }

  private async wait(release: Release, reason: string, message: string): Promise<ReconcileResult> {
    if (release.status?.phase !== 'Waiting' || release.status.message !== message) {
      await writeStatus(this.o.kube, release, (fresh) => ({
        ...(fresh.status ?? {}),
        phase: fresh.status?.runId === undefined ? 'Waiting' : (fresh.status.phase ?? 'Waiting'),
        message,
        observedGeneration: fresh.metadata.generation ?? 1,
        conditions: setCondition(fresh.status?.conditions, { type: conditionTypes.waiting, status: 'True', reason, message }, this.now()),
      }));
    }
    return { requeue: 'after', ms: this.o.waitPollMs ?? 2000 };
  }

  /** The API's own words (a 403 names the verb, resource and service account) go into a condition. */
  private async reconcileError(release: Release, error: unknown): Promise<ReconcileResult> {
    const message = error instanceof Error ? error.message : String(error);
    const reason = (error as { reason?: string }).reason ?? (error as { code?: string }).code ?? 'Error';
    this.o.metrics.reconcileErrors.inc({ reason: String(reason) });
    this.o.log?.(`reconcile ${keyOf(release)}: ${message}`);
    await writeStatus(this.o.kube, release, (fresh) => ({
      ...(fresh.status ?? {}),
      phase: fresh.status?.phase ?? 'Pending',
      conditions: setCondition(
        fresh.status?.conditions,
        { type: conditionTypes.reconcileError, status: 'True', reason: String(reason), message },
        this.now(),
      ),
    })).catch(() => undefined);
    return { requeue: 'after', ms: 5000 };
  }
}

export function keyOf(release: Release): string {
  return `${release.metadata.namespace ?? 'default'}/${release.metadata.name}`;
}

export function appOf(release: Release): string {
  const app = release.spec?.upgrade?.app;
  return typeof app === 'string' ? app : release.metadata.name;
}

/** Deterministic, so a controller that crashed between starting a run and writing status finds it. */
export function runIdOf(release: Release): string {
  return `${release.metadata.name}-${uidOf(release).replace(/-/g, '').slice(0, 8)}`;
}

function uidOf(release: Release): string {
  return release.metadata.uid ?? release.metadata.name;
}

/** Creation order as a sortable string: milliseconds since the epoch (zero-padded), then the name for a tie. */
export function orderOf(release: Release): string {
  const created = Date.parse(release.metadata.creationTimestamp ?? '');
  return `${String(Number.isNaN(created) ? 0 : created).padStart(15, '0')}|${release.metadata.name}`;
}

/** sha256 of the spec with keys sorted: equal for equal content, whatever the key order. */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The CLI's message for a spec error, with the controller's scratch file replaced by where the
 * field lives in the Release: "  /x/baton.yaml:3:5 image.ref: …" becomes "  spec.upgrade.image.ref: …".
 */
export function cliMessage(message: string, specPath: string): string {
  const escaped = specPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return message
    .replace(new RegExp(`${escaped}:\\d+:\\d+ \\(root\\):`, 'g'), 'spec.upgrade:')
    .replace(new RegExp(`${escaped}:\\d+:\\d+ `, 'g'), 'spec.upgrade.')
    .replaceAll(specPath, 'spec.upgrade');
}

function clearHandled(control: ReleaseStatus['control'], handled: readonly Ctl[]): ReleaseStatus['control'] {
  const out = { ...(control ?? {}) };
  for (const request of handled) out[request] = null;
  if (handled.includes('abort')) out.reason = null;
  return out;
}

function abortReason(release: Release): string {
  return release.status?.control?.reason ?? 'aborted through status.control.abort';
}

function isFinal(state: RunState): boolean {
  return ['succeeded', 'rolled-back', 'aborted', 'failed'].includes(state.status);
}

function metaString(state: RunState, key: string): string | undefined {
  const value = state.meta[key];
  return typeof value === 'string' ? value : undefined;
}

function stepKindOf(release: Release, stepId: string): string {
  void release;
  return stepId.split(':')[0] ?? 'step';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
