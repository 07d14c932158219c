import type { StatusCause } from '../api-error.js';
import { fieldErrors } from '../field-errors.js';
import { isObject } from '../types.js';
import { validateName } from './names.js';
import { validateContainerDetails, validateVolumes } from './pod-spec-details.js';

type Obj = Record<string, unknown>;

function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = value;
}

/** Always for ":latest" or untagged images (digests count as tagged), otherwise IfNotPresent. */
export function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.split('/').pop() ?? '';
  const tag = last.includes(':') ? last.slice(last.lastIndexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: unknown): void {
  if (!isObject(p)) return;
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  if (isObject(p['httpGet'])) setDefault(p['httpGet'], 'scheme', 'HTTP');
}

function defaultContainer(c: unknown): void {
  if (!isObject(c)) return;
  if (typeof c['image'] === 'string') setDefault(c, 'imagePullPolicy', defaultPullPolicy(c['image']));
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  if (c['resources'] === undefined) c['resources'] = {};
  if (Array.isArray(c['ports'])) for (const p of c['ports']) if (isObject(p)) setDefault(p, 'protocol', 'TCP');
  for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[k]);
  if (Array.isArray(c['env'])) {
    for (const e of c['env']) {
      const fr = isObject(e) && isObject(e['valueFrom']) ? e['valueFrom']['fieldRef'] : undefined;
      if (isObject(fr)) setDefault(fr, 'apiVersion', 'v1');
    }
  }
}

/** Pod spec defaults as the real apiserver applies them (pods and every pod template). */
export function defaultPodSpec(spec: unknown): void {
  if (!isObject(spec)) return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  if (spec['securityContext'] === undefined) spec['securityContext'] = {};
  for (const k of ['containers', 'initContainers']) {
    if (Array.isArray(spec[k])) for (const c of spec[k]) defaultContainer(c);
  }
  if (Array.isArray(spec['volumes'])) {
    for (const v of spec['volumes']) {
      if (isObject(v) && isObject(v['configMap'])) setDefault(v['configMap'], 'defaultMode', 420);
      if (isObject(v) && isObject(v['secret'])) setDefault(v['secret'], 'defaultMode', 420);
    }
  }
}

// Enums (restartPolicy, imagePullPolicy, protocol, ...) are checked from the schema: field-schemas.ts.

function validateContainers(list: unknown, path: string, required: boolean, names: Set<string>, volumes: Set<string>): StatusCause[] {
  const out: StatusCause[] = [];
  if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) {
    if (required) out.push(fieldErrors.required(path));
    return out;
  }
  if (!Array.isArray(list)) return [fieldErrors.invalid(path, list, 'must be a list')];
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(c)) {
      out.push(fieldErrors.invalid(p, c, 'must be an object'));
      return;
    }
    const name = c['name'];
    if (typeof name !== 'string' || name === '') out.push(fieldErrors.required(`${p}.name`));
    else {
      out.push(...validateName(name, 'label', `${p}.name`));
      if (names.has(name)) out.push(fieldErrors.duplicate(`${p}.name`, name));
      names.add(name);
    }
    if (typeof c['image'] !== 'string' || c['image'].trim() === '') out.push(fieldErrors.required(`${p}.image`));
    if (Array.isArray(c['ports'])) {
      c['ports'].forEach((port, j) => {
        const pp = `${p}.ports[${j}]`;
        const n = isObject(port) ? port['containerPort'] : undefined;
        if (n === undefined) out.push(fieldErrors.required(`${pp}.containerPort`));
        else if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
          out.push(fieldErrors.invalid(`${pp}.containerPort`, n, 'must be between 1 and 65535, inclusive'));
        }
      });
    }
    // Port names are unique within a container (upstream allows the same name in two containers).
    validateContainerDetails(c, p, volumes, new Set<string>(), out);
  });
  return out;
}

/** Pod spec validation shared by pods and templates; `path` is e.g. "spec" or "spec.template.spec". */
export function validatePodSpec(spec: unknown, path: string): StatusCause[] {
  if (!isObject(spec)) return [fieldErrors.required(path)];
  const names = new Set<string>();
  const out: StatusCause[] = [];
  const volumes = validateVolumes(spec, path, out);
  out.push(
    ...validateContainers(spec['containers'], `${path}.containers`, true, names, volumes),
    ...validateContainers(spec['initContainers'], `${path}.initContainers`, false, names, volumes),
  );
  const tg = spec['terminationGracePeriodSeconds'];
  if (tg !== undefined && (typeof tg !== 'number' || tg < 0))
    out.push(fieldErrors.invalid(`${path}.terminationGracePeriodSeconds`, tg, 'must be greater than or equal to 0'));
  return out;
}
