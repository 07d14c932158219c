import { BatonError } from '../errors.js';
import type { JournalEntry } from './journal.js';

/**
 * Parses a JSON-lines journal. Only the tail may be damaged by a crash (a line without its
 * newline, or a last line that does not parse); it is dropped and `validBytes` says where the
 * good part ends. Damage before the tail is not a crash artefact: it throws JOURNAL_CORRUPT
 * rather than silently skipping history.
 */
export function parseJournalLines(text: string, source: string): { entries: JournalEntry[]; validBytes: number } {
  const entries: JournalEntry[] = [];
  let offset = 0;
  let lineNumber = 0;
  while (offset < text.length) {
    const newline = text.indexOf('\n', offset);
    if (newline === -1) break; // torn tail: the write never completed
    lineNumber += 1;
    const line = text.slice(offset, newline);
    const entry = parseLine(line);
    if (entry === undefined) {
      if (newline + 1 >= text.length) break; // a damaged last line is a torn tail too
      throw new BatonError('JOURNAL_CORRUPT', `${source}:${lineNumber}: journal entry is not valid JSON`, {
        hint: 'the journal was damaged other than by a crash; inspect the file before resuming',
      });
    }
    entries.push(entry);
    offset = newline + 1;
  }
  return { entries, validBytes: Buffer.byteLength(text.slice(0, offset), 'utf8') };
}

function parseLine(line: string): JournalEntry | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') {
      return value as JournalEntry;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
