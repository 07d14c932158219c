import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../engine/atomic-write.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import type { ArtifactStore } from './artifact-store.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import type { RunRecord } from './run-record.js';

/**
 * Keeps `<dir>/<runId>.json` (the record) with its markdown and HTML reports beside it, each
 * written atomically. Refs: `record`, `markdown`, `html` (file paths). A running probe's
 * checkpoint is `<dir>/<runId>.probe.json` (every segment so far), owner-only like the rest.
 */
export class FileArtifactStore implements ArtifactStore {
  constructor(private readonly dir: string) {}

  async save(record: RunRecord): Promise<{ record: string; markdown: string; html: string }> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 }); // records can name hosts, users, databases
    const files = this.files(record.runId);
    await writeFileAtomic(files.record, JSON.stringify(record, null, 1));
    await writeFileAtomic(files.markdown, renderMarkdown(record));
    await writeFileAtomic(files.html, renderHtml(record));
    return files;
  }

  async load(runId: string): Promise<RunRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.files(runId).record, 'utf8')) as RunRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async saveProbeSegments(runId: string, segments: readonly ProbeRecord[]): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // Compact JSON: this is rewritten every couple of seconds while the probe runs.
    await writeFileAtomic(this.probeFile(runId), JSON.stringify(segments));
  }

  async loadProbeSegments(runId: string): Promise<ProbeRecord[] | undefined> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.probeFile(runId), 'utf8'));
      return Array.isArray(parsed) ? (parsed as ProbeRecord[]) : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private probeFile(runId: string): string {
    return join(this.dir, `${runId}.probe.json`);
  }

  private files(runId: string): { record: string; markdown: string; html: string } {
    return { record: join(this.dir, `${runId}.json`), markdown: join(this.dir, `${runId}.md`), html: join(this.dir, `${runId}.html`) };
  }
}
