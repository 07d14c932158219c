import type { JournalEntry } from '../engine/journal.js';
import type { RunRecordEvent } from '../report/run-record.js';

/**
 * The moments a timeline marks besides step starts, read from a run's journal: a gate (or any
 * step) failing, the rollback that followed (its first undo, and the run ending rolled back),
 * pauses for a human (and pauses asked for), promotions and abort requests. Pure; entries in append order.
 */
export function runEventsFrom(entries: readonly JournalEntry[]): RunRecordEvent[] {
  const kinds = new Map<string, string>();
  const events: RunRecordEvent[] = [];
  let rollingBack = false;
  for (const e of entries) {
    switch (e.type) {
      case 'run-started':
        for (const s of e.steps) kinds.set(s.id, s.kind);
        break;
      case 'step-finished':
        if (e.result.kind === 'failed') {
          const gate = kinds.get(e.stepId) === 'gate';
          events.push({ at: e.at, kind: gate ? 'gate-failed' : 'step-failed', label: `${gate ? 'gate failed' : 'failed'}: ${e.stepId}` });
        } else if (e.result.kind === 'paused') events.push({ at: e.at, kind: 'paused', label: `paused: ${e.stepId}` });
        break;
      case 'step-error':
        events.push({ at: e.at, kind: 'step-failed', label: `failed: ${e.stepId}` });
        break;
      case 'undo-started':
        if (!rollingBack) events.push({ at: e.at, kind: 'rollback-started', label: 'rollback started' });
        rollingBack = true;
        break;
      case 'promoted':
        events.push({ at: e.at, kind: 'promoted', label: `promoted: ${e.stepId}` });
        break;
      case 'pause-requested':
        events.push({ at: e.at, kind: 'paused', label: `pause requested${e.by ? ` by ${e.by}` : ''}` });
        break;
      case 'abort-requested':
        events.push({ at: e.at, kind: 'abort-requested', label: 'abort requested' });
        break;
      case 'run-finished':
        if (rollingBack && (e.status === 'rolled-back' || e.status === 'aborted')) {
          events.push({ at: e.at, kind: 'rollback-finished', label: `rollback ended (${e.status})` });
          rollingBack = false;
        }
        break;
      default:
        break;
    }
  }
  return events;
}
