import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Lifecycle } from './lifecycle.js';

export interface WebSocketRouteOptions {
  lifecycle: Lifecycle;
  version: string;
  podName: string;
  tickMs?: number;
}

/**
 * WebSocket /ws: echoes every message and sends a tick every 250 ms. On drain the socket stays
 * open until the deadline, then closes with 1001 (going away), the clean way to end it.
 */
export function createWebSocketRoute(options: WebSocketRouteOptions): {
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
} {
  const wss = new WebSocketServer({ noServer: true });
  wss.on('headers', (headers) => {
    headers.push(`x-app-version: ${options.version}`, `x-pod-name: ${options.podName}`);
  });
  return {
    upgrade(req, socket, head) {
      if (options.lifecycle.isDraining) {
        socket.end(`HTTP/1.1 503 Service Unavailable\r\nx-app-version: ${options.version}\r\nx-pod-name: ${options.podName}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        let tick = 0;
        const timer = setInterval(() => {
          tick += 1;
          ws.send(JSON.stringify({ tick, version: options.version }));
        }, options.tickMs ?? 250);
        const release = options.lifecycle.hold({ end: () => ws.close(1001, 'draining') });
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
        ws.on('close', () => {
          clearInterval(timer);
          release();
        });
        ws.on('error', () => ws.terminate());
      });
    },
  };
}
