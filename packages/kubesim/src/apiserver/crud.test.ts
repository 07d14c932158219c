import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deployment, startTestCluster, type TestCluster } from './test-support.js';

describe('apiserver CRUD', { timeout: 30_000 }, () => {
  let c: TestCluster;
  before(async () => {
    c = await startTestCluster();
  });
  after(async () => {
    await c.stop();
  });

  it('rejects requests without the bearer token with a 401 Status', async () => {
    const r = await c.server.fetch('/api/v1/namespaces');
    assert.equal(r.status, 401);
    const s = (await r.json()) as { kind: string; reason: string };
    assert.equal(s.kind, 'Status');
    assert.equal(s.reason, 'Unauthorized');
  });

  it('answers a body over 3 MiB with 413 (not a reset connection) and a ConfigMap over 1 MiB with 422', async () => {
    const big = { metadata: { name: 'huge' }, data: { blob: 'x'.repeat(4 * 1024 * 1024) } };
    const r = await c.req('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', ...big });
    assert.equal(r.status, 413);
    assert.equal(r.body.reason, 'RequestEntityTooLarge');
    assert.equal(r.body.message, 'Request entity too large: limit is 3145728');
    // The same client goes on: client-node (one keep-alive agent) gets its 413 as an error, then works.
    await assert.rejects(c.core.createNamespacedConfigMap({ namespace: 'default', body: big }), (e: { code?: number }) => e.code === 413);
    const tooLong = await c.req('POST', '/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'long' },
      data: { blob: 'x'.repeat(1024 * 1024 + 1) },
    });
    assert.equal(tooLong.status, 422);
    assert.match(tooLong.body.message, /Too long: must have at most 1048576 bytes/);
    const ok = await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'after-413' } } });
    assert.equal(ok.metadata?.name, 'after-413');
  });

  it('creates, gets, lists, updates and deletes through client-node', async () => {
    const cm = await c.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'cm1', labels: { a: '1' } }, data: { k: 'v' } },
    });
    assert.ok(cm.metadata?.uid);
    assert.ok(cm.metadata?.creationTimestamp);
    const got = await c.core.readNamespacedConfigMap({ namespace: 'default', name: 'cm1' });
    assert.equal(got.data?.['k'], 'v');
    got.data = { k: 'w' };
    const upd = await c.core.replaceNamespacedConfigMap({ namespace: 'default', name: 'cm1', body: got });
    assert.ok(Number(upd.metadata?.resourceVersion) > Number(cm.metadata?.resourceVersion));
    const list = await c.core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'a=1' });
    assert.deepEqual(
      list.items.map((i) => i.metadata?.name),
      ['cm1'],
    );
    await c.core.deleteNamespacedConfigMap({ namespace: 'default', name: 'cm1' });
    const r = await c.req('GET', '/api/v1/namespaces/default/configmaps/cm1');
    assert.equal(r.status, 404);
    assert.equal(r.body.reason, 'NotFound');
    assert.equal(r.body.message, 'configmaps "cm1" not found');
    assert.deepEqual(r.body.details, { name: 'cm1', group: '', kind: 'configmaps' });
  });

  it('answers 409 Conflict on a stale resourceVersion and 409 AlreadyExists on duplicate create', async () => {
    const cm = await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cm2' } } });
    await c.core.replaceNamespacedConfigMap({ namespace: 'default', name: 'cm2', body: { ...cm, data: { a: 'b' } } });
    const stale = await c.req('PUT', '/api/v1/namespaces/default/configmaps/cm2', { ...cm, data: { a: 'c' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    assert.match(stale.body.message, /the object has been modified; please apply your changes to the latest version and try again/);
    const dup = await c.req('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'cm2' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.reason, 'AlreadyExists');
    assert.equal(dup.body.message, 'configmaps "cm2" already exists');
  });

  it('bumps generation on spec changes only and keeps status and spec writes apart', async () => {
    const d = await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('gen') });
    assert.equal(d.metadata?.generation, 1);
    const labelled = await c.apps.replaceNamespacedDeployment({
      namespace: 'default',
      name: 'gen',
      body: { ...d, metadata: { ...d.metadata, labels: { x: 'y' } } },
    });
    assert.equal(labelled.metadata?.generation, 1, 'metadata change keeps generation');
    const scaled = await c.apps.replaceNamespacedDeployment({
      namespace: 'default',
      name: 'gen',
      body: { ...labelled, spec: { ...labelled.spec!, replicas: 3 }, status: { replicas: 99 } },
    });
    assert.equal(scaled.metadata?.generation, 2);
    assert.equal(scaled.status?.replicas, undefined, 'main resource write ignores status');
    const st = await c.apps.replaceNamespacedDeploymentStatus({
      namespace: 'default',
      name: 'gen',
      body: { ...scaled, spec: { ...scaled.spec!, replicas: 7 }, status: { replicas: 3, observedGeneration: 2 } },
    });
    assert.equal(st.status?.replicas, 3);
    assert.equal(st.spec?.replicas, 3, 'status write ignores spec');
    assert.equal(st.metadata?.generation, 2);
  });

  it('applies Deployment, Pod, Service, Job and Secret defaults', async () => {
    const d = await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('defaults', { replicas: undefined }) });
    assert.equal(d.spec?.replicas, 1);
    assert.deepEqual(JSON.parse(JSON.stringify(d.spec?.strategy)), {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    assert.equal(d.spec?.revisionHistoryLimit, 10);
    assert.equal(d.spec?.progressDeadlineSeconds, 600);
    const pod = await c.core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'p' },
        spec: {
          containers: [
            { name: 'a', image: 'x', ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { path: '/', port: 80 } } },
            { name: 'b', image: 'x:1.2' },
          ],
        },
      },
    });
    assert.equal(pod.spec?.restartPolicy, 'Always');
    assert.equal(pod.spec?.terminationGracePeriodSeconds, 30);
    assert.equal(pod.spec?.dnsPolicy, 'ClusterFirst');
    assert.equal(pod.spec?.schedulerName, 'default-scheduler');
    assert.equal(pod.spec?.containers[0]?.imagePullPolicy, 'Always');
    assert.equal(pod.spec?.containers[1]?.imagePullPolicy, 'IfNotPresent');
    assert.equal(pod.spec?.containers[0]?.terminationMessagePath, '/dev/termination-log');
    assert.equal(pod.spec?.containers[0]?.ports?.[0]?.protocol, 'TCP');
    const probe = pod.spec?.containers[0]?.readinessProbe;
    assert.deepEqual([probe?.timeoutSeconds, probe?.periodSeconds, probe?.successThreshold, probe?.failureThreshold], [1, 10, 1, 3]);
    assert.equal(pod.status?.phase, 'Pending');
    const svc = await c.core.createNamespacedService({
      namespace: 'default',
      body: { metadata: { name: 's' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } },
    });
    assert.equal(svc.spec?.type, 'ClusterIP');
    assert.equal(svc.spec?.sessionAffinity, 'None');
    assert.equal(svc.spec?.ports?.[0]?.protocol, 'TCP');
    assert.equal(svc.spec?.ports?.[0]?.targetPort, 80);
    assert.match(svc.spec?.clusterIP ?? '', /^127\.96\.\d+\.\d+$/);
    const headless = await c.core.createNamespacedService({
      namespace: 'default',
      body: { metadata: { name: 'h' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
    });
    assert.equal(headless.spec?.clusterIP, 'None');
    const outside = await c.req('POST', '/api/v1/namespaces/default/services', {
      metadata: { name: 'outside' },
      spec: { clusterIP: '10.0.0.1', ports: [{ port: 80 }] },
    });
    assert.equal(outside.status, 422);
    assert.match(outside.body.message, /provided IP is not in the valid range. The range of valid IPs is 127.96.0.0\/16/);
    const taken = await c.req('POST', '/api/v1/namespaces/default/services', {
      metadata: { name: 'taken' },
      spec: { clusterIP: svc.spec?.clusterIP, ports: [{ port: 80 }] },
    });
    assert.equal(taken.status, 422);
    assert.match(taken.body.message, /provided IP is already allocated/);
    const job = await c.batch.createNamespacedJob({
      namespace: 'default',
      body: {
        metadata: { name: 'j' },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'x:1' }] } } },
      },
    });
    const uid = job.metadata?.uid ?? '';
    assert.deepEqual(
      [job.spec?.backoffLimit, job.spec?.completions, job.spec?.parallelism, job.spec?.completionMode, job.spec?.suspend],
      [6, 1, 1, 'NonIndexed', false],
    );
    assert.deepEqual(JSON.parse(JSON.stringify(job.spec?.selector)), { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.equal(job.spec?.template.metadata?.labels?.['job-name'], 'j');
    assert.equal(job.spec?.template.metadata?.labels?.['controller-uid'], uid);
    const sec = await c.core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'sec' }, stringData: { pw: 'hunter2' } },
    });
    assert.equal(sec.data?.['pw'], Buffer.from('hunter2').toString('base64'));
    assert.equal(sec.type, 'Opaque');
    assert.equal((sec as { stringData?: unknown }).stringData, undefined);
  });

  it('validates with 422 Invalid and field causes', async () => {
    const noImage = await c.req('POST', '/api/v1/namespaces/default/pods', {
      metadata: { name: 'bad' },
      spec: { containers: [{ name: 'a' }] },
    });
    assert.equal(noImage.status, 422);
    assert.equal(noImage.body.reason, 'Invalid');
    assert.deepEqual(noImage.body.details.causes, [
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' },
    ]);
    const mismatch = await c.req(
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      deployment('mm', { template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'a', image: 'b' }] } } }),
    );
    assert.equal(mismatch.status, 422);
    assert.equal(mismatch.body.details.causes[0].field, 'spec.template.metadata.labels');
    assert.match(mismatch.body.message, /`selector` does not match template `labels`/);
    const badName = await c.req('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'Bad_Name' } });
    assert.equal(badName.status, 422);
    assert.equal(badName.body.details.causes[0].field, 'metadata.name');
    const svc = await c.req('POST', '/api/v1/namespaces/default/services', {
      metadata: { name: 'noports' },
      spec: { selector: { a: 'b' } },
    });
    assert.equal(svc.status, 422);
    assert.equal(svc.body.details.causes[0].field, 'spec.ports');
    await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('immut') });
    const sel = await c.req(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/immut',
      { spec: { selector: { matchLabels: { app: 'immut', v: '2' } }, template: { metadata: { labels: { app: 'immut', v: '2' } } } } },
      'application/merge-patch+json',
    );
    assert.equal(sel.status, 422);
    assert.ok(
      sel.body.details.causes.some(
        (x: { field: string; message: string }) => x.field === 'spec.selector' && /field is immutable/.test(x.message),
      ),
    );
    await c.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'frozen' }, data: { a: '1' }, immutable: true },
    });
    const frozen = await c.req(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/frozen',
      { data: { a: '2' } },
      'application/merge-patch+json',
    );
    assert.equal(frozen.status, 422);
    assert.equal(frozen.body.details.causes[0].field, 'data');
    const podSpec = await c.req(
      'PATCH',
      '/api/v1/namespaces/default/pods/p',
      { spec: { restartPolicy: 'Never' } },
      'application/merge-patch+json',
    );
    assert.equal(podSpec.status, 422);
    assert.match(podSpec.body.message, /pod updates may not change fields other than/);
    const details = await c.req('POST', '/api/v1/namespaces/default/pods', {
      metadata: { name: 'details' },
      spec: {
        volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }, { name: 'nosource' }],
        containers: [
          {
            name: 'a',
            image: 'b',
            volumeMounts: [
              { name: 'missing', mountPath: '/x' },
              { name: 'data', mountPath: '/x' },
            ],
            ports: [{ name: 'a-very-long-port-name', containerPort: 80 }],
            readinessProbe: { periodSeconds: 1 },
            env: [{ value: 'x' }],
          },
        ],
      },
    });
    assert.equal(details.status, 422);
    assert.deepEqual(
      details.body.details.causes.map((x: { field: string; reason: string }) => `${x.field} ${x.reason}`),
      [
        'spec.volumes[1].name FieldValueDuplicate',
        'spec.volumes[2] FieldValueRequired',
        'spec.containers[0].volumeMounts[0].name FieldValueNotFound',
        'spec.containers[0].volumeMounts[1].mountPath FieldValueInvalid',
        'spec.containers[0].ports[0].name FieldValueInvalid',
        'spec.containers[0].readinessProbe FieldValueRequired',
        'spec.containers[0].env[0].name FieldValueRequired',
      ],
    );
    const np = await c.req('POST', '/api/v1/namespaces/default/services', {
      metadata: { name: 'np' },
      spec: { type: 'NodePort', ports: [{ port: 80 }] },
    });
    assert.equal(np.status, 201);
    const nodePort = np.body.spec.ports[0].nodePort;
    assert.ok(nodePort >= 30000 && nodePort <= 32767);
    const clash = await c.req('POST', '/api/v1/namespaces/default/services', {
      metadata: { name: 'np2' },
      spec: { type: 'NodePort', ports: [{ port: 80, nodePort }] },
    });
    assert.equal(clash.status, 422);
    assert.match(clash.body.message, /provided port is already allocated/);
    const kept = await c.req(
      'PATCH',
      '/api/v1/namespaces/default/services/np',
      { metadata: { labels: { a: 'b' } } },
      'application/merge-patch+json',
    );
    assert.equal(kept.body.spec.ports[0].nodePort, nodePort);
    const big = await c.req('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'big', annotations: { a: 'x'.repeat(300_000) } },
      data: { d: 'y'.repeat(1_100_000) },
    });
    assert.equal(big.status, 422);
    assert.deepEqual(
      big.body.details.causes.map((x: { field: string; reason: string }) => `${x.field} ${x.reason}`),
      ['metadata.annotations FieldValueTooLong', 'data FieldValueTooLong'],
    );
    const podImage = await c.req(
      'PATCH',
      '/api/v1/namespaces/default/pods/p',
      { spec: { containers: [{ name: 'a', image: 'y' }] } },
      'application/strategic-merge-patch+json',
    );
    assert.equal(podImage.status, 200, 'image is mutable');
  });

  it('answers malformed bodies, unknown paths, methods and media types with the real codes', async () => {
    const bad = await c.req('POST', '/api/v1/namespaces/default/configmaps', '{not json');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.reason, 'BadRequest');
    assert.equal((await c.req('GET', '/apis/nope.io/v1/things')).status, 404);
    assert.equal((await c.req('POST', '/api/v1/namespaces/default/configmaps/x')).status, 405);
    const media = await c.req('PATCH', '/api/v1/namespaces/default/configmaps/frozen', '{}', 'text/plain');
    assert.equal(media.status, 415);
    assert.equal(media.body.reason, 'UnsupportedMediaType');
    const missingNs = await c.req('POST', '/api/v1/namespaces/nowhere/configmaps', { metadata: { name: 'x' } });
    assert.equal(missingNs.status, 404);
    assert.equal(missingNs.body.message, 'namespaces "nowhere" not found');
  });

  it('drops unknown fields with a warning, and rejects them under fieldValidation=Strict', async () => {
    const body = deployment('unknown');
    body.spec.replica = 3;
    body.spec.template.spec.containers[0].imagePolicy = 'Always';
    const strict = await c.req('POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict', body);
    assert.equal(strict.status, 400);
    assert.equal(
      strict.body.message,
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePolicy", unknown field "spec.replica"',
    );
    const r = await c.server.fetch('/apis/apps/v1/namespaces/default/deployments', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { authorization: `Bearer ${c.server.token}`, 'content-type': 'application/json' },
    });
    assert.equal(r.status, 201);
    assert.match(r.headers.get('warning') ?? '', /299 - "unknown field \\"spec.replica\\""/);
    const stored = (await r.json()) as { spec: Record<string, unknown> };
    assert.equal(stored.spec['replica'], undefined);
  });

  it('dryRun=All validates and answers without writing', async () => {
    const created = await c.req('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', {
      metadata: { name: 'dry' },
      data: { a: '1' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.metadata.resourceVersion, undefined);
    assert.equal((await c.req('GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404);
    const invalid = await c.req('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { metadata: { name: 'Dry!' } });
    assert.equal(invalid.status, 422);
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'dry' }, data: { a: '1' } } });
    const patched = await c.req(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/dry?dryRun=All',
      { data: { a: '2' } },
      'application/merge-patch+json',
    );
    assert.equal(patched.body.data.a, '2');
    assert.equal((await c.core.readNamespacedConfigMap({ namespace: 'default', name: 'dry' })).data?.['a'], '1');
    const del = await c.req('DELETE', '/api/v1/namespaces/default/configmaps/dry?dryRun=All');
    assert.equal(del.status, 200);
    assert.equal((await c.req('GET', '/api/v1/namespaces/default/configmaps/dry')).status, 200);
  });

  it('filters lists by label and field selectors', async () => {
    for (const [name, labels] of [
      ['l1', { tier: 'web', env: 'prod' }],
      ['l2', { tier: 'db', env: 'prod' }],
      ['l3', { tier: 'web' }],
    ] as const) {
      await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name, labels: { ...labels } } } });
    }
    const names = async (q: string): Promise<string[]> =>
      (await c.req('GET', `/api/v1/namespaces/default/configmaps?${q}`)).body.items
        .map((i: { metadata: { name: string } }) => i.metadata.name)
        .filter((n: string) => n.startsWith('l'));
    assert.deepEqual(await names('labelSelector=tier%3Dweb'), ['l1', 'l3']);
    assert.deepEqual(await names('labelSelector=tier%3D%3Dweb,env'), ['l1']);
    assert.deepEqual(await names('labelSelector=tier!%3Dweb'), ['l2']);
    assert.deepEqual(await names('labelSelector=tier%20in%20(db,cache)'), ['l2']);
    assert.deepEqual(await names('labelSelector=tier%20notin%20(db)'), ['l1', 'l3']);
    assert.deepEqual(await names('labelSelector=!env'), ['l3']);
    assert.deepEqual(await names('fieldSelector=metadata.name%3Dl2'), ['l2']);
    assert.deepEqual(await names('fieldSelector=metadata.name!%3Dl2&labelSelector=tier'), ['l1', 'l3']);
    await c.core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'onnode' }, spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'b' }] } },
    });
    const pods = await c.core.listNamespacedPod({ namespace: 'default', fieldSelector: 'spec.nodeName=n1,status.phase=Pending' });
    assert.deepEqual(
      pods.items.map((p) => p.metadata?.name),
      ['onnode'],
    );
    const unsupported = await c.req('GET', '/api/v1/namespaces/default/configmaps?fieldSelector=data.x%3D1');
    assert.equal(unsupported.status, 400);
    const page = await c.req('GET', '/api/v1/namespaces/default/configmaps?limit=2&labelSelector=tier');
    assert.equal(page.body.items.length, 2);
    assert.equal(page.body.metadata.remainingItemCount, 1);
    // Later pages come from the first page's snapshot: a change in between does not show.
    await c.core.deleteNamespacedConfigMap({ namespace: 'default', name: 'l3' });
    const rest = await c.req(
      'GET',
      `/api/v1/namespaces/default/configmaps?limit=2&labelSelector=tier&continue=${page.body.metadata.continue}`,
    );
    assert.deepEqual(
      rest.body.items.map((i: { metadata: { name: string } }) => i.metadata.name),
      ['l3'],
    );
    assert.equal(rest.body.metadata.resourceVersion, page.body.metadata.resourceVersion);
    const retried = await c.req('GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${page.body.metadata.continue}`);
    assert.deepEqual(
      retried.body.items.map((i: { metadata: { name: string } }) => i.metadata.name),
      ['l3'],
      'a page can be retried',
    );
    assert.equal((await c.req('GET', '/api/v1/namespaces/default/configmaps?continue=garbage')).status, 400);
  });

  it('stores kinds it does not act on (RBAC, PDB, HPA, NetworkPolicy) with their validation', async () => {
    const pdb = await c.req('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', {
      metadata: { name: 'p' },
      spec: { minAvailable: 1, selector: { matchLabels: { a: 'b' } } },
    });
    assert.equal(pdb.status, 201);
    const both = await c.req('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', {
      metadata: { name: 'q' },
      spec: { minAvailable: 1, maxUnavailable: 1 },
    });
    assert.equal(both.status, 422);
    const rb = await c.req('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      metadata: { name: 'r' },
      subjects: [],
    });
    assert.equal(rb.status, 422);
    const hpa = await c.req('POST', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', {
      metadata: { name: 'h' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 2 },
    });
    assert.equal(hpa.status, 201);
  });

  it('generates names, defaults the namespace from the URL and serves discovery', async () => {
    const cm = await c.core.createNamespacedConfigMap({ namespace: 'kube-system', body: { metadata: { generateName: 'gen-' } } });
    assert.match(cm.metadata?.name ?? '', /^gen-[a-z0-9]{5}$/);
    assert.equal(cm.metadata?.namespace, 'kube-system');
    const apps = await c.req('GET', '/apis/apps/v1');
    const deploy = apps.body.resources.find((r: { name: string }) => r.name === 'deployments');
    assert.deepEqual(deploy.shortNames, ['deploy']);
    assert.ok(apps.body.resources.some((r: { name: string }) => r.name === 'deployments/scale'));
    const core = await c.req('GET', '/api/v1');
    for (const n of ['pods/log', 'pods/exec', 'pods/binding', 'pods/status'])
      assert.ok(
        core.body.resources.some((r: { name: string }) => r.name === n),
        n,
      );
    assert.equal((await c.req('GET', '/version')).body.minor, '32');
  });
});
