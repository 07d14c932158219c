import type { Dialect, DialectFactory, DialectName } from './dialect.js';
import { createMysqlDialect } from './mysql/mysql-dialect.js';
import { createPostgresDialect } from './postgres/postgres-dialect.js';
import { parseConnectionUrl } from './connection-url.js';

/** Every dialect baton knows. Adding an engine adds one folder and one entry here. */
export const dialects = {
  postgres: createPostgresDialect,
  mysql: createMysqlDialect,
} satisfies Record<DialectName, DialectFactory>;

/** The dialect a URL's scheme names (postgres:// -> postgres, mysql:// or mariadb:// -> mysql). */
export function dialectForUrl(url: string): Dialect {
  return dialects[parseConnectionUrl(url).dialect]();
}
