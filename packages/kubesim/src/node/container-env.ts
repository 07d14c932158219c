import type { Container, Pod } from './pod-types.js';
import type { ImageConfig } from './image-map.js';
import { expandVars } from './expand-vars.js';
import type { ServiceLinkSource } from './service-env.js';
import { serviceLinkEnv } from './service-env.js';

/** Reads ConfigMap / Secret data (Secret values already base64-decoded); undefined = not found. */
export interface EnvSources {
  configMap(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  secret(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** Services for service-link variables: the namespace's, plus `kubernetes` in default. Optional. */
  services?(namespace: string): Promise<ServiceLinkSource[]>;
}

export type EnvResult = { kind: 'ok'; env: Record<string, string> } | { kind: 'error'; message: string };

export interface EnvContext {
  pod: Pod;
  container: Container;
  image: ImageConfig;
  podIP: string;
  hostIP: string;
  sources: EnvSources;
  /** The host environment the node runs in; PATH, HOME, TMPDIR, LANG are taken from it. */
  hostEnv?: NodeJS.ProcessEnv;
}

const validName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function bracketKey(path: string, prefix: string): string | undefined {
  const m = new RegExp(`^${prefix.replace('.', '\\.')}\\['(.*)'\\]$`).exec(path);
  return m ? m[1] : undefined;
}

/** The downward API: the value of a fieldRef path, or an error message for an unsupported one. */
export function fieldRefValue(pod: Pod, path: string, podIP: string, hostIP: string): string | { error: string } {
  const m = pod.metadata;
  switch (path) {
    case 'metadata.name':
      return m.name;
    case 'metadata.namespace':
      return m.namespace ?? 'default';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return hostIP;
  }
  const label = bracketKey(path, 'metadata.labels');
  if (label !== undefined) return m.labels?.[label] ?? '';
  const ann = bracketKey(path, 'metadata.annotations');
  if (ann !== undefined) return m.annotations?.[ann] ?? '';
  return { error: `unsupported fieldRef fieldPath "${path}"` };
}

/**
 * Builds a container's environment in Kubernetes order: host basics and the image's env, the
 * kubesim pod variables, then envFrom sources in order, then env entries (each `$(VAR)`-expanded
 * against what is defined so far). A missing non-optional ConfigMap/Secret (or key) is an error
 * value: the kubelet reports it as CreateContainerConfigError and retries.
 */
export async function buildContainerEnv(ctx: EnvContext): Promise<EnvResult> {
  const { pod, container, image, podIP, hostIP, sources } = ctx;
  const host = ctx.hostEnv ?? process.env;
  const ns = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = {};
  for (const k of ['HOME', 'TMPDIR', 'LANG']) if (host[k] !== undefined) env[k] = host[k]!;
  const basePath = image.env?.PATH ?? host.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  Object.assign(env, image.env ?? {});
  env.PATH = [...(image.path ?? []), basePath].join(':');
  env.HOSTNAME = pod.spec.hostname ?? pod.metadata.name;
  env.POD_IP = podIP;
  env.KUBESIM_POD_IP = podIP;
  env.POD_NAME = pod.metadata.name;
  env.POD_NAMESPACE = ns;
  // Service links (enableServiceLinks, default true) come before envFrom/env, which override them.
  if (sources.services) {
    const all = await sources.services(ns);
    const visible = pod.spec.enableServiceLinks === false ? all.filter((s) => s.name === 'kubernetes') : all;
    Object.assign(env, serviceLinkEnv(visible));
  }

  for (const src of container.envFrom ?? []) {
    const prefix = src.prefix ?? '';
    let data: Record<string, string> | undefined;
    if (src.configMapRef) {
      data = await sources.configMap(ns, src.configMapRef.name);
      if (!data && !src.configMapRef.optional) return { kind: 'error', message: `configmap "${src.configMapRef.name}" not found` };
    } else if (src.secretRef) {
      data = await sources.secret(ns, src.secretRef.name);
      if (!data && !src.secretRef.optional) return { kind: 'error', message: `secret "${src.secretRef.name}" not found` };
    }
    for (const [k, v] of Object.entries(data ?? {})) {
      // Kubernetes skips keys that are not valid variable names (and records an event).
      if (validName.test(prefix + k)) env[prefix + k] = v;
    }
  }

  for (const e of container.env ?? []) {
    if (e.valueFrom === undefined) {
      env[e.name] = expandVars(e.value ?? '', (n) => env[n]);
      continue;
    }
    const vf = e.valueFrom;
    if (vf.fieldRef) {
      const v = fieldRefValue(pod, vf.fieldRef.fieldPath, podIP, hostIP);
      if (typeof v !== 'string') return { kind: 'error', message: v.error };
      env[e.name] = v;
    } else if (vf.configMapKeyRef || vf.secretKeyRef) {
      const ref = (vf.configMapKeyRef ?? vf.secretKeyRef)!;
      const kind = vf.configMapKeyRef ? 'configmap' : 'secret';
      const data = kind === 'configmap' ? await sources.configMap(ns, ref.name ?? '') : await sources.secret(ns, ref.name ?? '');
      if (!data) {
        if (ref.optional) continue;
        return { kind: 'error', message: `${kind} "${ref.name ?? ''}" not found` };
      }
      const v = data[ref.key];
      if (v === undefined) {
        if (ref.optional) continue;
        return {
          kind: 'error',
          message: `couldn't find key ${ref.key} in ${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name ?? ''}`,
        };
      }
      env[e.name] = v;
    } else if (vf.resourceFieldRef) {
      // kubesim does not model resource limits; "0" means "unlimited/unknown" to most apps.
      env[e.name] = '0';
    }
  }
  return { kind: 'ok', env };
}
