import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadManifests, parseManifestText } from './load-manifests.js';
import { ManifestInvalidError, ManifestParseError } from './manifest-errors.js';

const multiDoc = `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  strategy:
    type: RollingUpdate
  template:
    spec:
      containers:
        - name: web
          image: web:1.2.3
---
---
apiVersion: v1
kind: Service
metadata: {name: web}
`;

test('multi-document YAML: objects, their lines, and field lines', { timeout: 30_000 }, () => {
  const [deployment, service, ...rest] = parseManifestText(multiDoc, 'app.yaml');
  assert.equal(rest.length, 0, 'the empty document is skipped');
  assert.equal(deployment?.object.kind, 'Deployment');
  assert.equal(deployment?.line, 2);
  assert.equal(deployment?.pathLine(['spec', 'replicas']), 7);
  assert.equal(deployment?.pathLine(['spec', 'strategy']), 8, 'a map-valued field points at its key');
  assert.equal(deployment?.pathLine(['spec', 'template', 'spec', 'containers', 0]), 13);
  assert.equal(deployment?.pathLine(['spec', 'template', 'spec', 'containers', 0, 'image']), 14);
  assert.equal(deployment?.pathLine(['spec', 'template', 'spec', 'containers', 0, 'readinessProbe']), 13, 'absent field: nearest parent');
  assert.equal(service?.object.metadata.name, 'web');
  assert.equal(service?.line, 17);
});

test('JSON and List kinds are flattened with item lines', { timeout: 30_000 }, () => {
  const json = JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' }, data: { k: 'dg==' } },
      ],
    },
    null,
    2,
  );
  const loaded = parseManifestText(json, 'list.json');
  assert.deepEqual(
    loaded.map((m) => `${m.object.kind}/${m.object.metadata.name}@${m.line}`),
    ['ConfigMap/a@5', 'Secret/b@12'],
  );
  assert.equal(loaded[1]?.pathLine(['data', 'k']), 19);
});

test('syntax errors: MANIFEST_PARSE with file:line:column', { timeout: 30_000 }, () => {
  assert.throws(
    () => parseManifestText('apiVersion: v1\nkind: Service\nmetadata:\n  name: [a\n', 'bad.yaml'),
    (error: unknown) => {
      assert.ok(error instanceof ManifestParseError);
      assert.equal(error.code, 'MANIFEST_PARSE');
      assert.match(error.message, /^bad\.yaml:5:1: Flow sequence/);
      return true;
    },
  );
  assert.throws(
    () => parseManifestText('a: 1\n  b: 2\n', 'indent.yaml'),
    (error: unknown) => error instanceof ManifestParseError && error.line === 1 && error.column === 4,
  );
});

test('a document without apiVersion/kind or name is a clear error', { timeout: 30_000 }, () => {
  assert.throws(
    () => parseManifestText('apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\nfoo: bar\n', 'x.yaml'),
    (error: unknown) => {
      assert.ok(error instanceof ManifestInvalidError);
      assert.equal(error.code, 'MANIFEST_INVALID');
      assert.equal(error.message, 'x.yaml:6: document has no apiVersion or kind');
      return true;
    },
  );
  assert.throws(() => parseManifestText('apiVersion: v1\nkind: Service\n', 'x.yaml'), /Service has no metadata.name/);
});

test('files and directories (recursive, sorted, only manifest extensions)', { timeout: 30_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-manifests-'));
  try {
    await mkdir(join(dir, 'nested'));
    await writeFile(join(dir, 'b.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n');
    await writeFile(join(dir, 'a.yml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    await writeFile(join(dir, 'nested', 'c.json'), '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"c"}}');
    await writeFile(join(dir, 'README.md'), '# not a manifest\n');
    const loaded = await loadManifests([dir]);
    assert.deepEqual(
      loaded.map((m) => [m.object.metadata.name, m.file]),
      [
        ['a', join(dir, 'a.yml')],
        ['b', join(dir, 'b.yaml')],
        ['c', join(dir, 'nested', 'c.json')],
      ],
    );
    await assert.rejects(loadManifests([join(dir, 'missing.yaml')]), { code: 'MANIFEST_PATH' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
