/** The SQL dialects baton checks. `mysql` covers MySQL and MariaDB. */
export type SqlDialect = 'postgres' | 'mysql';
