import { z } from 'zod';
import type { JsonObject } from '../../json.js';
import type { PlannedStep, RunContext, StepKind, StepResult } from '../../engine/step.js';
import { isBatonError } from '../../errors.js';
import { parseConnectionUrl } from '../connection-url.js';
import { discoverMigrations } from '../migrations/discover-migrations.js';
import { migrate, revert, type MigrateOptions } from '../migrations/migrate.js';
import { dbRefSchema, resolveDbUrl } from './db-ref.js';
import type { DbStepDeps } from './db-step-deps.js';
import { probeLatency, probeThrottle } from './probe-throttle.js';
import { parseParams } from './step-params.js';
import { migrationFileSchema, withMigrationFolder } from './migration-files.js';

const paramsSchema = z
  .object({
    db: dbRefSchema,
    /** A folder of NNNN_name.sql files on this machine... */
    dir: z.string().min(1).optional(),
    /** ...or the files themselves (what baton's plans carry, so a run needs no folder to resume). */
    files: z.array(migrationFileSchema).optional(),
    phase: z.enum(['expand', 'backfill', 'contract']).optional(),
    versions: z.array(z.number().int().positive()).optional(),
    release: z.string().optional(),
    lockWaitMs: z.number().int().positive().optional(),
    shortLockTimeoutMs: z.number().int().positive().optional(),
    longLockTimeoutMs: z.number().int().positive().optional(),
    retries: z.number().int().min(0).optional(),
    throttle: z
      .object({
        maxP99Ms: z.number().positive().optional(),
        maxErrorRate: z.number().min(0).max(1).optional(),
        pauseMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    load: z
      .object({ maxLongQueries: z.number().int().min(0), longQuerySeconds: z.number().positive(), pauseMs: z.number().int().positive() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((p) => (p.dir === undefined) !== (p.files === undefined), { message: 'exactly one of dir and files is required' });

/** Params of `migrate` (and, with phase fixed, `backfill`). */
export type MigrateStepParams = z.output<typeof paramsSchema>;

/**
 * Runs `use` with MigrateOptions for a step: the URL resolved now, the context's clock/delay/signal
 * wired in, and the migrations in a folder (the step's own, or its files written to a private one).
 */
export async function withMigrateOptions<T>(
  ctx: RunContext,
  step: PlannedStep,
  deps: DbStepDeps,
  kind: string,
  use: (options: MigrateOptions & { params: MigrateStepParams }) => Promise<T>,
): Promise<T> {
  const params = parseParams(paramsSchema, step.params, kind, step.id);
  if (params.dir !== undefined) return use(await migrateOptionsFor(ctx, params, deps, params.dir));
  return withMigrationFolder(params.files ?? [], async (dir) => use(await migrateOptionsFor(ctx, params, deps, dir)));
}

async function migrateOptionsFor(
  ctx: RunContext,
  params: MigrateStepParams,
  deps: DbStepDeps,
  dir: string,
): Promise<MigrateOptions & { params: MigrateStepParams }> {
  const url = await resolveDbUrl(params.db, ctx.namespace, {
    env: deps.env ?? process.env,
    ...(deps.resolveSecret ? { resolveSecret: deps.resolveSecret } : {}),
  });
  const short = params.shortLockTimeoutMs ?? 2000;
  const long = params.longLockTimeoutMs ?? 30 * 60_000;
  // The live probe's p99 shrinks backfill batches while users are slower than the limit.
  const latency = probeLatency(ctx.probe, params.throttle ?? {}, () => ctx.now());
  return {
    params,
    url,
    dir,
    ...(params.phase ? { phase: params.phase } : {}),
    ...(params.versions ? { versions: params.versions } : {}),
    release: params.release ?? ctx.runId,
    ...(params.lockWaitMs ? { lockWaitMs: params.lockWaitMs } : {}),
    profiles: {
      short: { name: 'short', lockTimeoutMs: short, statementTimeoutMs: 0 },
      long: { name: 'long', lockTimeoutMs: long, statementTimeoutMs: 0 },
    },
    ...(params.retries === undefined ? {} : { retry: { retries: params.retries, baseDelayMs: 200, maxDelayMs: 10_000 } }),
    ...(deps.analyze ? { analyze: deps.analyze } : {}),
    throttle: probeThrottle(ctx.probe, params.throttle ?? { maxErrorRate: 0.01 }, () => ctx.now()),
    ...(latency ? { latency } : {}),
    load: params.load ?? { maxLongQueries: 5, longQuerySeconds: 30, pauseMs: 1000 },
    signal: ctx.signal,
    delay: (ms) => ctx.delay(ms),
    now: () => ctx.now(),
    onProgress: (message, fraction) => ctx.progress(message, fraction),
  };
}

function versionsOf(checkpoint: Readonly<JsonObject>): number[] {
  const v = checkpoint.appliedVersions;
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
}

/** Turns expected database refusals into a failed result; bugs still throw. */
export function failureOf(error: unknown): StepResult {
  if (isBatonError(error)) return { kind: 'failed', reason: `${error.code}: ${error.message}${error.hint ? ` (${error.hint})` : ''}` };
  throw error;
}

/**
 * `migrate`: applies pending migrations of one phase. Before each migration it checkpoints every
 * version this step may have applied, so undo (even after a crash mid-migration) knows what to
 * revert; undo reverts only expand migrations, newest first, and only those in the ledger.
 */
export function createMigrateStep(deps: DbStepDeps): StepKind {
  return {
    kind: 'migrate',
    async run(ctx, step) {
      try {
        const mine = new Set(versionsOf(ctx.checkpoints));
        const result = await withMigrateOptions(ctx, step, deps, 'migrate', (options) =>
          migrate({
            ...options,
            beforeApply: async (m) => {
              mine.add(m.version);
              await ctx.checkpoint({ appliedVersions: [...mine].sort((a, b) => a - b), applying: m.version });
            },
          }),
        );
        const applied = result.applied.map((a) => ({ ...a }));
        return {
          kind: 'done',
          data: { applied, pending: result.pending, alreadyApplied: result.alreadyApplied },
          summary: applied.length === 0 ? 'nothing to apply' : `applied ${applied.map((a) => `${a.version}_${a.name}`).join(', ')}`,
        };
      } catch (error) {
        return failureOf(error);
      }
    },
    async undo(ctx, step, checkpoint) {
      const versions = versionsOf(checkpoint);
      if (versions.length === 0) return;
      const reverted = await withMigrateOptions(ctx, step, deps, 'migrate', async (options) =>
        revert({ ...options, phase: undefined, versions: await expandOnly(options, versions, ctx) }),
      );
      ctx.progress(`reverted ${reverted.length === 0 ? 'nothing' : reverted.join(', ')}`);
    },
  };
}

/** Backfills and contracts cannot be undone by SQL; say so and leave them. */
async function expandOnly(options: MigrateOptions, versions: number[], ctx: RunContext): Promise<number[]> {
  const { migrations } = await discoverMigrations(options.dir, {
    dialect: parseConnectionUrl(options.url).dialect,
    ...(options.analyze ? { analyze: options.analyze } : {}),
  });
  const phases = new Map(migrations.map((m) => [m.version, m.phase]));
  const keep = versions.filter((v) => phases.get(v) === 'expand');
  const skipped = versions.filter((v) => phases.get(v) !== 'expand');
  if (skipped.length > 0) ctx.log.warn('migrate undo leaves non-expand migrations in place', { versions: skipped });
  return keep;
}
