import { z } from 'zod';
import type { KubeObject } from './kube-object.js';
import type { DeploymentLike } from './workload-objects.js';

function isDeploymentLike(value: unknown): value is DeploymentLike {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as { kind?: unknown; metadata?: { name?: unknown }; spec?: { template?: { spec?: { containers?: unknown } } } };
  return typeof d.metadata?.name === 'string' && Array.isArray(d.spec?.template?.spec?.containers);
}

/** A Deployment as step params carry it: checked for the fields baton reads (name, containers). */
export const deploymentSchema = z.custom<DeploymentLike>(isDeploymentLike, {
  message: 'expected a Deployment with metadata.name and spec.template.spec.containers',
});

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && typeof o.metadata?.name === 'string';
}

/** Any Kubernetes object as step params carry it: apiVersion, kind and metadata.name checked. */
export const kubeObjectSchema = z.custom<KubeObject>(isKubeObject, {
  message: 'expected a Kubernetes object with apiVersion, kind and metadata.name',
});

/** An object reference as checkpoints record it. */
export const objectRefSchema = z.object({ apiVersion: z.string(), kind: z.string(), name: z.string(), namespace: z.string().optional() });
