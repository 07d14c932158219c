import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
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
    const writable = await access(existing.path, constants.W_OK | constants.X_OK).then(
      () => true,
      () => false,
    );
    if (!writable) {
      problems.push(
        `${dir}: ${existing.path === resolve(dir) ? 'the folder' : `${existing.path}, where it would be created,`} is not writable by this process`,
      );
      continue;
    }
    const fs = await statfs(existing.path).catch(() => undefined);
    const free = fs ? fs.bavail * fs.bsize : undefined;
    if (free !== undefined && free < lowSpaceBytes)
      warnings.push(
        `the backup folder ${dir} has ${(free / 1024 ** 2).toFixed(0)} MiB free; a dump bigger than that fails the run before any change to the app`,
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
