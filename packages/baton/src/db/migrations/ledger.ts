import type { DbSession, Dialect } from '../dialect.js';
import type { Migration, MigrationPhase } from './migration.js';
import type { MigrationProblem } from './migration-problem.js';

/** A row of baton_schema_migrations. */
export interface AppliedMigration {
  version: number;
  name: string;
  phase: MigrationPhase;
  checksum: string;
  appliedAt: string;
  durationMs: number;
  release: string | null;
}

/** Creates baton's tables if missing (idempotent, safe to race: IF NOT EXISTS). */
export async function ensureBookkeeping(dialect: Dialect, session: DbSession): Promise<void> {
  for (const ddl of dialect.bookkeepingDdl) await session.query(ddl);
}

/** Every applied migration, by version. */
export async function readLedger(dialect: Dialect, session: DbSession): Promise<AppliedMigration[]> {
  const { rows } = await session.query(
    `SELECT version, name, phase, checksum, applied_at, duration_ms, ${dialect.quoteIdent('release')} AS rel
       FROM baton_schema_migrations ORDER BY version`,
  );
  return rows.map((r) => ({
    version: Number(r.version),
    name: String(r.name),
    phase: String(r.phase) as MigrationPhase,
    checksum: String(r.checksum).trim(),
    appliedAt: r.applied_at instanceof Date ? r.applied_at.toISOString() : String(r.applied_at),
    durationMs: Number(r.duration_ms),
    release: r.rel == null ? null : String(r.rel),
  }));
}

/** Records a migration as applied; runs inside the migration's transaction when there is one. */
export async function recordApplied(
  dialect: Dialect,
  session: DbSession,
  m: Migration,
  durationMs: number,
  release: string | undefined,
): Promise<void> {
  const p = (n: number) => dialect.param(n);
  await session.query(
    `INSERT INTO baton_schema_migrations (version, name, phase, checksum, duration_ms, ${dialect.quoteIdent('release')})
     VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)})`,
    [m.version, m.name, m.phase, m.checksum, Math.round(durationMs), release ?? null],
  );
}

export async function removeApplied(dialect: Dialect, session: DbSession, version: number): Promise<void> {
  await session.query(`DELETE FROM baton_schema_migrations WHERE version = ${dialect.param(1)}`, [version]);
}

/**
 * An applied migration whose file changed (or vanished) means the database and the code disagree
 * about history: refuse before anything runs.
 */
export function ledgerProblems(applied: readonly AppliedMigration[], migrations: readonly Migration[]): MigrationProblem[] {
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  const problems: MigrationProblem[] = [];
  for (const a of applied) {
    const m = byVersion.get(a.version);
    if (!m) {
      problems.push({ code: 'missing-file', message: `version ${a.version} (${a.name}) is applied but its file is gone` });
    } else if (m.checksum !== a.checksum) {
      problems.push({
        code: 'checksum-mismatch',
        file: m.file,
        message: `applied on ${a.appliedAt} with checksum ${a.checksum.slice(0, 12)}…, the file now has ${m.checksum.slice(0, 12)}…: an applied migration was edited`,
      });
    }
  }
  return problems.sort((x, y) => (x.code === 'checksum-mismatch' ? -1 : 0) - (y.code === 'checksum-mismatch' ? -1 : 0));
}
