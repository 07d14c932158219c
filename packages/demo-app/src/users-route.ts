import type { IncomingMessage, ServerResponse } from 'node:http';
import type { User, UsersStore } from './users-store.js';

/** Read cache of users by id (users are immutable here); `demo-admin cache-clear` empties it. */
export type UserCache = Map<string, User>;
const CACHE_MAX = 1000;

const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
}

function field(body: unknown, key: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** POST /users {first_name,last_name} -> 201 {id}; GET /users/:id -> {id, full_name}. */
export async function handleUsers(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  store: UsersStore | undefined,
  cache: UserCache,
): Promise<void> {
  if (store === undefined) {
    req.resume();
    send(res, 503, { error: 'DATABASE_URL is not configured' });
    return;
  }
  try {
    if (req.method === 'POST' && path === '/users') {
      let body: unknown;
      try {
        body = await readJson(req);
      } catch {
        send(res, 400, { error: 'body must be a JSON object' });
        return;
      }
      const firstName = field(body, 'first_name');
      const lastName = field(body, 'last_name');
      if (firstName === undefined || lastName === undefined) {
        send(res, 400, { error: 'first_name and last_name are required strings' });
        return;
      }
      send(res, 201, { id: await store.create({ firstName, lastName }) });
      return;
    }
    const match = /^\/users\/(\d{1,18})$/.exec(path);
    if (req.method === 'GET' && match?.[1] !== undefined) {
      req.resume();
      const user = cache.get(match[1]) ?? (await store.get(match[1]));
      if (user !== undefined && cache.size < CACHE_MAX) cache.set(user.id, user);
      if (user === undefined) send(res, 404, { error: 'no such user' });
      else send(res, 200, { id: user.id, full_name: user.fullName });
      return;
    }
    req.resume();
    send(res, 404, { error: 'not found' });
  } catch (error) {
    // A DB failure is the app's 500; the message helps whoever reads the probe's failure list.
    if (!res.headersSent) send(res, 500, { error: error instanceof Error ? error.message : String(error) });
    else res.destroy();
  }
}
