import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cli/main.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { readHistory } from '../kube/release-history.js';
import {
  applyAndWait,
  demoManifests,
  realClusterKubeconfig,
  startTestCluster,
  writeSpec,
  type TestCluster,
} from '../testing/demo-cluster.js';

interface ServiceLike extends KubeObject {
  spec: { clusterIP: string; ports: Array<{ port: number }>; selector: Record<string, string> };
}

/**
 * The sequence a real 1.26 cluster caught: rolling upgrade -> rollback -> blue-green upgrade ->
 * rollback. The last rollback used to re-apply the plain Deployment with the 0 replicas blue-green
 * had left it, report success, and leave the Service on v2. Run on the oldest and newest minor.
 */
// On a real cluster (BATON_E2E_KUBECONFIG) it runs once, on whatever version that cluster is.
for (const kubernetesVersion of realClusterKubeconfig ? ['the real cluster'] : ['1.26', '1.32']) {
  describe(`rollback from any history on ${realClusterKubeconfig ? '' : 'kubesim '}${kubernetesVersion}`, { timeout: 300_000 }, () => {
    let t: TestCluster;
    before(async () => {
      t = await startTestCluster(realClusterKubeconfig ? {} : { kubernetesVersion });
    });
    after(async () => {
      await t?.stop();
    });

    const baton = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
      let out = '';
      let err = '';
      const code = await runCli([...args, '--state-dir', `${t.dir}/state`, '--kubeconfig', `${t.dir}/kubeconfig`], {
        cwd: t.dir,
        env: {},
        stdout: { write: (x: string) => (out += x) },
        stderr: { write: (x: string) => (err += x) },
        signal: new AbortController().signal,
      });
      return { code, out, err };
    };
    /** Which version answers through the Service's ClusterIP, over fresh connections (as clients see it). */
    const versionsServed = async (n: number): Promise<Record<string, number>> => {
      const svc = (await t.kube.get<ServiceLike>({ apiVersion: 'v1', kind: 'Service', name: 'demo', namespace: 'default' }))!;
      const seen: Record<string, number> = {};
      for (let i = 0; i < n; i += 1) {
        const r = await fetch(`http://${svc.spec.clusterIP}:${svc.spec.ports[0]!.port}/`, { headers: { connection: 'close' } });
        const body = (await r.json()) as { version?: string };
        seen[body.version ?? `HTTP ${r.status}`] = (seen[body.version ?? `HTTP ${r.status}`] ?? 0) + 1;
      }
      return seen;
    };

    test('rolling v1 -> v2, rollback, blue-green v1 -> v2, rollback: ends on v1 with every request on v1', async () => {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(`${t.dir}/kubeconfig`, t.cluster.kubeconfig, { mode: 0o600 });
      const v1 = demoManifests({ image: 'demo/app:v1', preStopExec: true });
      await applyAndWait(t.kube, v1);
      // Where traffic ends up is checked below with fresh requests; the probe's budget of 0 also
      // holds every step to zero failed requests with the exec preStop (the sleep action needs
      // 1.30+, so 1.26 takes only the exec form).
      const probe = { rps: 40, budget: { maxFailedRequests: 0 } };
      const rolling = await writeSpec(t.dir, 'rolling', v1, { image: { ref: 'demo/app:v2' }, strategy: { kind: 'rolling' }, probe });
      const blueGreen = await writeSpec(t.dir, 'bg', v1, {
        image: { ref: 'demo/app:v2' },
        strategy: { kind: 'blue-green', blueGreen: { scaleDownDelaySeconds: 1 } },
        probe,
      });

      for (const [args, version] of [
        [['upgrade', '--spec', rolling], 'v2'],
        [['rollback', '--spec', rolling], 'v1'],
        [['upgrade', '--spec', blueGreen], 'v2'],
        [['rollback', '--spec', blueGreen], 'v1'],
      ] as const) {
        const r = await baton([...args]);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.err.slice(-2000)}`);
        assert.deepEqual(await versionsServed(20), { [version]: 20 }, `after ${args.join(' ')}`);
      }
      const history = await readHistory(t.kube, 'default', 'demo');
      assert.deepEqual(
        history.map((h) => [h.version, h.rollbackOf ?? '']),
        [
          ['v1', ''],
          ['v2', ''],
          ['v1', 'v2'],
          ['v2', ''],
          ['v1', 'v2'],
        ],
      );
      const svc = (await t.kube.get<ServiceLike>({ apiVersion: 'v1', kind: 'Service', name: 'demo', namespace: 'default' }))!;
      assert.equal(svc.spec.selector['pod-template-hash'] !== undefined, true, "the Service is pinned to the plain Deployment's v1 pods");
    });

    test('then rolling upgrades from that pinned Service, and from a blue-green colour: traffic follows, the colours retire', async () => {
      const v1 = demoManifests({ image: 'demo/app:v1', preStopExec: true });
      const probe = { rps: 40, budget: { maxFailedRequests: 0 } };
      const rollingV3 = await writeSpec(t.dir, 'rolling-v3', v1, { image: { ref: 'demo/app:v3' }, strategy: { kind: 'rolling' }, probe });
      const blueGreen = `${t.dir}/bg/baton.yaml`;
      // Pinned to the v1 pods' pod-template-hash (the rollback above): a rollout that left the pin
      // would retire every pod the Service selects. Then from blue (v2): it would serve nothing new.
      for (const [args, version] of [
        [['upgrade', '--spec', rollingV3], 'v3'],
        [['upgrade', '--spec', blueGreen], 'v2'],
        [['upgrade', '--spec', rollingV3], 'v3'],
      ] as const) {
        const r = await baton([...args]);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.err.slice(-2000)}`);
        assert.deepEqual(await versionsServed(20), { [version]: 20 }, `after ${args.join(' ')}`);
      }
      const svc = (await t.kube.get<ServiceLike>({ apiVersion: 'v1', kind: 'Service', name: 'demo', namespace: 'default' }))!;
      assert.deepEqual(svc.spec.selector, { app: 'demo' }, 'the Service selects what the manifests say');
      const { items } = await t.kube.list<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default' });
      assert.deepEqual(
        items.filter((d) => (d.spec.replicas ?? 1) > 0).map((d) => d.metadata.name),
        ['demo'],
        'only the rolled Deployment has pods',
      );
    });
  });
}
