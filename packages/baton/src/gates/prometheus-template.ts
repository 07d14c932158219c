import { BatonError } from '../errors.js';

/** What a Prometheus gate's query may refer to: the release under test and the ones before it. */
export interface ReleaseScope {
  /** The new release's `baton.dev/release` label value, e.g. "v2". */
  version: string;
  /** The label values of the releases serving before it. */
  previousVersions: string[];
  /**
   * The label your metrics carry the release under. Default `baton_dev_release`: what Prometheus'
   * Kubernetes pod discovery gives the pod label `baton.dev/release` with the usual
   * `labelmap: __meta_kubernetes_pod_label_(.+)` relabeling.
   */
  label: string;
}

/** Template variables a Prometheus gate's query may use, as `{{ name }}` (spaces optional). */
export const PROMETHEUS_TEMPLATE_VARIABLES = [
  'release.version',
  'release.newSelector',
  'release.previousSelector',
  'release.label',
  'app',
  'namespace',
] as const;

const placeholder = /\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g;

/** Escapes a value for a PromQL double-quoted string. */
function quoted(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
}

/** Escapes a value for a PromQL regex alternative (=~). */
function regexQuoted(value: string): string {
  return quoted(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** Throws GATE_INVALID for a variable the query cannot have filled (checked when the gate is built). */
export function checkTemplate(query: string, hasRelease: boolean): void {
  for (const m of query.matchAll(placeholder)) {
    const name = m[1] ?? '';
    if (!(PROMETHEUS_TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
      throw new BatonError('GATE_INVALID', `prometheus gate: unknown template variable {{ ${name} }}`, {
        hint: `known: ${PROMETHEUS_TEMPLATE_VARIABLES.map((v) => `{{ ${v} }}`).join(', ')}`,
      });
    }
    if (name.startsWith('release.') && !hasRelease) {
      throw new BatonError('GATE_INVALID', `prometheus gate: {{ ${name} }} needs the release under test, and this gate has none`, {
        hint: 'use it in a canary or A/B step of baton.yaml, where baton knows the new release',
      });
    }
  }
}

/**
 * Fills a query's `{{ ... }}` variables, as Argo Rollouts fills `{{args.name}}` in an analysis:
 * `{{ release.newSelector }}` becomes `baton_dev_release="v2"` (the new version's pods only),
 * `{{ release.previousSelector }}` `baton_dev_release=~"v1"`, `{{ release.version }}` `v2`.
 * A release variable without a scope, or an unknown variable, is GATE_INVALID.
 */
export function renderPrometheusQuery(
  query: string,
  values: { release?: ReleaseScope | undefined; app: string; namespace: string },
): string {
  return query.replace(placeholder, (_whole, name: string) => {
    const r = values.release;
    if (name === 'app') return values.app;
    if (name === 'namespace') return values.namespace;
    if (r !== undefined) {
      if (name === 'release.version') return r.version;
      if (name === 'release.label') return r.label;
      if (name === 'release.newSelector') return `${r.label}="${quoted(r.version)}"`;
      if (name === 'release.previousSelector') {
        // No previous release: a matcher that matches nothing, never one that matches everything.
        return r.previousVersions.length === 0 ? `${r.label}="__none__"` : `${r.label}=~"${r.previousVersions.map(regexQuoted).join('|')}"`;
      }
    }
    checkTemplate(`{{${name}}}`, r !== undefined);
    throw new BatonError('GATE_INVALID', `prometheus gate: cannot fill {{ ${name} }}`);
  });
}
