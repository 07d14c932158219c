import type { AppVersion } from './config.js';

/** The slice of pg's Pool the store uses (keeps tests free to pass any queryable). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface NewUser {
  firstName: string;
  lastName: string;
}
export interface User {
  id: string;
  fullName: string;
}

/**
 * The users table as each release sees it during the expand/contract of
 * users(first_name, last_name) -> full_name:
 * - v1 knows only first_name/last_name (schema 0001);
 * - v2 writes both shapes and reads full_name, falling back to the old columns for rows written
 *   by v1 that the backfill (0003) has not reached yet (needs 0002);
 * - v3 writes and reads full_name only (needs 0003 done; 0004 may then drop the old columns).
 */
export class UsersStore {
  constructor(
    private readonly db: Queryable,
    private readonly version: AppVersion,
  ) {}

  async create(user: NewUser): Promise<string> {
    const full = `${user.firstName} ${user.lastName}`;
    const { text, values } =
      this.version === 'v1'
        ? { text: 'INSERT INTO users (first_name, last_name) VALUES ($1, $2) RETURNING id', values: [user.firstName, user.lastName] }
        : this.version === 'v2'
          ? {
              text: 'INSERT INTO users (first_name, last_name, full_name) VALUES ($1, $2, $3) RETURNING id',
              values: [user.firstName, user.lastName, full],
            }
          : { text: 'INSERT INTO users (full_name) VALUES ($1) RETURNING id', values: [full] };
    const result = await this.db.query(text, values);
    return String(result.rows[0]?.id);
  }

  async get(id: string): Promise<User | undefined> {
    const column =
      this.version === 'v1'
        ? "first_name || ' ' || last_name"
        : this.version === 'v2'
          ? "coalesce(full_name, first_name || ' ' || last_name)"
          : 'full_name';
    const result = await this.db.query(`SELECT id, ${column} AS full_name FROM users WHERE id = $1`, [id]);
    const row = result.rows[0];
    if (row === undefined) return undefined;
    return { id: String(row.id), fullName: String(row.full_name) };
  }
}
