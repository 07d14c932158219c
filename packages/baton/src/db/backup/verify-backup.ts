import { createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { parseConnectionUrl, withDatabase } from '../connection-url.js';
import { dialectForUrl } from '../dialects.js';
import type { BackupRecord } from './backup-record.js';
import { backupTools } from './backup-tools.js';
import { countRows } from './create-backup.js';
import { runTool } from './run-tool.js';

/** The verdict of a restore test. A backup counts only when this is `ok`. */
export type BackupVerification =
  | { ok: true; scratchDatabase: string; tables: Record<string, number>; durationMs: number }
  | { ok: false; reason: string };

export interface VerifyBackupOptions {
  /** The source database URL; the scratch database is created on the same server. */
  url: string;
  backup: BackupRecord;
  now?: () => number;
  signal?: AbortSignal;
}

/**
 * Restores the backup into a fresh scratch database on the same server, then compares the table
 * list and every table's row count with what the source had at dump time. The scratch database is
 * always dropped.
 */
export async function verifyBackup(options: VerifyBackupOptions): Promise<BackupVerification> {
  const now = options.now ?? Date.now;
  const started = now();
  const dialect = dialectForUrl(options.url);
  const tool = backupTools[dialect.name];
  const scratch = `baton_verify_${randomBytes(5).toString('hex')}`;
  const scratchUrl = withDatabase(options.url, scratch);
  const target = parseConnectionUrl(scratchUrl);
  try {
    await dialect.createDatabase(options.url, scratch);
  } catch (error) {
    return {
      ok: false,
      reason: `cannot create the scratch database ${scratch} for the restore test (the user needs CREATEDB / CREATE privilege): ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  try {
    const { format, path } = options.backup;
    if (format === 'pg-custom' && dialect.name !== 'postgres')
      return { ok: false, reason: 'a pg custom-format dump cannot be restored into MariaDB' };
    const restore = tool.restoreCommand(target, format, path);
    let stdin: Readable | undefined;
    if (restore.fromStdin) {
      const raw = createReadStream(path);
      stdin = format === 'sql-gzip' ? raw.pipe(createGunzip()) : raw;
    }
    let outcome: Awaited<ReturnType<typeof runTool>>;
    try {
      outcome = await runTool({
        argv: restore.argv,
        env: restore.env,
        ...(stdin ? { stdin } : {}),
        secrets: [target.password],
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      return { ok: false, reason: `restore could not run: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (outcome.code !== 0) return { ok: false, reason: `${restore.argv[0]} exited with ${outcome.code}: ${outcome.stderr.trim()}` };
    const session = await dialect.connect(scratchUrl, { applicationName: 'baton-verify' });
    let restored: Record<string, number>;
    try {
      restored = await countRows(dialect, session);
    } finally {
      await session.close();
    }
    const expected = options.backup.tables;
    const missing = Object.keys(expected).filter((t) => !(t in restored));
    const extra = Object.keys(restored).filter((t) => !(t in expected));
    if (missing.length > 0 || extra.length > 0) {
      return { ok: false, reason: `table list differs after restore: missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]` };
    }
    for (const [table, bound] of Object.entries(expected)) {
      const n = restored[table] ?? -1;
      if (n < bound.min || n > bound.max) {
        return {
          ok: false,
          reason: `table ${table}: ${n} rows restored, the source had ${bound.min === bound.max ? bound.min : `${bound.min}..${bound.max}`}`,
        };
      }
    }
    return { ok: true, scratchDatabase: scratch, tables: restored, durationMs: now() - started };
  } finally {
    await dialect.dropDatabase(options.url, scratch).catch(() => undefined);
  }
}
