import { createLogUpdate } from 'log-update';
import type { EngineEvent } from '../engine/engine.js';
import type { CliIO } from './io.js';

/** How often the live line is redrawn on a terminal, and how often a plain log says "still". */
const terminalBeatMs = 1000;
const plainBeatMs = 10_000;

export interface ProgressOptions {
  quiet?: boolean;
  /** Where time comes from (tests); default Date.now. */
  now?: () => number;
  /** Timers (tests); default the global ones. */
  setInterval?: (fn: () => void, ms: number) => { unref?(): unknown };
  clearInterval?: (timer: { unref?(): unknown }) => void;
}

/**
 * Live progress for a person: one line per step start/end and per progress message, and a
 * heartbeat while a step waits, so the screen never looks frozen — on a terminal a live line
 * redrawn every second ("▶ Roll Deployment app · 12s · 2 of 3 new pods ready"), in a plain log
 * (CI, a pipe) a "still …" line every 10 s. Written to stderr so `--output json` on stdout stays
 * machine-readable.
 */
export function progressPrinter(io: CliIO, options: ProgressOptions = {}): (event: EngineEvent) => void {
  const now = options.now ?? Date.now;
  const every = options.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms));
  const stop = options.clearInterval ?? ((timer: { unref?(): unknown }) => clearInterval(timer as NodeJS.Timeout));
  const live = io.stderr.isTTY === true && !options.quiet && isStream(io.stderr) ? createLogUpdate(io.stderr) : undefined;
  const started = new Map<string, number>();
  let titles: Record<string, string> = {};
  let current: { stepId: string; since: number; waitingFor: string | undefined; lastLine: number } | undefined;
  let timer: { unref?(): unknown } | undefined;

  const out = (line: string): void => {
    if (options.quiet) return;
    live?.clear();
    io.stderr.write(`${line}\n`);
    if (current) current.lastLine = now();
    redraw();
  };
  const seconds = (ms: number): string => `${Math.round(ms / 1000)}s`;
  const describe = (step: NonNullable<typeof current>): string =>
    `${titles[step.stepId] ?? step.stepId} · ${seconds(now() - step.since)}${step.waitingFor ? ` · ${step.waitingFor}` : ''}`;
  function redraw(): void {
    if (live && current) live(`  ⏳ ${describe(current)}`);
  }
  const beat = (): void => {
    if (!current || options.quiet) return;
    if (live) redraw();
    else if (now() - current.lastLine >= plainBeatMs) out(`  … still ${describe(current)}`);
  };
  const startBeat = (): void => {
    if (timer || options.quiet) return;
    timer = every(beat, live ? terminalBeatMs : plainBeatMs / 2);
    timer.unref?.();
  };
  const stopBeat = (): void => {
    if (timer) stop(timer);
    timer = undefined;
    live?.clear();
  };

  return (event) => {
    switch (event.type) {
      case 'run-started':
        titles = Object.fromEntries(event.steps.map((s) => [s.id, s.title]));
        out(`run ${event.runId}: ${event.steps.length} steps`);
        break;
      case 'run-resumed':
        out(`run ${event.runId} resumed`);
        break;
      case 'step-started':
        started.set(event.stepId, event.at);
        current = { stepId: event.stepId, since: now(), waitingFor: undefined, lastLine: now() };
        out(`▶ ${titles[event.stepId] ?? event.stepId}`);
        startBeat();
        break;
      case 'step-progress': {
        const message = `${event.message}${event.fraction !== undefined ? ` (${Math.round(event.fraction * 100)}%)` : ''}`;
        if (current) current.waitingFor = message;
        out(`  · ${message}`);
        break;
      }
      case 'step-finished': {
        const took = ((event.at - (started.get(event.stepId) ?? event.at)) / 1000).toFixed(1);
        if (current?.stepId === event.stepId) current = undefined;
        live?.clear();
        if (event.result.kind === 'done') out(`✓ ${event.stepId} (${took}s)${event.result.summary ? `: ${event.result.summary}` : ''}`);
        else if (event.result.kind === 'failed') out(`✗ ${event.stepId} (${took}s): ${event.result.reason}`);
        else out(`⏸ ${event.stepId}: ${event.result.reason}`);
        break;
      }
      case 'step-error':
        if (current?.stepId === event.stepId) current = undefined;
        out(`✗ ${event.stepId}: ${event.error}`);
        break;
      case 'undo-started':
        current = { stepId: event.stepId, since: now(), waitingFor: 'undoing', lastLine: now() };
        out(`↶ undoing ${event.stepId}`);
        startBeat();
        break;
      case 'undo-finished':
        if (current?.stepId === event.stepId) current = undefined;
        out(event.error ? `✗ undo of ${event.stepId} failed: ${event.error}` : `↶ undone ${event.stepId}`);
        break;
      case 'run-finished':
        current = undefined;
        stopBeat();
        out(`run ${event.runId} ${event.status}${event.reason ? `: ${event.reason}` : ''}`);
        break;
      default:
        break;
    }
  };
}

/** A real terminal stream (process.stderr), which log-update redraws; test fakes are not. */
function isStream(stream: CliIO['stderr']): stream is CliIO['stderr'] & NodeJS.WritableStream {
  return 'on' in stream && typeof stream.on === 'function' && 'columns' in stream;
}
