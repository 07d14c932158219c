import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { PooledKubeConfig } from './pooled-kubeconfig.js';
import { BatonError } from '../errors.js';
import { KubeApiError, toKubeApiError } from './kube-errors.js';
import { describeRef, type KubeObject, type ObjectRef } from './kube-object.js';
import { CustomResourceClient } from './custom-resource-client.js';
import type { ExecOptions, ExecResult, KubeClient, KubeClientOptions, ListQuery, WatchUntilOptions } from './kube-client.js';
import { isPermanentKubeError, runResumableWatch, type RawWatchEvent } from './resumable-watch.js';
import { toWireJson } from './wire-json.js';

/** Exposes the client library's discovery (resource name and scope for an apiVersion/kind). */
class Discovery extends k8s.KubernetesObjectApi {
  async resourceFor(apiVersion: string, kind: string): Promise<{ plural: string; namespaced: boolean }> {
    const resource = await this.resource(apiVersion, kind);
    if (!resource) {
      throw new BatonError('KUBE_UNKNOWN_KIND', `the cluster does not serve ${kind} in ${apiVersion}`, {
        hint: 'install the CRD that defines it, or correct apiVersion/kind',
      });
    }
    return { plural: resource.name, namespaced: resource.namespaced };
  }
  static create(kc: k8s.KubeConfig): Discovery {
    const client = kc.makeApiClient(Discovery);
    client.setDefaultNamespace(kc);
    return client;
  }
}

/** KubeClient over @kubernetes/client-node: the kubeconfig's cluster, user and namespace. */
export class ClientNodeKubeClient implements KubeClient {
  readonly fieldManager: string;
  readonly defaultNamespace: string;
  private readonly kc: k8s.KubeConfig;
  private readonly objects: k8s.KubernetesObjectApi;
  private readonly discovery: Discovery;

  constructor(options: KubeClientOptions = {}) {
    const kc = new PooledKubeConfig();
    try {
      if (options.kubeconfigText !== undefined) kc.loadFromString(options.kubeconfigText);
      else if (options.kubeconfigPath !== undefined) kc.loadFromFile(options.kubeconfigPath);
      else kc.loadFromDefault();
    } catch (error) {
      throw new BatonError('KUBECONFIG_INVALID', `cannot load the kubeconfig: ${(error as Error).message}`, {
        cause: error,
        hint: 'pass --kubeconfig FILE or set KUBECONFIG to a valid kubeconfig',
      });
    }
    if (options.context !== undefined) {
      if (!kc.getContextObject(options.context)) {
        const known = kc.getContexts().map((c) => c.name);
        throw new BatonError(
          'USAGE',
          `--context ${options.context}: the kubeconfig has no such context (it has: ${known.join(', ') || 'none'})`,
          {
            hint: 'pick one of them (kubectl config get-contexts lists them), or drop --context to use the current one',
          },
        );
      }
      kc.setCurrentContext(options.context);
    }
    if (!kc.getCurrentCluster()) {
      throw new BatonError('KUBECONFIG_INVALID', 'the kubeconfig names no cluster', {
        hint: 'pass --kubeconfig FILE or set KUBECONFIG; `kubesim up --kubeconfig FILE` writes one for a local cluster',
      });
    }
    this.kc = kc;
    this.objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    this.discovery = Discovery.create(kc);
    this.fieldManager = options.fieldManager ?? 'baton';
    this.defaultNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  }

  /** Status subresource writes and long-lived watches of custom resources (the controller's needs). */
  customResources(): CustomResourceClient {
    return new CustomResourceClient(this.kc, this.fieldManager);
  }

  /** The API server's URL, for messages. */
  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '(unknown)';
  }

  /** Fails with KUBE_UNREACHABLE / 401 / 403 before anything changes. */
  async version(): Promise<string> {
    try {
      const info = await this.kc.makeApiClient(k8s.VersionApi).getCode();
      return info.gitVersion;
    } catch (error) {
      throw toKubeApiError(error, `GET ${this.server}/version`);
    }
  }

  async get<T extends KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    try {
      const header = {
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: ref.namespace ?? this.defaultNamespace },
      };
      return toWireJson(await this.objects.read(header)) as unknown as T;
    } catch (error) {
      const e = toKubeApiError(error, `get ${describeRef(ref)}`);
      if (e.notFound) return undefined;
      throw e;
    }
  }

  async list<T extends KubeObject>(query: ListQuery): Promise<{ items: T[]; resourceVersion: string }> {
    try {
      const list = await this.objects.list(
        query.apiVersion,
        query.kind,
        query.namespace,
        undefined,
        undefined,
        undefined,
        query.fieldSelector,
        query.labelSelector,
      );
      const items = (toWireJson(list.items) as unknown as T[]).map((item) => ({ ...item, apiVersion: query.apiVersion, kind: query.kind }));
      return { items, resourceVersion: list.metadata?.resourceVersion ?? '' };
    } catch (error) {
      throw toKubeApiError(error, `list ${query.kind} in ${query.namespace ?? 'all namespaces'}`);
    }
  }

  /** Server-side apply as baton's field manager. `force` takes over fields other managers own. */
  async apply<T extends KubeObject>(object: KubeObject, options: { force?: boolean; dryRun?: boolean } = {}): Promise<T> {
    const body = { ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? this.namespaceFor(object) } };
    delete (body.metadata as { resourceVersion?: string }).resourceVersion;
    delete (body.metadata as { managedFields?: unknown }).managedFields;
    try {
      return toWireJson(
        await this.objects.patch(
          body as k8s.KubernetesObject,
          undefined,
          options.dryRun ? 'All' : undefined,
          this.fieldManager,
          options.force ?? false,
          k8s.PatchStrategy.ServerSideApply,
        ),
      ) as unknown as T;
    } catch (error) {
      throw toKubeApiError(error, `apply ${describeRef({ ...object.metadata, apiVersion: object.apiVersion, kind: object.kind })}`);
    }
  }

  /** JSON merge patch (RFC 7386): for small targeted changes like a Service selector. */
  async mergePatch<T extends KubeObject>(ref: ObjectRef, patch: Record<string, unknown>): Promise<T> {
    const body = {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.name, namespace: ref.namespace ?? this.defaultNamespace },
      ...patch,
    };
    try {
      return toWireJson(
        await this.objects.patch(
          body as k8s.KubernetesObject,
          undefined,
          undefined,
          this.fieldManager,
          undefined,
          k8s.PatchStrategy.MergePatch,
        ),
      ) as unknown as T;
    } catch (error) {
      throw toKubeApiError(error, `patch ${describeRef(ref)}`);
    }
  }

  async create<T extends KubeObject>(object: KubeObject): Promise<T> {
    try {
      return toWireJson(await this.objects.create(object as k8s.KubernetesObject, undefined, undefined, this.fieldManager)) as unknown as T;
    } catch (error) {
      throw toKubeApiError(error, `create ${object.kind} ${object.metadata.name}`);
    }
  }

  /** PUT with the object's resourceVersion: fails with 409 when someone changed it meanwhile. */
  async replace<T extends KubeObject>(object: KubeObject): Promise<T> {
    try {
      return toWireJson(
        await this.objects.replace(object as k8s.KubernetesObject, undefined, undefined, this.fieldManager),
      ) as unknown as T;
    } catch (error) {
      throw toKubeApiError(error, `replace ${object.kind} ${object.metadata.name}`);
    }
  }

  /** Deletes; false when it was already gone. */
  async delete(
    ref: ObjectRef,
    options: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; gracePeriodSeconds?: number } = {},
  ): Promise<boolean> {
    try {
      const header = {
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: ref.namespace ?? this.defaultNamespace },
      };
      await this.objects.delete(
        header,
        undefined,
        undefined,
        options.gracePeriodSeconds,
        undefined,
        options.propagationPolicy ?? 'Background',
      );
      return true;
    } catch (error) {
      const e = toKubeApiError(error, `delete ${describeRef(ref)}`);
      if (e.notFound) return false;
      throw e;
    }
  }

  async watchUntil<T extends KubeObject, R>(
    query: ListQuery,
    decide: (objects: ReadonlyMap<string, T>) => R | undefined,
    options: WatchUntilOptions,
  ): Promise<R> {
    const path = await this.collectionPath(query);
    const watch = new k8s.Watch(this.kc);
    const params: Record<string, string | boolean> = { allowWatchBookmarks: true };
    if (query.labelSelector) params.labelSelector = query.labelSelector;
    if (query.fieldSelector) params.fieldSelector = query.fieldSelector;
    const what = options.what ?? query.kind;
    const stop = new AbortController();
    const objects = new Map<string, T>();
    let result: { value: R } | { error: unknown } | undefined;
    const check = (): void => {
      if (result) return;
      try {
        const value = decide(objects);
        if (value !== undefined) result = { value };
      } catch (error) {
        result = { error };
      }
      if (result) stop.abort();
    };
    const onAbort = (): void => {
      result ??= { error: new BatonError('ABORTED', `stopped waiting for ${what}`) };
      stop.abort();
    };
    const timer = setTimeout(() => {
      result ??= { error: new BatonError('KUBE_TIMEOUT', `timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${what}`) };
      stop.abort();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    try {
      await runResumableWatch<T>({
        signal: stop.signal,
        // Credentials, permissions and the query do not heal by retrying: the step fails with them.
        giveUp: isPermanentKubeError,
        source: {
          list: () => this.list<T>(query),
          watch: async (resourceVersion, onEvent: (event: RawWatchEvent) => void, onClose) =>
            await watch.watch(path, { ...params, resourceVersion }, (type: string, object: unknown) => onEvent({ type, object }), onClose),
        },
        onSync: (items) => {
          objects.clear();
          for (const item of items) objects.set(keyOf(item), item);
          check();
        },
        onEvent: (event) => {
          const withKind = { ...event.object, apiVersion: query.apiVersion, kind: query.kind };
          if (event.type === 'DELETED') objects.delete(keyOf(withKind));
          else objects.set(keyOf(withKind), withKind);
          check();
        },
      });
    } catch (error) {
      result ??= { error };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
    if (result && 'value' in result) return result.value;
    throw result?.error ?? new BatonError('ABORTED', `stopped waiting for ${what}`);
  }

  /** Runs argv in a container, like `kubectl exec`; output is captured and optionally streamed. */
  async exec(namespace: string, pod: string, container: string, command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const exec = new k8s.Exec(this.kc);
    let stdout = '';
    let stderr = '';
    const sink = (onChunk: ((s: string) => void) | undefined, append: (s: string) => void): Writable =>
      new Writable({
        write(chunk: Buffer, _enc, done) {
          const s = chunk.toString('utf8');
          append(s);
          onChunk?.(s);
          done();
        },
      });
    const out = sink(options.onStdout, (s) => {
      stdout += s;
    });
    const err = sink(options.onStderr, (s) => {
      stderr += s;
    });
    return await new Promise<ExecResult>((resolvePromise, rejectPromise) => {
      let socket: { close(): void } | undefined;
      let settled = false;
      const done = (fn: () => void): void => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          fn();
        }
      };
      const timer = setTimeout(() => {
        socket?.close();
        done(() =>
          rejectPromise(
            new BatonError(
              'EXEC_TIMEOUT',
              `command ${JSON.stringify(command)} in ${namespace}/${pod} did not finish within ${options.timeoutMs}ms; stopped it`,
            ),
          ),
        );
      }, options.timeoutMs ?? 60_000);
      options.signal?.addEventListener(
        'abort',
        () => {
          socket?.close();
          done(() => rejectPromise(new BatonError('ABORTED', 'exec cancelled')));
        },
        { once: true },
      );
      exec
        .exec(namespace, pod, container, command, out, err, null, false, (status) => {
          const exitCode = exitCodeOf(status);
          if (exitCode === undefined) {
            done(() =>
              rejectPromise(
                new KubeApiError(500, status.reason ?? 'ExecFailed', `exec in ${namespace}/${pod}: ${status.message ?? 'failed'}`),
              ),
            );
            return;
          }
          // Let the last stdout/stderr frames drain before resolving.
          setTimeout(() => done(() => resolvePromise({ exitCode, stdout, stderr })), 20);
        })
        .then(
          (ws) => {
            socket = ws;
            ws.on('close', () =>
              setTimeout(
                () => done(() => rejectPromise(new BatonError('EXEC_FAILED', `exec in ${namespace}/${pod} closed without an exit status`))),
                200,
              ),
            );
          },
          (error: unknown) => done(() => rejectPromise(toKubeApiError(error, `exec in ${namespace}/${pod}`))),
        );
    });
  }

  private namespaceFor(object: KubeObject): string | undefined {
    // Cluster-scoped kinds baton touches; everything else is namespaced.
    return [
      'Namespace',
      'Node',
      'CustomResourceDefinition',
      'IngressClass',
      'ClusterRole',
      'ClusterRoleBinding',
      'PriorityClass',
      'StorageClass',
    ].includes(object.kind)
      ? undefined
      : this.defaultNamespace;
  }

  private async collectionPath(query: ListQuery): Promise<string> {
    const { plural, namespaced } = await this.discovery.resourceFor(query.apiVersion, query.kind);
    const base = query.apiVersion.includes('/') ? `/apis/${query.apiVersion}` : `/api/${query.apiVersion}`;
    return namespaced && query.namespace ? `${base}/namespaces/${query.namespace}/${plural}` : `${base}/${plural}`;
  }
}

function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function exitCodeOf(status: {
  status?: string;
  reason?: string;
  details?: { causes?: Array<{ reason?: string; message?: string }> };
}): number | undefined {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message !== undefined) return Number(cause.message);
  return undefined;
}
