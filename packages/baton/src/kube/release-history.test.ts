import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BatonError } from '../errors.js';
import { useApiOnlyCluster } from '../testing/api-only-cluster.js';
import { historyName, readHistory, writeHistory } from './release-history.js';

describe('release history in a ConfigMap (kubesim)', { timeout: 60_000 }, () => {
  const cluster = useApiOnlyCluster();

  const edit = (app: string, text: string) =>
    cluster().apply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: historyName(app), namespace: 'default' }, data: { 'history.json': text } },
      { force: true },
    );

  test('written and read back; none yet is an empty history', async () => {
    assert.deepEqual(await readHistory(cluster(), 'default', 'fresh'), []);
    const entry = {
      version: 'v1',
      image: 'demo/app:v1',
      runId: 'r1',
      strategy: 'rolling',
      at: '2026-12-02T00:00:00.000Z',
      deployment: 'demo',
    };
    await writeHistory(cluster(), 'default', 'web', [entry]);
    assert.deepEqual(await readHistory(cluster(), 'default', 'web'), [{ ...entry, revision: 1 }], 'read back with its revision');
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
    const entry = (version: string, revision: number) => ({
      version,
      image: `demo/app:${version}`,
      runId: `r-${revision}`,
      strategy: 'rolling',
      at: '2026-12-02T00:00:00.000Z',
      deployment: 'demo',
      revision,
    });
    await edit('misordered', JSON.stringify([entry('v1', 2), entry('v2', 2)]));
    await assert.rejects(readHistory(cluster(), 'default', 'misordered'), /\[1\.revision\] revision 2 does not come after 2/);
  });

  test('revisions: an old history without them reads as 1, 2, 3…; stored ones survive trimming', async () => {
    const old = ['v1', 'v2', 'v1'].map((version, i) => ({
      version,
      image: `demo/app:${version}`,
      runId: `r${i}`,
      strategy: 'rolling',
      at: '2026-12-02T00:00:00.000Z',
      deployment: 'demo',
    }));
    await edit('old', JSON.stringify(old));
    assert.deepEqual(
      (await readHistory(cluster(), 'default', 'old')).map((e) => [e.revision, e.version]),
      [
        [1, 'v1'],
        [2, 'v2'],
        [3, 'v1'],
      ],
    );

    const many = Array.from({ length: 55 }, (_, i) => ({ ...old[0]!, runId: `r${i}`, revision: i + 1 }));
    await writeHistory(cluster(), 'default', 'long', many);
    const kept = await readHistory(cluster(), 'default', 'long');
    assert.equal(kept.length, 50, 'the newest 50 are kept');
    assert.deepEqual([kept[0]?.revision, kept.at(-1)?.revision], [6, 55], 'trimming renumbers nothing');

    // An entry written after an old, unnumbered history continues its numbering.
    await edit('mixed', JSON.stringify([...old, { ...old[0]!, runId: 'r9', revision: 4 }, { ...old[1]!, runId: 'r10' }]));
    assert.deepEqual(
      (await readHistory(cluster(), 'default', 'mixed')).map((e) => e.revision),
      [1, 2, 3, 4, 5],
    );
  });
});
