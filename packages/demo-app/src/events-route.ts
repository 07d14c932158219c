import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventSequence } from './event-sequence.js';
import type { Lifecycle } from './lifecycle.js';

export interface EventsRouteOptions {
  lifecycle: Lifecycle;
  version: string;
  intervalMs?: number;
  now?: () => number;
}

/**
 * Server-sent events: `id: N` / `event: tick` every 250 ms, ids from the shared EventSequence.
 * A client that reconnects with `Last-Event-ID: K` first gets every event after K it missed, so
 * it sees each id exactly once whichever pod answers. On a drain the response ends cleanly after
 * a complete event (plus a `bye` event without id): EventSource clients reconnect and resume.
 */
export function handleEvents(req: IncomingMessage, res: ServerResponse, options: EventsRouteOptions): void {
  const intervalMs = options.intervalMs ?? 250;
  const sequence = new EventSequence(intervalMs, options.now);
  let next = sequence.firstToSend(EventSequence.parseLastId(req.headers['last-event-id']));
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  // retry: how soon an EventSource reconnects after the end of a response (ms).
  res.write('retry: 250\n\n');
  const emitDue = (): void => {
    const current = sequence.current();
    let chunk = '';
    for (; next <= current; next += 1)
      chunk += `id: ${next}\nevent: tick\ndata: ${JSON.stringify({ tick: next, version: options.version })}\n\n`;
    if (chunk) res.write(chunk);
  };
  emitDue();
  const timer = setInterval(emitDue, intervalMs);
  const release = options.lifecycle.hold({
    kind: 'sse',
    end: () => {
      clearInterval(timer);
      res.end('event: bye\ndata: {"reason":"draining"}\n\n');
    },
  });
  res.on('close', () => {
    clearInterval(timer);
    release();
  });
  req.resume();
}
