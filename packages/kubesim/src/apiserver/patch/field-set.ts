import { isObject, type JsonObject } from '../types.js';
import type { ListKindResolver } from './merge-keys.js';

/** A set of field paths; each path is its FieldsV1 elements ("f:spec", "k:{...}", "v:...") joined by NUL. */
export type FieldSet = Set<string>;
export const SEP = '\u0000';

/** Metadata the server owns: never part of any manager's field set. */
const serverMeta = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'generateName',
]);

export function itemKey(item: unknown, keys: string[]): string {
  return `k:${JSON.stringify(Object.fromEntries(keys.map((k) => [k, isObject(item) ? item[k] : undefined])))}`;
}

/** Whether a list item carries the key values a `k:{...}` element names. */
export function itemMatches(item: unknown, element: string): boolean {
  const want = JSON.parse(element.slice(2)) as Record<string, unknown>;
  return isObject(item) && Object.entries(want).every(([k, v]) => item[k] === v);
}

/**
 * The leaf fields set in `value`. Associative list items own their key ('.') plus their fields;
 * atomic lists and empty maps are leaves; set lists own each value.
 */
export function fieldsOf(value: unknown, lists: ListKindResolver, top = true): FieldSet {
  const out: FieldSet = new Set();
  walk(value, [], [], lists, out, top);
  return out;
}

function walk(v: unknown, path: string[], names: string[], lists: ListKindResolver, out: FieldSet, top: boolean): void {
  if (!isObject(v)) {
    if (path.length) out.add(path.join(SEP));
    return;
  }
  const entries = Object.entries(v).filter(([k, x]) => {
    if (top && path.length === 0 && (k === 'apiVersion' || k === 'kind')) return false;
    if (top && path.length === 1 && path[0] === 'f:metadata' && serverMeta.has(k)) return false;
    return x !== undefined;
  });
  // A map whose only keys are server-owned (metadata with just a name) owns nothing.
  if (entries.length === 0) {
    if (path.length && Object.keys(v).length === 0) out.add(path.join(SEP));
    return;
  }
  for (const [k, x] of entries) {
    const p = [...path, `f:${k}`];
    if (Array.isArray(x)) {
      const lk = lists(k, names);
      if (lk.type === 'map') {
        for (const item of x) {
          const ip = [...p, itemKey(item, lk.keys)];
          out.add([...ip, '.'].join(SEP));
          walk(item, ip, [...names, k], lists, out, top);
        }
        if (x.length === 0) out.add(p.join(SEP));
      } else if (lk.type === 'set') {
        for (const item of x) out.add([...p, `v:${JSON.stringify(item)}`].join(SEP));
        if (x.length === 0) out.add(p.join(SEP));
      } else out.add(p.join(SEP));
    } else walk(x, p, [...names, k], lists, out, top);
  }
}

/** FieldSet -> the nested FieldsV1 JSON stored in managedFields. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const path of [...set].sort()) {
    let cur = root;
    for (const el of path.split(SEP)) {
      if (!isObject(cur[el])) cur[el] = {};
      cur = cur[el] as JsonObject;
    }
  }
  return root;
}

/** FieldsV1 JSON -> FieldSet (leaves are the paths; '.' entries are kept as written). */
export function fromFieldsV1(f: unknown): FieldSet {
  const out: FieldSet = new Set();
  const rec = (node: unknown, path: string[]): void => {
    if (!isObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length) {
      out.add(path.join(SEP));
      return;
    }
    for (const k of keys) rec(node[k], [...path, k]);
  };
  rec(f, []);
  return out;
}

/** Value at a field path, or undefined if absent. */
export function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const el of path.split(SEP)) {
    if (el === '.') return cur;
    if (el.startsWith('f:')) cur = isObject(cur) ? cur[el.slice(2)] : undefined;
    else if (el.startsWith('k:')) {
      const want = JSON.parse(el.slice(2)) as Record<string, unknown>;
      const [k, val] = Object.entries(want)[0] ?? ['', undefined];
      cur = Array.isArray(cur) ? cur.find((i) => isObject(i) && i[k] === val) : undefined;
    } else if (el.startsWith('v:')) {
      const want = el.slice(2);
      cur = Array.isArray(cur) ? cur.find((i) => JSON.stringify(i) === want) : undefined;
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}
