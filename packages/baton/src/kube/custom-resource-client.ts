import * as k8s from '@kubernetes/client-node';
import { toKubeApiError } from './kube-errors.js';
import type { KubeObject } from './kube-object.js';
import { runResumableWatch, type WatchEvent } from './resumable-watch.js';

export type { WatchEvent } from './resumable-watch.js';

/** A custom resource kind: group, version and plural, as the API paths need them. */
export interface CustomKind {
  group: string;
  version: string;
  plural: string;
}

/**
 * The parts of the API a controller needs beyond CRUD: the status subresource (replace with the
 * object's resourceVersion, so a stale write is a 409; merge patch, for humans' control fields)
 * and a long-lived watch of a namespaced kind. Errors come out as KubeApiError.
 */
export class CustomResourceClient {
  private readonly api: k8s.CustomObjectsApi;

  constructor(
    private readonly kc: k8s.KubeConfig,
    private readonly fieldManager: string,
  ) {
    this.api = kc.makeApiClient(k8s.CustomObjectsApi);
  }

  /** PUT …/status carrying metadata.resourceVersion: 409 when someone wrote the object meanwhile. */
  async replaceStatus<T extends KubeObject>(kind: CustomKind, object: T): Promise<T> {
    const namespace = object.metadata.namespace ?? 'default';
    try {
      return (await this.api.replaceNamespacedCustomObjectStatus({
        group: kind.group,
        version: kind.version,
        plural: kind.plural,
        namespace,
        name: object.metadata.name,
        body: object,
        fieldManager: this.fieldManager,
      })) as T;
    } catch (error) {
      throw toKubeApiError(error, `update status of ${kind.plural}/${object.metadata.name} in ${namespace}`);
    }
  }

  /** JSON merge patch of …/status (RFC 7386): the way promote/abort/pause/retry are asked for. */
  async mergePatchStatus<T extends KubeObject>(
    kind: CustomKind,
    namespace: string,
    name: string,
    patch: Record<string, unknown>,
  ): Promise<T> {
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
   * (ADDED for each listed one) until `signal` aborts. A watch the server closes resumes from the
   * last resourceVersion; 410 Gone lists again; failures back off (resumable-watch.ts). `onRelist`
   * is told each time a new watch opens, with the error if there was one.
   */
  async watch<T extends KubeObject>(
    kind: CustomKind,
    options: { namespace?: string; signal: AbortSignal; onEvent: (event: WatchEvent<T>) => void; onRelist?: (error?: unknown) => void },
  ): Promise<void> {
    const base = `/apis/${kind.group}/${kind.version}`;
    const path = options.namespace ? `${base}/namespaces/${options.namespace}/${kind.plural}` : `${base}/${kind.plural}`;
    const watcher = new k8s.Watch(this.kc);
    const apiVersion = `${kind.group}/${kind.version}`;
    const { group, version, plural } = kind;
    await runResumableWatch<T>({
      signal: options.signal,
      source: {
        list: async () => {
          try {
            const listed = (
              options.namespace
                ? await this.api.listNamespacedCustomObject({ group, version, plural, namespace: options.namespace })
                : await this.api.listClusterCustomObject({ group, version, plural })
            ) as { items: T[]; metadata?: { resourceVersion?: string } };
            return { items: listed.items, resourceVersion: listed.metadata?.resourceVersion ?? '' };
          } catch (error) {
            throw toKubeApiError(error, `list ${plural}`);
          }
        },
        watch: async (resourceVersion, onEvent, onClose) =>
          await watcher.watch(
            path,
            { resourceVersion, allowWatchBookmarks: true },
            (type: string, object: unknown) => onEvent({ type, object }),
            onClose,
          ),
      },
      onSync: (items) => {
        for (const item of items) options.onEvent({ type: 'ADDED', object: { ...item, apiVersion } });
      },
      onEvent: (event) => options.onEvent({ type: event.type, object: { ...event.object, apiVersion } }),
      onRestart: (restart) => options.onRelist?.(restart.error),
    });
  }
}
