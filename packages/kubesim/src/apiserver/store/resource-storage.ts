import { randomUUID } from 'node:crypto';
import { ApiError, errors, type StatusCause } from '../api-error.js';
import { fieldErrors } from '../field-errors.js';
import type { ResourceDescriptor, ResourceHookContext } from '../resource-descriptor.js';
import { storageKey, type ResourceRegistry } from '../resource-registry.js';
import { validateLabels, validateName } from '../resources/names.js';
import { clone, deepEqual, isObject, type KubeObject } from '../types.js';
import { trackManagedFields, type FieldManager } from '../patch/managed-fields.js';
import { validateCustomResource } from '../resources/custom-schema.js';
import { enumCauses } from '../decode/strict-decoder.js';
import type { ObjectStore } from './object-store.js';

export interface WriteOptions {
  dryRun?: boolean;
  /** Who makes the change, for managedFields (absent: no tracking). */
  manager?: FieldManager;
  /** 'status' writes touch only status; '' (main resource) never touches status. */
  subresource?: 'status' | '';
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface StorageOptions {
  now?: () => Date;
  /** Called after a CRD is stored or removed so the registry can (un)serve its kinds. */
  onCrdChange?: (crd: KubeObject, removed: boolean) => void;
}

/** RFC 3339 at second precision, as Kubernetes timestamps are. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Go's omitempty on metadata: empty maps and lists are not stored (and not served). */
function normalizeMeta(o: KubeObject): void {
  const m = o.metadata as Record<string, unknown>;
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences', 'managedFields']) {
    const v = m[k];
    if (v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0)) delete m[k];
  }
}

function withoutTimes(o: KubeObject): KubeObject {
  const mf = o.metadata.managedFields;
  return mf ? { ...o, metadata: { ...o.metadata, managedFields: mf.map(({ time: _t, ...rest }) => rest as (typeof mf)[number]) } } : o;
}

/** Parts of an object outside metadata and status: a change there bumps generation. */
function specPart(o: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

/**
 * The semantics of create/update/delete shared by the HTTP handlers and the in-process
 * controllers (garbage collector, namespace lifecycle): metadata management, defaulting,
 * validation, optimistic concurrency, subresource isolation, finalizers and graceful deletion.
 */
export class ResourceStorage {
  private readonly now: () => Date;

  constructor(
    readonly store: ObjectStore,
    readonly registry: ResourceRegistry,
    private readonly hooks: ResourceHookContext,
    private readonly options: StorageOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  get(d: ResourceDescriptor, ns: string | undefined, name: string): KubeObject {
    const o = this.store.get(storageKey(d), d.namespaced ? ns : undefined, name);
    if (!o) throw errors.notFound(d.resource, d.group, name);
    return o;
  }

  /** Served form of a stored object: apiVersion of the requested version (CR versions share storage). */
  view(d: ResourceDescriptor, o: KubeObject): KubeObject {
    const apiVersion = d.group ? `${d.group}/${d.version}` : d.version;
    return o.apiVersion === apiVersion && o.kind === d.kind ? o : { ...o, apiVersion, kind: d.kind };
  }

  private checkNamespace(d: ResourceDescriptor, ns: string | undefined, creating: boolean): void {
    if (!d.namespaced) return;
    if (!ns) throw errors.badRequest('the server could not find the requested resource');
    const nsObj = this.store.get('/namespaces', undefined, ns);
    if (!nsObj) throw errors.notFound('namespaces', '', ns);
    if (creating && nsObj.metadata.deletionTimestamp) {
      throw errors.forbidden(
        `${d.resource}${d.group ? '.' + d.group : ''} is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        {
          name: ns,
          kind: 'namespaces',
          causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
        },
      );
    }
  }

  private validate(d: ResourceDescriptor, o: KubeObject, old?: KubeObject): void {
    normalizeMeta(o);
    const causes: StatusCause[] = [];
    const name = o.metadata.name ?? '';
    if (!old) causes.push(...validateName(name, d.nameRule, 'metadata.name'));
    causes.push(...validateLabels(o.metadata.labels, 'metadata.labels'));
    if (o.metadata.annotations !== undefined && !isObject(o.metadata.annotations)) {
      causes.push(fieldErrors.invalid('metadata.annotations', o.metadata.annotations, 'must be a map of strings'));
    } else if (o.metadata.annotations) {
      // Upstream's limit: kubectl's last-applied annotation makes big ConfigMaps hit it.
      const size = Object.entries(o.metadata.annotations).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
      if (size > 262144)
        causes.push({ reason: 'FieldValueTooLong', message: 'Too long: must have at most 262144 bytes', field: 'metadata.annotations' });
    }
    if (old?.metadata.deletionTimestamp) {
      const added = (o.metadata.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
      if (added.length)
        causes.push(
          fieldErrors.forbidden(
            'metadata.finalizers',
            'no new finalizers can be added if the object is being deleted, found new finalizers ' + JSON.stringify(added),
          ),
        );
    }
    if (d.custom) causes.push(...validateCustomResource(d, o));
    if (d.fields) causes.push(...enumCauses(o, d.fields));
    causes.push(...(d.validate?.(o, old) ?? []));
    if (causes.length) throw errors.invalid(d.kind, d.group, name, causes);
  }

  /** POST semantics. `ns` comes from the URL. */
  create(d: ResourceDescriptor, ns: string | undefined, body: KubeObject, opts: WriteOptions = {}): KubeObject {
    const o = clone(body);
    this.checkKind(d, o);
    o.apiVersion = d.group ? `${d.group}/${d.version}` : d.version;
    o.kind = d.kind;
    const m = o.metadata;
    if (d.namespaced) {
      if (m.namespace && ns && m.namespace !== ns)
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      m.namespace = ns ?? m.namespace;
    } else delete m.namespace;
    this.checkNamespace(d, m.namespace, true);
    if (m.resourceVersion) throw errors.internal('resourceVersion should not be set on objects to be created');
    if (d.createOnly) {
      d.defaults?.(o, this.hooks);
      this.validate(d, o);
      return o;
    }
    if (!m.name && m.generateName) m.name = m.generateName + this.hooks.randomSuffix();
    if (!m.name) throw errors.invalid(d.kind, d.group, '', [fieldErrors.required('metadata.name', 'name or generateName is required')]);
    m.uid = randomUUID();
    m.creationTimestamp = timestamp(this.now());
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    if (d.generation) m.generation = 1;
    else delete m.generation;
    if (d.subresources.includes('status') && !d.keepsStatusOnCreate) {
      // Status is written through /status by whoever owns it; a create may not set it.
      delete o['status'];
    }
    d.prepareForCreate?.(o, this.hooks);
    d.defaults?.(o, this.hooks);
    this.validate(d, o);
    if (opts.manager) trackManagedFields(d, undefined, o, opts.manager, this.now());
    if (this.store.get(storageKey(d), m.namespace, m.name)) throw errors.alreadyExists(d.resource, d.group, m.name);
    if (opts.dryRun) return o;
    const stored = this.store.create(storageKey(d), o);
    if (d.definesResources) this.options.onCrdChange?.(stored, false);
    return stored;
  }

  private checkKind(d: ResourceDescriptor, o: KubeObject): void {
    if (!isObject(o) || !isObject(o.metadata)) {
      if (isObject(o) && o.metadata === undefined) {
        (o as KubeObject).metadata = {};
        return;
      }
      throw errors.badRequest(`Object 'metadata' is invalid`);
    }
    if (o.kind && o.kind !== d.kind) {
      throw errors.badRequest(
        `${o.kind} in version "${d.version}" cannot be handled as a ${d.kind}: no kind "${o.kind}" is registered for version "${d.group ? d.group + '/' : ''}${d.version}"`,
      );
    }
  }

  /** PUT semantics (main resource or status). */
  update(d: ResourceDescriptor, ns: string | undefined, name: string, body: KubeObject, opts: WriteOptions = {}): KubeObject {
    const key = storageKey(d);
    const nsKey = d.namespaced ? ns : undefined;
    const old = this.store.get(key, nsKey, name);
    const input = clone(body);
    this.checkKind(d, input);
    if (input.metadata.name && input.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${input.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (d.namespaced && input.metadata.namespace && input.metadata.namespace !== ns) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (!old) {
      if (d.allowCreateOnUpdate && !opts.subresource) {
        delete input.metadata.resourceVersion;
        return this.create(d, ns, { ...input, metadata: { ...input.metadata, name } }, opts);
      }
      throw errors.notFound(d.resource, d.group, name);
    }
    const rv = input.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) {
      throw errors.conflict(
        d.resource,
        d.group,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    if (!rv && d.custom) {
      throw errors.invalid(d.kind, d.group, name, [
        fieldErrors.invalid('metadata.resourceVersion', '0x0', 'must be specified for an update'),
      ]);
    }
    let o: KubeObject;
    if (opts.subresource === 'status') {
      o = clone(old);
      if (input['status'] === undefined) delete o['status'];
      else o['status'] = input['status'];
    } else {
      o = input;
      if (d.subresources.includes('status')) {
        if (old['status'] === undefined) delete o['status'];
        else o['status'] = clone(old['status']);
      }
    }
    o.apiVersion = d.group ? `${d.group}/${d.version}` : d.version;
    o.kind = d.kind;
    const m = o.metadata;
    const om = old.metadata;
    m.name = name;
    if (d.namespaced) m.namespace = ns;
    else delete m.namespace;
    m.uid = om.uid;
    m.creationTimestamp = om.creationTimestamp;
    if (om.deletionTimestamp) m.deletionTimestamp = om.deletionTimestamp;
    else delete m.deletionTimestamp;
    if (om.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
    else delete m.deletionGracePeriodSeconds;
    m.resourceVersion = om.resourceVersion;
    if (m.managedFields === undefined && om.managedFields) m.managedFields = clone(om.managedFields);
    if (d.generation) {
      m.generation = om.generation ?? 1;
      d.defaults?.(o, this.hooks, old);
      if (!deepEqual(specPart(o), specPart(old))) m.generation += 1;
    } else {
      delete m.generation;
      d.defaults?.(o, this.hooks, old);
    }
    this.validate(d, o, old);
    if (opts.manager) trackManagedFields(d, old, o, opts.manager, this.now());
    // A write that changes nothing (managedFields timestamps aside) is a no-op, as upstream:
    // no new resourceVersion, no watch event.
    if (deepEqual(withoutTimes(o), withoutTimes(old))) return old;
    if (opts.dryRun) return o;
    if (this.shouldRemove(d, o)) return this.store.remove(key, o);
    const stored = this.store.update(key, o, old);
    if (d.definesResources) this.options.onCrdChange?.(stored, false);
    return stored;
  }

  /** A deleting object goes once no finalizer (and, for Terminating kinds, no spec finalizer) holds it. */
  private shouldRemove(d: ResourceDescriptor, o: KubeObject): boolean {
    const m = o.metadata;
    if (!m.deletionTimestamp || (m.finalizers?.length ?? 0) > 0) return false;
    if (d.terminating) {
      const fin = isObject(o['spec']) ? o['spec']['finalizers'] : undefined;
      return !Array.isArray(fin) || fin.length === 0;
    }
    return (m.deletionGracePeriodSeconds ?? 0) === 0;
  }

  /** DELETE semantics; `deleted` is false when the object stays (finalizers, grace, Terminating). */
  delete(d: ResourceDescriptor, ns: string | undefined, name: string, opts: DeleteOptions = {}): { object: KubeObject; deleted: boolean } {
    const key = storageKey(d);
    const old = this.get(d, ns, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw errors.conflict(
        d.resource,
        d.group,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.conflict(
        d.resource,
        d.group,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${old.metadata.resourceVersion}`,
      );
    }
    const o = clone(old);
    const m = o.metadata;
    const policy =
      opts.propagationPolicy ??
      (m.finalizers?.includes('orphan') ? 'Orphan' : m.finalizers?.includes('foregroundDeletion') ? 'Foreground' : undefined) ??
      d.defaultPropagation ??
      'Background';
    const finalizers = new Set(m.finalizers ?? []);
    if (policy === 'Orphan') {
      finalizers.add('orphan');
      finalizers.delete('foregroundDeletion');
    }
    if (policy === 'Foreground') {
      finalizers.add('foregroundDeletion');
      finalizers.delete('orphan');
    }
    if (policy === 'Background') {
      finalizers.delete('orphan');
      finalizers.delete('foregroundDeletion');
    }
    const now = this.now();
    const grace = d.gracePeriod ? d.gracePeriod(o, opts.gracePeriodSeconds) : 0;
    if (d.terminating) {
      if (isObject(o['status'])) o['status']['phase'] = 'Terminating';
      else o['status'] = { phase: 'Terminating' };
    }
    if (finalizers.size === 0 && grace === 0 && !d.terminating) {
      if (opts.dryRun) return { object: o, deleted: true };
      const gone = this.store.remove(key, old);
      if (d.definesResources) this.options.onCrdChange?.(gone, true);
      return { object: gone, deleted: true };
    }
    if (m.deletionTimestamp) {
      // Already deleting: a shorter grace period may bring the deadline forward, never back.
      const remaining = (Date.parse(m.deletionTimestamp) - now.getTime()) / 1000;
      if (grace < remaining) {
        m.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
        m.deletionGracePeriodSeconds = grace;
      }
    } else {
      m.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
      m.deletionGracePeriodSeconds = grace;
      if (d.generation && m.generation !== undefined) m.generation += 1;
    }
    m.finalizers = [...finalizers];
    if (m.finalizers.length === 0) delete m.finalizers;
    if (opts.dryRun) return { object: o, deleted: false };
    if (this.shouldRemove(d, o)) return { object: this.store.remove(key, o), deleted: true };
    if (deepEqual(o, old)) return { object: old, deleted: false };
    return { object: this.store.update(key, o, old), deleted: false };
  }
}

export { ApiError };
