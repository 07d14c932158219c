import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertControlApplies } from '../../controller/release-client.js';
import type { Release, ReleasePhase } from '../../controller/release.js';
import { isBatonError } from '../../errors.js';
import { exitCodes } from '../exit-codes.js';
import { releaseExitCode, releaseTargetOf } from './release-target.js';

const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u, namespace: team } }]
current-context: x
`;
const io = { cwd: '/', env: {}, stdout: { write: () => true }, stderr: { write: () => true }, signal: new AbortController().signal };

const release = (phase: ReleasePhase | undefined): Release => ({
  apiVersion: 'baton.dev/v1alpha1',
  kind: 'Release',
  metadata: { name: 'demo-v2', namespace: 'default' },
  spec: { upgrade: { app: 'demo' }, inputs: [] },
  ...(phase ? { status: { phase } } : {}),
});

test('release/NAME names a Release; a bare run id stays local unless --in-cluster', async (t) => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'baton-target-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'kubeconfig');
  await writeFile(file, kubeconfig);
  const options = { kubeconfig: file };
  assert.equal(releaseTargetOf(options, 'demo-20261202-ab12', io), undefined);
  assert.equal(releaseTargetOf(options, undefined, io), undefined);
  const named = releaseTargetOf(options, 'release/demo-v2', io);
  assert.deepEqual([named?.name, named?.namespace], ['demo-v2', 'team']);
  assert.equal(releaseTargetOf(options, 'releases.baton.dev/demo-v2', io)?.name, 'demo-v2');
  assert.equal(releaseTargetOf({ ...options, inCluster: true, namespace: 'prod' }, 'demo-v2', io)?.namespace, 'prod');
  assert.equal(releaseTargetOf({ ...options, inCluster: true }, undefined, io)?.name, undefined, '--in-cluster alone: the newest');
  assert.throws(() => releaseTargetOf(options, 'release/', io), /names no Release/);
});

test('a request that cannot apply is refused with what to run instead', () => {
  const refused = (phase: ReleasePhase | undefined, verb: 'promote' | 'abort' | 'retry') => {
    try {
      assertControlApplies(release(phase), verb);
      return undefined;
    } catch (error) {
      assert.ok(isBatonError(error));
      return error;
    }
  };
  assert.equal(refused('Paused', 'promote'), undefined);
  assert.equal(refused('Running', 'abort'), undefined);
  assert.equal(refused(undefined, 'abort'), undefined, 'a Release not yet started can be aborted');
  assert.equal(refused('Halted', 'retry'), undefined);
  const finished = refused('Succeeded', 'promote');
  assert.equal(finished?.code, 'RUN_FINISHED');
  assert.match(finished?.hint ?? '', /baton rollback release\/demo-v2/);
  assert.equal(refused('Running', 'promote')?.code, 'NOT_PAUSED');
  assert.equal(refused('Paused', 'retry')?.code, 'NOT_HALTED');
});

test('a Release exits as a local run of the same state does (kubectl rollout status)', () => {
  assert.deepEqual(
    (['Succeeded', 'Running', 'Waiting', 'Paused', 'Halted', 'RolledBack', 'Aborted', 'Failed', 'Invalid'] as const).map((p) =>
      releaseExitCode(release(p)),
    ),
    [
      exitCodes.ok,
      exitCodes.ok,
      exitCodes.ok,
      exitCodes.paused,
      exitCodes.halted,
      exitCodes.failed,
      exitCodes.failed,
      exitCodes.failed,
      exitCodes.invalidInput,
    ],
  );
});
