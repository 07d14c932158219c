import { sameQuantity } from '@baton/kubesim/quantity';
import type { KubeObject } from '../kube/kube-object.js';

/** One field where the cluster differs from what the manifests say (the seed: YAML 1 replica, cluster 2). */
export interface Drift {
  resource: string;
  field: string;
  manifest: unknown;
  cluster: unknown;
}

// Fields the API server or controllers own; a difference there is not drift.
const ignoredTopLevel = new Set(['status']);
const ignoredMetadata = new Set(['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink']);

/**
 * Compares only what the manifest states: a field the manifest leaves out is the server's to
 * default, so it is never drift (this is how `kubectl diff` with server-side apply sees it).
 */
export function findDrift(manifest: KubeObject, live: KubeObject | undefined): Drift[] {
  const resource = `${manifest.kind}/${manifest.metadata.name}`;
  if (live === undefined) return [{ resource, field: '(object)', manifest: 'present', cluster: 'missing' }];
  const out: Drift[] = [];
  compare(manifest, live, [], resource, out);
  return out;
}

function compare(want: unknown, have: unknown, path: string[], resource: string, out: Drift[]): void {
  if (path.length === 1 && ignoredTopLevel.has(path[0]!)) return;
  if (path.length === 2 && path[0] === 'metadata' && ignoredMetadata.has(path[1]!)) return;
  if (isPlainObject(want)) {
    if (!isPlainObject(have)) {
      out.push({ resource, field: path.join('.'), manifest: want, cluster: have });
      return;
    }
    for (const [key, value] of Object.entries(want)) compare(value, have[key], [...path, key], resource, out);
    return;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(have)) {
      out.push({ resource, field: path.join('.'), manifest: want, cluster: have });
      return;
    }
    if (want.every(isNamed) && have.every(isNamed)) {
      // Lists keyed by name (containers, env, ports, volumes) compare item by item, as the API
      // server merges them; what baton injects itself (BATON_RELEASE) is not drift.
      for (const item of want)
        compare(
          item,
          have.find((h) => h.name === item.name),
          [...path, `[${item.name}]`],
          resource,
          out,
        );
      for (const extra of have.filter((h) => !want.some((w) => w.name === h.name) && !injected.has(h.name))) {
        out.push({ resource, field: `${path.join('.')}.[${extra.name}]`, manifest: undefined, cluster: extra });
      }
      return;
    }
    if (want.length !== have.length) {
      out.push({ resource, field: `${path.join('.')}.length`, manifest: want.length, cluster: have.length });
      return;
    }
    for (const [i, item] of want.entries()) compare(item, have[i], [...path, keyOfItem(item, i)], resource, out);
    return;
  }
  if (!sameScalar(want, have, path)) out.push({ resource, field: path.join('.'), manifest: want, cluster: have });
}

const injected = new Set(['BATON_RELEASE']);

function isNamed(item: unknown): item is { name: string } & Record<string, unknown> {
  return isPlainObject(item) && typeof item.name === 'string';
}

function keyOfItem(item: unknown, index: number): string {
  if (isPlainObject(item) && typeof item.name === 'string') return `[${item.name}]`;
  return `[${index}]`;
}

function sameScalar(a: unknown, b: unknown, path: string[]): boolean {
  if (a === b) return true;
  if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string')) {
    // The server stores quantities canonical: 0.5 or "0.5" in YAML reads back "500m", "1024Mi" as "1Gi".
    if (isQuantityField(path)) return sameQuantity(String(a), String(b));
    // 8080 vs "8080" (an int-or-string written as the other).
    return String(a) === String(b);
  }
  return false;
}

/** resources.requests/limits (containers, pod overhead) and sizes (emptyDir, PVC): resource.Quantity fields. */
function isQuantityField(path: string[]): boolean {
  const parent = path.at(-2);
  return (
    parent === 'requests' ||
    parent === 'limits' ||
    parent === 'overhead' ||
    path.at(-1) === 'sizeLimit' ||
    parent === 'capacity' ||
    parent === 'hard'
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
