import { BatonError } from '../../errors.js';

/**
 * SQL that the dialect's real parser rejects. Code `SQL_PARSE`; the message starts with
 * `file:line:column` so an editor can jump to it.
 */
export class SqlParseError extends BatonError {
  readonly file: string | undefined;
  readonly line: number;
  readonly column: number;

  constructor(details: { file?: string; line: number; column: number; reason: string; cause?: unknown }) {
    const where = `${details.file ?? '<sql>'}:${details.line}:${details.column}`;
    super('SQL_PARSE', `${where}: ${details.reason}`, {
      cause: details.cause,
      hint: 'Fix the SQL syntax at that position; baton checks migrations with the real parser of the dialect.',
    });
    this.name = 'SqlParseError';
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
  }
}
