import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from './api-error.js';
import { mediaType, parseBody, readBody, readBodyBytes, sendJson } from './http-io.js';
import { decodeKubernetesProtobuf } from './protobuf-decoder.js';
import { applyJsonPatch } from './patch/json-patch.js';
import { applyMergePatch } from './patch/merge-patch.js';
import { serverSideApply } from './patch/server-side-apply.js';
import { applyStrategicMergePatch } from './patch/strategic-merge-patch.js';
import type { FieldManager } from './patch/managed-fields.js';
import type { ResourceDescriptor } from './resource-descriptor.js';
import { storageKey, type ResourceRegistry } from './resource-registry.js';
import type { RequestTarget } from './request-info.js';
import { matchesFields, matchesSelector, parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { ObjectStore } from './store/object-store.js';
import type { DeleteOptions, ResourceStorage } from './store/resource-storage.js';
import type { ListSnapshots } from './list-snapshots.js';
import { toTable, wantsTable } from './table.js';
import { decodeBody } from './decode/strict-decoder.js';
import { isObject, type KubeObject } from './types.js';
import { serveWatch } from './watch-handler.js';
import { bindPod, evictPod, readScale, writeScale } from './subresources.js';

export interface HandlerContext {
  storage: ResourceStorage;
  store: ObjectStore;
  registry: ResourceRegistry;
  bookmarkIntervalMs: number;
  /** Remaining pages of paginated lists. */
  snapshots: ListSnapshots;
  now(): Date;
  /** The Kubernetes minor served (1.26-1.32): which fields the decoder knows. */
  minor: number;
  /** pods/log and pods/exec: proxied to the pod's kubelet. */
  proxyToKubelet(
    req: IncomingMessage,
    res: ServerResponse,
    pod: KubeObject,
    subresource: 'log' | 'exec' | 'portforward',
    query: URLSearchParams,
  ): Promise<void>;
  /** Mutating/validating admission of a create from a client (ServiceAccount admission for pods). */
  admitCreate?(d: ResourceDescriptor, namespace: string | undefined, body: KubeObject): void;
  /** The status of a review kind (access reviews, whoami, TokenReview) for the caller. */
  answerReview?(d: ResourceDescriptor, review: KubeObject, req: IncomingMessage, namespace: string | undefined): unknown;
  /** serviceaccounts/NAME/token: a TokenRequest answered with a signed token. */
  requestToken?(namespace: string, name: string, body: unknown): Record<string, unknown>;
}

type Target = Extract<RequestTarget, { type: 'resource' }>;

const patchTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

function truthy(v: string | null): boolean {
  return v === '1' || v === 'true';
}

/** The fieldManager of a write: the query parameter, else the user agent's product name (as upstream). */
function managerName(req: IncomingMessage, q: URLSearchParams): string {
  const explicit = q.get('fieldManager');
  if (explicit) return explicit;
  const ua = String(req.headers['user-agent'] ?? 'unknown');
  return ua.split('/')[0] || 'unknown';
}

function deleteOptions(body: unknown, q: URLSearchParams): DeleteOptions {
  const b = isObject(body) ? body : {};
  const opts: DeleteOptions = {};
  const grace = b['gracePeriodSeconds'] ?? (q.get('gracePeriodSeconds') !== null ? Number(q.get('gracePeriodSeconds')) : undefined);
  if (typeof grace === 'number' && Number.isFinite(grace)) opts.gracePeriodSeconds = grace;
  const policy = b['propagationPolicy'] ?? q.get('propagationPolicy') ?? undefined;
  const orphan = b['orphanDependents'] ?? (q.get('orphanDependents') !== null ? truthy(q.get('orphanDependents')) : undefined);
  if (policy !== undefined && policy !== null) {
    if (policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
      throw errors.invalid('DeleteOptions', '', '', [
        {
          reason: 'FieldValueNotSupported',
          field: 'propagationPolicy',
          message: `Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`,
        },
      ]);
    }
    opts.propagationPolicy = policy;
  } else if (orphan === true) opts.propagationPolicy = 'Orphan';
  else if (orphan === false) opts.propagationPolicy = 'Background';
  if (isObject(b['preconditions'])) opts.preconditions = b['preconditions'] as DeleteOptions['preconditions'] & object;
  const dry = b['dryRun'] ?? q.getAll('dryRun');
  if (Array.isArray(dry) && dry.includes('All')) opts.dryRun = true;
  return opts;
}

/** A POST/PUT body: JSON (also without a content type), YAML, or kubectl's protobuf; else 415. */
async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const ct = mediaType(req);
  if (ct === 'application/vnd.kubernetes.protobuf') return decodeKubernetesProtobuf(await readBodyBytes(req));
  if (ct && ct !== 'application/json' && ct !== 'application/yaml') {
    throw errors.unsupportedMediaType(ct, ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
  }
  return parseBody(await readBody(req), ct === 'application/yaml');
}

function asObject(v: unknown): KubeObject {
  if (!isObject(v)) throw errors.badRequest("Object 'Kind' is missing in the request body");
  if (!isObject(v['metadata'])) v['metadata'] = {};
  return v as KubeObject;
}

function listObjects(ctx: HandlerContext, d: ResourceDescriptor, ns: string | undefined, q: URLSearchParams): KubeObject[] {
  const labels = parseLabelSelector(q.get('labelSelector'));
  const fields = parseFieldSelector(q.get('fieldSelector'), ['metadata.name', 'metadata.namespace', ...(d.fieldLabels ?? [])]);
  return ctx.store
    .list(storageKey(d), d.namespaced ? ns : undefined)
    .filter((o) => matchesSelector(labels, o.metadata.labels) && matchesFields(fields, o))
    .map((o) => ctx.storage.view(d, o));
}

/**
 * Decodes a body of a built-in kind as the real server does (decode/strict-decoder.ts): a type or
 * timestamp error is a 400; unknown fields are dropped and reported in Warning headers (the
 * default, "Warn"), dropped silently ("Ignore"), or a 400 ("Strict"), as the real fieldValidation.
 */
function checkFields(
  d: ResourceDescriptor,
  obj: KubeObject,
  q: URLSearchParams,
  res: ServerResponse,
  minor: number,
  options: { keepZeros?: boolean } = {},
): void {
  if (!d.fields) return;
  const { error, unknown } = decodeBody(obj, d.fields, minor, options);
  const cannot = `${d.kind} in version "${d.version}" cannot be handled as a ${d.kind}`;
  if (error !== undefined) throw errors.badRequest(`${cannot}: ${error}`);
  if (unknown.length === 0) return;
  const mode = q.get('fieldValidation') ?? 'Warn';
  if (mode === 'Strict') {
    throw errors.badRequest(`${cannot}: strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
  }
  if (mode !== 'Ignore')
    res.setHeader(
      'Warning',
      unknown.map((u) => `299 - "unknown field \\"${u}\\""`),
    );
}

function listKind(d: ResourceDescriptor): string {
  return `${d.kind}List`;
}

/** GET of a collection: list (limit/continue pages through a snapshot) or Table. */
function list(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: HandlerContext,
  d: ResourceDescriptor,
  ns: string | undefined,
  q: URLSearchParams,
): void {
  let items: KubeObject[];
  let rv = String(ctx.store.resourceVersion);
  const cont = q.get('continue');
  if (cont) {
    const snap = ctx.snapshots.take(cont);
    if (snap === 'invalid')
      throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    if (!snap) {
      throw errors.gone(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    }
    ({ items, rv } = snap);
  } else items = listObjects(ctx, d, ns, q);
  const meta: Record<string, unknown> = { resourceVersion: rv };
  const limit = Number(q.get('limit') ?? 0);
  if (limit > 0 && items.length > limit) {
    meta['continue'] = ctx.snapshots.save(items.slice(limit), rv);
    meta['remainingItemCount'] = items.length - limit;
    items = items.slice(0, limit);
  }
  if (wantsTable(req.headers.accept)) {
    sendJson(res, 200, { ...toTable(d, items, rv, q.get('includeObject')), metadata: meta });
    return;
  }
  sendJson(res, 200, { apiVersion: d.group ? `${d.group}/${d.version}` : d.version, kind: listKind(d), metadata: meta, items });
}

function respond(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: HandlerContext,
  d: ResourceDescriptor,
  code: number,
  o: KubeObject,
  q: URLSearchParams,
): void {
  const v = ctx.storage.view(d, o);
  if (wantsTable(req.headers.accept)) sendJson(res, code, toTable(d, [v], v.metadata.resourceVersion ?? '', q.get('includeObject')));
  else sendJson(res, code, v);
}

async function patch(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: HandlerContext,
  d: ResourceDescriptor,
  t: Target,
  q: URLSearchParams,
): Promise<void> {
  const ct = mediaType(req);
  const accepted = d.custom ? patchTypes.filter((p) => !p.includes('strategic')) : patchTypes;
  if (!accepted.includes(ct)) throw errors.unsupportedMediaType(ct, accepted);
  const name = t.name!;
  const ns = t.namespace;
  const dryRun = q.getAll('dryRun').includes('All');
  const body = parseBody(await readBody(req), ct === 'application/apply-patch+yaml');
  if (ct === 'application/apply-patch+yaml') {
    const manager = q.get('fieldManager');
    if (!manager)
      throw errors.badRequest('PATCH requests with apply content type (application/apply-patch+yaml) must specify a fieldManager');
    const applied = asObject(body);
    const apiVersion = d.group ? `${d.group}/${d.version}` : d.version;
    if (applied.apiVersion !== apiVersion || applied.kind !== d.kind) {
      throw errors.badRequest(
        `the ${applied.apiVersion ? 'kind' : 'apiVersion'} in the applied object (${String(applied.kind ?? applied.apiVersion)}) does not match the request (${d.kind}, ${apiVersion})`,
      );
    }
    if (applied.metadata.name && applied.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    }
    applied.metadata.name = name;
    checkFields(d, applied, q, res, ctx.minor, { keepZeros: true });
    // Like upstream's reset fields: an apply to the main resource does not set (or own) status,
    // an apply to /status sets nothing else.
    if (d.subresources.includes('status')) {
      if (t.subresource === 'status') {
        for (const k of Object.keys(applied)) if (!['apiVersion', 'kind', 'metadata', 'status'].includes(k)) delete applied[k];
        applied.metadata = { name, ...(applied.metadata.namespace ? { namespace: applied.metadata.namespace } : {}) };
      } else delete applied['status'];
    }
    const live = ctx.store.get(storageKey(d), d.namespaced ? ns : undefined, name);
    const result = serverSideApply({
      d,
      live: live ? ctx.storage.view(d, live) : undefined,
      applied,
      manager,
      force: truthy(q.get('force')),
      now: ctx.now(),
    });
    // What Go stores of the merged object: zero values of omitempty fields are not written back.
    if (d.fields) decodeBody(result, d.fields, ctx.minor);
    const mgr: FieldManager = { name: manager, operation: 'Apply' };
    if (!live) {
      respond(req, res, ctx, d, 201, ctx.storage.create(d, ns, result, { dryRun, manager: mgr }), q);
      return;
    }
    const sub = t.subresource === 'status' ? ('status' as const) : '';
    respond(req, res, ctx, d, 200, ctx.storage.update(d, ns, name, result, { dryRun, manager: mgr, subresource: sub }), q);
    return;
  }
  const live = ctx.storage.view(d, ctx.storage.get(d, ns, name));
  const apply = (base: unknown): unknown =>
    ct === 'application/json-patch+json'
      ? applyJsonPatch(base, body)
      : ct === 'application/merge-patch+json'
        ? applyMergePatch(base, body)
        : applyStrategicMergePatch(base, body, d.kind);
  const mgr: FieldManager = { name: managerName(req, q), operation: 'Update' };
  if (t.subresource === 'scale') {
    const scale = apply(readScale(d, live));
    sendJson(res, 200, readScale(d, writeScale(ctx.storage, d, live, asObject(scale), { dryRun, manager: mgr })));
    return;
  }
  const patched = asObject(apply(live));
  checkFields(d, patched, q, res, ctx.minor);
  const sub = t.subresource === 'status' ? ('status' as const) : '';
  if (sub) mgr.subresource = 'status';
  respond(req, res, ctx, d, 200, ctx.storage.update(d, ns, name, patched, { dryRun, manager: mgr, subresource: sub }), q);
}

/** Serves every /api and /apis resource URL. */
export async function handleResource(req: IncomingMessage, res: ServerResponse, url: URL, t: Target, ctx: HandlerContext): Promise<void> {
  const d = ctx.registry.find(t.group, t.version, t.resource);
  if (!d) throw errors.notFoundPath();
  const q = url.searchParams;
  const ns = d.namespaced ? t.namespace : undefined;
  const method = req.method ?? 'GET';
  const sub = t.subresource;
  if (sub !== undefined && !d.subresources.includes(sub as never)) throw errors.notFoundPath();
  if (d.namespaced && !ns && (t.name !== undefined || method !== 'GET')) throw errors.notFoundPath();
  const dryRun = q.getAll('dryRun').includes('All');
  const mgr = (subresource?: string): FieldManager => ({
    name: managerName(req, q),
    operation: 'Update',
    ...(subresource ? { subresource } : {}),
  });

  if (d.createOnly && (method !== 'POST' || t.name !== undefined)) throw errors.methodNotAllowed(method);
  const isWatch = method === 'GET' && sub === undefined && (truthy(q.get('watch')) || t.legacyWatch);
  if (isWatch) {
    const timeout = q.get('timeoutSeconds');
    const sie = q.get('sendInitialEvents');
    serveWatch(
      req,
      res,
      {
        d,
        namespace: ns,
        ...(t.name !== undefined ? { name: t.name } : {}),
        labels: parseLabelSelector(q.get('labelSelector')),
        fields: parseFieldSelector(q.get('fieldSelector'), ['metadata.name', 'metadata.namespace', ...(d.fieldLabels ?? [])]),
        resourceVersion: q.get('resourceVersion'),
        allowBookmarks: truthy(q.get('allowWatchBookmarks')),
        sendInitialEvents: sie === null ? null : truthy(sie),
        timeoutSeconds: timeout ? Number(timeout) : null,
        table: wantsTable(req.headers.accept),
        bookmarkIntervalMs: ctx.bookmarkIntervalMs,
      },
      ctx.store,
      ctx.storage,
    );
    return;
  }

  if (t.name === undefined) {
    if (method === 'GET') {
      list(req, res, ctx, d, ns, q);
      return;
    }
    if (method === 'POST') {
      const body = asObject(await bodyOf(req));
      checkFields(d, body, q, res, ctx.minor);
      ctx.admitCreate?.(d, ns, body);
      const created = ctx.storage.create(d, ns, body, d.createOnly ? {} : { dryRun, manager: mgr() });
      if (d.createOnly && ctx.answerReview) created['status'] = ctx.answerReview(d, created, req, ns);
      respond(req, res, ctx, d, 201, created, q);
      return;
    }
    if (method === 'DELETE') {
      const text = await readBody(req);
      const opts = deleteOptions(text.trim() ? parseBody(text, false) : undefined, q);
      const items = listObjects(ctx, d, ns, q).map((o) => ctx.storage.delete(d, o.metadata.namespace, o.metadata.name ?? '', opts).object);
      sendJson(res, 200, {
        apiVersion: d.group ? `${d.group}/${d.version}` : d.version,
        kind: listKind(d),
        metadata: { resourceVersion: String(ctx.store.resourceVersion) },
        items,
      });
      return;
    }
    throw errors.methodNotAllowed(method);
  }

  const name = t.name;
  switch (`${method} ${sub ?? ''}`) {
    case 'GET ':
    case 'GET status':
      respond(req, res, ctx, d, 200, ctx.storage.get(d, ns, name), q);
      return;
    case 'GET scale':
      sendJson(res, 200, readScale(d, ctx.storage.view(d, ctx.storage.get(d, ns, name))));
      return;
    case 'PUT ':
    case 'PUT status': {
      const body = asObject(await bodyOf(req));
      checkFields(d, body, q, res, ctx.minor);
      respond(
        req,
        res,
        ctx,
        d,
        200,
        ctx.storage.update(d, ns, name, body, { dryRun, manager: mgr(sub), subresource: sub === 'status' ? 'status' : '' }),
        q,
      );
      return;
    }
    case 'PUT scale': {
      const live = ctx.storage.view(d, ctx.storage.get(d, ns, name));
      sendJson(res, 200, readScale(d, writeScale(ctx.storage, d, live, asObject(await bodyOf(req)), { dryRun, manager: mgr() })));
      return;
    }
    case 'PUT finalize': {
      const body = asObject(await bodyOf(req));
      const live = structuredClone(ctx.storage.get(d, ns, name));
      live['spec'] = {
        ...(isObject(live['spec']) ? live['spec'] : {}),
        finalizers: isObject(body['spec']) ? (body['spec']['finalizers'] ?? []) : [],
      };
      respond(req, res, ctx, d, 200, ctx.storage.update(d, ns, name, live, { dryRun }), q);
      return;
    }
    case 'PATCH ':
    case 'PATCH status':
    case 'PATCH scale':
      await patch(req, res, ctx, d, t, q);
      return;
    case 'DELETE ': {
      const text = await readBody(req);
      const opts = deleteOptions(text.trim() ? parseBody(text, false) : undefined, q);
      const r = ctx.storage.delete(d, ns, name, opts);
      respond(req, res, ctx, d, 200, r.object, q);
      return;
    }
    case 'POST binding':
      sendJson(res, 201, bindPod(ctx.storage, d, ns ?? '', name, asObject(await bodyOf(req))));
      return;
    case 'POST eviction':
      sendJson(res, 201, evictPod(ctx.storage, d, ns ?? '', name, await bodyOf(req)));
      return;
    case 'GET log':
      await ctx.proxyToKubelet(req, res, ctx.storage.get(d, ns, name), 'log', q);
      return;
    case 'GET exec':
    case 'POST exec':
      await ctx.proxyToKubelet(req, res, ctx.storage.get(d, ns, name), 'exec', q);
      return;
    case 'GET portforward':
    case 'POST portforward':
      await ctx.proxyToKubelet(req, res, ctx.storage.get(d, ns, name), 'portforward', q);
      return;
    case 'POST token': {
      if (!ctx.requestToken) throw errors.notFoundPath();
      const body = await bodyOf(req);
      sendJson(res, 201, ctx.requestToken(ns ?? '', name, body));
      return;
    }
    default:
      throw errors.methodNotAllowed(method);
  }
}
