import type { PolicyRule } from './rbac-rules.js';

/**
 * The default ClusterRoles and ClusterRoleBindings a kube-apiserver creates at start
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), for the resources kubesim serves. The
 * user-facing admin/edit/view roles are aggregated from the system:aggregate-to-* roles, as upstream.
 */
const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];

const r = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({ apiGroups, resources, verbs });

const viewRules: PolicyRule[] = [
  r(
    [''],
    [
      'pods',
      'pods/log',
      'pods/status',
      'services',
      'services/status',
      'endpoints',
      'configmaps',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'replicationcontrollers',
      'serviceaccounts',
      'events',
      'limitranges',
      'resourcequotas',
      'resourcequotas/status',
      'namespaces',
      'namespaces/status',
      'bindings',
    ],
    read,
  ),
  r(
    ['apps'],
    [
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
      'daemonsets',
      'daemonsets/status',
      'controllerrevisions',
    ],
    read,
  ),
  r(['batch'], ['jobs', 'jobs/status', 'cronjobs', 'cronjobs/status'], read),
  r(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], read),
  r(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], read),
  r(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], read),
  r(['discovery.k8s.io'], ['endpointslices'], read),
];

const editRules: PolicyRule[] = [
  r([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], write),
  r([''], ['pods/eviction'], ['create']),
  r(
    [''],
    [
      'configmaps',
      'events',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
      'endpoints',
    ],
    write,
  ),
  r([''], ['serviceaccounts/token'], ['create']),
  r([''], ['secrets'], read),
  r(
    ['apps'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
    write,
  ),
  r(['autoscaling'], ['horizontalpodautoscalers'], write),
  r(['batch'], ['cronjobs', 'jobs'], write),
  r(['policy'], ['poddisruptionbudgets'], write),
  r(['networking.k8s.io'], ['ingresses', 'networkpolicies'], write),
  r(['discovery.k8s.io'], ['endpointslices'], write),
  r(['coordination.k8s.io'], ['leases'], [...read, ...write]),
];

const adminRules: PolicyRule[] = [
  r(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
  r(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], [...read, ...write]),
];

const discoveryUrls = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/livez',
  '/openapi',
  '/openapi/*',
  '/readyz',
  '/version',
  '/version/',
];
const publicUrls = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

const labels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const annotations = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

function clusterRole(
  name: string,
  rules: PolicyRule[],
  extraLabels: Record<string, string> = {},
  aggregateFrom?: string,
): Record<string, unknown> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { ...labels, ...extraLabels }, annotations },
    rules,
    ...(aggregateFrom
      ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`rbac.authorization.k8s.io/${aggregateFrom}`]: 'true' } }] } }
      : {}),
  };
}

function clusterRoleBinding(name: string, role: string, groups: string[]): Record<string, unknown> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, labels, annotations },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: groups.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
  };
}

export const bootstrapClusterRoles = [
  clusterRole('cluster-admin', [r(['*'], ['*'], ['*']), { nonResourceURLs: ['*'], verbs: ['*'] }]),
  clusterRole('system:discovery', [{ nonResourceURLs: discoveryUrls, verbs: ['get'] }]),
  clusterRole('system:public-info-viewer', [{ nonResourceURLs: publicUrls, verbs: ['get'] }]),
  clusterRole('system:basic-user', [
    r(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
    r(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
  ]),
  clusterRole('admin', [], {}, 'aggregate-to-admin'),
  clusterRole('edit', [], { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }, 'aggregate-to-edit'),
  clusterRole('view', [], { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }, 'aggregate-to-view'),
  clusterRole('system:aggregate-to-admin', adminRules, { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }),
  clusterRole('system:aggregate-to-edit', editRules, { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }),
  clusterRole('system:aggregate-to-view', viewRules, { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }),
];

export const bootstrapClusterRoleBindings = [
  clusterRoleBinding('cluster-admin', 'cluster-admin', ['system:masters']),
  clusterRoleBinding('system:discovery', 'system:discovery', ['system:authenticated']),
  clusterRoleBinding('system:basic-user', 'system:basic-user', ['system:authenticated']),
  clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
];
