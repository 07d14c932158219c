import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceLinkEnv } from './service-env.js';

test('service link variables as the kubelet writes them', () => {
  const env = serviceLinkEnv([
    { name: 'redis-master', clusterIP: '127.96.0.11', ports: [{ name: 'redis', port: 6379 }, { port: 26379 }] },
    { name: 'headless', clusterIP: 'None', ports: [{ port: 80 }] },
  ]);
  assert.deepEqual(env, {
    REDIS_MASTER_SERVICE_HOST: '127.96.0.11',
    REDIS_MASTER_SERVICE_PORT: '6379',
    REDIS_MASTER_SERVICE_PORT_REDIS: '6379',
    REDIS_MASTER_PORT: 'tcp://127.96.0.11:6379',
    REDIS_MASTER_PORT_6379_TCP: 'tcp://127.96.0.11:6379',
    REDIS_MASTER_PORT_6379_TCP_PROTO: 'tcp',
    REDIS_MASTER_PORT_6379_TCP_PORT: '6379',
    REDIS_MASTER_PORT_6379_TCP_ADDR: '127.96.0.11',
    REDIS_MASTER_PORT_26379_TCP: 'tcp://127.96.0.11:26379',
    REDIS_MASTER_PORT_26379_TCP_PROTO: 'tcp',
    REDIS_MASTER_PORT_26379_TCP_PORT: '26379',
    REDIS_MASTER_PORT_26379_TCP_ADDR: '127.96.0.11',
  });
});
