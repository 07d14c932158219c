import { randomBytes } from 'node:crypto';
import { Pool } from 'undici';
import { CappedList } from './capped-list.js';
import type { WriteLoss, WriteTotals } from './probe-record.js';

export interface WriteCheckOptions {
  origin: string;
  /** Collection path: POST {path} {first_name,last_name} -> {id}; GET {path}/{id} -> {full_name}. */
  path: string;
  rps: number;
  timeoutMs: number;
  versionHeader: string;
  now: () => number;
  cap: number;
  /** Reads that fail (5xx, connection errors) are retried this many times before giving up. */
  readAttempts?: number;
}

type Read =
  | { kind: 'row'; fullName: string; version: string | null }
  | { kind: 'missing'; version: string | null }
  | { kind: 'error'; message: string };

/**
 * Write-then-read checks: each acknowledged write must read back, through the same URL (so
 * possibly from another version), with the same content. A missing or different row is data loss.
 */
export class WriteCheck {
  private readonly pool: Pool;
  private readonly losses: CappedList<WriteLoss>;
  private readonly totals = { attempted: 0, verified: 0, lost: 0, writeFailed: 0, readFailed: 0 };
  private readonly inFlight = new Set<Promise<void>>();
  private readonly tag = randomBytes(3).toString('hex');
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private sent = 0;
  private startedAt = 0;

  constructor(private readonly options: WriteCheckOptions) {
    this.pool = new Pool(options.origin, { connections: 8 });
    this.losses = new CappedList(options.cap);
  }

  start(): void {
    this.startedAt = this.options.now();
    this.tick();
  }

  private tick(): void {
    if (this.stopped) return;
    const interval = 1000 / this.options.rps;
    while (this.startedAt + this.sent * interval <= this.options.now()) {
      const k = this.sent++;
      const p = this.check(k).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
    this.timer = setTimeout(() => this.tick(), Math.max(0, this.startedAt + this.sent * interval - this.options.now()));
  }

  private async check(k: number): Promise<void> {
    this.totals.attempted += 1;
    const first = `probe${k}`;
    const last = `w${this.tag}`;
    const expected = `${first} ${last}`;
    const at = this.options.now();
    let id: string;
    let writtenBy: string | null;
    try {
      const res = await this.pool.request({
        path: this.options.path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ first_name: first, last_name: last }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await res.body.text();
      writtenBy = headerOf(res.headers[this.options.versionHeader]);
      const parsed = res.statusCode >= 200 && res.statusCode < 300 ? (JSON.parse(text) as { id?: unknown }) : {};
      if (parsed.id === undefined || parsed.id === null) {
        this.totals.writeFailed += 1;
        return;
      }
      id = String(parsed.id);
    } catch {
      this.totals.writeFailed += 1;
      return;
    }
    const attempts = this.options.readAttempts ?? 3;
    let read: Read = { kind: 'error', message: 'not read' };
    for (let i = 0; i < attempts; i++) {
      read = await this.read(id);
      if (read.kind !== 'error') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (read.kind === 'error') this.totals.readFailed += 1;
    else if (read.kind === 'row' && read.fullName === expected) this.totals.verified += 1;
    else {
      this.totals.lost += 1;
      const got = read.kind === 'missing' ? 'HTTP 404 (no such row)' : JSON.stringify(read.fullName);
      this.losses.push({ at, id, expected, got, writtenBy, readBy: read.version });
    }
  }

  private async read(id: string): Promise<Read> {
    try {
      const res = await this.pool.request({
        path: `${this.options.path}/${encodeURIComponent(id)}`,
        method: 'GET',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await res.body.text();
      const version = headerOf(res.headers[this.options.versionHeader]);
      if (res.statusCode === 404) return { kind: 'missing', version };
      if (res.statusCode !== 200) return { kind: 'error', message: `HTTP ${res.statusCode}` };
      const body = JSON.parse(text) as { full_name?: unknown };
      return { kind: 'row', fullName: String(body.full_name), version };
    } catch (error) {
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
    await this.pool.destroy().catch(() => undefined);
  }

  record(): WriteTotals {
    return { path: this.options.path, rps: this.options.rps, ...this.totals, losses: this.losses.toJSON() };
  }
}

function headerOf(value: string | string[] | undefined): string | null {
  return typeof value === 'string' ? value : Array.isArray(value) ? (value[0] ?? null) : null;
}
