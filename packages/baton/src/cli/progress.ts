import type { EngineEvent } from '../engine/engine.js';
import type { CliIO } from './io.js';

/**
 * Live progress for a person: one line per step start/end and per progress message, with
 * elapsed time. Written to stderr so `--output json` on stdout stays machine-readable.
 */
export function progressPrinter(io: CliIO, options: { quiet?: boolean } = {}): (event: EngineEvent) => void {
  const started = new Map<string, number>();
  let titles: Record<string, string> = {};
  const out = (line: string): void => { if (!options.quiet) io.stderr.write(`${line}\n`); };
  return (event) => {
    switch (event.type) {
      case 'run-started':
        titles = Object.fromEntries(event.steps.map((s) => [s.id, s.title]));
        out(`run ${event.runId}: ${event.steps.length} steps`);
        break;
      case 'run-resumed': out(`run ${event.runId} resumed`); break;
      case 'step-started':
        started.set(event.stepId, event.at);
        out(`▶ ${titles[event.stepId] ?? event.stepId}`);
        break;
      case 'step-progress': out(`  · ${event.message}${event.fraction !== undefined ? ` (${Math.round(event.fraction * 100)}%)` : ''}`); break;
      case 'step-finished': {
        const took = ((event.at - (started.get(event.stepId) ?? event.at)) / 1000).toFixed(1);
        if (event.result.kind === 'done') out(`✓ ${event.stepId} (${took}s)${event.result.summary ? `: ${event.result.summary}` : ''}`);
        else if (event.result.kind === 'failed') out(`✗ ${event.stepId} (${took}s): ${event.result.reason}`);
        else out(`⏸ ${event.stepId}: ${event.result.reason}`);
        break;
      }
      case 'step-error': out(`✗ ${event.stepId}: ${event.error}`); break;
      case 'undo-started': out(`↶ undoing ${event.stepId}`); break;
      case 'undo-finished': out(event.error ? `✗ undo of ${event.stepId} failed: ${event.error}` : `↶ undone ${event.stepId}`); break;
      case 'run-finished': out(`run ${event.runId} ${event.status}${event.reason ? `: ${event.reason}` : ''}`); break;
      default: break;
    }
  };
}
