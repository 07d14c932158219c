import type { Journal } from '../../engine/journal.js';
import { deriveRunState } from '../../engine/run-state.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { startProbe, type Probe } from '../../probe/probe.js';
import { loadSpec } from '../../spec/load-spec.js';
import { probeUrl } from '../../upgrade/probe-target.js';

/**
 * The probe a promoted run needs: `baton upgrade` stopped its probe when the run paused, but a
 * canary's analysis after the pause judges live traffic, and without a probe it could only end
 * inconclusive (paused again). Starts one from the run's baton.yaml when a gate follows the pause;
 * undefined (with a notice) when none is needed or the spec cannot be read.
 */
export async function probeForPromotion(o: { journal: Journal; kube: KubeClient; runId: string; notice: (line: string) => void }): Promise<Probe | undefined> {
  const entries = await o.journal.read(o.runId);
  if (entries.length === 0) return undefined; // promoteRun says RUN_NOT_FOUND
  const state = deriveRunState(entries);
  const pausedAt = state.steps.findIndex((s) => s.id === state.paused?.stepId);
  if (pausedAt < 0 || !state.steps.slice(pausedAt + 1).some((s) => s.kind === 'gate')) return undefined;
  const specPath = state.meta.spec;
  if (typeof specPath !== 'string') return undefined;
  let spec;
  try {
    spec = (await loadSpec(specPath)).spec;
  } catch (error) {
    o.notice(`probe: cannot read ${specPath} (${(error as Error).message}); the analyses after the pause see no traffic`);
    return undefined;
  }
  if (!spec.probe.enabled) return undefined;
  const router = state.steps.find((s) => s.kind === 'set-weight' || s.kind === 'set-header-route')?.params.router as { stableService?: string } | undefined;
  const serviceName = spec.service ?? router?.stableService;
  const service = serviceName ? await o.kube.get({ apiVersion: 'v1', kind: 'Service', name: serviceName, namespace: spec.namespace }) : undefined;
  const url = probeUrl(spec.probe, service);
  if (url === undefined) {
    o.notice('probe: no probe.url and no live Service ClusterIP; the analyses after the pause see no traffic');
    return undefined;
  }
  return startProbe({
    url, path: spec.probe.path, rps: spec.probe.rps, versionHeader: spec.probe.versionHeader,
    ...(spec.probe.streams ? { streams: spec.probe.streams } : {}),
    ...(spec.probe.sse ? { sse: spec.probe.sse } : {}),
    ...(spec.probe.websockets ? { websockets: spec.probe.websockets } : {}),
  });
}
