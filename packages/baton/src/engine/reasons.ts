/**
 * Every reason the engine writes to the journal, in one place: the journal, the report, the CLI
 * and any UI show the same words.
 */
export const reasons = {
  stepFailed: (stepId: string, reason: string) => `step ${stepId} failed: ${reason}`,
  aborted: (reason: string) => `aborted: ${reason}`,
  undoFailed: (stepId: string, error: string) =>
    `undo of step ${stepId} failed: ${error}; the rollback stopped there and the steps before it were not undone`,
  haltedAfterPointOfNoReturn: (stepId: string, reason: string, pointOfNoReturn: string) =>
    `step ${stepId} failed after the point of no return (step ${pointOfNoReturn} completed): ${reason}; nothing was undone`,
  abortedAfterPointOfNoReturn: (reason: string, pointOfNoReturn: string) =>
    `aborted after the point of no return (step ${pointOfNoReturn} completed): ${reason}; nothing was undone, the app is left as the last step left it`,
  interruptedAfterPointOfNoReturn: (why: string, pointOfNoReturn: string) =>
    `interrupted after the point of no return (step ${pointOfNoReturn} completed): ${why}; nothing was undone`,
  paused: (stepId: string, reason: string) => `step ${stepId} needs a human: ${reason}`,
  pausedOnRequest: (nextStepId: string, reason: string, by: string | undefined) =>
    `paused before step ${nextStepId}${by ? ` at the request of ${by}` : ''}: ${reason}`,
  badResult: (stepId: string) => `step ${stepId} returned no valid result (expected done, failed or paused)`,
} as const;

/** What a person runs next, for runs that stopped short of a final state. */
export const nextCommands = {
  halted: (runId: string) => [`baton resume ${runId}`, `baton abort ${runId}`],
  paused: (runId: string) => [`baton promote ${runId}`, `baton abort ${runId}`, `baton resume ${runId}`],
} as const;
