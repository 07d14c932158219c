import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lifecycle } from './lifecycle.js';

const TICK_MS = 100;

/** Bytes a `/stream?seconds=S&kbps=K` download carries (kbps = kilobits per second). */
export function streamLength(seconds: number, kbps: number): number {
  return Math.round((seconds * kbps * 1000) / 8);
}

/**
 * A long download with a Content-Length, sent in chunks every 100 ms: the podcast listener of the
 * Castopod seed. A client can tell a cut stream from a finished one by counting bytes.
 */
export function handleStream(req: IncomingMessage, res: ServerResponse, url: URL, lifecycle: Lifecycle): void {
  const seconds = Number(url.searchParams.get('seconds') ?? '10');
  const kbps = Number(url.searchParams.get('kbps') ?? '64');
  if (!(seconds > 0 && seconds <= 3600 && kbps > 0 && kbps <= 100_000)) {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'seconds must be in (0, 3600] and kbps in (0, 100000]' }));
    return;
  }
  const total = streamLength(seconds, kbps);
  const ticks = Math.max(1, Math.round((seconds * 1000) / TICK_MS));
  const chunk = Math.ceil(total / ticks);
  let sent = 0;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });

  const timer = setInterval(() => {
    const size = Math.min(chunk, total - sent);
    res.write(Buffer.alloc(size, 0x61));
    sent += size;
    if (sent >= total) {
      clearInterval(timer);
      res.end();
    }
  }, TICK_MS);
  // A Content-Length body cannot end cleanly early: at the drain deadline the stream is cut,
  // which is exactly what the probe must be able to see.
  const release = lifecycle.hold({ end: () => res.destroy() });
  res.on('close', () => {
    clearInterval(timer);
    release();
  });
  req.resume();
}
