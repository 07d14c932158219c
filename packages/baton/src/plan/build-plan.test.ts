import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSpec } from '../spec/load-spec.js';
import type { KubeObject } from '../kube/kube-object.js';
import { buildPlan } from './build-plan.js';
import type { LiveState } from './live-state.js';

const specText = (strategy: string) => `apiVersion: baton.dev/v1alpha1
kind: Upgrade
app: castopod
namespace: pods
manifests: [k8s]
image: { ref: castopod/castopod:1.13.8 }
strategy: { kind: ${strategy} }
verify:
  - name: migrate-status
    exec: { release: new, command: [php, spark, "migrate:status"] }
`;

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'app' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'castopod' } },
    template: {
      metadata: { labels: { app: 'castopod' } },
      spec: { containers: [{ name: 'app', image: 'castopod/castopod:1.13.7', envFrom: [{ configMapRef: { name: 'castopod-env' } }] }] },
    },
  },
} as unknown as KubeObject;
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'app' },
  spec: { selector: { app: 'castopod' }, ports: [{ port: 8000 }] },
} as unknown as KubeObject;
const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'castopod-env' },
  data: { CP_BASEURL: 'https://kastaspuods.lt' },
} as unknown as KubeObject;

function live(overrides: Partial<LiveState> = {}): LiveState {
  return { objects: {}, deployments: [], service: undefined, currentHash: {}, history: [], ...overrides };
}

test('rolling: config snapshot, apply, rollout with maxUnavailable 0 / maxSurge 1, verify, record', () => {
  const plan = buildPlan({
    spec: parseSpec(specText('rolling'), '/x/baton.yaml').spec,
    manifests: [deployment, service, configMap],
    live: live(),
  });
  assert.deepEqual(
    plan.steps.map((s) => s.id),
    ['config:snapshot', 'apply:objects', 'rollout:app', 'verify:migrate-status', 'release:record'],
  );
  const rollout = plan.steps[2]!.params as {
    deployment: { spec: { strategy: unknown; template: { spec: { containers: Array<{ image: string; env: unknown[] }> } } } };
  };
  assert.deepEqual(rollout.deployment.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  assert.equal(rollout.deployment.spec.template.spec.containers[0]!.image, 'castopod/castopod:1.13.8');
  assert.deepEqual(plan.to, { version: '1.13.8', image: 'castopod/castopod:1.13.8' });
  assert.ok(plan.steps.every((s) => s.reversible));
});

test('drift: YAML says 1 replica, the cluster runs 2 -> shown, and capacity is kept', () => {
  const liveDeployment = structuredClone(deployment) as unknown as { spec: { replicas: number } } & KubeObject;
  liveDeployment.spec.replicas = 2;
  const plan = buildPlan({
    spec: parseSpec(specText('rolling'), '/x/baton.yaml').spec,
    manifests: [deployment, service, configMap],
    live: live({ objects: { 'Deployment/app': liveDeployment }, deployments: [liveDeployment as never] }),
  });
  assert.ok(plan.drift.some((d) => d.field === 'spec.replicas' && d.manifest === 1 && d.cluster === 2));
  assert.match(plan.warnings.join('\n'), /manifests say 1 replica\(s\) for app, the cluster runs 2; keeping 2/);
  const rollout = plan.steps.find((s) => s.kind === 'rollout')!.params as { deployment: { spec: { replicas: number } } };
  assert.equal(rollout.deployment.spec.replicas, 2);
});

test('blue-green adopts a plain Deployment: pin by pod-template-hash, start blue, verify on preview, switch, scale down', () => {
  const liveDeployment = { ...structuredClone(deployment), metadata: { name: 'app', uid: 'u1' } } as never;
  const plan = buildPlan({
    spec: parseSpec(specText('blue-green'), '/x/baton.yaml').spec,
    manifests: [deployment, service, configMap],
    live: live({ deployments: [liveDeployment], service, currentHash: { app: 'abc123' } }),
  });
  assert.deepEqual(
    plan.steps.map((s) => s.id),
    [
      'config:snapshot',
      'apply:objects',
      'bluegreen:adopt',
      'rollout:app-blue',
      'verify:migrate-status',
      'bluegreen:switch',
      'bluegreen:scale-down:app',
      'release:record',
    ],
  );
  assert.deepEqual(plan.steps[2]!.params.selector, { app: 'castopod', 'pod-template-hash': 'abc123' });
  assert.deepEqual(plan.steps[5]!.params.selector, { app: 'castopod', 'baton.dev/color': 'blue' });
  assert.equal(plan.steps[4]!.params.newDeployment, 'app-blue');
  assert.equal(plan.steps[4]!.params.service, 'app-preview');
});

test('blue-green from blue goes to green', () => {
  const svc = { ...service, spec: { selector: { app: 'castopod', 'baton.dev/color': 'blue' } } } as KubeObject;
  const plan = buildPlan({
    spec: parseSpec(specText('blue-green'), '/x/baton.yaml').spec,
    manifests: [deployment, service],
    live: live({ service: svc }),
  });
  assert.ok(plan.steps.some((s) => s.id === 'rollout:app-green'));
  assert.ok(plan.steps.some((s) => s.id === 'bluegreen:scale-down:app-blue'));
});

test('no Deployment in the manifests is a clear error', () => {
  assert.throws(
    () => buildPlan({ spec: parseSpec(specText('rolling'), '/x/baton.yaml').spec, manifests: [service], live: live() }),
    /no Deployment in the manifests/,
  );
});

test('maintenance (the Matomo seed): maintenance on, new in maintenance, migrations as the point of no return, maintenance off', () => {
  const liveDeployment = { ...structuredClone(deployment), metadata: { name: 'app', uid: 'u1', resourceVersion: '7' } } as never;
  const db = {
    before: [
      { id: 'backup', kind: 'backup', title: 'b', reversible: true, params: {} },
      { id: 'migrate:expand', kind: 'migrate', title: 'e', reversible: true, params: {} },
    ],
    after: [{ id: 'migrate:contract', kind: 'migrate', title: 'c', reversible: false, params: {} }],
  };
  const plan = buildPlan({
    spec: parseSpec(specText('maintenance'), '/x/baton.yaml').spec,
    manifests: [deployment, service, configMap],
    live: live({ deployments: [liveDeployment] }),
    database: db,
  });
  assert.deepEqual(
    plan.steps.map((s) => s.id),
    [
      'config:snapshot',
      'apply:objects',
      'maintenance:on:app',
      'maintenance:new:app',
      'backup',
      'migrate:expand',
      'migrate:contract',
      'maintenance:off:app',
      'verify:migrate-status',
      'release:record',
    ],
  );
  const on = plan.steps[2]!.params as {
    image: string;
    deployment: { spec: { template: { spec: { containers: Array<{ env: Array<{ name: string }> }> } } } };
  };
  assert.equal(on.image, 'castopod/castopod:1.13.7');
  assert.ok(on.deployment.spec.template.spec.containers[0]!.env.some((e) => e.name === 'MAINTENANCE_MODE'));
  assert.equal(plan.steps.find((s) => s.id === 'migrate:expand')!.reversible, false, 'the migration is the point of no return');
  const off = plan.steps[7]!.params as {
    deployment: { spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string }> }> } } } };
  };
  assert.ok(!off.deployment.spec.template.spec.containers[0]!.env?.some((e) => e.name === 'MAINTENANCE_MODE'));
});

test("drift knows baton's own changes: hashed config copies, its image, its rollout policy, a retired colour at 0", () => {
  const upgraded = structuredClone(deployment) as unknown as KubeObject & {
    spec: {
      strategy?: unknown;
      progressDeadlineSeconds?: number;
      template: { spec: { containers: Array<{ image: string; envFrom: Array<{ configMapRef: { name: string } }> }> } };
    };
  };
  const c = upgraded.spec.template.spec.containers[0]!;
  c.image = 'castopod/castopod:1.13.8';
  c.envFrom[0]!.configMapRef.name = 'castopod-env-29841b3bfe';
  upgraded.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
  const entry = (version: string, name: string) => ({
    version,
    image: `castopod/castopod:${version}`,
    runId: `r-${version}`,
    strategy: 'rolling',
    at: '2026-12-01T00:00:00Z',
    deployment: name,
  });
  const inPods = <T extends KubeObject>(o: T): T => ({ ...o, metadata: { ...o.metadata, namespace: 'pods' } });
  // The user's manifest asks for the default 25%/25%; baton rolls with maxUnavailable 0 / maxSurge 1.
  const manifest = structuredClone(deployment) as KubeObject & { spec: Record<string, unknown> };
  manifest.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  const plan = (liveApp: KubeObject, history = [entry('1.13.7', 'app'), entry('1.13.8', 'app')]) =>
    buildPlan({
      spec: parseSpec(specText('rolling'), '/x/baton.yaml').spec,
      manifests: [manifest, service, configMap],
      live: live({
        objects: { 'Deployment/app': inPods(liveApp), 'Service/app': inPods(service), 'ConfigMap/castopod-env': inPods(configMap) },
        deployments: [inPods(liveApp) as never],
        history,
      }),
    });
  assert.deepEqual(plan(upgraded).drift, [], 'right after a clean upgrade');

  const byHand = structuredClone(upgraded);
  byHand.spec.template.spec.containers[0]!.image = 'castopod/castopod:9.9.9';
  byHand.spec.template.spec.containers[0]!.envFrom[0]!.configMapRef.name = 'someone-else';
  byHand.spec.strategy = { type: 'Recreate' };
  assert.deepEqual(
    plan(byHand)
      .drift.map((d) => d.field)
      .sort(),
    [
      'spec.strategy.rollingUpdate',
      'spec.strategy.type',
      'spec.template.spec.containers.[app].envFrom.[0].configMapRef.name',
      'spec.template.spec.containers.[app].image',
    ].sort(),
    'what a hand changed stays drift',
  );

  const retired = structuredClone(upgraded) as typeof upgraded & { spec: { replicas: number } };
  retired.spec.replicas = 0;
  const bg = plan(retired, [entry('1.13.7', 'app'), entry('1.13.8', 'app-blue')]);
  assert.deepEqual(bg.drift, [], "the old colour at 0 replicas is baton's doing");
  assert.doesNotMatch(bg.warnings.join('\n'), /keeping 0/, 'and no capacity warning about it');
  assert.deepEqual(
    plan(retired).drift.map((d) => d.field),
    ['spec.replicas'],
    'the serving Deployment at 0 is drift',
  );
});

const recorded = (version: string) => ({
  version,
  image: `castopod/castopod:${version}`,
  runId: `r-${version}`,
  strategy: 'rolling',
  at: '2026-12-01T00:00:00Z',
  deployment: 'app',
});
const running = (image: string, replicas = 1) => {
  const d = structuredClone(deployment) as unknown as {
    spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  };
  d.spec.replicas = replicas;
  d.spec.template.spec.containers[0]!.image = image;
  return d as unknown as LiveState['deployments'][number];
};

test('the cluster wins over a history no Deployment runs: v1 put back by hand plans v1 -> new, with a warning', () => {
  const plan = buildPlan({
    spec: parseSpec(specText('rolling'), '/x/baton.yaml').spec,
    manifests: [deployment, service, configMap],
    live: live({ service, deployments: [running('castopod/castopod:1.13.6')], history: [recorded('1.13.6'), recorded('1.13.7')] }),
  });
  assert.deepEqual(plan.from, { version: '1.13.6', image: 'castopod/castopod:1.13.6' });
  assert.ok(
    plan.warnings.some((w) => /history says 1\.13\.7 .* Deployment app runs castopod\/castopod:1\.13\.6/.test(w)),
    plan.warnings.join('\n'),
  );
});

test('the history stands when a Deployment runs it (a warm colour running the older one included), or none has pods', () => {
  const spec = parseSpec(specText('rolling'), '/x/baton.yaml').spec;
  const history = [recorded('1.13.6'), recorded('1.13.7')];
  for (const deployments of [
    [running('castopod/castopod:1.13.7')],
    [running('castopod/castopod:1.13.6'), { ...running('castopod/castopod:1.13.7'), metadata: { name: 'app-blue' } }],
    [running('castopod/castopod:1.13.6', 0)],
    [],
  ]) {
    const plan = buildPlan({ spec, manifests: [deployment, service, configMap], live: live({ service, deployments, history }) });
    assert.equal(plan.from?.version, '1.13.7');
    assert.equal(
      plan.warnings.some((w) => w.includes('history says')),
      false,
    );
  }
});
