import { parsePostgres } from '../sql/parse-postgres.js';
import { postgresOperations } from './postgres-operations.js';

/**
 * The column a live CHECK constraint proves never NULL, when its definition (pg_get_constraintdef's
 * spelling, `CHECK ((email IS NOT NULL))`, maybe ending in `NOT VALID`) is exactly
 * `column IS NOT NULL`. Read with the same parser as the migrations, so quoting and parentheses
 * mean what PostgreSQL means; anything else (a conjunction, a function) is undefined: PostgreSQL
 * may still prove more, but what baton cannot read it does not claim.
 */
export function notNullColumnOfCheck(definition: string): string | undefined {
  if (!/^\s*CHECK\b/i.test(definition)) return undefined;
  try {
    const [op] = postgresOperations(parsePostgres(`ALTER TABLE t ADD ${definition}`, {}));
    return op?.kind === 'add-constraint' ? op.notNullColumn : undefined;
  } catch {
    return undefined;
  }
}
