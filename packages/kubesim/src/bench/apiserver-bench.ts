import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { fileURLToPath } from 'node:url';

// API server benchmark: creates/s, gets/s, LIST of 1,000 objects, one change fanned out to 50
// watchers, and the server's RSS holding 5,000 objects. The server runs in its own process (so
// RSS is its own). Run: node packages/kubesim/dist/bench/apiserver-bench.js
// Figures are printed, never asserted. The child process is stopped by PID.

const serverModule = fileURLToPath(new URL('../apiserver/index.js', import.meta.url));
let agent = new https.Agent({ keepAlive: true, maxSockets: 16 });
let base = '';
let token = '';

function call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      base + path,
      { method, agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function parallel(n: number, concurrency: number, f: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await f(next++);
    }),
  );
  return performance.now() - started;
}

const cm = (i: number): unknown => ({
  metadata: { name: `cm-${i}`, labels: { bench: 'yes', idx: String(i % 10) } },
  data: { key: 'x'.repeat(200) },
});

async function main(): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { startApiServer } = await import(${JSON.stringify(serverModule)});
     const s = await startApiServer({});
     console.log(JSON.stringify({ url: s.httpsUrl, token: s.token, ca: s.caPem }));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const first = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(String(d)));
      child.once('exit', () => reject(new Error('server exited')));
    });
    const started = JSON.parse(first) as { url: string; token: string; ca: string };
    ({ url: base, token } = started);
    agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: started.ca });

    const creates = 1000;
    const createMs = await parallel(creates, 16, async (i) => {
      const r = await call('POST', '/api/v1/namespaces/default/configmaps', cm(i));
      if (r.status !== 201) throw new Error(r.text);
    });
    const gets = 3000;
    const getMs = await parallel(gets, 16, async (i) => {
      await call('GET', `/api/v1/namespaces/default/configmaps/cm-${i % creates}`);
    });
    const listRuns = 10;
    let listMs = 0;
    for (let i = 0; i < listRuns; i++) {
      const t = performance.now();
      const r = await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=bench%3Dyes');
      listMs += performance.now() - t;
      if ((JSON.parse(r.text) as { items: unknown[] }).items.length !== creates) throw new Error('list size');
    }

    // 50 watchers, one change: time from the write until every watcher has seen it.
    const rv = (
      JSON.parse((await call('GET', '/api/v1/namespaces/default/configmaps?limit=1')).text) as { metadata: { resourceVersion: string } }
    ).metadata.resourceVersion;
    const watchers = 50;
    const arrivals: number[] = [];
    const reqs: import('node:http').ClientRequest[] = [];
    let connected = 0;
    const allSeen = new Promise<void>((resolve) => {
      for (let w = 0; w < watchers; w++) {
        const req = https.request(
          `${base}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}`,
          { agent, headers: { authorization: `Bearer ${token}` } },
          (res) => {
            connected++;
            res.on('data', () => {
              arrivals.push(performance.now());
              if (arrivals.length === watchers) resolve();
            });
          },
        );
        req.end();
        reqs.push(req);
      }
    });
    while (connected < watchers) await new Promise((r) => setTimeout(r, 10));
    const t0 = performance.now();
    await call('PUT', '/api/v1/namespaces/default/configmaps/cm-0', { ...(cm(0) as object), data: { key: 'changed' } });
    await allSeen;
    const fanout = arrivals.map((a) => a - t0).sort((a, b) => a - b);
    for (const r of reqs) r.destroy();

    await parallel(4000, 16, async (i) => {
      await call('POST', '/api/v1/namespaces/default/configmaps', cm(creates + i));
    });
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);

    const fmt = (n: number): string => n.toFixed(1);
    console.log('kubesim apiserver bench (keep-alive HTTP, 16 concurrent clients)');
    console.log(`  creates/s                         ${fmt(creates / (createMs / 1000))}`);
    console.log(`  gets/s                            ${fmt(gets / (getMs / 1000))}`);
    console.log(`  list of 1,000 objects (avg)       ${fmt(listMs / listRuns)} ms`);
    console.log(
      `  1 change -> 50 watchers           p50 ${fmt(fanout[Math.floor(watchers / 2)] ?? 0)} ms, last ${fmt(fanout[watchers - 1] ?? 0)} ms`,
    );
    console.log(`  server RSS with 5,000 configmaps  ${fmt(rssKb / 1024)} MiB`);
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
  }
}

await main();
