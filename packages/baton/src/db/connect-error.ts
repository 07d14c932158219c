import { BatonError } from '../errors.js';
import { redactSecrets, type ConnectionUrl } from './connection-url.js';

/** What a driver failure at connect time means, decided by the dialect from its error codes. */
export type ConnectFailure = 'unreachable' | 'auth' | 'no-database' | 'other';

/**
 * Turns a driver's connect failure into a BatonError saying what failed, where, and how to fix
 * it. The password is never part of the message; the driver error is kept as `cause` after its
 * text is scrubbed.
 */
export function connectError(kind: ConnectFailure, target: ConnectionUrl, cause: unknown): BatonError {
  const where = `${target.dialect} at ${target.host}:${target.port} (database "${target.database}", user "${target.user}")`;
  const detail = redactSecrets(cause instanceof Error ? cause.message : String(cause), [target.password]);
  const scrubbed = new Error(detail);
  switch (kind) {
    case 'unreachable':
      return new BatonError('DB_UNREACHABLE', `cannot reach ${where}: ${detail}`, {
        cause: scrubbed,
        hint: `check that the ${target.dialect} server is running and listening on ${target.host}:${target.port}, and that the URL's host and port are right`,
      });
    case 'auth':
      return new BatonError('DB_AUTH_FAILED', `${where} rejected the credentials: ${detail}`, {
        cause: scrubbed,
        hint: `check the user and password in the database URL secret/env var (the password is not shown here)`,
      });
    case 'no-database':
      return new BatonError('DB_NOT_FOUND', `${where}: the database does not exist: ${detail}`, {
        cause: scrubbed,
        hint: `create database "${target.database}" or fix the database name in the URL`,
      });
    default:
      return new BatonError('DB_CONNECT_FAILED', `cannot open a session on ${where}: ${detail}`, { cause: scrubbed });
  }
}
