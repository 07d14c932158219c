import type { Finding } from './finding.js';
import { formatSarif } from './output/sarif-format.js';
import { formatText } from './output/text-format.js';

/** Output formats of `baton check --output`. */
export type FindingsFormat = 'text' | 'json' | 'sarif';

type Formatter = (findings: readonly Finding[], options: { root: string }) => string;

const formatters: Record<FindingsFormat, Formatter> = {
  text: formatText,
  json: (findings) =>
    `${JSON.stringify({ apiVersion: 'baton.dev/v1alpha1', kind: 'CheckResult', findings, summary: summarize(findings) }, null, 2)}\n`,
  sarif: formatSarif,
};

function summarize(findings: readonly Finding[]): Record<Finding['severity'], number> {
  return {
    error: findings.filter((f) => f.severity === 'error').length,
    warning: findings.filter((f) => f.severity === 'warning').length,
    info: findings.filter((f) => f.severity === 'info').length,
  };
}

/**
 * Renders findings. `text`: grouped by file with hints (paths under `root` shown relative);
 * `json`: `{ apiVersion, kind: 'CheckResult', findings, summary }` (paths as given); `sarif`: SARIF 2.1.0 for GitHub code
 * scanning, with paths relative to `options.root` (default: the current directory, i.e. the
 * checkout root in CI).
 */
export function formatFindings(findings: readonly Finding[], format: FindingsFormat, options: { root?: string } = {}): string {
  return formatters[format](findings, { root: options.root ?? process.cwd() });
}
