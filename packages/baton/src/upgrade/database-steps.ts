import type { PlannedStep } from '../engine/step.js';
import { BatonError } from '../errors.js';
import { dialectForUrl } from '../db/dialects.js';
import { discoverMigrations } from '../db/migrations/discover-migrations.js';
import { planIndexRepairs } from '../db/migrations/index-repairs.js';
import type { MigrationPlan } from '../db/migrations/plan-migrations.js';
import { readLiveDatabase } from '../db/migrations/read-live-database.js';
import { ledgerProblems } from '../db/migrations/ledger.js';
import { MigrationsInvalidError } from '../db/migrations/migration-problem.js';
import type { Migration } from '../db/migrations/migration.js';
import { resolveDbUrl, type DbRef, type SecretResolver } from '../db/steps/db-ref.js';
import type { JsonObject } from '../json.js';
import type { BatonSpec } from '../spec/schema.js';
import { withMigrationFolder, type MigrationFile } from '../db/steps/migration-files.js';
import { plannedStep } from '../engine/step-kind.js';
import { execBackupStep } from '../strategies/steps/exec-backup-step.js';

/** What the database part of a plan is made from: data, no folders. */
export interface DatabaseInputs {
  spec: BatonSpec;
  /** The files of spec.database.migrations.dir (undefined when the spec names no migrations). */
  migrations: readonly MigrationFile[] | undefined;
  /** Where backups are written (spec.database.backup.dir, resolved by the caller). */
  backupDir: string;
}

export interface DatabasePlanOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** The release being replaced: its sessions must be gone before a contract migration. */
  fromVersion: string | undefined;
  toVersion: string;
  /** Reads `database.url: {secret: ...}` (the cluster's Secret), as the run's steps will. */
  resolveSecret?: SecretResolver;
}

/**
 * The database part of the plan. Before the rollout: a verified backup, then expand migrations
 * (old code keeps working with them). After the rollout and verification: the backfill (no old
 * code writes rows without the new column any more), then wait until
 * no pod and no database session of the old release is left, back up again, then contract — the
 * point of no return. Pending migrations are read from the folder and the ledger now, so the plan
 * names every migration it will run, and a bad folder or an unreachable database fails here.
 */
export async function databaseSteps(
  inputs: DatabaseInputs,
  options: DatabasePlanOptions,
): Promise<{ before: PlannedStep[]; after: PlannedStep[]; warnings: string[]; migrations?: MigrationPlan } | undefined> {
  const database = inputs.spec.database;
  if (!database) return undefined;
  const before: PlannedStep[] = [];
  const after: PlannedStep[] = [];
  const warnings: string[] = [];
  const backupDir = inputs.backupDir;
  const backup = (id: string, why: string): PlannedStep | undefined => {
    const method = database.backup?.method ?? 'none';
    if (method === 'none') return undefined;
    if (method === 'exec') {
      const exec = database.backup?.exec;
      if (!exec)
        throw new BatonError('SPEC_INVALID', 'database.backup.method is exec but database.backup.exec is missing', {
          hint: 'add exec: {target: deploy/NAME, command: [...]}',
        });
      return plannedStep(execBackupStep, {
        id,
        reversible: true,
        title: `Back up with \`${exec.command.join(' ')}\` in ${exec.target ?? 'the app'} — ${why}`,
        params: {
          exec,
          timeoutSeconds: database.backup?.timeoutSeconds ?? 600,
          ...(database.backup?.sizePattern ? { sizePattern: database.backup.sizePattern } : {}),
        },
      });
    }
    if (!db)
      throw new BatonError('SPEC_INVALID', `database.backup.method ${method} needs database.url`, {
        hint: 'add database.url: {env: NAME} or {secret: {name, key}}',
      });
    const params: JsonObject = {
      db: db as JsonObject,
      dir: backupDir,
      method: method === 'command' ? { kind: 'command', argv: database.backup?.command ?? [], format: 'sql' } : { kind: 'native' },
      verify: database.backup?.verify ?? true,
    };
    return {
      id,
      kind: 'backup',
      title: `Back up the database (${method}) and prove it by restoring into a scratch database — ${why}`,
      reversible: true,
      params,
    };
  };
  const db = database.url as DbRef | undefined;
  const files = inputs.migrations;
  if (!database.migrations || !files) {
    const b = backup('backup', 'before the rollout');
    if (b) before.push(b);
    return { before, after, warnings };
  }
  if (!db)
    throw new BatonError('SPEC_INVALID', 'database.migrations needs database.url', {
      hint: 'add database.url: {env: NAME} or {secret: {name, key}}',
    });
  const url = await resolveDbUrl(db, inputs.spec.namespace, {
    env: options.env,
    ...(options.resolveSecret ? { resolveSecret: options.resolveSecret } : {}),
  });
  const dialect = dialectForUrl(url);
  const { migrations } = await withMigrationFolder(files, (dir) => discoverMigrations(dir, { dialect: dialect.name }));
  // One read-only look at the database: the ledger, and INVALID indexes migrate will repair.
  const live = await readLiveDatabase(url, { applicationName: 'baton-plan' });
  // An applied migration edited (or deleted) since: refused now, not by migrate after a backup.
  const problems = ledgerProblems(live.applied, migrations);
  if (problems.length > 0) throw new MigrationsInvalidError(problems);
  const applied = new Set(live.appliedVersions);
  const target = database.migrations?.target !== undefined ? Number(database.migrations.target) : Infinity;
  const pending = migrations.filter((m) => !applied.has(m.version) && m.version <= target);
  const common = { db: db as JsonObject, files: files.map((f) => ({ ...f })), release: options.toVersion };

  // Phases must come in order: a contract before a later expand cannot be reordered safely.
  const byPhase = { expand: [] as Migration[], backfill: [] as Migration[], contract: [] as Migration[] };
  let seenContract = false;
  for (const m of pending) {
    if (m.phase !== 'contract' && seenContract) {
      warnings.push(`migration ${m.version} (${m.phase}) comes after a contract migration; it is left for the next release`);
      break;
    }
    if (m.phase === 'contract') seenContract = true;
    byPhase[m.phase].push(m);
  }
  const names = (ms: Migration[]): string => ms.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`).join(', ');
  if (pending.length > 0) {
    const b = backup('backup', 'before the first migration');
    if (b) before.push(b);
  }
  if (byPhase.expand.length > 0) {
    before.push({
      id: 'migrate:expand',
      kind: 'migrate',
      reversible: true,
      title: `Expand the schema: ${names(byPhase.expand)} (old code keeps working; short lock timeouts, retried)`,
      params: { ...common, phase: 'expand', versions: byPhase.expand.map((m) => m.version) },
    });
  }
  if (byPhase.backfill.length > 0) {
    // After the rollout: until every old pod is gone, old code keeps writing rows the backfill
    // would have to visit again.
    after.push({
      id: 'migrate:backfill',
      kind: 'backfill',
      reversible: true,
      title: `Backfill in batches: ${names(byPhase.backfill)} (resumable, throttled on the app's p99 and error rate)`,
      params: {
        ...common,
        phase: 'backfill',
        versions: byPhase.backfill.map((m) => m.version),
        throttle: { maxP99Ms: 500, maxErrorRate: 0.01 },
      },
    });
  }
  if (byPhase.contract.length > 0) {
    if (options.fromVersion) {
      after.push({
        id: 'db:old-sessions-gone',
        kind: 'await-old-sessions-gone',
        reversible: true,
        title: `Wait until no database session of release ${options.fromVersion} is open (evidence, not time)`,
        params: { db: db as JsonObject, releases: [options.fromVersion], deadlineMs: 300_000 },
      });
    }
    const b = backup('backup:pre-contract', 'just before the point of no return');
    if (b) after.push(b);
    after.push({
      id: 'migrate:contract',
      kind: 'migrate',
      reversible: false,
      title: `Contract the schema: ${names(byPhase.contract)} — the point of no return`,
      params: { ...common, phase: 'contract', versions: byPhase.contract.map((m) => m.version) },
    });
  }
  const runs = [...byPhase.expand, ...byPhase.backfill, ...byPhase.contract];
  const migrationPlan: MigrationPlan = {
    pending: runs.map((m) => ({ version: m.version, name: m.name, phase: m.phase })),
    indexRepairs: planIndexRepairs(live.schema.tables, pending, live.indexBuildsInProgress),
  };
  return { before, after, warnings, migrations: migrationPlan };
}
