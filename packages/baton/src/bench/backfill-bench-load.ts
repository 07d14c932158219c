// The application side of the backfill benchmark: a point reader and a point writer on random
// ids, each timing every query. Not part of baton.
import type { DbSession, Dialect } from '../db/dialect.js';

export interface LoadFigures {
  readP99: number;
  writeP99: number;
  writeMax: number;
  reads: number;
  writes: number;
  /** Queries the server gave up on (a lock wait timeout behind a long UPDATE counts here). */
  errors: number;
}

export interface Load {
  /** p99 of the last `window` writes: what a probe would report to the backfill. */
  recentWriteP99(window?: number): number | undefined;
  stop(): Promise<LoadFigures>;
}

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Starts the reader and the writer on `table` (ids 1..rows); `stop` returns what they felt. */
export async function startLoad(dialect: Dialect, url: string, table: string, rows: number): Promise<Load> {
  const reader = await dialect.connect(url, { applicationName: 'bench-reader' });
  const writer = await dialect.connect(url, { applicationName: 'bench-writer' });
  const reads: number[] = [];
  const writes: number[] = [];
  let running = true;
  let errors = 0;
  const p = dialect.param(1);
  const loop = async (s: DbSession, sql: string, out: number[]) => {
    while (running) {
      const t0 = performance.now();
      // A failed query is still a wait the user felt: its time counts, and so does the failure.
      await s.query(sql, [1 + Math.floor(Math.random() * rows)]).catch(() => void errors++);
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  const loops = [
    loop(reader, `SELECT first_name, full_name FROM ${table} WHERE id = ${p}`, reads),
    loop(writer, `UPDATE ${table} SET seen = seen + 1 WHERE id = ${p}`, writes),
  ];
  return {
    recentWriteP99(window = 200) {
      return writes.length < 20 ? undefined : percentile(writes.slice(-window), 99);
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      await reader.close();
      await writer.close();
      return {
        readP99: percentile(reads, 99),
        writeP99: percentile(writes, 99),
        writeMax: percentile(writes, 100),
        reads: reads.length,
        writes: writes.length,
        errors,
      };
    },
  };
}
