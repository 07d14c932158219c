import { resolve } from 'node:path';
import type { SqlDialect } from '../../check/sql/sql-dialect.js';
import { formatFindings, type FindingsFormat } from '../../check/format-findings.js';
import { BatonError } from '../../errors.js';
import { loadManifests } from '../../manifests/load-manifests.js';
import { check } from '../../operations/check.js';
import { loadSpec } from '../../spec/load-spec.js';
import type { DrainSpec } from '../../spec/schema.js';
import { exitCodes } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { checkDatabaseUrl } from './check-database-url.js';
import { defaultSmallTable } from '../../check/migration/live-context.js';
import { parseConnectionUrl } from '../../db/connection-url.js';

/** `baton check`: works from a spec, or from --migrations / --manifests alone. */
export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  let migrationsDir = typeof options.migrations === 'string' ? resolve(io.cwd, options.migrations) : undefined;
  let manifestPaths = (Array.isArray(options.manifests) ? options.manifests.map(String) : []).map((p) => resolve(io.cwd, p));
  let dialect: SqlDialect = options.dialect === 'mysql' ? 'mysql' : 'postgres';
  let drain: DrainSpec | undefined;
  let spec: Awaited<ReturnType<typeof loadSpec>>['spec'] | undefined;
  if (typeof options.spec === 'string') {
    const loaded = await loadSpec(resolve(io.cwd, options.spec));
    spec = loaded.spec;
    migrationsDir ??= loaded.migrationsDir;
    if (manifestPaths.length === 0) manifestPaths = loaded.manifestPaths;
    if (loaded.spec.database) dialect = loaded.spec.database.dialect;
    drain = loaded.spec.drain;
  }
  // `--database URL` alone still has something to say: the INVALID indexes nobody owns.
  if (migrationsDir === undefined && manifestPaths.length === 0 && typeof options.database !== 'string') {
    throw new BatonError('USAGE', 'nothing to check', {
      hint: 'pass --migrations DIR and/or --manifests PATH (and --database URL), or --spec baton.yaml',
    });
  }
  const url = await checkDatabaseUrl(options, spec, io);
  if (url !== undefined) {
    // The URL decides the dialect the migrations are parsed in, as the runner does.
    dialect = parseConnectionUrl(url).dialect;
  }
  const result = await check({
    ...(migrationsDir ? { migrations: { dir: migrationsDir, dialect } } : {}),
    ...(url !== undefined
      ? {
          database: {
            url,
            smallTable: {
              rows: numberOr(options.smallTableRows, defaultSmallTable.rows),
              bytes: numberOr(options.smallTableBytes, defaultSmallTable.bytes),
            },
          },
        }
      : {}),
    manifests: manifestPaths.length > 0 ? await loadManifests(manifestPaths) : [],
    ...(drain ? { context: { drain } } : {}),
  });
  io.stdout.write(formatFindings(result.findings, formatOf(options.output), { root: io.cwd }));
  return result.ok ? exitCodes.ok : exitCodes.failed;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

function formatOf(value: unknown): FindingsFormat {
  return value === 'json' || value === 'sarif' ? value : 'text';
}
