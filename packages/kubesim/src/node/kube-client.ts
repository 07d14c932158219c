import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeResponse<T> {
  status: number;
  body: T | undefined;
  text: string;
}

/** The slice of the Kubernetes REST API the kubelet uses. */
export interface KubeClient {
  /** The bearer token of the kubeconfig's user, if it has one (the kubelet server requires it). */
  readonly token: string | undefined;
  request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<KubeResponse<T>>;
  /** Streams watch events until the server closes the stream or `signal` aborts. */
  watch(path: string, onEvent: (type: string, object: unknown) => void, signal: AbortSignal): Promise<void>;
  /** Closes the kept-alive connections. */
  close(): void;
}

/**
 * Builds a client from kubeconfig YAML. The client library does the kubeconfig parsing and
 * authentication (tokens, client certs, exec plugins); requests are plain node:http(s) so the
 * kubelet controls content types (merge patches) and streaming.
 */
export function createKubeClient(kubeconfig: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const base = new URL(cluster.server);
  const user = kc.getCurrentUser();
  // The client library builds a fresh Agent per request (a TLS handshake every time); the
  // kubelet makes many small requests, so it keeps one keep-alive agent with the same TLS material.
  let agent: HttpAgent | undefined = base.protocol === 'https:' ? undefined : new HttpAgent({ keepAlive: true });

  async function open(method: string, path: string, headers: Record<string, string>): Promise<{ req: ReturnType<typeof httpRequest> }> {
    const opts: RequestOptions & { headers: Record<string, string> } = {
      method,
      host: base.hostname,
      port: base.port || (base.protocol === 'https:' ? 443 : 80),
      path: base.pathname.replace(/\/$/, '') + path,
      headers: { Accept: 'application/json', ...headers },
    };
    if (base.protocol === 'https:') {
      await kc.applyToHTTPSOptions(opts as never);
      const tls = opts as RequestOptions & { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean; servername?: string };
      agent ??= new HttpsAgent({
        keepAlive: true,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        rejectUnauthorized: tls.rejectUnauthorized,
        servername: tls.servername,
      });
      opts.agent = agent;
    }
    // The client library refuses credentials over plain HTTP; kubesim serves loopback HTTP, so
    // the kubelet sends a token (or basic auth) itself there.
    else {
      opts.agent = agent;
      if (user?.token) opts.headers.Authorization = `Bearer ${user.token}`;
      else if (user?.username)
        opts.headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
    }
    const req = (base.protocol === 'https:' ? httpsRequest : httpRequest)(opts);
    return { req };
  }

  return {
    token: user?.token,
    close: () => agent?.destroy(),
    async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse<T>> {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      // An explicit length: Node would otherwise send a DELETE body without any framing.
      const { req } = await open(
        method,
        path,
        payload === undefined ? {} : { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(payload)) },
      );
      return new Promise((resolve, reject) => {
        req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
        req.on('error', reject);
        req.on('response', (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let parsed: T | undefined;
            try {
              parsed = text ? (JSON.parse(text) as T) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, text });
          });
        });
        req.end(payload);
      });
    },
    async watch(path, onEvent, signal) {
      const { req } = await open('GET', path, {});
      return new Promise((resolve, reject) => {
        const abort = (): void => {
          req.destroy();
          resolve();
        };
        if (signal.aborted) return abort();
        signal.addEventListener('abort', abort, { once: true });
        req.on('error', (e) => {
          signal.removeEventListener('abort', abort);
          if (signal.aborted) resolve();
          else reject(e);
        });
        req.on('response', (res: IncomingMessage) => {
          if ((res.statusCode ?? 0) >= 300) {
            let t = '';
            res.on('data', (c: Buffer) => {
              t += c.toString();
            });
            res.on('end', () => reject(new Error(`watch ${path}: HTTP ${res.statusCode}: ${t.slice(0, 300)}`)));
            return;
          }
          let buf = '';
          res.on('data', (c: Buffer) => {
            buf += c.toString();
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (!line) continue;
              try {
                const ev = JSON.parse(line) as { type: string; object: unknown };
                onEvent(ev.type, ev.object);
              } catch {
                // A malformed line is skipped; the relist that follows any gap repairs state.
              }
            }
          });
          // Any way the stream ends (server closed it, connection reset) ends this watch; the
          // caller relists and watches again.
          const done = (): void => {
            signal.removeEventListener('abort', abort);
            resolve();
          };
          res.on('end', done);
          res.on('error', done);
          res.on('close', done);
        });
        req.end();
      });
    },
  };
}
