import type { DbSession } from '../dialect.js';
import { dialectForUrl } from '../dialects.js';
import { discoverMigrations } from './discover-migrations.js';
import { planIndexRepairs, type IndexRepair } from './index-repairs.js';
import { readLedger } from './ledger.js';
import type { MigrationAnalyzer } from './migration-analyzer.js';
import type { MigrationPhase } from './migration.js';

export interface MigrationPlan {
  /** Pending migrations in version order, with their phase. */
  pending: { version: number; name: string; phase: MigrationPhase }[];
  /** What `migrate` will do about INVALID indexes before its first migration. */
  indexRepairs: IndexRepair[];
}

/**
 * Read-only: what `migrate` would do now. Changes nothing (it does not even create baton's own
 * tables), takes no lock, so `baton plan` can call it at any time.
 */
export async function planMigrations(options: { url: string; dir: string; analyze?: MigrationAnalyzer }): Promise<MigrationPlan> {
  const dialect = dialectForUrl(options.url);
  const { migrations } = await discoverMigrations(options.dir, {
    dialect: dialect.name,
    ...(options.analyze ? { analyze: options.analyze } : {}),
  });
  const session: DbSession = await dialect.connect(options.url, { applicationName: 'baton-plan' });
  try {
    const hasLedger = (await dialect.listTables(session)).includes('baton_schema_migrations');
    const applied = new Set(hasLedger ? (await readLedger(dialect, session)).map((a) => a.version) : []);
    const pending = migrations.filter((m) => !applied.has(m.version));
    const indexRepairs = planIndexRepairs(await dialect.describeTables(session), pending, await dialect.indexBuildsInProgress(session));
    return { pending: pending.map((m) => ({ version: m.version, name: m.name, phase: m.phase })), indexRepairs };
  } finally {
    await session.close();
  }
}
