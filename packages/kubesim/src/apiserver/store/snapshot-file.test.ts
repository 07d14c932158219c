import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, startTestCluster, type TestCluster } from '../test-support.js';
import { readSnapshot } from './snapshot-file.js';

describe('apiserver persistence', { timeout: 30_000 }, () => {
  let dir: string;
  const clusters: TestCluster[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubesim-snap-'));
  });
  after(async () => {
    for (const c of clusters) await c.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a snapshot shortly after a change, without waiting for stop (crash safety)', async () => {
    const c = await startTestCluster({ dataDir: dir });
    clusters.push(c);
    const cm = await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'durable' }, data: { a: '1' } } });
    const snap = await eventually(async () => {
      const s = await readSnapshot(dir);
      return s?.objects['/configmaps']?.some((o) => o.metadata.name === 'durable') ? s : undefined;
    });
    assert.ok(snap.resourceVersion >= Number(cm.metadata?.resourceVersion));
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp file left behind',
    );
    // A second server reading the same directory (as after a crash of the first) sees the object.
    const again = await startTestCluster({ dataDir: dir });
    clusters.push(again);
    const got = await again.core.readNamespacedConfigMap({ namespace: 'default', name: 'durable' });
    assert.equal(got.metadata?.uid, cm.metadata?.uid);
    assert.equal(got.data?.['a'], '1');
  });
});
