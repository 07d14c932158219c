import { describeRouterContract } from './testing/router-contract.js';
import { mainIngress } from './testing/router-fixture.js';

describeRouterContract({
  host: 'nginx.test',
  config: {
    kind: 'nginx-ingress',
    namespace: 'default',
    stableService: 'web',
    canaryService: 'web-canary',
    port: 8080,
    ingress: 'web',
    host: 'nginx.test',
  },
  userObjects: [mainIngress('web', 'nginx.test', 'web')],
  foreign: {
    ...mainIngress('web-canary', 'nginx.test', 'web-canary'),
    metadata: {
      name: 'web-canary',
      annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '0' },
    },
  },
});
