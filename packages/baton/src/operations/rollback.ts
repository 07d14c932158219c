import type { KubeObject } from '../kube/kube-object.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import type { Plan } from '../plan/plan.js';
import { planRainbowRollback } from '../upgrade/rainbow-rollback.js';
import { readHistory } from '../kube/release-history.js';
import type { BatonSpec } from '../spec/schema.js';
import { planRollback } from '../upgrade/rollback-plan.js';
import { revisionStanding, unknownRevisionError, type RevisionStanding } from '../upgrade/rollback-target.js';
import type { OperationPorts } from './ports.js';
import { runPlanned, type UpgradeOptions, type UpgradeResult } from './upgrade.js';

export interface RollbackRequest {
  /** The app's spec: from baton.yaml, or the one a run recorded (readRecordedRun(...).inputs). */
  spec: BatonSpec;
  /** The release to return to (default: the one before the current). */
  to?: string;
  /** The revision to return to (`baton history`); instead of `to`. */
  toRevision?: number;
  /** The manifests, to find the app Service the probe aims at (default: the plan's Service). */
  manifests?: readonly KubeObject[];
}

/** Plans a return to an earlier release from the history the cluster keeps. Reads only. */
export async function planRollbackFor(request: RollbackRequest, ports: Pick<OperationPorts, 'kube'>): Promise<Plan> {
  const { spec } = request;
  await ports.kube.version();
  const history = await readHistory(ports.kube, spec.namespace, spec.app);
  const live: Record<string, DeploymentLike | undefined> = {};
  for (const name of new Set(history.map((h) => h.deployment))) {
    live[name] = await ports.kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: spec.namespace });
  }
  const to = {
    ...(request.to !== undefined ? { to: request.to } : {}),
    ...(request.toRevision !== undefined ? { toRevision: request.toRevision } : {}),
  };
  // Where traffic goes now: the rollback moves it and checks that it moved.
  const serviceName = spec.service ?? request.manifests?.find((m) => m.kind === 'Service')?.metadata.name;
  const svc = serviceName
    ? await ports.kube.get<KubeObject & { spec?: { selector?: Record<string, string> } }>({
        apiVersion: 'v1',
        kind: 'Service',
        name: serviceName,
        namespace: spec.namespace,
      })
    : undefined;
  const service = svc ? { service: { name: svc.metadata.name, selector: svc.spec?.selector ?? {} } } : {};
  // Rainbow: the release rolled back from keeps running (its tasks finish there); only the switch moves.
  if (spec.strategy.kind === 'rainbow') return planRainbowRollback({ app: spec.app, namespace: spec.namespace, history, live, ...to });
  return planRollback({
    app: spec.app,
    namespace: spec.namespace,
    history,
    live,
    ...to,
    ...service,
    scaleDownDelaySeconds: spec.strategy.blueGreen.scaleDownDelaySeconds,
  });
}

/**
 * Where a revision stands before a rollback to it: one to go back to, the one running now
 * (nothing to do), or unknown (REVISION_UNKNOWN, naming the revisions there are). Reads only.
 */
export async function rollbackTargetOf(
  request: { app: string; namespace: string; revision: number },
  ports: Pick<OperationPorts, 'kube'>,
): Promise<Exclude<RevisionStanding, { kind: 'unknown' }>> {
  const standing = revisionStanding(await readHistory(ports.kube, request.namespace, request.app), request.revision);
  if (standing.kind === 'unknown') throw unknownRevisionError(request.app, request.revision, standing.revisions);
  return standing;
}

/**
 * `rollback`: back to the previous release (or `to`, or `toRevision`), journaled and under the probe like an
 * upgrade. Blue-green switches back while the old colour lives; rolling re-applies the recorded
 * Deployment with its config; rainbow re-activates the release that still runs.
 */
export async function rollback(
  request: RollbackRequest,
  ports: OperationPorts,
  options: UpgradeOptions & { plan?: Plan } = {},
): Promise<UpgradeResult> {
  const plan = options.plan ?? (await planRollbackFor(request, ports));
  const { spec } = request;
  const serviceName =
    spec.service ??
    request.manifests?.find((m) => m.kind === 'Service')?.metadata.name ??
    plan.steps.map((s) => s.params.service).find((s): s is string => typeof s === 'string');
  const service = serviceName
    ? await ports.kube.get({ apiVersion: 'v1', kind: 'Service', name: serviceName, namespace: spec.namespace })
    : undefined;
  const result = await runPlanned({ inputs: { spec, manifests: request.manifests ?? [] }, plan, service, ports, options });
  return { ...result, plan };
}
