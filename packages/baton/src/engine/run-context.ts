import type { JsonObject } from '../json.js';
import type { Logger, ProbeReader, RunContext } from './step.js';
import type { RunState } from './run-state.js';

export interface RunContextParts {
  state: RunState;
  stepId: string;
  signal: AbortSignal;
  log: Logger;
  probe: ProbeReader | undefined;
  now: () => number;
  delay: (ms: number, signal?: AbortSignal) => Promise<void>;
  progress: (message: string, fraction?: number) => void;
  /** Makes the checkpoint durable (journal append) and returns once it is. */
  checkpoint: (data: JsonObject) => Promise<void>;
  /** The step's checkpoints as they stand now (earlier attempts included). */
  checkpoints: () => JsonObject;
}

/** Builds the RunContext one step (or one undo) sees. Results are a snapshot taken at its start. */
export function createRunContext(parts: RunContextParts): RunContext {
  const { state, signal } = parts;
  return {
    runId: state.runId,
    app: state.app,
    namespace: state.namespace,
    signal,
    log: parts.log,
    now: parts.now,
    delay: (ms) => parts.delay(ms, signal),
    progress: parts.progress,
    checkpoint: parts.checkpoint,
    get checkpoints() {
      return parts.checkpoints();
    },
    results: structuredClone(state.completed),
    probe: parts.probe,
  };
}

/** A Logger that drops everything: the library default (the CLI passes a real one). */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
