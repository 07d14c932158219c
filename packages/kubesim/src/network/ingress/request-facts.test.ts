import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { requestFacts } from './request-facts.js';

function incoming(url: string, headers: Record<string, string | string[]> = {}): IncomingMessage {
  // The facts read only url, method and headers.
  return { url, method: 'get', headers } as unknown as IncomingMessage;
}

describe('requestFacts', () => {
  it('gives the path and query WHATWG URL parsing gives, on the fast path and off it', () => {
    const targets = [
      '/',
      '/a/b?x=1&y=%20z',
      '/a/./b',
      '/a/../b',
      '//evil/x',
      '/p%41th',
      '/x?q=a+b#f',
      '/file.js',
      '/a..b',
      '/.well-known/x',
      '/?',
      '/a?x="<>',
      'http://other/abs?k=v',
    ];
    for (const t of targets) {
      const f = requestFacts(incoming(t));
      const url = new URL(t, 'http://x');
      assert.equal(f.path, url.pathname, t);
      assert.equal(f.query.toString(), url.searchParams.toString(), t);
    }
  });

  it('lower-cases host and method, drops the port, joins repeated headers and parses cookies', () => {
    const f = requestFacts(incoming('/', { host: 'Shop.Test:8080', 'x-a': ['1', '2'], cookie: 'a=1; b = 2; a=3' }));
    assert.equal(f.host, 'shop.test');
    assert.equal(f.method, 'GET');
    assert.equal(f.headers['x-a'], '1, 2');
    assert.deepEqual(f.cookies, { a: '1', b: '2' });
    assert.equal(requestFacts(incoming('/', { host: '[::1]:80' })).host, '[::1]');
  });
});
