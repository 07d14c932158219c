import type { PlannedStep } from '../engine/step.js';
import type { BatonSpec, DrainSpec } from '../spec/schema.js';
import type { PodSpec } from '../kube/workload-objects.js';
import { gracePeriodSeconds, preStopSleepSeconds } from '../kube/termination-timing.js';
import { plannedStep } from '../engine/step-kind.js';
import { drainByEvidenceStep } from './steps/drain-by-evidence-step.js';

/** Step ids of the drain-by-evidence steps around one Deployment's rollout. */
export const holdStepId = (deployment: string): string => `drain:hold:${deployment}`;
export const releaseStepId = (deployment: string): string => `drain:release:${deployment}`;
export const unserveStepId = (deployment: string): string => `drain:unserve:${deployment}`;

function drainParams(d: DrainSpec) {
  return {
    deadlineSeconds: d.deadlineSeconds,
    settleSeconds: d.settleSeconds,
    ...(d.connections ? { connections: d.connections } : {}),
    ...(d.nudge ? { nudge: d.nudge } : {}),
  };
}

function evidence(d: DrainSpec): string {
  return d.connections ? `${d.connections.metric} reads 0` : 'no metric given';
}

/**
 * Around a Deployment's rolling update: hold its old pods out of the controller's hands before,
 * drain them by evidence after. Undefined when the spec asks for no drain.
 */
export function holdAndRelease(
  spec: BatonSpec,
  deployment: string,
  serviceSelector: Record<string, string>,
): { hold: PlannedStep; unserve: PlannedStep; release: PlannedStep } | undefined {
  const d = spec.drain;
  if (!d) return undefined;
  return {
    unserve: plannedStep(drainByEvidenceStep, {
      id: unserveStepId(deployment),
      reversible: true,
      title: `Take the held pods of ${deployment} out of the Service: new connections go to the new pods, open ones stay until the drain`,
      params: { phase: 'unserve', deployment, serviceSelector },
    }),
    hold: plannedStep(drainByEvidenceStep, {
      id: holdStepId(deployment),
      reversible: true,
      title: `Hold the old pods of ${deployment} out of its ReplicaSets (paused, orphaned) so the rollout cannot cut their streams`,
      params: { phase: 'hold', deployment },
    }),
    release: plannedStep(drainByEvidenceStep, {
      id: releaseStepId(deployment),
      reversible: true,
      title: `Drain the held pods of ${deployment}: out of the Service, then each goes when ${evidence(d)} or after ${d.deadlineSeconds}s`,
      params: { phase: 'release', deployment, serviceSelector, drain: drainParams(d) },
    }),
  };
}

/** Scale a Deployment that no longer gets traffic to 0 only when its pods' connections read 0 (or at the deadline). */
export function drainThenScale(spec: BatonSpec, id: string, deployment: string, afterSeconds: number): PlannedStep | undefined {
  const d = spec.drain;
  if (!d) return undefined;
  return plannedStep(drainByEvidenceStep, {
    id,
    reversible: true,
    title: `Keep ${deployment} ${afterSeconds}s for an instant switch back, then scale it to 0 when ${evidence(d)} on every pod (deadline ${d.deadlineSeconds}s)`,
    params: { phase: 'scale', deployment, afterSeconds, drain: drainParams(d) },
  });
}

/**
 * Plan-time warnings for a drain that cannot hold the streams the spec says the app serves, or
 * that is set up so it can only wait for its deadline. Pure; `baton check` reports the same.
 */
export function drainWarnings(spec: BatonSpec, graceSeconds: number, preStopSeconds: number | undefined): string[] {
  const d = spec.drain;
  const warnings: string[] = [];
  if (!d) return warnings;
  const longest = d.maxStreamSeconds;
  if (d.deadlineSeconds < graceSeconds) {
    warnings.push(
      `drain.deadlineSeconds (${d.deadlineSeconds}) is shorter than terminationGracePeriodSeconds (${graceSeconds}): the pod's own drain after SIGTERM would outlast baton's deadline; set the deadline to at least the grace period`,
    );
  }
  if (longest !== undefined && d.deadlineSeconds < longest) {
    warnings.push(
      `drain.deadlineSeconds (${d.deadlineSeconds}) is shorter than drain.maxStreamSeconds (${longest}): streams that started just before the upgrade are cut at the deadline`,
    );
  }
  if (!d.connections) {
    warnings.push(
      `drain.connections is not set: baton cannot see how many streams an old pod still holds (neither the Kubernetes API nor kube-proxy exposes per-pod connection counts), so every drain waits the full ${d.deadlineSeconds}s deadline`,
    );
  }
  if (preStopSeconds !== undefined && preStopSeconds >= graceSeconds) {
    warnings.push(
      `the preStop sleep (${preStopSeconds}s) is not shorter than the grace period (${graceSeconds}s): a drained pod is killed before it can close its streams cleanly`,
    );
  }
  return warnings;
}

/** The pod template's grace period (default 30 s) and its first container's preStop sleep (the action or `exec sleep N`). */
export function podTiming(template: { spec: PodSpec }): { graceSeconds: number; preStopSeconds: number | undefined } {
  return {
    graceSeconds: gracePeriodSeconds(template.spec),
    preStopSeconds: preStopSleepSeconds(preStopOf(template.spec.containers[0]?.['lifecycle'])),
  };
}

function preStopOf(lifecycle: unknown): unknown {
  return typeof lifecycle === 'object' && lifecycle !== null && 'preStop' in lifecycle ? lifecycle.preStop : undefined;
}
