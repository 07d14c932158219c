import { BatonError } from '../errors.js';
import type { DialectName } from './dialect.js';

/** A database URL taken apart. `password` never goes into messages; use `redacted`. */
export interface ConnectionUrl {
  dialect: DialectName;
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  /** The URL with the password replaced by "***", safe for logs and errors. */
  redacted: string;
}

const schemes: Record<string, DialectName> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/** Parses postgres://, postgresql://, mysql:// and mariadb:// URLs; throws DB_URL_INVALID. */
export function parseConnectionUrl(url: string): ConnectionUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    // The raw text may hold a password, so it is not echoed back.
    throw new BatonError('DB_URL_INVALID', 'the database URL is not a valid URL', {
      cause,
      hint: 'use postgres://user:password@host:5432/db or mysql://user:password@host:3306/db',
    });
  }
  const dialect = schemes[parsed.protocol];
  if (dialect === undefined) {
    throw new BatonError('DB_URL_INVALID', `unsupported database URL scheme "${parsed.protocol}"`, {
      hint: 'use postgres:// (or postgresql://) or mysql:// (or mariadb://)',
    });
  }
  const password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  const safe = new URL(parsed.href);
  if (password !== undefined) safe.password = '***';
  return {
    dialect,
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port === '' ? (dialect === 'postgres' ? 5432 : 3306) : Number(parsed.port),
    user: decodeURIComponent(parsed.username) || (dialect === 'postgres' ? 'postgres' : 'root'),
    password,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || (dialect === 'postgres' ? 'postgres' : ''),
    redacted: safe.href,
  };
}

/** The same server and credentials, another database (scratch databases, admin connections). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.href;
}

/** Removes anything that looks like a URL password from free text (driver messages, stderr). */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(/(\w+:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}
