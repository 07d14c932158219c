import { AuthorizationV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { Scenario } from './scenarios.js';
import { IMAGE_V1 } from './scenarios.js';

/**
 * Service-account, token and RBAC conformance: the behaviour of kube-apiserver's authenticator,
 * the RBAC authorizer, the ServiceAccount admission plugin and kube-controller-manager's
 * service-account and root-ca-cert-publisher controllers. Only public API, so they run
 * unchanged against a real cluster ($KUBECONFIG).
 */
function clients(kubeconfig: string): { kc: KubeConfig; core: CoreV1Api; rbac: RbacAuthorizationV1Api; authz: AuthorizationV1Api } {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    authz: kc.makeApiClient(AuthorizationV1Api),
  };
}

/** The same cluster, authenticated with a bearer token instead of the kubeconfig's user. */
function withToken(kc: KubeConfig, token: string): KubeConfig {
  const cluster = kc.getCurrentCluster()!;
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'sa', token }],
    contexts: [{ name: 'sa', cluster: cluster.name, user: 'sa' }],
    currentContext: 'sa',
  });
  return out;
}

async function statusOf(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
    return { code: 200, message: '' };
  } catch (e) {
    const err = e as { code?: number; body?: unknown };
    const body =
      typeof err.body === 'string' ? (JSON.parse(err.body) as { message?: string }) : (err.body as { message?: string } | undefined);
    return { code: err.code ?? 0, message: body?.message ?? '' };
  }
}

function check(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}

async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function token(core: CoreV1Api, ns: string, name: string): Promise<string> {
  const tr = await core.createNamespacedServiceAccountToken({
    name,
    namespace: ns,
    body: { spec: { audiences: [], expirationSeconds: 600 } },
  });
  check(tr.status?.token, 'TokenRequest returned a token');
  return tr.status.token;
}

export const authScenarios: Scenario[] = [
  {
    // service-account controller + root-ca-cert-publisher (kube-controller-manager)
    name: 'Every namespace has a default ServiceAccount and a kube-root-ca.crt ConfigMap',
    async run(ctx) {
      const { core } = clients(ctx.kubeconfig);
      await until(
        'default ServiceAccount',
        ctx.timeoutMs,
        async () => (await core.readNamespacedServiceAccount({ name: 'default', namespace: ctx.namespace })) ?? undefined,
      );
      const cm = await until('kube-root-ca.crt', ctx.timeoutMs, async () =>
        core.readNamespacedConfigMap({ name: 'kube-root-ca.crt', namespace: ctx.namespace }),
      );
      check(cm.data?.['ca.crt']?.includes('BEGIN CERTIFICATE'), 'ca.crt holds a PEM certificate');
      const svc = await core.readNamespacedService({ name: 'kubernetes', namespace: 'default' });
      check(
        svc.spec?.ports?.some((p) => p.name === 'https' && p.port === 443),
        'default/kubernetes serves https on 443',
      );
    },
  },
  {
    // ServiceAccount admission plugin
    name: 'A pod gets the projected kube-api-access volume at /var/run/secrets/kubernetes.io/serviceaccount; a missing ServiceAccount is forbidden',
    async run(ctx) {
      const { core } = clients(ctx.kubeconfig);
      const ns = ctx.namespace;
      const pod = await core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: 'sa-volume' },
          spec: { containers: [{ name: 'main', image: IMAGE_V1, command: ['sh', '-c', 'sleep 3600'] }] },
        },
      });
      const vol = pod.spec?.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
      const sources = vol?.projected?.sources ?? [];
      check(
        sources.some((s) => s.serviceAccountToken?.path === 'token'),
        `projected token source: ${JSON.stringify(pod.spec?.volumes)}`,
      );
      check(
        sources.some((s) => s.configMap?.name === 'kube-root-ca.crt'),
        'kube-root-ca.crt source',
      );
      const mount = pod.spec?.containers[0]?.volumeMounts?.find((m) => m.name === vol?.name);
      check(
        mount?.mountPath === '/var/run/secrets/kubernetes.io/serviceaccount' && mount.readOnly === true,
        `mount ${JSON.stringify(mount)}`,
      );
      const off = await core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: 'sa-off' },
          spec: {
            automountServiceAccountToken: false,
            containers: [{ name: 'main', image: IMAGE_V1, command: ['sh', '-c', 'sleep 3600'] }],
          },
        },
      });
      check(!off.spec?.volumes?.some((v) => v.name.startsWith('kube-api-access-')), 'automountServiceAccountToken: false adds nothing');
      const missing = await statusOf(
        core.createNamespacedPod({
          namespace: ns,
          body: { metadata: { name: 'sa-missing' }, spec: { serviceAccountName: 'nope', containers: [{ name: 'main', image: IMAGE_V1 }] } },
        }),
      );
      check(
        missing.code === 403 &&
          missing.message ===
            `pods "sa-missing" is forbidden: error looking up service account ${ns}/nope: serviceaccount "nope" not found`,
        `missing ServiceAccount: ${missing.code} ${missing.message}`,
      );
      await core.deleteNamespacedPod({ name: 'sa-volume', namespace: ns, gracePeriodSeconds: 0 });
      await core.deleteNamespacedPod({ name: 'sa-off', namespace: ns, gracePeriodSeconds: 0 });
    },
  },
  {
    // TokenRequest + the RBAC authorizer's decision and the 403 message of the real server
    name: 'A TokenRequest token is forbidden with the real message until a RoleBinding grants it; can-i agrees',
    async run(ctx) {
      const { kc, core, rbac } = clients(ctx.kubeconfig);
      const ns = ctx.namespace;
      await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'conf-reader' } } });
      const asSa = withToken(kc, await token(core, ns, 'conf-reader'));
      const saCore = asSa.makeApiClient(CoreV1Api);
      const saAuthz = asSa.makeApiClient(AuthorizationV1Api);
      const user = `system:serviceaccount:${ns}:conf-reader`;
      const denied = await statusOf(saCore.listNamespacedPod({ namespace: ns }));
      check(
        denied.code === 403 &&
          denied.message === `pods is forbidden: User "${user}" cannot list resource "pods" in API group "" in the namespace "${ns}"`,
        `denied: ${denied.code} ${denied.message}`,
      );
      const canI = async (verb: string, resource: string, subresource = ''): Promise<boolean | undefined> =>
        (
          await saAuthz.createSelfSubjectAccessReview({
            body: { spec: { resourceAttributes: { namespace: ns, verb, resource, subresource } } },
          })
        ).status?.allowed;
      check((await canI('list', 'pods')) === false, 'can-i list pods: no');
      await rbac.createNamespacedRole({
        namespace: ns,
        body: {
          metadata: { name: 'conf-reader' },
          rules: [
            { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] },
            { apiGroups: [''], resources: ['configmaps'], verbs: ['lsit'] },
          ],
        },
      });
      await rbac.createNamespacedRoleBinding({
        namespace: ns,
        body: {
          metadata: { name: 'conf-reader' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'conf-reader' },
          subjects: [{ kind: 'ServiceAccount', name: 'conf-reader', namespace: ns }],
        },
      });
      // RBAC reads an informer cache on a real server: allow for its propagation.
      await until('the RoleBinding to take effect', ctx.timeoutMs, async () =>
        (await statusOf(saCore.listNamespacedPod({ namespace: ns }))).code === 200 ? true : undefined,
      );
      check((await canI('list', 'pods')) === true, 'can-i list pods: yes');
      check((await canI('get', 'pods', 'log')) === true, 'can-i get pods/log: yes');
      check((await canI('delete', 'pods')) === false, 'can-i delete pods: no');
      const typo = await statusOf(saCore.listNamespacedConfigMap({ namespace: ns }));
      check(typo.code === 403, `a rule with the unknown verb "lsit" grants nothing (${typo.code})`);
      const other = await statusOf(saCore.listNamespacedPod({ namespace: 'default' }));
      check(other.code === 403, 'a RoleBinding grants nothing in another namespace');
    },
  },
  {
    // the service-account token authenticator checks that the account still exists
    name: 'A token of a deleted ServiceAccount is rejected with 401 Unauthorized',
    async run(ctx) {
      const { kc, core } = clients(ctx.kubeconfig);
      const ns = ctx.namespace;
      await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'conf-gone' } } });
      const asSa = withToken(kc, await token(core, ns, 'conf-gone')).makeApiClient(AuthorizationV1Api);
      const review = (): Promise<unknown> => asSa.createSelfSubjectRulesReview({ body: { spec: { namespace: ns } } });
      check((await statusOf(review())).code === 200, 'the token works while the ServiceAccount exists');
      await core.deleteNamespacedServiceAccount({ name: 'conf-gone', namespace: ns });
      await until('the token to be rejected with 401', ctx.timeoutMs, async () =>
        (await statusOf(review())).code === 401 ? true : undefined,
      );
    },
  },
];
