import { z } from 'zod';
import { migrationFileSchema, type MigrationFile } from '../db/steps/migration-files.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { KubeObject } from '../kube/kube-object.js';
import { specSchema, type BatonSpec } from '../spec/schema.js';

export type { MigrationFile } from '../db/steps/migration-files.js';

/**
 * What a release is made of, as data: the resolved spec, the manifests' objects and the content of
 * the migrations. Front ends load these (from files, a CR, a request body); use cases never read
 * a path.
 */
export interface ReleaseInputs {
  spec: BatonSpec;
  manifests: readonly KubeObject[];
  /** The files of spec.database.migrations.dir; required when the spec names migrations. */
  migrations?: readonly MigrationFile[];
  /** Where database backups are written. Default spec.database.backup.dir as written. */
  backupDir?: string;
}

/**
 * The inputs as the journal's run-started entry keeps them, so resume, promote, abort, rollback and
 * report need nothing but the journal. Secrets stay out: Secret manifests are dropped (baton never
 * applies them) and a literal database URL (`{value}`) is replaced by a marker.
 */
export function recordInputs(inputs: ReleaseInputs): JsonObject {
  return {
    spec: toJson(redactSpec(inputs.spec)),
    manifests: inputs.manifests.filter((m) => m.kind !== 'Secret').map((m) => toJson(m)),
    migrations: (inputs.migrations ?? []).map((f) => ({ name: f.name, text: f.text })),
    ...(inputs.backupDir !== undefined ? { backupDir: inputs.backupDir } : {}),
  };
}

const recordedSchema = z.object({
  spec: z.unknown(),
  manifests: z.array(z.object({ apiVersion: z.string(), kind: z.string(), metadata: z.object({ name: z.string() }).loose() }).loose()),
  migrations: z.array(migrationFileSchema),
  backupDir: z.string().optional(),
});

/** The inputs a run recorded, or undefined for a run recorded before baton kept them. */
export function recordedInputs(meta: JsonObject): ReleaseInputs | undefined {
  const parsed = recordedSchema.safeParse(meta.inputs);
  if (!parsed.success) return undefined;
  const spec = specSchema.safeParse(parsed.data.spec);
  if (!spec.success) return undefined;
  const manifests: KubeObject[] = parsed.data.manifests.map((m) => ({ ...m, metadata: { ...m.metadata, name: m.metadata.name } }));
  return {
    spec: spec.data,
    manifests,
    migrations: parsed.data.migrations,
    ...(parsed.data.backupDir !== undefined ? { backupDir: parsed.data.backupDir } : {}),
  };
}

function redactSpec(spec: BatonSpec): BatonSpec {
  const url = spec.database?.url;
  if (!spec.database || !url || !('value' in url)) return spec;
  return { ...spec, database: { ...spec.database, url: { value: 'redacted://(a literal URL is not journaled)' } } };
}

/** A JSON copy of plain data (zod output, Kubernetes objects): drops undefined, keeps the rest. */
export function toJson(value: unknown): JsonObject {
  const copy: JsonValue = JSON.parse(JSON.stringify(value ?? {}));
  if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) return {};
  return copy;
}
