import type { VersionFeatures } from '../kubernetes-version.js';
import type { KubeletTimingModel } from './kubelet-timing.js';
import type { BackOffOptions } from './back-off.js';
import type { EnvSources } from './container-env.js';
import type { EventRecorder } from './events.js';
import type { ImageMap } from './image-map.js';
import type { KubeClient } from './kube-client.js';
import type { LogStore } from './log-store.js';
import type { Pod, PodCondition } from './pod-types.js';
import type { ActionTarget } from './handler-action.js';
import type { RunningContainer } from './container-record.js';
import { ContainerRecord } from './container-record.js';
import { buildPodStatus } from './pod-status.js';
import { decideAfterExit } from './exit-decision.js';
import { notFoundMessage } from './container-command.js';
import { planLaunch } from './container-launch.js';
import { startContainerProcess } from './container-process.js';
import { startContainerProbes } from './container-probes.js';
import { StatusWriter } from './status-writer.js';
import { killContainer } from './kill-container.js';
import type { PodKillOptions } from './pod-killer.js';
import { killPodContainers, stopSidecars } from './pod-killer.js';
import { KUBELET_ID_ENV } from './orphan-reaper.js';
import { runAction } from './handler-action.js';
import { MountError, PodVolumes } from './pod-volumes.js';
import { inMountNamespace } from './mount-namespace.js';

export interface PodWorkerDeps {
  client: KubeClient;
  events: EventRecorder;
  logs: LogStore;
  images: ImageMap;
  envSources: EnvSources;
  nodeName: string;
  hostIP: string;
  now: () => number;
  backOff: BackOffOptions;
  /** Called once the pod is finished on this node (deleted, or its processes stopped). */
  onGone(): void;
  /** Called whenever a container process starts or exits (the kubelet's orphan watchdog list). */
  onProcesses(change: 'started' | 'exited'): void;
  /** Marks every container process (KUBESIM_KUBELET_ID) for the orphan watchdog. */
  kubeletId: string;
  /** See KubeletOptions.readinessWhileTerminating. */
  readinessWhileTerminating: 'not-ready' | 'probe';
  /** What the served Kubernetes minor shows in pod status (PodReadyToStartContainers, hostIPs). */
  features: Pick<VersionFeatures, 'podReadyToStartContainers' | 'hostIPs'>;
  /** Runtime delays (kubelet-timing.ts) and the images this node has pulled already. */
  timing: KubeletTimingModel;
  pulledImages: Set<string>;
  /** Where pod volumes are written (0700). */
  podsDir: string;
  /** Containers get a private mount namespace with their volumes bind-mounted at mountPath. */
  mountNamespaces: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Runs one pod: init containers in order, then the containers; restarts per restartPolicy with
 * CrashLoopBackOff; probes; and on deletion the Kubernetes termination sequence (readiness off,
 * preStop, SIGTERM, SIGKILL at the grace deadline), then deletes the pod object.
 */
export class PodWorker {
  readonly init: ContainerRecord[];
  readonly containers: ContainerRecord[];
  private pod: Pod;
  private readonly startTime: string;
  private failed = false;
  private terminating = false;
  private stopped = false;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncDueAt = 0;
  private syncing = false;
  private resync = false;
  private readonly status: StatusWriter;
  private conditions: PodCondition[] = [];
  private readonly volumes: PodVolumes;
  private volumesReady = false;

  constructor(
    pod: Pod,
    readonly podIP: string,
    private readonly d: PodWorkerDeps,
  ) {
    this.pod = pod;
    this.volumes = new PodVolumes(pod, { client: d.client, podsDir: d.podsDir, podIP, hostIP: d.hostIP });
    this.status = new StatusWriter(d.client, `/api/v1/namespaces/${this.namespace}/pods/${this.name}/status`, () => this.push());
    this.startTime = iso(d.now());
    this.init = (pod.spec.initContainers ?? []).map((c) => new ContainerRecord(c, true, d.backOff));
    this.containers = pod.spec.containers.map((c) => new ContainerRecord(c, false, d.backOff));
    for (const c of [...this.init, ...this.containers])
      c.state = { waiting: { reason: c.isInit || this.init.length === 0 ? 'ContainerCreating' : 'PodInitializing' } };
  }

  get namespace(): string {
    return this.pod.metadata.namespace ?? 'default';
  }
  get name(): string {
    return this.pod.metadata.name;
  }
  get uid(): string {
    return this.pod.metadata.uid ?? '';
  }

  /** The container exec/logs/stats may use, when it runs. */
  running(container: string | undefined): RunningContainer | undefined {
    const all = [...this.containers, ...this.init];
    const c = container ? all.find((x) => x.spec.name === container) : this.containers[0];
    return c?.running;
  }

  runningPids(): { container: string; pid: number; startedAt: string }[] {
    return [...this.init, ...this.containers].flatMap((c) =>
      c.proc && c.state.running ? [{ container: c.spec.name, pid: c.proc.pid, startedAt: c.state.running.startedAt }] : [],
    );
  }

  start(): void {
    // (No "Scheduled" event: that one is the scheduler's.)
    this.schedule(0);
  }

  /** A newer version of the pod object arrived from the API server. */
  update(pod: Pod): void {
    if (pod.metadata.uid !== this.pod.metadata.uid) return;
    this.pod = pod;
    this.volumes.update(pod);
    if (pod.metadata.deletionTimestamp && !this.terminating) return void this.terminate(true);
    if (!this.terminating && !this.stopped) this.applyImageChanges(pod);
    this.push();
  }

  /**
   * `kubectl set image` on a pod: a running container whose image changed is killed and started
   * again with the new image (restartCount+1, no back-off), as the kubelet does when a
   * container's spec hash changes; one waiting on a missing image is retried at once.
   */
  private applyImageChanges(pod: Pod): void {
    for (const c of [...this.init, ...this.containers]) {
      const next = (c.isInit ? pod.spec.initContainers : pod.spec.containers)?.find((x) => x.name === c.spec.name);
      if (!next || next.image === c.spec.image || (c.isInit && c.done)) continue;
      c.spec = next;
      if (c.proc && !c.killing) {
        c.restartForSpecChange = true;
        c.stopProbers();
        c.ready = false;
        this.d.events.record(this.pod, 'Normal', 'Killing', `Container ${c.spec.name} definition changed, will be restarted`, c.fieldPath);
        c.killing = killContainer(c.proc, {
          grace: pod.spec.terminationGracePeriodSeconds ?? 30,
          preStop: c.spec.lifecycle?.preStop,
          target: this.target(c),
          now: this.d.now,
        }).finally(() => {
          c.killing = undefined;
        });
      } else if (!c.proc && !c.done) {
        c.nextStartAt = 0;
        this.schedule(0);
      }
    }
  }

  /**
   * The object is gone (force-deleted) or the kubelet stops: no status writes. 'now' SIGKILLs at
   * once (kubelet shutdown); a number runs SIGTERM with that grace (at least 2s, as the kubelet).
   */
  async stop(grace: number | 'now'): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    if (grace === 'now') {
      for (const c of [...this.init, ...this.containers]) {
        c.stopProbers();
        if (c.waitTimer) clearTimeout(c.waitTimer);
        c.proc?.signal('SIGKILL');
      }
      await Promise.all([...this.init, ...this.containers].map((c) => c.proc?.exited));
    } else {
      await this.killAll(grace, false);
    }
    await this.volumes.cleanUp();
    this.d.onGone();
  }

  /** Process group ids of everything running (for the kubelet's last-resort cleanup on exit). */
  pgids(): number[] {
    return [...this.init, ...this.containers].flatMap((c) => (c.proc ? [c.proc.pid] : []));
  }

  get isTerminating(): boolean {
    return this.terminating;
  }

  /** Real-kubelet mode: readiness is still probed while the pod terminates. */
  private get probeWhileTerminating(): boolean {
    return this.d.readinessWhileTerminating === 'probe';
  }

  /** Asks for a sync within delayMs; an earlier pending sync is kept (it recomputes the next wake-up). */
  private schedule(delayMs: number): void {
    if (this.stopped || this.terminating) return;
    const due = this.d.now() + Math.max(0, delayMs);
    if (this.syncTimer && this.syncDueAt <= due) return;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncDueAt = due;
    this.syncTimer = setTimeout(
      () => {
        this.syncTimer = undefined;
        void this.sync();
      },
      Math.max(0, delayMs),
    );
  }

  private async sync(): Promise<void> {
    if (this.syncing) {
      this.resync = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.resync = false;
        try {
          await this.syncOnce();
        } catch (e) {
          // Unexpected (e.g. the API server unreachable while reading a ConfigMap): never let it
          // take the node down; report it and try again shortly, as the kubelet's sync loop does.
          this.d.events.record(this.pod, 'Warning', 'FailedSync', `error syncing pod: ${(e as Error).message}`);
          this.schedule(2000);
        }
      } while (this.resync && !this.stopped && !this.terminating);
    } finally {
      this.syncing = false;
    }
    this.push();
  }

  private async syncOnce(): Promise<void> {
    if (this.stopped || this.terminating || this.failed) return;
    // Volumes first: until every volume is set up, containers wait in ContainerCreating (FailedMount).
    if (!this.volumesReady) {
      try {
        await this.volumes.setUp();
        this.volumesReady = true;
      } catch (e) {
        if (!(e instanceof MountError)) throw e;
        this.d.events.record(this.pod, 'Warning', 'FailedMount', e.message);
        this.schedule(2000);
        return;
      }
      if (this.stopped || this.terminating) return;
    }
    let wake = Infinity;
    const tryStart = async (c: ContainerRecord): Promise<void> => {
      if (c.proc || c.killing || c.done) return;
      if (this.d.now() < c.nextStartAt) {
        wake = Math.min(wake, c.nextStartAt);
        return;
      }
      await this.startContainer(c);
      if (!c.proc && !c.done) wake = Math.min(wake, c.nextStartAt);
    };
    // Init containers in order: a regular one must complete, a sidecar must have started, before
    // the next begins. Sidecars are (re)started whenever they are down, also after init.
    let gated = false;
    for (const c of this.init) {
      if (c.isSidecar) {
        // In order the first time; once it has started it is restarted whenever it is down.
        if (!gated || c.everStarted) await tryStart(c);
        if (!c.everStarted) gated = true;
        continue;
      }
      if (gated || c.done) continue;
      await tryStart(c);
      gated = true;
    }
    if (!gated) for (const c of this.containers) await tryStart(c);
    if (wake !== Infinity) this.schedule(wake - this.d.now());
  }

  private crashLoopMessage(c: ContainerRecord, delayMs: number): string {
    return `back-off ${Math.round(delayMs / 1000)}s restarting failed container=${c.spec.name} pod=${this.name}_${this.namespace}(${this.uid})`;
  }

  private setWaiting(c: ContainerRecord, reason: string, message: string, later?: { reason: string; message: string }): void {
    c.setWaiting(
      reason,
      message,
      later && { ...later, afterMs: Math.min(1000, Math.max(0, c.nextStartAt - this.d.now()) / 2), onFlip: () => this.push() },
    );
  }

  private sandboxReady = false;

  /**
   * The time a real runtime spends before the process runs (kubelet-timing.ts): sandbox once per
   * pod, the image pull (first use on this node, or every start under Always), container start.
   * False when the pod began terminating meanwhile.
   */
  private async runtimeDelays(ref: string, pullPolicy: string | undefined, fp: string): Promise<boolean> {
    const t = this.d.timing;
    const wait = (ms: number): Promise<void> => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());
    if (!this.sandboxReady) {
      await wait(t.sandboxMs);
      this.sandboxReady = true;
    }
    if (t.imagePullMs > 0 && (pullPolicy === 'Always' || !this.d.pulledImages.has(ref))) {
      this.d.events.record(this.pod, 'Normal', 'Pulling', `Pulling image "${ref}"`, fp);
      await wait(t.imagePullMs);
      this.d.pulledImages.add(ref);
      this.d.events.record(this.pod, 'Normal', 'Pulled', `Successfully pulled image "${ref}" in ${(t.imagePullMs / 1000).toFixed(3)}s`, fp);
    } else this.d.events.record(this.pod, 'Normal', 'Pulled', `Container image "${ref}" already present on machine`, fp);
    await wait(t.containerStartMs);
    return !(this.terminating || this.stopped);
  }

  private async startContainer(c: ContainerRecord): Promise<void> {
    const spec = c.spec;
    const ref = spec.image ?? '';
    const fp = c.fieldPath;
    const plan = await planLaunch({
      pod: this.pod,
      container: spec,
      images: this.d.images,
      podIP: this.podIP,
      hostIP: this.d.hostIP,
      sources: this.d.envSources,
    });
    if (this.terminating || this.stopped) return;
    if (plan.kind === 'image-missing') {
      c.nextStartAt = this.d.now() + c.pullBackOff.next(0);
      this.d.events.record(this.pod, 'Normal', 'Pulling', `Pulling image "${ref}"`, fp);
      this.d.events.record(this.pod, 'Warning', 'Failed', `Failed to pull image "${ref}": ${plan.message}`, fp);
      this.d.events.record(this.pod, 'Warning', 'Failed', 'Error: ErrImagePull', fp);
      this.setWaiting(c, 'ErrImagePull', plan.message, {
        reason: 'ImagePullBackOff',
        message: `Back-off pulling image "${ref}": ErrImagePull: ${plan.message}`,
      });
      return;
    }
    c.pullBackOff.next(Infinity); // a successful "pull" resets the pull back-off
    if (plan.kind === 'config-error') {
      // The kubelet retries these on its next sync; 2s keeps the loop cheap.
      c.nextStartAt = this.d.now() + 2000;
      this.d.events.record(this.pod, 'Warning', 'Failed', `Error: ${plan.message}`, fp);
      this.setWaiting(c, plan.reason, plan.message);
      return;
    }
    const { cwd } = plan;
    const env = { ...plan.env, [KUBELET_ID_ENV]: this.d.kubeletId };
    const mounts = this.d.mountNamespaces ? this.volumes.mountsFor(spec) : [];
    let { argv, file } = plan;
    if (file && mounts.length) {
      const wrapped = inMountNamespace(mounts, file, argv.slice(1));
      file = wrapped.file;
      argv = [wrapped.file, ...wrapped.args];
    }
    const attempt = c.restartCount;
    const containerID = `kubesim://${this.uid}-${spec.name}-${attempt}`;
    const writer = this.d.logs.open(this.namespace, this.name, this.uid, spec.name);
    if (!(await this.runtimeDelays(ref, spec.imagePullPolicy, fp))) {
      writer.close();
      return;
    }
    this.d.events.record(this.pod, 'Normal', 'Created', `Created container ${spec.name}`, fp);
    const started = file
      ? await startContainerProcess({ file, argv, cwd, env, now: this.d.now, onOutput: (s, chunk) => writer.write(s, chunk) })
      : { kind: 'failed' as const, message: notFoundMessage(argv[0]!) };
    if (started.kind === 'failed') {
      writer.close();
      const message = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${started.message}: unknown`;
      this.d.events.record(this.pod, 'Warning', 'Failed', `Error: ${message}`, fp);
      const t = iso(this.d.now());
      c.containerID = containerID;
      this.afterExit(c, { exitCode: 128, reason: 'StartError', message, startedAt: t, finishedAt: t, ranForMs: 0, startError: true });
      return;
    }
    const proc = started.process;
    if (this.terminating || this.stopped) {
      proc.signal('SIGKILL');
      writer.close();
      return;
    }
    c.proc = proc;
    c.containerID = containerID;
    c.running = { env, cwd, pid: proc.pid, ...(mounts.length ? { mountNsPid: proc.pid } : {}) };
    this.d.onProcesses('started');
    if (c.waitTimer) clearTimeout(c.waitTimer);
    c.ready = false;
    c.started = false;
    void proc.exited.then((exit) => {
      writer.close();
      c.proc = undefined;
      c.running = undefined;
      this.d.onProcesses('exited');
      c.stopProbers();
      c.ready = false;
      const startedAt = iso(proc.startedAt);
      // FallbackToLogsOnError: the end of the log becomes the termination message (80 lines / 2 KiB, as the kubelet).
      let message: string | undefined;
      if (exit.exitCode !== 0 && spec.terminationMessagePolicy === 'FallbackToLogsOnError') {
        const r = this.d.logs.read(this.namespace, this.name, spec.name, { tailLines: 80 });
        if (r.kind === 'ok' && r.text) message = Buffer.from(r.text).subarray(-2048).toString();
      }
      this.afterExit(c, {
        exitCode: exit.exitCode,
        ...(message ? { message } : {}),
        reason: exit.exitCode === 0 ? 'Completed' : 'Error',
        startedAt,
        finishedAt: iso(exit.finishedAt),
        ranForMs: exit.finishedAt - proc.startedAt,
        startError: false,
      });
    });
    this.d.events.record(this.pod, 'Normal', 'Started', `Started container ${spec.name}`, fp);
    const postStart = spec.lifecycle?.postStart;
    if (postStart) {
      c.state = { waiting: { reason: 'ContainerCreating' } };
      // As the kubelet: the container shows as created-not-running until postStart returns; a
      // failed hook kills the container, which then restarts per restartPolicy.
      const graceMs = (this.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
      const r = postStart.sleep
        ? await new Promise<{ kind: 'success' }>((res) => setTimeout(() => res({ kind: 'success' }), postStart.sleep!.seconds * 1000))
        : await runAction(postStart, this.target(c), graceMs);
      if (c.proc !== proc || this.terminating || this.stopped) return;
      if (r.kind === 'failure') {
        this.d.events.record(this.pod, 'Warning', 'FailedPostStartHook', `PostStartHook failed: ${r.message}`, fp);
        c.killing = killContainer(proc, {
          grace: this.pod.spec.terminationGracePeriodSeconds ?? 30,
          preStop: spec.lifecycle?.preStop,
          target: this.target(c),
          now: this.d.now,
        }).finally(() => {
          c.killing = undefined;
        });
        return;
      }
    }
    c.state = { running: { startedAt: iso(proc.startedAt) } };
    if (!c.isInit || c.isSidecar) this.startProbes(c);
    this.push();
  }

  private afterExit(
    c: ContainerRecord,
    x: { exitCode: number; reason: string; message?: string; startedAt: string; finishedAt: string; ranForMs: number; startError: boolean },
  ): void {
    const terminated = {
      exitCode: x.exitCode,
      reason: x.reason,
      startedAt: x.startedAt,
      finishedAt: x.finishedAt,
      ...(x.message ? { message: x.message } : {}),
      ...(c.containerID ? { containerID: c.containerID } : {}),
    };
    c.lastExitCode = x.exitCode;
    c.started = false;
    const specChanged = c.restartForSpecChange;
    c.restartForSpecChange = false;
    const decision = decideAfterExit({
      restartPolicy: this.pod.spec.restartPolicy ?? 'Always',
      exitCode: x.exitCode,
      isInit: c.isInit,
      isSidecar: c.isSidecar,
      done: c.done,
      specChanged,
      podStopping: this.terminating || this.stopped,
    });
    if (decision.kind !== 'restart') {
      c.state = { terminated };
      if (decision.kind === 'finished') {
        c.done = true;
        if (decision.failsPod) this.failed = true;
        // Every container finished for good (a Job pod): its sidecars are stopped now.
        if (!c.isInit && this.containers.every((y) => y.done))
          void stopSidecars(this.init, this.killOptions(this.pod.spec.terminationGracePeriodSeconds ?? 30, true));
        this.schedule(0);
      }
      this.push();
      return;
    }
    const delay = specChanged ? 0 : c.crashBackOff.next(x.ranForMs);
    c.lastState = { terminated };
    c.restartCount++;
    c.nextStartAt = this.d.now() + delay;
    if (delay > 0) {
      this.d.events.record(this.pod, 'Warning', 'BackOff', 'Back-off restarting failed container', c.fieldPath);
      this.setWaiting(
        c,
        x.startError ? 'RunContainerError' : 'CrashLoopBackOff',
        x.startError ? (x.message ?? '') : this.crashLoopMessage(c, delay),
        x.startError ? { reason: 'CrashLoopBackOff', message: this.crashLoopMessage(c, delay) } : undefined,
      );
    } else {
      this.setWaiting(c, x.startError ? 'RunContainerError' : 'ContainerCreating', x.message ?? '');
    }
    this.push();
    this.schedule(delay);
  }

  private target(c: ContainerRecord): ActionTarget {
    const ns = c.running?.mountNsPid;
    return {
      podIP: this.podIP,
      container: c.spec,
      env: c.running?.env ?? {},
      cwd: c.running?.cwd ?? '/',
      ...(ns !== undefined ? { mountNsPid: ns } : {}),
    };
  }

  private startProbes(c: ContainerRecord): void {
    const fp = c.fieldPath;
    startContainerProbes(c, {
      target: () => this.target(c),
      unhealthy: (label, message) => this.d.events.record(this.pod, 'Warning', 'Unhealthy', `${label} probe failed: ${message}`, fp),
      kill: (which, grace) => this.probeKill(c, which, grace),
      changed: () => {
        this.push();
        // A sidecar that just started releases the init containers and containers after it.
        if (c.isSidecar) this.schedule(0);
      },
      mayBeReady: () => !this.terminating || this.probeWhileTerminating,
    });
  }

  private probeKill(c: ContainerRecord, which: string, probeGrace: number | undefined): void {
    if (!c.proc || c.killing || this.terminating) return;
    c.stopProbers();
    c.ready = false;
    this.push();
    this.d.events.record(this.pod, 'Normal', 'Killing', `Container ${c.spec.name} failed ${which} probe, will be restarted`, c.fieldPath);
    const grace = probeGrace ?? this.pod.spec.terminationGracePeriodSeconds ?? 30;
    c.killing = killContainer(c.proc, { grace, preStop: c.spec.lifecycle?.preStop, target: this.target(c), now: this.d.now }).finally(
      () => {
        c.killing = undefined;
      },
    );
  }

  private killOptions(graceSeconds: number, runPreStop: boolean): PodKillOptions {
    return {
      graceSeconds,
      runPreStop,
      keepReadiness: this.terminating && this.probeWhileTerminating,
      target: (c) => this.target(c),
      now: this.d.now,
    };
  }

  private killAll(graceSeconds: number, runPreStop: boolean): Promise<void> {
    return killPodContainers(this.init, this.containers, this.killOptions(graceSeconds, runPreStop));
  }

  /** Graceful deletion: the Kubernetes termination sequence, then the pod object is removed. */
  private async terminate(deleteObject: boolean): Promise<void> {
    this.terminating = true;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    // As the real kubelet (default): liveness/startup stop (they would only kill a container that
    // is being stopped anyway), readiness keeps following the app. 'not-ready': Ready=False at once.
    for (const c of [...this.init, ...this.containers]) {
      if (this.probeWhileTerminating) c.stopProbers(true);
      else c.ready = false;
    }
    this.push();
    const grace = this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec.terminationGracePeriodSeconds ?? 30;
    for (const c of this.containers)
      if (c.proc) this.d.events.record(this.pod, 'Normal', 'Killing', `Stopping container ${c.spec.name}`, c.fieldPath);
    await this.killAll(grace, true);
    // Let the exit handlers record terminated states before the final status.
    await new Promise((r) => setImmediate(r));
    // A deleted pod ends in a terminal phase (Succeeded only if every container exited 0), as
    // the kubelet reports since Kubernetes 1.27 before the object goes away.
    for (const c of [...this.init, ...this.containers]) {
      if (c.state.waiting) {
        c.state = {
          terminated: {
            exitCode: 137,
            reason: 'ContainerStatusUnknown',
            message: 'The container could not be located when the pod was terminated',
          },
        };
        c.lastExitCode = 137;
      }
      c.done = true;
    }
    this.push();
    await this.status.settled();
    if (deleteObject && !this.stopped) {
      const path = `/api/v1/namespaces/${this.namespace}/pods/${this.name}`;
      await this.d.client
        .request('DELETE', path, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: this.uid } })
        .catch(() => undefined);
    }
    if (!this.stopped) {
      this.stopped = true;
      await this.volumes.cleanUp();
      this.d.onGone();
    }
  }

  /** Computes the status and hands it to the writer (which skips unchanged ones). */
  private push(): void {
    if (this.stopped) return;
    const status = buildPodStatus({
      pod: this.pod,
      podIP: this.podIP,
      hostIP: this.d.hostIP,
      startTime: this.startTime,
      init: this.init,
      containers: this.containers,
      failed: this.failed,
      terminating: this.terminating && !this.probeWhileTerminating,
      previous: this.conditions,
      now: iso(this.d.now()),
      features: this.d.features,
    });
    this.conditions = status.conditions ?? [];
    this.status.write(status);
  }
}
