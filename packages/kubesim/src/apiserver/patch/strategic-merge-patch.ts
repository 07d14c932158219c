import { errors } from '../api-error.js';
import { clone, isObject } from '../types.js';
import { listKindOf } from './merge-keys.js';

type Obj = Record<string, unknown>;

/**
 * Strategic merge patch for built-in kinds: maps merge, lists merge by their merge key
 * (see merge-keys.ts) or as primitive sets, other lists are replaced. Directives:
 * `$patch: replace|delete|merge` in maps and list items, `$deleteFromPrimitiveList/<f>`,
 * `$setElementOrder/<f>` (orders the merged list), `$retainKeys` (drops unlisted keys).
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown, kind: string): unknown {
  if (!isObject(patch)) throw errors.badRequest('json: cannot unmarshal into Go value of type map[string]interface {}');
  return mergeMap(isObject(target) ? clone(target) : {}, patch, [], kind);
}

function mergeMap(out: Obj, patch: Obj, path: string[], kind: string): Obj {
  const directive = patch['$patch'];
  if (directive === 'delete') return {};
  if (directive === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return stripDirectives(rest) as Obj;
  }
  if (Array.isArray(patch['$retainKeys'])) {
    const keep = new Set(patch['$retainKeys'].map(String));
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      const del = Array.isArray(v) ? v.map((x) => JSON.stringify(x)) : [];
      if (Array.isArray(out[f])) out[f] = (out[f] as unknown[]).filter((x) => !del.includes(JSON.stringify(x)));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    if (isObject(v)) {
      out[k] = mergeMap(isObject(out[k]) ? (out[k] as Obj) : {}, v, [...path, k], kind);
      continue;
    }
    if (Array.isArray(v)) {
      out[k] = mergeList(Array.isArray(out[k]) ? (out[k] as unknown[]) : [], v, k, path, kind, patch[`$setElementOrder/${k}`]);
      continue;
    }
    out[k] = v;
  }
  return out;
}

function mergeList(cur: unknown[], patch: unknown[], field: string, path: string[], kind: string, order: unknown): unknown[] {
  const lk = listKindOf(field, path, kind);
  if (patch.some((p) => isObject(p) && p['$patch'] === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p['$patch'] === 'replace')).map(stripDirectives);
  }
  if (lk.type === 'set') {
    const out = [...cur];
    for (const p of patch) if (!out.some((x) => JSON.stringify(x) === JSON.stringify(p))) out.push(p);
    return out;
  }
  if (lk.type === 'atomic') return patch.map(stripDirectives);
  const key = lk.keys[0] ?? 'name';
  const out = cur.map((x) => clone(x));
  for (const p of patch) {
    if (!isObject(p)) throw errors.badRequest(`map: ${JSON.stringify(p)} does not contain declared merge key: ${key}`);
    if (p[key] === undefined) throw errors.badRequest(`map: map[${Object.keys(p).join(' ')}] does not contain declared merge key: ${key}`);
    const i = out.findIndex((x) => isObject(x) && x[key] === p[key]);
    if (p['$patch'] === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = mergeMap(out[i] as Obj, p, [...path, field], kind);
    else out.push(mergeMap({}, p, [...path, field], kind));
  }
  if (Array.isArray(order)) {
    const rank = new Map(order.map((o, i) => [JSON.stringify(isObject(o) ? o[key] : o), i]));
    const pos = (x: unknown): number => rank.get(JSON.stringify(isObject(x) ? x[key] : x)) ?? Number.MAX_SAFE_INTEGER;
    out.sort((a, b) => pos(a) - pos(b));
  }
  return out;
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}
