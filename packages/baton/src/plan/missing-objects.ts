import type { KubeObject } from '../kube/kube-object.js';
import type { BatonSpec } from '../spec/schema.js';

/** An object the run needs that neither the cluster nor the manifests provide in time. */
export interface MissingObject {
  /** `Namespace/kastaspuods`, `Deployment/borgmatic`, `Secret/castopod-db`. */
  object: string;
  /** Who needs it, in the user's words. */
  neededBy: string;
  fix: string;
}

/** Looks an object up in the live cluster: undefined when it does not exist. */
export type LiveLookup = (ref: { apiVersion: string; kind: string; name: string; namespace?: string }) => Promise<KubeObject | undefined>;

interface PodTemplateLike {
  spec?: {
    containers?: ContainerLike[];
    initContainers?: ContainerLike[];
    volumes?: Array<{ secret?: { secretName?: string; optional?: boolean }; configMap?: { name?: string; optional?: boolean } }>;
  };
}
interface ContainerLike {
  env?: Array<{
    valueFrom?: { secretKeyRef?: { name?: string; optional?: boolean }; configMapKeyRef?: { name?: string; optional?: boolean } };
  }>;
  envFrom?: Array<{ secretRef?: { name?: string; optional?: boolean }; configMapRef?: { name?: string; optional?: boolean } }>;
}

const workloadTarget = /^(deploy|deployment)\/(.+)$/;

/**
 * Everything the run will touch before it could create it: the namespace, the pods that exec
 * hooks and exec backups run in, and the Secrets and ConfigMaps the new pods read. A missing one
 * would otherwise fail mid-run, after the backup and the config pinning had already happened;
 * here it fails before any change, naming the object and the fix. All of them at once, in a
 * stable order: the namespace first, then the backup's and the hooks' workloads (baton.yaml
 * order), then config in manifest order; an object needed twice is listed once, with both
 * needs. `backupRunsBeforeApply` is true when the plan backs up before it applies the manifests
 * (then a backup target that only the manifests create does not exist yet when the backup runs).
 */
export async function findMissingObjects(options: {
  spec: BatonSpec;
  manifests: readonly KubeObject[];
  live: LiveLookup;
  backupRunsBeforeApply: boolean;
}): Promise<MissingObject[]> {
  const { spec, manifests } = options;
  const namespace = spec.namespace;
  const inManifests = (kind: string, name: string): boolean => manifests.some((m) => m.kind === kind && m.metadata.name === name);
  const missing = new Map<string, MissingObject>();
  const add = (m: MissingObject): void => {
    const seen = missing.get(m.object);
    if (!seen) missing.set(m.object, m);
    else if (!seen.neededBy.split(', ').includes(m.neededBy)) seen.neededBy = `${seen.neededBy}, ${m.neededBy}`;
  };

  const namespaceLive =
    inManifests('Namespace', namespace) || (await options.live({ apiVersion: 'v1', kind: 'Namespace', name: namespace })) !== undefined;
  if (!namespaceLive) {
    add({
      object: `Namespace/${namespace}`,
      neededBy: 'every object of the app (baton.yaml namespace)',
      fix: `kubectl create namespace ${namespace}, or fix namespace: in baton.yaml`,
    });
  }
  // Nothing exists inside a namespace that does not: no need to ask the cluster about its objects.
  const live: LiveLookup = namespaceLive ? options.live : async () => undefined;

  const requireWorkload = async (target: string, neededBy: string, createdInTime: boolean): Promise<void> => {
    const match = workloadTarget.exec(target);
    if (!match?.[2]) return; // pod/NAME and release new/old are resolved when the step runs
    const name = match[2];
    if (createdInTime && inManifests('Deployment', name)) return;
    if (!missing.has(`Deployment/${name}`) && (await live({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace })) !== undefined)
      return;
    const fix = inManifests('Deployment', name)
      ? `it is in the manifests but the backup runs before they are applied: install it first (kubectl apply -n ${namespace} -f the file that defines it)`
      : `deploy it in namespace ${namespace} first, or change the target in baton.yaml`;
    add({ object: `Deployment/${name}`, neededBy, fix });
  };

  const backupExec = spec.database?.backup?.method === 'exec' ? spec.database.backup.exec : undefined;
  if (backupExec?.target)
    await requireWorkload(backupExec.target, `the backup (\`${backupExec.command.join(' ')}\`)`, !options.backupRunsBeforeApply);
  for (const hook of spec.verify) {
    if (hook.exec?.target) await requireWorkload(hook.exec.target, `verify hook ${hook.name}`, true);
  }

  const present = new Set<string>();
  for (const manifest of manifests) {
    const template = podTemplateOf(manifest);
    if (!template) continue;
    const neededBy = `the pods of ${manifest.kind}/${manifest.metadata.name}`;
    for (const ref of configReferences(template)) {
      const [kind, name] = ref.split('/') as [string, string];
      if (present.has(ref) || inManifests(kind, name)) continue;
      if (!missing.has(ref) && (await live({ apiVersion: 'v1', kind, name, namespace })) !== undefined) {
        present.add(ref);
        continue;
      }
      add({
        object: ref,
        neededBy,
        fix: `create ${kind} ${name} in namespace ${namespace} (or add it to the manifests), or mark the reference optional`,
      });
    }
  }
  return [...missing.values()];
}

function podTemplateOf(object: KubeObject): PodTemplateLike | undefined {
  const spec = object['spec'];
  if (typeof spec !== 'object' || spec === null) return undefined;
  if (object.kind === 'Pod') return { spec: spec as PodTemplateLike['spec'] };
  const template = (spec as { template?: unknown }).template;
  if (object.kind === 'CronJob') {
    const jobTemplate = (spec as { jobTemplate?: { spec?: { template?: unknown } } }).jobTemplate;
    return (jobTemplate?.spec?.template ?? undefined) as PodTemplateLike | undefined;
  }
  return typeof template === 'object' && template !== null ? (template as PodTemplateLike) : undefined;
}

/** `Secret/NAME` and `ConfigMap/NAME` that a pod template needs (optional references excluded). */
function configReferences(template: PodTemplateLike): string[] {
  const refs: string[] = [];
  const add = (kind: 'Secret' | 'ConfigMap', ref: { name?: string; secretName?: string; optional?: boolean } | undefined): void => {
    const name = ref?.name ?? ref?.secretName;
    if (name && ref?.optional !== true) refs.push(`${kind}/${name}`);
  };
  for (const container of [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])]) {
    for (const env of container.env ?? []) {
      add('Secret', env.valueFrom?.secretKeyRef);
      add('ConfigMap', env.valueFrom?.configMapKeyRef);
    }
    for (const from of container.envFrom ?? []) {
      add('Secret', from.secretRef);
      add('ConfigMap', from.configMapRef);
    }
  }
  for (const volume of template.spec?.volumes ?? []) {
    add('Secret', volume.secret);
    add('ConfigMap', volume.configMap);
  }
  return refs;
}
