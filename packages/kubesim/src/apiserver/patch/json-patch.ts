import { ApiError, errors } from '../api-error.js';
import { clone, deepEqual, isObject } from '../types.js';

function unescapePointerToken(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw errors.badRequest(`json patch path "${p}" must start with "/"`);
  return p.slice(1).split('/').map(unescapePointerToken);
}

function parentOf(doc: unknown, path: string[], op: string): { parent: unknown; last: string } {
  let cur = doc;
  for (const seg of path.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObject(cur)) cur = cur[seg];
    else cur = undefined;
    if (cur === undefined) throw invalid(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
  }
  return { parent: cur, last: path[path.length - 1] ?? '' };
}

function invalid(message: string): ApiError {
  return new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`);
}

function getAt(doc: unknown, path: string[]): unknown {
  let cur = doc;
  for (const seg of path) {
    cur = Array.isArray(cur) ? cur[Number(seg)] : isObject(cur) ? cur[seg] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

function add(doc: unknown, path: string[], value: unknown, op: string): unknown {
  if (path.length === 0) return value;
  const { parent, last } = parentOf(doc, path, op);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw invalid(`${op} operation does not apply: index out of range: ${last}`);
    parent.splice(i, 0, value);
  } else if (isObject(parent)) parent[last] = value;
  else throw invalid(`${op} operation does not apply: doc is missing path: "/${path.join('/')}"`);
  return doc;
}

function remove(doc: unknown, path: string[], op: string): unknown {
  const { parent, last } = parentOf(doc, path, op);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length)
      throw invalid(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
    parent.splice(i, 1);
  } else if (isObject(parent) && last in parent) delete parent[last];
  else throw invalid(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
  return doc;
}

/** RFC 6902 JSON Patch (add, remove, replace, move, copy, test). */
export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw errors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target);
  for (const raw of patch) {
    if (!isObject(raw) || typeof raw['op'] !== 'string' || typeof raw['path'] !== 'string')
      throw errors.badRequest('invalid JSON patch operation');
    const op = raw['op'];
    const path = parsePointer(raw['path']);
    switch (op) {
      case 'add':
        doc = add(doc, path, clone(raw['value']), op);
        break;
      case 'remove':
        doc = remove(doc, path, op);
        break;
      case 'replace':
        if (getAt(doc, path) === undefined)
          throw invalid(`replace operation does not apply: doc is missing key: /${path.join('/')}: missing value`);
        doc = path.length === 0 ? clone(raw['value']) : add(remove(doc, path, op), path, clone(raw['value']), op);
        break;
      case 'move':
      case 'copy': {
        const from = parsePointer(String(raw['from'] ?? ''));
        const v = getAt(doc, from);
        if (v === undefined) throw invalid(`${op} operation does not apply: doc is missing from path: ${String(raw['from'])}`);
        if (op === 'move') doc = remove(doc, from, op);
        doc = add(doc, path, clone(v), op);
        break;
      }
      case 'test':
        if (!deepEqual(getAt(doc, path), raw['value'])) throw invalid(`testing value /${path.join('/')} failed: test failed`);
        break;
      default:
        throw errors.badRequest(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}
