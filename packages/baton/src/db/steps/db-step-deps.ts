import type { MigrationAnalyzer } from '../migrations/migration-analyzer.js';
import type { SecretResolver } from './db-ref.js';

/** What the db step kinds need from outside; every field has a production default. */
export interface DbStepDeps {
  /** Where {env} references are read. Default process.env (read at run time). */
  env?: NodeJS.ProcessEnv;
  /** Reads Kubernetes Secret keys for {secret} references; the engine passes one built on kube/. */
  resolveSecret?: SecretResolver;
  /** Migration classifier; default check/analyze-migration.ts. */
  analyze?: MigrationAnalyzer;
}
