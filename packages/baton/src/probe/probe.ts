import type { ProbeReader, ProbeStats } from './probe-stats.js';
import { BatonError } from '../errors.js';
import { HttpLoad, type KeepAliveMix, type RoutedShare } from './http-load.js';
import type { ConnectionTally } from './connection-tally.js';
import { keepOpen } from './keep-open.js';
import type { ProbeRecord } from './probe-record.js';
import { RequestLog } from './request-log.js';
import { SseWatch } from './sse-watch.js';
import { StreamWatch } from './stream-watch.js';
import type { VersionWindow, VersionWindowQuery } from './version-window.js';
import { createProbeReader } from './probe-reader.js';
import { WebSocketWatch } from './websocket-watch.js';
import { WriteCheck } from './write-check.js';

export interface ProbeOptions {
  /** Base URL, e.g. http://127.0.0.1:8080 (a path in it is ignored: use `path`). */
  url: string;
  /** Request path for the steady load. Default '/'. */
  path?: string;
  /** Requests per second, open loop. Default 200. */
  rps?: number;
  /** Share of requests sent on a new TCP connection; the rest reuse keep-alive. Default 0.2. */
  freshConnectionShare?: number;
  /** How keep-alive connections are renewed, as real clients and proxies do (see KeepAliveMix). */
  keepAlive?: Partial<KeepAliveMix>;
  /** A/B: this share of requests carries the route's header or cookie (e.g. {share: 0.3, headers: {'x-beta': 'yes'}}). */
  routed?: RoutedShare;
  /** Long downloads kept in flight, e.g. { count: 4, path: '/stream?seconds=8&kbps=64' }. */
  streams?: { count: number; path: string };
  sse?: { count: number; path: string };
  websockets?: { count: number; path: string };
  /** Write-then-read checks, e.g. { path: '/users', rps: 5 }. */
  writes?: { path: string; rps: number };
  /** Response header naming the version that answered. Default 'x-app-version'. */
  versionHeader?: string;
  /** Per-request timeout (and silence limit for streams). Default 5000. */
  timeoutMs?: number;
  /** Clock (epoch ms) for timestamps and scheduling. Default performance-based epoch time. */
  now?: () => number;
  /** Width of a timeline bucket. Default 250. */
  bucketMs?: number;
  /** No successful response for longer than this while requests were due is downtime. Default 100. */
  noSuccessThresholdMs?: number;
  /** Individual failures (and cuts, losses) kept in the record. Default 500. */
  failureCap?: number;
}

/** A running probe: read stats any time (gates do), mark step boundaries, stop for the record. */
export interface Probe extends ProbeReader {
  /** A step boundary shown on the timeline. */
  mark(label: string): void;
  /** Stops all traffic (waiting for requests in flight) and returns what was measured. */
  stop(): Promise<ProbeRecord>;
  /**
   * What was measured so far, as the record `stop()` would return now, while traffic goes on
   * (requests still in flight are not in it). For checkpoints: a killed process keeps this much.
   */
  snapshot(): ProbeRecord;
}

const countSince = (times: readonly number[], since: number | undefined): number =>
  since === undefined ? times.length : times.filter((t) => t >= since).length;

/** The long-lived part of ProbeStats, since `sinceMs`. */
function longLivedStats(
  started: (readonly number[] | undefined)[],
  cut: (readonly number[] | undefined)[],
  tallies: (ConnectionTally | undefined)[],
  sinceMs: number | undefined,
) {
  const sum = (lists: (readonly number[] | undefined)[]): number => lists.reduce((n, l) => n + countSince(l ?? [], sinceMs), 0);
  const live = tallies.filter((t): t is ConnectionTally => t !== undefined);
  const after = (at: number): boolean => sinceMs === undefined || at >= sinceMs;
  const gaps = live.flatMap((t) => t.gapTimes.filter((g) => after(g.at)).map((g) => g.gapMs));
  return {
    streamsStarted: sum(started),
    streamsCut: sum(cut),
    connectionsResumed: gaps.length,
    resumeGapMaxMs: gaps.length === 0 ? null : Math.max(...gaps),
    messagesLost: live.reduce((n, t) => n + t.lossTimes.filter((l) => after(l.at)).reduce((m, l) => m + l.count, 0), 0),
  };
}

const defaultNow = (): number => performance.timeOrigin + performance.now();

/**
 * Starts live traffic against `url` and records every request, stream, connection and write
 * check until `stop()`. Resolves once traffic has begun; it does not wait for the first answer
 * (a probe pointed at a service that is down must count that as failures, not hang).
 */
export async function startProbe(options: ProbeOptions): Promise<Probe> {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch (cause) {
    throw new BatonError('PROBE_URL_INVALID', `probe URL ${JSON.stringify(options.url)} is not a URL`, {
      cause,
      hint: 'use e.g. http://127.0.0.1:8080',
    });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new BatonError('PROBE_URL_INVALID', `probe URL ${JSON.stringify(options.url)} is not http:// or https://`, {
      hint: 'the probe sends HTTP requests: use e.g. http://127.0.0.1:8080',
    });
  }
  const rps = options.rps ?? 200;
  const share = options.freshConnectionShare ?? 0.2;
  if (!(rps > 0) || !(share >= 0 && share <= 1)) {
    throw new BatonError('PROBE_OPTIONS_INVALID', `probe rps must be > 0 and freshConnectionShare in [0, 1] (got ${rps}, ${share})`);
  }
  const routed = options.routed;
  if (routed !== undefined && !(routed.share > 0 && routed.share <= 1)) {
    throw new BatonError('PROBE_OPTIONS_INVALID', `probe routed share must be in (0, 1] (got ${routed.share})`);
  }
  const ka = options.keepAlive ?? {};
  if ([ka.clients, ka.connectionsPerClient, ka.maxRequests, ka.maxAgeMs].some((n) => n !== undefined && !(n >= 1))) {
    throw new BatonError(
      'PROBE_OPTIONS_INVALID',
      `probe keepAlive clients, connectionsPerClient, maxRequests and maxAgeMs must be >= 1 (got ${JSON.stringify(ka)})`,
    );
  }
  const origin = base.origin;
  const path = options.path ?? '/';
  const now = options.now ?? defaultNow;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const versionHeader = (options.versionHeader ?? 'x-app-version').toLowerCase();
  const bucketMs = options.bucketMs ?? 250;
  const noSuccessThresholdMs = options.noSuccessThresholdMs ?? 100;
  const cap = options.failureCap ?? 500;
  const common = { timeoutMs, versionHeader, now, cap };

  const log = new RequestLog({ failureCap: cap });
  const load = new HttpLoad({
    origin,
    path,
    rps,
    freshConnectionShare: share,
    keepAlive: ka,
    ...(routed ? { routed } : {}),
    timeoutMs,
    versionHeader,
    now,
    log,
  });
  const streams =
    options.streams && options.streams.count > 0
      ? new StreamWatch({ origin, path: options.streams.path, target: options.streams.count, ...common })
      : undefined;
  const sse =
    options.sse && options.sse.count > 0
      ? new SseWatch({ origin, path: options.sse.path, target: options.sse.count, ...common })
      : undefined;
  const wsUrl = `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}`;
  const websockets =
    options.websockets && options.websockets.count > 0
      ? new WebSocketWatch({
          url: `${wsUrl}${options.websockets.path}`,
          path: options.websockets.path,
          target: options.websockets.count,
          ...common,
        })
      : undefined;
  const writes =
    options.writes && options.writes.rps > 0
      ? new WriteCheck({ origin, path: options.writes.path, rps: options.writes.rps, ...common })
      : undefined;

  const marks: { at: number; label: string }[] = [];
  const longLived = new AbortController();
  const startedAt = now();
  load.start();
  writes?.start();
  const running: Promise<void>[] = [];
  if (streams) running.push(keepOpen({ count: options.streams?.count ?? 0, signal: longLived.signal, runOnce: streams.runOnce }));
  if (sse) running.push(keepOpen({ count: options.sse?.count ?? 0, signal: longLived.signal, runOnce: sse.runOnce }));
  if (websockets) running.push(keepOpen({ count: options.websockets?.count ?? 0, signal: longLived.signal, runOnce: websockets.runOnce }));

  // Version windows for the gates (probe-reader), and the last of each for the record.
  const reader = createProbeReader({ log, streams });
  let stopping: Promise<ProbeRecord> | undefined;
  const recordAt = (stoppedAt: number): ProbeRecord => ({
    schema: 'baton.probe/v1',
    url: origin,
    path,
    startedAt,
    stoppedAt,
    config: {
      rps,
      freshConnectionShare: share,
      timeoutMs,
      versionHeader,
      bucketMs,
      noSuccessThresholdMs,
      keepAlive: load.mix,
      ...(routed ? { routed: { share: routed.share, headers: Object.keys(routed.headers) } } : {}),
    },
    requests: log.totals(),
    failures: log.failures.toJSON(),
    downtime: log.downtime({ noSuccessThresholdMs, stoppedAt, cap }),
    buckets: log.buckets(startedAt, stoppedAt, bucketMs),
    streams: streams?.record() ?? null,
    sse: sse?.tally.record() ?? null,
    websockets: websockets?.tally.record() ?? null,
    writes: writes?.record() ?? null,
    marks: [...marks],
    windows: reader.windows(),
  });

  return {
    stats(sinceMs?: number): ProbeStats {
      return {
        ...log.stats(sinceMs),
        // Streams are the downloads (the seed's listeners), which a good drain lets finish, plus
        // SSE and WebSocket connections. Those may be closed gracefully (the client resumes:
        // judged by the gap and lost-message budgets), so only their abrupt cuts count as cut.
        ...longLivedStats(
          [streams?.startTimes, sse?.tally.openTimes, websockets?.tally.openTimes],
          [streams?.cutTimes, sse?.tally.cutTimes, websockets?.tally.cutTimes],
          [sse?.tally, websockets?.tally],
          sinceMs,
        ),
      };
    },
    window: (query: VersionWindowQuery): VersionWindow => reader.window(query),
    mark(label: string): void {
      marks.push({ at: now(), label });
    },
    stop(): Promise<ProbeRecord> {
      stopping ??= (async () => {
        const stoppedAt = now();
        // Long-lived exchanges are ended by us first, so none of them counts as cut by the server.
        longLived.abort();
        await Promise.all([load.stop(), writes?.stop(), ...running]);
        return recordAt(stoppedAt);
      })();
      return stopping;
    },
    snapshot: (): ProbeRecord => recordAt(now()),
  };
}
