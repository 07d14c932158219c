import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from './ports.js';

/** The wall clock: what every front end passes unless a test brings its own. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await sleep(ms, undefined, signal ? { signal } : {});
  },
};
