import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BatonError } from '../errors.js';
import type { Finding } from './finding.js';
import { lintMigration } from './migration/lint-migration.js';
import type { Operation } from './migration/operation.js';
import type { SqlDialect } from './sql/sql-dialect.js';
import { SqlParseError } from './sql/sql-parse-error.js';

const migrationName = /^(\d+)_[A-Za-z0-9_.-]+\.sql$/;

/**
 * Lints every migration (`NNNN_name.sql`) of a directory in version order, as `baton check`
 * does. Unlike analyzeMigration it never throws for a bad file: unparsable SQL becomes an
 * `sql-parse` error finding, so one run reports every file. Later files see earlier files'
 * operations (a CHECK validated in 0005 makes SET NOT NULL in 0006 safe). Throws BatonError
 * MIGRATIONS_DIR when the directory cannot be read.
 */
export async function checkMigrations(options: { dir: string; dialect: SqlDialect }): Promise<Finding[]> {
  let names: string[];
  try {
    names = (await readdir(options.dir)).filter((name) => name.endsWith('.sql'));
  } catch (cause) {
    throw new BatonError('MIGRATIONS_DIR', `cannot read the migrations directory ${options.dir}`, { cause, hint: 'Pass the folder holding the NNNN_name.sql files.' });
  }
  const findings: Finding[] = [];
  const versions = new Map<number, string>();
  const ordered: { name: string; version: number }[] = [];
  for (const name of names) {
    const match = migrationName.exec(name);
    if (match === null) {
      findings.push({ ruleId: 'migration-file-name', severity: 'warning', message: `${name} does not look like NNNN_name.sql, so it is not run`, hint: 'Rename it to <number>_<name>.sql, e.g. 0005_add_index.sql.', file: join(options.dir, name) });
      continue;
    }
    const version = Number(match[1]);
    const clash = versions.get(version);
    if (clash !== undefined) {
      findings.push({ ruleId: 'migration-order', severity: 'error', message: `${name} has the same version ${version} as ${clash}`, hint: 'Give every migration a unique number; renumber the newer one.', file: join(options.dir, name), line: 1, column: 1 });
    }
    versions.set(version, name);
    ordered.push({ name, version });
  }
  ordered.sort((a, b) => a.version - b.version || a.name.localeCompare(b.name));
  const earlier: Operation[] = [];
  for (const { name } of ordered) {
    const file = join(options.dir, name);
    const sql = await readFile(file, 'utf8');
    try {
      const linted = lintMigration(sql, { dialect: options.dialect, file, earlier });
      findings.push(...linted.findings);
      earlier.push(...linted.operations);
    } catch (error) {
      if (!(error instanceof SqlParseError)) throw error;
      findings.push({ ruleId: 'sql-parse', severity: 'error', message: error.message.replace(/^\S+: /, ''), hint: error.hint ?? '', file, line: error.line, column: error.column });
    }
  }
  return findings;
}
