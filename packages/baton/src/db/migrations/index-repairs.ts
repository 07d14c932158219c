import type { LiveTable } from '../schema/live-schema.js';
import type { Migration } from './migration.js';
import { stripComments } from './split-sql.js';

/**
 * What baton does about one INVALID index (an interrupted CREATE INDEX CONCURRENTLY leaves one:
 * PostgreSQL keeps maintaining it on every write but never reads it, and re-running the
 * migration fails on "already exists", or with IF NOT EXISTS silently keeps the broken index).
 */
export interface IndexRepair {
  index: string;
  table: string;
  /**
   * `rebuild`: a pending migration creates this index, so baton drops it concurrently and the
   * migration builds it again. `report`: no pending migration owns it; baton leaves it and says how
   * to fix it. `wait`: a session is building it right now; not touched.
   */
  action: 'rebuild' | 'report' | 'wait';
  /** The pending migration that rebuilds it (`0005_add_email_index`), for `rebuild`. */
  migration?: string;
  /** One line a person reads in the plan and the progress output. */
  description: string;
}

/** What the repair plan reads of a pending migration: `baton check` has no parsed Migration. */
export type PendingMigration = Pick<Migration, 'version' | 'name' | 'up'>;

function createdIndexName(migration: PendingMigration, index: string): boolean {
  const sql = stripComments(migration.up);
  const pattern = /create\s+(?:unique\s+)?index\s+concurrently\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)/gi;
  for (const match of sql.matchAll(pattern)) {
    const raw = match[1] ?? '';
    const name = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase();
    if (name === index) return true;
  }
  return false;
}

/**
 * Pure: the INVALID indexes of the live schema and what to do about each, given the migrations
 * still to run and the indexes being built right now.
 */
export function planIndexRepairs(
  tables: readonly LiveTable[],
  pending: readonly PendingMigration[],
  building: readonly string[],
): IndexRepair[] {
  const repairs: IndexRepair[] = [];
  for (const table of tables) {
    for (const index of table.indexes) {
      if (index.valid) continue;
      if (building.includes(index.name)) {
        repairs.push({
          index: index.name,
          table: table.name,
          action: 'wait',
          description: `index ${index.name} on ${table.name} is INVALID because a session is building it right now; left alone`,
        });
        continue;
      }
      const owner = pending.find((m) => createdIndexName(m, index.name));
      if (owner) {
        const label = `${String(owner.version).padStart(4, '0')}_${owner.name}`;
        repairs.push({
          index: index.name,
          table: table.name,
          action: 'rebuild',
          migration: label,
          description: `index ${index.name} on ${table.name} is INVALID (an interrupted CREATE INDEX CONCURRENTLY): DROP INDEX CONCURRENTLY, then ${label} builds it again`,
        });
      } else {
        const rebuild = index.definition ? `; ${index.definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ')}` : '';
        repairs.push({
          index: index.name,
          table: table.name,
          action: 'report',
          description: `index ${index.name} on ${table.name} is INVALID and no pending migration creates it: it slows every write and serves no read; fix with DROP INDEX CONCURRENTLY ${index.name}${rebuild}`,
        });
      }
    }
  }
  return repairs;
}
