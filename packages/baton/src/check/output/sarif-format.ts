import { isAbsolute, relative, sep } from 'node:path';
import type { Finding, Severity } from '../finding.js';
import { ruleCatalog } from '../rule-catalog.js';

const levels: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A file path as a SARIF artifact URI relative to the checkout root (what code scanning maps). */
function artifactUri(file: string, root: string): string {
  const path = isAbsolute(file) ? relative(root, file) : file;
  return path.split(sep).map(encodeURIComponent).join('/');
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one run, tool.driver.rules listing every rule (id, short
 * and full description, help, default level), results with ruleId/ruleIndex, level, message
 * (the hint appended) and one physical location relative to `root` (%SRCROOT%).
 */
export function formatSarif(findings: readonly Finding[], options: { root: string; version?: string }): string {
  const catalog = ruleCatalog();
  const known = new Set(catalog.map((rule) => rule.id));
  // A finding from a rule outside the catalog still gets a rule entry: SARIF needs every ruleId described.
  for (const finding of findings) {
    if (!known.has(finding.ruleId)) {
      catalog.push({ id: finding.ruleId, severity: finding.severity, summary: finding.ruleId, kind: 'migration' });
      known.add(finding.ruleId);
    }
  }
  const index = new Map(catalog.map((rule, i) => [rule.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'baton',
            version: options.version ?? '0.1.0',
            rules: catalog.map((rule) => ({
              id: rule.id,
              name: rule.id
                .split('-')
                .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
                .join(''),
              shortDescription: { text: rule.summary },
              fullDescription: { text: `${rule.kind === 'migration' ? 'Migration' : 'Manifest'} rule: ${rule.summary}.` },
              // Rule metadata is static; the concrete safe alternative for the object at hand is
              // in each result's message, after "Fix:".
              help: {
                text: `${rule.summary}. Each result names the object and the safe alternative after "Fix:". Rule reference: packages/baton/docs/check.md.`,
                markdown: `**${rule.id}**: ${rule.summary}.\n\nEach result names the object and the safe alternative after *Fix:*. Rule reference: \`packages/baton/docs/check.md\`.`,
              },
              defaultConfiguration: { level: levels[rule.severity] },
              properties: { tags: [rule.kind, 'zero-downtime'] },
            })),
          },
        },
        originalUriBaseIds: {
          '%SRCROOT%': { uri: `file://${options.root.split(sep).map(encodeURIComponent).join('/').replace(/\/?$/, '/')}` },
        },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId) ?? 0,
          level: levels[f.severity],
          message: { text: `${f.message}. Fix: ${f.hint}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(f.file ?? '.', options.root), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line ?? 1, startColumn: f.column ?? 1 },
              },
            },
          ],
          // The live table figures a --database finding was judged by (SARIF's property bag).
          ...(f.live ? { properties: { live: f.live } } : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
