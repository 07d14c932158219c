import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import { newestMinor } from '../kubernetes-version.js';
import { spewGoValue } from './go-spew-format.js';
import { rfc3339 } from './object-time.js';
import { podTemplateGoSchema } from './pod-template-go-schema.js';

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

/** The template as JSON (the wire form), whichever way the caller holds it (typed model or plain JSON). */
function wireForm(t: V1PodTemplateSpec | undefined): unknown {
  return t === undefined ? undefined : ObjectSerializer.serialize(t, 'V1PodTemplateSpec', '');
}

function withoutHash(t: V1PodTemplateSpec | undefined): unknown {
  // Project onto the fields this client knows: the ReplicaSet we create is written through the
  // same typed client, so a field it does not know (a newer server's) must not make the
  // Deployment's template and its ReplicaSet's look different forever.
  const c = canonical(wireForm(t)) as { metadata?: { labels?: Record<string, string> } } | undefined;
  if (c?.metadata?.labels) {
    delete c.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  return canonical(c);
}

/** EqualIgnoreHash: two pod templates are the same release if they differ only in the hash label. */
export function equalIgnoreHash(a: V1PodTemplateSpec | undefined, b: V1PodTemplateSpec | undefined): boolean {
  return JSON.stringify(withoutHash(a)) === JSON.stringify(withoutHash(b));
}

/** The go-spew dump the controller hashes, and whether kubesim reproduces it exactly. */
export interface TemplateDump {
  text: string;
  exact: boolean;
}

/**
 * hashutil.DeepHashObject's input: go-spew's `%#v` of the Go v1.PodTemplateSpec the template
 * decodes to, with the struct set of Kubernetes 1.`minor` (a field added in a release changes
 * every dump). Exact unless `exact` is false (see go-spew-format.ts and docs/controllers.md).
 */
export function podTemplateDump(template: V1PodTemplateSpec | undefined, minor: number = newestMinor): TemplateDump {
  return spewGoValue(podTemplateGoSchema, minor, wireForm(template) ?? {});
}

function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const byte of bytes) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** Hashes by template JSON; a sync re-hashes the same few templates, so a small cache suffices. */
const cache = new Map<string, string>();
const cacheLimit = 512;

/** Options: the Kubernetes minor whose structs are hashed (default the newest kubesim serves). */
export interface TemplateHashOptions {
  minor?: number;
}

/**
 * The pod-template-hash, as the Deployment controller computes it (controller.ComputeHash): FNV-32a
 * over the template's go-spew dump; with a collision count, its 4 little-endian bytes padded to 8
 * are hashed after it; the decimal digits of the sum, mapped onto the vowel-free alphabet
 * (rand.SafeEncodeString). Equal to a real cluster's for the same stored template, except where
 * podTemplateDump is not exact. The template is hashed as stored, a pod-template-hash label included.
 */
export function computeTemplateHash(
  template: V1PodTemplateSpec | undefined,
  collisionCount: number | undefined,
  options: TemplateHashOptions = {},
): string {
  const minor = options.minor ?? newestMinor;
  const key = `${minor}#${collisionCount ?? ''}#${JSON.stringify(wireForm(template) ?? {})}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let h = fnv32a(Buffer.from(podTemplateDump(template, minor).text, 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  const hash = [...String(h)].map((ch) => SAFE[ch.charCodeAt(0) % SAFE.length]).join('');
  if (cache.size >= cacheLimit) cache.clear();
  cache.set(key, hash);
  return hash;
}
