import { findTable, type LiveSchema, type LiveTable } from '../../db/schema/live-schema.js';

/**
 * The live table a migration names. The live schema holds the current schema only (PostgreSQL:
 * current_schema(), MariaDB: the URL's database), so a name qualified with any schema but
 * `public` is not judged (undefined, and `judged: false`) rather than matched by its bare name.
 */
export function findLiveTable(schema: LiveSchema, name: string): { judged: boolean; table: LiveTable | undefined } {
  const dot = name.lastIndexOf('.');
  if (dot >= 0 && !(schema.dialect === 'postgres' && name.slice(0, dot).toLowerCase() === 'public'))
    return { judged: false, table: undefined };
  const bare = dot >= 0 ? name.slice(dot + 1) : name;
  return { judged: true, table: findTable(schema, bare) };
}

/** The bare name a live-schema comparison uses: `public.users` -> `users`. */
export function bareName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1).toLowerCase();
}
