import { errors } from '../api-error.js';
import { clone, isObject } from '../types.js';

/** RFC 7386 JSON Merge Patch: objects merge recursively, null deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) {
    if (Array.isArray(patch)) throw errors.badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
    return clone(patch);
  }
  const out: Record<string, unknown> = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = isObject(v) ? applyMergePatch(out[k], v) : clone(v);
  }
  return out;
}
