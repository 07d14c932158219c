import type { V1Condition, V1Pod, V1PodDisruptionBudget, V1PodDisruptionBudgetStatus } from '@kubernetes/client-node';
import type { Controller, ControllerContext } from './controller-context.js';
import { scaledValue } from './int-or-percent.js';
import { describeError } from './kube-clients.js';
import { selectorMatches } from './label-selector.js';
import { rfc3339 } from './object-time.js';
import { controllerRefOf, isPodReady, keyOf, splitKey } from './pod-util.js';
import { canonical } from './template-hash.js';
import { WorkQueue } from './work-queue.js';

/**
 * The disruption controller: keeps each PodDisruptionBudget's status (currentHealthy,
 * desiredHealthy, expectedPods, disruptionsAllowed, the DisruptionAllowed condition) as
 * pkg/controller/disruption computes it, so `kubectl get pdb` and anything reading
 * disruptionsAllowed see real numbers. Percentages and maxUnavailable are scaled against the
 * owning controllers' replicas (Deployment through its ReplicaSet, or the ReplicaSet itself).
 */
export class DisruptionController implements Controller {
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue((k) => this.sync(k), { onError: (k, e) => ctx.log(`disruption ${k}: ${describeError(e)}`) });
    const { podDisruptionBudgets: pdbs, pods, replicaSets, deployments } = ctx.informers;
    const all = (ns: string | undefined): void => {
      for (const p of pdbs.list(ns)) this.queue.add(keyOf(p));
    };
    for (const ev of ['add', 'update', 'delete'] as const) {
      pdbs.on(ev, (p) => this.queue.add(keyOf(p)));
      // A pod change can move any budget in its namespace (labels may have changed too).
      pods.on(ev, (p) => all(p.metadata?.namespace));
      replicaSets.on(ev, (r) => all(r.metadata?.namespace));
      deployments.on(ev, (d) => all(d.metadata?.namespace));
    }
  }

  start(): void {
    this.queue.start();
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }

  /** policy/v1: an empty selector selects every pod in the namespace, a missing one none. */
  private pods(pdb: V1PodDisruptionBudget): V1Pod[] {
    const sel = pdb.spec?.selector;
    if (!sel) return [];
    return this.ctx.informers.pods.list(pdb.metadata?.namespace).filter((p) => selectorMatches(sel, p.metadata?.labels));
  }

  /** getExpectedScale: the summed replicas of the pods' distinct controllers. */
  private expectedScale(pods: V1Pod[], ns: string): number | undefined {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      const ref = controllerRefOf(pod);
      if (!ref) continue; // unmanaged pods are ignored, as in 1.32
      if (ref.kind !== 'ReplicaSet') return undefined;
      const rs = this.ctx.informers.replicaSets.list(ns).find((r) => r.metadata?.uid === ref.uid);
      if (!rs) return undefined;
      const owner = controllerRefOf(rs);
      if (owner?.kind === 'Deployment') {
        const d = this.ctx.informers.deployments.list(ns).find((x) => x.metadata?.uid === owner.uid);
        if (!d) return undefined;
        seen.set(owner.uid, d.spec?.replicas ?? 1);
      } else {
        seen.set(ref.uid, rs.spec?.replicas ?? 1);
      }
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pdb = this.ctx.informers.podDisruptionBudgets.get(name, namespace);
    if (!pdb || pdb.metadata?.deletionTimestamp) return;
    const pods = this.pods(pdb);
    const spec = pdb.spec ?? {};
    let expected = 0;
    let desired = 0;
    let failed = false;
    if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
      const scale = this.expectedScale(pods, namespace);
      if (scale === undefined) failed = true;
      else {
        expected = scale;
        desired = Math.max(0, expected - scaledValue(spec.maxUnavailable, expected, true));
      }
    } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
      if (typeof spec.minAvailable === 'number') {
        desired = spec.minAvailable;
        expected = pods.length;
      } else {
        const scale = this.expectedScale(pods, namespace);
        if (scale === undefined) failed = true;
        else {
          expected = scale;
          desired = scaledValue(spec.minAvailable, expected, true);
        }
      }
    }
    const healthy = pods.filter((p) => !p.metadata?.deletionTimestamp && isPodReady(p)).length;
    // Fail safe: when the expected count cannot be worked out, no disruption is allowed.
    const allowed = failed || expected <= 0 ? 0 : Math.max(0, healthy - desired);
    const now = this.ctx.now();
    const status: V1PodDisruptionBudgetStatus = {
      currentHealthy: healthy,
      desiredHealthy: desired,
      expectedPods: expected,
      disruptionsAllowed: allowed,
      observedGeneration: pdb.metadata?.generation,
      disruptedPods: pdb.status?.disruptedPods,
      conditions: withCondition(pdb.status?.conditions, {
        type: 'DisruptionAllowed',
        status: allowed > 0 ? 'True' : 'False',
        reason: failed ? 'SyncFailed' : allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
        message: failed ? 'found pods whose controllers kubesim cannot scale' : '',
        observedGeneration: pdb.metadata?.generation,
        lastTransitionTime: rfc3339(now) as unknown as Date,
      }),
    };
    if (JSON.stringify(canonical(status)) === JSON.stringify(canonical(pdb.status))) return;
    await this.ctx.clients.policy.replaceNamespacedPodDisruptionBudgetStatus({ name, namespace, body: { ...pdb, status } });
  }
}

/** meta.SetStatusCondition: lastTransitionTime moves only when the status flips. */
function withCondition(conds: V1Condition[] | undefined, c: V1Condition): V1Condition[] {
  const cur = conds?.find((x) => x.type === c.type);
  const next = cur && cur.status === c.status ? { ...c, lastTransitionTime: cur.lastTransitionTime } : c;
  return [...(conds ?? []).filter((x) => x.type !== c.type), next];
}
