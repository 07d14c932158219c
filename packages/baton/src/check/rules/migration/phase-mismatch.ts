import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationPhase } from '../../migration/classify-operations.js';
import { migrationPhases } from '../../migration/migration-phase.js';

/**
 * The declared phase decides when baton runs the file. Declaring a later phase than the SQL needs
 * is safe (it only waits longer); declaring an earlier one runs narrowing changes while old pods
 * still depend on the old schema, so that is the error.
 */
export const phaseMismatch: MigrationRule = {
  severity: 'error',
  summary: 'the declared phase is earlier than what the SQL does',
  dialects: ['postgres', 'mysql'],
  check: ({ source, operations, analyzedPhase }) => {
    const declared = source.declaredPhase;
    if (declared === undefined) return [];
    if (migrationPhases.indexOf(analyzedPhase) <= migrationPhases.indexOf(declared)) return [];
    const culprit = operations.find((op) => operationPhase(op) === analyzedPhase);
    const header = source.headers.get('phase');
    return [
      {
        location: culprit?.location ?? header?.location ?? { line: 1, column: 1 },
        message: `declared phase=${declared} but the migration is ${analyzedPhase}${culprit === undefined ? '' : ` (${culprit.kind} at line ${culprit.location.line})`}`,
        hint:
          analyzedPhase === 'contract'
            ? 'Move the narrowing statements (drops, renames, type changes, SET NOT NULL) into their own "-- baton: phase=contract" migration.'
            : 'Move the data changes into their own "-- baton: phase=backfill table=... key=... batch=..." migration using :start/:end.',
      },
    ];
  },
};
