import type { LiveFigures } from './migration/table-size.js';

/** How bad a finding is: `error` fails `baton check` (exit 1), the others only inform. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One problem found by `baton check` in a migration or a manifest. Serializable as-is: the
 * json output prints it unchanged and the sarif output maps it to a result.
 */
export interface Finding {
  /** Stable rule id, e.g. `rename-column`; also the SARIF rule id. */
  ruleId: string;
  severity: Severity;
  /** What is wrong, naming the object (table, column, container...). */
  message: string;
  /** The safe alternative, concrete. */
  hint: string;
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** With `--database`: the live table figures the finding's severity was judged by. */
  live?: LiveFigures;
}
