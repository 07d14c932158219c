import type { ParsedStatement } from '../sql/parsed-statement.js';
import type { Operation } from './operation.js';

/** Turns node-sql-parser statements into operations. */
export function mysqlOperations(statements: readonly ParsedStatement[]): Operation[] {
  return statements.map((statement) => ({ kind: 'other', statement: 'unknown', sql: statement.sql, location: { line: statement.line, column: statement.column } }));
}
