import type { LiveColumn, LiveTable } from '../../db/schema/live-schema.js';
import { findLiveTable } from './find-live-table.js';
import type { LiveContext } from './live-context.js';
import { varcharGrowsInPlace } from './mysql-varchar-proof.js';
import type { OperationOf } from './operation.js';
import { typeChangeNeedsNoRewrite } from './type-change-proof.js';

/** Why a column type change costs nothing: the live type it starts from, and what the server does. */
export interface TypeChangeProof {
  /** The live type, as the server spells it. */
  from: string;
  /** What the server does instead of a rewrite/copy, for the finding's message. */
  how: string;
}

/**
 * The live table and column a pending migration changes, when the live schema shows the column
 * as it will be when that migration runs: no earlier pending migration adds or retypes it.
 */
function liveColumnOf(op: OperationOf<'alter-column-type'>, live: LiveContext): { table: LiveTable; column: LiveColumn } | undefined {
  const touched = live.pendingEarlier.some(
    (earlier) =>
      (earlier.kind === 'alter-column-type' || earlier.kind === 'add-column') && earlier.table === op.table && earlier.column === op.column,
  );
  if (touched) return undefined;
  const table = findLiveTable(live.schema, op.table).table;
  const wanted = op.column.toLowerCase();
  const column = table?.columns.find((c) => c.name.toLowerCase() === wanted);
  return table === undefined || column === undefined ? undefined : { table, column };
}

/**
 * The proof, from the live schema, that a type change neither rewrites/copies the table nor
 * changes the values readers get; undefined when there is none. PostgreSQL: varchar growth,
 * varchar to text, numeric precision growth (binary-coercible). MySQL/MariaDB: InnoDB VARCHAR
 * growth within the same length-prefix size (mysql-varchar-proof.ts). Both the type rule and the
 * phase rules read it.
 */
export function proveTypeChangeFree(op: OperationOf<'alter-column-type'>, live: LiveContext): TypeChangeProof | undefined {
  const found = liveColumnOf(op, live);
  if (found === undefined) return undefined;
  const from = found.column.type;
  if (live.schema.dialect === 'postgres')
    return typeChangeNeedsNoRewrite(from, op.type)
      ? { from, how: 'PostgreSQL changes the catalog only (binary-coercible, no rewrite)' }
      : undefined;
  if (op.restated === undefined || !varcharGrowsInPlace(found.table, found.column, op.type, op.restated)) return undefined;
  const bytes = found.column.characters?.maxBytes ?? 0;
  const newBytes = (bytes / Number(/\d+/.exec(from)?.[0] ?? 1)) * (op.restated.length ?? 0);
  return {
    from,
    how: `InnoDB extends it in place without copying the table (MariaDB 10.4+: ALGORITHM=INSTANT; else INPLACE, LOCK=NONE): at most ${bytes} -> ${newBytes} bytes, the length prefix stays ${bytes > 255 ? 2 : 1} byte${bytes > 255 ? 's' : ''}`,
  };
}
