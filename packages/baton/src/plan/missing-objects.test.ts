import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../kube/kube-object.js';
import { parseSpec } from '../spec/load-spec.js';
import { findMissingObjects, type LiveLookup } from './missing-objects.js';

const { spec } = parseSpec(
  `apiVersion: baton.dev/v1alpha1
kind: Upgrade
app: web
namespace: shop
manifests: [k8s/]
image: { ref: "shop/web:v2" }
verify:
  - { name: migrate-status, exec: { target: deploy/app, command: [status] } }
  - { name: cache-clear, exec: { target: deploy/app, command: [clear] } }
database:
  dialect: mysql
  backup: { method: exec, exec: { target: deploy/borgmatic, command: [borgmatic] } }
`,
  '/srv/app/baton.yaml',
);

const deployment = (name: string, template: object): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { template },
});
const manifests: KubeObject[] = [
  deployment('web', {
    spec: {
      containers: [{ name: 'web', env: [{ name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } }] }],
      volumes: [{ configMap: { name: 'cfg' } }],
    },
  }),
  deployment('worker', {
    spec: { containers: [{ name: 'w', envFrom: [{ secretRef: { name: 'db' } }, { configMapRef: { name: 'other' } }] }] },
  }),
];

/** A cluster holding only `present` (kind/name), that records every lookup. */
function cluster(present: string[]): { live: LiveLookup; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    live: async (ref) => {
      const key = `${ref.kind}/${ref.name}`;
      asked.push(key);
      return present.includes(key) ? { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name } } : undefined;
    },
  };
}

test('a missing namespace comes first, with everything else the run needs in it, and the cluster is not asked about objects inside it', async () => {
  const c = cluster([]);
  const missing = await findMissingObjects({ spec, manifests, live: c.live, backupRunsBeforeApply: true });
  assert.deepEqual(
    missing.map((m) => [m.object, m.neededBy]),
    [
      ['Namespace/shop', 'every object of the app (baton.yaml namespace)'],
      ['Deployment/borgmatic', 'the backup (`borgmatic`)'],
      ['Deployment/app', 'verify hook migrate-status, verify hook cache-clear'],
      ['Secret/db', 'the pods of Deployment/web, the pods of Deployment/worker'],
      ['ConfigMap/cfg', 'the pods of Deployment/web'],
      ['ConfigMap/other', 'the pods of Deployment/worker'],
    ],
  );
  assert.deepEqual(c.asked, ['Namespace/shop']);
  for (const m of missing) assert.notEqual(m.fix, '', `${m.object} says how to fix it`);
});

test('in a live namespace only what is missing is listed, in the same order, each object looked up once', async () => {
  const c = cluster(['Namespace/shop', 'Deployment/borgmatic', 'Secret/db']);
  const missing = await findMissingObjects({ spec, manifests, live: c.live, backupRunsBeforeApply: true });
  assert.deepEqual(
    missing.map((m) => m.object),
    ['Deployment/app', 'ConfigMap/cfg', 'ConfigMap/other'],
  );
  assert.deepEqual(c.asked, ['Namespace/shop', 'Deployment/borgmatic', 'Deployment/app', 'Secret/db', 'ConfigMap/cfg', 'ConfigMap/other']);
});

test('objects the manifests create are not missing', async () => {
  const c = cluster(['Namespace/shop', 'Deployment/borgmatic', 'Deployment/app']);
  const withConfig: KubeObject[] = [
    ...manifests,
    ...['db', 'cfg', 'other'].map((name) => ({ apiVersion: 'v1', kind: name === 'db' ? 'Secret' : 'ConfigMap', metadata: { name } })),
  ];
  assert.deepEqual(await findMissingObjects({ spec, manifests: withConfig, live: c.live, backupRunsBeforeApply: true }), []);
});
