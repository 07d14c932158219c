import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A scrape target: `host:port`, with labels added to every series scraped from it. */
export interface ScrapeTarget {
  target: string;
  labels?: Record<string, string>;
}

/** A Prometheus process of our own, for tests and demos. */
export interface PrometheusProcess {
  url: string;
  /** Replaces the scraped targets (file_sd, picked up within about a second). */
  setTargets(targets: ScrapeTarget[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Debian's `prometheus` on 127.0.0.1 with a generated config that scrapes the targets
 * from a file_sd file every `scrapeIntervalSeconds`, storing into a temp folder that stop()
 * removes. Not used by baton itself (baton only queries a Prometheus it is given). A missing
 * binary throws, naming the package: tests must fail, not skip, when it is absent.
 */
export async function startPrometheus(
  options: { scrapeIntervalSeconds?: number; binary?: string; readyTimeoutMs?: number } = {},
): Promise<PrometheusProcess> {
  const binary = options.binary ?? 'prometheus';
  const dir = await mkdtemp(join(tmpdir(), 'baton-prometheus-'));
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const targetsFile = join(dir, 'targets.json');
  const setTargets = async (targets: ScrapeTarget[]): Promise<void> => {
    const body = JSON.stringify(targets.map((t) => ({ targets: [t.target], labels: t.labels ?? {} })));
    await writeFile(`${targetsFile}.tmp`, body);
    await rename(`${targetsFile}.tmp`, targetsFile); // atomic: Prometheus never reads half a file
  };
  await setTargets([]);
  await writeFile(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  evaluation_interval: ${interval}`,
      'scrape_configs:',
      '  - job_name: baton-test',
      `    scrape_timeout: ${interval}`,
      '    file_sd_configs:',
      `      - files: [${JSON.stringify(targetsFile)}]`,
      '        refresh_interval: 1s',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<NodeJS.ErrnoException | number | null>((resolve) => {
    child.once('error', (error) => resolve(error));
    child.once('exit', (code) => resolve(code));
  });
  const stop = async (): Promise<void> => {
    await kill(child, exited);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    const early = await Promise.race([exited, sleep(200).then(() => 'running' as const)]);
    if (early !== 'running') {
      await rm(dir, { recursive: true, force: true });
      if (typeof early === 'object' && early?.code === 'ENOENT') {
        throw new Error(
          `the prometheus binary (${binary}) is not installed: apt-get install -y prometheus (Debian package \`prometheus\`)`,
        );
      }
      throw new Error(
        `prometheus exited (${String(typeof early === 'object' ? early?.message : early)}) before it was ready: ${stderr.trim()}`,
      );
    }
    if (await isReady(url)) return { url, setTargets, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus at ${url} not ready within ${options.readyTimeoutMs ?? 20_000} ms: ${stderr.trim()}`);
    }
  }
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function kill(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  if (!done) {
    child.kill('SIGKILL');
    await exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
