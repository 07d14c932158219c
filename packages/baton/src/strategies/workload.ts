import type { KubeObject } from '../kube/kube-object.js';
import type { Container, DeploymentLike, PodSpec } from '../kube/workload-objects.js';

export function containerOf(deployment: DeploymentLike, name: string | undefined): Container {
  const containers = deployment.spec.template.spec.containers;
  const container = name === undefined ? containers[0] : containers.find((c) => c.name === name);
  if (!container) throw new Error(`Deployment ${deployment.metadata.name} has no container ${name ?? '(none)'}`);
  return container;
}

/** Every ConfigMap and Secret the pod template reads (env, envFrom, volumes). */
export function configReferences(spec: PodSpec): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef) configMaps.add(from.configMapRef.name);
      if (from.secretRef) secrets.add(from.secretRef.name);
    }
    for (const e of c.env ?? []) {
      const vf = e.valueFrom as { configMapKeyRef?: { name: string }; secretKeyRef?: { name: string } } | undefined;
      if (vf?.configMapKeyRef) configMaps.add(vf.configMapKeyRef.name);
      if (vf?.secretKeyRef) secrets.add(vf.secretKeyRef.name);
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap) configMaps.add(v.configMap.name);
    if (v.secret) secrets.add(v.secret.secretName);
  }
  return { configMaps, secrets };
}

/** Returns a copy of the pod spec with ConfigMap/Secret names replaced per the maps. */
export function renameConfigReferences(spec: PodSpec, configMaps: Record<string, string>, secrets: Record<string, string>): PodSpec {
  const copy = structuredClone(spec);
  const cm = (n: string): string => configMaps[n] ?? n;
  const sec = (n: string): string => secrets[n] ?? n;
  for (const c of [...copy.containers, ...(copy.initContainers ?? [])]) {
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef) from.configMapRef.name = cm(from.configMapRef.name);
      if (from.secretRef) from.secretRef.name = sec(from.secretRef.name);
    }
    for (const e of c.env ?? []) {
      const vf = e.valueFrom as { configMapKeyRef?: { name: string }; secretKeyRef?: { name: string } } | undefined;
      if (vf?.configMapKeyRef) vf.configMapKeyRef.name = cm(vf.configMapKeyRef.name);
      if (vf?.secretKeyRef) vf.secretKeyRef.name = sec(vf.secretKeyRef.name);
    }
  }
  for (const v of copy.volumes ?? []) {
    if (v.configMap) v.configMap.name = cm(v.configMap.name);
    if (v.secret) v.secret.secretName = sec(v.secret.secretName);
  }
  return copy;
}

/** The object as it should be applied again: no server-owned metadata or status. */
export function forReapply<T extends KubeObject>(object: T): T {
  const copy = structuredClone(object);
  const m = copy.metadata as Record<string, unknown>;
  for (const key of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp'])
    delete m[key];
  const annotations = m.annotations as Record<string, string> | undefined;
  if (annotations) {
    delete annotations['deployment.kubernetes.io/revision'];
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  }
  delete (copy as Record<string, unknown>).status;
  return copy;
}
