import type { RunState } from '../engine/run-state.js';
import type { KubeClient } from '../kube/kube-client.js';
import { createRouter } from '../traffic/index.js';
import { routerConfigSchema } from '../traffic/router-config-schema.js';
import type { TrafficRouter } from '../traffic/traffic-router.js';
import type { TrafficView } from './run-view.js';

/**
 * The split a run's router holds now, read back from the cluster (canary / A/B runs only), for
 * both backends. One router per run is kept: some read more than one object to answer.
 */
export class TrafficReader {
  private readonly cache = new Map<string, TrafficRouter>();

  constructor(private readonly kube: KubeClient) {}

  async read(state: RunState): Promise<TrafficView['set']> {
    const step = state.steps.find((s) => s.kind === 'set-weight' || s.kind === 'set-header-route');
    if (!step) return null;
    const parsed = routerConfigSchema.safeParse(step.params.router);
    if (!parsed.success) return null;
    const config = parsed.data;
    try {
      let router = this.cache.get(state.runId);
      if (!router) {
        router = createRouter(this.kube, config);
        this.cache.set(state.runId, router);
      }
      return { router: config.kind, ...(await router.current()) };
    } catch (error) {
      return { router: config.kind, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
