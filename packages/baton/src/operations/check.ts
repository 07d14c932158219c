import type { Finding } from '../check/finding.js';
import type { SqlDialect } from '../check/sql/sql-dialect.js';
import type { LoadedManifest } from '../manifests/loaded-manifest.js';
import type { ManifestContext } from '../check/manifest/manifest-rule.js';
import type { SmallTableThresholds } from '../check/migration/live-context.js';

export interface CheckResult {
  findings: Finding[];
  /** True when no finding is an error. */
  ok: boolean;
}

/**
 * `check`: lints migrations (unsafe operations, with the safe alternative) and manifests (the
 * zero-downtime checklist). Findings point at file:line, so migrations are named by their folder
 * (check/ reads it) and manifests come loaded with their lines. With `database`, the live schema
 * is read once through a READ ONLY session (nothing is written, no baton table created) and
 * pending migrations are judged against it; an unreachable database throws its BatonError
 * (DB_UNREACHABLE...) before any finding is made.
 */
export async function check(request: {
  migrations?: { dir: string; dialect: SqlDialect };
  /** The live database (`--database URL`), and what counts as a small table there. */
  database?: { url: string; smallTable?: SmallTableThresholds };
  manifests?: readonly LoadedManifest[] /** What the spec says beyond the manifests (its drain). */;
  context?: ManifestContext;
}): Promise<CheckResult> {
  // Loaded on use: the SQL parsers are heavy, and every other verb imports this module's barrel.
  const [{ lintManifests }, { checkMigrations }, { exitCodeFor }, { readLiveDatabase }, { invalidIndexFindings }] = await Promise.all([
    import('../check/check-manifests.js'),
    import('../check/check-migrations.js'),
    import('../check/exit-code-for.js'),
    import('../db/migrations/read-live-database.js'),
    import('../check/migration/invalid-index-findings.js'),
  ]);
  const database = request.database ? await readLiveDatabase(request.database.url) : undefined;
  const live = database ? { database, ...(request.database?.smallTable ? { smallTable: request.database.smallTable } : {}) } : undefined;
  const findings: Finding[] = [];
  if (request.migrations) findings.push(...(await checkMigrations({ ...request.migrations, ...(live ? { live } : {}) })));
  // No migrations to judge: the live schema still tells of INVALID indexes nobody owns.
  else if (database) findings.push(...invalidIndexFindings(database, []));
  if (request.manifests && request.manifests.length > 0) findings.push(...lintManifests(request.manifests, request.context));
  return { findings, ok: exitCodeFor(findings) === 0 };
}
