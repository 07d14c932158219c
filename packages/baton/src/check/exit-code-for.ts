import type { Finding } from './finding.js';

/** The process exit code for `baton check`: 1 when any finding is an error, else 0. */
export function exitCodeFor(findings: readonly Finding[]): 0 | 1 {
  return findings.some((finding) => finding.severity === 'error') ? 1 : 0;
}
