import type { KubeClient } from '../../kube/kube-client.js';
import type { KubeObject } from '../../kube/kube-object.js';

/** One release in an app's history, as `baton releases` shows it. */
export interface ReleaseEntry {
  version: string;
  image: string;
  runId: string;
  strategy: string;
  at: string;
  /** The Deployment serving this release. */
  deployment: string;
  /** For blue-green: the Service selector that routes to it. */
  selector?: Record<string, string>;
  /** The Service that selector belongs to. */
  service?: string;
  /** The Deployment exactly as it ran (config references included), so a rollback can redeploy it. */
  template?: Record<string, unknown>;
  /** Set when this entry was made by `baton rollback`. */
  rollbackOf?: string;
}

interface HistoryConfigMap extends KubeObject { data?: { 'history.json'?: string } }

/** History lives in the cluster (a ConfigMap), so every operator and CI job sees the same one. */
export function historyName(app: string): string {
  return `baton-releases-${app}`.slice(0, 63);
}

export async function readHistory(kube: KubeClient, namespace: string, app: string): Promise<ReleaseEntry[]> {
  const cm = await kube.get<HistoryConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', name: historyName(app), namespace });
  const text = cm?.data?.['history.json'];
  return text ? (JSON.parse(text) as ReleaseEntry[]) : [];
}

export async function writeHistory(kube: KubeClient, namespace: string, app: string, entries: ReleaseEntry[]): Promise<void> {
  await kube.apply({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: historyName(app), namespace, labels: { 'app.kubernetes.io/managed-by': 'baton', 'baton.dev/app': app } },
    data: { 'history.json': JSON.stringify(entries.slice(-50), null, 1) },
  }, { force: true });
}
