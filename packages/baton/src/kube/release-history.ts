import { z } from 'zod';
import { BatonError } from '../errors.js';
import type { KubeClient } from './kube-client.js';
import type { KubeObject } from './kube-object.js';

/** One release in an app's history, as `baton releases` shows it. */
export const releaseEntrySchema = z.object({
  version: z.string(),
  image: z.string(),
  runId: z.string(),
  strategy: z.string(),
  at: z.string(),
  /** The Deployment serving this release. */
  deployment: z.string(),
  /** For blue-green: the Service selector that routes to it. */
  selector: z.record(z.string(), z.string()).optional(),
  /** The Service that selector belongs to. */
  service: z.string().optional(),
  /** The Deployment exactly as it ran (config references included), so a rollback can redeploy it. */
  template: z.record(z.string(), z.unknown()).optional(),
  /** Set when this entry was made by `baton rollback`. */
  rollbackOf: z.string().optional(),
});
export type ReleaseEntry = z.output<typeof releaseEntrySchema>;

interface HistoryConfigMap extends KubeObject { data?: { 'history.json'?: string } }

/** History lives in the cluster (a ConfigMap), so every operator and CI job sees the same one. */
export function historyName(app: string): string {
  return `baton-releases-${app}`.slice(0, 63);
}

export async function readHistory(kube: KubeClient, namespace: string, app: string): Promise<ReleaseEntry[]> {
  const cm = await kube.get<HistoryConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', name: historyName(app), namespace });
  const text = cm?.data?.['history.json'];
  if (!text) return [];
  const where = `ConfigMap ${namespace}/${historyName(app)} (data history.json)`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BatonError('HISTORY_INVALID', `${where} is not JSON: ${error instanceof Error ? error.message : String(error)}`, { hint: historyHint(namespace, app) });
  }
  const parsed = z.array(releaseEntrySchema).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BatonError('HISTORY_INVALID', `${where} is not a release history: ${issue ? `[${issue.path.join('.')}] ${issue.message}` : 'unreadable'}`, { hint: historyHint(namespace, app) });
  }
  return parsed.data;
}

export async function writeHistory(kube: KubeClient, namespace: string, app: string, entries: ReleaseEntry[]): Promise<void> {
  await kube.apply({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: historyName(app), namespace, labels: { 'app.kubernetes.io/managed-by': 'baton', 'baton.dev/app': app } },
    data: { 'history.json': JSON.stringify(entries.slice(-50), null, 1) },
  }, { force: true });
}

function historyHint(namespace: string, app: string): string {
  return `baton writes it; if it was edited by hand, restore it (kubectl -n ${namespace} edit configmap ${historyName(app)}) or delete it to start a new history (rollback then has nothing to go back to)`;
}
