import { BatonError } from '../../errors.js';
import type { DbSession, Dialect } from '../dialect.js';

export interface RunnerLockOptions {
  /** Lock name; one per database. Default "baton_migrations". */
  name?: string;
  /** How long to keep polling before giving up. Default 60 s. */
  waitMs?: number;
  delay(ms: number): Promise<void>;
  now(): number;
  /** Told each time the lock is found busy. */
  onBusy?(waitedMs: number): void;
}

/**
 * Takes the migration runner lock: a session-level try-lock polled with back-off. It never blocks
 * inside the server, and it is held outside any transaction, so it cannot deadlock with
 * CREATE INDEX CONCURRENTLY (which waits for open transactions, not for advisory locks).
 * Returns the release function.
 */
export async function acquireRunnerLock(dialect: Dialect, session: DbSession, options: RunnerLockOptions): Promise<() => Promise<void>> {
  const name = options.name ?? 'baton_migrations';
  const waitMs = options.waitMs ?? 60_000;
  const started = options.now();
  for (let n = 0; ; n++) {
    if (await dialect.tryLock(session, name)) {
      return async () => {
        await dialect.unlock(session, name).catch(() => undefined);
      };
    }
    const waited = options.now() - started;
    if (waited >= waitMs) {
      throw new BatonError(
        'MIGRATION_LOCK_BUSY',
        `another migration runner holds the lock "${name}" (waited ${Math.round(waited / 1000)} s); nothing was applied`,
        {
          hint: 'wait for the other baton run to finish (see `baton releases`), or end its database session if it is stuck',
        },
      );
    }
    options.onBusy?.(waited);
    await options.delay(Math.min(2000, 50 * 2 ** Math.min(n, 6), Math.max(1, waitMs - waited)));
  }
}
