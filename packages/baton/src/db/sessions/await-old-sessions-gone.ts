import type { SessionInfo } from '../dialect.js';
import { dialectForUrl } from '../dialects.js';

/** Either no session of the named releases is open, or the deadline passed with these still open. */
export type OldSessionsVerdict = { kind: 'gone'; waitedMs: number } | { kind: 'timeout'; waitedMs: number; sessions: SessionInfo[] };

export interface AwaitOldSessionsOptions {
  url: string;
  /** Releases that must have no open session (e.g. ["demo-app-v1", "demo-app-v2"]). */
  releases: readonly string[];
  deadlineMs: number;
  pollMs?: number;
  delay?: (ms: number) => Promise<void>;
  now?: () => number;
  signal?: AbortSignal;
  onWait?(sessions: SessionInfo[]): void;
}

/** A session belongs to a release when it declared exactly that name, or "<release>/<anything>". */
export function belongsTo(session: SessionInfo, releases: readonly string[]): boolean {
  const name = session.release;
  return name !== null && releases.some((r) => name === r || name.startsWith(`${r}/`));
}

/**
 * Polls the server's session list until no session of an older release is open: the evidence a
 * contract migration needs (time alone is not evidence: a drained pod may still hold a pool).
 */
export async function awaitOldSessionsGone(options: AwaitOldSessionsOptions): Promise<OldSessionsVerdict> {
  const dialect = dialectForUrl(options.url);
  const now = options.now ?? Date.now;
  const delay = options.delay ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  const session = await dialect.connect(options.url, { applicationName: 'baton-sessions' });
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const open = (await dialect.listSessions(session)).filter((s) => belongsTo(s, options.releases));
      const waitedMs = now() - started;
      if (open.length === 0) return { kind: 'gone', waitedMs };
      if (waitedMs >= options.deadlineMs) return { kind: 'timeout', waitedMs, sessions: open };
      options.onWait?.(open);
      await delay(Math.min(options.pollMs ?? 1000, Math.max(1, options.deadlineMs - waitedMs)));
    }
  } finally {
    await session.close();
  }
}
