import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { startApiServer, type ApiServer } from '@baton/kubesim/apiserver/index';
import { BatonError } from '../errors.js';
import type { KubeClient } from './kube-client.js';
import { ClientNodeKubeClient } from './client-node-kube-client.js';
import type { KubeObject } from './kube-object.js';
import { assertServerAccepts, unsupportedFields } from './server-capabilities.js';

const demoDeployment = fileURLToPath(new URL('../../demo/manifests/deployment.yaml', import.meta.url));

async function demoManifest(): Promise<KubeObject> {
  const [doc] = parseAllDocuments(await readFile(demoDeployment, 'utf8'));
  return doc!.toJS() as KubeObject;
}

/** The demo Deployment as it was before this fix: the native sleep action (Kubernetes 1.30+). */
function withSleepAction(d: KubeObject): KubeObject {
  const copy = structuredClone(d);
  const c = (copy['spec'] as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template.spec.containers[0]!;
  c['lifecycle'] = { preStop: { sleep: { seconds: 3 } } };
  return copy;
}

describe('server capabilities', () => {
  test('names each field an older minor lacks, with the fix; none on a minor that has it', async () => {
    const old = withSleepAction(await demoManifest());
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'm', namespace: 'ns' },
      spec: { podReplacementPolicy: 'Failed', template: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    const problems = unsupportedFields([old, job], 26);
    assert.deepEqual(
      problems.map((p) => [p.object, p.field, p.since]),
      [
        ['Deployment demo', 'spec.template.spec.containers[0].lifecycle.preStop.sleep', 30],
        ['Job ns/m', 'spec.podReplacementPolicy', 28],
      ],
    );
    assert.match(problems[0]!.fix, /exec: \{ command: \["sleep", "N"\] \}/);
    assert.deepEqual(unsupportedFields([old], 30), []);
    assert.deepEqual(unsupportedFields([await demoManifest()], 26), [], 'the demo manifests work on 1.26');
  });
});

for (const version of ['1.26', '1.32']) {
  describe(`plan-time refusal against kubesim ${version}`, { timeout: 60_000 }, () => {
    let api: ApiServer;
    let kube: KubeClient;
    before(async () => {
      api = await startApiServer({ kubernetesVersion: version });
      kube = new ClientNodeKubeClient({ kubeconfigText: api.kubeconfig() });
    });
    after(async () => {
      await api?.stop();
    });

    test(
      version === '1.26'
        ? 'preStop.sleep is refused before any change, and the server would refuse it too; the exec fix applies'
        : 'preStop.sleep and the exec fix are both accepted',
      async () => {
        const gitVersion = await kube.version();
        const sleepy = withSleepAction(await demoManifest());
        sleepy.metadata.name = 'sleepy';
        if (version === '1.26') {
          assert.throws(
            () => assertServerAccepts([sleepy], gitVersion, api.httpsUrl),
            (e: unknown) =>
              e instanceof BatonError &&
              e.code === 'MANIFEST_UNSUPPORTED_BY_SERVER' &&
              /Kubernetes v1\.26\.\d+-kubesim/.test(e.message) &&
              e.message.includes('spec.template.spec.containers[0].lifecycle.preStop.sleep exists from Kubernetes 1.30'),
          );
          // What baton avoids by refusing at plan time: the server drops the unknown field and then
          // refuses the emptied handler.
          await assert.rejects(kube.apply(sleepy), /preStop: Required value: must specify a handler type/);
        } else {
          assertServerAccepts([sleepy], gitVersion);
          await kube.apply(sleepy);
        }
        const fixed = await demoManifest();
        assertServerAccepts([fixed], gitVersion);
        const applied = await kube.apply<KubeObject>(fixed);
        const container = (applied['spec'] as { template: { spec: { containers: Array<{ lifecycle?: unknown }> } } }).template.spec
          .containers[0]!;
        assert.deepEqual(JSON.parse(JSON.stringify(container.lifecycle)), { preStop: { exec: { command: ['sleep', '3'] } } });
      },
    );
  });
}
