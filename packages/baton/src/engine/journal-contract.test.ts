import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journalContract } from './testing/journal-contract.js';
import { MemoryJournal } from './memory-journal.js';
import { FileJournal } from './file-journal.js';

journalContract('MemoryJournal', async () => ({ journal: new MemoryJournal(), cleanup: async () => undefined }));

journalContract('FileJournal', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-journal-contract-'));
  const journal = new FileJournal({ dir });
  return {
    journal,
    cleanup: async () => {
      await journal.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
