import type { KubeObject } from '../kube/kube-object.js';
import { describeRouterContract } from './testing/router-contract.js';

const gateway: KubeObject = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'gw' },
  spec: { gatewayClassName: 'kubesim', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
};

describeRouterContract({
  host: 'gw.test',
  config: {
    kind: 'gateway-api',
    namespace: 'default',
    stableService: 'web',
    canaryService: 'web-canary',
    port: 8080,
    httpRoute: 'web',
    gateway: 'gw',
    host: 'gw.test',
  },
  userObjects: [gateway],
  foreign: {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web' },
    spec: { parentRefs: [{ name: 'gw' }], hostnames: ['gw.test'], rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] },
  },
});
