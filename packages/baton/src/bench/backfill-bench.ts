// Backfill benchmark: baton's batched backfill next to one big UPDATE doing the same work, on the
// machine's PostgreSQL, with a concurrent reader and writer measuring what users would feel.
// Run: node packages/baton/dist/bench/backfill-bench.js [--rows 1000000] [--batch 1000]
// Prints figures; asserts nothing (timing goals are never test assertions).
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { DbSession, Dialect } from '../db/dialect.js';
import { migrate } from '../db/migrations/migrate.js';
import { machineTarget, scratchDatabase } from '../db/testing/db-targets.js';
import { writeMigrations } from '../db/testing/rename-fixtures.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, batch: { type: 'string', default: '1000' } } });
const rows = Number(values.rows);
const batch = Number(values.batch);

interface Load {
  stop(): Promise<{ readP99: number; readMax: number; writeP99: number; writeMax: number; reads: number; writes: number }>;
}

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** A reader (point SELECTs) and a writer (point UPDATEs of another column) on random ids. */
async function startLoad(dialect: Dialect, url: string, table: string): Promise<Load> {
  const reader = await dialect.connect(url, { applicationName: 'bench-reader' });
  const writer = await dialect.connect(url, { applicationName: 'bench-writer' });
  const reads: number[] = [];
  const writes: number[] = [];
  let running = true;
  const loop = async (s: DbSession, sql: string, out: number[]) => {
    while (running) {
      const t0 = performance.now();
      await s.query(sql, [1 + Math.floor(Math.random() * rows)]);
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  const loops = [
    loop(reader, `SELECT first_name, full_name FROM ${table} WHERE id = $1`, reads),
    loop(writer, `UPDATE ${table} SET seen = seen + 1 WHERE id = $1`, writes),
  ];
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      await reader.close();
      await writer.close();
      return { readP99: pct(reads, 99), readMax: pct(reads, 100), writeP99: pct(writes, 99), writeMax: pct(writes, 100), reads: reads.length, writes: writes.length };
    },
  };
}

async function main(): Promise<void> {
  const target = await machineTarget('postgres');
  const db = await scratchDatabase(target);
  const dir = await writeMigrations({
    '0001_backfill_full_name.sql': `-- baton: phase=backfill table=users_a key=id batch=${batch}
UPDATE users_a SET full_name = first_name || ' ' || last_name WHERE id >= :start AND id < :end AND full_name IS NULL;
`,
  });
  const session = await target.dialect.connect(db.url);
  try {
    for (const t of ['users_a', 'users_b']) {
      await session.query(`CREATE TABLE ${t} (id bigint PRIMARY KEY, first_name text, last_name text, full_name text, seen int NOT NULL DEFAULT 0)`);
      await session.query(`INSERT INTO ${t} (id, first_name, last_name) SELECT g, 'first' || g, 'last' || g FROM generate_series(1, ${rows}) g`);
      await session.query(`VACUUM ANALYZE ${t}`);
    }

    let load = await startLoad(target.dialect, db.url, 'users_a');
    let t0 = performance.now();
    const result = await migrate({ url: db.url, dir });
    const baton = { ms: performance.now() - t0, ...(await load.stop()) };
    const figures = result.applied[0]?.backfill;

    load = await startLoad(target.dialect, db.url, 'users_b');
    t0 = performance.now();
    await session.query(`UPDATE users_b SET full_name = first_name || ' ' || last_name WHERE full_name IS NULL`);
    const single = { ms: performance.now() - t0, ...(await load.stop()) };

    const filledA = Number((await session.query('SELECT count(*) AS n FROM users_a WHERE full_name IS NOT NULL')).rows[0]?.n);
    const filledB = Number((await session.query('SELECT count(*) AS n FROM users_b WHERE full_name IS NOT NULL')).rows[0]?.n);
    const f = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 100 ? 1 : 0 });
    const line = (label: string, a: string, b: string) => console.log(`${label.padEnd(30)}${a.padStart(22)}${b.padStart(22)}`);
    console.log(`\nbackfill of ${f(rows)} rows, PostgreSQL ${await target.dialect.serverMajorVersion(session)} (127.0.0.1:5432), concurrent point reader + writer\n`);
    line('', `baton (batch ${batch})`, 'single UPDATE');
    line('rows filled', f(filledA), f(filledB));
    line('duration (s)', f(baton.ms / 1000), f(single.ms / 1000));
    line('rows/s', f(Math.round(rows / (baton.ms / 1000))), f(Math.round(rows / (single.ms / 1000))));
    line('longest row-lock hold (ms)', f(figures?.longestBatchMs ?? 0), f(single.ms));
    line('batches', f(figures?.batches ?? 0), '1');
    line('reader p99 / max (ms)', `${f(baton.readP99)} / ${f(baton.readMax)}`, `${f(single.readP99)} / ${f(single.readMax)}`);
    line('writer p99 / max (ms)', `${f(baton.writeP99)} / ${f(baton.writeMax)}`, `${f(single.writeP99)} / ${f(single.writeMax)}`);
    line('reads / writes served', `${baton.reads} / ${baton.writes}`, `${single.reads} / ${single.writes}`);
  } finally {
    await session.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
