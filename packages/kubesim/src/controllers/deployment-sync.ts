import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { ControllerContext } from './controller-context.js';
import { DeploymentReason, getCondition, newCondition, removeCondition, setCondition } from './deployment-conditions.js';
import {
  REVISION_ANNOTATION,
  maxRevision,
  replicasAnnotationsNeedUpdate,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './deployment-revisions.js';
import { calculateStatus, deploymentComplete, deploymentProgressing, hasProgressDeadline } from './deployment-status.js';
import type { EventRecorder } from './event-recorder.js';
import type { FreshCache } from './fresh-cache.js';
import { isConflict, isNotFound, MERGE_PATCH } from './kube-clients.js';
import { toMillis } from './object-time.js';
import { controllerRefOf } from './pod-util.js';
import { byCreation, maxSurge, newRSNewReplicas, rsReplicas, specReplicas } from './rolling-math.js';
import { POD_TEMPLATE_HASH_LABEL, canonical, computeTemplateHash, equalIgnoreHash } from './template-hash.js';

/**
 * One sync of one Deployment: the working copy of the Deployment and its ReplicaSets, and the
 * writes the strategies make (scale a ReplicaSet, create the new one, write status). Every write
 * replaces the local copy with the server's answer, as the Go controller threads its objects.
 */
export class DeploymentSync {
  /** Requeue after this many ms (progress deadline), decided during the sync. */
  requeueAfterMs: number | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly fresh: { deployments: FreshCache<V1Deployment>; replicaSets: FreshCache<V1ReplicaSet> },
    private readonly events: EventRecorder,
    public d: V1Deployment,
    public rsList: V1ReplicaSet[],
    public readonly podsByRS: Map<string, V1Pod[]>,
  ) {}

  get name(): string {
    return this.d.metadata!.name!;
  }

  get namespace(): string {
    return this.d.metadata!.namespace!;
  }

  /** FindNewReplicaSet / FindOldReplicaSets. */
  split(): { newRS: V1ReplicaSet | undefined; oldRSs: V1ReplicaSet[] } {
    const sorted = [...this.rsList].sort(byCreation);
    const newRS = sorted.find((rs) => equalIgnoreHash(rs.spec?.template, this.d.spec?.template));
    return { newRS, oldRSs: sorted.filter((rs) => rs !== newRS) };
  }

  private replaceLocal(rs: V1ReplicaSet): void {
    const i = this.rsList.findIndex((x) => x.metadata?.name === rs.metadata?.name);
    if (i >= 0) this.rsList[i] = rs;
    else this.rsList.push(rs);
  }

  /** getAllReplicaSetsAndSyncRevision: finds (or creates) the new ReplicaSet and syncs revisions. */
  async getAll(create: boolean): Promise<{ newRS: V1ReplicaSet | undefined; oldRSs: V1ReplicaSet[] }> {
    const { oldRSs } = this.split();
    const newRS = await this.getNewReplicaSet(oldRSs, create);
    return { newRS, oldRSs: this.split().oldRSs };
  }

  private async getNewReplicaSet(oldRSs: V1ReplicaSet[], create: boolean): Promise<V1ReplicaSet | undefined> {
    const existing = this.split().newRS;
    const newRevision = maxRevision(oldRSs) + 1;
    const now = this.ctx.now();
    if (existing) {
      const copy = structuredClone(existing);
      const changed = setNewReplicaSetAnnotations(this.d, copy, newRevision, true);
      const minReady = this.d.spec?.minReadySeconds ?? 0;
      if (changed || (copy.spec!.minReadySeconds ?? 0) !== minReady) {
        copy.spec!.minReadySeconds = minReady;
        const updated = await this.ctx.clients.apps.replaceNamespacedReplicaSet({
          name: copy.metadata!.name!,
          namespace: this.namespace,
          body: copy,
        });
        this.fresh.replicaSets.remember(copy, updated);
        this.replaceLocal(updated);
        return updated;
      }
      let needsUpdate = await this.setDeploymentRevision(copy.metadata?.annotations?.[REVISION_ANNOTATION]);
      if (hasProgressDeadline(this.d) && !getCondition(this.d.status, 'Progressing')) {
        this.d.status ??= {};
        setCondition(
          this.d.status,
          newCondition('Progressing', 'True', DeploymentReason.FoundNewReplicaSet, `Found new replica set "${copy.metadata!.name}"`, now),
        );
        needsUpdate = true;
      }
      if (needsUpdate) await this.writeStatus();
      return existing;
    }
    if (!create) return undefined;
    const hash = computeTemplateHash(this.d.spec?.template, this.d.status?.collisionCount, { minor: this.ctx.minor });
    const template = structuredClone(this.d.spec!.template);
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const selector = structuredClone(this.d.spec!.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const rs: V1ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${this.name}-${hash}`,
        namespace: this.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: this.name,
            uid: this.d.metadata!.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { replicas: 0, minReadySeconds: this.d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newRSNewReplicas(this.d, [...oldRSs, rs], rs);
    rs.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(this.d, rs, newRevision, false);
    let created: V1ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.ctx.clients.apps.createNamespacedReplicaSet({ namespace: this.namespace, body: rs });
    } catch (err) {
      if (isConflict(err)) {
        // AlreadyExists: ours from a stale cache, or a genuine hash collision.
        alreadyExists = true;
        const found = await this.ctx.clients.apps.readNamespacedReplicaSet({ name: rs.metadata!.name!, namespace: this.namespace });
        if (controllerRefOf(found)?.uid === this.d.metadata?.uid && equalIgnoreHash(this.d.spec?.template, found.spec?.template)) {
          created = found;
        } else {
          this.d.status ??= {};
          this.d.status.collisionCount = (this.d.status.collisionCount ?? 0) + 1;
          await this.writeStatus();
          throw new Error(`hash collision for ReplicaSet ${rs.metadata!.name}; collisionCount now ${this.d.status.collisionCount}`);
        }
      } else {
        const msg = `Failed to create new replica set "${rs.metadata!.name}": ${String((err as { body?: string }).body ?? (err as Error).message)}`;
        if (hasProgressDeadline(this.d)) {
          this.d.status ??= {};
          setCondition(this.d.status, newCondition('Progressing', 'False', DeploymentReason.FailedReplicaSetCreate, msg, now));
          await this.writeStatus().catch(() => undefined);
        }
        this.events.event(this.d, 'Deployment', 'Warning', DeploymentReason.FailedReplicaSetCreate, msg);
        throw err;
      }
    }
    this.replaceLocal(created);
    if (!alreadyExists && replicas > 0) {
      this.events.event(
        this.d,
        'Deployment',
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${created.metadata!.name} from 0 to ${replicas}`,
      );
    }
    let needsUpdate = await this.setDeploymentRevision(String(newRevision));
    if (!alreadyExists && hasProgressDeadline(this.d)) {
      this.d.status ??= {};
      setCondition(
        this.d.status,
        newCondition(
          'Progressing',
          'True',
          DeploymentReason.NewReplicaSetCreated,
          `Created new replica set "${created.metadata!.name}"`,
          now,
        ),
      );
      needsUpdate = true;
    }
    if (needsUpdate) await this.writeStatus();
    return created;
  }

  /**
   * SetDeploymentRevision. Kubernetes writes the annotation with UpdateStatus (its status strategy
   * keeps metadata changes); not every API server does (kubesim's status writes touch only status),
   * so we send a merge patch of just the annotation, guarded by resourceVersion: no spec is resent,
   * so generation cannot move.
   */
  private async setDeploymentRevision(revision: string | undefined): Promise<boolean> {
    if (revision === undefined || this.d.metadata?.annotations?.[REVISION_ANNOTATION] === revision) return false;
    const sent = this.d.metadata?.resourceVersion;
    const patch = { metadata: { resourceVersion: sent, annotations: { [REVISION_ANNOTATION]: revision } } };
    const updated = await this.ctx.clients.apps.patchNamespacedDeployment(
      { name: this.name, namespace: this.namespace, body: patch },
      MERGE_PATCH,
    );
    this.fresh.deployments.remember({ metadata: { ...updated.metadata, resourceVersion: sent } }, updated);
    this.d.metadata = updated.metadata;
    return false;
  }

  /** scaleReplicaSetAndRecordEvent. Returns whether the size changed. */
  async scale(rs: V1ReplicaSet, size: number, op?: 'up' | 'down' | ''): Promise<boolean> {
    const cur = rsReplicas(rs);
    if (op === undefined) {
      if (cur === size) return false;
      op = cur < size ? 'up' : 'down';
    }
    const desired = specReplicas(this.d);
    const max = desired + maxSurge(this.d);
    const sizeChanged = cur !== size;
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
    const copy = structuredClone(rs);
    copy.spec!.replicas = size;
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.ctx.clients.apps.replaceNamespacedReplicaSet({
      name: copy.metadata!.name!,
      namespace: this.namespace,
      body: copy,
    });
    this.fresh.replicaSets.remember(copy, updated);
    this.replaceLocal(updated);
    if (sizeChanged) {
      this.events.event(
        this.d,
        'Deployment',
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${op} replica set ${copy.metadata!.name} from ${cur} to ${size}`,
      );
    }
    return sizeChanged;
  }

  async deleteReplicaSet(rs: V1ReplicaSet): Promise<void> {
    try {
      await this.ctx.clients.apps.deleteNamespacedReplicaSet({ name: rs.metadata!.name!, namespace: this.namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.rsList = this.rsList.filter((x) => x.metadata?.name !== rs.metadata?.name);
  }

  /** The local (possibly just-updated) copy of a ReplicaSet. */
  current(rs: V1ReplicaSet): V1ReplicaSet {
    return this.rsList.find((x) => x.metadata?.name === rs.metadata?.name) ?? rs;
  }

  async writeStatus(): Promise<void> {
    const sent = this.d.metadata?.resourceVersion;
    const updated = await this.ctx.clients.apps.replaceNamespacedDeploymentStatus({
      name: this.name,
      namespace: this.namespace,
      body: this.d,
    });
    this.fresh.deployments.remember({ metadata: { ...updated.metadata, resourceVersion: sent } }, updated);
    this.d.metadata = updated.metadata;
  }

  /** syncDeploymentStatus: write the computed status if it changed. */
  async syncStatus(newRS: V1ReplicaSet | undefined): Promise<void> {
    const all = this.activeList(newRS);
    const status = calculateStatus(all, newRS ? this.current(newRS) : undefined, this.d, this.ctx.now());
    if (sameStatus(this.d.status, status)) return;
    this.d.status = status;
    await this.writeStatus();
  }

  private activeList(newRS: V1ReplicaSet | undefined): V1ReplicaSet[] {
    const { oldRSs } = this.split();
    return newRS ? [...oldRSs, this.current(newRS)] : oldRSs;
  }

  /** syncRolloutStatus: status plus the Progressing condition and its deadline. */
  async syncRolloutStatus(newRS: V1ReplicaSet | undefined): Promise<void> {
    const now = this.ctx.now();
    const cur = newRS ? this.current(newRS) : undefined;
    const status = calculateStatus(this.activeList(newRS), cur, this.d, now);
    if (!hasProgressDeadline(this.d)) removeCondition(status, 'Progressing');
    const currentCond = getCondition(this.d.status, 'Progressing');
    const isComplete = status.replicas === status.updatedReplicas && currentCond?.reason === DeploymentReason.NewReplicaSetAvailable;
    if (hasProgressDeadline(this.d) && !isComplete) {
      const rsName = cur?.metadata?.name;
      if (deploymentComplete(this.d, status)) {
        const msg = rsName
          ? `ReplicaSet "${rsName}" has successfully progressed.`
          : `Deployment "${this.name}" has successfully progressed.`;
        setCondition(status, newCondition('Progressing', 'True', DeploymentReason.NewReplicaSetAvailable, msg, now));
      } else if (deploymentProgressing(this.d, status)) {
        const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${this.name}" is progressing.`;
        const cond = newCondition('Progressing', 'True', DeploymentReason.ReplicaSetUpdated, msg, now);
        // Progress refreshes lastUpdateTime (the deadline's start) even when the reason is unchanged.
        if (currentCond) {
          if (currentCond.status === 'True') cond.lastTransitionTime = currentCond.lastTransitionTime;
          removeCondition(status, 'Progressing');
        }
        setCondition(status, cond);
      } else if (this.timedOut(status, now)) {
        const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${this.name}" has timed out progressing.`;
        setCondition(status, newCondition('Progressing', 'False', DeploymentReason.ProgressDeadlineExceeded, msg, now));
      }
    }
    const failure = this.replicaFailure(cur);
    if (failure) setCondition(status, { ...failure, lastUpdateTime: failure.lastTransitionTime });
    else removeCondition(status, 'ReplicaFailure');
    this.planDeadlineRequeue(status, now);
    if (sameStatus(this.d.status, status)) return;
    this.d.status = status;
    await this.writeStatus();
  }

  private timedOut(status: { conditions?: Array<{ type: string; reason?: string; lastUpdateTime?: Date }> }, now: number): boolean {
    const c = status.conditions?.find((x) => x.type === 'Progressing');
    if (!c) return false;
    if (c.reason === DeploymentReason.NewReplicaSetAvailable) return false;
    if (c.reason === DeploymentReason.ProgressDeadlineExceeded) return true;
    const from = toMillis(c.lastUpdateTime) ?? now;
    return from + (this.d.spec!.progressDeadlineSeconds ?? 600) * 1000 < now;
  }

  /** requeueStuckDeployment: come back when the progress deadline would pass. */
  private planDeadlineRequeue(status: import('@kubernetes/client-node').V1DeploymentStatus, now: number): void {
    const c = getCondition(status, 'Progressing');
    if (!hasProgressDeadline(this.d) || !c) return;
    if (deploymentComplete(this.d, status) || c.reason === DeploymentReason.ProgressDeadlineExceeded) return;
    const from = toMillis(c.lastUpdateTime) ?? now;
    // Condition times have second precision; +1 s guarantees the deadline has passed when we look.
    this.requeueAfterMs = Math.max(0, from + (this.d.spec!.progressDeadlineSeconds ?? 600) * 1000 - now) + 1000;
  }

  private replicaFailure(
    newRS: V1ReplicaSet | undefined,
  ): { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: Date } | undefined {
    const rss = newRS ? [newRS, ...this.split().oldRSs] : this.split().oldRSs;
    for (const rs of rss) {
      const c = rs.status?.conditions?.find((x) => x.type === 'ReplicaFailure' && x.status === 'True');
      if (c) return c;
    }
    return undefined;
  }
}

function sameStatus(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
