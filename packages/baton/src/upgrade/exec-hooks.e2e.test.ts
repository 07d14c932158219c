import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FileJournal } from '../engine/file-journal.js';
import { MemoryLock } from '../engine/memory-lock.js';
import type { DeploymentLike } from '../kube/workload-objects.js';
import { applyAndWait, demoManifests, startTestCluster, writeSpec, type TestCluster } from '../testing/demo-cluster.js';
import { prepareFile, runPrepared } from '../testing/operations-harness.js';
import { runRecordFrom } from './run-record.js';
import { stepRegistry } from './step-registry.js';

describe('exec hooks and exec backups on kubesim (the Castopod seed: kubectl exec ... borgmatic --stats)', { timeout: 240_000 }, () => {
  let t: TestCluster;
  before(async () => {
    t = await startTestCluster();
    await applyAndWait(t.kube, demoManifests({ image: 'demo/app:v1' }));
  });
  after(async () => {
    await t?.stop();
  });
  const engine = () => ({
    journal: new FileJournal({ dir: join(t.dir, 'state') }),
    lock: new MemoryLock(),
    registry: stepRegistry(t.kube),
  });
  const run = async (name: string, extra: Record<string, unknown>) => {
    const spec = await writeSpec(t.dir, name, demoManifests({ image: 'demo/app:v1' }), {
      image: { ref: 'demo/app:v2' },
      probe: { enabled: false },
      ...extra,
    });
    const prepared = await prepareFile(spec, t.kube);
    const result = await runPrepared({ kube: t.kube, prepared, stateDir: join(t.dir, 'state'), engine: engine() });
    const record = runRecordFrom(await engine().journal.read(result.outcome.runId), prepared.plan, undefined);
    return { result, record };
  };
  const image = async () =>
    (await t.kube.get<DeploymentLike>({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', namespace: 'default' }))!.spec.template
      .spec.containers[0]!.image;

  test('an exec backup runs in the pod; its output and the size it prints reach the report', async () => {
    const { result, record } = await run('backup', {
      database: {
        dialect: 'postgres',
        backup: {
          method: 'exec',
          exec: { target: 'deploy/demo', command: ['sh', '-c', 'echo "Archive: demo"; echo "Compressed size: 199 MB"'] },
          sizePattern: 'Compressed size: ([\\d.]+ [kMG]?B)',
        },
      },
    });
    assert.equal(result.outcome.status, 'succeeded', result.outcome.reason);
    assert.equal(record.backups.length, 1);
    assert.equal(record.backups[0]!.compressedBytes, 199_000_000);
    const step = record.steps.find((s) => s.kind === 'exec-backup')!;
    assert.match(step.output ?? '', /Archive: demo/);
  });

  test('a failing exec verification rolls the upgrade back; stdout, stderr and the exit code are kept', async () => {
    const before = await image();
    const { result, record } = await run('verify-fails', {
      image: { ref: before === 'demo/app:v2' ? 'demo/app:v3' : 'demo/app:v2' },
      verify: [
        {
          name: 'migrate-status',
          exec: { release: 'new', command: ['sh', '-c', 'echo checking; echo "table users missing" >&2; exit 3'] },
        },
      ],
    });
    assert.equal(result.outcome.status, 'rolled-back');
    assert.match(result.outcome.reason ?? '', /exited 3: table users missing/);
    assert.equal(await image(), before);
    assert.match(record.steps.find((s) => s.id === 'verify:migrate-status')?.reason ?? '', /exited 3/);
  });

  test('a command that hangs is stopped at its timeout and fails the step', async () => {
    const before = await image();
    const started = Date.now();
    const { result } = await run('hangs', {
      image: { ref: before === 'demo/app:v2' ? 'demo/app:v3' : 'demo/app:v2' },
      verify: [{ name: 'hangs', timeoutSeconds: 1, exec: { release: 'new', command: ['sleep', '30'] } }],
    });
    assert.equal(result.outcome.status, 'rolled-back');
    assert.match(result.outcome.reason ?? '', /did not finish within 1000ms/);
    assert.ok(Date.now() - started < 60_000);
  });

  test('a command that does not exist fails clearly, like kubectl exec', async () => {
    const before = await image();
    const { result } = await run('missing', {
      image: { ref: before === 'demo/app:v2' ? 'demo/app:v3' : 'demo/app:v2' },
      verify: [{ name: 'missing', exec: { release: 'new', command: ['no-such-command-xyz'] } }],
    });
    assert.equal(result.outcome.status, 'rolled-back');
    assert.match(result.outcome.reason ?? '', /no-such-command-xyz|not found|exited 127/);
  });
});
