import type { LoadedManifest } from '../../manifests/loaded-manifest.js';
import type { Severity } from '../finding.js';
import type { DrainSpec } from '../../spec/schema.js';

/** One problem a manifest rule found, located by the path of the offending (or lacking) field. */
export interface ManifestHit {
  manifest: LoadedManifest;
  path: (string | number)[];
  message: string;
  hint: string;
  /** Overrides the rule's default severity for this hit. */
  severity?: Severity;
}

/**
 * A manifest lint rule: one file in rules/manifest/, one entry in the manifest rule map. Rules see
 * every loaded object at once, so cross-object checks (a PodDisruptionBudget for a Deployment)
 * need no special case.
 */
export interface ManifestRule {
  severity: Severity;
  /** One line for SARIF's rule description and docs/check.md. */
  summary: string;
  check(manifests: readonly LoadedManifest[], context: ManifestContext): ManifestHit[];
}

/** What a spec says about the app beyond its manifests (when `baton check` runs with one). */
export interface ManifestContext {
  /** The spec's drain: its deadline and the longest stream the app serves. */
  drain?: DrainSpec | undefined;
}
