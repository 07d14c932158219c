import type { DbSession } from '../dialect.js';
import type { LiveConstraint, LiveTable } from '../schema/live-schema.js';

const constraintKinds: Record<string, LiveConstraint['kind']> = {
  p: 'primary-key',
  u: 'unique',
  f: 'foreign-key',
  c: 'check',
  x: 'exclude',
};

/**
 * Base tables of the current schema with sizes, columns, indexes and constraints, read from the
 * catalogs in four queries (not one per table: a schema may hold thousands).
 */
export async function describePostgresTables(session: DbSession): Promise<LiveTable[]> {
  const tables = await session.query(
    `SELECT c.oid::bigint AS oid, c.relname AS name, c.reltuples::float8 AS est, pg_total_relation_size(c.oid)::float8 AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  const columns = await session.query(
    `SELECT a.attrelid::bigint AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
  );
  const indexes = await session.query(
    `SELECT i.indrelid::bigint AS oid, ic.relname AS name, i.indisunique AS uniq, i.indisprimary AS prim,
            (i.indisvalid AND i.indisready) AS valid, pg_get_indexdef(i.indexrelid) AS def,
            ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS cols
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() ORDER BY ic.relname`,
  );
  const constraints = await session.query(
    `SELECT k.conrelid::bigint AS oid, k.conname AS name, k.contype AS kind, k.convalidated AS ok,
            pg_get_constraintdef(k.oid) AS def
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() ORDER BY k.conname`,
  );
  const byOid = new Map<string, LiveTable>();
  for (const r of tables.rows) {
    byOid.set(String(r.oid), {
      name: String(r.name),
      // reltuples is -1 on PostgreSQL 14+ until the first ANALYZE/VACUUM: unknown, not empty.
      rowEstimate: Math.max(0, Number(r.est)),
      totalBytes: Number(r.bytes),
      columns: [],
      primaryKey: [],
      indexes: [],
      constraints: [],
    });
  }
  for (const r of columns.rows)
    byOid.get(String(r.oid))?.columns.push({ name: String(r.name), type: String(r.type), nullable: r.nullable === true });
  for (const r of indexes.rows) {
    const table = byOid.get(String(r.oid));
    if (!table) continue;
    const cols = Array.isArray(r.cols) ? r.cols.map(String) : [];
    table.indexes.push({
      name: String(r.name),
      columns: cols,
      unique: r.uniq === true,
      primary: r.prim === true,
      valid: r.valid === true,
      definition: r.def == null ? null : String(r.def),
    });
    if (r.prim === true) table.primaryKey = cols;
  }
  for (const r of constraints.rows) {
    const kind = constraintKinds[String(r.kind)];
    if (kind)
      byOid.get(String(r.oid))?.constraints.push({
        name: String(r.name),
        kind,
        validated: r.ok === true,
        definition: r.def == null ? null : String(r.def),
      });
  }
  return [...byOid.values()];
}
