import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../engine/atomic-write.js';
import { join } from 'node:path';
import type { Journal } from '../engine/journal.js';
import type { Plan } from '../plan/plan.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import { renderHtml, renderMarkdown } from '../report/render.js';
import { runRecordFrom } from './run-record.js';

/**
 * Writes a run's record (JSON: journal-derived steps + probe) and its markdown and HTML reports
 * under `<stateDir>/reports/`, each atomically. `baton report` re-renders from the record.
 */
export async function saveRunArtifacts(options: { stateDir: string; runId: string; journal: Journal; plan: Plan; probe: ProbeRecord | undefined }):
  Promise<{ record: string; markdown: string; html: string }> {
  const entries = await options.journal.read(options.runId);
  const record = runRecordFrom(entries, options.plan, options.probe);
  const dir = join(options.stateDir, 'reports');
  await mkdir(dir, { recursive: true });
  const files = {
    record: join(dir, `${options.runId}.json`),
    markdown: join(dir, `${options.runId}.md`),
    html: join(dir, `${options.runId}.html`),
  };
  await writeFileAtomic(files.record, JSON.stringify(record, null, 1));
  await writeFileAtomic(files.markdown, renderMarkdown(record));
  await writeFileAtomic(files.html, renderHtml(record));
  return files;
}
