import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from './api-error.js';
import type { ResourceDescriptor } from './resource-descriptor.js';
import { storageKey } from './resource-registry.js';
import { matchesFields, matchesSelector, type FieldRequirement, type Selector } from './selectors.js';
import type { ObjectStore, StoreEvent } from './store/object-store.js';
import type { ResourceStorage } from './store/resource-storage.js';
import { toTable } from './table.js';
import type { KubeObject } from './types.js';

export interface WatchRequest {
  d: ResourceDescriptor;
  namespace: string | undefined;
  name?: string;
  labels: Selector;
  fields: FieldRequirement[];
  resourceVersion: string | null;
  allowBookmarks: boolean;
  sendInitialEvents: boolean | null;
  timeoutSeconds: number | null;
  table: boolean;
  bookmarkIntervalMs: number;
}

/** Bytes a watch may have queued for a client that does not read before it is closed. */
const maxBufferedBytes = 16 * 1024 * 1024;

/** Default watch lifetime when the client names none (the real server picks 30-60 minutes). */
const defaultTimeoutSeconds = 1800;

/**
 * Serves ?watch=1 as a chunked stream of JSON lines {type, object}. Semantics follow the real
 * server: rv unset/"0" starts with synthetic ADDED events for current state; a specific rv replays
 * history after it, or sends a 410 Expired ERROR event when history no longer reaches it.
 */
export function serveWatch(req: IncomingMessage, res: ServerResponse, w: WatchRequest, store: ObjectStore, storage: ResourceStorage): void {
  const key = storageKey(w.d);
  const matches = (o: KubeObject | undefined): boolean =>
    !!o &&
    (w.namespace === undefined || o.metadata.namespace === w.namespace) &&
    (w.name === undefined || o.metadata.name === w.name) &&
    matchesSelector(w.labels, o.metadata.labels) &&
    matchesFields(w.fields, o);
  const encode = (type: string, o: KubeObject): string => {
    const v = storage.view(w.d, o);
    const object = w.table && type !== 'BOOKMARK' && type !== 'ERROR' ? toTable(w.d, [v], v.metadata.resourceVersion ?? '', null) : v;
    return JSON.stringify({ type, object }) + '\n';
  };
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  let lastRv = store.resourceVersion;
  // Assigned once the subscription exists; until then there is nothing to tear down.
  let finish: () => void = () => undefined;
  const send = (e: StoreEvent): void => {
    // A selector watch sees objects entering (ADDED) and leaving (DELETED) the selection.
    const now = matches(e.object),
      before = e.type === 'MODIFIED' && matches(e.old);
    let type: string | undefined;
    if (e.type === 'ADDED' && now) type = 'ADDED';
    else if (e.type === 'DELETED' && (now || matches(e.old))) type = 'DELETED';
    else if (e.type === 'MODIFIED') type = now && before ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
    lastRv = e.rv;
    if (!type) return;
    res.write(encode(type, e.object));
    // A consumer that stops reading is cut off, as upstream drops watchers whose buffer fills;
    // the client re-lists and watches again instead of this process buffering without bound.
    if (res.writableLength > maxBufferedBytes) {
      finish();
      res.destroy();
    }
  };

  const rv = w.resourceVersion;
  const initial = w.sendInitialEvents ?? (!rv || rv === '0');
  if (rv && rv !== '0' && !w.sendInitialEvents) {
    const n = Number(rv);
    const events = Number.isFinite(n) ? store.eventsSince(n, key) : 'expired';
    if (events === 'expired') {
      const err = errors.gone(`too old resource version: ${rv} (${store.oldestResumableRv})`).toStatus();
      res.end(JSON.stringify({ type: 'ERROR', object: err }) + '\n');
      return;
    }
    for (const e of events) send(e);
  } else if (initial) {
    for (const o of store.list(key, w.d.namespaced ? w.namespace : undefined)) if (matches(o)) res.write(encode('ADDED', o));
    if (w.sendInitialEvents && w.allowBookmarks) {
      const bm = {
        kind: w.d.kind,
        apiVersion: w.d.group ? `${w.d.group}/${w.d.version}` : w.d.version,
        metadata: { resourceVersion: String(store.resourceVersion), annotations: { 'k8s.io/initial-events-end': 'true' } },
      };
      res.write(JSON.stringify({ type: 'BOOKMARK', object: bm }) + '\n');
    }
  }
  lastRv = store.resourceVersion;
  const crdName = `${w.d.resource}.${w.d.group}`;
  const unsubscribe = store.subscribe((e) => {
    if (e.key === key) send(e);
    // A custom resource's watches end when its CRD goes, as upstream's do.
    else if (
      w.d.custom &&
      e.type === 'DELETED' &&
      e.key === 'apiextensions.k8s.io/customresourcedefinitions' &&
      e.object.metadata.name === crdName
    ) {
      setImmediate(() => {
        finish();
        res.end();
      });
    }
  });
  const bookmark = (): void => {
    const bm = {
      kind: w.d.kind,
      apiVersion: w.d.group ? `${w.d.group}/${w.d.version}` : w.d.version,
      metadata: { resourceVersion: String(Math.max(lastRv, store.resourceVersion)) },
    };
    res.write(JSON.stringify({ type: 'BOOKMARK', object: bm }) + '\n');
  };
  const timers: NodeJS.Timeout[] = [];
  if (w.allowBookmarks) timers.push(setInterval(bookmark, w.bookmarkIntervalMs));
  finish = (): void => {
    unsubscribe();
    for (const t of timers) {
      clearInterval(t);
      clearTimeout(t);
    }
  };
  timers.push(
    setTimeout(
      () => {
        finish();
        res.end();
      },
      (w.timeoutSeconds ?? defaultTimeoutSeconds) * 1000,
    ),
  );
  req.on('close', finish);
  res.on('close', finish);
}
