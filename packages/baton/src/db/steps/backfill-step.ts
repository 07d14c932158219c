import type { StepKind } from '../../engine/step.js';
import type { BackfillTick } from '../backfill/run-backfill.js';
import { migrate } from '../migrations/migrate.js';
import type { DbStepDeps } from './db-step-deps.js';
import { failureOf, withMigrateOptions } from './migrate-step.js';

/**
 * `backfill`: runs pending backfill migrations (params as `migrate`; phase is always backfill).
 * Resumable by construction: progress lives in baton_backfill_cursor (the last committed key), committed with each batch,
 * so a re-run continues after the last finished batch. Nothing to undo: a backfill only fills a
 * column old code ignores.
 */
export function createBackfillStep(deps: DbStepDeps): StepKind {
  return {
    kind: 'backfill',
    async run(ctx, step) {
      try {
        let last: BackfillTick | undefined;
        const result = await withMigrateOptions(ctx, step, deps, 'backfill', (options) =>
          migrate({
            ...options,
            phase: 'backfill',
            onBackfill: (tick) => {
              last = tick;
            },
            beforeApply: async (m) => ctx.checkpoint({ backfilling: m.version }),
          }),
        );
        return {
          kind: 'done',
          data: {
            applied: result.applied.map((a) => ({ ...a })),
            rowsDone: last?.rowsDone ?? 0,
            batches: last?.batches ?? 0,
          },
          summary:
            result.applied.length === 0 ? 'nothing to backfill' : `backfilled ${last?.rowsDone ?? 0} rows in ${last?.batches ?? 0} batches`,
        };
      } catch (error) {
        return failureOf(error);
      }
    },
  };
}
