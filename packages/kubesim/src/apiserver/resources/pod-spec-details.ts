import type { StatusCause } from '../api-error.js';
import { fieldErrors } from '../field-errors.js';
import { isObject } from '../types.js';
import { validateName } from './names.js';

type Obj = Record<string, unknown>;

/** The named-port rule (IANA_SVC_NAME) for container port names and named targetPorts. */
export function validatePortName(name: string, field: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (name.length > 15) out.push(fieldErrors.invalid(field, name, 'must be no more than 15 characters'));
  if (!/^[-a-z0-9]+$/.test(name))
    out.push(fieldErrors.invalid(field, name, 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'));
  if (name.includes('--')) out.push(fieldErrors.invalid(field, name, 'must not contain consecutive hyphens'));
  if (!/[a-z]/.test(name)) out.push(fieldErrors.invalid(field, name, 'must contain at least one letter (a-z)'));
  if (/^-|-$/.test(name)) out.push(fieldErrors.invalid(field, name, 'must not begin or end with a hyphen'));
  return out;
}

/** Volume names (required, DNS label, unique) and exactly one source each; returns the names. */
export function validateVolumes(spec: Obj, path: string, out: StatusCause[]): Set<string> {
  const names = new Set<string>();
  const vols = Array.isArray(spec['volumes']) ? spec['volumes'] : [];
  vols.forEach((v, i) => {
    const p = `${path}.volumes[${i}]`;
    if (!isObject(v)) return;
    const name = v['name'];
    if (typeof name !== 'string' || !name) out.push(fieldErrors.required(`${p}.name`));
    else {
      out.push(...validateName(name, 'label', `${p}.name`));
      if (names.has(name)) out.push(fieldErrors.duplicate(`${p}.name`, name));
      names.add(name);
    }
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length === 0) out.push(fieldErrors.required(p, 'must specify a volume type'));
    else if (sources.length > 1) out.push(fieldErrors.forbidden(`${p}.${sources[1]}`, 'may not specify more than 1 volume type'));
  });
  return names;
}

const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function validateProbe(probe: unknown, p: string, successMustBeOne: boolean, out: StatusCause[]): void {
  if (!isObject(probe)) return;
  const set = handlers.filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (set.length === 0) out.push(fieldErrors.required(p, 'must specify a handler type'));
  else if (set.length > 1) out.push(fieldErrors.forbidden(`${p}.${set[1]}`, 'may not specify more than 1 handler type'));
  if (successMustBeOne && probe['successThreshold'] !== undefined && probe['successThreshold'] !== 1) {
    out.push(fieldErrors.invalid(`${p}.successThreshold`, probe['successThreshold'], 'must be 1'));
  }
  for (const k of ['timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'initialDelaySeconds']) {
    const v = probe[k];
    if (v !== undefined && (typeof v !== 'number' || v < 0))
      out.push(fieldErrors.invalid(`${p}.${k}`, v, 'must be greater than or equal to 0'));
  }
}

/**
 * Per-container checks beyond name/image/ports: volume mounts name an existing volume and have
 * unique mount paths, port names follow the IANA rule and are unique across the pod, probes name
 * exactly one handler, env vars have names.
 */
export function validateContainerDetails(c: Obj, p: string, volumes: Set<string>, portNames: Set<string>, out: StatusCause[]): void {
  const paths = new Set<string>();
  (Array.isArray(c['volumeMounts']) ? c['volumeMounts'] : []).forEach((m, j) => {
    if (!isObject(m)) return;
    const mp = `${p}.volumeMounts[${j}]`;
    if (typeof m['name'] !== 'string' || !m['name']) out.push(fieldErrors.required(`${mp}.name`));
    else if (!volumes.has(m['name'])) out.push({ reason: 'FieldValueNotFound', message: `Not found: "${m['name']}"`, field: `${mp}.name` });
    if (typeof m['mountPath'] !== 'string' || !m['mountPath']) out.push(fieldErrors.required(`${mp}.mountPath`));
    else {
      if (paths.has(m['mountPath'])) out.push(fieldErrors.invalid(`${mp}.mountPath`, m['mountPath'], 'must be unique'));
      paths.add(m['mountPath']);
    }
  });
  (Array.isArray(c['ports']) ? c['ports'] : []).forEach((port, j) => {
    const name = isObject(port) ? port['name'] : undefined;
    if (typeof name !== 'string' || !name) return;
    const f = `${p}.ports[${j}].name`;
    out.push(...validatePortName(name, f));
    if (portNames.has(name)) out.push(fieldErrors.duplicate(f, name));
    portNames.add(name);
  });
  // Lifecycle handlers need exactly one action: an older server that dropped an unknown `sleep`
  // (fieldValidation Warn or Ignore) refuses the emptied handler here, as upstream's validateHandler.
  const lifecycle = isObject(c['lifecycle']) ? c['lifecycle'] : {};
  for (const hook of ['postStart', 'preStop']) {
    const h = lifecycle[hook];
    if (!isObject(h)) continue;
    const set = ['exec', 'httpGet', 'tcpSocket', 'sleep'].filter((k) => h[k] !== undefined && h[k] !== null);
    if (set.length === 0) out.push(fieldErrors.required(`${p}.lifecycle.${hook}`, 'must specify a handler type'));
    else if (set.length > 1)
      out.push(fieldErrors.forbidden(`${p}.lifecycle.${hook}.${set[1]}`, 'may not specify more than 1 handler type'));
  }
  validateProbe(c['livenessProbe'], `${p}.livenessProbe`, true, out);
  validateProbe(c['startupProbe'], `${p}.startupProbe`, true, out);
  validateProbe(c['readinessProbe'], `${p}.readinessProbe`, false, out);
  (Array.isArray(c['env']) ? c['env'] : []).forEach((e, j) => {
    if (!isObject(e) || typeof e['name'] !== 'string' || !e['name']) out.push(fieldErrors.required(`${p}.env[${j}].name`));
  });
}
