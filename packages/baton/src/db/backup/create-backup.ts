import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import { BatonError } from '../../errors.js';
import { parseConnectionUrl } from '../connection-url.js';
import type { DbSession, Dialect } from '../dialect.js';
import { dialectForUrl } from '../dialects.js';
import type { BackupMethod, BackupRecord, TableCount } from './backup-record.js';
import { backupFormats } from './backup-tool.js';
import { backupTools } from './backup-tools.js';
import { runTool } from './run-tool.js';

export interface CreateBackupOptions {
  url: string;
  /** Directory for backup files; created if missing. */
  dir: string;
  method?: BackupMethod;
  /** Part of the file name, e.g. the run id. */
  label?: string;
  now?: () => number;
  signal?: AbortSignal;
}

/**
 * Dumps the database into `dir`. Postgres: pg_dump custom format from an exported snapshot, with
 * the row counts read in that same snapshot (exact). MariaDB: mysqldump --single-transaction through
 * gzip, counts read before and after (a bound). The dump is written to NAME.partial and renamed
 * once the tool exited 0 and the file is fsync'd. Any tool failure throws; the partial file is removed.
 */
export async function createBackup(options: CreateBackupOptions): Promise<BackupRecord> {
  const now = options.now ?? Date.now;
  const started = now();
  const target = parseConnectionUrl(options.url);
  const dialect = dialectForUrl(options.url);
  const tool = backupTools[dialect.name];
  const method = options.method ?? { kind: 'native' };
  const format = method.kind === 'native' ? tool.nativeFormat : method.format;
  const ext = backupFormats[format].extension;
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  const path = join(options.dir, `${target.database}-${options.label ? `${options.label}-` : ''}${stamp}${ext}`);
  const partial = `${path}.partial`;
  await mkdir(options.dir, { recursive: true });

  const session = await dialect.connect(options.url, { applicationName: 'baton-backup' });
  try {
    if (method.kind === 'native') tool.checkServerVersion(await dialect.serverMajorVersion(session));
    // With a shared snapshot the dump and the counts see the same data: counts are exact.
    const snapshot = await dialect.beginConsistentSnapshot(session);
    const before = await countRows(dialect, session);
    const databaseBytes = await dialect.databaseSizeBytes(session);
    let rawBytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        rawBytes += chunk.length;
        done(null, chunk);
      },
    });
    // The dump goes to a name that does not look like a backup; it gets the final name only once
    // the tool exited 0 and the bytes are on disk, so a killed dump never leaves a truncated file
    // that looks complete.
    const file = createWriteStream(partial, { mode: 0o600 });
    const gzip = format === 'sql-gzip' && method.kind === 'native';
    if (gzip) counter.pipe(createGzip()).pipe(file);
    else counter.pipe(file);
    // A file that cannot be written (a folder gone, a full or read-only disk) stops the tool and
    // fails the step with its cause; left alone, the stream's error was an uncaught exception that
    // killed baton mid-run, with the lock held and the run shown as running.
    const stopTool = new AbortController();
    let writeError: Error | undefined;
    const closed = new Promise<void>((resolve) => {
      file.once('close', () => resolve());
      file.once('error', (error) => {
        writeError = error;
        stopTool.abort();
        resolve();
      });
    });
    const command =
      method.kind === 'native'
        ? tool.dumpCommand(target, snapshot ? { snapshot } : {})
        : { argv: method.argv, env: { ...process.env, BATON_DB_URL: options.url } };
    const outcome = await runTool({
      argv: command.argv,
      env: command.env,
      stdout: counter,
      secrets: [target.password],
      signal: options.signal ? AbortSignal.any([options.signal, stopTool.signal]) : stopTool.signal,
    }).catch((error: unknown) => {
      if (writeError === undefined) throw error;
      return undefined; // the tool was stopped because the file failed: that is the cause to tell
    });
    await closed;
    if (writeError !== undefined || outcome === undefined)
      throw new BatonError('BACKUP_WRITE_FAILED', `cannot write the backup ${partial}: ${writeError?.message ?? 'the file closed early'}`, {
        hint: 'give database.backup.dir room and write access, then run again; no migration ran',
        cause: writeError,
      });
    if (outcome.code !== 0) {
      throw new BatonError(
        'BACKUP_FAILED',
        `${command.argv[0]} exited with ${outcome.code} while backing up ${target.redacted}: ${outcome.stderr.trim()}`,
        {
          hint: 'fix the cause above and run again; no migration ran',
        },
      );
    }
    const after = snapshot !== undefined ? before : await countRows(dialect, session);
    if (snapshot !== undefined) await session.query('COMMIT');
    const tables: Record<string, TableCount> = {};
    for (const [name, n] of Object.entries(before)) {
      const m = after[name] ?? n;
      tables[name] = { min: Math.min(n, m), max: Math.max(n, m) };
    }
    await publish(partial, path);
    const fileBytes = (await stat(path)).size;
    return {
      path,
      dialect: dialect.name,
      format,
      method: method.kind,
      createdAt: new Date(started).toISOString(),
      durationMs: now() - started,
      fileBytes,
      // A compressed-by-the-tool stream says nothing about the source: use the database's size.
      sourceBytes: backupFormats[format].compressedByTool && !gzip ? databaseBytes : rawBytes,
      tables,
    };
  } finally {
    await rm(partial, { force: true });
    await session.close();
  }
}

/** fsync the finished dump, rename it to its final name, fsync the folder so the name is durable. */
async function publish(partial: string, path: string): Promise<void> {
  const handle = await open(partial, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, path);
  const folder = await open(dirname(path), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** Exact row counts of every base table, read in the session's current snapshot. */
export async function countRows(dialect: Dialect, session: DbSession): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of await dialect.listTables(session)) {
    const { rows } = await session.query(`SELECT COUNT(*) AS n FROM ${dialect.quoteIdent(table)}`);
    out[table] = Number(rows[0]?.n ?? 0);
  }
  return out;
}
