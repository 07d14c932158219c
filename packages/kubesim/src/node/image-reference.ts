import { createHash } from 'node:crypto';

/**
 * An image reference as containerd reports it in a pod's container status: the Docker Hub
 * default registry and "library/" made explicit, ":latest" added when there is no tag
 * ("nginx" -> "docker.io/library/nginx:latest", "demo/app:v1" -> "docker.io/demo/app:v1").
 * A first component with a dot or a colon, or "localhost", is a registry host and stays.
 */
export function normalizeImage(ref: string): string {
  if (!ref) return ref;
  const [path, digest] = ref.split('@') as [string, string | undefined];
  const parts = path.split('/');
  const hasRegistry = parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost');
  const named = hasRegistry ? path : parts.length === 1 ? `docker.io/library/${path}` : `docker.io/${path}`;
  const last = named.slice(named.lastIndexOf('/') + 1);
  const tagged = digest || last.includes(':') ? named : `${named}:latest`;
  return digest ? `${tagged}@${digest}` : tagged;
}

/** The imageID: repository@sha256 digest (kubesim's digest is a hash of the reference: no registry exists). */
export function imageId(ref: string): string {
  const full = normalizeImage(ref);
  if (full.includes('@')) return full.replace(/:[^/@]+@/, '@');
  const repo = full.slice(0, full.lastIndexOf(':'));
  return `${repo}@sha256:${createHash('sha256').update(full).digest('hex')}`;
}
