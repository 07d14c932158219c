import { describeRouterContract } from './testing/router-contract.js';
import { mainIngress, trackLabel } from './testing/router-fixture.js';

// All or nothing: 0 and 100 are measured, anything between is refused.
describeRouterContract({
  host: 'sel.test',
  config: {
    kind: 'service-selector',
    namespace: 'default',
    stableService: 'web-sel',
    canaryService: 'web-sel',
    port: 8080,
    stableSelector: { app: 'web', [trackLabel]: 'stable' },
    canarySelector: { app: 'web', [trackLabel]: 'canary' },
  },
  userObjects: [mainIngress('web-sel', 'sel.test', 'web-sel')],
  weights: [100, 0],
  refusedWeights: [10, 50, 99],
  foreign: { skip: 'service-selector writes only the selector of the app Service, which the strategy owns' },
  skipRoutes: 'service-selector has no proxy that sees requests: header and cookie routes are refused',
});
