import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBatonError } from '../../errors.js';
import { machineTarget, scratchDatabase, type ScratchDatabase } from '../testing/db-targets.js';
import { createBackup } from './create-backup.js';

/**
 * A dump command (node -e, argv) that writes `bytes` bytes, prints the backup folder's listing
 * to stderr (what a kill at that moment would leave), then either exits 0 or SIGKILLs itself.
 */
const dump = (dir: string, bytes: number, end: 'exit' | 'kill'): string[] => [
  process.execPath,
  '-e',
  `
  process.stdout.write('x'.repeat(${bytes}), () => {
    process.stderr.write('listing:' + JSON.stringify(require('node:fs').readdirSync(${JSON.stringify(dir)})));
    ${end === 'kill' ? "process.kill(process.pid, 'SIGKILL');" : 'process.exit(0);'}
  });`,
];

describe('createBackup never leaves a file that looks complete unless the dump finished', () => {
  let db: ScratchDatabase;
  let dir: string;
  before(async () => {
    db = await scratchDatabase(await machineTarget('postgres'));
    dir = await mkdtemp(join(tmpdir(), 'baton-backup-'));
  });
  after(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("a dump killed mid-way leaves nothing under the backup's name (and no partial file)", async () => {
    const folder = join(dir, 'killed');
    const error = await createBackup({
      url: db.url,
      dir: folder,
      label: 'run1',
      method: { kind: 'command', argv: dump(folder, 1 << 20, 'kill'), format: 'sql' },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isBatonError(error) && error.code === 'BACKUP_FAILED', String(error));
    const during = JSON.parse(/listing:(\[.*?\])/.exec(error.message)?.[1] ?? 'null') as string[];
    assert.equal(during.length, 1, `one file while the dump ran: ${String(during)}`);
    assert.match(during[0]!, /\.sql\.partial$/, 'while the dump runs its file does not look like a backup');
    assert.deepEqual(await readdir(folder), [], 'the killed dump left nothing behind');
  });

  it('a dump that exits 0 gets its final name with every byte, and no partial file remains', async () => {
    const folder = join(dir, 'finished');
    const record = await createBackup({
      url: db.url,
      dir: folder,
      label: 'run2',
      method: { kind: 'command', argv: dump(folder, 200_000, 'exit'), format: 'sql' },
    });
    assert.match(record.path, /run2-.*\.sql$/);
    assert.deepEqual(await readdir(folder), [record.path.slice(folder.length + 1)]);
    assert.equal((await readFile(record.path, 'utf8')).length, 200_000);
    assert.equal(record.fileBytes, 200_000);
  });
});
