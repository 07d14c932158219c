import { readdir } from 'node:fs/promises';
import { readMigrationText } from '../db/migrations/read-migration-text.js';
import { isAbsolute, join, resolve } from 'node:path';
import type { MigrationFile } from '../db/steps/migration-files.js';
import { BatonError } from '../errors.js';
import type { KubeObject } from '../kube/kube-object.js';
import { loadManifests } from '../manifests/load-manifests.js';
import { refuseMalformedWorkloads } from '../manifests/workload-shape.js';
import { loadSpec, type LoadedSpec } from './load-spec.js';
import type { BatonSpec } from './schema.js';

/** A release's inputs read from files: what operations/ takes as ReleaseInputs. */
export interface LoadedRelease {
  spec: BatonSpec;
  manifests: KubeObject[];
  migrations?: MigrationFile[];
  backupDir: string;
}

/**
 * The one place front ends (CLI, controller) turn files into a release's data: baton.yaml, its manifests and its
 * migrations folder, read once. Bad input fails here, before any connection.
 */
export async function loadRelease(specPath: string): Promise<{ loaded: LoadedSpec; inputs: LoadedRelease }> {
  const loaded = await loadSpec(specPath);
  const files = await loadManifests(loaded.manifestPaths);
  refuseMalformedWorkloads(files);
  const manifests: KubeObject[] = files.map((m) => m.object);
  const migrations = loaded.migrationsDir ? await readMigrationFiles(loaded.migrationsDir) : undefined;
  const backupDir = loaded.spec.database?.backup?.dir ?? '.baton/backups';
  return {
    loaded,
    inputs: {
      spec: loaded.spec,
      manifests,
      ...(migrations ? { migrations } : {}),
      backupDir: isAbsolute(backupDir) ? backupDir : resolve(loaded.dir, backupDir),
    },
  };
}

/** Every *.sql file of a migrations folder, by name, in name order. */
export async function readMigrationFiles(dir: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  } catch (cause) {
    throw new BatonError('MIGRATIONS_DIR', `cannot read the migrations directory ${dir}`, {
      cause,
      hint: 'fix database.migrations.dir in baton.yaml (relative to the spec file)',
    });
  }
  return Promise.all(names.map(async (name) => ({ name, text: await readMigrationText(join(dir, name)) })));
}
