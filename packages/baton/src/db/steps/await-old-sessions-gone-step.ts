import { z } from 'zod';
import type { StepKind } from '../../engine/step.js';
import { awaitOldSessionsGone } from '../sessions/await-old-sessions-gone.js';
import { dbRefSchema, resolveDbUrl } from './db-ref.js';
import type { DbStepDeps } from './db-step-deps.js';
import { failureOf } from './migrate-step.js';
import { parseParams } from './step-params.js';

const paramsSchema = z
  .object({
    db: dbRefSchema,
    /** Releases whose sessions must be gone (as they declare themselves: application_name). */
    releases: z.array(z.string().min(1)).min(1),
    deadlineMs: z.number().int().min(0),
    pollMs: z.number().int().positive().optional(),
  })
  .strict();

/**
 * `await-old-sessions-gone`: the gate in front of a contract migration. Done when no database
 * session of an older release is open; failed (with the sessions still open) at the deadline.
 */
export function createAwaitOldSessionsGoneStep(deps: DbStepDeps): StepKind {
  return {
    kind: 'await-old-sessions-gone',
    async run(ctx, step) {
      try {
        const params = parseParams(paramsSchema, step.params, 'await-old-sessions-gone', step.id);
        const url = await resolveDbUrl(params.db, ctx.namespace, {
          env: deps.env ?? process.env,
          ...(deps.resolveSecret ? { resolveSecret: deps.resolveSecret } : {}),
        });
        const verdict = await awaitOldSessionsGone({
          url,
          releases: params.releases,
          deadlineMs: params.deadlineMs,
          ...(params.pollMs ? { pollMs: params.pollMs } : {}),
          delay: (ms) => ctx.delay(ms),
          now: () => ctx.now(),
          signal: ctx.signal,
          onWait: (open) => ctx.progress(`${open.length} session(s) of ${params.releases.join(', ')} still open`),
        });
        if (verdict.kind === 'gone') {
          return { kind: 'done', data: { waitedMs: verdict.waitedMs }, summary: `no session of ${params.releases.join(', ')} is open` };
        }
        const open = verdict.sessions.map((s) => ({ id: s.id, release: s.release, user: s.user }));
        return {
          kind: 'failed',
          reason: `${open.length} database session(s) of ${params.releases.join(', ')} still open after ${Math.round(verdict.waitedMs / 1000)} s`,
          data: { sessions: open },
        };
      } catch (error) {
        return failureOf(error);
      }
    },
  };
}
