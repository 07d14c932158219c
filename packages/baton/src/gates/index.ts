import type { StepKind } from '../engine/step.js';
import { createHttpGate } from './http.js';
import { createProbeGate } from './probe-budget.js';
import { createPrometheusGate } from './prometheus.js';
import { createJobGateFactory } from './job.js';
import { createGateStepKind } from './gate-step.js';
import type { GateFactory } from './gate-factory.js';

/** Every gate kind baton knows. Adding a gate adds a file and one entry here. */
export const gateFactories = {
  http: createHttpGate,
  probe: createProbeGate,
  prometheus: createPrometheusGate,
  /** Command mode only here; a Kubernetes Job needs the cluster-bound one (upgrade/step-registry). */
  job: createJobGateFactory(undefined),
} satisfies Record<string, GateFactory>;

export type GateKind = keyof typeof gateFactories;

/** The `gate` StepKind with every known gate: register it as `{ gate: gateStepKind }`. */
export const gateStepKind: StepKind = createGateStepKind({ factories: gateFactories });

export type { GateFactory, GateEnv } from './gate-factory.js';
export { createGateStepKind, parseGateStepParams } from './gate-step.js';
export { createJobGateFactory } from './job.js';
export type { GateStepParams } from './gate-step.js';
