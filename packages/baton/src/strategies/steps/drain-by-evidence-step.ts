import { z } from 'zod';
import { toJsonObject, type JsonObject } from '../../json.js';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeObject } from '../../kube/kube-object.js';
import { selectorString } from '../../kube/label-selector.js';
import { connectionMetricSchema, nudgePod, readPodConnections, resolvePort } from '../drain-connections.js';
import type { DeploymentLike } from '../../kube/workload-objects.js';

/** The label that marks pods baton holds out of their Deployment's hands, valued with its name. */
export const heldByLabel = 'baton.dev/held-by';

const drainSchema = z
  .object({
    deadlineSeconds: z.number().positive(),
    settleSeconds: z.number().min(0),
    connections: connectionMetricSchema.optional(),
    nudge: z
      .object({ path: z.string(), method: z.string(), port: z.union([z.number(), z.string()]).optional() })
      .strict()
      .optional(),
  })
  .strict();

/**
 * hold: before a rollout, the Deployment's old ReplicaSets are deleted with orphan propagation
 * while it is paused, so their pods keep running (and serving) outside any controller; the rollout
 * then brings up a full new ReplicaSet and never deletes them. unserve: right after it, the held
 * pods leave the Service (their open connections stay). release: at the end, the held pods
 * leave the Service (if still in it), are nudged, and each is deleted when its connections read 0 or at the
 * deadline. scale: a whole Deployment already out of the Service (blue-green's old colour) is
 * scaled to 0 only when all its pods read 0, or at the deadline.
 */
const paramsSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('hold'), deployment: z.string() }).strict(),
  z.object({ phase: z.literal('unserve'), deployment: z.string(), serviceSelector: z.record(z.string(), z.string()) }).strict(),
  z
    .object({ phase: z.literal('release'), deployment: z.string(), serviceSelector: z.record(z.string(), z.string()), drain: drainSchema })
    .strict(),
  z.object({ phase: z.literal('scale'), deployment: z.string(), afterSeconds: z.number().min(0), drain: drainSchema }).strict(),
]);

type DrainParams = z.output<typeof drainSchema>;

interface PodLike extends KubeObject {
  spec?: { containers?: Array<{ ports?: Array<{ name?: string; containerPort: number }> }> };
  status?: { podIP?: string };
}

interface PodDrain {
  pod: string;
  version: string | null;
  connectionsAtStart: number | null;
  drainedAfterMs: number | null;
  cutAtDeadline: number | null;
}

type DrainStepParams = z.output<typeof paramsSchema>;

/** The drain's planning params (drain-plan.ts builds them). */
export type DrainStepInput = z.input<typeof paramsSchema>;

const heldLabelsSchema = z.record(z.string(), z.record(z.string(), z.string()));

/** The run and undo of the step over one client (the helpers they share close over it). */
interface DrainActions {
  run(ctx: RunContext, params: DrainStepParams, step: PlannedStep): Promise<StepResult>;
  undo(ctx: RunContext, params: DrainStepParams, checkpoint: JsonObject): Promise<void>;
}

export const drainByEvidenceStep = defineStepKind({
  kind: 'drain-by-evidence',
  params: paramsSchema,
  run: (ctx, params, actions: DrainActions, step) => actions.run(ctx, params, step),
  undo: (ctx, params, checkpoint, actions: DrainActions) => actions.undo(ctx, params, checkpoint),
});

export function createDrainByEvidenceStep(kube: KubeClient): StepKind {
  return bindStepKind(drainByEvidenceStep, drainActions(kube));
}

function drainActions(kube: KubeClient): DrainActions {
  const deploymentRef = (ctx: RunContext, name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ctx.namespace });
  const podRef = (ctx: RunContext, name: string) => ({ apiVersion: 'v1', kind: 'Pod', name, namespace: ctx.namespace });
  // metadata replaces the name/namespace the client puts in the patch body, so repeat them.
  const patchLabels = (ctx: RunContext, name: string, labels: Record<string, string | null>) =>
    kube.mergePatch(podRef(ctx, name), { metadata: { name, namespace: ctx.namespace, labels } });
  const listPods = async (ctx: RunContext, labelSelector: string): Promise<PodLike[]> =>
    (await kube.list<PodLike>({ apiVersion: 'v1', kind: 'Pod', namespace: ctx.namespace, labelSelector })).items.filter(
      (p) => !p.metadata.deletionTimestamp,
    );

  /** Pods of a Deployment (through the ReplicaSets it owns): other workloads may share its labels. */
  const ownedPods = async (ctx: RunContext, d: DeploymentLike): Promise<PodLike[]> => {
    const selector = selectorString(d.spec.selector.matchLabels);
    const { items: sets } = await kube.list<KubeObject>({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      namespace: ctx.namespace,
      labelSelector: selector,
    });
    const owned = new Set(
      sets.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid)).map((rs) => rs.metadata.uid),
    );
    return (await listPods(ctx, selector)).filter((p) => p.metadata.ownerReferences?.some((o) => owned.has(o.uid)));
  };

  const waitPodsGone = async (ctx: RunContext, labelSelector: string, names: ReadonlySet<string>, timeoutMs: number): Promise<void> => {
    await kube.watchUntil<KubeObject, true>(
      { apiVersion: 'v1', kind: 'Pod', namespace: ctx.namespace, labelSelector },
      (pods) => ([...pods.values()].some((p) => names.has(p.metadata.name)) ? undefined : true),
      { timeoutMs, signal: ctx.signal, what: 'drained pods to exit' },
    );
  };

  /**
   * Takes the held pods out of the Service: the selector's labels go (the originals kept in the
   * step's checkpoint for undo); nothing owns these pods, so no controller minds. Established
   * connections stay (conntrack). Idempotent: `release` after `unserve` finds them already out.
   */
  async function outOfService(ctx: RunContext, deployment: string, serviceSelector: Record<string, string>): Promise<PodLike[]> {
    const pods = await listPods(ctx, `${heldByLabel}=${deployment}`);
    const removed = Object.fromEntries(Object.keys(serviceSelector).map((k) => [k, null]));
    if (!('labels' in ctx.checkpoints))
      await ctx.checkpoint({ labels: Object.fromEntries(pods.map((p) => [p.metadata.name, { ...(p.metadata.labels ?? {}) }])) });
    for (const p of pods) await patchLabels(ctx, p.metadata.name, removed);
    return pods;
  }

  async function hold(ctx: RunContext, name: string): Promise<StepResult> {
    const d = await kube.get<DeploymentLike>(deploymentRef(ctx, name));
    if (!d) return { kind: 'done', summary: `Deployment ${name} does not exist yet: nothing to hold` };
    const { items: sets } = await kube.list<KubeObject & { spec?: { replicas?: number } }>({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      namespace: ctx.namespace,
      labelSelector: selectorString(d.spec.selector.matchLabels),
    });
    const old = sets.filter((rs) => (rs.spec?.replicas ?? 0) > 0 && rs.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid));
    if (!('wasPaused' in ctx.checkpoints)) await ctx.checkpoint({ wasPaused: d.spec.paused === true });
    // Paused, the Deployment controller creates no ReplicaSet for the template it has, so the
    // orphaned pods are not re-adopted; the rollout's apply unpauses it with the new template.
    const paused = await kube.mergePatch<DeploymentLike>(deploymentRef(ctx, name), { spec: { paused: true } });
    await kube.watchUntil<DeploymentLike, true>(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ctx.namespace, fieldSelector: `metadata.name=${name}` },
      (ds) => ((ds.values().next().value?.status?.observedGeneration ?? 0) >= (paused.metadata.generation ?? 0) ? true : undefined),
      { timeoutMs: 30_000, signal: ctx.signal, what: `Deployment ${name} to observe the pause` },
    );
    let held = 0;
    for (const rs of old) {
      for (const pod of await listPods(ctx, `pod-template-hash=${rs.metadata.labels?.['pod-template-hash'] ?? ''}`)) {
        if (!pod.metadata.ownerReferences?.some((o) => o.uid === rs.metadata.uid)) continue;
        await patchLabels(ctx, pod.metadata.name, { [heldByLabel]: name });
        held += 1;
      }
      await kube.delete(
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, namespace: ctx.namespace },
        { propagationPolicy: 'Orphan' },
      );
    }
    // The garbage collector strips the ReplicaSet's ownerReference from each pod: wait for that, so
    // the rollout starts with pods no controller will delete.
    await kube.watchUntil<KubeObject, true>(
      { apiVersion: 'v1', kind: 'Pod', namespace: ctx.namespace, labelSelector: `${heldByLabel}=${name}` },
      (pods) => ([...pods.values()].some((p) => p.metadata.ownerReferences?.some((o) => o.controller)) ? undefined : true),
      { timeoutMs: 60_000, signal: ctx.signal, what: 'held pods to be orphaned' },
    );
    return {
      kind: 'done',
      summary: `${held} pod(s) of ${name} held out of its ReplicaSets (they keep serving until drained)`,
      data: { held },
    };
  }

  /** Waits until each pod reads 0 connections (then deletes it) or the deadline (then deletes the rest). */
  async function drainPods(
    ctx: RunContext,
    pods: PodLike[],
    drain: DrainParams,
    deleteEach: boolean,
  ): Promise<{ results: PodDrain[]; deadlineReached: boolean }> {
    const started = ctx.now();
    const results = new Map<string, PodDrain>(
      pods.map((p) => [
        p.metadata.name,
        {
          pod: p.metadata.name,
          version: p.metadata.labels?.['baton.dev/release'] ?? null,
          connectionsAtStart: null,
          drainedAfterMs: null,
          cutAtDeadline: null,
        },
      ]),
    );
    const port = (p: PodLike, which: number | string | undefined): number | undefined =>
      which === undefined ? undefined : resolvePort(which, p.spec?.containers ?? []);
    if (drain.settleSeconds > 0) {
      ctx.progress(`waiting ${drain.settleSeconds}s for proxies to stop sending new connections to ${pods.length} pod(s)`);
      await ctx.delay(drain.settleSeconds * 1000);
    }
    if (drain.nudge) {
      for (const p of pods) {
        const n = port(p, drain.nudge.port ?? drain.connections?.port);
        if (p.status?.podIP && n !== undefined && !(await nudgePod(p.status.podIP, n, drain.nudge)))
          ctx.log.warn(`drain nudge ${drain.nudge.method} ${drain.nudge.path} to pod ${p.metadata.name} did not answer 2xx`);
      }
    }
    const read = async (p: PodLike): Promise<number | undefined> => {
      const n = port(p, drain.connections?.port);
      return drain.connections && p.status?.podIP && n !== undefined ? readPodConnections(p.status.podIP, n, drain.connections) : undefined;
    };
    const deadline = started + drain.deadlineSeconds * 1000;
    let left = [...pods];
    let first = true;
    while (left.length > 0) {
      const counts = await Promise.all(left.map(read));
      const still: PodLike[] = [];
      left.forEach((p, i) => {
        const r = results.get(p.metadata.name);
        const c = counts[i];
        if (r && first) r.connectionsAtStart = c ?? null;
        if (r && c === 0) r.drainedAfterMs = Math.round(ctx.now() - started);
        else still.push(p);
      });
      first = false;
      if (deleteEach) for (const p of left.filter((x) => !still.includes(x))) await kube.delete(podRef(ctx, p.metadata.name));
      left = still;
      if (left.length === 0) break;
      if (ctx.now() >= deadline) {
        // The deadline is the hard cap: a run never waits forever. What the pods still held is
        // what the deadline cut (unknown without a metric).
        left.forEach((p, i) => {
          const r = results.get(p.metadata.name);
          if (r) r.cutAtDeadline = counts[i] ?? null;
        });
        if (deleteEach) for (const p of left) await kube.delete(podRef(ctx, p.metadata.name));
        return { results: [...results.values()], deadlineReached: true };
      }
      ctx.progress(
        `${left.length} pod(s) still hold connections (${counts.map((c) => c ?? '?').join(', ')}); deadline in ${Math.round((deadline - ctx.now()) / 1000)}s`,
      );
      await ctx.delay(Math.min(1000, Math.max(0, deadline - ctx.now())));
    }
    return { results: [...results.values()], deadlineReached: false };
  }

  const drainData = (step: PlannedStep, drain: DrainParams, out: { results: PodDrain[]; deadlineReached: boolean }): JsonObject => ({
    drain: toJsonObject({
      stepId: step.id,
      deadlineSeconds: drain.deadlineSeconds,
      source: drain.connections ? 'metric' : 'deadline-only',
      deadlineReached: out.deadlineReached,
      pods: out.results,
    }),
  });

  const summaryOf = (what: string, out: { results: PodDrain[]; deadlineReached: boolean }): string => {
    const cut = out.results.reduce((n, r) => n + (r.cutAtDeadline ?? 0), 0);
    return `${what}: ${out.results.length} pod(s) drained${out.deadlineReached ? `, deadline reached with ${cut} connection(s) still open` : ', every one at 0 connections'}`;
  };

  return {
    async run(ctx, params, step) {
      if (params.phase === 'hold') return hold(ctx, params.deployment);
      if (params.phase === 'unserve') {
        // Right after the rollout: new requests and connections go to the new pods only, so a gate
        // can judge them; the held pods keep the connections they have until the release drains them.
        const pods = await outOfService(ctx, params.deployment, params.serviceSelector);
        return {
          kind: 'done',
          summary: `${pods.length} held pod(s) of ${params.deployment} out of the Service (their open connections stay)`,
          data: { unserved: pods.length, switchedAt: ctx.now() },
        };
      }
      if (params.phase === 'release') {
        const pods = await outOfService(ctx, params.deployment, params.serviceSelector);
        const out = await drainPods(ctx, pods, params.drain, true);
        try {
          await waitPodsGone(ctx, `${heldByLabel}=${params.deployment}`, new Set(pods.map((p) => p.metadata.name)), 300_000);
        } catch (error) {
          return { kind: 'failed', reason: (error as Error).message, data: drainData(step, params.drain, out) };
        }
        return { kind: 'done', summary: summaryOf(`held pods of ${params.deployment}`, out), data: drainData(step, params.drain, out) };
      }
      const d = await kube.get<DeploymentLike>(deploymentRef(ctx, params.deployment));
      if (!d) return { kind: 'done', summary: `Deployment ${params.deployment} is already gone` };
      if (!('previousReplicas' in ctx.checkpoints)) await ctx.checkpoint({ previousReplicas: d.spec.replicas ?? 1 });
      if (params.afterSeconds > 0) {
        ctx.progress(`keeping Deployment ${params.deployment} for ${params.afterSeconds}s for an instant switch back`);
        await ctx.delay(params.afterSeconds * 1000);
      }
      const pods = await ownedPods(ctx, d);
      const out = await drainPods(ctx, pods, params.drain, false);
      const scaled = await kube.mergePatch<DeploymentLike>(deploymentRef(ctx, params.deployment), { spec: { replicas: 0 } });
      try {
        await waitPodsGone(ctx, selectorString(scaled.spec.selector.matchLabels), new Set(pods.map((p) => p.metadata.name)), 300_000);
      } catch (error) {
        return { kind: 'failed', reason: (error as Error).message, data: drainData(step, params.drain, out) };
      }
      return {
        kind: 'done',
        summary: summaryOf(`Deployment ${params.deployment} scaled to 0`, out),
        data: drainData(step, params.drain, out),
      };
    },
    async undo(ctx, params, checkpoint) {
      if (params.phase === 'hold') {
        if ('wasPaused' in checkpoint && checkpoint.wasPaused !== true)
          await kube.mergePatch(deploymentRef(ctx, params.deployment), { spec: { paused: false } });
        return;
      }
      if (params.phase === 'release' || params.phase === 'unserve') {
        // Pods not yet deleted go back into the Service as they were.
        const labels = heldLabelsSchema.safeParse(checkpoint.labels ?? {});
        for (const [name, original] of Object.entries(labels.success ? labels.data : {})) {
          if (await kube.get(podRef(ctx, name))) await patchLabels(ctx, name, original);
        }
        return;
      }
      if (typeof checkpoint.previousReplicas === 'number')
        await kube.mergePatch(deploymentRef(ctx, params.deployment), { spec: { replicas: checkpoint.previousReplicas } });
    },
  };
}
