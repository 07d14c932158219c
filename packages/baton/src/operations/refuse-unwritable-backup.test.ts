import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBatonError } from '../errors.js';
import type { Plan } from '../plan/plan.js';
import { refuseUnwritableBackupDirs } from './refuse-unwritable-backup.js';

const planBackingUpTo = (dir: string): Plan => ({
  app: 'web',
  namespace: 'shop',
  strategy: 'rolling',
  from: null,
  to: { version: 'v2', image: 'shop/web:v2' },
  steps: [{ id: 'db:backup', kind: 'backup', title: 'back up', reversible: true, params: { dir } }],
  drift: [],
  warnings: [],
});

test('a backup folder under a file, or on a filesystem that takes no files, is refused before any change', async () => {
  const base = await mkdtemp(join(tmpdir(), 'baton-backup-dir-'));
  await writeFile(join(base, 'a-file'), 'x');
  for (const [dir, why] of [
    [join(base, 'a-file', 'backups'), /a-file is not a folder/],
    ['/proc/baton-backups', /\/proc, where it would be created, cannot be written \(E[A-Z]+\)/],
  ] as const) {
    await assert.rejects(
      refuseUnwritableBackupDirs(planBackingUpTo(dir)),
      (e: unknown) => isBatonError(e) && e.code === 'PLAN_BACKUP_DIR' && why.test(e.message) && e.message.includes('nothing was changed'),
    );
  }
});

test('a folder that does not exist yet under a writable one passes, and the check leaves nothing behind', async () => {
  const base = await mkdtemp(join(tmpdir(), 'baton-backup-dir-'));
  const warnings = await refuseUnwritableBackupDirs(planBackingUpTo(join(base, 'not', 'yet')));
  assert.ok(Array.isArray(warnings));
  assert.deepEqual(await readdir(base), []);
});
