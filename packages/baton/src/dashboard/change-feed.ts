import { watch, type FSWatcher } from 'node:fs';
import { mkdirSync } from 'node:fs';
import type { KubeClient } from '../kube/kube-client.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { DashboardChange } from './dashboard-backend.js';

/** A run id from a file journal path: runs/<id>.jsonl, index/<id>.json, reports/<id>.json|md|html. */
export function runIdOfPath(path: string): string | undefined {
  const m = /^(?:runs|index|reports)[/\\]([A-Za-z0-9][A-Za-z0-9._-]*?)(?:\.jsonl|\.json|\.md|\.html)(?:\.tmp[^/\\]*)?$/.exec(path);
  return m?.[1];
}

/**
 * Changes to a file journal's folder, from the kernel (fs.watch, recursive): a journal append,
 * a report written, a run deleted. Creates the folder if it is missing so it can be watched.
 */
export function watchStateDir(dir: string, emit: (change: DashboardChange) => void): () => void {
  mkdirSync(dir, { recursive: true });
  const watcher: FSWatcher = watch(dir, { recursive: true, persistent: false }, (_event, name) => {
    const runId = name ? runIdOfPath(String(name)) : undefined;
    if (runId) emit({ kind: 'run', runId });
    emit({ kind: 'apps' });
  });
  watcher.on('error', () => undefined); // the folder went away: nothing more to watch
  return () => watcher.close();
}

interface BatonConfigMap extends KubeObject {
  data?: Record<string, string>;
}

/**
 * Changes to baton's ConfigMaps in the cluster (release history, ConfigMap journals) from a
 * Kubernetes watch (list, then watch from its resourceVersion; re-listed when the server ends the
 * watch). `onError` hears why the cluster cannot be watched; the watch is retried with backoff.
 * `namespace` narrows it to one namespace (a controller that watches only one); default all.
 */
export function watchBatonConfigMaps(
  kube: KubeClient,
  emit: (change: DashboardChange) => void,
  onError: (message: string | undefined) => void,
  options: { namespace?: string } = {},
): () => void {
  const stop = new AbortController();
  let known = new Map<string, string>();
  let backoff = 1000;
  const loop = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      try {
        await kube.watchUntil<BatonConfigMap, never>(
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            labelSelector: 'app.kubernetes.io/managed-by=baton',
            ...(options.namespace ? { namespace: options.namespace } : {}),
          },
          (objects) => {
            onError(undefined);
            backoff = 1000;
            const next = new Map<string, string>();
            for (const [key, cm] of objects) next.set(key, cm.metadata.resourceVersion ?? '');
            for (const [key, cm] of objects) {
              if (known.get(key) === next.get(key)) continue;
              const summary = cm.data?.['summary.json'];
              if (summary) {
                try {
                  const runId = (JSON.parse(summary) as { runId?: unknown }).runId;
                  if (typeof runId === 'string') emit({ kind: 'run', runId });
                } catch {
                  /* a torn summary: the next write fixes it */
                }
              }
            }
            for (const key of known.keys()) if (!next.has(key)) emit({ kind: 'run', runId: runIdOfConfigMapKey(key) });
            if (known.size > 0 || next.size > 0) emit({ kind: 'apps' });
            known = next;
            return undefined;
          },
          { timeoutMs: 30 * 60_000, signal: stop.signal, what: "baton's ConfigMaps" },
        );
      } catch (error) {
        if (stop.signal.aborted) return;
        const code = (error as { code?: unknown }).code;
        if (code !== 'KUBE_TIMEOUT') {
          onError(error instanceof Error ? error.message : String(error));
          await new Promise((r) => setTimeout(r, backoff).unref());
          backoff = Math.min(backoff * 2, 30_000);
        }
      }
    }
  };
  void loop();
  return () => stop.abort();
}

/** `namespace/baton-run-<id>` -> `<id>` (lower-cased by the journal: good enough to refresh a page). */
function runIdOfConfigMapKey(key: string): string {
  return key.replace(/^.*\/baton-run-/, '');
}
