import type { JournalEntry } from './journal.js';

/** A step reported progress (not journaled: progress is for eyes, not for recovery). */
export interface StepProgressEvent {
  type: 'step-progress';
  runId: string;
  stepId: string;
  at: number;
  message: string;
  fraction?: number;
}

/** Live progress for the CLI and UIs: every journal entry as it becomes durable, plus progress. */
export type EngineEvent = JournalEntry | StepProgressEvent;
