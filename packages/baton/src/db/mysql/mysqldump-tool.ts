import { spawnSync } from 'node:child_process';
import { BatonError } from '../../errors.js';
import { backupFormats, type BackupTool } from '../backup/backup-tool.js';
import type { ConnectionUrl } from '../connection-url.js';

function env(target: ConnectionUrl): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  // MYSQL_PWD keeps the password out of argv (visible in ps); an empty one means "no password".
  if (target.password !== undefined) out.MYSQL_PWD = target.password;
  else delete out.MYSQL_PWD;
  return out;
}

function connArgs(target: ConnectionUrl): string[] {
  return ['--host', target.host, '--port', String(target.port), '--user', target.user, '--protocol', 'TCP'];
}

/** mysqldump (one consistent transaction, piped through gzip) and mysql. */
export const mysqldumpTool: BackupTool = {
  dialect: 'mysql',
  nativeFormat: 'sql-gzip',
  extension: backupFormats['sql-gzip'].extension,
  checkServerVersion(serverMajor) {
    // mysqldump dumps older and newer MariaDB servers alike; only its absence stops a dump.
    if (this.toolMajorVersion() === undefined) {
      throw new BatonError('BACKUP_TOOL_MISSING', `mysqldump is not installed or not on PATH (server ${serverMajor})`, {
        hint: 'install mariadb-client',
      });
    }
  },
  dumpCommand(target) {
    return {
      argv: [
        'mysqldump',
        ...connArgs(target),
        '--single-transaction',
        '--routines',
        '--triggers',
        '--events',
        '--hex-blob',
        target.database,
      ],
      env: env(target),
      toStdout: true,
    };
  },
  restoreCommand(target) {
    return { argv: ['mysql', ...connArgs(target), target.database], env: env(target), fromStdin: true };
  },
  toolMajorVersion() {
    const out = spawnSync('mysqldump', ['--version'], { encoding: 'utf8' });
    const match = /Distrib (\d+)|Ver (\d+)/.exec(out.stdout ?? '');
    return out.status === 0 && match ? Number(match[1] ?? match[2]) : undefined;
  },
};
