import { mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { BatonError } from '../errors.js';
import type { Journal, JournalEntry, RunSummary } from './journal.js';
import { foldRunSummary, selectRuns } from './run-summary.js';
import { syncDirectory, writeFileAtomic } from './atomic-write.js';
import { parseJournalLines } from './journal-lines.js';

export interface FileJournalOptions {
  /** Root folder: journals go to `<dir>/runs/<runId>.jsonl`, summaries to `<dir>/index/`. */
  dir: string;
}

/** An open journal file and its size as this process last wrote it. */
interface OpenJournal {
  handle: FileHandle;
  size: number;
}

/** `<dir>/index/<runId>.json`. */
interface IndexFile {
  summary: RunSummary;
  journalBytes: number;
}

const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The default Journal: one JSON line per entry, each append fsync'd before it resolves. A line
 * torn by a crash is only ever the last one; reads ignore it and the next append cuts it off
 * first, so it can never glue itself to a later entry and corrupt history. Run summaries are
 * kept in `<dir>/index/<runId>.json`, each replaced atomically (one file per run, so runs of
 * different apps in different processes never race on a shared index).
 */
export class FileJournal implements Journal {
  private readonly dir: string;
  private readonly handles = new Map<string, OpenJournal>();
  private readonly summaries = new Map<string, RunSummary>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(options: FileJournalOptions) {
    this.dir = options.dir;
  }

  append(entry: JournalEntry): Promise<void> {
    try {
      checkRunId(entry.runId);
    } catch (error) {
      return Promise.reject(error);
    }
    // Appends to one run are serialized: the order in the file is the order of the calls.
    const previous = this.queues.get(entry.runId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.write(entry));
    this.queues.set(entry.runId, next);
    return next;
  }

  async read(runId: string): Promise<JournalEntry[]> {
    checkRunId(runId);
    let text: string;
    try {
      text = await readFile(this.journalPath(runId), 'utf8');
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    return parseJournalLines(text, this.journalPath(runId)).entries;
  }

  async listRuns(filter?: { app?: string }): Promise<RunSummary[]> {
    let names: string[];
    try {
      names = await readdir(join(this.dir, 'runs'));
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    const summaries: RunSummary[] = [];
    for (const name of names) {
      if (!name.endsWith('.jsonl')) continue;
      const summary = await this.summaryOf(name.slice(0, -'.jsonl'.length));
      if (summary !== undefined) summaries.push(summary);
    }
    return selectRuns(summaries, filter);
  }

  /** Closes open journal files. The journal stays usable: they are reopened on demand. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
    const opened = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(opened.map(({ handle }) => handle.close()));
  }

  private async write(entry: JournalEntry): Promise<void> {
    const opened = await this.handleFor(entry.runId);
    // Another process may have appended since (a resume elsewhere) and crashed mid-line: the
    // size tells, and the tail is checked again before we append after it.
    const { size } = await opened.handle.stat();
    if (size !== opened.size) await this.cutTornTail(entry.runId, opened, size);
    const line = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
    await opened.handle.write(line);
    await opened.handle.sync();
    opened.size += line.length;
    const summary = foldRunSummary(await this.cachedSummary(entry.runId), entry);
    if (summary !== undefined) {
      this.summaries.set(entry.runId, summary);
      if (changesSummary(entry)) await this.writeSummary(summary, opened.size);
    }
    // A finished run's file is closed at once (a later resume or rollback opens it again), so a
    // long-lived process does not hold one descriptor per run it ever wrote.
    if (entry.type === 'run-finished' && this.handles.get(entry.runId) === opened) {
      this.handles.delete(entry.runId);
      await opened.handle.close();
    }
  }

  private async handleFor(runId: string): Promise<OpenJournal> {
    const known = this.handles.get(runId);
    if (known !== undefined) return known;
    const runsDir = join(this.dir, 'runs');
    await mkdir(runsDir, { recursive: true, mode: 0o700 });
    // Owner-only: a journal records the run's spec and the objects it applied.
    const handle = await open(this.journalPath(runId), 'a+', 0o600);
    const opened: OpenJournal = { handle, size: 0 };
    try {
      const { size } = await handle.stat();
      if (size === 0) await syncDirectory(runsDir);
      else await this.cutTornTail(runId, opened, size);
    } catch (error) {
      await handle.close();
      throw error;
    }
    this.handles.set(runId, opened);
    return opened;
  }

  /** Cuts a tail torn by a crash (ours, or another process's) so nothing is appended after it. */
  private async cutTornTail(runId: string, opened: OpenJournal, size: number): Promise<void> {
    const path = this.journalPath(runId);
    const { validBytes } = parseJournalLines(await readFile(path, 'utf8'), path);
    if (validBytes < size) {
      await opened.handle.truncate(validBytes);
      await opened.handle.sync();
    }
    opened.size = validBytes;
  }

  private async cachedSummary(runId: string): Promise<RunSummary | undefined> {
    const cached = this.summaries.get(runId);
    if (cached !== undefined) return cached;
    // A new process appending to an existing run: fold everything but the entry just written.
    const entries = await this.read(runId);
    return entries.slice(0, -1).reduce<RunSummary | undefined>(foldRunSummary, undefined);
  }

  private async summaryOf(runId: string): Promise<RunSummary | undefined> {
    try {
      const [journalStat, indexText] = await Promise.all([stat(this.journalPath(runId)), readFile(this.indexPath(runId), 'utf8')]);
      const index = JSON.parse(indexText) as IndexFile;
      // The index records the journal's size when it was written: any entry since (or a crash
      // between the journal append and the index write) shows as a different size, and the
      // journal is folded instead. Reading never writes.
      if (index.journalBytes === journalStat.size) return index.summary;
    } catch (error) {
      if (!isNotFound(error) && !(error instanceof SyntaxError)) throw error;
    }
    const entries = await this.read(runId);
    return entries.reduce<RunSummary | undefined>(foldRunSummary, undefined);
  }

  private async writeSummary(summary: RunSummary, journalBytes: number): Promise<void> {
    await mkdir(join(this.dir, 'index'), { recursive: true });
    const index: IndexFile = { summary, journalBytes };
    await writeFileAtomic(this.indexPath(summary.runId), `${JSON.stringify(index)}\n`);
  }

  private journalPath(runId: string): string {
    return join(this.dir, 'runs', `${runId}.jsonl`);
  }

  private indexPath(runId: string): string {
    return join(this.dir, 'index', `${runId}.json`);
  }
}

function changesSummary(entry: JournalEntry): boolean {
  return ['run-started', 'run-resumed', 'promoted', 'abort-requested', 'run-finished'].includes(entry.type);
}

function checkRunId(runId: string): void {
  if (!runIdPattern.test(runId)) {
    throw new BatonError('JOURNAL_BAD_RUN_ID', `run id ${JSON.stringify(runId)} cannot name a journal file`, {
      hint: 'use letters, digits, ".", "_" and "-" only (at most 128 characters)',
    });
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
