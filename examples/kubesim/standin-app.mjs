#!/usr/bin/env node
// A stand-in for the examples' real images on kubesim (whose pods are local processes): an HTTP
// server that answers every path, streams the podcast episode paths (*.mp3) slowly like a
// listener's download, names its version in x-app-version, and drains gracefully on SIGTERM as
// the real app behind a preStop hook would. It is not Castopod or Matomo; it lets the examples'
// baton.yaml run unchanged, so what they plan is what they do.
import { createServer } from 'node:http';
import { Server as NetServer } from 'node:net';

const version = process.env.APP_VERSION ?? 'unknown';
const host = process.env.POD_IP || '127.0.0.1';
const port = Number(process.env.PORT ?? 8000);
const episodeBytes = 256 * 1024;

let draining = false;
const sockets = new Set();
const server = createServer((req, res) => {
  res.setHeader('x-app-version', version);
  // While draining, tell keep-alive clients to open their next request elsewhere.
  if (draining) res.setHeader('connection', 'close');
  if (req.url?.endsWith('.mp3')) {
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(episodeBytes) });
    let sent = 0;
    const timer = setInterval(() => {
      const chunk = Buffer.alloc(Math.min(16 * 1024, episodeBytes - sent), 0x55);
      sent += chunk.length;
      res.write(chunk);
      if (sent >= episodeBytes) {
        clearInterval(timer);
        res.end();
      }
    }, 100);
    res.on('close', () => clearInterval(timer));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`${process.env.STANDIN_NAME ?? 'app'} ${version}\n`);
});
server.keepAliveTimeout = 5_000;
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});
server.listen(port, host, () => process.stdout.write(`stand-in ${version} listening on ${host}:${port}\n`));
// Kubernetes sends SIGTERM after preStop: take no new connection, finish what is in flight, and
// leave idle keep-alive connections to their timeout. (http.Server#close would close idle ones at
// once, racing a request a client is sending on one at that moment: the client sees a reset.)
process.on('SIGTERM', () => {
  draining = true;
  NetServer.prototype.close.call(server);
  const deadline = Date.now() + 25_000;
  const timer = setInterval(() => {
    if (sockets.size === 0 || Date.now() > deadline) {
      clearInterval(timer);
      process.exit(0);
    }
  }, 100);
});
