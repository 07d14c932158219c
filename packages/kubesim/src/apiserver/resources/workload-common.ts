import type { StatusCause } from '../api-error.js';
import { fieldErrors } from '../field-errors.js';
import { fromLabelSelector, matchesSelector, selectorToString } from '../selectors.js';
import { deepEqual, isObject, type KubeObject } from '../types.js';
import { validateLabels } from './names.js';
import { defaultPodSpec, validatePodSpec } from './pod-spec.js';

type Obj = Record<string, unknown>;

export function specOf(o: KubeObject): Obj {
  return isObject(o['spec']) ? o['spec'] : ((o['spec'] = {}) as Obj);
}

export function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

/** Defaults spec.template.spec as a pod would be defaulted. */
export function defaultTemplate(s: Obj): void {
  const t = isObject(s['template']) ? s['template'] : undefined;
  if (t) defaultPodSpec(t['spec']);
}

/** Go's %#v of map[string]string, which real messages print for label maps. */
export function goMap(m: unknown): string {
  if (!isObject(m)) return 'map[string]string(nil)';
  return `map[string]string{${Object.entries(m)
    .map(([k, v]) => `"${k}":"${String(v)}"`)
    .join(', ')}}`;
}

/**
 * The selector/template checks shared by Deployment, ReplicaSet and Job: selector required and
 * non-empty, template labels matching it, template pod spec valid, replicas non-negative.
 */
export function validateSelectorAndTemplate(
  o: KubeObject,
  old: KubeObject | undefined,
  kindLower: string,
  restartPolicies: string[],
): StatusCause[] {
  const out: StatusCause[] = [];
  const s = specOf(o);
  const sel = s['selector'];
  const tpl = isObject(s['template']) ? s['template'] : undefined;
  const tplMeta = tpl && isObject(tpl['metadata']) ? tpl['metadata'] : {};
  const labels = isObject(tplMeta['labels']) ? (tplMeta['labels'] as Record<string, string>) : {};
  if (!isObject(sel)) out.push(fieldErrors.required('spec.selector'));
  else {
    const req = fromLabelSelector(sel);
    if (req.length === 0)
      out.push(fieldErrors.invalid('spec.selector', selectorToString(req), `empty selector is invalid for ${kindLower}`));
    else if (!matchesSelector(req, labels)) {
      out.push({
        reason: 'FieldValueInvalid',
        field: 'spec.template.metadata.labels',
        message: `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``,
      });
    }
  }
  out.push(...validateLabels(tplMeta['labels'], 'spec.template.metadata.labels'));
  if (!tpl) out.push(fieldErrors.required('spec.template'));
  else {
    out.push(...validatePodSpec(tpl['spec'], 'spec.template.spec'));
    const rp = isObject(tpl['spec']) ? tpl['spec']['restartPolicy'] : undefined;
    if (rp !== undefined && !restartPolicies.includes(String(rp))) {
      out.push(fieldErrors.notSupported('spec.template.spec.restartPolicy', rp, restartPolicies));
    }
  }
  for (const k of ['replicas', 'parallelism', 'completions', 'backoffLimit', 'revisionHistoryLimit', 'minReadySeconds']) {
    const v = s[k];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
      out.push(fieldErrors.invalid(`spec.${k}`, v, 'must be greater than or equal to 0'));
    }
  }
  if (old && isObject(old['spec']) && !deepEqual(old['spec']['selector'], s['selector'])) {
    out.push(fieldErrors.invalid('spec.selector', s['selector'] ?? null, 'field is immutable'));
  }
  return out;
}

export function selectorString(o: KubeObject): string {
  return selectorToString(fromLabelSelector(specOf(o)['selector']));
}
