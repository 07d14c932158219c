import { createHash } from 'node:crypto';
import { z } from 'zod';
import { bindStepKind, defineStepKind } from '../../engine/step-kind.js';
import type { RunContext, StepKind, StepResult } from '../../engine/step.js';
import { toJsonObject } from '../../json.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeObject } from '../../kube/kube-object.js';
import type { PodSpec } from '../../kube/workload-objects.js';
import { configReferences } from '../workload.js';

interface DataObject extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  type?: string;
}

/** A content-addressed name: same content, same name; any change, a new name. */
export function hashedName(name: string, data: Record<string, string> | undefined, binaryData: Record<string, string> | undefined): string {
  const hash = createHash('sha256');
  for (const [k, v] of Object.entries(data ?? {}).sort(([a], [b]) => a.localeCompare(b))) hash.update(`d:${k}=${v}\n`);
  for (const [k, v] of Object.entries(binaryData ?? {}).sort(([a], [b]) => a.localeCompare(b))) hash.update(`b:${k}=${v}\n`);
  return `${name.slice(0, 52)}-${hash.digest('hex').slice(0, 10)}`;
}

/** The data of one ConfigMap to pin, as the manifests carry it. */
const configMapData = z.object({
  metadata: z.object({ name: z.string().min(1) }),
  data: z.record(z.string(), z.string()).default({}),
  binaryData: z.record(z.string(), z.string()).optional(),
});

/** Params of a `config-snapshot` step. */
const configSnapshotParams = z
  .object({
    app: z.string().min(1),
    /** ConfigMaps from the manifests: their data is in the plan. */
    configMaps: z.array(configMapData).default([]),
    /** ConfigMaps the template reads that the manifests do not carry: copied from the cluster. */
    liveConfigMaps: z.array(z.string()).default([]),
    /** Secrets the template reads: copied from the cluster at run time (never in the plan). */
    secrets: z.array(z.string()).default([]),
  })
  .strict();
export type ConfigSnapshotParams = z.input<typeof configSnapshotParams>;

/**
 * Config travels with the release: each ConfigMap and Secret the pod template reads is copied to
 * an immutable, content-hashed name, and the rollout points the template at the copies. Rolling
 * back the template then restores the old configuration too, which `kubectl rollout undo` cannot.
 * ConfigMaps come from the manifests (their data is in the plan); Secrets are copied from the
 * cluster at run time so that no secret value is ever written to the plan or the journal.
 * No undo: copies are content-addressed and may be shared with a release that is still live.
 */
export const configSnapshotStep = defineStepKind({
  kind: 'config-snapshot',
  params: configSnapshotParams,
  async run(ctx, params, kube: KubeClient): Promise<StepResult> {
    const configMaps: DataObject[] = params.configMaps.map((cm) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: cm.metadata,
      data: cm.data,
      ...(cm.binaryData ? { binaryData: cm.binaryData } : {}),
    }));
    for (const name of params.liveConfigMaps) {
      const live = await kube.get<DataObject>({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ctx.namespace });
      if (!live)
        return {
          kind: 'failed',
          reason: `ConfigMap ${ctx.namespace}/${name} is referenced by the pod template but neither in the manifests nor in the cluster`,
        };
      configMaps.push(live);
    }
    const renames: { configMaps: Record<string, string>; secrets: Record<string, string> } = { configMaps: {}, secrets: {} };
    const created = createdCopies(ctx.checkpoints);
    for (const cm of configMaps) {
      const target = hashedName(cm.metadata.name, cm.data, cm.binaryData);
      await ensureCopy(
        kube,
        ctx,
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: target }, data: cm.data ?? {}, binaryData: cm.binaryData },
        params.app,
        cm.metadata.name,
        created,
      );
      renames.configMaps[cm.metadata.name] = target;
    }
    for (const name of params.secrets) {
      const live = await kube.get<DataObject>({ apiVersion: 'v1', kind: 'Secret', name, namespace: ctx.namespace });
      if (!live)
        return {
          kind: 'failed',
          reason: `Secret ${ctx.namespace}/${name} is referenced by the pod template but does not exist; create it first`,
        };
      const target = hashedName(name, live.data, undefined);
      await ensureCopy(
        kube,
        ctx,
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: target }, type: live.type ?? 'Opaque', data: live.data ?? {} },
        params.app,
        name,
        created,
      );
      renames.secrets[name] = target;
    }
    const count = configMaps.length + params.secrets.length;
    return { kind: 'done', summary: `${count} config object(s) pinned to this release`, data: toJsonObject(renames) };
  },
  /**
   * A failed run takes away the copies it created (one may be a Secret holding a database URL)
   * unless something still uses them: a Deployment's template, a ReplicaSet with replicas, a
   * running pod. Copies that existed before the run are shared with a live release: never touched.
   */
  async undo(ctx, _params, checkpoint, kube) {
    const created = createdCopies(checkpoint);
    if (created.length === 0) return;
    const inUse = await referencedConfig(kube, ctx.namespace);
    for (const key of [...created].reverse()) {
      const [kind, name = ''] = key.split('/');
      if ((kind !== 'ConfigMap' && kind !== 'Secret') || name === '') continue;
      if ((kind === 'ConfigMap' ? inUse.configMaps : inUse.secrets).has(name)) {
        ctx.progress(`keeping ${kind} ${name}: still used`);
        continue;
      }
      ctx.progress(`deleting ${kind} ${name} (this run created it)`);
      await kube.delete({ apiVersion: 'v1', kind, name, namespace: ctx.namespace });
    }
  },
});

const createdSchema = z.array(z.string()).catch([]);

/** The copies this run created, as `Kind/name`, from the checkpoints of earlier attempts. */
function createdCopies(checkpoints: Readonly<Record<string, unknown>>): string[] {
  return [...createdSchema.parse(checkpoints['created'] ?? [])];
}

interface TemplateHolder extends KubeObject {
  spec?: { replicas?: number; template?: { spec?: PodSpec } };
}
interface PodObject extends KubeObject {
  spec?: PodSpec;
}

/** ConfigMaps and Secrets a Deployment template, a ReplicaSet with replicas or a live pod of the namespace reads. */
async function referencedConfig(kube: KubeClient, namespace: string): Promise<{ configMaps: Set<string>; secrets: Set<string> }> {
  const out = { configMaps: new Set<string>(), secrets: new Set<string>() };
  const add = (spec: PodSpec | undefined): void => {
    if (!spec?.containers) return;
    const refs = configReferences(spec);
    for (const n of refs.configMaps) out.configMaps.add(n);
    for (const n of refs.secrets) out.secrets.add(n);
  };
  const [deployments, sets, pods] = await Promise.all([
    kube.list<TemplateHolder>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace }),
    kube.list<TemplateHolder>({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace }),
    kube.list<PodObject>({ apiVersion: 'v1', kind: 'Pod', namespace }),
  ]);
  for (const d of deployments.items) add(d.spec?.template?.spec);
  for (const rs of sets.items) if ((rs.spec?.replicas ?? 0) > 0) add(rs.spec?.template?.spec);
  for (const p of pods.items) if (!p.metadata.deletionTimestamp) add(p.spec);
  return out;
}

export function createConfigSnapshotStep(kube: KubeClient): StepKind {
  return bindStepKind(configSnapshotStep, kube);
}

async function ensureCopy(
  kube: KubeClient,
  ctx: RunContext,
  object: DataObject,
  app: string,
  source: string,
  created: string[],
): Promise<void> {
  const ref = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: ctx.namespace };
  if (await kube.get(ref)) return; // same name = same content: nothing to do (and immutable anyway)
  // Recorded before the create, so that undo after a crash right after it still finds the copy.
  const key = `${object.kind}/${object.metadata.name}`;
  if (!created.includes(key)) {
    created.push(key);
    await ctx.checkpoint({ created: [...created] });
  }
  ctx.progress(`${object.kind} ${source} -> ${object.metadata.name}`);
  const body: DataObject = {
    ...object,
    metadata: {
      name: object.metadata.name,
      namespace: ctx.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'baton', 'baton.dev/app': app, 'baton.dev/config-of': source },
    },
    immutable: true,
  };
  if (body.binaryData === undefined) delete body.binaryData;
  try {
    await kube.create(body);
  } catch (error) {
    if ((error as { conflict?: boolean }).conflict) return; // created meanwhile by an earlier attempt
    throw error;
  }
}
