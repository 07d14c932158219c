import type { V1Job, V1JobCondition, V1JobStatus, V1Pod } from '@kubernetes/client-node';
import type { Controller, ControllerContext } from './controller-context.js';
import { EventRecorder } from './event-recorder.js';
import { Expectations } from './expectations.js';
import { isNotFound, describeError } from './kube-clients.js';
import { rfc3339, toMillis } from './object-time.js';
import { controllerRefOf, isPodReady, keyOf, splitKey } from './pod-util.js';
import { canonical } from './template-hash.js';
import { WorkQueue } from './work-queue.js';

/** Pod-failure back-off before a Job creates replacement pods (Kubernetes: 10 s doubling to 6 min). */
export interface JobBackoff {
  baseMs: number;
  maxMs: number;
}
/** Kubernetes' own pod-failure back-off. */
export const DEFAULT_JOB_BACKOFF: JobBackoff = { baseMs: 10_000, maxMs: 360_000 };

const JobReason = {
  BackoffLimitExceeded: 'BackoffLimitExceeded',
  DeadlineExceeded: 'DeadlineExceeded',
  CompletionsReached: 'CompletionsReached',
} as const;
const MESSAGES: Record<string, string> = {
  BackoffLimitExceeded: 'Job has reached the specified backoff limit',
  DeadlineExceeded: 'Job was active longer than specified deadline',
  CompletionsReached: 'Reached expected number of succeeded pods',
};

const hasTrue = (job: V1Job, type: string): V1JobCondition | undefined =>
  job.status?.conditions?.find((c) => c.type === type && c.status === 'True');

/**
 * The Job controller for NonIndexed Jobs: parallelism, completions, backoffLimit (restartPolicy
 * Never counts failed pods, OnFailure counts container restarts), activeDeadlineSeconds, and the
 * 1.31+ two-step finish: FailureTarget / SuccessCriteriaMet first, then Failed / Complete once no
 * pod of the Job is still running or terminating (1.26-1.30: Failed / Complete at once).
 */
export class JobController implements Controller {
  private readonly queue: WorkQueue;
  private readonly events: EventRecorder;
  private readonly expectations: Expectations;
  /** Pods that vanished before reaching a terminal phase count as failed (Kubernetes keeps them with a finalizer). */
  private readonly lost = new Map<string, Set<string>>();
  private readonly lastFailureAt = new Map<string, number>();
  /** Pods we deleted (suspend, excess parallelism, finishing): their disappearance is no failure. */
  private readonly ourDeletes = new Set<string>();
  /**
   * Our last status write per Job, until the informer catches up. Pod creation is not guarded by
   * the Job's resourceVersion, so a sync on a stale Job (one that misses our FailureTarget) could
   * otherwise start a replacement pod for a Job that is already failing.
   */
  private readonly written = new Map<string, { staleRv: string | undefined; job: V1Job }>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly backoff: JobBackoff = DEFAULT_JOB_BACKOFF,
  ) {
    this.events = new EventRecorder(ctx.clients.core, 'job-controller', ctx.now, ctx.log);
    this.expectations = new Expectations(ctx.now);
    this.queue = new WorkQueue((k) => this.sync(k), { onError: (k, e) => ctx.log(`job ${k}: ${describeError(e)}`) });
    const { jobs, pods } = ctx.informers;
    for (const ev of ['add', 'update', 'delete'] as const) jobs.on(ev, (j) => this.queue.add(keyOf(j)));
    const owner = (p: V1Pod): string | undefined => {
      const ref = controllerRefOf(p);
      return ref?.kind === 'Job' ? `${p.metadata?.namespace}/${ref.name}` : undefined;
    };
    pods.on('add', (p) => {
      const k = owner(p);
      if (!k) return;
      this.expectations.creationObserved(k);
      this.queue.add(k);
    });
    pods.on('update', (p) => {
      const k = owner(p);
      if (!k) return;
      if (p.status?.phase === 'Failed') this.lastFailureAt.set(k, Math.max(this.lastFailureAt.get(k) ?? 0, ctx.now()));
      this.queue.add(k);
    });
    pods.on('delete', (p) => {
      const k = owner(p);
      if (!k) return;
      if (p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !this.ourDeletes.delete(p.metadata?.uid ?? '')) {
        const job = jobs.get(controllerRefOf(p)!.name, p.metadata?.namespace);
        if (job && !hasTrue(job, 'FailureTarget') && !hasTrue(job, 'SuccessCriteriaMet')) {
          const set = this.lost.get(k) ?? new Set();
          set.add(p.metadata?.uid ?? keyOf(p));
          this.lost.set(k, set);
          this.lastFailureAt.set(k, ctx.now());
        }
      }
      this.queue.add(k);
    });
  }

  start(): void {
    this.queue.start();
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.ctx.informers.jobs.get(name, namespace);
    if (!cached) {
      this.expectations.delete(key);
      this.lost.delete(key);
      this.written.delete(key);
      return;
    }
    const mine = this.written.get(key);
    let current = cached;
    if (mine && mine.job.metadata?.uid === cached.metadata?.uid && mine.staleRv === cached.metadata?.resourceVersion) current = mine.job;
    else this.written.delete(key);
    if (hasTrue(current, 'Complete') || hasTrue(current, 'Failed')) return this.expireFinished(key, current);
    const job = structuredClone(current);
    const now = this.ctx.now();
    const spec = job.spec!;
    const pods = this.ctx.informers.pods.list(namespace).filter((p) => controllerRefOf(p)?.uid === job.metadata?.uid);
    const active = pods.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const terminating = pods.filter(
      (p) => p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
    );
    const succeeded = Math.max(job.status?.succeeded ?? 0, pods.filter((p) => p.status?.phase === 'Succeeded').length);
    const failed = Math.max(
      job.status?.failed ?? 0,
      pods.filter((p) => p.status?.phase === 'Failed').length + (this.lost.get(key)?.size ?? 0),
    );
    const status: V1JobStatus = structuredClone(job.status ?? {});
    const suspended = spec.suspend === true;
    if (!suspended) status.startTime ??= rfc3339(now) as unknown as Date;
    const backoffLimit = spec.backoffLimit ?? 6;
    const parallelism = spec.parallelism ?? 1;
    const completions = spec.completions ?? undefined;

    let finishing = hasTrue(job, 'FailureTarget') ?? hasTrue(job, 'SuccessCriteriaMet');
    const wasSuspended = !!hasTrue(job, 'Suspended');
    if (!finishing && suspended !== wasSuspended && (suspended || job.status?.conditions?.some((x) => x.type === 'Suspended'))) {
      if (suspended) {
        this.setCondition(status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
        this.events.event(job, 'Job', 'Normal', 'Suspended', 'Job suspended');
      } else {
        this.setCondition(status, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
        this.events.event(job, 'Job', 'Normal', 'Resumed', 'Job resumed');
        // activeDeadlineSeconds counts continuous activity: resuming restarts the clock.
        status.startTime = rfc3339(now) as unknown as Date;
      }
    }
    const startMs = toMillis(status.startTime) ?? now;
    if (!finishing && suspended) {
      await Promise.all(active.map((p) => this.deletePod(job, p)));
    } else if (!finishing) {
      let reason: string | undefined;
      if (failed > backoffLimit || this.pastBackoffLimitOnFailure(job, active)) reason = JobReason.BackoffLimitExceeded;
      else if (
        spec.activeDeadlineSeconds !== undefined &&
        spec.activeDeadlineSeconds !== null &&
        now - startMs >= spec.activeDeadlineSeconds * 1000
      )
        reason = JobReason.DeadlineExceeded;
      const complete = completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;
      // Before 1.31 the terminal condition is written at once; from 1.31 an interim one comes first.
      const delayed = this.ctx.features.jobTerminalConditionsDelayed;
      if (reason) finishing = this.addCondition(status, delayed ? 'FailureTarget' : 'Failed', reason, now);
      else if (complete)
        finishing = this.addCondition(status, delayed ? 'SuccessCriteriaMet' : 'Complete', JobReason.CompletionsReached, now);
    }
    if (suspended && !finishing) {
      // Suspended: pods are gone (above); nothing else to do until resumed.
    } else if (finishing) {
      // Finishing: no pod of this Job may keep running.
      await Promise.all(active.map((p) => this.deletePod(job, p)));
      const terminalNow = finishing.type === 'Failed' || finishing.type === 'Complete';
      if (terminalNow || (active.length === 0 && terminating.length === 0)) {
        if (finishing.type === 'FailureTarget' || finishing.type === 'Failed') {
          if (!terminalNow) this.addCondition(status, 'Failed', finishing.reason!, now);
          this.events.event(job, 'Job', 'Warning', finishing.reason!, MESSAGES[finishing.reason!] ?? finishing.reason!);
        } else {
          if (!terminalNow) this.addCondition(status, 'Complete', JobReason.CompletionsReached, now);
          status.completionTime = rfc3339(now) as unknown as Date;
          this.events.event(job, 'Job', 'Normal', 'Completed', 'Job completed');
        }
      }
    } else if (this.expectations.satisfied(key)) {
      const remaining = completions !== undefined ? Math.max(0, completions - succeeded) : succeeded > 0 ? 0 : parallelism;
      const want = Math.min(parallelism, remaining);
      if (active.length < want) {
        const wait = this.backoffRemaining(key, failed, now);
        if (wait > 0) this.queue.addAfter(key, wait);
        else await this.createPods(key, job, want - active.length);
      } else if (active.length > want) {
        const excess = [...active]
          .sort((a, b) => (toMillis(b.metadata?.creationTimestamp) ?? 0) - (toMillis(a.metadata?.creationTimestamp) ?? 0))
          .slice(0, active.length - want);
        await Promise.all(excess.map((p) => this.deletePod(job, p)));
      }
      if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
        this.queue.addAfter(key, Math.max(0, startMs + spec.activeDeadlineSeconds * 1000 - now) + 10);
      }
    }
    status.active = active.length || undefined;
    status.ready = active.filter(isPodReady).length;
    status.terminating = terminating.length;
    status.succeeded = succeeded || undefined;
    status.failed = failed || undefined;
    status.uncountedTerminatedPods ??= {};
    if (JSON.stringify(canonical(status)) === JSON.stringify(canonical(job.status))) return;
    const staleRv = job.metadata?.resourceVersion;
    job.status = status;
    const updated = await this.ctx.clients.batch.replaceNamespacedJobStatus({ name, namespace, body: job });
    this.written.set(key, { staleRv, job: updated });
  }

  private pastBackoffLimitOnFailure(job: V1Job, active: V1Pod[]): boolean {
    if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
    let restarts = 0;
    for (const p of active) {
      if (p.status?.phase !== undefined && p.status.phase !== 'Running' && p.status.phase !== 'Pending') continue;
      for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += c.restartCount ?? 0;
    }
    const limit = job.spec?.backoffLimit ?? 6;
    if (limit === 0) return restarts > 0;
    return restarts >= limit;
  }

  private backoffRemaining(key: string, failed: number, now: number): number {
    if (failed === 0) return 0;
    const delay = Math.min(this.backoff.baseMs * 2 ** (failed - 1), this.backoff.maxMs);
    const last = this.lastFailureAt.get(key);
    return last === undefined ? 0 : Math.max(0, last + delay - now);
  }

  private setCondition(status: V1JobStatus, type: string, state: 'True' | 'False', reason: string, message: string, now: number): void {
    const t = rfc3339(now) as unknown as Date;
    status.conditions = [
      ...(status.conditions ?? []).filter((c) => c.type !== type),
      { type, status: state, reason, message, lastProbeTime: t, lastTransitionTime: t },
    ];
  }

  /** The TTL-after-finished controller: delete a finished Job (and, in the foreground, its pods) once its TTL passes. */
  private async expireFinished(key: string, job: V1Job): Promise<void> {
    const ttl = job.spec?.ttlSecondsAfterFinished;
    if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return;
    const done = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    const at = (toMillis(done?.lastTransitionTime) ?? this.ctx.now()) + ttl * 1000;
    const wait = at - this.ctx.now();
    if (wait > 0) {
      this.queue.addAfter(key, wait + 10);
      return;
    }
    try {
      await this.ctx.clients.batch.deleteNamespacedJob({
        name: job.metadata!.name!,
        namespace: job.metadata!.namespace!,
        propagationPolicy: 'Foreground',
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private addCondition(status: V1JobStatus, type: string, reason: string, now: number): V1JobCondition {
    const t = rfc3339(now) as unknown as Date;
    const cond: V1JobCondition = {
      type,
      status: 'True',
      reason,
      message: MESSAGES[reason] ?? reason,
      lastProbeTime: t,
      lastTransitionTime: t,
    };
    status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== type), cond];
    return cond;
  }

  private async createPods(key: string, job: V1Job, n: number): Promise<void> {
    this.expectations.expectCreations(key, n);
    const t = job.spec!.template;
    const uid = job.metadata!.uid!;
    const name = job.metadata!.name!;
    const labels = {
      ...(t.metadata?.labels ?? {}),
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    };
    const results = await Promise.allSettled(
      Array.from({ length: n }, async () => {
        const pod: V1Pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            generateName: `${name}-`,
            namespace: job.metadata!.namespace,
            labels,
            annotations: t.metadata?.annotations,
            ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid, controller: true, blockOwnerDeletion: true }],
          },
          spec: structuredClone(t.spec),
        };
        try {
          const created = await this.ctx.clients.core.createNamespacedPod({ namespace: job.metadata!.namespace!, body: pod });
          this.events.event(job, 'Job', 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
        } catch (err) {
          this.expectations.creationObserved(key);
          this.events.event(
            job,
            'Job',
            'Warning',
            'FailedCreate',
            `Error creating: ${String((err as { body?: string }).body ?? (err as Error).message)}`,
          );
          throw err;
        }
      }),
    );
    const bad = results.find((r) => r.status === 'rejected');
    if (bad) throw (bad as PromiseRejectedResult).reason;
  }

  private async deletePod(job: V1Job, pod: V1Pod): Promise<void> {
    if (pod.metadata?.uid) this.ourDeletes.add(pod.metadata.uid);
    try {
      await this.ctx.clients.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace! });
      this.events.event(job, 'Job', 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata!.name}`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
