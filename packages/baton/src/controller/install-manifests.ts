import type { KubeObject } from '../kube/kube-object.js';
import { releaseCrd } from './release-crd.js';

export interface InstallOptions {
  /** Where the controller runs. Default `baton-system`. */
  namespace?: string;
  /** Default `baton/controller:0.1.0` (kubesim maps it to the local build through images.yaml). */
  image?: string;
  replicas?: number;
  /**
   * Where each replica serves the dashboard, or 'off'. Default 127.0.0.1:8080: the pod's own
   * loopback, which `kubectl port-forward` reaches and the pod network does not.
   */
  dashboardAddress?: string;
}

/** The dashboard's port in the pod (loopback only, so no containerPort: port-forward needs none). */
export const dashboardPort = 8080;

const labels = { 'app.kubernetes.io/name': 'baton', 'app.kubernetes.io/component': 'controller' };
const all = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const read = ['get', 'list', 'watch'];

/**
 * Least privilege for what baton's steps do, cluster-wide (apps live in their own namespaces):
 * Releases and their status; the app's Deployments, Services, ConfigMaps, Secrets (content-hashed
 * copies), Jobs (migrations, tests), traffic objects (Ingress, HTTPRoute, VirtualService); pods
 * to watch and exec hooks in; Leases for the per-app lock; Events. Nothing else: an app manifest
 * of another kind fails with the API's 403, named in the Release's ReconcileError condition.
 */
export function controllerClusterRole(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'baton-controller', labels },
    rules: [
      { apiGroups: ['baton.dev'], resources: ['releases'], verbs: read },
      { apiGroups: ['baton.dev'], resources: ['releases/status'], verbs: ['get', 'update', 'patch'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: all },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: read },
      { apiGroups: [''], resources: ['services', 'configmaps', 'secrets'], verbs: all },
      { apiGroups: [''], resources: ['pods'], verbs: read },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] },
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
      { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
      { apiGroups: ['networking.istio.io'], resources: ['virtualservices'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
    ],
  };
}

/**
 * What a person needs to use the controller's dashboard, bound to nobody by the install (an admin
 * binds it): port-forward to the controller's pods, and read the one Secret holding the token.
 * Nothing else in the controller's namespace; the page acts only through the controller.
 */
export function dashboardUserRole(namespace: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'baton-dashboard-user', namespace, labels },
    rules: [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['baton-dashboard'], verbs: ['get'] },
    ],
  };
}

/** Every object `kubectl apply -k config/` and `baton install` create, in apply order. */
export function installManifests(o: InstallOptions = {}): KubeObject[] {
  const namespace = o.namespace ?? 'baton-system';
  const meta = (name: string) => ({ name, namespace, labels });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } },
    releaseCrd(),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('baton-controller') },
    controllerClusterRole(),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'baton-controller', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'baton-controller' },
      subjects: [{ kind: 'ServiceAccount', name: 'baton-controller', namespace }],
    },
    dashboardUserRole(namespace),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('baton-controller'),
      spec: {
        replicas: o.replicas ?? 2,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'baton-controller',
            terminationGracePeriodSeconds: 30,
            containers: [
              {
                name: 'controller',
                image: o.image ?? 'baton/controller:0.1.0',
                args: ['controller', '--metrics-address', '$(POD_IP):9090'],
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                  { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                  // On by default, on the pod's loopback, behind the token in Secret baton-dashboard.
                  { name: 'BATON_DASHBOARD_ADDRESS', value: o.dashboardAddress ?? `127.0.0.1:${dashboardPort}` },
                ],
                ports: [{ name: 'metrics', containerPort: 9090 }],
                readinessProbe: { httpGet: { path: '/healthz', port: 'metrics' }, periodSeconds: 2 },
                livenessProbe: { httpGet: { path: '/healthz', port: 'metrics' }, periodSeconds: 10 },
                resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } },
                securityContext: {
                  runAsNonRoot: true,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta('baton-controller'),
      spec: { minAvailable: 1, selector: { matchLabels: labels } },
    },
  ];
}

/** The files of `config/` (kustomize), keyed by relative path: what `baton install --write` writes. */
export function kustomizeFiles(stringify: (o: KubeObject) => string, o: InstallOptions = {}): Record<string, string> {
  const objects = installManifests(o);
  const header = '# Generated by `baton install --write config`; edit packages/baton/src/controller/install-manifests.ts instead.\n';
  const fileOf = (obj: KubeObject) => {
    if (obj.kind === 'CustomResourceDefinition') return 'crd/releases.baton.dev.yaml';
    if (obj.kind === 'Namespace') return 'namespace.yaml';
    if (['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role'].includes(obj.kind)) return 'rbac.yaml';
    if (obj.kind === 'PodDisruptionBudget') return 'pdb.yaml';
    return 'deployment.yaml';
  };
  const files: Record<string, string> = {};
  for (const obj of objects) {
    const file = fileOf(obj);
    files[file] = `${files[file] ?? header}---\n${stringify(obj)}`;
  }
  files['kustomization.yaml'] =
    `${header}apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${['namespace.yaml', 'crd/releases.baton.dev.yaml', 'rbac.yaml', 'deployment.yaml', 'pdb.yaml'].map((f) => `  - ${f}`).join('\n')}\n`;
  return files;
}
