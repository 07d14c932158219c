import * as k8s from '@kubernetes/client-node';
import { toKubeApiError } from './kube-errors.js';
import type { KubeObject } from './kube-object.js';

/** A custom resource kind: group, version and plural, as the API paths need them. */
export interface CustomKind {
  group: string;
  version: string;
  plural: string;
}

/** What a watch delivers: the change type and the object after it. */
export type WatchEvent<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T };

/**
 * The parts of the API a controller needs beyond CRUD: the status subresource (replace with the
 * object's resourceVersion, so a stale write is a 409; merge patch, for humans' control fields)
 * and a long-lived watch of a namespaced kind. Errors come out as KubeApiError.
 */
export class CustomResourceClient {
  private readonly api: k8s.CustomObjectsApi;

  constructor(private readonly kc: k8s.KubeConfig, private readonly fieldManager: string) {
    this.api = kc.makeApiClient(k8s.CustomObjectsApi);
  }

  /** PUT …/status carrying metadata.resourceVersion: 409 when someone wrote the object meanwhile. */
  async replaceStatus<T extends KubeObject>(kind: CustomKind, object: T): Promise<T> {
    const namespace = object.metadata.namespace ?? 'default';
    try {
      return (await this.api.replaceNamespacedCustomObjectStatus({
        group: kind.group, version: kind.version, plural: kind.plural, namespace, name: object.metadata.name,
        body: object, fieldManager: this.fieldManager,
      })) as T;
    } catch (error) {
      throw toKubeApiError(error, `update status of ${kind.plural}/${object.metadata.name} in ${namespace}`);
    }
  }

  /** JSON merge patch of …/status (RFC 7386): the way promote/abort/pause/retry are asked for. */
  async mergePatchStatus<T extends KubeObject>(kind: CustomKind, namespace: string, name: string, patch: Record<string, unknown>): Promise<T> {
    try {
      return (await this.api.patchNamespacedCustomObjectStatus(
        { group: kind.group, version: kind.version, plural: kind.plural, namespace, name, body: patch, fieldManager: this.fieldManager },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      )) as T;
    } catch (error) {
      throw toKubeApiError(error, `patch status of ${kind.plural}/${name} in ${namespace}`);
    }
  }

  /**
   * Lists, then watches from the list's resourceVersion, calling `onEvent` for every object
   * (ADDED for each listed one) until `signal` aborts. A watch the server closes (timeout, 410
   * Gone, a network error) is re-listed and resumed, so callers see every object's latest state;
   * `onRelist` is told each time, with the error if there was one.
   */
  async watch<T extends KubeObject>(
    kind: CustomKind,
    options: { namespace?: string; signal: AbortSignal; onEvent: (event: WatchEvent<T>) => void; onRelist?: (error?: unknown) => void },
  ): Promise<void> {
    const base = `/apis/${kind.group}/${kind.version}`;
    const path = options.namespace ? `${base}/namespaces/${options.namespace}/${kind.plural}` : `${base}/${kind.plural}`;
    const watcher = new k8s.Watch(this.kc);
    const apiVersion = `${kind.group}/${kind.version}`;
    while (!options.signal.aborted) {
      let error: unknown;
      try {
        const listed = (options.namespace
          ? await this.api.listNamespacedCustomObject({ group: kind.group, version: kind.version, plural: kind.plural, namespace: options.namespace })
          : await this.api.listClusterCustomObject({ group: kind.group, version: kind.version, plural: kind.plural })) as { items: T[]; metadata?: { resourceVersion?: string } };
        for (const item of listed.items) options.onEvent({ type: 'ADDED', object: { ...item, apiVersion } });
        const closed = new Promise<unknown>((resolve) => {
          void watcher.watch(path, { resourceVersion: listed.metadata?.resourceVersion ?? '', allowWatchBookmarks: true }, (type, object: T) => {
            if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') options.onEvent({ type, object: { ...object, apiVersion } });
          }, (err: unknown) => resolve(err)).then((controller) => {
            if (options.signal.aborted) controller.abort();
            else options.signal.addEventListener('abort', () => { controller.abort(); resolve(undefined); }, { once: true });
          }, (err: unknown) => resolve(err));
        });
        error = await closed;
      } catch (caught) {
        error = toKubeApiError(caught, `list ${kind.plural}`);
      }
      if (options.signal.aborted) return;
      options.onRelist?.(error);
      await new Promise((resolve) => setTimeout(resolve, error ? 1000 : 100));
    }
  }
}
