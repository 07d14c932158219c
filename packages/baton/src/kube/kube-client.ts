import type { KubeObject, ObjectRef } from './kube-object.js';
import type { CustomResourceClient } from './custom-resource-client.js';

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

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Live output, e.g. to the terminal. */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

export interface WatchUntilOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** What is waited for, in the timeout's message ("pods of web to drain"). */
  what?: string;
}

/**
 * The port to the Kubernetes API: everything baton does to a cluster goes through it (server-side
 * apply, reads, watches, exec). Errors come out as KubeApiError. The implementation over
 * @kubernetes/client-node is ClientNodeKubeClient; tests may give any other.
 */
export interface KubeClient {
  readonly fieldManager: string;
  readonly defaultNamespace: string;
  /** The API server's URL, for messages. */
  readonly server: string;
  /** Status subresource writes and long-lived watches of custom resources (the controller's needs). */
  customResources(): CustomResourceClient;
  /** Fails with KUBE_UNREACHABLE / 401 / 403 before anything changes. */
  version(): Promise<string>;
  get<T extends KubeObject>(ref: ObjectRef): Promise<T | undefined>;
  list<T extends KubeObject>(query: ListQuery): Promise<{ items: T[]; resourceVersion: string }>;
  /** Server-side apply as baton's field manager. `force` takes over fields other managers own. */
  apply<T extends KubeObject>(object: KubeObject, options?: { force?: boolean; dryRun?: boolean }): Promise<T>;
  /** JSON merge patch (RFC 7386): for small targeted changes like a Service selector. */
  mergePatch<T extends KubeObject>(ref: ObjectRef, patch: Record<string, unknown>): Promise<T>;
  create<T extends KubeObject>(object: KubeObject): Promise<T>;
  /** PUT with the object's resourceVersion: fails with 409 when someone changed it meanwhile. */
  replace<T extends KubeObject>(object: KubeObject): Promise<T>;
  /** Deletes; false when it was already gone. */
  delete(
    ref: ObjectRef,
    options?: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; gracePeriodSeconds?: number },
  ): Promise<boolean>;
  /**
   * Lists, then watches, calling `decide` with the current set of matching objects after the list
   * and after every change, until it returns a value. No polling; watches resume (see
   * resumable-watch.ts).
   */
  watchUntil<T extends KubeObject, R>(
    query: ListQuery,
    decide: (objects: ReadonlyMap<string, T>) => R | undefined,
    options: WatchUntilOptions,
  ): Promise<R>;
  /** Runs argv in a container, like `kubectl exec`; output is captured and optionally streamed. */
  exec(namespace: string, pod: string, container: string, command: string[], options?: ExecOptions): Promise<ExecResult>;
}
