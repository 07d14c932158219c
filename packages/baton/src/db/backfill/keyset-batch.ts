import type { Dialect } from '../dialect.js';
import type { Migration } from '../migrations/migration.js';
import { splitSql, stripComments } from '../migrations/split-sql.js';
import type { BackfillKey } from './backfill-key.js';

/** One batch's statement: the migration's SQL with its bounds filled in, and the values to bind. */
export interface BoundStatement {
  sql: string;
  params: unknown[];
}

/**
 * The SQL a keyset backfill sends. The next batch's upper key is picked by walking the key index
 * from the last committed key (`WHERE key > $last ORDER BY key LIMIT 1 OFFSET n-1`: an index scan of
 * n entries, never an OFFSET from the start of the table), then the migration's statement runs on
 * `key > last AND key <= upper`: one range, each row visited once, rows updated earlier never
 * rescanned.
 */
export class KeysetBatch {
  private readonly cols: string[];
  private readonly table: string;

  constructor(
    private readonly dialect: Dialect,
    private readonly key: BackfillKey,
    private readonly migration: Migration,
  ) {
    this.cols = key.columns.map((c) => dialect.quoteIdent(c));
    this.table = dialect.quoteIdent(key.table.name);
  }

  /** The query that finds the key `size` keys after `last` (or from the start), up to `end`. */
  upperBound(last: string[] | null, end: string[], size: number): BoundStatement {
    const where = this.range(last, end, 1);
    const select = this.cols.map((c, i) => `${this.dialect.keyAsText(c)} AS k${i}`).join(', ');
    return {
      sql: `SELECT ${select} FROM ${this.table} WHERE ${where.sql} ORDER BY ${this.cols.join(', ')} LIMIT 1 OFFSET ${Math.max(0, Math.floor(size) - 1)}`,
      params: where.params,
    };
  }

  /** The smallest key after `last` (range bounds need the first key of a batch). */
  firstKey(last: string[] | null, end: string[]): BoundStatement {
    return this.upperBound(last, end, 1);
  }

  /** The migration's statement for keys in (last, upper]; `first` is the first key when last is null. */
  statement(last: string[] | null, upper: string[], first: string[]): BoundStatement {
    const spec = this.migration.backfill;
    if (spec?.bounds === 'range') {
      // Integers baton read from the table itself (checked to be an integer column): never user text.
      const start = last === null ? BigInt(first[0] ?? '0') : BigInt(last[0] ?? '0') + 1n;
      return {
        sql: this.migration.up
          .replace(/(?<![:\w]):start\b/g, start.toString())
          .replace(/(?<![:\w]):end\b/g, (BigInt(upper[0] ?? '0') + 1n).toString()),
        params: [],
      };
    }
    const where = this.range(last, upper, 1);
    return { sql: this.migration.up.replace(/(?<![:\w]):batch\b/g, `(${where.sql})`), params: where.params };
  }

  /**
   * The batch and its checkpoint as one autocommit statement (PostgreSQL): the migration's DML
   * becomes a data-modifying CTE and the checkpoint row advances in the same statement, so both
   * commit together in one round trip. Undefined when the statement cannot be wrapped (it has its
   * own WITH or RETURNING): the caller then uses an explicit transaction.
   */
  withCheckpoint(
    batch: BoundStatement,
    checkpoint: { lastKey: string[]; keysDone: number; batches: number; batchSize: number; done: boolean; version: number },
  ): BoundStatement | undefined {
    if (!this.dialect.dataModifyingCte) return undefined;
    const dml = splitSql(batch.sql)[0];
    if (dml === undefined) return undefined;
    const bare = stripComments(dml).trim();
    if (!/^(update|delete|insert)\b/i.test(bare) || /\breturning\b/i.test(bare)) return undefined;
    const p = (i: number) => this.dialect.param(batch.params.length + i);
    return {
      sql: `WITH baton_batch AS (\n${dml}\nRETURNING 1),
baton_checkpoint AS (UPDATE baton_backfill_cursor SET last_key = ${p(1)}, rows_done = rows_done + (SELECT count(*) FROM baton_batch),
  keys_done = ${p(2)}, batches = ${p(3)}, batch_size = ${p(4)}, done = ${p(5)}, updated_at = CURRENT_TIMESTAMP WHERE version = ${p(6)} RETURNING 1)
SELECT (SELECT count(*) FROM baton_batch) AS changed, (SELECT count(*) FROM baton_checkpoint) AS checkpointed`,
      params: [
        ...batch.params,
        JSON.stringify(checkpoint.lastKey),
        checkpoint.keysDone,
        checkpoint.batches,
        checkpoint.batchSize,
        checkpoint.done,
        checkpoint.version,
      ],
    };
  }

  private range(last: string[] | null, upper: string[], firstParam: number): BoundStatement {
    const parts: string[] = [];
    const params: unknown[] = [];
    let n = firstParam;
    for (const [op, values] of [
      ['>', last],
      ['<=', upper],
    ] as const) {
      if (values === null) continue;
      const cmp = this.dialect.compareKeys(this.key.columns, op, n);
      parts.push(cmp.sql);
      for (const i of cmp.valueIndexes) params.push(values[i]);
      n += cmp.valueIndexes.length;
    }
    return { sql: parts.join(' AND '), params };
  }
}
