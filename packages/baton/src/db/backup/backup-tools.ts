import type { DialectName } from '../dialect.js';
import { mysqldumpTool } from '../mysql/mysqldump-tool.js';
import { pgDumpTool } from '../postgres/pg-dump-tool.js';
import type { BackupTool } from './backup-tool.js';

/** The client tools per dialect. */
export const backupTools = { postgres: pgDumpTool, mysql: mysqldumpTool } satisfies Record<DialectName, BackupTool>;
