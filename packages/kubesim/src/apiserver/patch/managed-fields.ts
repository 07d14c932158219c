import type { ResourceDescriptor } from '../resource-descriptor.js';
import { deepEqual, type KubeObject, type ManagedFieldsEntry } from '../types.js';
import { fieldsOf, fromFieldsV1, SEP, toFieldsV1, valueAt, type FieldSet } from './field-set.js';
import { listKindsFor } from './merge-keys.js';

/** Who writes: the fieldManager name, the operation kind and the subresource written. */
export interface FieldManager {
  name: string;
  operation: 'Apply' | 'Update';
  subresource?: string;
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

export function withoutManagedFields(o: KubeObject): KubeObject {
  const { managedFields: _mf, ...meta } = o.metadata;
  return { ...o, metadata: meta };
}

/** Field set of an object as seen by managedFields (custom kinds use atomic lists). */
export function objectFields(d: ResourceDescriptor, o: KubeObject): FieldSet {
  return fieldsOf(withoutManagedFields(o), listKindsFor(d));
}

/**
 * Records an Update-operation write in `o.metadata.managedFields`: every field whose value the write
 * set or changed becomes owned by the writer and leaves other managers' sets (updates never
 * conflict); fields the write removed leave every set. Apply writes set managedFields themselves.
 */
export function trackManagedFields(d: ResourceDescriptor, old: KubeObject | undefined, o: KubeObject, mgr: FieldManager, now: Date): void {
  if (mgr.operation === 'Apply') return;
  const newSet = objectFields(d, o);
  const oldSet = old ? objectFields(d, old) : new Set<string>();
  const changed = new Set<string>();
  for (const p of newSet) {
    if (!oldSet.has(p)) {
      changed.add(p);
      continue;
    }
    if (!p.endsWith(SEP + '.') && old && !deepEqual(valueAt(o, p), valueAt(old, p))) changed.add(p);
  }
  const removed = [...oldSet].filter((p) => !newSet.has(p));
  const entries: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const e of o.metadata.managedFields ?? []) {
    const set = fromFieldsV1(e.fieldsV1);
    const same = e.manager === mgr.name && e.operation === 'Update' && (e.subresource ?? '') === (mgr.subresource ?? '');
    if (!same) for (const p of changed) set.delete(p);
    for (const p of removed) set.delete(p);
    if (same) {
      for (const p of changed) set.add(p);
    }
    const entry = { ...e, fieldsV1: toFieldsV1(set) };
    if (same) mine = entry;
    if (set.size > 0) entries.push(entry);
  }
  if (!mine && changed.size > 0) {
    mine = {
      manager: mgr.name,
      operation: 'Update',
      apiVersion: o.apiVersion,
      time: timestamp(now),
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(changed),
    };
    if (mgr.subresource) mine.subresource = mgr.subresource;
    entries.push(mine);
  } else if (mine && changed.size > 0) {
    mine.time = timestamp(now);
    mine.apiVersion = o.apiVersion;
  }
  if (entries.length) o.metadata.managedFields = entries;
  else delete o.metadata.managedFields;
}
