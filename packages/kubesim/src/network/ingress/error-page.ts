import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';

const titles: Record<number, string> = { 503: 'Service Temporarily Unavailable' };

/** An nginx-style error page, so clients and probes see the statuses an ingress-nginx gives. */
export function errorPage(status: number): { head: Record<string, string>; body: string } {
  const title = `${status} ${titles[status] ?? STATUS_CODES[status] ?? 'Error'}`;
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>kubesim-ingress</center>\r\n</body>\r\n</html>\r\n`;
  return { head: { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(body)) }, body };
}

export function sendError(res: ServerResponse, status: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const page = errorPage(status);
  res.writeHead(status, page.head);
  res.end(page.body);
}

/** The same page written raw on a socket (for failed WebSocket upgrades). */
export function rawErrorResponse(status: number): string {
  const page = errorPage(status);
  const head = Object.entries(page.head)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${head}connection: close\r\n\r\n${page.body}`;
}
