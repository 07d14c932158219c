#!/usr/bin/env node
// `demo-admin`: the operator commands run through `kubectl exec`, like the Castopod seed's
// `php spark migrate:status` and `php spark cache:clear`. Entry point: process side effects here.
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The database engineer's ledger (packages/baton/src/db): one row per applied migration. */
const LEDGER = process.env.BATON_LEDGER_TABLE ?? 'baton_schema_migrations';
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

function fail(message: string): never {
  process.stderr.write(`demo-admin: ${message}\n`);
  process.exit(1);
}

async function migrateStatus(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) fail('DATABASE_URL is not set');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000, application_name: 'demo-admin' });
  try {
    await client.connect();
  } catch (error) {
    fail(`database unreachable: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [LEDGER]);
    const applied = new Map<string, { applied_at: Date | null }>();
    if (exists.rows[0]?.t != null) {
      const rows = await client.query<{ version: string; applied_at: Date | null }>(
        `SELECT version::text AS version, applied_at FROM ${pg.escapeIdentifier(LEDGER)} ORDER BY version`,
      );
      for (const row of rows.rows) applied.set(row.version.padStart(4, '0'), row);
    }
    const files = safeList(MIGRATIONS_DIR)
      .filter((f) => /^\d+_.+\.sql$/.test(f))
      .sort();
    const lines = files.map((file) => {
      const version = file.split('_')[0] ?? '';
      const row = applied.get(version);
      applied.delete(version);
      return `${version}  ${file.padEnd(34)}  ${row ? `applied ${row.applied_at?.toISOString() ?? ''}` : 'pending'}`;
    });
    // Applied migrations with no file here still show: another release's code may own them.
    for (const [version, row] of applied)
      lines.push(`${version}  ${'(no file)'.padEnd(34)}  applied ${row.applied_at?.toISOString() ?? ''}`);
    process.stdout.write(`ledger ${LEDGER}${exists.rows[0]?.t == null ? ' (absent: nothing applied)' : ''}\n${lines.join('\n')}\n`);
  } finally {
    await client.end();
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function cacheClear(): Promise<void> {
  const host = process.env.POD_IP || process.env.HOST || '127.0.0.1';
  const port = Number(process.env.PORT || 8080);
  return new Promise((resolve) => {
    const req = request({ host, port, method: 'POST', path: '/admin/cache-clear', timeout: 3_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) fail(`cache-clear answered ${res.statusCode}: ${body}`);
        const cleared = (JSON.parse(body) as { cleared: { users: number } }).cleared;
        process.stdout.write(`cleared user cache: ${cleared.users} entries (pod ${res.headers['x-pod-name'] ?? '?'})\n`);
        resolve();
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => fail(`server at ${host}:${port} unreachable: ${error.message}`));
    req.end();
  });
}

const command = process.argv[2];
const run = command === 'migrate-status' ? migrateStatus : command === 'cache-clear' ? cacheClear : undefined;
if (run === undefined) fail(`usage: demo-admin migrate-status | cache-clear (got ${command ?? 'nothing'})`);
else run().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
