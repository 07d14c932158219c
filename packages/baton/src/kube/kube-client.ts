import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { BatonError } from '../errors.js';
import { KubeApiError, toKubeApiError } from './kube-errors.js';
import { describeRef, type KubeObject, type ObjectRef } from './kube-object.js';
import { CustomResourceClient } from './custom-resource-client.js';
import { toWireJson } from './wire-json.js';

export interface KubeClientOptions {
  /** Path of a kubeconfig file; default: $KUBECONFIG, then ~/.kube/config. */
  kubeconfigPath?: string;
  /** Kubeconfig YAML text (tests); wins over the path. */
  kubeconfigText?: string;
  context?: string;
  /** Field manager for server-side apply. */
  fieldManager?: string;
}

export interface ListQuery {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ExecResult { exitCode: number; stdout: string; stderr: string }

export interface ExecOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Live output, e.g. to the terminal. */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

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

/**
 * The only door to the Kubernetes API. Everything baton does to a cluster goes through here:
 * server-side apply, reads, watches, exec. Errors come out as KubeApiError.
 */
export class KubeClient {
  readonly fieldManager: string;
  readonly defaultNamespace: string;
  private readonly kc: k8s.KubeConfig;
  private readonly objects: k8s.KubernetesObjectApi;
  private readonly discovery: Discovery;

  constructor(options: KubeClientOptions = {}) {
    const kc = new k8s.KubeConfig();
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
        throw new BatonError('USAGE', `--context ${options.context}: the kubeconfig has no such context (it has: ${known.join(', ') || 'none'})`, {
          hint: 'pick one of them (kubectl config get-contexts lists them), or drop --context to use the current one',
        });
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
  customResources(): CustomResourceClient { return new CustomResourceClient(this.kc, this.fieldManager); }

  /** The API server's URL, for messages. */
  get server(): string { return this.kc.getCurrentCluster()?.server ?? '(unknown)'; }

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
      const header = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace ?? this.defaultNamespace } };
      return toWireJson(await this.objects.read(header)) as unknown as T;
    } catch (error) {
      const e = toKubeApiError(error, `get ${describeRef(ref)}`);
      if (e.notFound) return undefined;
      throw e;
    }
  }

  async list<T extends KubeObject>(query: ListQuery): Promise<{ items: T[]; resourceVersion: string }> {
    try {
      const list = await this.objects.list(query.apiVersion, query.kind, query.namespace, undefined, undefined, undefined,
        query.fieldSelector, query.labelSelector);
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
      return toWireJson(await this.objects.patch(body as k8s.KubernetesObject, undefined, options.dryRun ? 'All' : undefined,
        this.fieldManager, options.force ?? false, k8s.PatchStrategy.ServerSideApply)) as unknown as T;
    } catch (error) {
      throw toKubeApiError(error, `apply ${describeRef({ ...object.metadata, apiVersion: object.apiVersion, kind: object.kind })}`);
    }
  }

  /** JSON merge patch (RFC 7386): for small targeted changes like a Service selector. */
  async mergePatch<T extends KubeObject>(ref: ObjectRef, patch: Record<string, unknown>): Promise<T> {
    const body = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace ?? this.defaultNamespace }, ...patch };
    try {
      return toWireJson(await this.objects.patch(body as k8s.KubernetesObject, undefined, undefined, this.fieldManager, undefined,
        k8s.PatchStrategy.MergePatch)) as unknown as T;
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
      return toWireJson(await this.objects.replace(object as k8s.KubernetesObject, undefined, undefined, this.fieldManager)) as unknown as T;
    } catch (error) {
      throw toKubeApiError(error, `replace ${object.kind} ${object.metadata.name}`);
    }
  }

  /** Deletes; false when it was already gone. */
  async delete(ref: ObjectRef, options: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; gracePeriodSeconds?: number } = {}): Promise<boolean> {
    try {
      const header = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace ?? this.defaultNamespace } };
      await this.objects.delete(header, undefined, undefined, options.gracePeriodSeconds, undefined, options.propagationPolicy ?? 'Background');
      return true;
    } catch (error) {
      const e = toKubeApiError(error, `delete ${describeRef(ref)}`);
      if (e.notFound) return false;
      throw e;
    }
  }

  /**
   * Lists, then watches from the list's resourceVersion, calling `decide` with the current set of
   * matching objects after the list and after every change, until it returns a value. Watch
   * failures (including 410 Gone) re-list and continue. No polling.
   */
  async watchUntil<T extends KubeObject, R>(query: ListQuery, decide: (objects: ReadonlyMap<string, T>) => R | undefined,
    options: { timeoutMs: number; signal?: AbortSignal; what?: string }): Promise<R> {
    const path = await this.collectionPath(query);
    const watch = new k8s.Watch(this.kc);
    return await new Promise<R>((resolvePromise, rejectPromise) => {
      let settled = false;
      let controller: AbortController | undefined;
      const objects = new Map<string, T>();
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        controller?.abort();
        fn();
      };
      const check = (): void => {
        let result: R | undefined;
        try { result = decide(objects); } catch (error) { finish(() => rejectPromise(error)); return; }
        if (result !== undefined) finish(() => resolvePromise(result as R));
      };
      const onAbort = (): void => finish(() => rejectPromise(new BatonError('ABORTED', `stopped waiting for ${options.what ?? query.kind}`)));
      const timer = setTimeout(() => finish(() => rejectPromise(new BatonError('KUBE_TIMEOUT',
        `timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${options.what ?? query.kind}`))), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) { onAbort(); return; }

      const start = async (): Promise<void> => {
        if (settled) return;
        let rv: string;
        try {
          const listed = await this.list<T>(query);
          objects.clear();
          for (const item of listed.items) objects.set(keyOf(item), item);
          rv = listed.resourceVersion;
        } catch (error) {
          finish(() => rejectPromise(error));
          return;
        }
        check();
        if (settled) return;
        const params: Record<string, string | boolean> = { resourceVersion: rv, allowWatchBookmarks: true };
        if (query.labelSelector) params.labelSelector = query.labelSelector;
        if (query.fieldSelector) params.fieldSelector = query.fieldSelector;
        try {
          controller = await watch.watch(path, params, (type: string, object: T) => {
            if (settled || type === 'BOOKMARK') return;
            if (type === 'ERROR') { controller?.abort(); return; }
            const withKind = { ...object, apiVersion: query.apiVersion, kind: query.kind } as T;
            if (type === 'DELETED') objects.delete(keyOf(withKind));
            else objects.set(keyOf(withKind), withKind);
            check();
          }, () => {
            // The server closed the watch (timeout, 410, network): list again and carry on.
            if (!settled) setTimeout(() => void start(), 200);
          });
        } catch (error) {
          if (!settled) setTimeout(() => void start(), 500);
          void error;
        }
      };
      void start();
    });
  }

  /** Runs argv in a container, like `kubectl exec`; output is captured and optionally streamed. */
  async exec(namespace: string, pod: string, container: string, command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const exec = new k8s.Exec(this.kc);
    let stdout = '';
    let stderr = '';
    const sink = (onChunk: ((s: string) => void) | undefined, append: (s: string) => void): Writable => new Writable({
      write(chunk: Buffer, _enc, done) { const s = chunk.toString('utf8'); append(s); onChunk?.(s); done(); },
    });
    const out = sink(options.onStdout, (s) => { stdout += s; });
    const err = sink(options.onStderr, (s) => { stderr += s; });
    return await new Promise<ExecResult>((resolvePromise, rejectPromise) => {
      let socket: { close(): void } | undefined;
      let settled = false;
      const done = (fn: () => void): void => { if (!settled) { settled = true; clearTimeout(timer); fn(); } };
      const timer = setTimeout(() => {
        socket?.close();
        done(() => rejectPromise(new BatonError('EXEC_TIMEOUT', `command ${JSON.stringify(command)} in ${namespace}/${pod} did not finish within ${options.timeoutMs}ms; stopped it`)));
      }, options.timeoutMs ?? 60_000);
      options.signal?.addEventListener('abort', () => { socket?.close(); done(() => rejectPromise(new BatonError('ABORTED', 'exec cancelled'))); }, { once: true });
      exec.exec(namespace, pod, container, command, out, err, null, false, (status) => {
        const exitCode = exitCodeOf(status);
        if (exitCode === undefined) {
          done(() => rejectPromise(new KubeApiError(500, status.reason ?? 'ExecFailed', `exec in ${namespace}/${pod}: ${status.message ?? 'failed'}`)));
          return;
        }
        // Let the last stdout/stderr frames drain before resolving.
        setTimeout(() => done(() => resolvePromise({ exitCode, stdout, stderr })), 20);
      }).then((ws) => { socket = ws; ws.on('close', () => setTimeout(() => done(() => rejectPromise(new BatonError('EXEC_FAILED', `exec in ${namespace}/${pod} closed without an exit status`))), 200)); },
        (error: unknown) => done(() => rejectPromise(toKubeApiError(error, `exec in ${namespace}/${pod}`))));
    });
  }

  private namespaceFor(object: KubeObject): string | undefined {
    // Cluster-scoped kinds baton touches; everything else is namespaced.
    return ['Namespace', 'Node', 'CustomResourceDefinition', 'IngressClass', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass'].includes(object.kind) ? undefined : this.defaultNamespace;
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

function exitCodeOf(status: { status?: string; reason?: string; details?: { causes?: Array<{ reason?: string; message?: string }> } }): number | undefined {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message !== undefined) return Number(cause.message);
  return undefined;
}
