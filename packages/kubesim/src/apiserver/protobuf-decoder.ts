import { ApiError, errors } from './api-error.js';

/**
 * Decodes the Kubernetes protobuf envelope ("k8s\0" + runtime.Unknown) for the object shapes
 * kubectl 1.32's generators send (`kubectl create namespace|configmap|secret|serviceaccount|
 * deployment|job|cronjob|service`, `kubectl run`, `kubectl auth can-i|whoami`, `kubectl create token`). Field numbers follow the upstream
 * generated.proto of each type; a field number not listed here is a 415, never dropped silently.
 */
type Scalar = 'string' | 'int' | 'bool' | 'bytes' | 'intOrString' | 'quantity' | 'time';
type FieldType = Scalar | { msg: string } | { map: Scalar | { msg: string } };
interface FieldDef {
  name: string;
  type: FieldType;
  repeated?: boolean;
}
type MessageDef = Record<number, FieldDef>;

const f = (name: string, type: FieldType, repeated = false): FieldDef => ({ name, type, repeated });
const msg = (name: string): { msg: string } => ({ msg: name });

const messages: Record<string, MessageDef> = {
  ObjectMeta: {
    1: f('name', 'string'),
    2: f('generateName', 'string'),
    3: f('namespace', 'string'),
    5: f('uid', 'string'),
    6: f('resourceVersion', 'string'),
    7: f('generation', 'int'),
    8: f('creationTimestamp', 'time'),
    11: f('labels', { map: 'string' }),
    12: f('annotations', { map: 'string' }),
    13: f('ownerReferences', msg('OwnerReference'), true),
    14: f('finalizers', 'string', true),
  },
  OwnerReference: {
    1: f('kind', 'string'),
    3: f('name', 'string'),
    4: f('uid', 'string'),
    5: f('apiVersion', 'string'),
    6: f('controller', 'bool'),
    7: f('blockOwnerDeletion', 'bool'),
  },
  Time: {},
  TypeMeta: { 1: f('apiVersion', 'string'), 2: f('kind', 'string') },
  LabelSelector: { 1: f('matchLabels', { map: 'string' }) },
  Namespace: { 1: f('metadata', msg('ObjectMeta')), 2: f('spec', msg('Empty')), 3: f('status', msg('Empty')) },
  Empty: {},
  ConfigMap: {
    1: f('metadata', msg('ObjectMeta')),
    2: f('data', { map: 'string' }),
    3: f('binaryData', { map: 'bytes' }),
    4: f('immutable', 'bool'),
  },
  Secret: {
    1: f('metadata', msg('ObjectMeta')),
    2: f('data', { map: 'bytes' }),
    3: f('type', 'string'),
    4: f('stringData', { map: 'string' }),
    5: f('immutable', 'bool'),
  },
  ServiceAccount: { 1: f('metadata', msg('ObjectMeta')), 4: f('automountServiceAccountToken', 'bool') },
  Deployment: { 1: f('metadata', msg('ObjectMeta')), 2: f('spec', msg('DeploymentSpec')), 3: f('status', msg('Empty')) },
  DeploymentSpec: {
    1: f('replicas', 'int'),
    2: f('selector', msg('LabelSelector')),
    3: f('template', msg('PodTemplateSpec')),
    4: f('strategy', msg('DeploymentStrategy')),
    5: f('minReadySeconds', 'int'),
    6: f('revisionHistoryLimit', 'int'),
    7: f('paused', 'bool'),
    9: f('progressDeadlineSeconds', 'int'),
  },
  DeploymentStrategy: { 1: f('type', 'string') },
  PodTemplateSpec: { 1: f('metadata', msg('ObjectMeta')), 2: f('spec', msg('PodSpec')) },
  PodSpec: {
    2: f('containers', msg('Container'), true),
    3: f('restartPolicy', 'string'),
    4: f('terminationGracePeriodSeconds', 'int'),
    6: f('dnsPolicy', 'string'),
    8: f('serviceAccountName', 'string'),
    20: f('initContainers', msg('Container'), true),
  },
  Container: {
    1: f('name', 'string'),
    2: f('image', 'string'),
    3: f('command', 'string', true),
    4: f('args', 'string', true),
    5: f('workingDir', 'string'),
    6: f('ports', msg('ContainerPort'), true),
    7: f('env', msg('EnvVar'), true),
    8: f('resources', msg('ResourceRequirements')),
    14: f('imagePullPolicy', 'string'),
    16: f('stdin', 'bool'),
    17: f('stdinOnce', 'bool'),
    18: f('tty', 'bool'),
  },
  ContainerPort: { 1: f('name', 'string'), 2: f('hostPort', 'int'), 3: f('containerPort', 'int'), 4: f('protocol', 'string') },
  EnvVar: { 1: f('name', 'string'), 2: f('value', 'string') },
  ResourceRequirements: { 1: f('limits', { map: 'quantity' }), 2: f('requests', { map: 'quantity' }) },
  Job: { 1: f('metadata', msg('ObjectMeta')), 2: f('spec', msg('JobSpec')), 3: f('status', msg('Empty')) },
  JobSpec: {
    1: f('parallelism', 'int'),
    2: f('completions', 'int'),
    3: f('activeDeadlineSeconds', 'int'),
    4: f('selector', msg('LabelSelector')),
    5: f('manualSelector', 'bool'),
    6: f('template', msg('PodTemplateSpec')),
    7: f('backoffLimit', 'int'),
    8: f('ttlSecondsAfterFinished', 'int'),
    9: f('completionMode', 'string'),
    10: f('suspend', 'bool'),
  },
  CronJob: { 1: f('metadata', msg('ObjectMeta')), 2: f('spec', msg('CronJobSpec')), 3: f('status', msg('Empty')) },
  CronJobSpec: {
    1: f('schedule', 'string'),
    2: f('startingDeadlineSeconds', 'int'),
    3: f('concurrencyPolicy', 'string'),
    4: f('suspend', 'bool'),
    5: f('jobTemplate', msg('JobTemplateSpec')),
    6: f('successfulJobsHistoryLimit', 'int'),
    7: f('failedJobsHistoryLimit', 'int'),
    8: f('timeZone', 'string'),
  },
  JobTemplateSpec: { 1: f('metadata', msg('ObjectMeta')), 2: f('spec', msg('JobSpec')) },
  Service: { 1: f('metadata', msg('ObjectMeta')), 2: f('spec', msg('ServiceSpec')), 3: f('status', msg('Empty')) },
  ServiceSpec: {
    1: f('ports', msg('ServicePort'), true),
    2: f('selector', { map: 'string' }),
    3: f('clusterIP', 'string'),
    4: f('type', 'string'),
    7: f('sessionAffinity', 'string'),
    10: f('externalName', 'string'),
  },
  ServicePort: {
    1: f('name', 'string'),
    2: f('protocol', 'string'),
    3: f('port', 'int'),
    4: f('targetPort', 'intOrString'),
    5: f('nodePort', 'int'),
  },
  Pod: { 1: f('metadata', msg('ObjectMeta')), 2: f('spec', msg('PodSpec')), 3: f('status', msg('Empty')) },
  SelfSubjectAccessReview: {
    1: f('metadata', msg('ObjectMeta')),
    2: f('spec', msg('SelfSubjectAccessReviewSpec')),
    3: f('status', msg('Empty')),
  },
  SelfSubjectAccessReviewSpec: {
    1: f('resourceAttributes', msg('ResourceAttributes')),
    2: f('nonResourceAttributes', msg('NonResourceAttributes')),
  },
  ResourceAttributes: {
    1: f('namespace', 'string'),
    2: f('verb', 'string'),
    3: f('group', 'string'),
    4: f('version', 'string'),
    5: f('resource', 'string'),
    6: f('subresource', 'string'),
    7: f('name', 'string'),
  },
  NonResourceAttributes: { 1: f('path', 'string'), 2: f('verb', 'string') },
  SelfSubjectRulesReview: {
    1: f('metadata', msg('ObjectMeta')),
    2: f('spec', msg('SelfSubjectRulesReviewSpec')),
    3: f('status', msg('Empty')),
  },
  SelfSubjectRulesReviewSpec: { 1: f('namespace', 'string') },
  SelfSubjectReview: { 1: f('metadata', msg('ObjectMeta')), 2: f('status', msg('Empty')) },
  Role: { 1: f('metadata', msg('ObjectMeta')), 2: f('rules', msg('PolicyRule'), true) },
  ClusterRole: { 1: f('metadata', msg('ObjectMeta')), 2: f('rules', msg('PolicyRule'), true) },
  PolicyRule: {
    1: f('verbs', 'string', true),
    2: f('apiGroups', 'string', true),
    3: f('resources', 'string', true),
    4: f('resourceNames', 'string', true),
    5: f('nonResourceURLs', 'string', true),
  },
  RoleBinding: { 1: f('metadata', msg('ObjectMeta')), 2: f('subjects', msg('Subject'), true), 3: f('roleRef', msg('RoleRef')) },
  ClusterRoleBinding: { 1: f('metadata', msg('ObjectMeta')), 2: f('subjects', msg('Subject'), true), 3: f('roleRef', msg('RoleRef')) },
  Subject: { 1: f('kind', 'string'), 2: f('apiGroup', 'string'), 3: f('name', 'string'), 4: f('namespace', 'string') },
  RoleRef: { 1: f('apiGroup', 'string'), 2: f('kind', 'string'), 3: f('name', 'string') },
  // kubectl create token
  TokenRequest: { 1: f('metadata', msg('ObjectMeta')), 2: f('spec', msg('TokenRequestSpec')), 3: f('status', msg('Empty')) },
  TokenRequestSpec: {
    1: f('audiences', 'string', true),
    3: f('boundObjectRef', msg('BoundObjectReference')),
    4: f('expirationSeconds', 'int'),
  },
  BoundObjectReference: { 1: f('kind', 'string'), 2: f('apiVersion', 'string'), 3: f('name', 'string'), 4: f('uid', 'string') },
};

interface Raw {
  field: number;
  wire: number;
  value: bigint | Buffer;
}

function readVarint(b: Buffer, pos: { i: number }): bigint {
  let result = 0n,
    shift = 0n;
  for (;;) {
    const byte = b[pos.i++];
    if (byte === undefined) throw errors.badRequest('protobuf: truncated varint');
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7n;
  }
}

function fieldsOf(b: Buffer): Raw[] {
  const out: Raw[] = [];
  const pos = { i: 0 };
  while (pos.i < b.length) {
    const key = Number(readVarint(b, pos));
    const field = key >> 3,
      wire = key & 7;
    if (wire === 0) out.push({ field, wire, value: readVarint(b, pos) });
    else {
      const len = wire === 2 ? Number(readVarint(b, pos)) : wire === 1 ? 8 : wire === 5 ? 4 : -1;
      if (len < 0 || field === 0) throw errors.badRequest(`protobuf: unsupported wire type ${wire}`);
      if (pos.i + len > b.length) throw errors.badRequest('protobuf: truncated field');
      out.push({ field, wire, value: b.subarray(pos.i, pos.i + len) });
      pos.i += len;
    }
  }
  return out;
}

function scalar(t: Scalar, r: Raw): unknown {
  const buf = (): Buffer => (Buffer.isBuffer(r.value) ? r.value : Buffer.alloc(0));
  switch (t) {
    case 'string':
      return buf().toString('utf8');
    case 'bytes':
      return buf().toString('base64');
    case 'int':
      return Number(BigInt.asIntN(64, r.value as bigint));
    case 'bool':
      return r.value !== 0n;
    case 'quantity':
      return decode('Quantity', buf())['string'];
    case 'time': {
      // Go's zero time arrives as an empty message: it means "unset".
      const secs = Number(decode('TimeV', buf())['seconds'] ?? 0);
      return secs === 0 ? undefined : new Date(secs * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    }
    case 'intOrString': {
      const v = decode('IntOrString', buf());
      return v['type'] === 1 ? (v['strVal'] ?? '') : (v['intVal'] ?? 0);
    }
  }
}

messages['Quantity'] = { 1: f('string', 'string') };
messages['TimeV'] = { 1: f('seconds', 'int'), 2: f('nanos', 'int') };
messages['IntOrString'] = { 1: f('type', 'int'), 2: f('intVal', 'int'), 3: f('strVal', 'string') };
messages['MapEntry'] = {};

/**
 * Go's generated marshallers emit every non-pointer scalar, zero values included, while pointer
 * fields appear only when set. These are the pointer fields: their zero values are meaningful.
 */
const pointerFields = new Set([
  'replicas',
  'parallelism',
  'completions',
  'backoffLimit',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'suspend',
  'manualSelector',
  'immutable',
  'automountServiceAccountToken',
  'startingDeadlineSeconds',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
  'ttlSecondsAfterFinished',
  'timeZone',
  'completionMode',
  'controller',
  'blockOwnerDeletion',
  'expirationSeconds',
]);

/** Zero value: 0, empty bytes, or an embedded message whose fields are all zero (Go emits those too). */
function isZero(r: Raw): boolean {
  if (!Buffer.isBuffer(r.value)) return r.value === 0n;
  if (r.value.length === 0) return true;
  if (r.wire !== 2) return false;
  try {
    return fieldsOf(r.value).every(isZero);
  } catch {
    return false;
  }
}

function decode(type: string, b: Buffer): Record<string, unknown> {
  const def = messages[type];
  if (!def) throw unsupported(type);
  const out: Record<string, unknown> = {};
  for (const r of fieldsOf(b)) {
    const fd = def[r.field];
    if (!fd) {
      // An unset (zero) field we do not model is harmless; a set one would be lost: refuse.
      if (isZero(r)) continue;
      throw unsupported(`${type} field ${r.field}`);
    }
    const t = fd.type;
    const empty = Buffer.isBuffer(r.value) ? r.value.length === 0 : r.value === 0n;
    if (typeof t === 'string' && empty && !pointerFields.has(fd.name) && !fd.repeated) continue;
    let v: unknown;
    if (typeof t === 'string') v = scalar(t, r);
    else if ('msg' in t) v = decode(t.msg, r.value as Buffer);
    else {
      const entry = fieldsOf(r.value as Buffer);
      const k = entry.find((e) => e.field === 1),
        val = entry.find((e) => e.field === 2);
      const key = k ? (k.value as Buffer).toString('utf8') : '';
      const m = (out[fd.name] ??= {}) as Record<string, unknown>;
      m[key] = val
        ? typeof t.map === 'string'
          ? scalar(t.map, val)
          : decode(t.map.msg, val.value as Buffer)
        : t.map === 'string' || t.map === 'bytes'
          ? ''
          : {};
      continue;
    }
    if (v === undefined) continue;
    if (fd.repeated) ((out[fd.name] ??= []) as unknown[]).push(v);
    else out[fd.name] = v;
  }
  return out;
}

function unsupported(what: string): never {
  throw new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format (application/vnd.kubernetes.protobuf) - kubesim decodes protobuf only for kubectl's generator shapes and ${what} is not one of them; send application/json or application/yaml`,
  );
}

/** Decodes a protobuf request body into the JSON object form. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\u0000')
    throw errors.badRequest('protobuf: missing the k8s envelope');
  const unknown = fieldsOf(body.subarray(4));
  const tm = unknown.find((r) => r.field === 1);
  const raw = unknown.find((r) => r.field === 2);
  const typeMeta = tm ? decode('TypeMeta', tm.value as Buffer) : {};
  const kind = String(typeMeta['kind'] ?? '');
  if (!messages[kind] || !raw) throw unsupported(`kind ${kind || '(none)'}`);
  return { apiVersion: typeMeta['apiVersion'], kind, ...decode(kind, raw.value as Buffer) };
}
