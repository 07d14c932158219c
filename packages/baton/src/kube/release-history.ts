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
  /** Set when this entry was made by `baton rollback`: the version it rolled back from. */
  rollbackOf: z.string().optional(),
  /** With rollbackOf: the revision it returned to. */
  rollbackTo: z.number().int().positive().optional(),
  /**
   * 1, 2, 3… in the order releases were recorded (like `helm history`), stored in the entry so
   * trimming old entries never renumbers the rest. Histories written before it existed have none:
   * `readHistory` numbers those entries from their position.
   */
  revision: z.number().int().positive().optional(),
});
export type ReleaseEntry = z.output<typeof releaseEntrySchema>;

/** An entry as `readHistory` returns it: always with its revision. */
export type RecordedRelease = ReleaseEntry & { revision: number };

interface HistoryConfigMap extends KubeObject {
  data?: { 'history.json'?: string };
}

/** History lives in the cluster (a ConfigMap), so every operator and CI job sees the same one. */
export function historyName(app: string): string {
  return `baton-releases-${app}`.slice(0, 63);
}

/** The app's history, oldest first, every entry with its revision. HISTORY_INVALID when unreadable. */
export async function readHistory(kube: KubeClient, namespace: string, app: string): Promise<RecordedRelease[]> {
  const cm = await kube.get<HistoryConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', name: historyName(app), namespace });
  const text = cm?.data?.['history.json'];
  if (!text) return [];
  const where = `ConfigMap ${namespace}/${historyName(app)} (data history.json)`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BatonError('HISTORY_INVALID', `${where} is not JSON: ${error instanceof Error ? error.message : String(error)}`, {
      hint: historyHint(namespace, app),
    });
  }
  const parsed = z.array(releaseEntrySchema).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BatonError(
      'HISTORY_INVALID',
      `${where} is not a release history: ${issue ? `[${issue.path.join('.')}] ${issue.message}` : 'unreadable'}`,
      { hint: historyHint(namespace, app) },
    );
  }
  const numbered = withRevisions(parsed.data);
  const misordered = numbered.findIndex((entry, i) => i > 0 && entry.revision <= numbered[i - 1]!.revision);
  if (misordered > 0) {
    throw new BatonError(
      'HISTORY_INVALID',
      `${where} is not a release history: [${misordered}.revision] revision ${numbered[misordered]!.revision} does not come after ${numbered[misordered - 1]!.revision}`,
      { hint: historyHint(namespace, app) },
    );
  }
  return numbered;
}

/**
 * Gives every entry its revision: the stored one, else one more than the entry before it (the
 * first entry of an old history without revisions is 1).
 */
export function withRevisions(entries: readonly ReleaseEntry[]): RecordedRelease[] {
  const numbered: RecordedRelease[] = [];
  for (const entry of entries) numbered.push({ ...entry, revision: entry.revision ?? (numbered.at(-1)?.revision ?? 0) + 1 });
  return numbered;
}

/** The revision the next recorded release gets. */
export function nextRevision(history: readonly RecordedRelease[]): number {
  return (history.at(-1)?.revision ?? 0) + 1;
}

/** Writes the history, keeping the newest 50 entries (their revisions go with them). */
export async function writeHistory(kube: KubeClient, namespace: string, app: string, entries: ReleaseEntry[]): Promise<void> {
  await kube.apply(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: historyName(app), namespace, labels: { 'app.kubernetes.io/managed-by': 'baton', 'baton.dev/app': app } },
      data: { 'history.json': JSON.stringify(entries.slice(-50), null, 1) },
    },
    { force: true },
  );
}

function historyHint(namespace: string, app: string): string {
  return `baton writes it; if it was edited by hand, restore it (kubectl -n ${namespace} edit configmap ${historyName(app)}) or delete it to start a new history (rollback then has nothing to go back to)`;
}
