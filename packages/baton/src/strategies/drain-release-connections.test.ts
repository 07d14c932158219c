import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../kube/kube-object.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { readReleaseConnections, type ReadReleaseConnectionsOptions } from './drain-release-connections.js';

const metric = { port: 'http', path: '/metrics', metric: 'demo_open_streams' };

/** A pod's metric endpoint on 127.0.0.1: answers `body`, or 500 when body is undefined. */
async function endpoint(body: string | undefined): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    res.statusCode = body === undefined ? 500 : 200;
    res.end(body ?? 'down');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, port: (server.address() as AddressInfo).port };
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'demo', uid: 'd1' },
  spec: { selector: { matchLabels: { app: 'demo' } }, template: { spec: { containers: [] } } },
} as unknown as DeploymentLike;
const rs = (uid: string, owner: string): KubeObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: uid, uid, ownerReferences: [{ uid: owner, controller: true }] },
  }) as unknown as KubeObject;
const pod = (name: string, owner: string, port: number, ip: string | null = '127.0.0.1'): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ownerReferences: [{ uid: owner, controller: true }] },
    spec: { containers: [{ ports: [{ name: 'http', containerPort: port }] }] },
    status: { phase: 'Running', ...(ip ? { podIP: ip } : {}) },
  }) as unknown as KubeObject;

function fakeKube(sets: KubeObject[], pods: KubeObject[]): ReadReleaseConnectionsOptions['kube'] {
  return {
    list: async <T extends KubeObject>(q: { kind: string }) => ({ items: (q.kind === 'Pod' ? pods : sets) as T[], resourceVersion: '1' }),
  };
}

test('the release count sums every pod of the Deployment (not pods of a newer release its selector also matches)', async () => {
  const a = await endpoint('# TYPE demo_open_streams gauge\ndemo_open_streams{kind="sse"} 2\ndemo_open_streams{kind="download"} 1\n');
  const b = await endpoint('demo_open_streams{kind="sse"} 0\n');
  const other = await endpoint(undefined);
  try {
    const kube = fakeKube(
      [rs('rs1', 'd1'), rs('rs2', 'd2')],
      [pod('a', 'rs1', a.port), pod('b', 'rs1', b.port), pod('v2', 'rs2', other.port)],
    );
    assert.deepEqual(await readReleaseConnections({ kube, namespace: 'default', deployment, metric }), {
      kind: 'value',
      value: 3,
      pods: 2,
    });
  } finally {
    for (const s of [a, b, other]) s.server.close();
  }
});

test('one pod that does not answer, has no IP or lacks the metric makes the release unknown (never 0)', async () => {
  const zero = await endpoint('demo_open_streams 0\n');
  const down = await endpoint(undefined);
  const other = await endpoint('some_other_metric 0\n');
  try {
    const read = (pods: KubeObject[]) =>
      readReleaseConnections({ kube: fakeKube([rs('rs1', 'd1')], pods), namespace: 'default', deployment, metric, timeoutMs: 1000 });
    const failing = await read([pod('a', 'rs1', zero.port), pod('b', 'rs1', down.port)]);
    assert.equal(failing.kind, 'unknown');
    assert.match(failing.kind === 'unknown' ? failing.reason : '', /pod b did not answer with demo_open_streams/);
    const noMetric = await read([pod('a', 'rs1', other.port)]);
    assert.equal(noMetric.kind, 'unknown', 'no data is never 0');
    const starting = await read([pod('a', 'rs1', zero.port), pod('c', 'rs1', zero.port, null)]);
    assert.match(starting.kind === 'unknown' ? starting.reason : '', /pod c has no IP yet/);
    assert.deepEqual(await read([]), { kind: 'value', value: 0, pods: 0 }, 'a Deployment without pods holds nothing');
  } finally {
    for (const s of [zero, down, other]) s.server.close();
  }
});
