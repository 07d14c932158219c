import { CappedList } from './capped-list.js';
import type { ExchangeOutcome } from './keep-open.js';
import { percentileOfSorted } from './percentile.js';
import type { ConnectionCut, ConnectionTotals, ConnectionVersionTotals, GapSummary, ResumeRecord } from './probe-record.js';

/** How the server ended a connection: `graceful` (WebSocket 1000/1001, an SSE response ending at an event boundary) or `cut` (RST, EOF mid-event, no close frame, silence). */
export type ConnectionEnd = 'graceful' | 'cut';

/** What one probe client (a keepOpen slot) remembers across its reconnects. */
interface SlotState {
  /** Highest message id seen; the client resumes after it (Last-Event-ID, ?after=). */
  lastId: number | undefined;
  /** The server's last ending not yet followed by a new connection. */
  pendingEnd: { at: number; end: ConnectionEnd; version: string } | undefined;
  /** The new connection after a server ending: its first message settles lost/duplicated. */
  resuming: { record: ResumeRecord } | undefined;
  version: string;
}

const UNKNOWN = 'unknown';

function emptyVersion(): ConnectionVersionTotals {
  return { opened: 0, closedGracefully: 0, resumed: 0, cut: 0, messagesLost: 0, messagesDuplicated: 0, resumeGapMs: null };
}

/**
 * Counts for long-lived connections (SSE, WebSocket), shared by both watchers. Each keepOpen slot
 * is one client that reconnects when the server ends its connection, resuming after the last id
 * it saw; the tally tells apart a graceful close followed by a resume (with the reconnect gap and
 * the messages lost or repeated across it) from an abrupt cut, per version of the pod that ended it.
 */
export class ConnectionTally {
  private opened = 0;
  private openFailed = 0;
  private openAtStop = 0;
  private messages = 0;
  private closedGracefully = 0;
  private lost = 0;
  private duplicated = 0;
  private readonly cuts: CappedList<ConnectionCut>;
  private readonly resumes: CappedList<ResumeRecord>;
  private readonly gaps: number[] = [];
  private readonly slots = new Map<number, SlotState>();
  private readonly versions = new Map<string, { totals: ConnectionVersionTotals; gaps: number[] }>();
  readonly openTimes: number[] = [];
  /** Times of abrupt cuts only (what a streams budget judges). */
  readonly cutTimes: number[] = [];
  /** Times and sizes of messages lost across reconnects, for stats(since). */
  readonly lossTimes: { at: number; count: number }[] = [];
  readonly gapTimes: { at: number; gapMs: number }[] = [];

  constructor(
    private readonly path: string,
    private readonly target: number,
    cap: number,
    private readonly now: () => number,
  ) {
    this.cuts = new CappedList(cap);
    this.resumes = new CappedList(cap);
  }

  private slot(n: number): SlotState {
    let s = this.slots.get(n);
    if (!s) this.slots.set(n, (s = { lastId: undefined, pendingEnd: undefined, resuming: undefined, version: UNKNOWN }));
    return s;
  }

  private version(v: string): { totals: ConnectionVersionTotals; gaps: number[] } {
    let entry = this.versions.get(v);
    if (!entry) this.versions.set(v, (entry = { totals: emptyVersion(), gaps: [] }));
    return entry;
  }

  /** The id to resume after when this slot (re)connects; undefined for a first connection. */
  resumeAfter(slot: number): number | undefined {
    return this.slot(slot).lastId;
  }

  didOpen(slot: number, at: number, version: string | null): void {
    const s = this.slot(slot);
    s.version = version ?? UNKNOWN;
    this.opened += 1;
    this.openTimes.push(at);
    this.version(s.version).totals.opened += 1;
    const end = s.pendingEnd;
    s.pendingEnd = undefined;
    if (!end) return;
    // A reconnect after the server ended the previous connection: the gap is from that end to
    // this open; lost/duplicated are settled by the first message.
    const gapMs = Math.round(at - end.at);
    const record: ResumeRecord = { at, after: end.end, closedBy: end.version, resumedOn: s.version, gapMs, lost: 0, duplicated: 0 };
    this.resumes.push(record);
    s.resuming = { record };
    if (end.end === 'graceful') {
      this.gaps.push(gapMs);
      this.gapTimes.push({ at, gapMs });
      const v = this.version(end.version);
      v.totals.resumed += 1;
      v.gaps.push(gapMs);
    }
  }

  /** A message arrived; `id` is its sequence id when the stream carries one. */
  message(slot: number, id: number | undefined): void {
    this.messages += 1;
    if (id === undefined) return;
    const s = this.slot(slot);
    const resuming = s.resuming;
    s.resuming = undefined;
    if (s.lastId !== undefined) {
      // Blame what was lost across a reconnect on the version that ended the connection.
      const blame = this.version(resuming?.record.closedBy ?? s.version).totals;
      if (id <= s.lastId) {
        this.duplicated += 1;
        blame.messagesDuplicated += 1;
        if (resuming) resuming.record.duplicated += 1;
      } else if (id > s.lastId + 1) {
        const missing = id - s.lastId - 1;
        this.lost += missing;
        blame.messagesLost += missing;
        this.lossTimes.push({ at: this.now(), count: missing });
        if (resuming) resuming.record.lost += missing;
      }
    }
    s.lastId = s.lastId === undefined ? id : Math.max(s.lastId, id);
  }

  /** Classifies how a connection ended: the probe's own stop is never a cut. */
  ended(
    slot: number,
    options: { began: boolean; openedAt: number; version: string | null; stopped: boolean; end: ConnectionEnd; message: string },
  ): ExchangeOutcome {
    if (!options.began) {
      if (options.stopped) return { kind: 'stopped' };
      this.openFailed += 1;
      return { kind: 'start-failed', message: options.message };
    }
    if (options.stopped) {
      this.openAtStop += 1;
      return { kind: 'stopped' };
    }
    const at = this.now();
    const version = options.version ?? UNKNOWN;
    this.slot(slot).pendingEnd = { at, end: options.end, version };
    if (options.end === 'graceful') {
      this.closedGracefully += 1;
      this.version(version).totals.closedGracefully += 1;
      return { kind: 'completed' };
    }
    this.cutTimes.push(at);
    this.version(version).totals.cut += 1;
    this.cuts.push({ at, openedAt: options.openedAt, version: options.version, message: options.message });
    return { kind: 'cut', message: options.message };
  }

  record(): ConnectionTotals {
    const byVersion: Record<string, ConnectionVersionTotals> = {};
    for (const [v, { totals, gaps }] of this.versions) byVersion[v] = { ...totals, resumeGapMs: gapSummary(gaps) };
    return {
      path: this.path,
      target: this.target,
      opened: this.opened,
      cut: this.cuts.count,
      closedGracefully: this.closedGracefully,
      resumed: this.gaps.length,
      resumeGapMs: gapSummary(this.gaps),
      messagesLost: this.lost,
      messagesDuplicated: this.duplicated,
      openFailed: this.openFailed,
      openAtStop: this.openAtStop,
      messages: this.messages,
      cuts: this.cuts.toJSON(),
      resumes: this.resumes.toJSON(),
      byVersion,
    };
  }
}

/** p50 / p99 / max of reconnect gaps; null when there were none. */
export function gapSummary(gaps: readonly number[]): GapSummary | null {
  if (gaps.length === 0) return null;
  const sorted = [...gaps].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentileOfSorted(sorted, 0.5) ?? 0,
    p99Ms: percentileOfSorted(sorted, 0.99) ?? 0,
    maxMs: sorted.at(-1) ?? 0,
  };
}
