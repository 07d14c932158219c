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
export async function prepare(options: { specPath: string; kube: KubeClient; env?: NodeJS.ProcessEnv }): Promise<Prepared> {
  const loaded = await loadSpec(options.specPath);
  const manifests = (await loadManifests(loaded.manifestPaths)).map((m) => m.object as KubeObject);
  await options.kube.version();
  const live = await observe(options.kube, loaded.spec, manifests);
  // Plan once without the database to learn which release is being replaced, then with it.
  const draft = buildPlan({ loaded, manifests, live });
  const database = await databaseSteps(loaded, { env: options.env ?? process.env, fromVersion: draft.from?.version, toVersion: draft.to.version });
  if (!database) return { loaded, manifests, live, plan: draft };
  const plan = buildPlan({ loaded, manifests, live, database });
  plan.warnings.push(...database.warnings);
  return { loaded, manifests, live, plan };
}
