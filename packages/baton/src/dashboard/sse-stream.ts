import type { ServerResponse } from 'node:http';

/** One server-sent-events connection: named events with JSON data, and a heartbeat comment. */
export class SseStream {
  private readonly heartbeat: NodeJS.Timeout;
  closed = false;

  constructor(
    private readonly res: ServerResponse,
    onClose: () => void,
  ) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': baton dashboard\n\n');
    // A comment now and then keeps proxies (kubectl port-forward included) from closing an idle stream.
    this.heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    this.heartbeat.unref();
    res.on('close', () => {
      this.closed = true;
      clearInterval(this.heartbeat);
      onClose();
    });
  }

  send(event: string, data: unknown): void {
    if (this.closed) return;
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  close(): void {
    if (!this.closed) this.res.end();
  }
}
