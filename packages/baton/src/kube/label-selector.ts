import type { KubeObject } from './kube-object.js';

/** `{app: "web", tier: "api"}` -> `app=web,tier=api`, the labelSelector query a list or watch takes. */
export function selectorString(labels: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Whether `labels` carry every key=value of `selector` (an empty selector matches anything). */
export function matchesLabels(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** A Service object's spec.selector, or {} when it has none. */
export function serviceSelector(service: KubeObject | undefined): Record<string, string> {
  const spec = service?.['spec'];
  const selector = typeof spec === 'object' && spec !== null ? (spec as { selector?: unknown }).selector : undefined;
  return typeof selector === 'object' && selector !== null ? (selector as Record<string, string>) : {};
}
