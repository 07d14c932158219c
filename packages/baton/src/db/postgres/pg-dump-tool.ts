import { spawnSync } from 'node:child_process';
import { backupFormats, type BackupTool } from '../backup/backup-tool.js';
import { checkDumpToolVersion } from '../backup/check-dump-tool-version.js';
import type { ConnectionUrl } from '../connection-url.js';

function env(target: ConnectionUrl): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: '10' };
  if (target.password !== undefined) out.PGPASSWORD = target.password;
  else delete out.PGPASSWORD;
  return out;
}

function connArgs(target: ConnectionUrl): string[] {
  return ['--host', target.host, '--port', String(target.port), '--username', target.user, '--no-password'];
}

/** pg_dump (custom format, compressed) and pg_restore / psql. */
export const pgDumpTool: BackupTool = {
  dialect: 'postgres',
  nativeFormat: 'pg-custom',
  extension: backupFormats['pg-custom'].extension,
  checkServerVersion(serverMajor) {
    checkDumpToolVersion(serverMajor, this.toolMajorVersion());
  },
  dumpCommand(target, options) {
    const argv = ['pg_dump', ...connArgs(target), '--format=custom', '--no-owner', '--no-privileges'];
    // The snapshot makes the dump and baton's row counts see exactly the same data.
    if (options.snapshot) argv.push(`--snapshot=${options.snapshot}`);
    argv.push('--dbname', target.database);
    return { argv, env: env(target), toStdout: true };
  },
  restoreCommand(target, format, file) {
    if (format === 'pg-custom') {
      return {
        argv: ['pg_restore', ...connArgs(target), '--no-owner', '--no-privileges', '--exit-on-error', '--dbname', target.database, file],
        env: env(target),
        fromStdin: false,
      };
    }
    return {
      argv: [
        'psql',
        ...connArgs(target),
        '--quiet',
        '--set',
        'ON_ERROR_STOP=1',
        '--dbname',
        target.database,
        ...(format === 'sql' ? ['--file', file] : []),
      ],
      env: env(target),
      fromStdin: format === 'sql-gzip',
    };
  },
  toolMajorVersion() {
    const out = spawnSync('pg_dump', ['--version'], { encoding: 'utf8' });
    const match = /(\d+)(?:\.\d+)?/.exec(out.stdout ?? '');
    return out.status === 0 && match ? Number(match[1]) : undefined;
  },
};
