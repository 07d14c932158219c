// The application side of the backfill benchmark: starts the app (backfill-bench-app.ts) as its
// own process and turns what it reports into figures. Not part of baton.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { percentile, type AppMessage, type AppStart } from './backfill-bench-app.js';

export { percentile };

export interface LoadFigures {
  readP99: number;
  writeP99: number;
  writeMax: number;
  /** The p99 of the writes on the control table: the machine's contention, no backfill lock in it. */
  controlWriteP99: number;
  reads: number;
  writes: number;
  /** Queries the server gave up on (a lock wait timeout behind a long UPDATE counts here). */
  errors: number;
}

export interface Load {
  /** The app's p99 of its last 200 writes, as it last reported it (every 100 ms): what a probe would tell the backfill. */
  recentWriteP99(): number | undefined;
  stop(): Promise<LoadFigures>;
}

const appModule = fileURLToPath(new URL('./backfill-bench-app.js', import.meta.url));

/**
 * Starts the reader and the writer on `table` (ids 1..rows), and a writer on the control table,
 * in their own process; `stop` returns what they felt.
 */
export async function startLoad(url: string, table: string, rows: number, control: AppStart['control']): Promise<Load> {
  const app = fork(appModule, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let recent: number | undefined;
  let done: Extract<AppMessage, { kind: 'done' }> | undefined;
  let ready: () => void = () => undefined;
  const started = new Promise<void>((r) => {
    ready = r;
  });
  app.on('message', (m: AppMessage) => {
    if (m.kind === 'recent') {
      recent = m.writeP99;
      ready();
    } else done = m;
  });
  const start: AppStart = { url, table, rows, control };
  const exited = once(app, 'exit');
  app.send(start);
  const first = await Promise.race([started.then(() => 'started' as const), exited.then(() => 'exited' as const)]);
  if (first === 'exited') throw new Error('the bench app exited before it started');
  return {
    recentWriteP99: () => recent,
    async stop() {
      app.send('stop');
      await exited;
      if (!done) throw new Error('the bench app exited without its figures');
      return {
        readP99: percentile(done.reads, 99),
        writeP99: percentile(done.writes, 99),
        writeMax: percentile(done.writes, 100),
        controlWriteP99: percentile(done.controlWrites, 99),
        reads: done.reads.length,
        writes: done.writes.length,
        errors: done.errors,
      };
    },
  };
}
