import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { LogStore } from './log-store.js';
import { startKubeletServer } from './kubelet-server.js';

function get(port: number, path: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface ExecOut {
  protocol: string;
  stdout: string;
  stderr: string;
  status: { status: string; reason?: string; message?: string; details?: { causes: { message: string }[] } } | undefined;
}

function exec(port: number, query: string, protocols: string[], stdin?: string): Promise<ExecOut> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/exec/ns/p/c?${query}`, protocols, { headers: { authorization: 'Bearer tok' } });
    const out: ExecOut = { protocol: '', stdout: '', stderr: '', status: undefined };
    ws.on('open', () => {
      out.protocol = ws.protocol;
      if (stdin !== undefined) {
        ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(stdin)]));
        ws.send(Buffer.from([255, 0]));
      }
    });
    ws.on('message', (d: Buffer) => {
      const ch = d[0];
      const text = d.subarray(1).toString();
      if (ch === 1) out.stdout += text;
      else if (ch === 2) out.stderr += text;
      else if (ch === 3) out.status = JSON.parse(text) as ExecOut['status'];
    });
    ws.on('close', () => resolve(out));
    ws.on('error', reject);
  });
}

test('kubelet server: auth, logs, exec over v5/v4, stats', { timeout: 20_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubesim-ks-'));
  const logs = new LogStore(dir);
  const w = logs.open('ns', 'p', 'u', 'c');
  w.write('stdout', 'hello\nworld\n');
  const server = await startKubeletServer({
    token: 'tok',
    logs,
    portForwardTarget: () => undefined,
    container: (ns, pod, c) =>
      ns === 'ns' && pod === 'p' && (c === 'c' || c === undefined)
        ? { env: { PATH: '/usr/bin:/bin', GREETING: 'hi from env' }, cwd: '/tmp', pid: 1 }
        : undefined,
    podExists: (ns, pod) => ns === 'ns' && pod === 'p',
    statsSummary: () => ({ pods: [] }),
  });
  try {
    assert.equal((await get(server.port, '/containerLogs/ns/p/c')).status, 401);
    assert.equal((await get(server.port, '/containerLogs/ns/p/c', 'wrong')).status, 401);
    assert.deepEqual(await get(server.port, '/containerLogs/ns/p/c?tailLines=1', 'tok'), { status: 200, body: 'world\n' });
    assert.equal((await get(server.port, '/containerLogs/ns/nope/c', 'tok')).status, 404);
    assert.equal((await get(server.port, '/stats/summary', 'tok')).body, '{"pods":[]}');

    // follow: the response stays open until the run's log closes
    const followed = get(server.port, '/containerLogs/ns/p/c?follow=true', 'tok');
    await new Promise((r) => setTimeout(r, 100));
    w.write('stdout', 'later\n');
    w.close();
    assert.deepEqual(await followed, { status: 200, body: 'hello\nworld\nlater\n' });

    const ok = await exec(
      server.port,
      'command=sh&command=-c&command=echo%20%24GREETING%3B%20pwd%3B%20echo%20err%20%3E%262&stdout=1&stderr=1',
      ['v5.channel.k8s.io', 'v4.channel.k8s.io'],
    );
    assert.equal(ok.protocol, 'v5.channel.k8s.io');
    assert.equal(ok.stdout, 'hi from env\n/tmp\n');
    assert.equal(ok.stderr, 'err\n');
    assert.equal(ok.status?.status, 'Success');

    const fail = await exec(server.port, 'command=sh&command=-c&command=exit%203&stdout=1&stderr=1', ['v4.channel.k8s.io']);
    assert.equal(fail.protocol, 'v4.channel.k8s.io');
    assert.equal(fail.status?.reason, 'NonZeroExitCode');
    assert.equal(fail.status?.details?.causes[0]?.message, '3');

    const cat = await exec(server.port, 'command=cat&stdin=1&stdout=1', ['v5.channel.k8s.io'], 'piped in');
    assert.equal(cat.stdout, 'piped in');

    const missing = await exec(server.port, 'command=no-such-cmd&stdout=1&stderr=1', ['v5.channel.k8s.io']);
    assert.match(missing.status?.message ?? '', /executable file not found in \$PATH/);
    assert.equal(missing.status?.details?.causes[0]?.message, '127');

    const tty = await exec(server.port, 'command=sh&tty=1&stdout=1', ['v5.channel.k8s.io']);
    assert.match(tty.status?.message ?? '', /does not support tty/);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
