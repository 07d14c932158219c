import type { JsonObject } from '../json.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { CustomKind } from '../kube/custom-resource-client.js';

/** The Release custom resource: one object per upgrade attempt (immutable intent). */
export const releaseKind = { group: 'baton.dev', version: 'v1alpha1', plural: 'releases' } as const satisfies CustomKind;
export const releaseApiVersion = `${releaseKind.group}/${releaseKind.version}`;

/** A content-hashed, immutable ConfigMap holding part of the run's files (manifests, migrations). */
export interface InputsRef {
  configMap: string;
  /** sha256 (hex) of the ConfigMap's `files.json`; checked before anything is planned. */
  sha256: string;
}

export interface ReleaseSpec {
  /** The baton.yaml, as written (apiVersion baton.dev/v1alpha1, kind Upgrade). */
  upgrade: JsonObject;
  /** The files the spec refers to, relative to the spec's folder, packed into ConfigMaps. */
  inputs: InputsRef[];
}

/**
 * Where a Release stands. Final: Succeeded, RolledBack, Aborted, Invalid, Failed. Waiting: another
 * Release of the app goes first. Paused / Halted: a human acts (status.control).
 */
export type ReleasePhase =
  | 'Pending'
  | 'Waiting'
  | 'Running'
  | 'Paused'
  | 'Halted'
  | 'RollingBack'
  | 'Succeeded'
  | 'RolledBack'
  | 'Aborted'
  | 'Invalid'
  | 'Failed';

export const finalPhases: readonly ReleasePhase[] = ['Succeeded', 'RolledBack', 'Aborted', 'Invalid', 'Failed'];

export function isFinalPhase(phase: ReleasePhase | undefined): boolean {
  return phase !== undefined && finalPhases.includes(phase);
}

export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'paused' | 'undone';

export interface ReleaseStepStatus {
  id: string;
  kind: string;
  title: string;
  state: StepState;
  reversible: boolean;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
}

export interface ProbeSegment {
  /** The controller replica that sent this traffic (a new leader starts a new segment). */
  holder: string;
  startedAt: string;
  requests: number;
  failed: number;
  streamsStarted: number;
  streamsCut: number;
  byVersion: Record<string, number>;
  /** Known when the segment's probe stopped (write-then-read checks). */
  writes?: number;
  lostWrites?: number;
}

export interface ProbeStatus {
  target: string;
  requests: number;
  failed: number;
  streamsStarted: number;
  streamsCut: number;
  writes: number;
  lostWrites: number;
  byVersion: Record<string, number>;
  segments: ProbeSegment[];
  /** ConfigMap with every segment's full probe record, for `baton release report`. */
  recordRef?: { configMap: string };
}

export interface GateVerdictStatus {
  step: string;
  verdict: 'pass' | 'fail' | 'wait';
  reason?: string;
  at: string;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/**
 * What a human (or the CLI) asks for, written as a merge patch of the status subresource so a
 * GitOps sync of the spec never reverts it. The controller clears a request once it acted on it.
 */
export interface ReleaseControl {
  promote?: boolean | null;
  abort?: boolean | null;
  pause?: boolean | null;
  retry?: boolean | null;
  reason?: string | null;
}

export interface ReleaseStatus {
  phase?: ReleasePhase;
  message?: string;
  observedGeneration?: number;
  /** sha256 of the spec the run was started from; later spec changes are refused. */
  specHash?: string;
  runId?: string;
  journalRef?: { configMap: string };
  app?: string;
  fromVersion?: string;
  toVersion?: string;
  strategy?: string;
  /** `progress`: the step's latest progress line (what a wait waits for), while it runs. */
  currentStep?: { id: string; title: string; kind: string; startedAt?: string; progress?: string };
  /** The plan's steps and how far each got; bounded (`stepsOmitted` counts the rest). */
  steps?: ReleaseStepStatus[];
  stepsOmitted?: number;
  pointOfNoReturn?: { reached: boolean; step?: string };
  probe?: ProbeStatus;
  gates?: GateVerdictStatus[];
  conditions?: Condition[];
  control?: ReleaseControl;
  startedAt?: string;
  finishedAt?: string;
  /** The controller replica that wrote this status last. */
  holder?: string;
}

export interface Release extends KubeObject {
  spec: ReleaseSpec;
  status?: ReleaseStatus;
}

/** Condition types and reasons, shared by the controller, the CLI and the docs. */
export const conditionTypes = {
  invalid: 'Invalid',
  waiting: 'Waiting',
  progressing: 'Progressing',
  paused: 'Paused',
  specChangeRefused: 'SpecChangeRefused',
  reconcileError: 'ReconcileError',
  probeClean: 'ProbeClean',
} as const;

export const appLabel = 'baton.dev/app';
