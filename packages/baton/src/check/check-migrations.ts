import { readdir } from 'node:fs/promises';
import { readMigrationText } from '../db/migrations/read-migration-text.js';
import { join } from 'node:path';
import { BatonError } from '../errors.js';
import type { Finding } from './finding.js';
import { lintMigration } from './migration/lint-migration.js';
import type { Operation } from './migration/operation.js';
import type { SqlDialect } from './sql/sql-dialect.js';
import { SqlParseError } from './sql/sql-parse-error.js';
import type { LiveDatabase } from '../db/migrations/read-live-database.js';
import type { PendingMigration } from '../db/migrations/index-repairs.js';
import { invalidIndexFindings } from './migration/invalid-index-findings.js';
import { defaultSmallTable, type SmallTableThresholds } from './migration/live-context.js';
import { SchemaReplay } from './migration/schema-replay.js';

// The runner's pattern (db/migrations/parse-migration-file.ts): 4+ digits, a lower-case snake name.
const migrationName = /^(\d{4,})_[a-z0-9][a-z0-9_]*\.sql$/;

/**
 * Lints every migration (`NNNN_name.sql`) of a directory in version order, as `baton check`
 * does, including what baton's migration runner would refuse (bad names, duplicate or missing
 * versions). Unlike analyzeMigration it never throws for a bad file: unparsable SQL becomes an
 * `sql-parse` error finding, so one run reports every file. Later files see earlier files'
 * operations (a CHECK validated in 0005 makes SET NOT NULL in 0006 safe). Throws BatonError
 * MIGRATIONS_DIR when the directory cannot be read.
 *
 * With `live` (what readLiveDatabase read), migrations the ledger lists as applied are linted as
 * before (they are the live schema); pending ones are judged against it: size-dependent rules
 * weigh the real table, a type change the live type proves free is not flagged, statements the
 * live schema contradicts are `live-schema-mismatch` errors, and INVALID indexes become
 * `invalid-index` findings saying what migrate will do.
 */
export async function checkMigrations(options: {
  dir: string;
  dialect: SqlDialect;
  live?: { database: LiveDatabase; smallTable?: SmallTableThresholds };
}): Promise<Finding[]> {
  let names: string[];
  try {
    names = (await readdir(options.dir)).filter((name) => name.endsWith('.sql'));
  } catch (cause) {
    throw new BatonError('MIGRATIONS_DIR', `cannot read the migrations directory ${options.dir}`, {
      cause,
      hint: 'Pass the folder holding the NNNN_name.sql files.',
    });
  }
  const findings: Finding[] = [];
  const ordered: { name: string; version: number }[] = [];
  for (const name of names) {
    const match = migrationName.exec(name);
    if (match === null) {
      findings.push({
        ruleId: 'migration-file-name',
        severity: 'error',
        message: `${name} is not named NNNN_snake_name.sql: baton's migration runner refuses the folder`,
        hint: 'Rename it to <4+ digits>_<lower_snake_name>.sql, e.g. 0005_add_email_index.sql, or move it out of the migrations folder.',
        file: join(options.dir, name),
      });
      continue;
    }
    ordered.push({ name, version: Number(match[1]) });
  }
  ordered.sort((a, b) => a.version - b.version || a.name.localeCompare(b.name));
  ordered.forEach(({ name, version }, index) => {
    const previous = ordered[index - 1];
    const at = { file: join(options.dir, name), line: 1, column: 1 };
    if (previous !== undefined && previous.version === version) {
      findings.push({
        ruleId: 'migration-order',
        severity: 'error',
        message: `${name} has the same version ${version} as ${previous.name}`,
        hint: 'Give every migration a unique number; renumber the newer one.',
        ...at,
      });
    } else if (previous !== undefined && version !== previous.version + 1) {
      findings.push({
        ruleId: 'migration-order',
        severity: 'error',
        message: `${name}: versions ${previous.version + 1}..${version - 1} are missing after ${previous.name}`,
        hint: 'Number migrations consecutively; renumber this one.',
        ...at,
      });
    } else if (previous === undefined && version !== 1) {
      findings.push({
        ruleId: 'migration-order',
        severity: 'error',
        message: `${name}: the first migration must be version 1`,
        hint: 'Number migrations from 0001.',
        ...at,
      });
    }
  });
  const earlier: Operation[] = [];
  const pendingEarlier: Operation[] = [];
  const pending: (PendingMigration & { file: string })[] = [];
  const live = options.live;
  const applied = new Set(live?.database.appliedVersions ?? []);
  const replay = live ? new SchemaReplay(live.database.schema) : undefined;
  for (const { name, version } of ordered) {
    const file = join(options.dir, name);
    const sql = await readMigrationText(file);
    const isPending = live !== undefined && !applied.has(version);
    try {
      const linted = lintMigration(sql, {
        dialect: options.dialect,
        file,
        earlier,
        // lintMigration is synchronous: the replay is read before this file's own operations are applied to it.
        ...(isPending && replay
          ? {
              live: {
                schema: live.database.schema,
                smallTable: live.smallTable ?? defaultSmallTable,
                pendingEarlier: [...pendingEarlier],
                replayed: replay,
              },
            }
          : {}),
      });
      findings.push(...linted.findings);
      earlier.push(...linted.operations);
      if (isPending && replay) {
        pendingEarlier.push(...linted.operations);
        pending.push({ version, name: name.replace(/^\d+_/, '').replace(/\.sql$/, ''), up: linted.up, file });
        for (const mismatch of replay.apply(linted.operations)) {
          findings.push({
            ruleId: 'live-schema-mismatch',
            severity: 'error',
            message: mismatch.message,
            hint: mismatch.hint,
            file,
            line: mismatch.location.line,
            column: mismatch.location.column,
          });
        }
      }
    } catch (error) {
      if (!(error instanceof SqlParseError)) throw error;
      findings.push({
        ruleId: 'sql-parse',
        severity: 'error',
        message: error.message.replace(/^\S+: /, ''),
        hint: error.hint ?? '',
        file,
        line: error.line,
        column: error.column,
      });
    }
  }
  if (live) findings.push(...invalidIndexFindings(live.database, pending));
  return findings;
}
