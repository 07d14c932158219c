import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lifecycle } from './lifecycle.js';

const TICK_MS = 100;

/** Bytes a `/stream?seconds=S&kbps=K` download carries (kbps = kilobits per second). */
export function streamLength(seconds: number, kbps: number): number {
  return Math.round((seconds * kbps * 1000) / 8);
}

/** The byte `bytes=N-` asks to start from; undefined for no Range; null for one we cannot serve. */
export function rangeStart(header: string | undefined, total: number): number | undefined | null {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d+)-$/.exec(header.trim());
  if (!match) return null;
  const start = Number(match[1]);
  return start < total ? start : null;
}

/**
 * A long download with a Content-Length, sent in chunks every 100 ms: the podcast listener of the
 * Castopod seed. A client can tell a cut stream from a finished one by counting bytes. The body is
 * the same on every pod (deterministic), so `Range: bytes=N-` resumes it anywhere (206 with
 * Content-Range), as podcast players do after a dropped connection.
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
  const start = rangeStart(typeof req.headers.range === 'string' ? req.headers.range : undefined, total);
  if (start === null) {
    res.writeHead(416, { 'content-range': `bytes */${total}`, 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: `only "bytes=N-" with N < ${total} is supported` }));
    return;
  }
  const ticks = Math.max(1, Math.round((seconds * 1000) / TICK_MS));
  const chunk = Math.ceil(total / ticks);
  let sent = start ?? 0;
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    'content-length': String(total - sent),
    'accept-ranges': 'bytes',
  };
  if (start !== undefined) headers['content-range'] = `bytes ${start}-${total - 1}/${total}`;
  res.writeHead(start === undefined ? 200 : 206, headers);

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
  const release = lifecycle.hold({ kind: 'download', end: () => res.destroy() });
  res.on('close', () => {
    clearInterval(timer);
    release();
  });
  req.resume();
}
