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

const name = '`?([A-Za-z0-9_$.]+)`?';

/**
 * Valid MySQL that node-sql-parser's grammars reject, recognised by shape and given the AST the
 * parser would have produced, so it is linted instead of reported as a syntax error.
 */
const knownShapes: { pattern: RegExp; ast: (match: RegExpExecArray) => JsonValue }[] = [
  {
    // Changing a default only touches the data dictionary (instant). One action only: a comma
    // means more actions, which must not be hidden behind this shape.
    pattern: new RegExp(
      `^ALTER\\s+TABLE\\s+${name}\\s+ALTER\\s+(?:COLUMN\\s+)?${name}\\s+(?:SET\\s+DEFAULT\\s+[^,]+|DROP\\s+DEFAULT)$`,
      'i',
    ),
    ast: (m) => ({
      type: 'alter',
      table: [{ db: null, table: m[1] ?? '' }],
      expr: [{ action: 'alter', resource: 'column', column: { column: m[2] ?? '' } }],
    }),
  },
  {
    pattern: new RegExp(`^ALTER\\s+TABLE\\s+${name}\\s+RENAME\\s+(?:INDEX|KEY)\\s+${name}\\s+TO\\s+${name}$`, 'i'),
    ast: (m) => ({
      type: 'alter',
      table: [{ db: null, table: m[1] ?? '' }],
      expr: [{ action: 'rename', resource: 'index', index: m[2] ?? '' }],
    }),
  },
  {
    // A charset conversion rewrites every text column: a table copy, like a type change.
    pattern: new RegExp(`^ALTER\\s+TABLE\\s+${name}\\s+CONVERT\\s+TO\\s+(?:CHARACTER\\s+SET|CHARSET)\\s+${name}[\\s\\S]*$`, 'i'),
    ast: (m) => ({
      type: 'alter',
      table: [{ db: null, table: m[1] ?? '' }],
      expr: [
        {
          action: 'modify',
          resource: 'column',
          column: { column: '(all text columns)' },
          definition: { dataType: `CHARACTER SET ${m[2] ?? ''}` },
        },
      ],
    }),
  },
];

function knownShape(sql: string): JsonValue | undefined {
  const trimmed = sql.trim();
  for (const shape of knownShapes) {
    const match = shape.pattern.exec(trimmed);
    if (match !== null) return shape.ast(match);
  }
  return undefined;
}

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
    ast ??= knownShape(sql);
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
