// The fixture templates, in the API server's stored (defaulted) form, as "kubectl get -o json" shows
// them. Prints the fixtures JSON (without hashes) to stdout; generate.mjs fills in the hashes.
const c = (name, image, extra = {}) => ({
  name,
  image,
  resources: {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  imagePullPolicy: image.endsWith(':latest') || !image.includes(':') ? 'Always' : 'IfNotPresent',
  ...extra,
});
const spec = (containers, extra = {}) => ({
  containers,
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  securityContext: {},
  schedulerName: 'default-scheduler',
  ...extra,
});
const t = (labels, s, meta = {}) => ({ metadata: { creationTimestamp: null, labels, ...meta }, spec: s });
const nginx = t({ app: 'nginx' }, spec([c('nginx', 'nginx:1.14.2', { ports: [{ containerPort: 80, protocol: 'TCP' }] })]));
const probe = (handler) => ({ ...handler, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
const fixtures = [
  { name: 'minimal', template: t({ app: 'web' }, spec([c('main', 'web:1')])) },
  { name: 'kubernetes docs nginx-deployment', template: nginx },
  { name: 'nginx collisionCount 0', template: nginx, collisionCount: 0 },
  { name: 'nginx collisionCount 1', template: nginx, collisionCount: 1 },
  { name: 'minimal collisionCount 1', template: t({ app: 'web' }, spec([c('main', 'web:1')])), collisionCount: 1 },
  {
    name: 'env',
    template: t(
      { app: 'web' },
      spec([
        c('main', 'web:2', {
          env: [
            { name: 'MODE', value: 'prod' },
            { name: 'EMPTY' },
            { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password', optional: false } } },
          ],
          envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
          args: ['--port', '8080'],
          command: ['/app'],
        }),
      ]),
    ),
  },
  {
    name: 'probes',
    template: t(
      { app: 'web' },
      spec([
        c('main', 'web:3', {
          readinessProbe: probe({ httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 2 }),
          livenessProbe: probe({ tcpSocket: { port: 'http' } }),
          startupProbe: probe({ exec: { command: ['cat', '/tmp/ready'] }, failureThreshold: 30 }),
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        }),
      ]),
    ),
  },
  {
    name: 'ports',
    template: t(
      { app: 'web' },
      spec([
        c('main', 'web:4', {
          ports: [
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
            { name: 'dns', containerPort: 53, protocol: 'UDP', hostPort: 5353 },
            { containerPort: 9090, protocol: 'TCP', hostIP: '127.0.0.1' },
          ],
        }),
      ]),
    ),
  },
  {
    name: 'volumes',
    template: t(
      { app: 'web' },
      spec(
        [
          c('main', 'web:5', {
            volumeMounts: [
              { name: 'cfg', mountPath: '/etc/app', readOnly: true },
              { name: 'scratch', mountPath: '/tmp' },
              { name: 'data', mountPath: '/data', subPath: 'x' },
            ],
          }),
        ],
        {
          volumes: [
            { name: 'cfg', configMap: { name: 'app-config', defaultMode: 420, items: [{ key: 'a.yaml', path: 'a.yaml' }] } },
            { name: 'scratch', emptyDir: {} },
            { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
            { name: 'tls', secret: { secretName: 'tls', defaultMode: 420 } },
          ],
        },
      ),
    ),
  },
  {
    name: 'securityContext',
    template: t(
      { app: 'web' },
      spec(
        [
          c('main', 'web:6', {
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
            },
          }),
        ],
        { securityContext: { fsGroup: 2000, runAsGroup: 3000, seccompProfile: { type: 'RuntimeDefault' } } },
      ),
    ),
  },
  {
    name: 'lifecycle exec preStop',
    template: t(
      { app: 'web' },
      spec(
        [
          c('main', 'web:7', {
            lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5'] } } },
          }),
        ],
        { terminationGracePeriodSeconds: 45 },
      ),
    ),
  },
  {
    name: 'tolerations and affinity',
    template: t(
      { app: 'web' },
      spec([c('main', 'web:8')], {
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
        ],
        nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' },
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: {
                  labelSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
                  topologyKey: 'kubernetes.io/hostname',
                },
              },
            ],
          },
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }] }],
            },
          },
        },
      }),
    ),
  },
  {
    name: 'labels and annotations (SortKeys)',
    template: t(
      { 'app.kubernetes.io/name': 'web', app: 'web', Zeta: 'z', tier: 'frontend', 'a-b': '1', ä: 'umlaut' },
      spec([c('main', 'web:9')]),
      {
        annotations: {
          'prometheus.io/scrape': 'true',
          'baton.dev/release': 'r1',
          'kubectl.kubernetes.io/restartedAt': '2026-01-02T03:04:05Z',
        },
      },
    ),
  },
  {
    name: 'resources (quantities)',
    template: t(
      { app: 'web' },
      spec(
        [
          c('main', 'web:10', {
            resources: {
              requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '1G' },
              limits: { cpu: '1', memory: '1Gi' },
            },
          }),
        ],
        { volumes: [{ name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }] },
      ),
    ),
  },
  {
    name: 'resources odd quantities',
    template: t(
      { app: 'web' },
      spec([
        c('main', 'web:11', {
          resources: {
            requests: { cpu: '1500m', memory: '1000', 'example.com/gpu': '2' },
            limits: { cpu: '2500m', memory: '3Gi', 'example.com/gpu': '0' },
          },
        }),
      ]),
    ),
  },
  {
    name: 'quantities written non-canonically',
    template: t(
      { app: 'web' },
      spec([
        c('main', 'web:13', {
          resources: {
            requests: { cpu: '0.5', memory: '1.5Gi', 'ephemeral-storage': '1000Mi' },
            limits: { cpu: '1000m', memory: '128974848', 'example.com/x': '1e3' },
          },
        }),
      ]),
    ),
  },
  {
    name: 'quantities beyond int64 (inf.Dec)',
    template: t(
      { app: 'web' },
      spec([
        c('main', 'web:14', {
          resources: {
            requests: { 'example.com/big': '123456789012345678901', 'example.com/exp': '1e30', 'example.com/bin': '12345678901234567Gi' },
          },
        }),
      ]),
    ),
  },
  {
    name: 'init container, pull secrets, service account',
    template: t(
      { app: 'web' },
      spec([c('main', 'web:12')], {
        initContainers: [c('migrate', 'web:12', { command: ['migrate'] })],
        imagePullSecrets: [{ name: 'registry' }],
        serviceAccountName: 'web',
        serviceAccount: 'web',
        priorityClassName: 'high',
        enableServiceLinks: false,
        hostname: 'h',
        subdomain: 's',
      }),
    ),
  },
  {
    name: 'rolling update strategy app (baton demo style)',
    template: t(
      { app: 'demo', 'baton.dev/track': 'stable' },
      spec([
        c('app', 'demo-app:latest', {
          ports: [{ name: 'http', containerPort: 3000, protocol: 'TCP' }],
          readinessProbe: probe({ httpGet: { path: '/ready', port: 'http', scheme: 'HTTP' } }),
          lifecycle: { preStop: { sleep: { seconds: 5 } } },
        }),
      ]),
    ),
  },
];
process.stdout.write(`${JSON.stringify(fixtures, null, 2)}\n`);
