import { budgetOverruns } from '../probe/probe-budget-check.js';
import type { ProbeRecord } from '../probe/probe-record.js';
import type { ProbeSpec } from '../spec/schema.js';

/** Whether what clients lost stayed within the spec's probe budget (the promise of a run). */
export interface BudgetVerdict {
  exceeded: boolean;
  /** Every way the run went over, as sentences ("3 failed requests (budget 0)"); empty when within. */
  overruns: string[];
  /** One sentence for people, set when exceeded. */
  reason?: string;
}

/** The verdict for a run's probe record; undefined when nothing was measured. */
export function budgetVerdict(budget: ProbeSpec['budget'], probe: ProbeRecord | undefined): BudgetVerdict | undefined {
  if (!probe) return undefined;
  const overruns = budgetOverruns(probe, budget);
  const exceeded = overruns.length > 0;
  return { exceeded, overruns, ...(exceeded ? { reason: `the probe budget was exceeded: ${overruns.join('; ')}` } : {}) };
}
