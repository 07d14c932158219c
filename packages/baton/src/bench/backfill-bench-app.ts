// The application of the backfill benchmark, run as its own process (as an app is): a point
// reader and a point writer on random ids, each timing every query. In baton's process their
// timers would also wait for baton's own event loop, and that wait is not one the app feels.
// Not part of baton. Started by backfill-bench-load.ts; speaks over the IPC channel.
import { dialectForUrl } from '../db/dialects.js';
import type { DbSession } from '../db/dialect.js';

export interface AppStart {
  url: string;
  table: string;
  rows: number;
  /**
   * A small table nothing else touches, written like `table`: its writes wait on no backfill lock,
   * so their p99 is what the machine's shared CPU and WAL alone cost the app at that moment.
   */
  control: { table: string; rows: number };
}

/** What the app reports: its recent write p99 every 100 ms, and all its timings when told to stop. */
export type AppMessage =
  | { kind: 'recent'; writeP99: number | undefined }
  | { kind: 'done'; reads: number[]; writes: number[]; controlWrites: number[]; errors: number };

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function run(start: AppStart): Promise<void> {
  const dialect = dialectForUrl(start.url);
  const reader = await dialect.connect(start.url, { applicationName: 'bench-reader' });
  const writer = await dialect.connect(start.url, { applicationName: 'bench-writer' });
  const controlWriter = await dialect.connect(start.url, { applicationName: 'bench-control-writer' });
  const reads: number[] = [];
  const writes: number[] = [];
  const controlWrites: number[] = [];
  let running = true;
  let errors = 0;
  const p = dialect.param(1);
  const loop = async (s: DbSession, sql: string, out: number[], rows = start.rows) => {
    while (running) {
      const t0 = performance.now();
      // A failed query is still a wait the user felt: its time counts, and so does the failure.
      await s.query(sql, [1 + Math.floor(Math.random() * rows)]).catch(() => void errors++);
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  const loops = [
    loop(reader, `SELECT first_name, full_name FROM ${start.table} WHERE id = ${p}`, reads),
    loop(writer, `UPDATE ${start.table} SET seen = seen + 1 WHERE id = ${p}`, writes),
    loop(controlWriter, `UPDATE ${start.control.table} SET seen = seen + 1 WHERE id = ${p}`, controlWrites, start.control.rows),
  ];
  const send = (m: AppMessage) => process.send?.(m);
  const ticker = setInterval(
    () => send({ kind: 'recent', writeP99: writes.length < 20 ? undefined : percentile(writes.slice(-200), 99) }),
    100,
  );
  process.on('message', async () => {
    running = false;
    clearInterval(ticker);
    await Promise.all(loops);
    await reader.close();
    await writer.close();
    await controlWriter.close();
    // Disconnect once the figures are on their way, or the channel could close before they leave.
    process.send?.({ kind: 'done', reads, writes, controlWrites, errors } satisfies AppMessage, () => process.disconnect());
  });
  send({ kind: 'recent', writeP99: undefined });
}

process.once('message', (start: AppStart) => void run(start));
