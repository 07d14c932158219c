import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineArgv, expandArgv, resolveExecutable } from './container-command.js';

const image = { entrypoint: ['/bin/ep'], cmd: ['--default'] };

test('command/args combine as Docker + Kubernetes do', () => {
  assert.deepEqual(combineArgv({}, image), ['/bin/ep', '--default']);
  assert.deepEqual(combineArgv({ args: ['x'] }, image), ['/bin/ep', 'x']);
  assert.deepEqual(combineArgv({ command: ['sh'] }, image), ['sh']);
  assert.deepEqual(combineArgv({ command: ['sh'], args: ['-c', 'true'] }, image), ['sh', '-c', 'true']);
});

test('argv expansion uses the container env', () => {
  assert.deepEqual(expandArgv(['echo', '$(A)', '$$(A)'], { A: '1' }), ['echo', '1', '$(A)']);
});

test('executables resolve through PATH and relative paths through cwd', () => {
  assert.equal(resolveExecutable('sh', '/nonexistent:/bin:/usr/bin', '/'), '/bin/sh');
  assert.equal(resolveExecutable('no-such-binary-kubesim', '/bin:/usr/bin', '/'), undefined);
  assert.equal(resolveExecutable('./sh', '', '/bin'), '/bin/sh');
  assert.equal(resolveExecutable('/etc', '', '/'), undefined);
});
