import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationPhase } from '../../migration/classify-operations.js';

/**
 * Expand must run before the rollout and contract after it; one file cannot do both, so a file
 * mixing them forces one half to run at the wrong time.
 */
export const mixedPhases: MigrationRule = {
  severity: 'error',
  summary: 'one migration mixes expand and contract changes',
  dialects: ['postgres', 'mysql'],
  check: ({ operations, live }) => {
    // With the live schema, a type change it proves free mixes with nothing (classify-operations.ts).
    const expand = operations.find((op) => operationPhase(op, live) === 'expand');
    const contract = operations.find((op) => operationPhase(op, live) === 'contract');
    if (expand === undefined || contract === undefined) return [];
    return [
      {
        location: contract.location,
        message: `mixes expand (${expand.kind} at line ${expand.location.line}) and contract (${contract.kind} at line ${contract.location.line}) changes`,
        hint: 'Split the file: the expand part runs before the new code rolls out, the contract part in a later "-- baton: phase=contract" migration after the old pods drain.',
      },
    ];
  },
};
