import type { TimeoutProfile } from '../dialect.js';

/** Timeout profiles by class. Short: give up a strong lock fast and retry. Long: CONCURRENTLY, VALIDATE. */
export interface TimeoutProfiles {
  short: TimeoutProfile;
  long: TimeoutProfile;
}

export const defaultTimeoutProfiles: TimeoutProfiles = {
  short: { name: 'short', lockTimeoutMs: 2000, statementTimeoutMs: 0 },
  // These take locks that do not block reads or writes, so waiting behind a long transaction is
  // harmless; the bound only stops a forgotten session from stalling the release forever.
  long: { name: 'long', lockTimeoutMs: 30 * 60_000, statementTimeoutMs: 0 },
};
