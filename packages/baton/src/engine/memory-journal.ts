import type { Journal, JournalEntry, RunSummary } from './journal.js';
import { foldRunSummary, selectRuns } from './run-summary.js';

/**
 * A Journal in memory: for tests and for callers that do not need durability. Entries are
 * deep-copied in and out, as a durable store would, so a caller cannot mutate history.
 */
export class MemoryJournal implements Journal {
  private readonly runs = new Map<string, JournalEntry[]>();
  private readonly summaries = new Map<string, RunSummary>();

  async append(entry: JournalEntry): Promise<void> {
    const copy = structuredClone(entry);
    const list = this.runs.get(entry.runId) ?? [];
    list.push(copy);
    this.runs.set(entry.runId, list);
    const summary = foldRunSummary(this.summaries.get(entry.runId), copy);
    if (summary !== undefined) this.summaries.set(entry.runId, summary);
  }

  async read(runId: string): Promise<JournalEntry[]> {
    return structuredClone(this.runs.get(runId) ?? []);
  }

  async listRuns(filter?: { app?: string }): Promise<RunSummary[]> {
    return selectRuns(this.summaries.values(), filter).map((summary) => ({ ...summary }));
  }
}
