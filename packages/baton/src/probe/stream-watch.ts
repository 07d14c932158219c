import { Client } from 'undici';
import { CappedList } from './capped-list.js';
import type { ExchangeOutcome } from './keep-open.js';
import type { LongLivedOptions } from './long-lived-options.js';
import type { StreamCut, StreamTotals } from './probe-record.js';

export type StreamWatchOptions = LongLivedOptions & { origin: string };

/**
 * Long downloads with a Content-Length (the podcast listeners): each on a connection of its own;
 * a stream that began and then delivered fewer bytes than promised, or errored, is cut.
 */
export class StreamWatch {
  private readonly cuts: CappedList<StreamCut>;
  private readonly totals = { started: 0, completed: 0, cut: 0, startFailed: 0, openAtStop: 0, bytesExpected: 0, bytesReceived: 0 };
  /** Start times of streams and cut times, for stats(since). */
  readonly startTimes: number[] = [];
  readonly cutTimes: number[] = [];
  private readonly byVersion: StreamTotals['byVersion'] = {};

  private versionTotals(version: string | null): StreamTotals['byVersion'][string] {
    const key = version ?? 'unknown';
    return (this.byVersion[key] ??= { started: 0, completed: 0, cut: 0 });
  }

  constructor(private readonly options: StreamWatchOptions) {
    this.cuts = new CappedList(options.cap);
  }

  readonly runOnce = async (signal: AbortSignal): Promise<ExchangeOutcome> => {
    const { now, versionHeader, timeoutMs } = this.options;
    const client = new Client(this.options.origin);
    const startedAt = now();
    let began = false;
    let expected = 0;
    let received = 0;
    let version: string | null = null;
    try {
      const res = await client.request({
        path: this.options.path,
        method: 'GET',
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump();
        return this.startFailed(`HTTP ${res.statusCode}`);
      }
      began = true;
      this.totals.started += 1;
      this.startTimes.push(startedAt);
      const header = res.headers[versionHeader];
      version = typeof header === 'string' ? header : null;
      this.versionTotals(version).started += 1;
      expected = Number(res.headers['content-length'] ?? NaN);
      if (Number.isFinite(expected)) this.totals.bytesExpected += expected;
      for await (const chunk of res.body) {
        received += (chunk as Buffer).length;
        this.totals.bytesReceived += (chunk as Buffer).length;
      }
      if (Number.isFinite(expected) && received < expected) return this.cut(startedAt, expected, received, version, 'ended early');
      this.totals.completed += 1;
      this.versionTotals(version).completed += 1;
      return { kind: 'completed' };
    } catch (error) {
      if (signal.aborted) {
        if (began) {
          this.totals.openAtStop += 1;
          // Stopped by us: only what arrived was expected of it.
          if (Number.isFinite(expected)) this.totals.bytesExpected -= expected - received;
        }
        return { kind: 'stopped' };
      }
      const message = error instanceof Error ? error.message : String(error);
      return began ? this.cut(startedAt, expected, received, version, message) : this.startFailed(message);
    } finally {
      void client.destroy().catch(() => undefined);
    }
  };

  private startFailed(message: string): ExchangeOutcome {
    this.totals.startFailed += 1;
    return { kind: 'start-failed', message };
  }

  private cut(startedAt: number, expected: number, received: number, version: string | null, message: string): ExchangeOutcome {
    const at = this.options.now();
    this.totals.cut += 1;
    this.versionTotals(version).cut += 1;
    this.cutTimes.push(at);
    this.cuts.push({ at, startedAt, expectedBytes: Number.isFinite(expected) ? expected : -1, receivedBytes: received, version, message });
    return { kind: 'cut', message };
  }

  record(): StreamTotals {
    return {
      path: this.options.path,
      target: this.options.target,
      ...this.totals,
      cuts: this.cuts.toJSON(),
      byVersion: structuredClone(this.byVersion),
    };
  }
}
