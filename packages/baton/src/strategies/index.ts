import type { BatonSpec } from '../spec/schema.js';
import { abStrategy } from './ab.js';
import { blueGreenStrategy } from './blue-green.js';
import { canaryStrategy } from './canary.js';
import { maintenanceStrategy } from './maintenance.js';
import { rainbowStrategy } from './rainbow.js';
import { rollingStrategy } from './rolling.js';
import type { Strategy } from './strategy.js';

/** Strategies by kind: adding one is a file and a line here. */
export const strategies = {
  rolling: rollingStrategy,
  'blue-green': blueGreenStrategy,
  maintenance: maintenanceStrategy,
  rainbow: rainbowStrategy,
  canary: canaryStrategy,
  ab: abStrategy,
} satisfies Record<BatonSpec['strategy']['kind'], Strategy>;
