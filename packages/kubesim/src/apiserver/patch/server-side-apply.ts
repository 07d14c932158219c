import { ApiError, errors, type StatusCause } from '../api-error.js';
import type { ResourceDescriptor } from '../resource-descriptor.js';
import { clone, deepEqual, isObject, type KubeObject, type ManagedFieldsEntry } from '../types.js';
import { fieldsOf, fromFieldsV1, itemMatches, SEP, toFieldsV1, valueAt, type FieldSet } from './field-set.js';
import { listKindsFor, type ListKindResolver } from './merge-keys.js';

type Obj = Record<string, unknown>;

function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** ".spec.containers[name=\"web\"].image" as upstream prints conflicting fields. */
export function describePath(p: string): string {
  return p
    .split(SEP)
    .filter((e) => e !== '.')
    .map((e) => {
      if (e.startsWith('f:')) return `.${e.slice(2)}`;
      if (e.startsWith('k:')) {
        const o = JSON.parse(e.slice(2)) as Obj;
        return `[${Object.entries(o)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      if (e.startsWith('v:')) return `[${e.slice(2)}]`;
      return e;
    })
    .join('');
}

/** Structural merge of an applied configuration into the live object. */
function merge(live: unknown, applied: unknown, names: string[], lists: ListKindResolver): unknown {
  if (!isObject(applied)) return clone(applied);
  const out: Obj = isObject(live) ? clone(live) : {};
  for (const [k, v] of Object.entries(applied)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      const lk = lists(k, names);
      const cur = Array.isArray(out[k]) ? (out[k] as unknown[]) : [];
      if (lk.type === 'map') {
        const res = [...cur];
        for (const item of v) {
          const i = res.findIndex((x) => isObject(x) && isObject(item) && lk.keys.every((key) => x[key] === item[key]));
          if (i >= 0) res[i] = merge(res[i], item, [...names, k], lists);
          else res.push(clone(item));
        }
        out[k] = res;
      } else if (lk.type === 'set') {
        const res = [...cur];
        for (const item of v) if (!res.some((x) => deepEqual(x, item))) res.push(item);
        out[k] = res;
      } else out[k] = clone(v);
    } else if (isObject(v)) out[k] = merge(out[k], v, [...names, k], lists);
    else out[k] = v;
  }
  return out;
}

/** Whether the set holds a path strictly under `prefix`. */
function hasUnder(set: FieldSet, prefix: string): boolean {
  const under = prefix + SEP;
  for (const p of set) if (p.startsWith(under)) return true;
  return false;
}

/** Removes the field at a path (a map key, a keyed list item, or a set value). */
function deleteAt(obj: unknown, path: string): void {
  const els = path.split(SEP);
  if (els[els.length - 1] === '.') els.pop();
  let cur: unknown = obj;
  for (let i = 0; i < els.length; i++) {
    const e = els[i]!;
    const last = i === els.length - 1;
    if (e.startsWith('f:')) {
      if (!isObject(cur)) return;
      if (last) {
        delete cur[e.slice(2)];
        return;
      }
      cur = cur[e.slice(2)];
    } else if (e.startsWith('k:') || e.startsWith('v:')) {
      if (!Array.isArray(cur)) return;
      const list = cur;
      const idx = e.startsWith('k:') ? list.findIndex((x) => itemMatches(x, e)) : list.findIndex((x) => JSON.stringify(x) === e.slice(2));
      if (idx < 0) return;
      if (last) {
        list.splice(idx, 1);
        return;
      }
      cur = list[idx];
    } else return;
  }
}

export interface ApplyRequest {
  d: ResourceDescriptor;
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  now: Date;
}

/**
 * Server-side apply: merges the applied configuration into the live object and updates
 * managedFields. A field the applier sets to a value different from the live one while another
 * manager owns it is a conflict (409 with causes) unless force takes ownership. Fields this
 * manager applied before and omits now are removed when nobody else owns them.
 */
export function serverSideApply(r: ApplyRequest): KubeObject {
  const lists = listKindsFor(r.d);
  const applied = clone(r.applied);
  const appliedSet = fieldsOf(applied, lists);
  const apiVersion = r.d.group ? `${r.d.group}/${r.d.version}` : r.d.version;
  const mine: ManagedFieldsEntry = {
    manager: r.manager,
    operation: 'Apply',
    apiVersion,
    time: timestamp(r.now),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(appliedSet),
  };
  if (!r.live) {
    applied.metadata = { ...applied.metadata, managedFields: [mine] };
    return applied;
  }
  const live = r.live;
  const others: { e: ManagedFieldsEntry; set: FieldSet }[] = [];
  let previous: FieldSet = new Set();
  for (const e of live.metadata.managedFields ?? []) {
    if (e.manager === r.manager && e.operation === 'Apply' && !e.subresource) previous = fromFieldsV1(e.fieldsV1);
    else others.push({ e, set: fromFieldsV1(e.fieldsV1) });
  }
  const conflicts: StatusCause[] = [];
  for (const o of others) {
    if (o.e.manager === r.manager) continue;
    for (const p of appliedSet) {
      if (!o.set.has(p) || p.endsWith(SEP + '.')) continue;
      if (deepEqual(valueAt(applied, p), valueAt(live, p))) continue;
      if (r.force) o.set.delete(p);
      else
        conflicts.push({
          reason: 'FieldManagerConflict',
          message: `conflict with "${o.e.manager}"${o.e.operation === 'Update' ? ` using ${o.e.apiVersion}` : ''}`,
          field: describePath(p),
        });
    }
  }
  if (conflicts.length) {
    const msg = `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ${conflicts.map((c) => `${c.message}: ${c.field}`).join('\n')}`;
    throw new ApiError(409, 'Conflict', msg, { causes: conflicts });
  }
  const result = merge(live, applied, [], lists) as KubeObject;
  for (const p of previous) {
    if (appliedSet.has(p) || others.some((o) => o.set.has(p)) || p === 'f:metadata') continue;
    // An empty list or map applied before is a leaf; applied again with items, the applier owns
    // what is under it now: the field itself is not dropped (an `env: []` then `env: [X]` keeps X).
    if (hasUnder(appliedSet, p)) continue;
    deleteAt(result, p);
  }
  result.metadata.managedFields = [...others.filter((o) => o.set.size > 0).map((o) => ({ ...o.e, fieldsV1: toFieldsV1(o.set) })), mine];
  // The applied rv (if any) is a precondition; otherwise apply never conflicts on rv.
  result.metadata.resourceVersion = applied.metadata.resourceVersion ?? live.metadata.resourceVersion;
  return result;
}

export { errors };
