import type { MigrationRule } from '../../migration/migration-rule.js';
import { classifyOperations, operationPhase } from '../../migration/classify-operations.js';
import { migrationPhases, type MigrationPhase } from '../../migration/migration-phase.js';

const rank = (phase: MigrationPhase): number => migrationPhases.indexOf(phase);

/**
 * The declared phase decides when baton runs the file. Declaring a later phase than the SQL needs
 * is safe (it only waits longer); declaring an earlier one runs narrowing changes while old pods
 * still depend on the old schema, so that is the error.
 *
 * With the live schema the SQL is judged as it is there (a type change the live type proves free
 * is expand). When only that proof makes the declared phase right, the finding is a warning, not
 * an error: running it early is safe, but `baton migrate` classifies the file without a database
 * and refuses it, and `check` must not promise what the runner will not do.
 */
export const phaseMismatch: MigrationRule = {
  severity: 'error',
  summary: 'the declared phase is earlier than what the SQL does',
  dialects: ['postgres', 'mysql'],
  check: ({ source, operations, analyzedPhase, live }) => {
    const declared = source.declaredPhase;
    if (declared === undefined) return [];
    const offlinePhase = live === undefined ? analyzedPhase : classifyOperations(operations);
    if (rank(offlinePhase) <= rank(declared)) return [];
    const header = source.headers.get('phase');
    if (rank(analyzedPhase) <= rank(declared)) {
      const proven = operations.filter((op) => operationPhase(op) === offlinePhase && operationPhase(op, live) !== offlinePhase);
      const first = proven[0];
      return [
        {
          severity: 'warning',
          location: first?.location ?? header?.location ?? { line: 1, column: 1 },
          message: `declared phase=${declared}: live, ${proven.map((op) => `${op.kind} at line ${op.location.line}`).join(', ')} is proven free (no rewrite, readers keep the same values), so running it before the rollout is safe; but baton migrate classifies the file without the database (${offlinePhase}) and refuses phase=${declared}`,
          hint: 'Declare "-- baton: phase=contract" so baton migrate runs it (after the rollout: as safe, only later); check --database then reports no phase problem for it.',
        },
      ];
    }
    const culprit = operations.find((op) => operationPhase(op, live) === analyzedPhase);
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
