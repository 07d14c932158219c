#!/usr/bin/env node
// Entry point of the rainbow worker (`node dist/worker.js`): the only file of it with side effects.
// A NATS worker that takes long tasks from `tasks.<BATON_RELEASE>.>` — the Spawn seed's "append a
// release identifier to all message subjects" — and exports demo_active_tasks{release} so
// `baton gc` can tell when an old release has finished its work.
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { connect, StringCodec } from 'nats';
import { Gauge, Registry } from 'prom-client';
import { parseTask, TaskTracker } from './worker-tasks.js';

const env = process.env;
const version = env.APP_VERSION ?? 'v1';
const release = env.BATON_RELEASE || version;
const host = env.POD_IP || env.HOST || '127.0.0.1';
const port = Number(env.PORT ?? 8080);
// Keep-alive clients would stay on an old release forever (old releases keep running in a
// rainbow); closing connections older than this moves them to the active release promptly.
const maxConnectionAgeMs = Number(env.MAX_CONNECTION_AGE_MS ?? 1000);

const registry = new Registry();
const gauge = new Gauge({
  name: 'demo_active_tasks',
  help: 'Tasks running in this worker',
  labelNames: ['release'],
  registers: [registry],
});
gauge.set({ release }, 0);
const tasks = new TaskTracker((n) => gauge.set({ release }, n));
let draining = false;

function reply(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'x-app-version': version, 'x-release': release });
  res.end(body);
}

const born = new WeakMap<Socket, number>();
const server = createServer((req, res) => {
  const socket = req.socket;
  if (!born.has(socket)) born.set(socket, Date.now());
  if (Date.now() - (born.get(socket) ?? 0) > maxConnectionAgeMs) res.setHeader('connection', 'close');
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/metrics') {
    registry.metrics().then(
      (text) => reply(res, 200, text, registry.contentType),
      () => reply(res, 500, '{}'),
    );
  } else if (path === '/health') reply(res, 200, '{"ok":true}');
  else if (path === '/ready') reply(res, draining ? 503 : 200, JSON.stringify({ ready: !draining }));
  else reply(res, 200, JSON.stringify({ version, release, activeTasks: tasks.activeCount, pod: env.POD_NAME ?? env.HOSTNAME ?? 'local' }));
});
server.keepAliveTimeout = 2000;

async function main(): Promise<void> {
  const nc = await connect({ servers: env.NATS_URL ?? '127.0.0.1:4222', name: `demo-worker-${release}` });
  const codec = StringCodec();
  const subject = `tasks.${release}.>`;
  const sub = nc.subscribe(subject, { queue: `workers-${release}` });
  void (async () => {
    for await (const msg of sub) {
      const task = parseTask(codec.decode(msg.data));
      process.stdout.write(`worker ${release}: task on ${msg.subject} for ${task.ms} ms\n`);
      void tasks.run(task).then(() => process.stdout.write(`worker ${release}: task on ${msg.subject} done\n`));
    }
  })();
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`demo-worker ${version} (release ${release}) on ${host}:${bound}, subject ${subject}\n`);
  const onTerm = (signal: string): void => {
    if (draining) return;
    draining = true;
    // Take no new task, finish the running ones, then exit: a deletion never cuts a task short
    // (the grace period must be long enough; baton gc deletes only releases with no task running).
    process.stdout.write(`demo-worker: ${signal}, finishing ${tasks.activeCount} task(s)\n`);
    sub.unsubscribe();
    tasks.idle().then(
      async () => {
        await nc.drain().catch(() => {});
        server.close();
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onTerm);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo-worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
