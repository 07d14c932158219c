import { resolve } from 'node:path';
import { checkManifests } from '../../check/check-manifests.js';
import { checkMigrations } from '../../check/check-migrations.js';
import { exitCodeFor } from '../../check/exit-code-for.js';
import type { Finding } from '../../check/finding.js';
import { formatFindings, type FindingsFormat } from '../../check/format-findings.js';
import { BatonError } from '../../errors.js';
import { loadSpec } from '../../spec/load-spec.js';
import { exitCodes } from '../exit-codes.js';
import type { CliIO } from '../io.js';

/** `baton check`: works from a spec, or from --migrations / --manifests alone. */
export async function run(options: Record<string, unknown>, _args: string[], io: CliIO): Promise<number> {
  let migrationsDir = options.migrations ? resolve(io.cwd, options.migrations as string) : undefined;
  let manifestPaths = ((options.manifests as string[] | undefined) ?? []).map((p) => resolve(io.cwd, p));
  let dialect = options.dialect as 'postgres' | 'mysql';
  if (options.spec) {
    const loaded = await loadSpec(resolve(io.cwd, options.spec as string));
    migrationsDir ??= loaded.migrationsDir;
    if (manifestPaths.length === 0) manifestPaths = loaded.manifestPaths;
    if (loaded.spec.database) dialect = loaded.spec.database.dialect;
  }
  if (migrationsDir === undefined && manifestPaths.length === 0) {
    throw new BatonError('USAGE', 'nothing to check', { hint: 'pass --migrations DIR and/or --manifests PATH, or --spec baton.yaml' });
  }
  const findings: Finding[] = [];
  if (migrationsDir) findings.push(...await checkMigrations({ dir: migrationsDir, dialect }));
  if (manifestPaths.length > 0) findings.push(...await checkManifests({ paths: manifestPaths }));
  io.stdout.write(formatFindings(findings, options.output as FindingsFormat, { root: io.cwd }));
  return exitCodeFor(findings) === 0 ? exitCodes.ok : exitCodes.failed;
}
