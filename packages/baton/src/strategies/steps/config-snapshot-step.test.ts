import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { plannedStep } from '../../engine/step-kind.js';
import { createTestRunContext } from '../../engine/testing/test-run-context.js';
import type { JsonObject } from '../../json.js';
import { useApiOnlyCluster } from '../../testing/api-only-cluster.js';
import { configSnapshotStep, createConfigSnapshotStep, hashedName } from './config-snapshot-step.js';

describe('config-snapshot on kubesim: copies pinned, and taken away by a failed run unless in use', { timeout: 60_000 }, () => {
  const cluster = useApiOnlyCluster(async (kube) => {
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } });
    await kube.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'test' },
      stringData: { url: 'postgres://u:p@db/app' },
    });
  });

  const step = (data: Record<string, string>) =>
    plannedStep(configSnapshotStep, {
      id: 'config:snapshot',
      title: 'pin',
      reversible: true,
      params: { app: 'web', configMaps: [{ metadata: { name: 'web-config' }, data }], secrets: ['db'] },
    });
  const exists = async (kind: string, name: string) =>
    (await cluster().get({ apiVersion: 'v1', kind, name, namespace: 'test' })) !== undefined;

  /** Runs the step, keeping its checkpoints as the engine would, and returns them. */
  async function runStep(data: Record<string, string>): Promise<{ checkpoint: JsonObject; renames: JsonObject }> {
    const ctx = createTestRunContext();
    const result = await createConfigSnapshotStep(cluster()).run({ ...ctx, namespace: 'test' }, step(data));
    assert.equal(result.kind, 'done');
    return { checkpoint: Object.assign({}, ...ctx.recorded), renames: result.kind === 'done' ? (result.data ?? {}) : {} };
  }

  test('a failed run deletes the copies it created, when nothing uses them; copies that existed before stay', async () => {
    const first = await runStep({ A: '1' });
    const copy = hashedName('web-config', { A: '1' }, undefined);
    assert.deepEqual((first.renames.configMaps as JsonObject)['web-config'], copy);
    const secretCopy = String((first.renames.secrets as JsonObject)['db']);
    assert.ok((await exists('ConfigMap', copy)) && (await exists('Secret', secretCopy)));
    assert.deepEqual(first.checkpoint.created, [`ConfigMap/${copy}`, `Secret/${secretCopy}`], 'recorded before the creates');

    // A second run with the same content creates nothing, so its undo deletes nothing.
    const again = await runStep({ A: '1' });
    assert.equal(again.checkpoint.created, undefined);
    await createConfigSnapshotStep(cluster()).undo!({ ...createTestRunContext(), namespace: 'test' }, step({ A: '1' }), again.checkpoint);
    assert.ok(await exists('ConfigMap', copy), 'a copy this run did not create is never touched');

    await createConfigSnapshotStep(cluster()).undo!({ ...createTestRunContext(), namespace: 'test' }, step({ A: '1' }), first.checkpoint);
    assert.equal(await exists('ConfigMap', copy), false);
    assert.equal(await exists('Secret', secretCopy), false, 'the Secret copy (a database URL) does not outlive the failed run');
  });

  test('a copy a Deployment still reads is kept', async () => {
    const run = await runStep({ A: '2' });
    const copy = hashedName('web-config', { A: '2' }, undefined);
    await cluster().apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'test' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'web:1', envFrom: [{ configMapRef: { name: copy } }] }] },
        },
      },
    });
    await createConfigSnapshotStep(cluster()).undo!({ ...createTestRunContext(), namespace: 'test' }, step({ A: '2' }), run.checkpoint);
    assert.ok(await exists('ConfigMap', copy), 'still read by Deployment web');
  });
});
