import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeploymentLike } from '../../kube/workload-objects.js';
import { rolloutVerdict } from './rollout-watch.js';

function deployment(spec: Partial<DeploymentLike['spec']>, status: NonNullable<DeploymentLike['status']>, generation = 2): DeploymentLike {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', generation },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { spec: { containers: [{ name: 'app', image: 'web:2' }] } },
      ...spec,
    },
    status,
  };
}
const rolling = { observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 2 };
const done = { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 };

describe('rolloutVerdict: what kubectl rollout status decides, from one observation', () => {
  test('still rolling, then complete; an unobserved generation is never complete', () => {
    assert.equal(rolloutVerdict(deployment({}, rolling)), undefined);
    assert.deepEqual(rolloutVerdict(deployment({}, done)), { kind: 'complete' });
    assert.equal(rolloutVerdict(deployment({}, { ...done, observedGeneration: 1 })), undefined);
  });

  test('a passed progress deadline fails with the controller message', () => {
    const v = rolloutVerdict(
      deployment(
        { progressDeadlineSeconds: 30 },
        {
          ...rolling,
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: 'ReplicaSet "web-1" has timed out progressing.',
            },
          ],
        },
      ),
    );
    assert.equal(v?.kind, 'failed');
    assert.match(v.kind === 'failed' ? v.reason : '', /exceeded its progress deadline \(30s\): ReplicaSet "web-1" has timed out/);
  });

  test('a paused Deployment mid-rollout fails at once, saying how to resume it; paused and complete is complete', () => {
    const v = rolloutVerdict(deployment({ paused: true }, rolling));
    assert.equal(v?.kind, 'failed');
    assert.match(v.kind === 'failed' ? v.reason : '', /Deployment web is paused .*kubectl rollout resume deployment\/web -n shop/);
    assert.deepEqual(rolloutVerdict(deployment({ paused: true }, done)), { kind: 'complete' });
  });
});
