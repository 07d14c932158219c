import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { isBatonError } from '../../errors.js';
import { parseConnectionUrl } from '../connection-url.js';
import { backupFormats, type BackupTool } from '../backup/backup-tool.js';
import { runTool } from '../backup/run-tool.js';
import { machineTarget, scratchDatabase } from './db-targets.js';

const T = { timeout: 60_000 };

/**
 * The one contract every BackupTool passes (pg_dump, mysqldump): passwords travel in env only,
 * the native format names its extension, the tool is found and version-checked, and its dump of a
 * real server succeeds. `server` is the machine target whose engine the tool dumps.
 */
export function defineBackupToolContract(label: string, tool: BackupTool, server: 'postgres' | 'mariadb'): void {
  describe(`backup tool contract: ${label}`, () => {
    const target = {
      ...parseConnectionUrl(
        server === 'postgres' ? 'postgres://app:s3cret-pw@127.0.0.1:5432/appdb' : 'mysql://app:s3cret-pw@127.0.0.1:3306/appdb',
      ),
    };

    it('names its native format and extension consistently', () => {
      assert.equal(tool.extension, backupFormats[tool.nativeFormat].extension);
    });

    it('keeps the password out of argv (visible in ps) and hands it over in env', () => {
      const dump = tool.dumpCommand(target, {});
      const restore = tool.restoreCommand(target, tool.nativeFormat, '/tmp/x');
      for (const cmd of [dump, restore]) {
        assert.ok(!cmd.argv.join(' ').includes('s3cret-pw'), cmd.argv.join(' '));
        assert.ok(Object.values(cmd.env).includes('s3cret-pw'), 'the password reaches the tool through its environment');
        assert.ok(cmd.argv.includes('appdb') || cmd.argv.some((a) => a.endsWith('appdb')), 'names the database');
      }
    });

    it('is installed, and refuses a server it cannot dump with a BatonError naming the fix', () => {
      const major = tool.toolMajorVersion();
      assert.equal(typeof major, 'number', `${label} must be installed on this machine`);
      assert.doesNotThrow(() => tool.checkServerVersion(major ?? 0));
      if (tool.dialect === 'postgres') {
        assert.throws(
          () => tool.checkServerVersion((major ?? 0) + 1),
          (e: unknown) => isBatonError(e) && e.code === 'BACKUP_TOOL_VERSION' && (e.hint ?? '').length > 0,
        );
      }
    });

    it('dumps a real database of its engine (exit 0, non-empty output)', T, async () => {
      const machine = await machineTarget(server);
      const scratch = await scratchDatabase(machine);
      try {
        const s = await machine.dialect.connect(scratch.url);
        await s.query('CREATE TABLE a (id INT PRIMARY KEY)');
        await s.query('INSERT INTO a VALUES (1), (2)');
        await s.close();
        const cmd = tool.dumpCommand(parseConnectionUrl(scratch.url), {});
        let bytes = 0;
        const sink = new PassThrough();
        sink.on('data', (c: Buffer) => (bytes += c.length));
        const outcome = await runTool({ argv: cmd.argv, env: cmd.env, stdout: sink });
        assert.equal(outcome.code, 0, outcome.stderr);
        assert.ok(bytes > 0);
      } finally {
        await scratch.drop();
      }
    });
  });
}
