import { describeRouterContract } from './testing/router-contract.js';
import { mainIngress } from './testing/router-fixture.js';

// 10 replicas shared out: 10/50/90 are whole pods, so round-robin over ready pods lands on them.
describeRouterContract({
  host: 'rr.test',
  config: {
    kind: 'replica-ratio',
    namespace: 'default',
    stableService: 'web-all',
    canaryService: 'web-all',
    port: 8080,
    stableDeployment: 'web',
    canaryDeployment: 'web-canary',
    totalReplicas: 10,
  },
  userObjects: [mainIngress('web-all', 'rr.test', 'web-all')],
  fixture: { stableReplicas: 9, canaryReplicas: 1 },
  foreign: { skip: 'replica-ratio writes only replica counts of the Deployments baton plans' },
  skipRoutes: 'replica-ratio has no proxy that sees requests: header and cookie routes are refused',
});
