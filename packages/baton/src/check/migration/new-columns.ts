import type { SourcePosition } from '../sql/source-position.js';
import type { Operation } from './operation.js';

/** A column a migration creates or retypes, with the catalog spelling of its type (`varchar(20)`, `int4`). */
export interface NewColumn {
  table: string;
  column: string;
  type: string;
  location: SourcePosition;
}

/** Columns added, created with a table, or given a new type: what column-type rules look at. */
export function newColumns(operations: readonly Operation[]): NewColumn[] {
  return operations.flatMap((op): NewColumn[] => {
    if (op.kind === 'add-column' || op.kind === 'alter-column-type')
      return [{ table: op.table, column: op.column, type: op.type, location: op.location }];
    if (op.kind === 'create-table')
      return op.columns.map((c) => ({ table: op.table, column: c.name, type: c.type, location: op.location }));
    return [];
  });
}
