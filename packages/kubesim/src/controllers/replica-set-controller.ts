import type { V1OwnerReference, V1Pod, V1ReplicaSet, V1ReplicaSetCondition, V1ReplicaSetStatus } from '@kubernetes/client-node';
import type { Controller, ControllerContext } from './controller-context.js';
import { claim, ownerPatch } from './adoption.js';
import { EventRecorder } from './event-recorder.js';
import { FreshCache } from './fresh-cache.js';
import { Expectations } from './expectations.js';
import { describeError, isConflict, isNotFound, MERGE_PATCH } from './kube-clients.js';
import { selectorMatches } from './label-selector.js';
import { rfc3339 } from './object-time.js';
import { podsToDelete } from './pod-ranking.js';
import { controllerRefOf, isPodActive, isPodAvailable, isPodReady, keyOf, splitKey } from './pod-util.js';
import { slowStartBatch } from './slow-start.js';
import { WorkQueue } from './work-queue.js';

/** Kubernetes caps the pods one sync may create or delete (burstReplicas). */
const BURST_REPLICAS = 500;

/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods that it controls, deleting the
 * cheapest pods first, and reports replicas / fullyLabeled / ready / available. Like Kubernetes it
 * ignores terminating and terminal pods in every count, and waits for its own creations and
 * deletions to show up in the informer before acting again (expectations).
 */
export class ReplicaSetController implements Controller {
  private readonly queue: WorkQueue;
  private readonly expectations: Expectations;
  private readonly events: EventRecorder;
  private readonly fresh = new FreshCache<V1ReplicaSet>();

  constructor(private readonly ctx: ControllerContext) {
    this.expectations = new Expectations(ctx.now);
    this.events = new EventRecorder(ctx.clients.core, 'replicaset-controller', ctx.now, ctx.log);
    this.queue = new WorkQueue((k) => this.sync(k), { onError: (k, e) => ctx.log(`replicaset ${k}: ${describeError(e)}`) });
    const { replicaSets, pods } = ctx.informers;
    replicaSets.on('add', (rs) => this.queue.add(keyOf(rs)));
    replicaSets.on('update', (rs) => this.queue.add(keyOf(rs)));
    replicaSets.on('delete', (rs) => {
      this.expectations.delete(keyOf(rs));
      this.queue.add(keyOf(rs));
    });
    pods.on('add', (pod) => {
      const owner = this.ownerKey(pod);
      if (!owner) return this.enqueueAdopters(pod);
      if (pod.metadata?.deletionTimestamp) this.expectations.deletionObserved(owner, keyOf(pod));
      else this.expectations.creationObserved(owner);
      this.queue.add(owner);
    });
    pods.on('update', (pod) => {
      const owner = this.ownerKey(pod);
      if (!owner) return this.enqueueAdopters(pod);
      // A pod with a deletionTimestamp counts as deleted for expectations, as in Kubernetes.
      if (pod.metadata?.deletionTimestamp) this.expectations.deletionObserved(owner, keyOf(pod));
      this.queue.add(owner);
    });
    pods.on('delete', (pod) => {
      const owner = this.ownerKey(pod);
      if (!owner) return;
      this.expectations.deletionObserved(owner, keyOf(pod));
      this.queue.add(owner);
    });
  }

  start(): void {
    this.queue.start();
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }

  /** An orphan pod: ReplicaSets that select it may adopt it. */
  private enqueueAdopters(pod: V1Pod): void {
    if (controllerRefOf(pod) || !isPodActive(pod)) return;
    for (const rs of this.ctx.informers.replicaSets.list(pod.metadata?.namespace)) {
      if (selectorMatches(rs.spec?.selector, pod.metadata?.labels)) this.queue.add(keyOf(rs));
    }
  }

  private ownerKey(pod: V1Pod): string | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    return `${pod.metadata?.namespace ?? ''}/${ref.name}`;
  }

  private ownedPods(rs: V1ReplicaSet): V1Pod[] {
    const uid = rs.metadata?.uid;
    return this.ctx.informers.pods
      .list(rs.metadata?.namespace)
      .filter((p) => controllerRefOf(p)?.uid === uid && selectorMatches(rs.spec?.selector, p.metadata?.labels));
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const inCache = this.ctx.informers.replicaSets.get(name, namespace);
    const cached = inCache ? this.fresh.resolve(inCache) : undefined;
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const core = this.ctx.clients.core;
    const active = await claim<V1Pod>({
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: cached.metadata!.uid!, controller: true, blockOwnerDeletion: true },
      ownerDeleting: !!cached.metadata?.deletionTimestamp,
      candidates: this.ctx.informers.pods.list(namespace).filter(isPodActive),
      matches: (p) => selectorMatches(cached.spec?.selector, p.metadata?.labels),
      replace: (p) => core.patchNamespacedPod({ name: p.metadata!.name!, namespace, body: ownerPatch(p) }, MERGE_PATCH),
    });
    let manageError: unknown;
    if (needsSync && !cached.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(key, cached, active);
      } catch (err) {
        manageError = err;
      }
    }
    const status = this.calculateStatus(cached, active, manageError);
    const updated = await this.updateStatus(cached, status);
    const min = cached.spec?.minReadySeconds ?? 0;
    // Requeue after minReadySeconds so ready pods are seen to become available.
    if (!manageError && min > 0 && updated.readyReplicas === cached.spec?.replicas && updated.availableReplicas !== cached.spec?.replicas) {
      this.queue.addAfter(key, min * 1000 + 50);
    }
    if (manageError) throw manageError;
  }

  private async manageReplicas(key: string, rs: V1ReplicaSet, active: V1Pod[]): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    const diff = active.length - want;
    const ns = rs.metadata!.namespace!;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, n);
      const created = await slowStartBatch(n, () => this.createPod(rs));
      // Pods we never attempted will never be observed.
      for (let i = created; i < n; i++) this.expectations.creationObserved(key);
      if (created < n) throw new Error(`created ${created} of ${n} pods for ReplicaSet ${key}`);
    } else if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      const victims = podsToDelete(active, this.relatedPods(rs), n, this.ctx.now());
      this.expectations.expectDeletions(key, victims.map(keyOf));
      const results = await Promise.allSettled(
        victims.map(async (pod) => {
          try {
            await this.ctx.clients.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: ns });
            this.events.event(rs, 'ReplicaSet', 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata!.name}`);
          } catch (err) {
            this.expectations.deletionObserved(key, keyOf(pod));
            if (isNotFound(err)) return;
            this.events.event(rs, 'ReplicaSet', 'Warning', 'FailedDelete', `Error deleting: ${String((err as Error).message ?? err)}`);
            throw err;
          }
        }),
      );
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }
  }

  /** Pods of every ReplicaSet with the same controlling owner (same Deployment), for ranking. */
  private relatedPods(rs: V1ReplicaSet): V1Pod[] {
    const owner = controllerRefOf(rs);
    const ns = rs.metadata?.namespace;
    if (!owner) return this.ownedPods(rs);
    const family = new Set(
      this.ctx.informers.replicaSets
        .list(ns)
        .filter((x) => controllerRefOf(x)?.uid === owner.uid)
        .map((x) => x.metadata?.uid),
    );
    return this.ctx.informers.pods.list(ns).filter((p) => family.has(controllerRefOf(p)?.uid));
  }

  private async createPod(rs: V1ReplicaSet): Promise<void> {
    const t = rs.spec?.template;
    const ownerRef: V1OwnerReference = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: rs.metadata!.name!,
      uid: rs.metadata!.uid!,
      controller: true,
      blockOwnerDeletion: true,
    };
    const pod: V1Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${rs.metadata!.name}-`,
        namespace: rs.metadata!.namespace,
        labels: { ...(t?.metadata?.labels ?? {}) },
        annotations: t?.metadata?.annotations ? { ...t.metadata.annotations } : undefined,
        ownerReferences: [ownerRef],
      },
      spec: t?.spec ? structuredClone(t.spec) : undefined,
    };
    try {
      const created = await this.ctx.clients.core.createNamespacedPod({ namespace: rs.metadata!.namespace!, body: pod });
      this.events.event(rs, 'ReplicaSet', 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
    } catch (err) {
      this.events.event(
        rs,
        'ReplicaSet',
        'Warning',
        'FailedCreate',
        `Error creating: ${String((err as { body?: string }).body ?? (err as Error).message ?? err)}`,
      );
      throw err;
    }
  }

  private calculateStatus(rs: V1ReplicaSet, active: V1Pod[], manageError: unknown): V1ReplicaSetStatus {
    const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
    const now = this.ctx.now();
    const min = rs.spec?.minReadySeconds ?? 0;
    let fully = 0;
    let ready = 0;
    let available = 0;
    for (const p of active) {
      if (Object.entries(templateLabels).every(([k, v]) => p.metadata?.labels?.[k] === v)) fully++;
      if (isPodReady(p)) {
        ready++;
        if (isPodAvailable(p, min, now)) available++;
      }
    }
    let conditions: V1ReplicaSetCondition[] | undefined = rs.status?.conditions;
    const failure = conditions?.find((c) => c.type === 'ReplicaFailure');
    if (manageError && !failure) {
      const want = rs.spec?.replicas ?? 1;
      const reason = active.length < want ? 'FailedCreate' : 'FailedDelete';
      const message = String((manageError as Error).message ?? manageError);
      conditions = [
        ...(conditions ?? []),
        { type: 'ReplicaFailure', status: 'True', reason, message, lastTransitionTime: rfc3339(now) as unknown as Date },
      ];
    } else if (!manageError && failure) {
      conditions = conditions?.filter((c) => c.type !== 'ReplicaFailure');
    }
    return {
      replicas: active.length,
      fullyLabeledReplicas: fully,
      readyReplicas: ready,
      availableReplicas: available,
      observedGeneration: rs.metadata?.generation,
      conditions: conditions && conditions.length > 0 ? conditions : undefined,
    };
  }

  private async updateStatus(rs: V1ReplicaSet, status: V1ReplicaSetStatus): Promise<V1ReplicaSetStatus> {
    const cur = rs.status ?? { replicas: 0 };
    const same =
      (cur.replicas ?? 0) === status.replicas &&
      (cur.fullyLabeledReplicas ?? 0) === status.fullyLabeledReplicas &&
      (cur.readyReplicas ?? 0) === status.readyReplicas &&
      (cur.availableReplicas ?? 0) === status.availableReplicas &&
      cur.observedGeneration === status.observedGeneration &&
      JSON.stringify(cur.conditions ?? []) === JSON.stringify(status.conditions ?? []);
    if (same) return status;
    const apps = this.ctx.clients.apps;
    const ref = { name: rs.metadata!.name!, namespace: rs.metadata!.namespace! };
    try {
      const body = { ...rs, status };
      this.fresh.remember(body, await apps.replaceNamespacedReplicaSetStatus({ ...ref, body }));
    } catch (err) {
      if (!isConflict(err)) throw err;
      // Like Kubernetes' updateReplicaSetStatus: one retry on a fresh read (the Deployment
      // controller often rescaled the ReplicaSet a moment ago); the pod counts are still ours.
      const latest = await apps.readNamespacedReplicaSet(ref);
      const body = { ...latest, status };
      this.fresh.remember(body, await apps.replaceNamespacedReplicaSetStatus({ ...ref, body }));
    }
    return status;
  }
}
