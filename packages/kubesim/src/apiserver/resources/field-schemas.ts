/**
 * The declared fields of built-in kinds, for unknown-field detection (the real server drops
 * unknown fields, warns about them, and rejects them with fieldValidation=Strict).
 * `'*'` accepts anything below; an array holds the item schema. Sub-objects that kubesim's users
 * rarely write by hand (affinity, security contexts, volume sources, ...) are open ('*').
 */
export type FieldSchema = '*' | { [field: string]: FieldSchema } | [FieldSchema];

const any = '*' as const;
const fields = (names: string, rest: Record<string, FieldSchema> = {}): { [field: string]: FieldSchema } =>
  ({ ...Object.fromEntries(names.split(/\s+/).filter(Boolean).map((n) => [n, any])), ...rest });

const ownerReference = fields('apiVersion kind name uid controller blockOwnerDeletion');
export const objectMeta = fields('name generateName namespace selfLink uid resourceVersion generation creationTimestamp deletionTimestamp deletionGracePeriodSeconds labels annotations finalizers managedFields', {
  ownerReferences: [ownerReference],
});
const probe = fields('exec tcpSocket grpc initialDelaySeconds timeoutSeconds periodSeconds successThreshold failureThreshold terminationGracePeriodSeconds', {
  httpGet: fields('path port host scheme httpHeaders'),
});
const container = fields('name image command args workingDir envFrom resources resizePolicy restartPolicy volumeDevices terminationMessagePath terminationMessagePolicy imagePullPolicy securityContext stdin stdinOnce tty', {
  ports: [fields('name hostPort containerPort protocol hostIP')],
  env: [fields('name value valueFrom')],
  volumeMounts: [fields('name readOnly recursiveReadOnly mountPath subPath mountPropagation subPathExpr')],
  livenessProbe: probe, readinessProbe: probe, startupProbe: probe,
  lifecycle: fields('postStart preStop stopSignal'),
});
const podSpec = fields('volumes ephemeralContainers restartPolicy terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector serviceAccountName serviceAccount automountServiceAccountToken nodeName hostNetwork hostPID hostIPC shareProcessNamespace securityContext imagePullSecrets hostname subdomain affinity schedulerName tolerations hostAliases priorityClassName priority dnsConfig readinessGates runtimeClassName enableServiceLinks preemptionPolicy overhead topologySpreadConstraints setHostnameAsFQDN os hostUsers schedulingGates resourceClaims resources', {
  containers: [container], initContainers: [container],
});
const podTemplate = { metadata: objectMeta, spec: podSpec };
const jobSpec = fields('parallelism completions activeDeadlineSeconds podFailurePolicy successPolicy backoffLimit backoffLimitPerIndex maxFailedIndexes selector manualSelector ttlSecondsAfterFinished completionMode suspend podReplacementPolicy managedBy', {
  template: podTemplate,
});

const top = (rest: Record<string, FieldSchema>): { [field: string]: FieldSchema } => ({ apiVersion: any, kind: any, metadata: objectMeta, ...rest });

export const schemas = {
  Pod: top({ spec: podSpec, status: any }),
  Deployment: top({ status: any, spec: fields('replicas selector minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds', {
    template: podTemplate, strategy: fields('type', { rollingUpdate: fields('maxUnavailable maxSurge') }) }) }),
  ReplicaSet: top({ status: any, spec: fields('replicas minReadySeconds selector', { template: podTemplate }) }),
  Job: top({ status: any, spec: jobSpec }),
  CronJob: top({ status: any, spec: fields('schedule timeZone startingDeadlineSeconds concurrencyPolicy suspend successfulJobsHistoryLimit failedJobsHistoryLimit', {
    jobTemplate: { metadata: objectMeta, spec: jobSpec } }) }),
  Service: top({ status: any, spec: fields('selector clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution', {
    ports: [fields('name protocol appProtocol port targetPort nodePort')] }) }),
  ConfigMap: top(fields('data binaryData immutable')),
  Secret: top(fields('data stringData type immutable')),
  Ingress: top({ status: any, spec: fields('ingressClassName defaultBackend tls', {
    rules: [fields('host', { http: fields('', { paths: [fields('path pathType backend')] }) })] }) }),
  Namespace: top(fields('spec status')),
  Node: top(fields('spec status')),
  Endpoints: top(fields('subsets')),
  EndpointSlice: top(fields('addressType endpoints ports')),
  Lease: top(fields('spec')),
  Event: top(fields('involvedObject reason message source firstTimestamp lastTimestamp count type eventTime series action related reportingComponent reportingInstance')),
  ServiceAccount: top(fields('secrets imagePullSecrets automountServiceAccountToken')),
  ControllerRevision: top(fields('data revision')),
  IngressClass: top(fields('spec')),
  CustomResourceDefinition: top(fields('spec status')),
  ResourceQuota: top(fields('spec status')),
  LimitRange: top(fields('spec')),
  PersistentVolumeClaim: top(fields('spec status')),
} satisfies Record<string, FieldSchema>;

/**
 * Removes fields the schema does not declare, in place, and returns their paths
 * ("spec.replica", "spec.template.spec.containers[0].imagePolicy") in upstream's notation.
 */
export function pruneUnknownFields(value: unknown, schema: FieldSchema, path = ''): string[] {
  if (schema === '*' || value === null || typeof value !== 'object') return [];
  if (Array.isArray(schema)) {
    if (!Array.isArray(value)) return [];
    return value.flatMap((item, i) => pruneUnknownFields(item, schema[0], `${path}[${i}]`));
  }
  if (Array.isArray(value)) return [];
  const out: string[] = [];
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    const child = path ? `${path}.${k}` : k;
    const s = schema[k];
    if (s === undefined) { out.push(child); delete obj[k]; }
    else out.push(...pruneUnknownFields(obj[k], s, child));
  }
  return out;
}
