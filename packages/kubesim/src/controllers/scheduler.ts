import type { V1Node, V1Pod, V1PodCondition, V1Taint, V1Toleration } from '@kubernetes/client-node';
import type { Controller, ControllerContext } from './controller-context.js';
import { EventRecorder } from './event-recorder.js';
import { isConflict, isNotFound, describeError } from './kube-clients.js';
import { rfc3339 } from './object-time.js';
import { isPodTerminal, keyOf, splitKey } from './pod-util.js';
import { WorkQueue } from './work-queue.js';

const SCHEDULER_NAME = 'default-scheduler';

function tolerates(tolerations: V1Toleration[] | undefined, taint: V1Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** Why a node cannot take a pod, in the scheduler's wording, or undefined when it can. */
export function nodeRejection(node: V1Node, pod: V1Pod): string | undefined {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }';
  if (node.spec?.unschedulable && !tolerates(pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
    return 'node(s) were unschedulable';
  }
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerates(pod.spec?.tolerations, taint)) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  }
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (node.metadata?.labels?.[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
  }
  return undefined;
}

/**
 * A small kube-scheduler: binds each pending, unbound pod (schedulerName default-scheduler) to a
 * Ready, schedulable node it tolerates and whose labels match its nodeSelector, preferring the node
 * with the fewest pods (a stand-in for LeastAllocated). With no fit the pod stays Pending with
 * PodScheduled=False/Unschedulable and a FailedScheduling event, and is retried when nodes change.
 * Resource requests and affinity are not modelled.
 */
export class Scheduler implements Controller {
  private readonly queue: WorkQueue;
  private readonly events: EventRecorder;
  /** Pods bound by us that the informer may not show as bound yet (the scheduler's assume cache). */
  private readonly assumed = new Map<string, string>();

  constructor(private readonly ctx: ControllerContext) {
    this.events = new EventRecorder(ctx.clients.core, 'default-scheduler', ctx.now, ctx.log);
    this.queue = new WorkQueue((k) => this.schedule(k), { workers: 1, onError: (k, e) => ctx.log(`scheduler ${k}: ${describeError(e)}`) });
    const { pods, nodes } = ctx.informers;
    pods.on('add', (p) => this.maybeEnqueue(p));
    pods.on('update', (p) => this.maybeEnqueue(p));
    pods.on('delete', (p) => this.assumed.delete(keyOf(p)));
    const retryAll = (): void => {
      for (const p of pods.list()) this.maybeEnqueue(p);
    };
    nodes.on('add', retryAll);
    nodes.on('update', retryAll);
  }

  start(): void {
    this.queue.start();
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }

  private pending(p: V1Pod): boolean {
    return (
      !p.spec?.nodeName &&
      !p.metadata?.deletionTimestamp &&
      !isPodTerminal(p) &&
      (p.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME &&
      !this.assumed.has(keyOf(p))
    );
  }

  private maybeEnqueue(p: V1Pod): void {
    if (p.spec?.nodeName) this.assumed.delete(keyOf(p));
    if (this.pending(p)) this.queue.add(keyOf(p));
  }

  private async schedule(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.ctx.informers.pods.get(name, namespace);
    if (!pod || !this.pending(pod)) return;
    const nodes = this.ctx.informers.nodes.list();
    const reasons = new Map<string, number>();
    const fits: V1Node[] = [];
    for (const n of nodes) {
      const why = nodeRejection(n, pod);
      if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      else fits.push(n);
    }
    if (fits.length === 0) return this.unschedulable(pod, nodes.length, reasons);
    const load = new Map<string, number>();
    for (const p of this.ctx.informers.pods.list()) {
      const n = p.spec?.nodeName ?? this.assumed.get(keyOf(p));
      if (n && !isPodTerminal(p)) load.set(n, (load.get(n) ?? 0) + 1);
    }
    fits.sort(
      (a, b) =>
        (load.get(a.metadata!.name!) ?? 0) - (load.get(b.metadata!.name!) ?? 0) || a.metadata!.name!.localeCompare(b.metadata!.name!),
    );
    const node = fits[0]!.metadata!.name!;
    try {
      await this.ctx.clients.core.createNamespacedPodBinding({
        name,
        namespace,
        body: { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: node } },
      });
    } catch (err) {
      // Already bound (by someone else) or gone: nothing to do.
      if (isConflict(err) || isNotFound(err)) return;
      throw err;
    }
    this.assumed.set(key, node);
    this.events.event(pod, 'Pod', 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`);
  }

  private async unschedulable(pod: V1Pod, total: number, reasons: Map<string, number>): Promise<void> {
    const detail = [...reasons]
      .map(([r, n]) => `${n} ${r}`)
      .sort()
      .join(', ');
    const message =
      total === 0
        ? 'no nodes available to schedule pods'
        : `0/${total} nodes are available: ${detail}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
    const cur = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (cur?.status === 'False' && cur.reason === 'Unschedulable' && cur.message === message) return;
    const cond: V1PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
      lastTransitionTime: rfc3339(this.ctx.now()) as unknown as Date,
      lastProbeTime: undefined,
    };
    const body: V1Pod = structuredClone(pod);
    body.status ??= {};
    body.status.phase ??= 'Pending';
    body.status.conditions = [...(body.status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), cond];
    try {
      await this.ctx.clients.core.replaceNamespacedPodStatus({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, body });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    this.events.event(pod, 'Pod', 'Warning', 'FailedScheduling', message);
  }
}
