import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lifecycle } from './lifecycle.js';

/** Server-sent events: a tick every 250 ms until the client leaves or the drain deadline ends it. */
export function handleEvents(req: IncomingMessage, res: ServerResponse, lifecycle: Lifecycle, version: string, intervalMs = 250): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  res.flushHeaders();
  let tick = 0;
  const timer = setInterval(() => {
    tick += 1;
    res.write(`event: tick\ndata: ${JSON.stringify({ tick, version })}\n\n`);
  }, intervalMs);
  const release = lifecycle.hold({
    // SSE can end cleanly: a final event tells the client why, then the response ends.
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
