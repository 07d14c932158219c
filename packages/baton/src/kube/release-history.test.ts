import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BatonError } from '../errors.js';
import { useApiOnlyCluster } from '../testing/api-only-cluster.js';
import { historyName, readHistory, writeHistory } from './release-history.js';

describe('release history in a ConfigMap (kubesim)', { timeout: 60_000 }, () => {
  const cluster = useApiOnlyCluster();

  const edit = (app: string, text: string) => cluster().apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: historyName(app), namespace: 'default' }, data: { 'history.json': text } }, { force: true });

  test('written and read back; none yet is an empty history', async () => {
    assert.deepEqual(await readHistory(cluster(), 'default', 'fresh'), []);
    const entry = { version: 'v1', image: 'demo/app:v1', runId: 'r1', strategy: 'rolling', at: '2026-12-02T00:00:00.000Z', deployment: 'demo' };
    await writeHistory(cluster(), 'default', 'web', [entry]);
    assert.deepEqual(await readHistory(cluster(), 'default', 'web'), [entry]);
  });

  test('a history edited into something else is refused with where it is and how to fix it', async () => {
    await edit('broken', '{ not json');
    await assert.rejects(readHistory(cluster(), 'default', 'broken'), (error: unknown) => {
      assert.ok(error instanceof BatonError);
      assert.equal(error.code, 'HISTORY_INVALID');
      assert.match(error.message, /ConfigMap default\/baton-releases-broken \(data history\.json\) is not JSON/);
      assert.match(error.hint ?? '', /kubectl -n default edit configmap baton-releases-broken/);
      return true;
    });
    await edit('wrong', JSON.stringify([{ version: 'v1', image: 7 }]));
    await assert.rejects(readHistory(cluster(), 'default', 'wrong'), /is not a release history: \[0\.image\]/);
  });
});
