import type { Model } from '../model.js';

// SKELETON: replaced by the live inventory before this lands.

/** The resources of one account and region of a running Tideway, as the rules read them. */
export interface LiveScope {
  account: string;
  region: string;
  model: Model;
}

export interface LiveInventory {
  scopes: LiveScope[];
}

/**
 * Reads `GET /_tideway/doctor/inventory` of a running Tideway (all accounts and regions, or the
 * one asked for). Throws with a clear message when nothing answers at `endpoint`.
 */
export async function fetchInventory(
  _endpoint: string,
  _filter: { account?: string; region?: string } = {},
): Promise<LiveInventory> {
  throw new Error('not yet');
}
