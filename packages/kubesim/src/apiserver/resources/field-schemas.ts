/**
 * The declared fields of built-in kinds and the Go types behind them, for decoding a body as the
 * real server's JSON decoder does: unknown fields are dropped with a warning (or refused under
 * fieldValidation=Strict), a value of the wrong JSON type is a 400 with encoding/json's text, and
 * Time, MicroTime, IntOrString and Quantity go through their own UnmarshalJSON (see
 * ../decode/strict-decoder.ts). Fields a Kubernetes minor does not have yet are `since(minor, ...)`:
 * an older server does not know them at all, which is how 1.29 refuses `preStop.sleep`.
 * `'*'` accepts anything below; an array holds the item schema; sub-objects that kubesim's users
 * rarely write by hand (affinity, security contexts, volume sources, ...) stay open ('*').
 */
export type Leaf =
  | '*'
  | 'string'
  | 'int32'
  | 'int64'
  | 'bool'
  | 'time'
  | 'microtime'
  | 'intstr'
  | 'quantity'
  | 'strmap'
  | 'quantitymap'
  | 'strlist';

/** A field that exists from Kubernetes 1.`minor` on. */
export class Since {
  constructor(
    readonly minor: number,
    readonly schema: FieldSchema,
  ) {}
}
/** A string enum, checked by validation (422 FieldValueNotSupported), not by the decoder. */
export class OneOf {
  constructor(readonly values: readonly string[]) {}
}
/** A non-pointer field tagged `omitempty`: Go's encoder leaves it out when zero (0, false, ""). */
export class OmitEmpty {
  constructor(readonly schema: FieldSchema) {}
}
/** A Go struct: its type name ("v1.DeploymentSpec") appears in type errors. */
export class Struct {
  constructor(
    readonly goType: string,
    readonly fields: { readonly [field: string]: FieldSchema },
  ) {}
}
export type FieldSchema = Leaf | Since | OneOf | OmitEmpty | Struct | [FieldSchema] | { [field: string]: FieldSchema };

export const since = (minor: number, schema: FieldSchema): Since => new Since(minor, schema);
export const oneOf = (...values: string[]): OneOf => new OneOf(values);

/** "name replicas:int32 min:int32? sleep@30" -> fields; a type after ':' (default '*'), '?' for omitempty, a minor after '@'. */
function parse(names: string): Record<string, FieldSchema> {
  const out: Record<string, FieldSchema> = {};
  for (const token of names.split(/\s+/).filter(Boolean)) {
    const m = /^([A-Za-z0-9]+)(?::([a-z0-9*]+)(\?)?)?(?:@(\d+))?$/.exec(token);
    if (!m) throw new Error(`bad field token ${token}`);
    const leaf: FieldSchema = m[3] ? new OmitEmpty((m[2] ?? '*') as Leaf) : ((m[2] ?? '*') as Leaf);
    out[m[1]!] = m[4] ? since(Number(m[4]), leaf) : leaf;
  }
  return out;
}
const struct = (goType: string, names: string, rest: Record<string, FieldSchema> = {}): Struct =>
  new Struct(goType, { ...parse(names), ...rest });
const fields = (names: string, rest: Record<string, FieldSchema> = {}): { [field: string]: FieldSchema } => ({ ...parse(names), ...rest });

const ownerReference = struct(
  'v1.OwnerReference',
  'apiVersion:string kind:string name:string uid:string controller:bool blockOwnerDeletion:bool',
);
const managedField = struct(
  'v1.ManagedFieldsEntry',
  'manager:string operation:string apiVersion:string time:time fieldsType:string fieldsV1 subresource:string',
);
export const objectMeta = struct(
  'v1.ObjectMeta',
  'name:string generateName:string namespace:string selfLink:string uid:string resourceVersion:string generation:int64 creationTimestamp:time deletionTimestamp:time deletionGracePeriodSeconds:int64 labels:strmap annotations:strmap finalizers:strlist',
  {
    ownerReferences: [ownerReference],
    managedFields: [managedField],
  },
);
const condition = (goType: string): Struct =>
  struct(
    goType,
    'type:string status:string reason:string message:string lastProbeTime:time lastTransitionTime:time lastUpdateTime:time lastHeartbeatTime:time observedGeneration:int64',
  );
const httpGet = struct('v1.HTTPGetAction', 'path:string port:intstr host:string httpHeaders', { scheme: oneOf('HTTP', 'HTTPS') });
const tcpSocket = struct('v1.TCPSocketAction', 'port:intstr host:string');
const probe = struct(
  'v1.Probe',
  'exec grpc initialDelaySeconds:int32 timeoutSeconds:int32 periodSeconds:int32 successThreshold:int32 failureThreshold:int32 terminationGracePeriodSeconds:int64',
  {
    httpGet,
    tcpSocket,
  },
);
const handler = struct('v1.LifecycleHandler', 'exec', { httpGet, tcpSocket, sleep: since(30, struct('v1.SleepAction', 'seconds:int64')) });
const resources = struct('v1.ResourceRequirements', 'limits:quantitymap requests:quantitymap claims@26');
const container = struct(
  'v1.Container',
  'name:string image:string command:strlist args:strlist workingDir:string envFrom resizePolicy@27 volumeDevices terminationMessagePath:string securityContext stdin:bool stdinOnce:bool tty:bool',
  {
    ports: [
      struct('v1.ContainerPort', 'name:string hostPort:int32 containerPort:int32 hostIP:string', { protocol: oneOf('SCTP', 'TCP', 'UDP') }),
    ],
    env: [struct('v1.EnvVar', 'name:string value:string valueFrom')],
    volumeMounts: [
      struct(
        'v1.VolumeMount',
        'name:string readOnly:bool recursiveReadOnly@30 mountPath:string subPath:string mountPropagation subPathExpr:string',
      ),
    ],
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
    resources,
    lifecycle: struct('v1.Lifecycle', '', { postStart: handler, preStop: handler }),
    imagePullPolicy: oneOf('Always', 'IfNotPresent', 'Never'),
    terminationMessagePolicy: oneOf('FallbackToLogsOnError', 'File'),
    restartPolicy: since(28, 'string'),
  },
);
const podSpec = struct(
  'v1.PodSpec',
  'volumes ephemeralContainers terminationGracePeriodSeconds:int64 activeDeadlineSeconds:int64 nodeSelector:strmap serviceAccountName:string serviceAccount:string automountServiceAccountToken:bool nodeName:string hostNetwork:bool hostPID:bool hostIPC:bool shareProcessNamespace:bool securityContext imagePullSecrets hostname:string subdomain:string affinity schedulerName:string tolerations hostAliases priorityClassName:string priority:int32 dnsConfig readinessGates runtimeClassName enableServiceLinks:bool preemptionPolicy overhead:quantitymap topologySpreadConstraints setHostnameAsFQDN:bool os hostUsers:bool schedulingGates@26 resourceClaims@26 resources@32',
  {
    containers: [container],
    initContainers: [container],
    restartPolicy: oneOf('Always', 'Never', 'OnFailure'),
    dnsPolicy: oneOf('ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'),
  },
);
const podTemplate = struct('v1.PodTemplateSpec', '', { metadata: objectMeta, spec: podSpec });
const jobSpec = struct(
  'v1.JobSpec',
  'parallelism:int32 completions:int32 activeDeadlineSeconds:int64 podFailurePolicy successPolicy@30 backoffLimit:int32 backoffLimitPerIndex:int32@28 maxFailedIndexes:int32@28 selector manualSelector:bool ttlSecondsAfterFinished:int32 suspend:bool podReplacementPolicy@28 managedBy:string@30',
  {
    template: podTemplate,
    completionMode: oneOf('Indexed', 'NonIndexed'),
  },
);
const jobStatus = struct(
  'v1.JobStatus',
  'startTime:time completionTime:time active:int32? succeeded:int32? failed:int32? terminating:int32@28 completedIndexes:string failedIndexes:string@28 uncountedTerminatedPods ready:int32',
  {
    conditions: [condition('v1.JobCondition')],
  },
);
const deploymentStatus = struct(
  'v1.DeploymentStatus',
  'observedGeneration:int64? replicas:int32? updatedReplicas:int32? readyReplicas:int32? availableReplicas:int32? unavailableReplicas:int32? collisionCount:int32 terminatingReplicas:int32@33',
  {
    conditions: [condition('v1.DeploymentCondition')],
  },
);

const top = (kind: string, rest: Record<string, FieldSchema>): Struct =>
  new Struct(`v1.${kind}`, { apiVersion: 'string', kind: 'string', metadata: objectMeta, ...rest });

export const schemas = {
  Pod: top('Pod', { spec: podSpec, status: '*' }),
  Deployment: top('Deployment', {
    status: deploymentStatus,
    spec: struct(
      'v1.DeploymentSpec',
      'replicas:int32 selector minReadySeconds:int32? revisionHistoryLimit:int32 paused:bool? progressDeadlineSeconds:int32',
      {
        template: podTemplate,
        strategy: struct('v1.DeploymentStrategy', '', {
          type: oneOf('Recreate', 'RollingUpdate'),
          rollingUpdate: struct('v1.RollingUpdateDeployment', 'maxUnavailable:intstr maxSurge:intstr'),
        }),
      },
    ),
  }),
  ReplicaSet: top('ReplicaSet', {
    status: '*',
    spec: struct('v1.ReplicaSetSpec', 'replicas:int32 minReadySeconds:int32? selector', { template: podTemplate }),
  }),
  Job: top('Job', { status: jobStatus, spec: jobSpec }),
  CronJob: top('CronJob', {
    status: '*',
    spec: struct(
      'v1.CronJobSpec',
      'schedule:string timeZone:string startingDeadlineSeconds:int64 suspend:bool successfulJobsHistoryLimit:int32 failedJobsHistoryLimit:int32',
      {
        jobTemplate: struct('v1.JobTemplateSpec', '', { metadata: objectMeta, spec: jobSpec }),
        concurrencyPolicy: oneOf('Allow', 'Forbid', 'Replace'),
      },
    ),
  }),
  Service: top('Service', {
    status: '*',
    spec: struct(
      'v1.ServiceSpec',
      'selector:strmap clusterIP:string clusterIPs:strlist externalIPs:strlist loadBalancerIP:string loadBalancerSourceRanges:strlist externalName:string healthCheckNodePort:int32 publishNotReadyAddresses:bool sessionAffinityConfig ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts:bool loadBalancerClass:string trafficDistribution:string@30',
      {
        ports: [
          struct('v1.ServicePort', 'name:string appProtocol:string port:int32 targetPort:intstr nodePort:int32', {
            protocol: oneOf('SCTP', 'TCP', 'UDP'),
          }),
        ],
        type: oneOf('ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'),
        sessionAffinity: oneOf('ClientIP', 'None'),
        externalTrafficPolicy: oneOf('Cluster', 'Local'),
        internalTrafficPolicy: oneOf('Cluster', 'Local'),
      },
    ),
  }),
  ConfigMap: top('ConfigMap', fields('data:strmap binaryData immutable:bool')),
  Secret: top('Secret', fields('data stringData:strmap type:string immutable:bool')),
  Ingress: top('Ingress', {
    status: '*',
    spec: struct('v1.IngressSpec', 'ingressClassName:string defaultBackend tls', {
      rules: [
        struct('v1.IngressRule', 'host:string', {
          http: struct('v1.HTTPIngressRuleValue', '', { paths: [struct('v1.HTTPIngressPath', 'path:string pathType backend')] }),
        }),
      ],
    }),
  }),
  Namespace: top('Namespace', fields('spec status')),
  Node: top('Node', fields('spec status')),
  Endpoints: top('Endpoints', fields('subsets')),
  EndpointSlice: top('EndpointSlice', fields('addressType endpoints ports')),
  Lease: top('Lease', {
    spec: struct(
      'v1.LeaseSpec',
      'holderIdentity:string leaseDurationSeconds:int32 acquireTime:microtime renewTime:microtime leaseTransitions:int32 strategy:string@31 preferredHolder:string@31',
    ),
  }),
  Event: top('Event', {
    ...fields(
      'involvedObject reason:string message:string source firstTimestamp:time lastTimestamp:time count:int32 eventTime:microtime action:string related reportingComponent:string reportingInstance:string',
    ),
    series: struct('v1.EventSeries', 'count:int32 lastObservedTime:microtime'),
    type: 'string',
  }),
  ServiceAccount: top('ServiceAccount', fields('secrets imagePullSecrets automountServiceAccountToken:bool')),
  ControllerRevision: top('ControllerRevision', fields('data revision:int64')),
  IngressClass: top('IngressClass', fields('spec')),
  CustomResourceDefinition: top('CustomResourceDefinition', fields('spec status')),
  ResourceQuota: top('ResourceQuota', fields('spec status')),
  LimitRange: top('LimitRange', fields('spec')),
  PersistentVolumeClaim: top('PersistentVolumeClaim', fields('spec status')),
} satisfies Record<string, FieldSchema>;
