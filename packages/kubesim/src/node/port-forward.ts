import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { SpdyServerConnection, type SpdyStream } from './spdy/spdy-connection.js';

/** What port-forward needs of a pod: where it listens, and its uid for error messages. */
export interface PortForwardTarget {
  podIP: string;
  uid: string;
  name: string;
  namespace: string;
}

/** kubectl 1.31+: SPDY tunnelled through WebSocket binary messages (KEP 4006). */
export const SPDY_OVER_WEBSOCKET = 'SPDY/3.1+portforward.k8s.io';
const TUNNEL_TOKEN = 'kubesim-spdy-portforward-tunnel';

/** The subprotocol to answer a port-forward WebSocket upgrade with (the WebSocketServer's handleProtocols). */
export function portForwardProtocol(offered: Set<string>): string | false {
  if (offered.has(TUNNEL_TOKEN)) return SPDY_OVER_WEBSOCKET;
  return PORT_FORWARD_WS_PROTOCOLS.find((p) => offered.has(p)) ?? false;
}

/** The WebSocket channel protocol client-node's PortForward speaks (and kubelets serve). */
export const PORT_FORWARD_WS_PROTOCOLS = ['v4.channel.k8s.io', 'portforward.k8s.io'];

/**
 * The message a containerd node gives when nothing listens on the port (kubectl prints it as
 * "an error occurred forwarding L -> P: ..."), with the pod IP in place of the netns localhost.
 */
function dialError(t: PortForwardTarget, port: number, e: Error): string {
  return `error forwarding port ${port} to pod ${t.uid}, uid : failed to execute portforward in network namespace "kubesim:${t.namespace}/${t.name}": failed to connect to localhost:${port} inside namespace "${t.uid}", IPv4: dial tcp4 ${t.podIP}:${port}: ${e.message.replace(/^connect /, 'connect: ').replace(/ECONNREFUSED.*/, 'connection refused')} IPv6 dial tcp6: address localhost: no suitable address`;
}

/** Splices one forwarded connection: the pod's port <-> a data stream, failures to the error stream. */
function forward(
  t: PortForwardTarget,
  port: number,
  data: {
    write(b: Buffer): void;
    end(): void;
    fail(msg: string): void;
    onData(cb: (b: Buffer) => void): void;
    onEnd(cb: () => void): void;
    onReset(cb: () => void): void;
  },
): void {
  const socket: Socket = connect(port, t.podIP);
  let connected = false;
  socket.once('connect', () => {
    connected = true;
  });
  socket.on('data', (b: Buffer) => data.write(b));
  socket.on('end', () => data.end());
  socket.on('error', (e) => {
    if (!connected) data.fail(dialError(t, port, e));
    else data.end();
  });
  data.onData((b) => socket.write(b));
  data.onEnd(() => socket.end());
  data.onReset(() => socket.destroy());
}

/**
 * The SPDY port-forward protocol (portforward.k8s.io): per forwarded connection the client opens
 * an error stream and a data stream with headers streamType, port and requestID; the pair is
 * spliced to PODIP:port; a failed dial is written to the error stream.
 */
function servePortForwardSpdy(t: PortForwardTarget, send: (b: Buffer) => void, closeTransport: () => void): SpdyServerConnection {
  const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream }>();
  const conn = new SpdyServerConnection(
    send,
    (s) => {
      const id = s.headers.get('requestid') ?? String(s.id);
      const pair = pairs.get(id) ?? {};
      pairs.set(id, pair);
      const type = s.headers.get('streamtype');
      if (type === 'error') pair.error = s;
      else if (type === 'data') pair.data = s;
      else {
        s.reset();
        return;
      }
      if (!pair.error || !pair.data) return;
      pairs.delete(id);
      const { error, data: stream } = pair;
      const port = Number(stream.headers.get('port'));
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        error.write(Buffer.from(`invalid port "${stream.headers.get('port') ?? ''}"`));
        error.end();
        stream.reset();
        return;
      }
      forward(t, port, {
        write: (b) => stream.write(b),
        end: () => {
          stream.end();
          error.end();
        },
        fail: (msg) => {
          error.write(Buffer.from(msg));
          error.end();
          stream.end();
        },
        onData: (cb) => {
          stream.onData = cb;
        },
        onEnd: (cb) => {
          stream.onEnd = cb;
        },
        onReset: (cb) => {
          stream.onReset = cb;
        },
      });
    },
    () => closeTransport(),
  );
  return conn;
}

/**
 * Serves GET /portForward/NS/POD as kubelets do: kubectl 1.32's SPDY-over-WebSocket tunnel, the
 * plain SPDY/3.1 upgrade (kubectl's fallback), and the WebSocket channel protocol
 * (`v4.channel.k8s.io`: two channels per `port` query value, each opened with the port number).
 */
export function handlePortForwardUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  wss: WebSocketServer,
  t: PortForwardTarget,
  ports: number[],
): void {
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'spdy/3.1') {
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n',
    );
    const conn = servePortForwardSpdy(
      t,
      (b) => {
        if (!socket.destroyed) socket.write(b);
      },
      () => socket.destroy(),
    );
    if (head.length) conn.receive(head);
    socket.on('data', (b: Buffer) => conn.receive(b));
    socket.on('close', () => conn.close());
    socket.on('error', () => socket.destroy());
    return;
  }
  // "SPDY/3.1+portforward.k8s.io" is not an RFC 7230 token, which the ws library insists on:
  // offer it under a token name, and answer with the real subprotocol (see portForwardProtocol).
  const offered = String(req.headers['sec-websocket-protocol'] ?? '');
  if (
    offered
      .split(',')
      .map((p) => p.trim())
      .includes(SPDY_OVER_WEBSOCKET)
  )
    req.headers['sec-websocket-protocol'] = TUNNEL_TOKEN;
  wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
    if (ws.protocol === SPDY_OVER_WEBSOCKET) {
      const conn = servePortForwardSpdy(
        t,
        (b) => {
          if (ws.readyState === ws.OPEN) ws.send(b);
        },
        () => ws.terminate(),
      );
      ws.on('message', (data: Buffer) => conn.receive(Buffer.isBuffer(data) ? data : Buffer.from(data)));
      ws.on('close', () => conn.close());
      return;
    }
    serveChannels(ws, t, ports);
  });
}

function serveChannels(ws: WebSocket, t: PortForwardTarget, ports: number[]): void {
  if (ports.length === 0) {
    ws.close(1008, 'query parameter "port" is required');
    return;
  }
  const handlers = new Map<number, { onData(b: Buffer): void; onEnd(): void; onReset(): void }>();
  const portBytes = (p: number): Buffer => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(p);
    return b;
  };
  const send = (channel: number, b: Buffer): void => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), b]));
  };
  ports.forEach((port, i) => {
    send(2 * i, portBytes(port));
    send(2 * i + 1, portBytes(port));
    const h = { onData: (_b: Buffer) => undefined as void, onEnd: () => undefined as void, onReset: () => undefined as void };
    handlers.set(2 * i, h);
    forward(t, port, {
      write: (b) => send(2 * i, b),
      end: () => ws.close(1000),
      fail: (msg) => {
        send(2 * i + 1, Buffer.from(msg));
        ws.close(1000);
      },
      onData: (cb) => {
        h.onData = cb;
      },
      onEnd: (cb) => {
        h.onEnd = cb;
      },
      onReset: (cb) => {
        h.onReset = cb;
      },
    });
  });
  ws.on('message', (data: Buffer) => {
    const b = Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (b.length > 1) handlers.get(b[0]!)?.onData(b.subarray(1));
  });
  ws.on('close', () => {
    for (const h of handlers.values()) h.onReset();
  });
}
