import { BatonError } from '../../errors.js';

/**
 * pg_dump refuses a server newer than itself ("server version mismatch") and Debian ships one
 * pg_dump per release; say so plainly, with the fix, before starting a dump that cannot work.
 */
export function checkDumpToolVersion(serverMajor: number, toolMajor: number | undefined): void {
  if (toolMajor === undefined) {
    throw new BatonError('BACKUP_TOOL_MISSING', 'pg_dump is not installed or not on PATH', {
      hint: `install postgresql-client-${serverMajor}`,
    });
  }
  if (serverMajor > toolMajor) {
    throw new BatonError(
      'BACKUP_TOOL_VERSION',
      `pg_dump ${toolMajor} cannot dump a PostgreSQL ${serverMajor} server (pg_dump must be at least the server's major version)`,
      {
        hint: `install postgresql-client-${serverMajor}, or use a backup method of kind "command" that runs a matching pg_dump`,
      },
    );
  }
}
