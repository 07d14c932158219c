import type { DbSession } from '../dialect.js';
import type { LiveConstraint, LiveTable } from '../schema/live-schema.js';

const constraintKinds: Record<string, LiveConstraint['kind']> = {
  'PRIMARY KEY': 'primary-key',
  UNIQUE: 'unique',
  'FOREIGN KEY': 'foreign-key',
  CHECK: 'check',
};

/** Base tables of the current database with sizes, columns, indexes and constraints (information_schema). */
export async function describeMysqlTables(session: DbSession): Promise<LiveTable[]> {
  const tables = await session.query(
    `SELECT TABLE_NAME AS name, TABLE_ROWS AS est, DATA_LENGTH + INDEX_LENGTH AS bytes, ENGINE AS engine, TABLE_COLLATION AS coll
       FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
  );
  const columns = await session.query(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, CHARACTER_SET_NAME AS cs,
            COLLATION_NAME AS coll, CHARACTER_OCTET_LENGTH AS octets, COLUMN_DEFAULT AS def FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  );
  const indexes = await session.query(
    `SELECT TABLE_NAME AS t, INDEX_NAME AS name, NON_UNIQUE AS nonunique, COLUMN_NAME AS col FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
  );
  const constraints = await session.query(
    `SELECT TABLE_NAME AS t, CONSTRAINT_NAME AS name, CONSTRAINT_TYPE AS kind FROM information_schema.TABLE_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY CONSTRAINT_NAME`,
  );
  const byName = new Map<string, LiveTable>();
  for (const r of tables.rows) {
    byName.set(String(r.name), {
      name: String(r.name),
      rowEstimate: Number(r.est ?? 0),
      totalBytes: Number(r.bytes ?? 0),
      columns: [],
      primaryKey: [],
      indexes: [],
      constraints: [],
      storage: { engine: String(r.engine ?? ''), defaultCollation: String(r.coll ?? '') },
    });
  }
  for (const r of columns.rows)
    byName.get(String(r.t))?.columns.push({
      name: String(r.name),
      type: String(r.type),
      nullable: r.nullable === 'YES',
      ...(r.cs == null || r.coll == null || r.octets == null
        ? {}
        : { characters: { set: String(r.cs), collation: String(r.coll), maxBytes: Number(r.octets) } }),
      // MariaDB 10.2.7+ spells an explicit DEFAULT NULL as the text NULL: no default either way.
      default: r.def == null || r.def === 'NULL' ? null : String(r.def),
    });
  for (const r of indexes.rows) {
    const table = byName.get(String(r.t));
    if (!table) continue;
    const name = String(r.name);
    let index = table.indexes.find((i) => i.name === name);
    if (!index) {
      // InnoDB builds indexes in place or not at all: there is no INVALID leftover to report.
      index = { name, columns: [], unique: Number(r.nonunique) === 0, primary: name === 'PRIMARY', valid: true, definition: null };
      table.indexes.push(index);
    }
    index.columns.push(String(r.col));
    if (index.primary) table.primaryKey = index.columns;
  }
  for (const r of constraints.rows) {
    const kind = constraintKinds[String(r.kind)];
    // MariaDB enforces every constraint it accepts: there is no NOT VALID state.
    if (kind) byName.get(String(r.t))?.constraints.push({ name: String(r.name), kind, validated: true, definition: null });
  }
  return [...byName.values()];
}
