import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import { loadManifests } from '../manifests/load-manifests.js';
import { buildPlan } from '../plan/build-plan.js';
import type { LiveState } from '../plan/live-state.js';
import { observe } from '../plan/observe.js';
import type { Plan } from '../plan/plan.js';
import { loadSpec, type LoadedSpec } from '../spec/load-spec.js';
import { databaseSteps } from './database-steps.js';

/** Everything known before acting: the spec, the manifests, what the cluster runs, the plan. */
export interface Prepared {
  loaded: LoadedSpec;
  manifests: KubeObject[];
  live: LiveState;
  plan: Plan;
}

/**
 * Loads and checks every input, reaches the cluster, and plans. Nothing changes anywhere: a bad
 * spec, an unparsable manifest or an unreachable cluster fails here, before the first step.
 */
export async function prepare(options: { specPath: string; kube: KubeClient }): Promise<Prepared> {
  const loaded = await loadSpec(options.specPath);
  const manifests = (await loadManifests(loaded.manifestPaths)).map((m) => m.object as KubeObject);
  await options.kube.version();
  const live = await observe(options.kube, loaded.spec, manifests);
  const plan = buildPlan({ loaded, manifests, live, database: await databaseSteps(loaded) });
  return { loaded, manifests, live, plan };
}
