import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../kube/kube-object.js';
import { buildPlan } from '../plan/build-plan.js';
import type { LiveState } from '../plan/live-state.js';
import { parseSpec } from '../spec/load-spec.js';
import { releaseId, releaseObjectName } from './rainbow.js';
import { planRainbowRollback } from '../upgrade/rainbow-rollback.js';
import type { ReleaseEntry } from '../kube/release-history.js';
import type { DeploymentLike } from '../kube/workload-objects.js';

const spec = (image: string, extra = '') =>
  parseSpec(
    `apiVersion: baton.dev/v1alpha1
kind: Upgrade
app: work
manifests: [k8s]
image: { ref: ${image} }
strategy:
  kind: rainbow
  rainbow:
    tests: { command: [npm, test] }
    gc: { prometheusUrl: "http://127.0.0.1:9090", activeTasksQuery: 'sum(demo_active_tasks{release="$release"})' }
${extra}`,
    '/x/baton.yaml',
  );

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'work' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'work' } },
    template: { metadata: { labels: { app: 'work' } }, spec: { containers: [{ name: 'w', image: 'demo/worker:v1' }] } },
  },
} as unknown as KubeObject;
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'work' },
  spec: { selector: { app: 'work' }, ports: [{ port: 8080 }] },
} as unknown as KubeObject;
const live = (o: Partial<LiveState> = {}): LiveState => ({
  objects: {},
  deployments: [],
  service: undefined,
  currentHash: {},
  history: [],
  ...o,
});
type Params = Record<string, unknown>;

test('releaseId: RFC 1123 from any version; names stay within 63 characters', () => {
  assert.equal(releaseId('v2.1.0_RC'), 'v2-1-0-rc');
  assert.equal(releaseId('---'), 'release');
  assert.equal(releaseObjectName('a'.repeat(60), 'v1.2.3').length, 63);
  assert.match(releaseObjectName('a'.repeat(60), 'v1.2.3'), /-v1-2-3$/);
});

test('rainbow plan, first release: own Deployment and Service, tests, then activation', () => {
  const plan = buildPlan({ spec: spec('demo/worker:v2').spec, manifests: [deployment, service], live: live() });
  assert.deepEqual(
    plan.steps.map((s) => s.id),
    ['apply:objects', 'rollout:work-v2', 'rainbow:tests', 'rainbow:activate', 'release:record'],
  );
  const objects = plan.steps[0]!.params.objects as unknown as Array<{
    metadata: { name: string };
    spec: { selector: Record<string, string> };
  }>;
  assert.deepEqual(
    objects.map((o) => [o.metadata.name, o.spec.selector]),
    [
      ['work', { app: 'work', 'baton.dev/release': 'v2' }], // nothing live: nothing to protect
      ['work-v2', { app: 'work', 'baton.dev/release': 'v2' }],
    ],
  );
  const d = (plan.steps[1]!.params as Params).deployment as DeploymentLike;
  assert.deepEqual(d.spec.selector.matchLabels, { app: 'work', 'baton.dev/release': 'v2' });
  assert.equal(d.spec.template.metadata?.labels?.['baton.dev/release'], 'v2');
  assert.deepEqual(d.spec.template.spec.containers[0]!.env, [{ name: 'BATON_RELEASE', value: 'v2' }]);
  const gate = (plan.steps[2]!.params as Params).gate as Params;
  assert.deepEqual([gate.kind, gate.service, gate.release, gate.command], ['job', 'work-v2', 'v2', ['npm', 'test']]);
  assert.deepEqual((plan.steps[3]!.params as Params).selector, { app: 'work', 'baton.dev/release': 'v2' });
});

test('rainbow plan over a live rainbow release: the Service holds the active release until activation; nothing is scaled down', () => {
  const liveService = { ...service, spec: { selector: { app: 'work', 'baton.dev/release': 'v2' } } } as unknown as KubeObject;
  const plan = buildPlan({ spec: spec('demo/worker:v3').spec, manifests: [deployment, service], live: live({ service: liveService }) });
  const objects = plan.steps[0]!.params.objects as unknown as Array<{ spec: { selector: Record<string, string> } }>;
  assert.deepEqual(objects[0]!.spec.selector, { app: 'work', 'baton.dev/release': 'v2' });
  assert.ok(!plan.steps.some((s) => s.kind === 'scale'), 'older releases keep running');
  assert.match(plan.steps.find((s) => s.id === 'rainbow:activate')!.title, /was v2, which keeps running/);
});

test('rainbow plan adopts a plain Deployment: the Service is pinned to its pod-template-hash first', () => {
  const plan = buildPlan({
    spec: spec('demo/worker:v2').spec,
    manifests: [deployment, service],
    live: live({ deployments: [deployment as DeploymentLike], service, currentHash: { work: 'abc123' } }),
  });
  assert.deepEqual(
    plan.steps.slice(0, 3).map((s) => s.id),
    ['apply:objects', 'rainbow:adopt', 'rollout:work-v2'],
  );
  assert.deepEqual((plan.steps[1]!.params as Params).selector, { app: 'work', 'pod-template-hash': 'abc123' });
});

const entry = (version: string, extra: Partial<ReleaseEntry> = {}): ReleaseEntry => ({
  version,
  image: `demo/worker:${version}`,
  runId: `r-${version}`,
  strategy: 'rainbow',
  at: '2026-01-01T00:00:00Z',
  deployment: `work-${version}`,
  service: 'work',
  selector: { app: 'work', 'baton.dev/release': version },
  template: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `work-${version}` },
    spec: {
      replicas: 1,
      selector: { matchLabels: {} },
      template: { spec: { containers: [{ name: 'w', image: `demo/worker:${version}` }] } },
    },
  },
  ...extra,
});
const running = (name: string): DeploymentLike => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas: 1, selector: { matchLabels: {} }, template: { spec: { containers: [] } } },
  status: { availableReplicas: 1 },
});

test('rainbow rollback: a live release comes back by one switch; the current one keeps running', () => {
  const plan = planRainbowRollback({
    app: 'work',
    namespace: 'default',
    history: [entry('v1'), entry('v2'), entry('v3')],
    live: { 'work-v2': running('work-v2'), 'work-v3': running('work-v3') },
  });
  assert.deepEqual(
    plan.steps.map((s) => s.kind),
    ['switch-selector', 'record-release'],
  );
  assert.deepEqual(plan.to.version, 'v2');
  assert.deepEqual((plan.steps[0]!.params as Params).selector, { app: 'work', 'baton.dev/release': 'v2' });
});

test('rainbow rollback: a collected release is redeployed from its recorded template, then activated', () => {
  const plan = planRainbowRollback({
    app: 'work',
    namespace: 'default',
    history: [entry('v1'), entry('v2'), entry('v3')],
    live: { 'work-v3': running('work-v3') },
    to: 'v1',
  });
  assert.deepEqual(
    plan.steps.map((s) => s.id),
    ['rollout:work-v1', 'rainbow:activate', 'release:record'],
  );
  assert.throws(
    () =>
      planRainbowRollback({ app: 'work', namespace: 'default', history: [entry('v1', { selector: undefined }), entry('v2')], live: {} }),
    /without the Service selector/,
  );
  assert.throws(() => planRainbowRollback({ app: 'work', namespace: 'default', history: [entry('v1')], live: {} }), /no release before v1/);
});
