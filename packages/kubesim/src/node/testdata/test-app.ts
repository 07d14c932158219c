// A tiny app for the kubelet's tests. It binds $POD_IP:$PORT (never 0.0.0.0: all pods share one
// host) and can be told to fail readiness, fail liveness or crash. Times of preStop/SIGTERM are
// appended to $EVENTS_FILE so tests can check the termination order.
import { createServer } from 'node:http';
import { appendFileSync } from 'node:fs';

const env = process.env;
const record = (what: string): void => {
  if (env.EVENTS_FILE) appendFileSync(env.EVENTS_FILE, `${Date.now()} ${what}\n`);
};

if (env.MODE === 'job') {
  console.log(`job ${env.POD_NAME} running`);
  console.error('job stderr line');
  setTimeout(() => process.exit(Number(env.EXIT_CODE ?? 0)), Number(env.DELAY_MS ?? 0));
} else {
  let ready = env.START_UNREADY !== '1';
  let healthy = true;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const reply = (code: number, body: string): void => {
      res.writeHead(code, { 'content-type': 'text/plain' });
      res.end(body);
    };
    switch (url.pathname) {
      case '/ready':
        return reply(ready ? 200 : 503, ready ? 'ready' : 'not ready');
      case '/health':
        return reply(healthy ? 200 : 500, healthy ? 'ok' : 'unhealthy');
      case '/set': {
        if (url.searchParams.has('ready')) ready = url.searchParams.get('ready') === '1';
        if (url.searchParams.has('healthy')) healthy = url.searchParams.get('healthy') === '1';
        console.log(`set ready=${ready} healthy=${healthy}`);
        return reply(200, 'ok');
      }
      case '/crash': {
        reply(200, 'bye');
        setTimeout(() => process.exit(Number(url.searchParams.get('code') ?? 1)), 10);
        return;
      }
      case '/prestop': {
        record('prestop');
        return reply(200, 'ok');
      }
      case '/env':
        return reply(200, JSON.stringify(env));
      default:
        return reply(404, 'not found');
    }
  });
  record(`start pid=${process.pid}`);
  const port = Number(env.PORT ?? 8080);
  server.listen(port, env.POD_IP ?? '127.0.0.1', () => console.log(`listening on ${env.POD_IP}:${port}`));
  process.on('SIGTERM', () => {
    record('sigterm');
    console.log('got SIGTERM');
    if (env.IGNORE_SIGTERM === '1') return;
    setTimeout(
      () => {
        record('exit');
        process.exit(0);
      },
      Number(env.TERM_DELAY_MS ?? 0),
    );
  });
}
