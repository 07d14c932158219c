import { createHash } from 'node:crypto';
import type { JsonObject } from '../../json.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeObject } from '../../kube/kube-object.js';

interface DataObject extends KubeObject { data?: Record<string, string>; binaryData?: Record<string, string>; type?: string }

/** A content-addressed name: same content, same name; any change, a new name. */
export function hashedName(name: string, data: Record<string, string> | undefined, binaryData: Record<string, string> | undefined): string {
  const hash = createHash('sha256');
  for (const [k, v] of Object.entries(data ?? {}).sort(([a], [b]) => a.localeCompare(b))) hash.update(`d:${k}=${v}\n`);
  for (const [k, v] of Object.entries(binaryData ?? {}).sort(([a], [b]) => a.localeCompare(b))) hash.update(`b:${k}=${v}\n`);
  return `${name.slice(0, 52)}-${hash.digest('hex').slice(0, 10)}`;
}

/**
 * Config travels with the release: each ConfigMap and Secret the pod template reads is copied to
 * an immutable, content-hashed name, and the rollout points the template at the copies. Rolling
 * back the template then restores the old configuration too, which `kubectl rollout undo` cannot.
 * ConfigMaps come from the manifests (their data is in the plan); Secrets are copied from the
 * cluster at run time so that no secret value is ever written to the plan or the journal.
 * No undo: copies are content-addressed and may be shared with a release that is still live.
 */
export function createConfigSnapshotStep(kube: KubeClient): StepKind {
  return {
    kind: 'config-snapshot',
    async run(ctx: RunContext, step: PlannedStep): Promise<StepResult> {
      const app = step.params.app as string;
      const configMaps = [...((step.params.configMaps ?? []) as unknown as DataObject[])];
      const secretNames = (step.params.secrets ?? []) as string[];
      // ConfigMaps the template reads but the manifests do not carry: copy what is live.
      for (const name of (step.params.liveConfigMaps ?? []) as string[]) {
        const live = await kube.get<DataObject>({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ctx.namespace });
        if (!live) return { kind: 'failed', reason: `ConfigMap ${ctx.namespace}/${name} is referenced by the pod template but neither in the manifests nor in the cluster` };
        configMaps.push(live);
      }
      const renames = { configMaps: {} as Record<string, string>, secrets: {} as Record<string, string> };
      for (const cm of configMaps) {
        const target = hashedName(cm.metadata.name, cm.data, cm.binaryData);
        await ensureCopy(kube, ctx, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: target }, data: cm.data ?? {}, binaryData: cm.binaryData }, app, cm.metadata.name);
        renames.configMaps[cm.metadata.name] = target;
      }
      for (const name of secretNames) {
        const live = await kube.get<DataObject>({ apiVersion: 'v1', kind: 'Secret', name, namespace: ctx.namespace });
        if (!live) return { kind: 'failed', reason: `Secret ${ctx.namespace}/${name} is referenced by the pod template but does not exist; create it first` };
        const target = hashedName(name, live.data, undefined);
        await ensureCopy(kube, ctx, { apiVersion: 'v1', kind: 'Secret', metadata: { name: target }, type: live.type ?? 'Opaque', data: live.data ?? {} }, app, name);
        renames.secrets[name] = target;
      }
      const count = configMaps.length + secretNames.length;
      return { kind: 'done', summary: `${count} config object(s) pinned to this release`, data: renames as unknown as JsonObject };
    },
  };
}

async function ensureCopy(kube: KubeClient, ctx: RunContext, object: DataObject, app: string, source: string): Promise<void> {
  const ref = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: ctx.namespace };
  if (await kube.get(ref)) return; // same name = same content: nothing to do (and immutable anyway)
  ctx.progress(`${object.kind} ${source} -> ${object.metadata.name}`);
  const body: DataObject = {
    ...object,
    metadata: { name: object.metadata.name, namespace: ctx.namespace, labels: { 'app.kubernetes.io/managed-by': 'baton', 'baton.dev/app': app, 'baton.dev/config-of': source } },
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
