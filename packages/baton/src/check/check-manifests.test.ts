import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkManifests } from './check-manifests.js';
import { exitCodeFor } from './exit-code-for.js';

// A naive seed-style manifest: one replica, latest tag, Recreate, no probes, no preStop.
const naive = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: castopod
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels: {app: castopod}
  template:
    metadata:
      labels: {app: castopod}
    spec:
      containers:
        - name: castopod
          image: castopod/castopod:latest
          ports:
            - containerPort: 8000
`;

test('a naive manifest from files: every checklist problem with its file:line', { timeout: 30_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-check-manifests-'));
  try {
    const file = join(dir, 'castopod.yaml');
    await writeFile(file, naive);
    const findings = await checkManifests({ paths: [dir] });
    assert.deepEqual(
      findings.map((f) => `${f.line}:${f.ruleId}:${f.severity}`),
      [
        '6:single-replica:warning',
        '8:recreate-strategy:error',
        '16:prestop-missing:warning',
        '16:readiness-probe-missing:error',
        '16:resource-requests-missing:info',
        '17:image-tag-unpinned:error',
      ],
    );
    assert.ok(findings.every((f) => f.file === file));
    assert.equal(exitCodeFor(findings), 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the demo manifests have no errors', { timeout: 30_000 }, async () => {
  const demo = fileURLToPath(new URL('../../demo/manifests/', import.meta.url));
  const findings = await checkManifests({ paths: [demo] });
  assert.deepEqual(
    findings.filter((f) => f.severity === 'error'),
    [],
  );
});

test("unreadable manifests reject with the loader's error", { timeout: 30_000 }, async () => {
  await assert.rejects(checkManifests({ paths: ['/nonexistent/baton.yaml'] }), { code: 'MANIFEST_PATH' });
});
