import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import { rfc3339 } from './object-time.js';

/** apps/v1 DefaultDeploymentUniqueLabelKey. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/**
 * Canonical form of an object for equality and hashing: keys sorted, undefined/null dropped, and
 * empty maps/lists treated as absent (apimachinery's semantic DeepEqual treats nil and empty alike).
 */
export function canonical(value: unknown): unknown {
  if (value instanceof Date) return rfc3339(value.getTime());
  if (Array.isArray(value)) {
    const arr = value.map(canonical).filter((v) => v !== undefined);
    return arr.length === 0 ? undefined : arr;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = canonical((value as Record<string, unknown>)[k]);
      if (v !== undefined) out[k] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

function withoutHash(t: V1PodTemplateSpec | undefined): unknown {
  // Project onto the fields this client knows: the ReplicaSet we create is written through the
  // same typed client, so a field it does not know (a newer server's) must not make the
  // Deployment's template and its ReplicaSet's look different forever.
  const known: unknown = t === undefined ? undefined : ObjectSerializer.serialize(t, 'V1PodTemplateSpec', '');
  const c = canonical(known) as { metadata?: { labels?: Record<string, string> } } | undefined;
  if (c?.metadata?.labels) {
    delete c.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  return canonical(c);
}

/** EqualIgnoreHash: two pod templates are the same release if they differ only in the hash label. */
export function equalIgnoreHash(a: V1PodTemplateSpec | undefined, b: V1PodTemplateSpec | undefined): boolean {
  return JSON.stringify(withoutHash(a)) === JSON.stringify(withoutHash(b));
}

function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The pod-template-hash: FNV-32a over the template plus the collision count, rendered with
 * Kubernetes' vowel-free alphabet (rand.SafeEncodeString) so names never spell words. Kubernetes
 * hashes Go's struct dump; we hash canonical JSON, so values differ from a real cluster's but have
 * the same shape and the same stability.
 */
export function computeTemplateHash(template: V1PodTemplateSpec | undefined, collisionCount: number | undefined): string {
  let input = JSON.stringify(withoutHash(template) ?? {});
  if (collisionCount !== undefined && collisionCount !== null) input += `#${collisionCount}`;
  const digits = String(fnv32a(input));
  return [...digits].map((ch) => SAFE[ch.charCodeAt(0) % SAFE.length]).join('');
}
