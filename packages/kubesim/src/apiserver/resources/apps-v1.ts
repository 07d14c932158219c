import type { StatusCause } from '../api-error.js';
import { fieldErrors } from '../field-errors.js';
import { schemas } from './field-schemas.js';
import type { ResourceDescriptor } from '../resource-descriptor.js';
import { isObject, type KubeObject } from '../types.js';
import { defaultTemplate, selectorString, setDefault, specOf, validateSelectorAndTemplate } from './workload-common.js';

function intOrPercent(v: unknown, field: string, out: StatusCause[]): number | undefined {
  if (typeof v === 'number') {
    if (v < 0) out.push(fieldErrors.invalid(field, v, 'must be greater than or equal to 0'));
    return v;
  }
  if (typeof v === 'string') {
    const m = v.match(/^(\d+)%$/);
    if (!m) {
      out.push(
        fieldErrors.invalid(
          field,
          v,
          "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        ),
      );
      return undefined;
    }
    return Number(m[1]);
  }
  return undefined;
}

function validateDeployment(o: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateSelectorAndTemplate(o, old, 'deployment', ['Always']);
  const st = specOf(o)['strategy'];
  if (isObject(st)) {
    const type = st['type'];
    if (type === 'Recreate' && st['rollingUpdate'] !== undefined && st['rollingUpdate'] !== null) {
      out.push(fieldErrors.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    }
    const ru = isObject(st['rollingUpdate']) ? st['rollingUpdate'] : undefined;
    if (ru) {
      const mu = intOrPercent(ru['maxUnavailable'], 'spec.strategy.rollingUpdate.maxUnavailable', out);
      const ms = intOrPercent(ru['maxSurge'], 'spec.strategy.rollingUpdate.maxSurge', out);
      if (mu === 0 && ms === 0)
        out.push(
          fieldErrors.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru['maxUnavailable'], 'may not be 0 when `maxSurge` is 0'),
        );
      if (typeof ru['maxUnavailable'] === 'string' && (mu ?? 0) > 100)
        out.push(fieldErrors.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru['maxUnavailable'], 'must not be greater than 100%'));
    }
  }
  const pds = specOf(o)['progressDeadlineSeconds'];
  const mrs = specOf(o)['minReadySeconds'];
  if (typeof pds === 'number' && typeof mrs === 'number' && pds <= mrs) {
    out.push(fieldErrors.invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return out;
}

export const deployments: ResourceDescriptor = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  singular: 'deployment',
  kind: 'Deployment',
  fields: schemas.Deployment,
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  generation: true,
  nameRule: 'subdomain',
  defaults(o) {
    const s = specOf(o);
    setDefault(s, 'replicas', 1);
    const st = isObject(s['strategy']) ? s['strategy'] : ((s['strategy'] = {}) as Record<string, unknown>);
    setDefault(st, 'type', 'RollingUpdate');
    if (st['type'] === 'RollingUpdate') {
      const ru = isObject(st['rollingUpdate']) ? st['rollingUpdate'] : ((st['rollingUpdate'] = {}) as Record<string, unknown>);
      setDefault(ru, 'maxUnavailable', '25%');
      setDefault(ru, 'maxSurge', '25%');
    }
    setDefault(s, 'revisionHistoryLimit', 10);
    setDefault(s, 'progressDeadlineSeconds', 600);
    defaultTemplate(s);
  },
  validate: validateDeployment,
  scale: { selector: selectorString },
};

export const replicasets: ResourceDescriptor = {
  group: 'apps',
  version: 'v1',
  resource: 'replicasets',
  singular: 'replicaset',
  kind: 'ReplicaSet',
  fields: schemas.ReplicaSet,
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  generation: true,
  nameRule: 'subdomain',
  defaults(o) {
    const s = specOf(o);
    setDefault(s, 'replicas', 1);
    defaultTemplate(s);
  },
  validate: (o, old) => validateSelectorAndTemplate(o, old, 'replicaset', ['Always']),
  scale: { selector: selectorString },
};

export const controllerrevisions: ResourceDescriptor = {
  group: 'apps',
  version: 'v1',
  resource: 'controllerrevisions',
  singular: 'controllerrevision',
  kind: 'ControllerRevision',
  fields: schemas.ControllerRevision,
  namespaced: true,
  subresources: [],
  nameRule: 'subdomain',
};

export const appsV1 = [deployments, replicasets, controllerrevisions];
