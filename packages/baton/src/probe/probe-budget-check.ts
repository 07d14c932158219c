import type { ProbeRecord } from './probe-record.js';

/** What clients may lose in a run (the spec's `probe.budget`). */
export interface ProbeBudget {
  maxFailedRequests: number;
  /** Abrupt cuts of downloads, SSE and WebSocket connections (graceful closes are not cuts). */
  maxCutStreams: number;
  /** Longest allowed reconnect gap after a graceful close; unset: not judged. */
  maxResumeGapMs?: number | undefined;
  /** SSE/WebSocket messages clients may miss across reconnects. */
  maxMessagesLost: number;
}

/** Every way a finished probe record exceeds the budget, as sentences; empty when within it. */
export function budgetOverruns(record: ProbeRecord, budget: ProbeBudget): string[] {
  const over: string[] = [];
  if (record.requests.failed > budget.maxFailedRequests)
    over.push(`${record.requests.failed} failed requests (budget ${budget.maxFailedRequests})`);
  const live = [record.sse, record.websockets].filter((c) => c !== null);
  const cut = (record.streams?.cut ?? 0) + live.reduce((n, c) => n + c.cut, 0);
  if (cut > budget.maxCutStreams) over.push(`${cut} streams cut abruptly (budget ${budget.maxCutStreams})`);
  const lost = live.reduce((n, c) => n + c.messagesLost, 0);
  if (lost > budget.maxMessagesLost) over.push(`${lost} SSE/WebSocket messages lost across reconnects (budget ${budget.maxMessagesLost})`);
  const gap = Math.max(0, ...live.map((c) => c.resumeGapMs?.maxMs ?? 0));
  if (budget.maxResumeGapMs !== undefined && gap > budget.maxResumeGapMs)
    over.push(`a reconnect took ${gap} ms (budget ${budget.maxResumeGapMs} ms)`);
  return over;
}
