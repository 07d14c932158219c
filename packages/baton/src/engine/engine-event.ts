import type { ProgressEvent } from './step.js';
import type { JournalEntry } from './journal.js';

/** A step reported progress (not journaled: progress is for eyes, not for recovery). */
export type StepProgressEvent = ProgressEvent & { type: 'step-progress'; runId: string };

/** Live progress for the CLI and UIs: every journal entry as it becomes durable, plus progress. */
export type EngineEvent = JournalEntry | StepProgressEvent;
