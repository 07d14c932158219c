/** How one long-lived exchange (a stream, an SSE or WebSocket connection) ended. */
export type ExchangeOutcome =
  | { kind: 'completed' }
  /** It began, then the server side ended it early or it errored. */
  | { kind: 'cut'; message: string }
  | { kind: 'start-failed'; message: string }
  /** The probe stopped it. */
  | { kind: 'stopped' };

export interface KeepOpenOptions {
  count: number;
  signal: AbortSignal;
  /**
   * Runs one exchange to its end; must resolve (never reject) and honour `signal`. `slot` (0..count-1)
   * names the client, so a watcher can resume where that client's previous exchange ended.
   */
  runOnce(signal: AbortSignal, slot: number): Promise<ExchangeOutcome>;
  /** Pause after a failed start, so a dead backend is retried, not hammered. */
  retryDelayMs?: number;
}

/**
 * Keeps `count` exchanges in flight: when one ends, another starts, until `signal` aborts, the
 * way listeners keep arriving during an upgrade. Resolves when all slots have stopped.
 */
export async function keepOpen(options: KeepOpenOptions): Promise<void> {
  const retry = options.retryDelayMs ?? 100;
  const slot = async (_: unknown, index: number): Promise<void> => {
    while (!options.signal.aborted) {
      const outcome = await options.runOnce(options.signal, index);
      if (outcome.kind === 'start-failed' && !options.signal.aborted) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, retry);
          function done(): void {
            clearTimeout(timer);
            options.signal.removeEventListener('abort', done);
            resolve();
          }
          options.signal.addEventListener('abort', done, { once: true });
        });
      }
    }
  };
  await Promise.all(Array.from({ length: options.count }, slot));
}
