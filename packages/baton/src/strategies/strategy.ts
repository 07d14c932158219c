import type { PlannedStep } from '../engine/step.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { BatonSpec } from '../spec/schema.js';
import type { DeploymentLike } from '../kube/workload-objects.js';

/** What a strategy knows when it plans: the new release as manifests say, and the live cluster. */
export interface StrategyInput {
  spec: BatonSpec;
  /** The app Deployment from the manifests, already carrying the new image and release label. */
  deployment: DeploymentLike;
  /** The app Service from the manifests, if any. */
  service: KubeObject | undefined;
  /** The live objects that matter to the strategy. */
  live: {
    deployments: DeploymentLike[];
    service: KubeObject | undefined;
    /** pod-template-hash of the live Deployment's current ReplicaSet, by Deployment name. */
    currentHash: Record<string, string>;
  };
  version: string;
  /** Step id of the config snapshot whose renames the rollout applies, if any. */
  configFrom: string | undefined;
}

/** The strategy's part of the plan; verification hooks go between `beforeVerify` and `afterVerify`. */
export interface StrategySteps {
  /** Objects to apply alongside (the Service as the strategy needs it, a preview Service...). */
  serviceObjects: KubeObject[];
  beforeVerify: PlannedStep[];
  afterVerify: PlannedStep[];
  /** Where hooks run: the new and old Deployments, and the Service an http hook's path goes to. */
  verifyTarget: { newDeployment: string; oldDeployment?: string; service?: string };
  /**
   * The step after which the new release has its traffic (the rollout, the selector switch, the
   * promotion): the spec's probe analysis judges live traffic right after it.
   */
  trafficSwitch: string;
  /** Deployment and selector that serve the release once done (for history and rollback). */
  serving: { deployment: string; selector?: Record<string, string> };
  /**
   * Where migrations go. Default: expand before the rollout, backfill/contract after it. `inside`:
   * all of them at this index of beforeVerify, as one point of no return (maintenance mode).
   */
  migrationsInsideAt?: number;
  /** The selector that routes to the live release today, when baton has no history of it yet. */
  previousSelector?: Record<string, string>;
  warnings: string[];
}

export interface Strategy {
  kind: BatonSpec['strategy']['kind'];
  plan(input: StrategyInput): StrategySteps;
}
