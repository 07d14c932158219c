import { describeRouterContract } from './testing/router-contract.js';
import { trackLabel } from './testing/router-fixture.js';

describeRouterContract({
  host: 'mesh.test',
  config: {
    kind: 'istio',
    namespace: 'default',
    stableService: 'web',
    canaryService: 'web-canary',
    port: 8080,
    virtualService: 'web',
    canaryPodLabels: { [trackLabel]: 'canary' },
    host: 'mesh.test',
  },
  foreign: {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'web' },
    spec: { hosts: ['mesh.test'], http: [{ route: [{ destination: { host: 'web', port: { number: 8080 } } }] }] },
  },
});
