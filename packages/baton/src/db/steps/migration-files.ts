import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { BatonError } from '../../errors.js';

/** One migration file by name and content: what a plan and the journal carry instead of a folder. */
export const migrationFileSchema = z.object({ name: z.string().regex(/^[^/\\]+\.sql$/), text: z.string() }).strict();
export type MigrationFile = z.output<typeof migrationFileSchema>;

/**
 * Runs `use` on a private folder holding exactly `files` (0700, removed afterwards). The migration
 * runner reads a folder; a run that carries its migrations' content can then be resumed, promoted
 * or rolled back anywhere, without the folder it was planned from.
 */
export async function withMigrationFolder<T>(files: readonly MigrationFile[], use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-migrations-'));
  try {
    for (const file of files) {
      if (basename(file.name) !== file.name)
        throw new BatonError('STEP_PARAMS_INVALID', `migration file name ${file.name} is not a plain file name`);
      await writeFile(join(dir, file.name), file.text, { mode: 0o600 });
    }
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
