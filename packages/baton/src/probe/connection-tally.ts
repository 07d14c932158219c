import { CappedList } from './capped-list.js';
import type { ExchangeOutcome } from './keep-open.js';
import type { ConnectionCut, ConnectionTotals } from './probe-record.js';

/** Counts for long-lived connections (SSE, WebSocket), shared by both watchers. */
export class ConnectionTally {
  private opened = 0;
  private openFailed = 0;
  private openAtStop = 0;
  private messages = 0;
  private readonly cuts: CappedList<ConnectionCut>;
  readonly openTimes: number[] = [];
  readonly cutTimes: number[] = [];

  constructor(private readonly path: string, private readonly target: number, cap: number, private readonly now: () => number) {
    this.cuts = new CappedList(cap);
  }

  didOpen(at: number): void {
    this.opened += 1;
    this.openTimes.push(at);
  }

  message(): void {
    this.messages += 1;
  }

  /** Classifies how a connection ended: the probe's own stop is never a cut. */
  ended(options: { began: boolean; openedAt: number; version: string | null; stopped: boolean; message: string }): ExchangeOutcome {
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
    this.cutTimes.push(at);
    this.cuts.push({ at, openedAt: options.openedAt, version: options.version, message: options.message });
    return { kind: 'cut', message: options.message };
  }

  record(): ConnectionTotals {
    return {
      path: this.path,
      target: this.target,
      opened: this.opened,
      cut: this.cuts.count,
      openFailed: this.openFailed,
      openAtStop: this.openAtStop,
      messages: this.messages,
      cuts: this.cuts.toJSON(),
    };
  }
}
