import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolvePort, sumMetric } from './drain-connections.js';

const text = `# HELP demo_open_streams Long-lived exchanges open on this pod, by kind
# TYPE demo_open_streams gauge
demo_open_streams{kind="download",version="v1"} 2
demo_open_streams{kind="sse",version="v1"} 3
demo_open_streams{kind="websocket",version="v1"} 0
demo_open_streams_total 9
`;

test('sumMetric sums the named gauge, filtered by labels; a missing metric is undefined, never 0', () => {
  assert.equal(sumMetric(text, 'demo_open_streams'), 5);
  assert.equal(sumMetric(text, 'demo_open_streams', { kind: 'download' }), 2);
  assert.equal(sumMetric(text, 'demo_open_streams', { kind: 'websocket' }), 0);
  assert.equal(sumMetric(text, 'demo_open_streams', { kind: 'nothing' }), undefined);
  assert.equal(sumMetric(text, 'no_such_metric'), undefined);
  assert.equal(sumMetric('', 'demo_open_streams'), undefined);
});

test('resolvePort takes a number or a container port name', () => {
  const containers = [{ ports: [{ name: 'http', containerPort: 8080 }] }];
  assert.equal(resolvePort(9090, containers), 9090);
  assert.equal(resolvePort('http', containers), 8080);
  assert.equal(resolvePort('metrics', containers), undefined);
});
