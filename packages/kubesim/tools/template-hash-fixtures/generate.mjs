// Regenerates kubesim's Go type schema (src/controllers/pod-template-go-schema.ts) and the hash
// fixtures (src/controllers/template-hash.fixtures.json) for every minor kubesim serves. Needs Go
// and go-spew 1.1.1 in /usr/share/gocode (Debian: golang-go golang-github-davecgh-go-spew-dev) and
// git mirrors of kubernetes/api, kubernetes/apimachinery and go-inf/inf. See README.md.
// Usage: node generate.mjs <api git dir> <apimachinery git dir> <inf git dir> [work dir]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, '../../src/controllers');
const [api, apimachinery, inf, work = mkdtempSync(join(tmpdir(), 'template-hash-'))] = process.argv.slice(2);
if (!api || !apimachinery || !inf)
  throw new Error('usage: node generate.mjs <api git dir> <apimachinery git dir> <inf git dir> [work dir]');
// The patch releases kubesim reports (kubernetes-version.ts); the structs do not change within a minor.
const tags = { 26: 'v0.26.15', 27: 'v0.27.16', 28: 'v0.28.15', 29: 'v0.29.14', 30: 'v0.30.10', 31: 'v0.31.6', 32: 'v0.32.2' };
mkdirSync(work, { recursive: true });
const fixtures = join(src, 'template-hash.fixtures.json');
writeFileSync(fixtures, execFileSync(process.execPath, [join(here, 'samples.mjs')]));
const schemas = [];
for (const [minor, tag] of Object.entries(tags)) {
  const gopath = join(work, `gopath-${minor}`);
  const schema = join(work, `schema-1.${minor}.json`);
  const env = { ...process.env, GO111MODULE: 'off', GOFLAGS: '' };
  execFileSync(
    'go',
    ['run', 'schemagen.go', '-api', api, '-apimachinery', apimachinery, '-inf', inf, '-tag', tag, '-out', schema, '-gopath', gopath],
    {
      cwd: here,
      env,
      stdio: 'inherit',
    },
  );
  execFileSync('go', ['run', 'main.go', '-fixtures', fixtures, '-minor', `1.${minor}`, '-dumps', join(work, `dumps-1.${minor}.txt`)], {
    cwd: join(here, 'hasher'),
    env: { ...env, GOPATH: `${gopath}:/usr/share/gocode` },
    stdio: 'inherit',
  });
  schemas.push(schema);
}
execFileSync(process.execPath, [join(here, 'merge-schemas.mjs'), join(src, 'pod-template-go-schema.ts'), ...schemas], { stdio: 'inherit' });
console.log(`schemas, Go packages and spew dumps are in ${work}`);
