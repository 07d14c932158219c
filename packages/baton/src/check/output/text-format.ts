import { isAbsolute, relative, sep } from 'node:path';
import type { Finding, Severity } from '../finding.js';

const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Human output: findings grouped by file, each as `line:column  severity  rule  message` with the
 * hint below it, and a one-line summary. Files keep the order they first appear in; files under
 * `root` are shown relative to it.
 */
export function formatText(findings: readonly Finding[], options: { root?: string } = {}): string {
  if (findings.length === 0) return 'No problems found.\n';
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = finding.file === undefined ? '(no file)' : display(finding.file, options.root);
    byFile.set(key, [...(byFile.get(key) ?? []), finding]);
  }
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push(file);
    const sorted = [...list].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || order[a.severity] - order[b.severity]);
    for (const f of sorted) {
      const where = `${f.line ?? '-'}:${f.column ?? 1}`;
      lines.push(`  ${where.padEnd(7)} ${f.severity.padEnd(7)} ${f.ruleId}  ${f.message}`);
      lines.push(`  ${' '.repeat(7)} ${' '.repeat(7)} hint: ${f.hint}`);
    }
    lines.push('');
  }
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  lines.push(
    `${findings.length} problem${findings.length === 1 ? '' : 's'} (${count('error')} error, ${count('warning')} warning, ${count('info')} info)`,
  );
  return `${lines.join('\n')}\n`;
}

function display(file: string, root: string | undefined): string {
  if (root === undefined || !isAbsolute(file)) return file;
  const path = relative(root, file);
  return path.startsWith(`..${sep}`) || path === '..' || isAbsolute(path) ? file : path;
}
