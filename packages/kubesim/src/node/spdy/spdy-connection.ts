import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { headerDictionary } from './header-dictionary.js';

/** The SPDY/3.1 frames kubectl's port-forward (client-go over moby/spdystream) exchanges. */
const SYN_STREAM = 1,
  SYN_REPLY = 2,
  RST_STREAM = 3,
  PING = 6,
  GOAWAY = 7;
const FLAG_FIN = 0x01;
const CANCEL = 5;

export type Headers = Map<string, string>;

/** One stream opened by the client: headers, data in both directions, half-close and reset. */
export interface SpdyStream {
  readonly id: number;
  readonly headers: Headers;
  write(data: Buffer): void;
  /** Half-closes our side (an empty DATA frame with FIN, as spdystream's Close). */
  end(): void;
  reset(): void;
  onData: (data: Buffer) => void;
  /** The client half-closed its side. */
  onEnd: () => void;
  /** The stream was reset or the connection is gone. */
  onReset: () => void;
}

/** zlib with the SPDY dictionary, one context per direction for the whole connection. */
class HeaderZlib {
  private chunks: Buffer[] = [];
  constructor(private readonly z: Inflate | Deflate) {
    z.on('data', (c: Buffer) => this.chunks.push(c));
    z.on('error', () => undefined);
  }
  run(input: Buffer): Promise<Buffer> {
    return new Promise((resolve) => {
      this.z.write(input);
      // The flush callback comes after the output was pushed; one turn later it has been emitted.
      this.z.flush(constants.Z_SYNC_FLUSH, () =>
        setImmediate(() => {
          const out = Buffer.concat(this.chunks);
          this.chunks = [];
          resolve(out);
        }),
      );
    });
  }
  close(): void {
    this.z.close();
  }
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE((0x8000 | 3) * 0x10000 + type, 0);
  h.writeUInt32BE(flags * 0x1000000 + payload.length, 4);
  return Buffer.concat([h, payload]);
}

function dataFrame(id: number, flags: number, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(id & 0x7fffffff, 0);
  h.writeUInt32BE(flags * 0x1000000 + data.length, 4);
  return Buffer.concat([h, data]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function decodeHeaderBlock(b: Buffer): Headers {
  const out: Headers = new Map();
  let i = 0;
  const n = b.readUInt32BE(i);
  i += 4;
  for (let k = 0; k < n; k++) {
    const nl = b.readUInt32BE(i);
    i += 4;
    const name = b.subarray(i, i + nl).toString('latin1');
    i += nl;
    const vl = b.readUInt32BE(i);
    i += 4;
    out.set(
      name.toLowerCase(),
      b
        .subarray(i, i + vl)
        .toString('latin1')
        .split('\0')[0] ?? '',
    );
    i += vl;
  }
  return out;
}

/**
 * The server side of a SPDY/3.1 connection, enough for the Kubernetes streaming protocols: the
 * client opens streams (SYN_STREAM), the server accepts each with an empty SYN_REPLY, DATA flows
 * both ways with FIN half-closes, RST_STREAM resets, client PINGs are echoed, GOAWAY ends it.
 * Like moby/spdystream there is no flow control (WINDOW_UPDATE and SETTINGS are ignored).
 * Frames are handled strictly in order (header blocks share one zlib context per direction).
 */
export class SpdyServerConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly streams = new Map<number, SpdyStream>();
  private inbound: Promise<void> = Promise.resolve();
  private outbound: Promise<void> = Promise.resolve();
  private readonly inflater = new HeaderZlib(createInflate({ dictionary: headerDictionary }));
  private readonly deflater = new HeaderZlib(createDeflate({ dictionary: headerDictionary }));
  private lastStreamId = 0;
  private closed = false;

  constructor(
    private readonly send: (frame: Buffer) => void,
    private readonly onStream: (s: SpdyStream) => void,
    private readonly onProtocolError: (why: string) => void,
  ) {}

  /** Bytes from the client (a socket's data or a WebSocket message). */
  receive(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (this.buffered.length >= 8) {
      const len = this.buffered.readUInt32BE(4) & 0xffffff;
      if (this.buffered.length < 8 + len) break;
      const frame = this.buffered.subarray(0, 8 + len);
      this.buffered = this.buffered.subarray(8 + len);
      this.inbound = this.inbound.then(() => this.handle(frame)).catch((e: unknown) => this.fail(String(e)));
    }
  }

  /** The transport is gone: every stream is reset. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.onReset();
    this.streams.clear();
    this.inflater.close();
    this.deflater.close();
  }

  private fail(why: string): void {
    this.queue(() => control(GOAWAY, 0, Buffer.concat([u32(this.lastStreamId), u32(1)])));
    this.onProtocolError(why);
    this.close();
  }

  private queue(frame: () => Buffer | Promise<Buffer>): void {
    this.outbound = this.outbound
      .then(async () => {
        this.send(await frame());
      })
      .catch(() => undefined);
  }

  private async handle(frame: Buffer): Promise<void> {
    if (this.closed) return;
    const first = frame.readUInt32BE(0);
    const flags = frame[4]!;
    const payload = frame.subarray(8);
    if (!(first & 0x80000000)) return this.onDataFrame(first & 0x7fffffff, flags, payload);
    const version = (first >>> 16) & 0x7fff;
    if (version !== 3) throw new Error(`unsupported SPDY version ${version}`);
    switch (first & 0xffff) {
      case SYN_STREAM: {
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(await this.inflater.run(payload.subarray(10)));
        this.lastStreamId = Math.max(this.lastStreamId, id);
        const stream = this.newStream(id, headers);
        this.streams.set(id, stream);
        // Accept: an empty header block, compressed in this direction's zlib context.
        this.queue(async () => control(SYN_REPLY, 0, Buffer.concat([u32(id), await this.deflater.run(u32(0))])));
        this.onStream(stream);
        if (flags & FLAG_FIN) stream.onEnd();
        return;
      }
      case RST_STREAM: {
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const s = this.streams.get(id);
        this.streams.delete(id);
        s?.onReset();
        return;
      }
      case PING:
        // Client pings are odd; echo them, as the receiving end of a ping must.
        if (payload.readUInt32BE(0) & 1) this.queue(() => frame);
        return;
      case GOAWAY:
        this.close();
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do without flow control
    }
  }

  private onDataFrame(id: number, flags: number, data: Buffer): void {
    const s = this.streams.get(id);
    if (!s) return;
    if (data.length) s.onData(data);
    if (flags & FLAG_FIN) s.onEnd();
  }

  private newStream(id: number, headers: Headers): SpdyStream {
    let ended = false;
    const stream: SpdyStream = {
      id,
      headers,
      write: (data) => {
        if (ended || this.closed) return;
        for (let i = 0; i < data.length; i += 0xffffff) {
          const part = data.subarray(i, i + 0xffffff);
          this.queue(() => dataFrame(id, 0, part));
        }
      },
      end: () => {
        if (ended || this.closed) return;
        ended = true;
        this.queue(() => dataFrame(id, FLAG_FIN, Buffer.alloc(0)));
      },
      reset: () => {
        if (this.closed || !this.streams.has(id)) return;
        this.streams.delete(id);
        ended = true;
        this.queue(() => control(RST_STREAM, 0, Buffer.concat([u32(id), u32(CANCEL)])));
      },
      onData: () => undefined,
      onEnd: () => undefined,
      onReset: () => undefined,
    };
    return stream;
  }
}
