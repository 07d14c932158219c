import type { JsonObject } from '../../json.js';
import type { ProbeReader, RunContext } from '../step.js';

/** A RunContext for unit tests of steps and gates, with a fake clock that `delay` advances. */
export interface TestRunContext extends RunContext {
  /** Every delay asked for, in ms, in order. */
  delays: number[];
  progressLines: string[];
  recorded: JsonObject[];
  /** Moves the fake clock. */
  advance(ms: number): void;
}

export function createTestRunContext(options: { probe?: ProbeReader; signal?: AbortSignal; start?: number } = {}): TestRunContext {
  let now = options.start ?? 1_000_000;
  const delays: number[] = [];
  const progressLines: string[] = [];
  const recorded: JsonObject[] = [];
  const signal = options.signal ?? new AbortController().signal;
  const silent = () => undefined;
  return {
    runId: 'test-run',
    app: 'web',
    namespace: 'test',
    signal,
    log: { info: silent, warn: silent, error: silent },
    now: () => now,
    async delay(ms: number) {
      if (signal.aborted) throw new Error('aborted');
      delays.push(ms);
      now += ms;
    },
    progress: (message) => progressLines.push(message),
    async checkpoint(data) {
      recorded.push(data);
    },
    checkpoints: {},
    results: {},
    probe: options.probe,
    delays,
    progressLines,
    recorded,
    advance(ms: number) {
      now += ms;
    },
  };
}
