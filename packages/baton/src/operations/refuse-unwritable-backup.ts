import { open, rm, stat, statfs } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BatonError } from '../errors.js';
import type { Plan } from '../plan/plan.js';

/** Under this much free space the plan says so: a dump that fills the disk fails mid-run. */
const lowSpaceBytes = 1024 ** 3;

/** The folder itself, or the nearest folder above it that exists (the backup creates the rest). */
async function nearestExisting(dir: string): Promise<{ path: string; isDirectory: boolean }> {
  let path = resolve(dir);
  for (;;) {
    const found = await stat(path).catch(() => undefined);
    if (found) return { path, isDirectory: found.isDirectory() };
    const parent = dirname(path);
    if (parent === path) return { path, isDirectory: false };
    path = parent;
  }
}

/**
 * Creates and removes an empty file there: the only test that holds for root (whom access(2)
 * never refuses), read-only mounts and pseudo filesystems such as /proc. Returns why not, or
 * undefined when it can be written.
 */
async function tryWriting(folder: string): Promise<string | undefined> {
  const probe = join(folder, `.baton-write-test-${process.pid}`);
  try {
    await (await open(probe, 'wx', 0o600)).close();
    await rm(probe, { force: true });
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/**
 * Before any change: every backup step's folder can be created and written by this process.
 * Found only at the backup, the fault used to crash the run with a bare ENOENT after the lock was
 * taken. Returns warnings (low free space: the size of a dump is not known before it runs).
 */
export async function refuseUnwritableBackupDirs(plan: Plan): Promise<string[]> {
  const dirs = new Set<string>();
  for (const step of plan.steps) {
    const dir = step.kind === 'backup' ? (step.params as { dir?: unknown }).dir : undefined;
    if (typeof dir === 'string') dirs.add(dir);
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const dir of dirs) {
    const existing = await nearestExisting(dir);
    if (!existing.isDirectory) {
      problems.push(`${dir}: ${existing.path} is not a folder, so the backup folder cannot be created there`);
      continue;
    }
    const refused = await tryWriting(existing.path);
    if (refused) {
      const where = existing.path === resolve(dir) ? 'the folder' : `${existing.path}, where it would be created,`;
      problems.push(`${dir}: ${where} cannot be written (${refused})`);
      continue;
    }
    const fs = await statfs(existing.path).catch(() => undefined);
    const free = fs ? fs.bavail * fs.bsize : undefined;
    if (free !== undefined && free < lowSpaceBytes)
      warnings.push(
        `the backup folder ${dir} has ${(free / 1024 ** 2).toFixed(0)} MiB free; a dump bigger than that fails the backup, and with it the run`,
      );
  }
  if (problems.length > 0)
    throw new BatonError(
      'PLAN_BACKUP_DIR',
      `the backup cannot be written; nothing was changed:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      {
        hint: 'set database.backup.dir (or --backup-dir) to a folder this process can write, or create it with the right owner',
      },
    );
  return warnings;
}
