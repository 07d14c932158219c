import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Proxy benchmark: req/s, p50 and p99 for the same backend reached directly, through kubesim's
// Service proxy, through kubesim's ingress proxy, and through nginx (the peer), at a fixed rate
// and at peak, in one run. Run: node packages/kubesim/dist/bench/proxy-bench.js [seconds]
// Figures are printed, never asserted. Every process started here is stopped by PID.

const seconds = Number(process.argv[2] ?? 4);
const fixedRate = 400;
const peakConcurrency = 32;
const children: ChildProcess[] = [];

function start(argv: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`${argv[1] ?? argv[0]} did not start: ${out}`)), 15_000);
    const onData = (d: Buffer): void => {
      out += String(d);
      const m = ready.exec(out);
      if (m) {
        clearTimeout(t);
        resolve({ child, match: m });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += String(d)));
    child.on('exit', (code) => reject(new Error(`${argv[0]} exited ${code}: ${out}`)));
  });
}

interface Result {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number);
}

function once(agent: http.Agent, url: URL, host: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: '/', agent, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(String(res.statusCode)))));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Open loop at `rate` req/s (latency per request), or closed loop with `concurrency` workers. */
async function load(target: string, mode: { rate: number } | { concurrency: number }): Promise<Result> {
  const url = new URL(target);
  const host = url.port === '' ? url.hostname : 'bench.test';
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  let errors = 0;
  const record = (p: Promise<number>): Promise<void> =>
    p.then(
      (ms) => void latencies.push(ms),
      () => void errors++,
    );
  const started = performance.now();
  const end = started + seconds * 1000;
  if ('rate' in mode) {
    const inflight = new Set<Promise<void>>();
    let sent = 0;
    while (performance.now() < end) {
      const due = Math.floor(((performance.now() - started) / 1000) * mode.rate);
      for (; sent < due; sent++) {
        const p = record(once(agent, url, host));
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(inflight);
  } else {
    await Promise.all(
      Array.from({ length: mode.concurrency }, async () => {
        while (performance.now() < end) await record(once(agent, url, host));
      }),
    );
  }
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

function findNginx(): { path: string } | { skip: string } {
  const candidates = ['/usr/sbin/nginx', '/usr/bin/nginx'];
  let found = candidates.find((p) => existsSync(p));
  if (!found) {
    // Install only here, only if missing, and say so (the bench is the one place nginx is needed).
    console.log('nginx not found; trying: apt-get install -y nginx-light');
    const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx-light'], {
      stdio: 'ignore',
      timeout: 300_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    found = candidates.find((p) => existsSync(p));
    if (!found) return { skip: `nginx-light could not be installed (apt-get exit ${r.status ?? r.signal ?? r.error?.message})` };
  }
  return { path: found };
}

async function startNginx(nginx: string, backend: string, dir: string): Promise<string> {
  const port = 20000 + Math.floor(Math.random() * 30000);
  const conf = `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream app { server ${backend}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), conf);
  const child = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}`);
    try {
      await once(new http.Agent(), new URL(url), 'bench.test');
      return url;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('nginx did not answer');
}

async function main(): Promise<void> {
  const testdata = (f: string): string => fileURLToPath(new URL(`../network/testdata/${f}`, import.meta.url));
  const backendIp = '127.244.251.250';
  const app = await start([process.execPath, testdata('version-app-main.js'), backendIp, '0', 'v1', 'bench-0'], /listening (\d+)/);
  const backend = `${backendIp}:${app.match[1]}`;
  const proxies = await start([process.execPath, testdata('proxy-host-main.js'), backendIp, String(app.match[1])], /(\{.*\})\n/);
  const urls = JSON.parse(proxies.match[1] as string) as { serviceUrl: string; ingressUrl: string };
  const targets: Array<[string, string]> = [
    ['direct', `http://${backend}`],
    ['kubesim service proxy (L4)', urls.serviceUrl],
    ['kubesim ingress proxy (L7)', urls.ingressUrl],
  ];
  const dir = await mkdtemp(join(tmpdir(), 'proxy-bench-'));
  const nginx = findNginx();
  if ('path' in nginx) {
    try {
      targets.push(['nginx 1 worker (peer, L7)', await startNginx(nginx.path, backend, dir)]);
    } catch (err) {
      console.log(`nginx skipped: ${(err as Error).message}`);
    }
  } else {
    console.log(`nginx skipped: ${nginx.skip}`);
  }
  console.log(
    `proxy bench: ${seconds}s per run, fixed ${fixedRate} req/s open loop, peak ${peakConcurrency} keep-alive connections; backend ${backend} (Node http)`,
  );
  const rows: string[] = [];
  const f = (n: number): string => n.toFixed(2).padStart(8);
  let directPeak = 0;
  for (const [name, url] of targets) {
    await load(url, { concurrency: 4 }).catch(() => undefined); // warm-up
    const fixed = await load(url, { rate: fixedRate });
    const peak = await load(url, { concurrency: peakConcurrency });
    if (directPeak === 0) directPeak = peak.rps; // the first target is the direct path
    const ratio = directPeak > 0 ? `${(peak.rps / directPeak).toFixed(2)}x` : '-';
    rows.push(
      `${name.padEnd(28)} | ${fixed.rps.toFixed(0).padStart(12)} ${f(fixed.p50)} ${f(fixed.p99)} ${String(fixed.errors).padStart(4)} | ${peak.rps.toFixed(0).padStart(12)} ${f(peak.p50)} ${f(peak.p99)} ${String(peak.errors).padStart(4)} ${ratio.padStart(9)}`,
    );
  }
  console.log(`${'path'.padEnd(28)} |  fixed req/s   p50 ms   p99 ms  err |   peak req/s   p50 ms   p99 ms  err vs direct`);
  for (const r of rows) console.log(r);
  // Shared machine: the figures only compare paths measured side by side in this one run.
  console.log(
    `load average during the run: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (1/5/15 min)`,
  );
  await rm(dir, { recursive: true, force: true });
}

try {
  await main();
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
}
