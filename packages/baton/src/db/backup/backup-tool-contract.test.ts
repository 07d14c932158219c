import { mysqldumpTool } from '../mysql/mysqldump-tool.js';
import { pgDumpTool } from '../postgres/pg-dump-tool.js';
import { defineBackupToolContract } from '../testing/backup-tool-contract.js';
import { backupTools } from './backup-tools.js';
import type { BackupTool } from './backup-tool.js';
import type { DialectName } from '../dialect.js';

// One contract over every registered tool; the map's type makes a new dialect add its tool here.
const servers: Record<DialectName, { tool: BackupTool; server: 'postgres' | 'mariadb' }> = {
  postgres: { tool: pgDumpTool, server: 'postgres' },
  mysql: { tool: mysqldumpTool, server: 'mariadb' },
};
for (const [dialect, tool] of Object.entries(backupTools) as [DialectName, BackupTool][]) {
  defineBackupToolContract(
    `${dialect} (${tool === servers[dialect].tool ? servers[dialect].server : 'unregistered'})`,
    tool,
    servers[dialect].server,
  );
}
