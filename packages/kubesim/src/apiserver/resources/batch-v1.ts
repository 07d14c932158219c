import { fieldErrors } from '../field-errors.js';
import { schemas } from './field-schemas.js';
import type { ResourceDescriptor } from '../resource-descriptor.js';
import { deepEqual, isObject } from '../types.js';
import { defaultTemplate, setDefault, specOf, validateSelectorAndTemplate } from './workload-common.js';

type Obj = Record<string, unknown>;

export const jobs: ResourceDescriptor = {
  group: 'batch',
  version: 'v1',
  resource: 'jobs',
  singular: 'job',
  kind: 'Job',
  fields: schemas.Job,
  namespaced: true,
  categories: ['all'],
  subresources: ['status'],
  generation: true,
  nameRule: 'subdomain',
  // batch/v1 keeps the historical default: deleting a Job without a policy orphans its pods.
  defaultPropagation: 'Orphan',
  prepareForCreate(o) {
    // Unless manualSelector, the server generates a selector on the job's uid and labels the template.
    const s = specOf(o);
    if (s['manualSelector'] === true) return;
    const uid = o.metadata.uid ?? '';
    const name = o.metadata.name ?? '';
    s['selector'] = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    const t = isObject(s['template']) ? s['template'] : ((s['template'] = {}) as Obj);
    const m = isObject(t['metadata']) ? t['metadata'] : ((t['metadata'] = {}) as Obj);
    m['labels'] = {
      ...(isObject(m['labels']) ? m['labels'] : {}),
      'controller-uid': uid,
      'batch.kubernetes.io/controller-uid': uid,
      'job-name': name,
      'batch.kubernetes.io/job-name': name,
    };
  },
  defaults(o) {
    const s = specOf(o);
    setDefault(s, 'parallelism', 1);
    if (s['completionMode'] !== 'Indexed' || s['completions'] === undefined) setDefault(s, 'completions', 1);
    setDefault(s, 'backoffLimit', 6);
    setDefault(s, 'completionMode', 'NonIndexed');
    setDefault(s, 'suspend', false);
    setDefault(s, 'podReplacementPolicy', 'TerminatingOrFailed');
    defaultTemplate(s);
  },
  validate(o, old) {
    const out = validateSelectorAndTemplate(o, old, 'job', ['OnFailure', 'Never']);
    const s = specOf(o);
    if (old && isObject(old['spec'])) {
      if (!deepEqual(old['spec']['template'], s['template'])) out.push(fieldErrors.invalid('spec.template', '', 'field is immutable'));
      if (old['spec']['completions'] !== s['completions'])
        out.push(fieldErrors.invalid('spec.completions', s['completions'] ?? null, 'field is immutable'));
      if (old['spec']['completionMode'] !== s['completionMode'])
        out.push(fieldErrors.invalid('spec.completionMode', s['completionMode'] ?? null, 'field is immutable'));
    }
    return out;
  },
};

export const cronjobs: ResourceDescriptor = {
  group: 'batch',
  version: 'v1',
  resource: 'cronjobs',
  singular: 'cronjob',
  kind: 'CronJob',
  fields: schemas.CronJob,
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  subresources: ['status'],
  generation: true,
  nameRule: 'subdomain',
  defaults(o) {
    const s = specOf(o);
    setDefault(s, 'concurrencyPolicy', 'Allow');
    setDefault(s, 'suspend', false);
    setDefault(s, 'successfulJobsHistoryLimit', 3);
    setDefault(s, 'failedJobsHistoryLimit', 1);
  },
  validate(o) {
    return typeof specOf(o)['schedule'] === 'string' ? [] : [fieldErrors.required('spec.schedule')];
  },
};

export const batchV1 = [jobs, cronjobs];
