// The part of the bad-input corpus that only a cluster can judge: objects whose fault the API
// server finds (an unknown apiVersion, a rolling update that can never progress, an object too big
// to store, a selector that misses its own template) and Services that would route to no pod.
// Each must be refused at plan time, as `baton upgrade` runs it: exit 2, a message naming the
// object and the fault, no stack trace, and the cluster exactly as it was (every object's
// resourceVersion unchanged, nothing created, no backup, no pinned copy).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../kube/kube-object.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { exitCodes } from './exit-codes.js';
import { runProcess } from './testing/run-process.js';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), 'bin.js');

type Edit = (objects: KubeObject[]) => KubeObject[];
/** A manifest as YAML gives it: any shape, which is the point of a bad input. */
// biome-ignore lint/suspicious/noExplicitAny: the cases write wrong types on purpose
type Loose = Record<string, any>;

interface ClusterBadInput {
  name: string;
  /** Changes the demo's v1 manifests into the bad input. */
  edit: Edit;
  /** What the message must say (the object and the fault). */
  message: RegExp;
}

const onKind =
  (kind: string, change: (o: Loose) => void): Edit =>
  (objects) =>
    objects.map((o) => {
      if (o.kind !== kind) return o;
      const copy = structuredClone(o) as unknown as Loose;
      change(copy);
      return copy as unknown as KubeObject;
    });

const cases: ClusterBadInput[] = [
  {
    name: 'a Deployment under an apiVersion the server does not serve (apps/v1beta1)',
    edit: onKind('Deployment', (d) => {
      d.apiVersion = 'apps/v1beta1';
    }),
    message:
      /Deployment\/demo[\s\S]*does not serve kind Deployment in apiVersion apps\/v1beta1[\s\S]*serves Deployment as apiVersion apps\/v1\b/,
  },
  {
    name: 'maxSurge 0 with maxUnavailable 0 (a rollout that can never progress)',
    edit: onKind('Deployment', (d) => {
      d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } };
    }),
    message: /maxUnavailable[\s\S]*maxSurge|maxSurge[\s\S]*maxUnavailable/,
  },
  {
    name: 'a 4 MB ConfigMap (over the API server’s 3 MiB request limit)',
    edit: onKind('ConfigMap', (c) => {
      c.data = { ...c.data, BLOB: 'x'.repeat(4 * 1024 * 1024) };
    }),
    message: /ConfigMap.*demo-config[\s\S]*(too large|limit)/i,
  },
  {
    name: 'a Deployment whose selector does not match its template labels',
    edit: onKind('Deployment', (d) => {
      d.spec.template.metadata.labels = { app: 'other' };
    }),
    message: /selector[\s\S]*(does not match|match)[\s\S]*label/i,
  },
  {
    name: 'a Service whose selector matches no pod of the release',
    edit: onKind('Service', (s) => {
      s.spec.selector = { app: 'demo-typo' };
    }),
    message: /Service demo selects app=demo-typo: no pod of this release has those labels and none runs \(demo's pods carry app=demo\)/,
  },
  {
    name: 'replicas as a string',
    edit: onKind('Deployment', (d) => {
      d.spec.replicas = 'three';
    }),
    message: /replicas/,
  },
];

/** Every object of the namespace baton could have touched, by kind/name -> resourceVersion. */
async function snapshot(t: TestCluster): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [apiVersion, kind] of [
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'Service'],
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'ReplicaSet'],
    ['coordination.k8s.io/v1', 'Lease'],
  ] as const) {
    for (const o of (await t.kube.list({ apiVersion, kind, namespace: 'default' })).items) {
      out[`${kind}/${o.metadata.name}`] = o.metadata.resourceVersion ?? '';
    }
  }
  return out;
}

describe('bad input only an API server can judge: refused at plan time, nothing changed (kubesim)', { timeout: 300_000 }, () => {
  let t: TestCluster;
  before(async () => {
    t = await startTestCluster();
    await applyAndWait(t.kube, demoManifests({ image: 'demo/app:v1' }));
  });
  after(async () => {
    await t?.stop();
  });

  for (const [i, c] of cases.entries()) {
    test(c.name, async (t_) => {
      const manifests = c.edit(demoManifests({ image: 'demo/app:v1' }));
      const spec = await writeSpec(t.dir, `bad-cluster-${i}`, manifests, { image: { ref: 'demo/app:v2' }, probe: { rps: 20 } });
      const folder = dirname(spec);
      const kubeconfig = join(t.dir, 'kubeconfig');
      const { writeFile } = await import('node:fs/promises');
      await writeFile(kubeconfig, t.cluster.kubeconfig, { mode: 0o600 });
      const before = await snapshot(t);
      const r = await runProcess(process.execPath, [bin, 'upgrade', '--spec', spec, '--kubeconfig', kubeconfig], {
        cwd: folder,
        env: { ...process.env, NO_COLOR: '1' },
      });
      const out = `${r.stdout}${r.stderr}`;
      assert.equal(r.code, exitCodes.invalidInput, `exit code (want 2, nothing changed): ${out.slice(-1500)}`);
      assert.match(out, c.message);
      t_.diagnostic(out.trim());
      assert.doesNotMatch(out, /\n\s+at [^\n]+\(?[^\n]*:\d+:\d+\)?/, 'no stack trace');
      assert.deepEqual(await snapshot(t), before, 'the cluster is unchanged');
      const made: string[] = await readdir(join(folder, '.baton')).catch(() => []);
      assert.equal(made.includes('backups'), false, 'no backup was taken');
    });
  }
});
