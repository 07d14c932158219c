import { errors, type StatusCause } from '../api-error.js';
import { fieldErrors } from '../field-errors.js';
import { schemas } from './field-schemas.js';
import type { ResourceDescriptor, ResourceHookContext } from '../resource-descriptor.js';
import { deepEqual, isObject, type KubeObject } from '../types.js';
import { validateName } from './names.js';
import { validatePortName } from './pod-spec-details.js';
import { defaultPodSpec, validatePodSpec } from './pod-spec.js';

type Obj = Record<string, unknown>;
const spec = (o: KubeObject): Obj => (isObject(o['spec']) ? o['spec'] : ((o['spec'] = {}) as Obj));

/** Field selectors the real server accepts per kind beyond metadata.name/namespace. */
const fieldLabels: Record<string, string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  secrets: ['type'],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
};

/**
 * The DefaultTolerationSeconds admission plugin: every pod tolerates not-ready/unreachable nodes
 * for 300 s unless it says otherwise. (kubesim has one node and no taint-based eviction.)
 */
function addDefaultTolerations(s: Obj): void {
  const tols = Array.isArray(s['tolerations']) ? s['tolerations'] : [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (
      tols.some(
        (t) =>
          isObject(t) &&
          (t['key'] === key || (t['key'] === undefined && t['operator'] === 'Exists')) &&
          (t['effect'] === undefined || t['effect'] === 'NoExecute'),
      )
    )
      continue;
    tols.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  s['tolerations'] = tols;
}

function podQos(podSpec: Obj): string {
  const cs = Array.isArray(podSpec['containers']) ? podSpec['containers'] : [];
  let any = false,
    guaranteed = cs.length > 0;
  for (const c of cs) {
    const r = isObject(c) && isObject(c['resources']) ? c['resources'] : {};
    const req = isObject(r['requests']) ? r['requests'] : {};
    const lim = isObject(r['limits']) ? r['limits'] : {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    if (!lim['cpu'] || !lim['memory'] || (req['cpu'] && req['cpu'] !== lim['cpu']) || (req['memory'] && req['memory'] !== lim['memory']))
      guaranteed = false;
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Pod fields the real server lets an update change; everything else in spec is immutable. */
function maskMutablePodSpec(s: unknown): unknown {
  if (!isObject(s)) return s;
  const c = JSON.parse(JSON.stringify(s)) as Obj;
  for (const k of ['containers', 'initContainers']) {
    if (Array.isArray(c[k])) for (const x of c[k]) if (isObject(x)) delete x['image'];
  }
  delete c['activeDeadlineSeconds'];
  delete c['tolerations'];
  delete c['schedulingGates'];
  delete c['terminationGracePeriodSeconds'];
  return c;
}

export const pods: ResourceDescriptor = {
  group: '',
  version: 'v1',
  resource: 'pods',
  singular: 'pod',
  kind: 'Pod',
  fields: schemas.Pod,
  fieldLabels: fieldLabels['pods'],
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['status', 'log', 'exec', 'portforward', 'binding', 'eviction'],
  nameRule: 'subdomain',
  gracePeriod(o, requested) {
    // Unbound or finished pods have no kubelet to wait for: they go at once.
    const s = spec(o);
    const phase = isObject(o['status']) ? o['status']['phase'] : undefined;
    if (!s['nodeName'] || phase === 'Succeeded' || phase === 'Failed') return 0;
    const g = requested ?? (typeof s['terminationGracePeriodSeconds'] === 'number' ? s['terminationGracePeriodSeconds'] : 30);
    return Math.max(0, g);
  },
  defaults(o, _ctx, old) {
    const s = spec(o);
    defaultPodSpec(s);
    if (!old) {
      if (!s['serviceAccountName']) s['serviceAccountName'] = 'default';
      s['serviceAccount'] = s['serviceAccountName'];
      if (s['enableServiceLinks'] === undefined) s['enableServiceLinks'] = true;
      if (s['priority'] === undefined) s['priority'] = 0;
      if (s['preemptionPolicy'] === undefined) s['preemptionPolicy'] = 'PreemptLowerPriority';
      addDefaultTolerations(s);
      o['status'] = { phase: 'Pending', qosClass: podQos(s) };
    }
  },
  validate(o, old) {
    const out = validatePodSpec(o['spec'], 'spec');
    if (old && !deepEqual(maskMutablePodSpec(o['spec']), maskMutablePodSpec(old['spec']))) {
      out.push(
        fieldErrors.forbidden(
          'spec',
          'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
        ),
      );
    }
    return out;
  },
};

export const namespaces: ResourceDescriptor = {
  group: '',
  version: 'v1',
  resource: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  fields: schemas.Namespace,
  fieldLabels: fieldLabels['namespaces'],
  namespaced: false,
  shortNames: ['ns'],
  subresources: ['status', 'finalize'],
  nameRule: 'label',
  terminating: true,
  defaults(o) {
    o.metadata.labels = { ...o.metadata.labels, 'kubernetes.io/metadata.name': o.metadata.name ?? '' };
    const s = spec(o);
    if (!Array.isArray(s['finalizers'])) s['finalizers'] = ['kubernetes'];
    const st = isObject(o['status']) ? o['status'] : ((o['status'] = {}) as Obj);
    if (!st['phase']) st['phase'] = 'Active';
  },
};

const serviceTypes = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

/** NodePort/LoadBalancer ports get a nodePort (kept across updates); requested ones are checked. */
function assignNodePorts(o: KubeObject, s: Obj, ctx: ResourceHookContext, old?: KubeObject): void {
  const ports = Array.isArray(s['ports']) ? s['ports'].filter(isObject) : [];
  if (s['type'] !== 'NodePort' && s['type'] !== 'LoadBalancer') return;
  const oldPorts = old && isObject(old['spec']) && Array.isArray(old['spec']['ports']) ? old['spec']['ports'].filter(isObject) : [];
  const taken = new Set<number>();
  const causes: StatusCause[] = [];
  ports.forEach((p, i) => {
    if (typeof p['nodePort'] === 'number' && p['nodePort'] !== 0) {
      const kept = oldPorts.some((q) => q['nodePort'] === p['nodePort']);
      const problem = kept ? undefined : ctx.nodePortProblem(p['nodePort'], o.metadata.uid);
      if (problem || taken.has(p['nodePort']))
        causes.push(fieldErrors.invalid(`spec.ports[${i}].nodePort`, p['nodePort'], problem ?? 'provided port is already allocated'));
      taken.add(p['nodePort']);
      return;
    }
    const prev = oldPorts.find((q) => q['port'] === p['port'] && typeof q['nodePort'] === 'number');
    const n = prev ? (prev['nodePort'] as number) : ctx.allocateNodePort(taken);
    if (n !== undefined) {
      p['nodePort'] = n;
      taken.add(n);
    }
  });
  if (causes.length) throw errors.invalid('Service', '', o.metadata.name ?? '', causes);
}

function validateService(o: KubeObject, old?: KubeObject): StatusCause[] {
  const out: StatusCause[] = [];
  const s = spec(o);
  const type = String(s['type'] ?? 'ClusterIP');
  const ports = Array.isArray(s['ports']) ? s['ports'] : [];
  if (type !== 'ExternalName' && ports.length === 0 && s['clusterIP'] !== 'None') out.push(fieldErrors.required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObject(p)) return;
    const n = p['port'];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
      out.push(fieldErrors.invalid(`spec.ports[${i}].port`, n ?? 0, 'must be between 1 and 65535, inclusive'));
    }
    const name = p['name'];
    if (ports.length > 1 && (typeof name !== 'string' || name === '')) out.push(fieldErrors.required(`spec.ports[${i}].name`));
    if (typeof p['targetPort'] === 'string') out.push(...validatePortName(p['targetPort'], `spec.ports[${i}].targetPort`));
    if (p['nodePort'] !== undefined && type === 'ClusterIP')
      out.push(fieldErrors.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    if (typeof name === 'string' && name !== '') {
      if (names.has(name)) out.push(fieldErrors.duplicate(`spec.ports[${i}].name`, name));
      names.add(name);
    }
  });
  if (old) {
    const oldIp = isObject(old['spec']) ? old['spec']['clusterIP'] : undefined;
    if (oldIp && s['clusterIP'] !== oldIp && type !== 'ExternalName') {
      out.push(fieldErrors.invalid('spec.clusterIPs[0]', s['clusterIP'] ?? '', 'may not change once set'));
    }
  }
  return out;
}

export const services: ResourceDescriptor = {
  group: '',
  version: 'v1',
  resource: 'services',
  singular: 'service',
  kind: 'Service',
  fields: schemas.Service,
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: ['status'],
  nameRule: 'label1035',
  defaults(o, ctx, old) {
    const s = spec(o);
    if (!s['type']) s['type'] = 'ClusterIP';
    if (!s['sessionAffinity']) s['sessionAffinity'] = 'None';
    if (Array.isArray(s['ports'])) {
      for (const p of s['ports']) {
        if (!isObject(p)) continue;
        if (!p['protocol']) p['protocol'] = 'TCP';
        if (p['targetPort'] === undefined || p['targetPort'] === 0 || p['targetPort'] === '') p['targetPort'] = p['port'];
      }
    }
    if (s['type'] === 'ExternalName') return;
    assignNodePorts(o, s, ctx, old);
    const oldIp = old && isObject(old['spec']) ? old['spec']['clusterIP'] : undefined;
    if (!s['clusterIP'] && typeof oldIp === 'string') s['clusterIP'] = oldIp;
    if (!old && typeof s['clusterIP'] === 'string' && s['clusterIP'] !== 'None' && s['clusterIP'] !== '') {
      const problem = ctx.clusterIPProblem(s['clusterIP']);
      if (problem)
        throw errors.invalid('Service', '', o.metadata.name ?? '', [fieldErrors.invalid('spec.clusterIPs', [s['clusterIP']], problem)]);
    }
    if (!s['clusterIP']) {
      const ip = ctx.allocateClusterIP();
      if (ip) s['clusterIP'] = ip;
    }
    if (s['clusterIP']) s['clusterIPs'] = [s['clusterIP']];
    if (!s['ipFamilies']) s['ipFamilies'] = ['IPv4'];
    if (!s['ipFamilyPolicy']) s['ipFamilyPolicy'] = 'SingleStack';
    if (!s['internalTrafficPolicy']) s['internalTrafficPolicy'] = 'Cluster';
    if (!isObject(o['status'])) o['status'] = { loadBalancer: {} };
  },
  validate: validateService,
};

/** ConfigMaps and Secrets hold at most 1 MiB (keys and values together), as upstream. */
function dataTooLong(o: KubeObject, fields: string[]): StatusCause[] {
  let size = 0;
  for (const f of fields) {
    const m = o[f];
    if (isObject(m))
      for (const [k, v] of Object.entries(m))
        size += k.length + (f === 'data' && o.kind === 'Secret' ? Buffer.from(String(v), 'base64').length : String(v).length);
  }
  return size > 1048576
    ? [{ reason: 'FieldValueTooLong', message: 'Too long: must have at most 1048576 bytes', field: fields[0] ?? 'data' }]
    : [];
}

function immutableData(o: KubeObject, old: KubeObject | undefined, fields: string[]): StatusCause[] {
  if (!old || old['immutable'] !== true) return [];
  const out: StatusCause[] = [];
  if (o['immutable'] !== true) out.push(fieldErrors.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (!deepEqual(o[f] ?? {}, old[f] ?? {})) out.push(fieldErrors.forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return out;
}

export const configmaps: ResourceDescriptor = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  singular: 'configmap',
  kind: 'ConfigMap',
  fields: schemas.ConfigMap,
  namespaced: true,
  shortNames: ['cm'],
  subresources: [],
  nameRule: 'subdomain',
  validate: (o, old) => [...immutableData(o, old, ['data', 'binaryData']), ...dataTooLong(o, ['data', 'binaryData'])],
};

export const secrets: ResourceDescriptor = {
  group: '',
  version: 'v1',
  resource: 'secrets',
  singular: 'secret',
  kind: 'Secret',
  fields: schemas.Secret,
  fieldLabels: fieldLabels['secrets'],
  namespaced: true,
  subresources: [],
  nameRule: 'subdomain',
  defaults(o) {
    // stringData is write-only: merged into data (base64) and never stored.
    if (isObject(o['stringData'])) {
      const data = isObject(o['data']) ? o['data'] : ((o['data'] = {}) as Obj);
      for (const [k, v] of Object.entries(o['stringData'])) data[k] = Buffer.from(String(v)).toString('base64');
      delete o['stringData'];
    }
    if (!o['type']) o['type'] = 'Opaque';
  },
  validate(o, old) {
    const out = [...immutableData(o, old, ['data']), ...dataTooLong(o, ['data'])];
    if (old && o['type'] !== old['type']) out.push(fieldErrors.invalid('type', o['type'], 'field is immutable'));
    if (isObject(o['data'])) {
      for (const [k, v] of Object.entries(o['data'])) {
        if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v))
          out.push(fieldErrors.invalid(`data[${k}]`, v, 'must be base64-encoded'));
      }
    }
    return out;
  },
};

export const endpoints: ResourceDescriptor = {
  group: '',
  version: 'v1',
  resource: 'endpoints',
  singular: 'endpoints',
  kind: 'Endpoints',
  fields: schemas.Endpoints,
  namespaced: true,
  shortNames: ['ep'],
  subresources: [],
  nameRule: 'subdomain',
  allowCreateOnUpdate: true,
};

export const events: ResourceDescriptor = {
  group: '',
  version: 'v1',
  resource: 'events',
  singular: 'event',
  kind: 'Event',
  fields: schemas.Event,
  fieldLabels: fieldLabels['events'],
  namespaced: true,
  shortNames: ['ev'],
  subresources: [],
  nameRule: 'subdomain',
  allowCreateOnUpdate: true,
};

export const nodes: ResourceDescriptor = {
  group: '',
  version: 'v1',
  resource: 'nodes',
  singular: 'node',
  kind: 'Node',
  fields: schemas.Node,
  fieldLabels: fieldLabels['nodes'],
  namespaced: false,
  shortNames: ['no'],
  subresources: ['status'],
  nameRule: 'subdomain',
  keepsStatusOnCreate: true,
};

export const serviceaccounts: ResourceDescriptor = {
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  kind: 'ServiceAccount',
  fields: schemas.ServiceAccount,
  namespaced: true,
  shortNames: ['sa'],
  subresources: ['token'],
  nameRule: 'subdomain',
};

export const resourcequotas: ResourceDescriptor = {
  group: '',
  version: 'v1',
  resource: 'resourcequotas',
  singular: 'resourcequota',
  kind: 'ResourceQuota',
  fields: schemas.ResourceQuota,
  namespaced: true,
  shortNames: ['quota'],
  subresources: ['status'],
  nameRule: 'subdomain',
};

export const limitranges: ResourceDescriptor = {
  group: '',
  version: 'v1',
  resource: 'limitranges',
  singular: 'limitrange',
  kind: 'LimitRange',
  fields: schemas.LimitRange,
  namespaced: true,
  shortNames: ['limits'],
  subresources: [],
  nameRule: 'subdomain',
};

export const persistentvolumeclaims: ResourceDescriptor = {
  group: '',
  version: 'v1',
  resource: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  kind: 'PersistentVolumeClaim',
  fields: schemas.PersistentVolumeClaim,
  namespaced: true,
  shortNames: ['pvc'],
  subresources: ['status'],
  nameRule: 'subdomain',
};

export const coreV1 = [
  pods,
  namespaces,
  services,
  configmaps,
  secrets,
  endpoints,
  events,
  nodes,
  serviceaccounts,
  resourcequotas,
  limitranges,
  persistentvolumeclaims,
];
