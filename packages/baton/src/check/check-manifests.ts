import { loadManifests } from '../manifests/load-manifests.js';
import type { LoadedManifest } from '../manifests/loaded-manifest.js';
import type { Finding } from './finding.js';
import type { ManifestContext, ManifestRule } from './manifest/manifest-rule.js';
import { manifestRules } from './rules/manifest-rules.js';

/**
 * Lints Kubernetes manifests (files or directories) against the zero-downtime checklist. Every
 * finding carries the file and line of the offending field. Throws what loadManifests throws
 * (MANIFEST_PARSE, MANIFEST_INVALID, MANIFEST_PATH): a manifest baton cannot read is not lintable.
 */
export async function checkManifests(options: { paths: string[]; context?: ManifestContext }): Promise<Finding[]> {
  return lintManifests(await loadManifests(options.paths), options.context);
}

/** The rules over already loaded manifests, for callers that loaded them anyway. */
export function lintManifests(manifests: readonly LoadedManifest[], context: ManifestContext = {}): Finding[] {
  const findings: Finding[] = [];
  for (const [ruleId, rule] of Object.entries(manifestRules) as [string, ManifestRule][]) {
    for (const hit of rule.check(manifests, context)) {
      findings.push({
        ruleId,
        severity: hit.severity ?? rule.severity,
        message: hit.message,
        hint: hit.hint,
        file: hit.manifest.file,
        line: hit.manifest.pathLine(hit.path),
      });
    }
  }
  return findings.sort(
    (a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.ruleId.localeCompare(b.ruleId),
  );
}
