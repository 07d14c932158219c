import { imageId, normalizeImage } from './image-reference.js';
import type { Container, ContainerStateJson, ContainerStatusJson } from './pod-types.js';
import type { ContainerProcess } from './container-process.js';
import type { Prober } from './prober.js';
import type { BackOffOptions } from './back-off.js';
import { BackOff } from './back-off.js';

/** What a running container exposes to exec, logs and stats. */
export interface RunningContainer {
  env: Record<string, string>;
  cwd: string;
  pid: number;
  /** Set when the container has a private mount namespace: exec and hooks enter it through this pid. */
  mountNsPid?: number;
}

/** The kubelet's record of one container of a pod: its current and last state, probes, back-off. */
export class ContainerRecord {
  state: ContainerStateJson = { waiting: { reason: 'ContainerCreating' } };
  lastState: ContainerStateJson = {};
  restartCount = 0;
  ready = false;
  started = false;
  /** Terminated and will not be started again (init: completed; regular: per restartPolicy). */
  done = false;
  lastExitCode: number | undefined;
  proc: ContainerProcess | undefined;
  running: RunningContainer | undefined;
  containerID: string | undefined;
  probers: Prober[] = [];
  nextStartAt = 0;
  /** A pending timer that flips ErrImagePull to ImagePullBackOff / RunContainerError to CrashLoopBackOff. */
  waitTimer: NodeJS.Timeout | undefined;
  /** Set while a kill (liveness, startup or pod termination) is in progress. */
  killing: Promise<void> | undefined;
  readonly crashBackOff: BackOff;
  readonly pullBackOff: BackOff;

  /** Set the first time the container counted as started (sidecars gate the next init container). */
  everStarted = false;
  /** The image changed while running: restart at once after the kill, whatever the policy. */
  restartForSpecChange = false;

  /** The spec is replaced when the pod's image is updated (the only mutable container field). */
  constructor(
    public spec: Container,
    readonly isInit: boolean,
    backOff: BackOffOptions,
  ) {
    this.crashBackOff = new BackOff(backOff);
    this.pullBackOff = new BackOff({ ...backOff, immediateFirst: false });
  }

  /** A native sidecar: an init container with restartPolicy Always, running beside the containers. */
  get isSidecar(): boolean {
    return this.isInit && this.spec.restartPolicy === 'Always';
  }

  /** Stops the probes; `keepReadiness` leaves the readiness probe running (a terminating pod). */
  /** Where events point: `spec.containers{NAME}` / `spec.initContainers{NAME}`. */
  get fieldPath(): string {
    return `spec.${this.isInit ? 'initContainers' : 'containers'}{${this.spec.name}}`;
  }

  /**
   * Shows a waiting reason; with `later`, it turns into later.reason after afterMs (ErrImagePull
   * -> ImagePullBackOff, RunContainerError -> CrashLoopBackOff), as the kubelet shows them.
   */
  setWaiting(reason: string, message: string, later?: { reason: string; message: string; afterMs: number; onFlip(): void }): void {
    this.state = { waiting: { reason, message } };
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    if (!later) return;
    this.waitTimer = setTimeout(() => {
      if (this.state.waiting?.reason !== reason) return;
      this.state = { waiting: { reason: later.reason, message: later.message } };
      later.onFlip();
    }, later.afterMs);
  }

  stopProbers(keepReadiness = false): void {
    for (const p of this.probers) if (!(keepReadiness && p.kind === 'readiness')) p.stop();
    this.probers = keepReadiness ? this.probers.filter((p) => p.kind === 'readiness') : [];
  }

  status(): ContainerStatusJson {
    const image = this.spec.image ?? '';
    const s: ContainerStatusJson = {
      name: this.spec.name,
      image: normalizeImage(image),
      imageID: imageId(image),
      ready: this.ready,
      started: this.started,
      restartCount: this.restartCount,
      state: this.state,
      lastState: this.lastState,
    };
    if (this.containerID) s.containerID = this.containerID;
    return s;
  }
}
