import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, errors } from './api-error.js';

/** Upper bound on request bodies (the real server's is 3 MiB for most writes). */
const maxBody = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

/** Past this, a too-large body is no longer read to its end: the connection is dropped. */
const maxDrain = 64 * 1024 * 1024;

/**
 * The body, or a 413 for one over the limit. The rest of a too-large body is read and dropped
 * before the 413 goes out: stopping mid-body would destroy the socket, and the client would see
 * a reset connection ("socket hang up") instead of the answer the real server gives.
 */
export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > maxDrain) break;
    if (size <= maxBody) chunks.push(c);
  }
  if (size > maxBody) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
  return Buffer.concat(chunks);
}

/** The media type without parameters, lower-cased. */
export function mediaType(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
}

/** Parses a JSON or YAML body; malformed input is a 400 as upstream. */
export function parseBody(text: string, yaml: boolean): unknown {
  if (text.trim() === '') throw errors.badRequest('the body of the request was empty');
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(`error decoding ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, e: unknown): void {
  const err = e instanceof ApiError ? e : errors.internal(e instanceof Error ? e.message : String(e));
  // Unexpected failures are bugs of the simulator: make them findable.
  if (!(e instanceof ApiError) && process.env['KUBESIM_DEBUG']) console.error(e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}
