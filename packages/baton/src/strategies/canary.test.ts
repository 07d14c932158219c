import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../kube/kube-object.js';
import { buildPlan } from '../plan/build-plan.js';
import type { LiveState } from '../plan/live-state.js';
import { parseSpec } from '../spec/load-spec.js';

const specText = (strategy: string, traffic = 'traffic: { router: nginx-ingress, ingress: web }') => `apiVersion: baton.dev/v1alpha1
kind: Upgrade
app: web
manifests: [k8s]
image: { ref: demo/app:v2 }
strategy: ${strategy}
${traffic}
`;
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'demo/app:v1' }] } },
  },
} as unknown as KubeObject;
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] },
} as unknown as KubeObject;
const live: LiveState = {
  objects: {},
  deployments: [structuredClone(deployment) as never],
  service,
  currentHash: { web: 'h1' },
  history: [],
};
const plan = (strategy: string, traffic?: string) =>
  buildPlan({ spec: parseSpec(specText(strategy, traffic), '/x/baton.yaml').spec, manifests: [deployment, service], live });
type Params = Record<string, unknown>;

test('canary: pin stable, start the canary, weights with pauses and analyses, then promote', () => {
  const p = plan(
    '{ kind: canary, canary: { steps: [{ setWeight: 10 }, { pause: { seconds: 5 } }, { analysis: { seconds: 10, maxErrorRate: 0.01 } }, { setWeight: 50 }, { pause: {} }] } }',
  );
  assert.deepEqual(
    p.steps.map((s) => `${s.kind}:${s.id}`),
    [
      'apply-objects:apply:objects',
      'switch-selector:canary:pin',
      'rollout:rollout:web-canary',
      'set-weight:canary:0:weight-10',
      'pause:canary:1:pause',
      'gate:canary:2:analysis',
      'set-weight:canary:3:weight-50',
      'pause:canary:4:pause',
      'switch-selector:promote:select-new',
      'rollout:rollout:web',
      'set-weight:promote:weight-0',
      'scale:scale:web-canary',
      'record-release:release:record',
    ],
  );
  const byId = (id: string) => p.steps.find((s) => s.id === id)!.params as Params;
  assert.deepEqual(byId('canary:pin').selector, { app: 'web', 'pod-template-hash': 'h1' });
  // Only the first set-weight restores on undo: a rollback is one write back to 0.
  assert.equal(byId('canary:0:weight-10').restoreOnUndo, true);
  assert.equal(byId('canary:3:weight-50').restoreOnUndo, false);
  assert.deepEqual(byId('canary:4:pause'), {});
  assert.deepEqual(byId('canary:1:pause'), { seconds: 5 });
  const router = byId('canary:0:weight-10').router as Params;
  assert.equal(router.kind, 'nginx-ingress');
  assert.equal(router.canaryService, 'web-canary');
  assert.equal(router.ingress, 'web');
  const canary = (
    byId('rollout:web-canary').deployment as {
      spec: { replicas: number; selector: { matchLabels: Params }; template: { metadata: { labels: Params } } };
    }
  ).spec;
  assert.equal(canary.replicas, 1);
  assert.deepEqual(canary.selector.matchLabels, { app: 'web', 'baton.dev/track': 'canary' });
  assert.equal(canary.template.metadata.labels['baton.dev/track'], 'canary');
  assert.deepEqual(byId('promote:select-new').selector, { app: 'web', 'baton.dev/release': 'v2' });
  const stable = (byId('rollout:web').deployment as { spec: { strategy: unknown } }).spec.strategy;
  assert.deepEqual(stable, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  const gate = byId('canary:2:analysis');
  // It judges the new version (v2) on its own answers, once the 10% of its weight step measurably arrived.
  assert.deepEqual(gate.gate, {
    kind: 'probe',
    maxErrorRate: 0.01,
    minRequests: 20,
    version: 'v2',
    previousVersions: ['v1'],
    trafficStep: 'canary:0:weight-10',
  });
  const applied = (byId('apply:objects').objects as KubeObject[]).map((o) => `${o.kind}/${o.metadata.name}`);
  assert.deepEqual(applied, ['Service/web', 'Service/web-canary']);
});

test('canary with replica-ratio: one Service over both, no pin, the canary starts at 0 replicas', () => {
  const p = plan('{ kind: canary, canary: { steps: [{ setWeight: 33 }] } }', 'traffic: { router: replica-ratio }');
  assert.equal(
    p.steps.some((s) => s.id === 'canary:pin' || s.id === 'promote:select-new'),
    false,
  );
  assert.deepEqual(p.steps.find((s) => s.id === 'canary:select-both')!.params.selector, { app: 'web' });
  const rollout = p.steps.find((s) => s.id === 'rollout:web-canary')!.params as { deployment: { spec: { replicas: number } } };
  assert.equal(rollout.deployment.spec.replicas, 0);
  const router = p.steps.find((s) => s.kind === 'set-weight')!.params.router as Params;
  assert.deepEqual([router.stableService, router.canaryService, router.totalReplicas], ['web', 'web', 3]);
});

test('canary with service-selector refuses weights it cannot express', () => {
  assert.throws(
    () => plan('{ kind: canary, canary: { steps: [{ setWeight: 20 }] } }', 'traffic: { router: service-selector }'),
    /all or nothing; setWeight 20/,
  );
  assert.doesNotThrow(() => plan('{ kind: canary, canary: { steps: [{ setWeight: 100 }] } }', 'traffic: { router: service-selector }'));
});

test('A/B: weight 0, header route, pause for promote, then promote and remove the route', () => {
  const p = plan('{ kind: ab, ab: { match: { cookie: beta } } }', 'traffic: { router: istio }');
  assert.deepEqual(
    p.steps.map((s) => s.id),
    [
      'apply:objects',
      'canary:pin',
      'rollout:web-canary',
      'ab:weight-0',
      'ab:route',
      'ab:pause',
      'promote:select-new',
      'rollout:web',
      'promote:route-off',
      'scale:web-canary',
      'release:record',
    ],
  );
  assert.deepEqual(p.steps.find((s) => s.id === 'ab:route')!.params.route, { kind: 'cookie', name: 'beta' });
  assert.equal(p.steps.find((s) => s.id === 'promote:route-off')!.params.route, null);
  assert.throws(() => plan('{ kind: ab }', 'traffic: { router: replica-ratio }'), /cannot/);
});

test('routers that write next to your objects need them named, at plan time', () => {
  assert.throws(() => plan('{ kind: canary }', 'traffic: { router: nginx-ingress }'), /needs traffic.ingress/);
  assert.throws(
    () => plan('{ kind: canary }', 'traffic: { router: gateway-api, httpRoute: web }'),
    /needs traffic.gateway \(the Gateway it attaches to\)$/,
  );
  assert.throws(
    () => plan('{ kind: canary }', 'traffic: { router: gateway-api }'),
    /needs traffic.httpRoute \(the HTTPRoute baton writes\) and traffic.gateway/,
  );
  assert.doesNotThrow(() => plan('{ kind: canary }', 'traffic: { router: gateway-api, httpRoute: web, gateway: public }'));
});
