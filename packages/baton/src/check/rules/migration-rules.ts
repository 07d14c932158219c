import type { MigrationRule } from '../migration/migration-rule.js';
import { dropColumn } from './migration/drop-column.js';
import { dropTable } from './migration/drop-table.js';
import { mixedPhases } from './migration/mixed-phases.js';
import { phaseMismatch } from './migration/phase-mismatch.js';
import { renameColumn } from './migration/rename-column.js';
import { renameTable } from './migration/rename-table.js';

/** Every migration rule by id. Adding a rule adds one file and one entry here. */
export const migrationRules = {
  'phase-mismatch': phaseMismatch,
  'mixed-phases': mixedPhases,
  'drop-column': dropColumn,
  'drop-table': dropTable,
  'rename-column': renameColumn,
  'rename-table': renameTable,
} satisfies Record<string, MigrationRule>;

export type MigrationRuleId = keyof typeof migrationRules;
