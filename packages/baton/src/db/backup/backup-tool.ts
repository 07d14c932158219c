import type { ConnectionUrl } from '../connection-url.js';
import type { DialectName } from '../dialect.js';

/** The file formats a backup can hold; each has one way to restore it. */
export type BackupFormat = 'pg-custom' | 'sql' | 'sql-gzip';

/** Per format: the file name suffix, and whether the dump tool compresses it itself (pg_dump -Fc). */
export const backupFormats: Record<BackupFormat, { extension: string; compressedByTool: boolean }> = {
  'pg-custom': { extension: '.dump', compressedByTool: true },
  sql: { extension: '.sql', compressedByTool: false },
  'sql-gzip': { extension: '.sql.gz', compressedByTool: false },
};

/** How to dump and restore one engine with its own client tools. */
export interface BackupTool {
  dialect: DialectName;
  /** Format of the native dump. */
  nativeFormat: BackupFormat;
  /** File name suffix for the native dump (backupFormats[nativeFormat].extension). */
  extension: string;
  /** Throws a BatonError (BACKUP_TOOL_MISSING / BACKUP_TOOL_VERSION) when this machine's tool cannot dump a server of that major version. */
  checkServerVersion(serverMajor: number): void;
  /** argv and env of the native dump of `target`; the password travels in env, never in argv. */
  dumpCommand(target: ConnectionUrl, options: { snapshot?: string }): { argv: string[]; env: NodeJS.ProcessEnv; toStdout: boolean };
  /** argv and env that restore a file of `format` into `target`; `fromStdin` if it reads the SQL on stdin. */
  restoreCommand(target: ConnectionUrl, format: BackupFormat, file: string): { argv: string[]; env: NodeJS.ProcessEnv; fromStdin: boolean };
  /** Major version of the dump tool on this machine (e.g. 15), or undefined if not installed. */
  toolMajorVersion(): number | undefined;
}
