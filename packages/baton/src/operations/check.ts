import type { Finding } from '../check/finding.js';
import type { SqlDialect } from '../check/sql/sql-dialect.js';
import type { LoadedManifest } from '../manifests/loaded-manifest.js';
import type { ManifestContext } from '../check/manifest/manifest-rule.js';

export interface CheckResult {
  findings: Finding[];
  /** True when no finding is an error. */
  ok: boolean;
}

/**
 * `check`: lints migrations (unsafe operations, with the safe alternative) and manifests (the
 * zero-downtime checklist). Findings point at file:line, so migrations are named by their folder
 * (check/ reads it) and manifests come loaded with their lines.
 */
export async function check(request: {
  migrations?: { dir: string; dialect: SqlDialect };
  manifests?: readonly LoadedManifest[] /** What the spec says beyond the manifests (its drain). */;
  context?: ManifestContext;
}): Promise<CheckResult> {
  // Loaded on use: the SQL parsers are heavy, and every other verb imports this module's barrel.
  const [{ lintManifests }, { checkMigrations }, { exitCodeFor }] = await Promise.all([
    import('../check/check-manifests.js'),
    import('../check/check-migrations.js'),
    import('../check/exit-code-for.js'),
  ]);
  const findings: Finding[] = [];
  if (request.migrations) findings.push(...(await checkMigrations(request.migrations)));
  if (request.manifests && request.manifests.length > 0) findings.push(...lintManifests(request.manifests, request.context));
  return { findings, ok: exitCodeFor(findings) === 0 };
}
