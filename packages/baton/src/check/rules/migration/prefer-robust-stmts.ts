import type { MigrationRule } from '../../migration/migration-rule.js';
import type { Operation } from '../../migration/operation.js';

const guarded: Partial<Record<Operation['kind'], RegExp>> = {
  'create-index': /\bif\s+not\s+exists\b/i,
  'create-table': /\bif\s+not\s+exists\b/i,
  'drop-index': /\bif\s+exists\b/i,
  'drop-table': /\bif\s+exists\b/i,
};

/**
 * A migration that runs outside a transaction (PostgreSQL CONCURRENTLY files; every MariaDB file,
 * whose DDL commits implicitly) can stop half-way. Its rerun starts again at the first statement,
 * so every statement must be safe to run twice.
 */
export const preferRobustStmts: MigrationRule = {
  severity: 'warning',
  summary:
    'a multi-statement migration that runs outside a transaction should use IF [NOT] EXISTS so a rerun after a partial failure succeeds',
  dialects: ['postgres', 'mysql'],
  check: ({ operations, dialect }) => {
    const statements = new Set(operations.map((op) => `${op.location.line}:${op.location.column}`));
    const outside =
      dialect === 'mysql' || operations.some((op) => (op.kind === 'create-index' || op.kind === 'drop-index') && op.concurrently);
    if (!outside || statements.size < 2) return [];
    return operations
      .filter((op) => guarded[op.kind] !== undefined && !guarded[op.kind]?.test(op.sql))
      .map((op) => ({
        location: op.location,
        message: `this file runs outside a transaction and holds ${statements.size} statements: if a later one fails, the rerun fails here on "already exists" / "does not exist"`,
        hint: `Write ${op.kind.startsWith('create') ? 'IF NOT EXISTS' : 'IF EXISTS'} here (baton drops an INVALID index left by an interrupted CONCURRENTLY build before the rerun), or put each statement in its own migration.`,
      }));
  },
};
