import { BatonError } from '../../errors.js';
import type { MigrationAnalyzer } from '../migrations/migration-analyzer.js';
import { splitSql, stripComments } from '../migrations/split-sql.js';

/**
 * A deliberately crude stand-in for check/analyze-migration.ts, so db/ tests do not depend on the
 * linter's rule details: DROP COLUMN/TABLE and RENAME are contract, a lone UPDATE is a backfill,
 * everything else is expand; a statement starting with an unknown verb is a parse error.
 */
export const keywordAnalyzer: MigrationAnalyzer = (text) => {
  // Like the real analyzer it gets the whole file: only the part before `-- baton: down` is classified.
  const sql = text.split(/^\s*--\s*baton:\s*down\s*$/m)[0] ?? '';
  const statements = splitSql(sql).map((s) => stripComments(s).trim());
  for (const s of statements) {
    if (!/^(create|alter|update|insert|drop|delete|select|comment)\b/i.test(s)) {
      throw new BatonError('SQL_PARSE', `syntax error at or near "${s.split(/\s+/)[0] ?? ''}"`);
    }
  }
  const joined = statements.join(';\n');
  if (/\bdrop\s+(column|table)\b|\brename\b/i.test(joined)) return { phase: 'contract', findings: [] };
  if (statements.length > 0 && statements.every((s) => /^update\b/i.test(s))) return { phase: 'backfill', findings: [] };
  return { phase: 'expand', findings: [] };
};
