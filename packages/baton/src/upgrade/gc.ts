import { toJsonObject } from '../json.js';
import { newRunId, startRun, type EngineOptions, type RunOutcome } from '../engine/engine.js';
import type { PlannedStep } from '../engine/step.js';
import { BatonError } from '../errors.js';
import { queryPrometheus } from '../gates/prometheus-query.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { Plan } from '../plan/plan.js';
import type { BatonSpec } from '../spec/schema.js';
import { releaseLabel } from '../strategies/rainbow.js';
import { readHistory } from '../kube/release-history.js';
import { readReleaseConnections } from '../strategies/drain-release-connections.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { decideGc, parseDuration, type GcCandidate, type GcDecision, type GcReading } from './gc-decide.js';
import { plannedStep } from '../engine/step-kind.js';
import { deleteReleaseStep } from '../strategies/steps/delete-release-step.js';

export interface GcOptions {
  kube: KubeClient;
  spec: BatonSpec;
  /** Decide and report, delete nothing. */
  dryRun?: boolean;
  /** Runs the deletions under the journal and the app lock; needed unless dryRun. */
  engine?: EngineOptions;
  now?: () => number;
  /** Overrides strategy.rainbow.gc.minAge. */
  minAgeMs?: number;
}

export interface GcReport {
  app: string;
  namespace: string;
  /** The release the app Service selects now. */
  active: { deployment: string; release: string } | null;
  decisions: GcDecision[];
  /** The journaled run that deleted releases (absent on a dry run or when nothing goes). */
  run?: RunOutcome;
}

interface ServiceLike extends KubeObject {
  spec?: { selector?: Record<string, string> };
}

/**
 * `baton gc`: for every release of the app that is not the active one, reads its evidence of
 * work (the active-task query from Prometheus, and/or drain.connections from each of its pods)
 * and its time since it stopped being active, decides (decideGc), and
 * deletes the idle, old-enough ones in one journaled run holding the app's lock — a gc never
 * races an upgrade or a rollback. Each deletion checks again right before it acts.
 */
export async function collectGarbage(o: GcOptions): Promise<GcReport> {
  const { spec } = o;
  const gc = spec.strategy.rainbow.gc;
  if (!gc) throw new BatonError('SPEC_NO_GC', `strategy.rainbow.gc is not set for ${spec.app}`, { hint: noGcHint });
  const connections = spec.drain?.connections;
  if (!gc.prometheusUrl && !connections)
    throw new BatonError('SPEC_NO_GC', `strategy.rainbow.gc of ${spec.app} has no evidence that a release is idle`, { hint: noGcHint });
  const now = (o.now ?? Date.now)();
  const namespace = spec.namespace;
  const history = await readHistory(o.kube, namespace, spec.app);
  const byName = new Map<string, DeploymentLike>();
  const { items } = await o.kube.list<DeploymentLike>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace,
    labelSelector: `baton.dev/app=${spec.app}`,
  });
  for (const d of items) byName.set(d.metadata.name, d);
  for (const name of new Set(history.map((h) => h.deployment))) {
    if (byName.has(name)) continue;
    const d = await o.kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace });
    if (d) byName.set(name, d);
  }
  const serviceName = spec.service ?? [...history].reverse().find((h) => h.service)?.service;
  const service = serviceName
    ? await o.kube.get<ServiceLike>({ apiVersion: 'v1', kind: 'Service', name: serviceName, namespace })
    : undefined;
  const selector = service?.spec?.selector ?? {};
  const selects = (d: DeploymentLike): boolean => {
    const labels = d.spec.template.metadata?.labels ?? {};
    return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
  };
  const releaseOf = (d: DeploymentLike): string =>
    d.spec.template.metadata?.labels?.[releaseLabel] ??
    [...history].reverse().find((h) => h.deployment === d.metadata.name)?.version ??
    d.metadata.name;
  const current = history.at(-1)?.deployment;
  const activeDeployment = [...byName.values()].find(selects);
  const candidates: GcCandidate[] = [];
  for (const d of byName.values()) {
    const name = d.metadata.name;
    // The current release is never a candidate, even while the Service is pinned elsewhere.
    if (name === current || d === activeDeployment) continue;
    const release = releaseOf(d);
    const lastIndex = history.map((h) => h.deployment).lastIndexOf(name);
    const next = lastIndex >= 0 ? history[lastIndex + 1] : undefined;
    const activeTasks =
      gc.prometheusUrl && gc.activeTasksQuery
        ? await readActiveTasks(gc.prometheusUrl, gc.activeTasksQuery.replaceAll('$release', release), o.engine?.signal)
        : undefined;
    const open = connections ? await readReleaseConnections({ kube: o.kube, namespace, deployment: d, metric: connections }) : undefined;
    candidates.push({
      deployment: name,
      release,
      version: lastIndex >= 0 ? history[lastIndex]!.version : release,
      inactiveSince: next ? Date.parse(next.at) : undefined,
      selected: selects(d),
      ...(activeTasks ? { activeTasks } : {}),
      ...(open ? { connections: open.kind === 'value' ? { kind: 'value', value: open.value } : open } : {}),
    });
  }
  const minAgeMs = o.minAgeMs ?? parseDuration(gc.minAge);
  const decisions = decideGc(candidates, { minAgeMs, now });
  const report: GcReport = {
    app: spec.app,
    namespace,
    active: activeDeployment ? { deployment: activeDeployment.metadata.name, release: releaseOf(activeDeployment) } : null,
    decisions,
  };
  const doomed = decisions.filter((d) => d.action === 'delete');
  if (o.dryRun || doomed.length === 0) return report;
  if (!o.engine) throw new BatonError('GC_NO_ENGINE', 'collectGarbage needs engine options to delete (or dryRun)');
  const steps: PlannedStep[] = [];
  for (const d of doomed) {
    const { items: services } = await o.kube.list<KubeObject>({
      apiVersion: 'v1',
      kind: 'Service',
      namespace,
      labelSelector: `baton.dev/app=${spec.app},${releaseLabel}=${d.release}`,
    });
    steps.push(
      plannedStep(deleteReleaseStep, {
        id: `gc:delete:${d.deployment}`,
        reversible: false,
        title: `Delete release ${d.version} (Deployment ${d.deployment}): ${[d.activeTasks !== null ? '0 active tasks' : '', d.connections !== null ? '0 open connections' : ''].filter(Boolean).join(', ')}, inactive for ${d.inactiveSeconds}s`,
        params: {
          deployment: d.deployment,
          services: services.map((s) => s.metadata.name).filter((n) => n !== serviceName),
          ...(serviceName ? { appService: serviceName } : {}),
          ...(gc.prometheusUrl && gc.activeTasksQuery
            ? { prometheusUrl: gc.prometheusUrl, activeTasksQuery: gc.activeTasksQuery.replaceAll('$release', d.release) }
            : {}),
          ...(connections ? { connections } : {}),
        },
      }),
    );
  }
  const plan: Plan = {
    app: spec.app,
    namespace,
    strategy: 'gc',
    from: null,
    to: { version: 'gc', image: '' },
    steps,
    drift: [],
    warnings: [],
  };
  report.run = await startRun({
    ...o.engine,
    runId: newRunId(`${spec.app}-gc`, now),
    app: spec.app,
    namespace,
    steps,
    meta: { plan: toJsonObject(plan), gc: toJsonObject({ decisions }).decisions ?? [] },
  });
  return report;
}

/** Where gc's evidence comes from, for the error that says none is configured. */
export const noGcHint =
  "set drain.connections (your app's per-pod connection metric) or strategy.rainbow.gc.prometheusUrl and activeTasksQuery in baton.yaml";

/** The active-task query's sum; unknown on an error, no data or NaN (never read as 0). */
async function readActiveTasks(url: string, query: string, signal: AbortSignal | undefined): Promise<GcReading> {
  const r = await queryPrometheus({ url, query, ...(signal ? { signal } : {}) });
  if (r.kind !== 'ok') return { kind: 'unknown', reason: r.reason };
  if (r.samples.length === 0) return { kind: 'unknown', reason: `no data for ${query} (is the release scraped?)` };
  if (r.samples.some((s) => Number.isNaN(s.value))) return { kind: 'unknown', reason: `${query} is NaN` };
  return { kind: 'value', value: r.samples.reduce((sum, s) => sum + s.value, 0) };
}
