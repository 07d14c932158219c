import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { Controller, ControllerContext } from './controller-context.js';
import { DeploymentSync } from './deployment-sync.js';
import { checkPausedConditions, isScalingEvent, rolloutRecreate, rolloutRolling, syncScaling } from './deployment-strategies.js';
import { claim, ownerPatch } from './adoption.js';
import { EventRecorder } from './event-recorder.js';
import { FreshCache } from './fresh-cache.js';
import { selectorMatches } from './label-selector.js';
import { controllerRefOf, keyOf, splitKey } from './pod-util.js';
import { describeError, MERGE_PATCH } from './kube-clients.js';
import { WorkQueue } from './work-queue.js';

/**
 * The Deployment controller (pkg/controller/deployment): turns a Deployment into ReplicaSets with
 * RollingUpdate or Recreate, proportional scaling, revisions, pause, progress deadlines and
 * history cleanup. It acts on watch events; the only timers are progress deadlines.
 */
export class DeploymentController implements Controller {
  private readonly queue: WorkQueue;
  private readonly events: EventRecorder;
  private readonly fresh = { deployments: new FreshCache<V1Deployment>(), replicaSets: new FreshCache<V1ReplicaSet>() };

  constructor(private readonly ctx: ControllerContext) {
    this.events = new EventRecorder(ctx.clients.core, 'deployment-controller', ctx.now, ctx.log);
    this.queue = new WorkQueue((k) => this.sync(k), { onError: (k, e) => ctx.log(`deployment ${k}: ${describeError(e)}`) });
    const { deployments, replicaSets, pods } = ctx.informers;
    for (const ev of ['add', 'update', 'delete'] as const) {
      deployments.on(ev, (d) => this.queue.add(keyOf(d)));
      replicaSets.on(ev, (rs) => this.enqueueOwner(rs));
    }
    // Recreate waits for old pods to be gone; a pod disappearing (or finishing) is its signal.
    const onPod = (pod: V1Pod): void => {
      if (!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded') return;
      const ref = controllerRefOf(pod);
      if (ref?.kind !== 'ReplicaSet') return;
      const rs = replicaSets.get(ref.name, pod.metadata?.namespace);
      if (rs) this.enqueueOwner(rs);
    };
    pods.on('update', onPod);
    pods.on('delete', (pod) => {
      const ref = controllerRefOf(pod);
      const rs = ref?.kind === 'ReplicaSet' ? replicaSets.get(ref.name, pod.metadata?.namespace) : undefined;
      if (rs) this.enqueueOwner(rs);
    });
  }

  start(): void {
    this.queue.start();
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }

  private enqueueOwner(rs: V1ReplicaSet): void {
    const ref = controllerRefOf(rs);
    if (ref?.kind === 'Deployment') {
      this.queue.add(`${rs.metadata?.namespace ?? ''}/${ref.name}`);
    } else if (!ref) {
      // An orphan: every Deployment that selects it may adopt it.
      for (const d of this.ctx.informers.deployments.list(rs.metadata?.namespace)) {
        if (selectorMatches(d.spec?.selector, rs.metadata?.labels)) this.queue.add(keyOf(d));
      }
    }
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const inCache = this.ctx.informers.deployments.get(name, namespace);
    if (!inCache) return;
    const cached = this.fresh.deployments.resolve(inCache);
    const d = withDefaults(structuredClone(cached));
    const selector = d.spec?.selector;
    if (!selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) {
      // An empty selector would adopt every pod in the namespace; Kubernetes refuses to act.
      this.events.event(
        d,
        'Deployment',
        'Warning',
        'SelectingAll',
        'This deployment is selecting all pods. A non-empty selector is required.',
      );
      return;
    }
    const uid = d.metadata?.uid;
    const apps = this.ctx.clients.apps;
    const claimed = await claim<V1ReplicaSet>({
      owner: { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: uid!, controller: true, blockOwnerDeletion: true },
      ownerDeleting: !!d.metadata?.deletionTimestamp,
      candidates: this.ctx.informers.replicaSets.list(namespace).map((rs) => this.fresh.replicaSets.resolve(rs)),
      matches: (rs) => selectorMatches(selector, rs.metadata?.labels),
      replace: (rs) => apps.patchNamespacedReplicaSet({ name: rs.metadata!.name!, namespace, body: ownerPatch(rs) }, MERGE_PATCH),
    });
    const rsList = claimed.map((rs) => structuredClone(rs));
    const rsUids = new Set(rsList.map((rs) => rs.metadata?.uid));
    const podsByRS = new Map<string, V1Pod[]>();
    for (const pod of this.ctx.informers.pods.list(namespace)) {
      const owner = controllerRefOf(pod)?.uid;
      if (owner && rsUids.has(owner)) podsByRS.set(owner, [...(podsByRS.get(owner) ?? []), pod]);
    }
    const s = new DeploymentSync(this.ctx, this.fresh, this.events, d, rsList, podsByRS);
    if (d.metadata?.deletionTimestamp) {
      const { newRS } = await s.getAll(false);
      return s.syncStatus(newRS);
    }
    await checkPausedConditions(s, this.ctx.now());
    if (s.d.spec?.paused || (await isScalingEvent(s))) {
      await syncScaling(s);
    } else if (s.d.spec?.strategy?.type === 'Recreate') {
      await rolloutRecreate(s);
    } else {
      await rolloutRolling(s);
    }
    if (s.requeueAfterMs !== undefined) this.queue.addAfter(key, s.requeueAfterMs);
  }
}

/** API-server defaults, applied locally too so a lenient server cannot change the arithmetic. */
function withDefaults(d: V1Deployment): V1Deployment {
  d.spec ??= { selector: {}, template: {} };
  d.spec.replicas ??= 1;
  d.spec.revisionHistoryLimit ??= 10;
  d.spec.progressDeadlineSeconds ??= 600;
  d.spec.minReadySeconds ??= 0;
  d.spec.strategy ??= {};
  d.spec.strategy.type ??= 'RollingUpdate';
  if (d.spec.strategy.type === 'RollingUpdate') {
    d.spec.strategy.rollingUpdate ??= {};
    d.spec.strategy.rollingUpdate.maxSurge ??= '25%';
    d.spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
  }
  return d;
}
