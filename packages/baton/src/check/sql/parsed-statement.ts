/** A JSON syntax tree as the parsers return it; rules read it through the helpers in json-node.ts. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One statement of a migration, parsed, with where it starts in the file. */
export interface ParsedStatement {
  /** The statement's syntax tree (libpg-query node for postgres, node-sql-parser AST for mysql). */
  ast: JsonValue;
  /** The statement's SQL text as written (placeholders included). */
  sql: string;
  /** 1-based position of the statement's first keyword in the file. */
  line: number;
  column: number;
}
