import { findLiveTable } from './find-live-table.js';
import type { LiveContext } from './live-context.js';
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
 * The live column a pending migration changes, when the live schema shows it as it will be when
 * that migration runs: no earlier pending migration adds or retypes it.
 */
function liveColumnType(op: OperationOf<'alter-column-type'>, live: LiveContext): string | undefined {
  const touched = live.pendingEarlier.some(
    (earlier) =>
      (earlier.kind === 'alter-column-type' || earlier.kind === 'add-column') && earlier.table === op.table && earlier.column === op.column,
  );
  if (touched) return undefined;
  const wanted = op.column.toLowerCase();
  return findLiveTable(live.schema, op.table).table?.columns.find((c) => c.name.toLowerCase() === wanted)?.type;
}

/**
 * The proof, from the live schema, that a type change neither rewrites the table nor changes the
 * values readers get (PostgreSQL: varchar growth, varchar to text, numeric precision growth);
 * undefined when there is none. Both the type rule and the phase rules read it.
 */
export function proveTypeChangeFree(op: OperationOf<'alter-column-type'>, live: LiveContext): TypeChangeProof | undefined {
  if (live.schema.dialect !== 'postgres') return undefined;
  const from = liveColumnType(op, live);
  if (from === undefined || !typeChangeNeedsNoRewrite(from, op.type)) return undefined;
  return { from, how: 'PostgreSQL changes the catalog only (binary-coercible, no rewrite)' };
}
