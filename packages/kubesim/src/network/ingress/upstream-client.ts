import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';

/** One request the ingress sends to a pod endpoint. */
export interface UpstreamRequest {
  ip: string;
  port: number;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  /** The client's request body, streamed as it arrives; undefined for a bodiless request. */
  body?: Readable;
}

/**
 * Why an upstream exchange failed, in nginx's terms: `refused` and `connect-timeout` mean the
 * request never reached the pod; `read-timeout` is proxy_read_timeout; `reset` is a connection
 * closed before any answer (most often a pooled keep-alive socket the pod had just closed).
 */
export type UpstreamFailure = { kind: 'refused' | 'connect-timeout' | 'read-timeout' | 'reset' | 'other'; message: string };

/** What happens to an exchange, in order: response, data*, end; or error at any point. */
export interface UpstreamCallbacks {
  response(status: number, statusMessage: string | undefined, headers: IncomingHttpHeaders): void;
  /** Returns false to pause the upstream until UpstreamCall.resume() (back-pressure). */
  data(chunk: Buffer): boolean;
  end(): void;
  error(failure: UpstreamFailure): void;
}

/** A running exchange. */
export interface UpstreamCall {
  abort(): void;
  resume(): void;
}

export interface UpstreamClientOptions {
  /** nginx proxy_connect_timeout. */
  connectTimeoutMs: number;
  /** nginx proxy_read_timeout: idle time waiting for the answer or between body reads. */
  readTimeoutMs: number;
}

function classify(err: Error & { code?: string }): UpstreamFailure {
  const message = err.message;
  switch (err.code) {
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
      return { kind: 'refused', message };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { kind: 'connect-timeout', message };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { kind: 'read-timeout', message };
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
      return { kind: 'reset', message };
    default:
      return { kind: 'other', message };
  }
}

/**
 * The ingress's connections to pod endpoints: one keep-alive pool per endpoint (undici), as
 * ingress-nginx keeps an upstream keepalive pool. undici rather than node:http's client because
 * it costs about half the CPU per proxied request, and the ingress shares the machine with the
 * load it measures.
 */
export class UpstreamClient {
  private readonly agent: Agent;

  constructor(options: UpstreamClientOptions) {
    this.agent = new Agent({
      connections: null,
      pipelining: 1,
      // Idle pooled sockets close after 4 s, below Node's default 5 s server keep-alive, so the
      // ingress rarely reuses a socket the pod is closing at that instant.
      keepAliveTimeout: 4000,
      headersTimeout: options.readTimeoutMs,
      bodyTimeout: options.readTimeoutMs,
      connect: { timeout: options.connectTimeoutMs },
    });
  }

  send(request: UpstreamRequest, callbacks: UpstreamCallbacks): UpstreamCall {
    let controller: Dispatcher.DispatchController | undefined;
    let aborted = false;
    const abortError = (): Error => Object.assign(new Error('client closed the request'), { code: 'UND_ERR_ABORTED' });
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (aborted) c.abort(abortError());
      },
      onResponseStart(_c, status, headers, statusMessage) {
        callbacks.response(status, statusMessage, headers);
      },
      onResponseData(c, chunk) {
        if (!callbacks.data(chunk)) c.pause();
      },
      onResponseEnd() {
        callbacks.end();
      },
      onResponseError(_c, err) {
        callbacks.error(classify(err));
      },
    };
    this.agent.dispatch(
      {
        origin: `http://${request.ip}:${request.port}`,
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body ?? null,
      },
      handler,
    );
    return {
      abort() {
        aborted = true;
        controller?.abort(abortError());
      },
      resume() {
        controller?.resume();
      },
    };
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}
