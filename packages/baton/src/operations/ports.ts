import type { EngineEvent } from '../engine/engine-event.js';
import type { Journal } from '../engine/journal.js';
import type { RunLock } from '../engine/run-lock.js';
import type { Logger, StepRegistry } from '../engine/step.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { Probe, ProbeOptions } from '../probe/probe.js';
import type { ArtifactStore } from '../report/artifact-store.js';

export type { ArtifactStore, ArtifactRefs } from '../report/artifact-store.js';

/** Time as the use cases see it: injectable, so a test never waits on a wall clock. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Starts live probe traffic (default: probe/probe.ts startProbe). */
export type ProbeFactory = (options: ProbeOptions) => Promise<Probe>;

/** Environment where database `{env: NAME}` references are read. Passed in, never process.env. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Everything a use case talks to. Front ends (CLI, controller, dashboard) build these once; the
 * use cases hold no other state and read no files.
 */
export interface OperationPorts {
  kube: KubeClient;
  journal: Journal;
  lock: RunLock;
  /** Step kinds by name. Default: every kind baton has, bound to `kube` and `env`. */
  registry?: StepRegistry;
  /** Where a run's record and rendered reports are kept. Default: nowhere (the result carries them). */
  artifacts?: ArtifactStore;
  probes?: ProbeFactory;
  clock?: Clock;
  env?: Environment;
  /** Cancels the run in flight (SIGINT, a controller shutting down): it rolls back. */
  signal?: AbortSignal;
  /** Live engine events (progress lines, a dashboard's stream). A throwing listener is ignored. */
  onEvent?: (event: EngineEvent) => void;
  /** Told what the run could not do and why (e.g. "probe: no URL, traffic is not measured"). */
  onNotice?: (message: string) => void;
  log?: Logger;
  /** Who acts (lock holder, journal `by`). Default `baton pid N on HOST`. */
  holder?: string;
  lockRenewMs?: number;
  abortPollMs?: number;
}
