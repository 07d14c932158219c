import { randomBytes } from 'node:crypto';
import type { DbSession, Dialect } from '../dialect.js';

/** Which release's data access the loop imitates (the demo app's v1/v2/v3). */
export type AppVersion = 'v1' | 'v2' | 'v3';

export interface AppLoopStats {
  /** full_name every inserted row must end up with. */
  expectedFullNames: string[];
  queries: number;
  errors: string[];
  /** Rows read back that did not hold what was written / a row with no name at all. */
  wrong: string[];
}

/**
 * A loop of writes and reads like one release of the app, on its own session declared as
 * `release`. v1 writes first/last and reads them; v2 writes all three and reads full_name with a
 * fallback; v3 writes and reads full_name only. Each also reads a random older row.
 */
export async function startAppLoop(
  dialect: Dialect,
  url: string,
  release: string,
  version: AppVersion,
): Promise<{ stop(): Promise<AppLoopStats> }> {
  const session: DbSession = await dialect.connect(url, { applicationName: release });
  await dialect.declareRelease(session, release);
  const stats: AppLoopStats = { expectedFullNames: [], queries: 0, errors: [], wrong: [] };
  const p = (n: number) => dialect.param(n);
  let running = true;
  const loop = (async () => {
    let n = 0;
    while (running) {
      const first = `${version}-${randomBytes(4).toString('hex')}-${n++}`;
      const full = `${first} L`;
      try {
        if (version === 'v1') {
          await session.query(`INSERT INTO users (first_name, last_name) VALUES (${p(1)}, ${p(2)})`, [first, 'L']);
        } else if (version === 'v2') {
          await session.query(`INSERT INTO users (first_name, last_name, full_name) VALUES (${p(1)}, ${p(2)}, ${p(3)})`, [
            first,
            'L',
            full,
          ]);
        } else {
          await session.query(`INSERT INTO users (full_name) VALUES (${p(1)})`, [full]);
        }
        stats.expectedFullNames.push(full);
        const read =
          version === 'v1'
            ? `SELECT concat(first_name, ' ', last_name) AS name FROM users WHERE first_name = ${p(1)}`
            : version === 'v2'
              ? `SELECT COALESCE(full_name, concat(first_name, ' ', last_name)) AS name FROM users WHERE full_name = ${p(1)}`
              : `SELECT full_name AS name FROM users WHERE full_name = ${p(1)}`;
        const { rows } = await session.query(read, [version === 'v1' ? first : full]);
        if (rows[0]?.name !== full) stats.wrong.push(`${version} wrote ${full}, read ${String(rows[0]?.name)}`);
        const older =
          version === 'v1'
            ? `SELECT first_name AS name FROM users ORDER BY id LIMIT 1`
            : version === 'v2'
              ? `SELECT COALESCE(full_name, concat(first_name, ' ', last_name)) AS name FROM users ORDER BY id LIMIT 1`
              : `SELECT full_name AS name FROM users WHERE id = (SELECT MIN(id) FROM users)`;
        const old = await session.query(older);
        if (old.rows.length > 0 && (old.rows[0]?.name == null || old.rows[0]?.name === ''))
          stats.wrong.push(`${version} read an unnamed old row`);
        stats.queries += 4;
      } catch (error) {
        stats.errors.push(`${version}: ${error instanceof Error ? error.message : String(error)}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await session.close();
      return stats;
    },
  };
}
