import { planIndexRepairs, type IndexRepair, type PendingMigration } from '../../db/migrations/index-repairs.js';
import type { LiveDatabase } from '../../db/migrations/read-live-database.js';
import type { Finding, Severity } from '../finding.js';

// What migrate does decides how loud the finding is: a rebuild is handled, a leftover nobody
// owns costs every write until someone drops it.
const severities: Record<IndexRepair['action'], Severity> = { rebuild: 'info', wait: 'info', report: 'warning' };

const hints: Record<IndexRepair['action'], string> = {
  rebuild: 'Nothing to do: baton migrate drops the INVALID index concurrently before the migration that builds it runs.',
  wait: 'Let the build finish; run baton check again afterwards.',
  report:
    'Drop it with DROP INDEX CONCURRENTLY (outside a transaction), and rebuild it with CREATE INDEX CONCURRENTLY if it is still wanted.',
};

/**
 * One `invalid-index` finding per INVALID index of the live schema (an interrupted CREATE INDEX
 * CONCURRENTLY), saying what `baton migrate` will do about it, exactly as planMigrations plans it.
 * A rebuild points at the pending migration that builds the index again.
 */
export function invalidIndexFindings(database: LiveDatabase, pending: readonly (PendingMigration & { file: string })[]): Finding[] {
  return planIndexRepairs(database.schema.tables, pending, database.indexBuildsInProgress).map((repair) => {
    // index-repairs labels the owner as 0005_add_email_index.
    const owner = pending.find((m) => repair.migration === `${String(m.version).padStart(4, '0')}_${m.name}`);
    return {
      ruleId: 'invalid-index',
      severity: severities[repair.action],
      message: repair.description,
      hint: hints[repair.action],
      ...(owner ? { file: owner.file, line: 1, column: 1 } : {}),
    };
  });
}
