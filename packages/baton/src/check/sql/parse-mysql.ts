import sqlParser from 'node-sql-parser';
import type { JsonValue, ParsedStatement } from './parsed-statement.js';
import { maskPlaceholders } from './placeholders.js';
import { SqlParseError } from './sql-parse-error.js';
import { positionIndex, skipTrivia } from './source-position.js';
import { splitStatements } from './split-statements.js';

interface PegError {
  message: string;
  location?: { start?: { line?: number; column?: number; offset?: number } };
}

// The MySQL grammar of node-sql-parser covers more ALTER TABLE forms (FOREIGN KEY, PRIMARY KEY)
// than its MariaDB one; MariaDB syntax it lacks is tried second.
const grammars = ['MySQL', 'MariaDB'] as const;

/** Parses MySQL/MariaDB with node-sql-parser, one statement at a time. Throws SqlParseError. */
export function parseMysql(text: string, options: { file?: string; lineOffset?: number } = {}): ParsedStatement[] {
  const parser = new sqlParser.Parser();
  const lineOffset = options.lineOffset ?? 0;
  const statements: ParsedStatement[] = [];
  const position = positionIndex(text);
  for (const slice of splitStatements(maskPlaceholders(text))) {
    const first = skipTrivia(text, slice.offset);
    if (first >= slice.offset + slice.sql.length) continue;
    const sql = slice.sql.slice(first - slice.offset);
    let ast: JsonValue | undefined;
    let firstError: PegError | undefined;
    for (const database of grammars) {
      try {
        const parsed = parser.astify(sql, { database }) as unknown as JsonValue;
        ast = Array.isArray(parsed) ? (parsed[0] ?? null) : parsed;
        break;
      } catch (error) {
        firstError ??= error as PegError;
      }
    }
    if (ast === undefined) {
      const offsetInStatement = firstError?.location?.start?.offset ?? 0;
      const at = position(first + offsetInStatement);
      throw new SqlParseError({
        ...(options.file === undefined ? {} : { file: options.file }),
        line: at.line + lineOffset,
        column: at.column,
        reason: shorten(firstError?.message ?? 'unparsable statement'),
        cause: firstError,
      });
    }
    const at = position(first);
    statements.push({ ast, sql: text.slice(first, slice.offset + slice.sql.length).trim(), line: at.line + lineOffset, column: at.column });
  }
  return statements;
}

/** node-sql-parser lists every token it expected; the first few are enough to read. */
function shorten(message: string): string {
  return message.length > 240 ? `${message.slice(0, 240)}...` : message;
}
