import type { Journal, JournalEntry, RunSummary } from '../engine/journal.js';
import { foldRunSummary, selectRuns } from '../engine/run-summary.js';
import { BatonError } from '../errors.js';
import type { KubeClient } from './kube-client.js';
import type { KubeObject } from './kube-object.js';

interface JournalConfigMap extends KubeObject {
  data?: { 'journal.jsonl'?: string; 'summary.json'?: string };
}

const label = 'baton.dev/journal';
/** ConfigMaps hold at most 1 MiB; stop well before, with a clear error instead of a rejected write. */
const maxBytes = 900 * 1024;

/**
 * The journal kept in the cluster, one ConfigMap per run (`baton-run-<runId>`), for baton running
 * inside the cluster (a CronJob for `baton gc`, an operator) where no disk outlives the pod. Each
 * append is a compare-and-swap on the ConfigMap's resourceVersion: an append lost to a concurrent
 * writer is retried, never silently dropped, and the API server's write is the durability point.
 */
export class ConfigMapJournal implements Journal {
  constructor(
    private readonly kube: KubeClient,
    private readonly namespace: string,
  ) {}

  async append(entry: JournalEntry): Promise<void> {
    const name = configMapName(entry.runId);
    for (let attempt = 0; attempt < 8; attempt++) {
      const live = await this.kube.get<JournalConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: this.namespace });
      const text = `${live?.data?.['journal.jsonl'] ?? ''}${JSON.stringify(entry)}\n`;
      if (text.length > maxBytes) {
        throw new BatonError('JOURNAL_FULL', `the journal of run ${entry.runId} outgrew its ConfigMap (${text.length} bytes)`, {
          hint: 'use the file journal (--state-dir) for runs this long',
        });
      }
      const previous = live?.data?.['summary.json'] ? (JSON.parse(live.data['summary.json']) as RunSummary) : undefined;
      const summary = foldRunSummary(previous, entry);
      const data = { 'journal.jsonl': text, ...(summary ? { 'summary.json': JSON.stringify(summary) } : {}) };
      try {
        if (!live) {
          await this.kube.create({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name, namespace: this.namespace, labels: { [label]: 'true', 'app.kubernetes.io/managed-by': 'baton' } },
            data,
          });
        } else {
          await this.kube.replace({ ...live, data });
        }
        return;
      } catch (error) {
        if ((error as { conflict?: boolean }).conflict) continue; // someone appended meanwhile: read again
        throw error;
      }
    }
    throw new BatonError('JOURNAL_CONTENDED', `could not append to the journal of run ${entry.runId}: it kept changing under us`);
  }

  async read(runId: string): Promise<JournalEntry[]> {
    const live = await this.kube.get<JournalConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: configMapName(runId),
      namespace: this.namespace,
    });
    const text = live?.data?.['journal.jsonl'] ?? '';
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as JournalEntry);
  }

  async listRuns(filter?: { app?: string }): Promise<RunSummary[]> {
    const { items } = await this.kube.list<JournalConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: this.namespace,
      labelSelector: `${label}=true`,
    });
    const summaries = items.flatMap((cm) => (cm.data?.['summary.json'] ? [JSON.parse(cm.data['summary.json']) as RunSummary] : []));
    return selectRuns(summaries, filter);
  }
}

export function configMapName(runId: string): string {
  return `baton-run-${runId}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .slice(0, 253);
}
