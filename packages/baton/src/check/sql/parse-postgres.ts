import { hasSqlDetails, loadModule, parseSync } from 'libpg-query';
import type { JsonValue, ParsedStatement } from './parsed-statement.js';
import { maskPlaceholders } from './placeholders.js';
import { SqlParseError } from './sql-parse-error.js';
import { positionAt, positionIndex, skipTrivia } from './source-position.js';

// libpg-query starts instantiating its WebAssembly parser as soon as it is imported; waiting for
// that here (once, ~30 ms) is what lets analyzeMigration stay synchronous for its callers.
await loadModule();

/**
 * Parses PostgreSQL with libpg-query (the server's own grammar). `text` is a whole migration file
 * or a prefix of it, so line numbers are file line numbers; `lineOffset` shifts them for a part
 * that starts further down. Throws SqlParseError.
 */
export function parsePostgres(text: string, options: { file?: string; lineOffset?: number } = {}): ParsedStatement[] {
  const masked = maskPlaceholders(text);
  const lineOffset = options.lineOffset ?? 0;
  if (skipTrivia(masked, 0) >= masked.length) return [];
  let result: { stmts?: { stmt?: unknown; stmt_location?: number; stmt_len?: number }[] };
  try {
    result = parseSync(masked) as typeof result;
  } catch (error) {
    // The parser reports a 0-based character position of the offending token.
    const cursor = hasSqlDetails(error) ? (error.sqlDetails?.cursorPosition ?? 0) : 0;
    const at = positionAt(text, cursor);
    const reason = error instanceof Error ? error.message : String(error);
    throw new SqlParseError({ ...fileOf(options.file), line: at.line + lineOffset, column: at.column, reason, cause: error });
  }
  // Statement locations are UTF-8 byte offsets; map them back to string offsets (the identity
  // for ASCII, the common case).
  const bytes = Buffer.from(masked, 'utf8');
  const ascii = bytes.length === masked.length;
  const toChar = (byteOffset: number): number => (ascii ? byteOffset : bytes.subarray(0, byteOffset).toString('utf8').length);
  const position = positionIndex(text);
  return (result.stmts ?? []).map((entry) => {
    const startByte = entry.stmt_location ?? 0;
    const start = toChar(startByte);
    const end = entry.stmt_len === undefined || entry.stmt_len === 0 ? text.length : toChar(startByte + entry.stmt_len);
    const first = skipTrivia(text, start);
    const at = position(first);
    return { ast: (entry.stmt ?? null) as JsonValue, sql: text.slice(first, end).trim(), line: at.line + lineOffset, column: at.column };
  });
}

function fileOf(file: string | undefined): { file?: string } {
  return file === undefined ? {} : { file };
}
