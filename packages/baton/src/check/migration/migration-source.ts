import type { SourcePosition } from '../sql/source-position.js';
import { isMigrationPhase, type MigrationPhase } from './migration-phase.js';

/**
 * A migration file split into its parts. Header lines are `-- baton: key=value ...` comments
 * (phase=, timeout=short|long, table=, key=, batch=, allow=rule-a,rule-b); `-- baton: down` starts the down
 * SQL. `up` keeps the file's offsets, so its line numbers are the file's.
 */
export interface MigrationSource {
  headers: ReadonlyMap<string, { value: string; location: SourcePosition }>;
  declaredPhase: MigrationPhase | undefined;
  /** Problems with the header lines themselves (unknown phase, malformed key=value). */
  headerProblems: { message: string; location: SourcePosition }[];
  up: string;
  down: { sql: string; lineOffset: number } | undefined;
}

const headerLine = /^\s*--\s*baton:\s*(.*)$/;

// The keys baton's migration runner (db/migrations) accepts; any other key makes it refuse the
// file, so the linter reports it first.
const knownKeys = new Set(['phase', 'timeout', 'table', 'key', 'batch', 'allow']);
const backfillKeys = ['table', 'key', 'batch'];

export function readMigrationSource(text: string): MigrationSource {
  const lines = text.split('\n');
  const headers = new Map<string, { value: string; location: SourcePosition }>();
  const headerProblems: MigrationSource['headerProblems'] = [];
  let downLine: number | undefined;
  for (const [index, line] of lines.entries()) {
    const match = headerLine.exec(line);
    if (match === null) continue;
    const body = (match[1] ?? '').trim();
    const location = { line: index + 1, column: line.indexOf('baton:') + 1 };
    if (body === 'down') {
      downLine = index;
      break;
    }
    for (const pair of body.split(/\s+/).filter((part) => part !== '')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) {
        headerProblems.push({ message: `malformed baton header "${pair}" (expected key=value)`, location });
        continue;
      }
      const key = pair.slice(0, eq);
      if (!knownKeys.has(key))
        headerProblems.push({ message: `unknown header key "${key}" (known: ${[...knownKeys].join(', ')})`, location });
      else if (headers.has(key)) headerProblems.push({ message: `header key "${key}" given twice`, location });
      else headers.set(key, { value: pair.slice(eq + 1), location });
    }
  }
  const phase = headers.get('phase');
  let declaredPhase: MigrationPhase | undefined;
  if (phase !== undefined) {
    if (isMigrationPhase(phase.value)) declaredPhase = phase.value;
    else
      headerProblems.push({ message: `unknown phase "${phase.value}" (expected expand, backfill or contract)`, location: phase.location });
  }
  const timeout = headers.get('timeout');
  if (timeout !== undefined && timeout.value !== 'short' && timeout.value !== 'long') {
    headerProblems.push({ message: `timeout must be short or long (got "${timeout.value}")`, location: timeout.location });
  }
  if (declaredPhase !== 'backfill') {
    for (const key of backfillKeys) {
      const header = headers.get(key);
      if (header !== undefined) headerProblems.push({ message: `"${key}" only applies to phase=backfill`, location: header.location });
    }
  }
  if (downLine === undefined) return { headers, declaredPhase, headerProblems, up: text, down: undefined };
  return {
    headers,
    declaredPhase,
    headerProblems,
    up: lines.slice(0, downLine).join('\n'),
    down: { sql: lines.slice(downLine + 1).join('\n'), lineOffset: downLine + 1 },
  };
}
