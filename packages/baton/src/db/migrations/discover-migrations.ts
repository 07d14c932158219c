import { readdir } from 'node:fs/promises';
import { readMigrationText } from './read-migration-text.js';
import { join, resolve } from 'node:path';
import { isBatonError } from '../../errors.js';
import type { DialectName } from '../dialect.js';
import type { Migration, MigrationPhase } from './migration.js';
import { loadDefaultAnalyzer, type AnalyzerFinding, type MigrationAnalyzer } from './migration-analyzer.js';
import { MigrationsInvalidError, type MigrationProblem } from './migration-problem.js';
import { parseMigrationFile, type ParsedMigration } from './parse-migration-file.js';

export interface DiscoverOptions {
  dialect: DialectName;
  /** The classifier; defaults to check/analyze-migration.ts. */
  analyze?: MigrationAnalyzer;
}

export interface DiscoveredMigrations {
  migrations: Migration[];
  /** What the analyzer reported, per file, for the plan/report (not enforced here). */
  findings: AnalyzerFinding[];
}

const rank: Record<MigrationPhase, number> = { expand: 0, backfill: 1, contract: 2 };

/**
 * Reads, parses and validates every NNNN_name.sql in `dir`, in version order. Throws
 * MigrationsInvalidError listing every problem (gaps, duplicates, unknown headers, unparsable SQL,
 * a declared phase less strict than the analysis) before anything touches a database.
 */
export async function discoverMigrations(dir: string, options: DiscoverOptions): Promise<DiscoveredMigrations> {
  const root = resolve(dir);
  const names = (await readdir(root)).filter((n) => n.endsWith('.sql')).sort();
  const problems: MigrationProblem[] = [];
  const parsed: ParsedMigration[] = [];
  for (const name of names) {
    const file = join(root, name);
    const result = parseMigrationFile(await readMigrationText(file), file);
    problems.push(...result.problems);
    if (result.migration) parsed.push(result.migration);
  }
  parsed.sort((a, b) => a.version - b.version);
  parsed.forEach((m, i) => {
    const prev = parsed[i - 1];
    if (prev && prev.version === m.version) {
      problems.push({ code: 'duplicate', file: m.file, message: `version ${m.version} is also used by ${prev.file}` });
    } else if (prev && m.version !== prev.version + 1) {
      problems.push({
        code: 'gap',
        file: m.file,
        message: `version ${m.version} follows ${prev.version}: versions ${prev.version + 1}..${m.version - 1} are missing`,
      });
    } else if (!prev && m.version !== 1) {
      problems.push({ code: 'gap', file: m.file, message: `the first migration must be version 1 (got ${m.version})` });
    }
  });

  const analyze = options.analyze ?? (await loadDefaultAnalyzer());
  const findings: AnalyzerFinding[] = [];
  const migrations: Migration[] = [];
  for (const m of parsed) {
    let analyzed: MigrationPhase;
    let mismatch: AnalyzerFinding | undefined;
    try {
      // The analyzer reads the whole file: headers (declared phase, allow=), up and down SQL.
      const result = analyze(m.source, { dialect: options.dialect, file: m.file });
      analyzed = result.phase;
      mismatch = result.findings.find((f) => f.ruleId === 'phase-mismatch' && f.severity === 'error');
      findings.push(...result.findings.map((f) => ({ ...f, file: f.file ?? m.file })));
    } catch (error) {
      if (!isBatonError(error) || error.code !== 'SQL_PARSE') throw error;
      problems.push({ code: 'sql-parse', file: m.file, message: `unparsable SQL: ${error.message}` });
      continue;
    }
    const { declaredPhase, source: _source, ...rest } = m;
    // Declaring a later phase than the SQL needs is safe (it only waits longer); an earlier one
    // would run a narrowing change while old code still depends on the old schema.
    if (mismatch || (declaredPhase !== undefined && rank[declaredPhase] < rank[analyzed])) {
      problems.push({
        code: 'phase-mismatch',
        file: m.file,
        ...(mismatch?.line ? { line: mismatch.line } : {}),
        message: mismatch?.message ?? `declared phase=${declaredPhase} but the SQL is a ${analyzed} change`,
      });
      continue;
    }
    if (declaredPhase === undefined && analyzed === 'backfill') {
      problems.push({ code: 'bad-header', file: m.file, message: 'a backfill must declare phase=backfill with table=, key= and batch=' });
      continue;
    }
    migrations.push({ ...rest, phase: declaredPhase ?? analyzed });
  }
  if (problems.length > 0) throw new MigrationsInvalidError(problems);
  return { migrations, findings };
}
