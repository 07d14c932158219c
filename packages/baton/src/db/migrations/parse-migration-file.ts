import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { BackfillSpec, Migration, MigrationPhase, TimeoutClass } from './migration.js';
import type { MigrationProblem } from './migration-problem.js';
import { splitSql, stripComments } from './split-sql.js';

/** NNNN_name.sql: four or more digits, then a lower-case snake name. */
export const migrationFilePattern = /^(\d{4,})_([a-z0-9][a-z0-9_]*)\.sql$/;

// `allow` is the linter's (rule suppressions); baton's runner only reads it through the analyzer.
const knownKeys = new Set(['phase', 'timeout', 'table', 'key', 'batch', 'allow']);
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A parsed file before its phase is reconciled with the analysis (phase may be undeclared). */
export type ParsedMigration = Omit<Migration, 'phase'> & { declaredPhase: MigrationPhase | undefined; source: string };

/**
 * Parses one migration file. Header lines are `-- baton: key=value ...`; `-- baton: down` starts
 * the down SQL. Problems are returned (all of them), not thrown, so a folder reports every fault.
 */
export function parseMigrationFile(text: string, file: string): { migration?: ParsedMigration; problems: MigrationProblem[] } {
  const problems: MigrationProblem[] = [];
  const match = migrationFilePattern.exec(basename(file));
  if (!match) {
    return { problems: [{ code: 'bad-name', file, message: 'file name must be NNNN_name.sql (e.g. 0003_backfill_full_name.sql)' }] };
  }
  const headers = new Map<string, { value: string; line: number }>();
  const up: string[] = [];
  const down: string[] = [];
  let inDown = false;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const header = /^\s*--\s*baton:\s*(.*)$/.exec(raw);
    if (!header) {
      (inDown ? down : up).push(raw);
      return;
    }
    const body = (header[1] ?? '').trim();
    if (body === 'down') {
      if (inDown) problems.push({ code: 'bad-header', file, line, message: 'a second "-- baton: down" line' });
      inDown = true;
      return;
    }
    for (const pair of body.split(/\s+/).filter(Boolean)) {
      const [key, value] = pair.split('=', 2);
      if (key === undefined || value === undefined || value === '') {
        problems.push({ code: 'bad-header', file, line, message: `header "${pair}" is not key=value` });
      } else if (!knownKeys.has(key)) {
        problems.push({ code: 'unknown-header', file, line, message: `unknown header key "${key}" (known: ${[...knownKeys].join(', ')})` });
      } else if (headers.has(key)) {
        problems.push({ code: 'bad-header', file, line, message: `header key "${key}" given twice` });
      } else headers.set(key, { value, line });
    }
  });

  const phaseHeader = headers.get('phase');
  let declaredPhase: MigrationPhase | undefined;
  if (phaseHeader) {
    if (['expand', 'backfill', 'contract'].includes(phaseHeader.value)) declaredPhase = phaseHeader.value as MigrationPhase;
    else
      problems.push({
        code: 'bad-header',
        file,
        line: phaseHeader.line,
        message: `phase must be expand, backfill or contract (got "${phaseHeader.value}")`,
      });
  }
  const upSql = up.join('\n').trim();
  const concurrently = /\bconcurrently\b/i.test(stripComments(upSql));
  const strongLockFree = concurrently || /\bvalidate\s+constraint\b/i.test(stripComments(upSql));
  let timeout: TimeoutClass = strongLockFree ? 'long' : 'short';
  const timeoutHeader = headers.get('timeout');
  if (timeoutHeader) {
    if (timeoutHeader.value === 'short' || timeoutHeader.value === 'long') timeout = timeoutHeader.value;
    else
      problems.push({
        code: 'bad-header',
        file,
        line: timeoutHeader.line,
        message: `timeout must be short or long (got "${timeoutHeader.value}")`,
      });
  }
  if (concurrently && /^\s*(begin|start\s+transaction|commit)\b/im.test(stripComments(upSql))) {
    problems.push({
      code: 'concurrently-in-transaction',
      file,
      message: 'CONCURRENTLY cannot run inside a transaction: remove BEGIN/COMMIT (baton runs this file outside one)',
    });
  }
  if (splitSql(upSql).length === 0) problems.push({ code: 'bad-header', file, message: 'the migration has no SQL to apply' });

  let backfill: BackfillSpec | undefined;
  if (declaredPhase === 'backfill') backfill = backfillSpec(headers, upSql, file, problems);
  else
    for (const key of ['table', 'key', 'batch']) {
      const h = headers.get(key);
      if (h) problems.push({ code: 'bad-header', file, line: h.line, message: `"${key}" only applies to phase=backfill` });
    }

  const downSql = down.join('\n').trim();
  return {
    problems,
    migration: {
      version: Number(match[1]),
      name: match[2] ?? '',
      file,
      declaredPhase,
      source: text,
      timeout,
      up: upSql,
      down: inDown && downSql !== '' ? downSql : undefined,
      checksum: createHash('sha256').update(text).digest('hex'),
      backfill,
      concurrently,
    },
  };
}

function backfillSpec(
  headers: Map<string, { value: string; line: number }>,
  upSql: string,
  file: string,
  problems: MigrationProblem[],
): BackfillSpec | undefined {
  const table = headers.get('table')?.value;
  const keyHeader = headers.get('key')?.value;
  const key = keyHeader === undefined ? [] : keyHeader.split(',');
  const batch = Number(headers.get('batch')?.value ?? '1000');
  const before = problems.length;
  if (!table || !identifier.test(table))
    problems.push({ code: 'bad-header', file, message: 'a backfill needs table=<name> (a plain identifier)' });
  if (key.some((k) => !identifier.test(k))) {
    problems.push({
      code: 'bad-header',
      file,
      message:
        'key= names the key columns, comma-separated plain identifiers (key=id or key=tenant_id,id); leave it out to use the primary key',
    });
  }
  if (!Number.isInteger(batch) || batch < 1) problems.push({ code: 'bad-header', file, message: 'batch must be a positive integer' });
  const code = stripComments(upSql);
  const keyset = /(?<![:\w]):batch\b/.test(code);
  const range = /(?<![:\w]):start\b/.test(code) && /(?<![:\w]):end\b/.test(code);
  if (keyset === range) {
    problems.push({
      code: 'bad-header',
      file,
      message:
        'a backfill statement names its batch with :batch (WHERE :batch AND ...), or with :start (inclusive) and :end (exclusive) for one integer key, not both',
    });
  }
  if (range && key.length > 1)
    problems.push({ code: 'bad-header', file, message: ':start/:end bound one integer key; a composite key needs :batch' });
  if (splitSql(upSql).length !== 1) problems.push({ code: 'bad-header', file, message: 'a backfill holds exactly one statement' });
  return problems.length === before && table ? { table, key, batch, bounds: keyset ? 'keyset' : 'range' } : undefined;
}
