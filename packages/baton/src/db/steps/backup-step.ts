import { z } from 'zod';
import type { StepKind } from '../../engine/step.js';
import { createBackup } from '../backup/create-backup.js';
import { verifyBackup } from '../backup/verify-backup.js';
import { dbRefSchema, resolveDbUrl } from './db-ref.js';
import type { DbStepDeps } from './db-step-deps.js';
import { failureOf } from './migrate-step.js';
import { parseParams } from './step-params.js';

const paramsSchema = z
  .object({
    db: dbRefSchema,
    dir: z.string().min(1),
    method: z
      .union([
        z.object({ kind: z.literal('native') }).strict(),
        z
          .object({ kind: z.literal('command'), argv: z.array(z.string()).min(1), format: z.enum(['pg-custom', 'sql', 'sql-gzip']) })
          .strict(),
      ])
      .optional(),
    /** Default true: a backup counts only once it has been restored and checked. */
    verify: z.boolean().optional(),
  })
  .strict();

/**
 * `backup`: dumps the database and proves the dump by restoring it into a scratch database. An
 * unverifiable backup fails the step, so no migration runs without a restorable backup.
 * Nothing to undo: a backup file harms nobody (and may be wanted after a rollback).
 */
export function createBackupStep(deps: DbStepDeps): StepKind {
  return {
    kind: 'backup',
    async run(ctx, step) {
      try {
        const params = parseParams(paramsSchema, step.params, 'backup', step.id);
        const url = await resolveDbUrl(params.db, ctx.namespace, {
          env: deps.env ?? process.env,
          ...(deps.resolveSecret ? { resolveSecret: deps.resolveSecret } : {}),
        });
        ctx.progress('backing up the database');
        const backup = await createBackup({
          url,
          dir: params.dir,
          label: ctx.runId,
          ...(params.method ? { method: params.method } : {}),
          now: () => ctx.now(),
          signal: ctx.signal,
        });
        await ctx.checkpoint({ path: backup.path });
        const tables = Object.fromEntries(Object.entries(backup.tables).map(([t, c]) => [t, { ...c }]));
        const data = {
          path: backup.path,
          format: backup.format,
          fileBytes: backup.fileBytes,
          sourceBytes: backup.sourceBytes,
          durationMs: backup.durationMs,
          tables,
        };
        if (params.verify === false)
          return { kind: 'done', data: { ...data, verified: false }, summary: `backup ${backup.path} (not verified)` };
        ctx.progress('verifying the backup by restoring it into a scratch database', 0.5);
        const verdict = await verifyBackup({ url, backup, now: () => ctx.now(), signal: ctx.signal });
        if (!verdict.ok)
          return {
            kind: 'failed',
            reason: `backup ${backup.path} failed its restore test: ${verdict.reason}`,
            data: { ...data, verified: false },
          };
        return {
          kind: 'done',
          data: { ...data, verified: true, verifyMs: verdict.durationMs },
          summary: `backup ${backup.path}: ${backup.fileBytes} bytes (${backup.sourceBytes} uncompressed), restore verified`,
        };
      } catch (error) {
        return failureOf(error);
      }
    },
  };
}
