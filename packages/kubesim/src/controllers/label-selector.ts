import type { V1LabelSelector } from '@kubernetes/client-node';

/**
 * Whether labels match a metav1.LabelSelector. An empty selector ({}) matches everything, a
 * missing one (undefined) matches nothing, as in labels.Everything / labels.Nothing.
 */
export function selectorMatches(selector: V1LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (have[k] !== v) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const val = have[req.key];
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (val === undefined || !values.includes(val)) return false;
        break;
      case 'NotIn':
        if (val !== undefined && values.includes(val)) return false;
        break;
      case 'Exists':
        if (val === undefined) return false;
        break;
      case 'DoesNotExist':
        if (val !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether a plain map selector (Service.spec.selector) matches; empty or missing matches nothing. */
export function mapSelectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  const have = labels ?? {};
  return Object.entries(selector).every(([k, v]) => have[k] === v);
}

/** A label selector in the query-string syntax list calls take ("a=b,c in (d,e)"). */
export function selectorToString(selector: V1LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of selector.matchExpressions ?? []) {
    const vals = (r.values ?? []).join(',');
    if (r.operator === 'In') parts.push(`${r.key} in (${vals})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${vals})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
  }
  return parts.join(',');
}
