import type { LiveContext } from './live-context.js';
import type { MigrationPhase } from './migration-phase.js';
import type { Operation, OperationKind, OperationOf } from './operation.js';
import { proveTypeChangeFree } from './type-change-live-proof.js';

/** `neutral`: the operation neither widens nor narrows what old and new code can rely on. */
export type OperationPhase = MigrationPhase | 'neutral';

// One entry per operation kind, so a new kind cannot be added without deciding its phase.
const phaseOf: { [K in OperationKind]: (op: OperationOf<K>) => OperationPhase } = {
  'add-column': () => 'expand',
  'create-table': () => 'expand',
  'create-index': () => 'expand',
  'add-constraint': () => 'expand',
  'validate-constraint': () => 'expand',
  // Dropping a constraint only lets writers do more; it stays neutral, as it was before it had a kind.
  'drop-constraint': () => 'neutral',
  'alter-enum': (op) => (op.action === 'add-value' ? 'expand' : 'contract'),
  // Dropping NOT NULL is how expand lets new code stop writing a column old code still reads.
  'drop-not-null': () => 'expand',
  'drop-column': () => 'contract',
  'drop-table': () => 'contract',
  'rename-column': () => 'contract',
  'rename-table': () => 'contract',
  'alter-column-type': () => 'contract',
  'set-not-null': () => 'contract',
  truncate: () => 'contract',
  dml: () => 'backfill',
  'drop-index': () => 'neutral',
  'lock-table': () => 'neutral',
  'rewrite-table': () => 'neutral',
  'mysql-table-options': () => 'neutral',
  transaction: () => 'neutral',
  // Dropping a database or schema removes what the running release reads; moving a table to
  // another schema is a rename for every query that names it.
  'drop-database': () => 'contract',
  'drop-schema': () => 'contract',
  'set-schema': () => 'contract',
  'create-trigger': () => 'neutral',
  'disable-trigger': () => 'neutral',
  'domain-constraint': () => 'expand',
  other: () => 'neutral',
};

/**
 * The phase one operation calls for. With the live schema (`check --database`, pending
 * migrations), a type change the live type proves free is `neutral`: no rewrite, the running
 * release reads the same values, and every value it writes still fits, so it may run before the
 * rollout (expand-compatible) as well as after it; it neither makes a file contract nor mixes
 * with the contract statements of one. A SET NOT NULL the live CHECK proves scan-free stays
 * `contract`: the proof is about cost, and the running release may still write NULL, which the
 * column would then refuse.
 */
export function operationPhase(op: Operation, live?: LiveContext): OperationPhase {
  if (live !== undefined && op.kind === 'alter-column-type' && proveTypeChangeFree(op, live) !== undefined) return 'neutral';
  return (phaseOf[op.kind] as (op: Operation) => OperationPhase)(op);
}

/**
 * The phase a list of operations calls for: contract if anything narrows the schema, else
 * backfill when it only moves data, else expand (empty and neutral-only files included). `live`
 * as for operationPhase.
 */
export function classifyOperations(operations: readonly Operation[], live?: LiveContext): MigrationPhase {
  const phases = new Set(operations.map((op) => operationPhase(op, live)));
  if (phases.has('contract')) return 'contract';
  if (phases.has('backfill') && !phases.has('expand')) return 'backfill';
  return 'expand';
}
