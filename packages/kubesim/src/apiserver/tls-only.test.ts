import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestCluster, type TestCluster } from './test-support.js';

/** Sends `request` as raw bytes to the API port and reads everything until the server closes. */
function rawExchange(url: string, request: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(u.port), u.hostname, () => socket.write(request));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('the API port speaks TLS only, as kube-apiserver does', () => {
  let c: TestCluster;
  before(async () => {
    c = await startTestCluster();
  });
  after(async () => {
    await c.stop();
  });

  it('answers plain HTTP with 400 "Client sent an HTTP request to an HTTPS server." and closes, even with a valid token', async () => {
    const answer = await rawExchange(
      c.server.httpsUrl,
      `GET /api/v1/namespaces HTTP/1.1\r\nHost: kubesim\r\nAuthorization: Bearer ${c.server.token}\r\n\r\n`,
    );
    assert.match(answer, /^HTTP\/1\.0 400 Bad Request\r\n/);
    assert.match(answer, /Client sent an HTTP request to an HTTPS server\./);
    assert.doesNotMatch(answer, /NamespaceList/, 'nothing of the API is served over plain HTTP');
  });

  it("serves the same request over TLS with the kubeconfig's CA", async () => {
    const r = await c.server.fetch('/api/v1/namespaces', { headers: { authorization: `Bearer ${c.server.token}` } });
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { kind: string }).kind, 'NamespaceList');
    assert.match(c.server.kubeconfig(), /server: https:\/\/127\.0\.0\.1:\d+/);
  });
});
