import { advise, parseWorkload } from '../advise/index.js';
import { runDoctor } from '../doctor.js';
import { lintPaths } from '../lint.js';
import { fetchInventory } from '../live/inventory.js';

/**
 * What the tools relay: the same functions the commands call. Gathered here so that tests of the
 * server's own behaviour (schemas, errors, file names, the live view) can run it over other ones.
 */
export interface KnowHow {
  parseWorkload: typeof parseWorkload;
  advise: typeof advise;
  lintPaths: typeof lintPaths;
  runDoctor: typeof runDoctor;
  fetchInventory: typeof fetchInventory;
}

export const KNOW_HOW: KnowHow = { parseWorkload, advise, lintPaths, runDoctor, fetchInventory };
