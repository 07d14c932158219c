import { BatonError } from '../../errors.js';

/** Why a migrations folder cannot run. Every problem is found before anything is applied. */
export type MigrationProblemCode =
  | 'bad-name'
  | 'gap'
  | 'duplicate'
  | 'unknown-header'
  | 'bad-header'
  | 'phase-mismatch'
  | 'sql-parse'
  | 'concurrently-in-transaction'
  | 'checksum-mismatch'
  | 'missing-file';

export interface MigrationProblem {
  code: MigrationProblemCode;
  message: string;
  file?: string;
  line?: number;
}

/** Thrown when validation finds problems; `problems` lists all of them, not just the first. */
export class MigrationsInvalidError extends BatonError {
  readonly problems: MigrationProblem[];

  constructor(problems: MigrationProblem[], hint?: string) {
    const lines = problems.map((p) => `  ${p.file ?? ''}${p.line ? `:${p.line}` : ''}${p.file ? ': ' : ''}${p.message}`);
    const first = problems[0]?.code ?? 'bad-name';
    super(
      first === 'checksum-mismatch' ? 'MIGRATION_CHECKSUM_MISMATCH' : 'MIGRATIONS_INVALID',
      `migrations cannot run (nothing was applied):\n${lines.join('\n')}`,
      { hint: hint ?? 'fix the listed files; applied migrations must never be edited (write a new migration instead)' },
    );
    this.problems = problems;
  }
}
