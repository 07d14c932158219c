import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { EventSequence } from './event-sequence.js';
import type { Lifecycle } from './lifecycle.js';

export interface WebSocketRouteOptions {
  lifecycle: Lifecycle;
  version: string;
  podName: string;
  tickMs?: number;
  now?: () => number;
}

/**
 * WebSocket /ws: echoes every message and sends `{id, tick, version}` every 250 ms, ids from the
 * shared EventSequence. `/ws?after=K` resumes after id K (the client's last one), replaying what it
 * missed, so a reconnect to any pod loses and repeats nothing. On a drain the socket is closed at
 * once with 1001 (going away): the clean end that tells the client to reconnect elsewhere.
 */
export function createWebSocketRoute(options: WebSocketRouteOptions): {
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
} {
  const wss = new WebSocketServer({ noServer: true });
  const tickMs = options.tickMs ?? 250;
  const sequence = new EventSequence(tickMs, options.now);
  wss.on('headers', (headers) => {
    headers.push(`x-app-version: ${options.version}`, `x-pod-name: ${options.podName}`);
  });
  return {
    upgrade(req, socket, head) {
      if (options.lifecycle.isDraining) {
        socket.end(
          `HTTP/1.1 503 Service Unavailable\r\nx-app-version: ${options.version}\r\nx-pod-name: ${options.podName}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`,
        );
        return;
      }
      const after = EventSequence.parseLastId(new URL(req.url ?? '/', 'http://app').searchParams.get('after'));
      wss.handleUpgrade(req, socket, head, (ws) => {
        let next = sequence.firstToSend(after);
        const emitDue = (): void => {
          for (const current = sequence.current(); next <= current; next += 1)
            ws.send(JSON.stringify({ id: next, tick: next, version: options.version }));
        };
        emitDue();
        const timer = setInterval(emitDue, tickMs);
        const release = options.lifecycle.hold({ kind: 'websocket', end: () => ws.close(1001, 'draining') });
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
