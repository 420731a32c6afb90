import type { Model } from '../model.js';
import type { RuntimeHint } from './hints.js';

/** Where `tideway start` listens unless told otherwise: what doctor and the MCP server read by default. */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4566';

/** The resources of one account and region of a running Tideway, as the rules read them. */
export interface LiveScope {
  account: string;
  region: string;
  model: Model;
}

export interface LiveInventory {
  scopes: LiveScope[];
}

export interface ScopeFilter {
  account?: string;
  region?: string;
}

/** Nothing answered at the endpoint, or what answered is not a Tideway with doctor's views. */
export class NoTidewayError extends Error {
  constructor(
    readonly endpoint: string,
    detail: string,
  ) {
    super(`no Tideway answers at ${endpoint}: ${detail}`);
    this.name = 'NoTidewayError';
  }
}

async function getJson(endpoint: string, view: string, filter: ScopeFilter): Promise<unknown> {
  let url: URL;
  try {
    url = new URL(`/_tideway/${view}`, endpoint);
  } catch {
    throw new NoTidewayError(endpoint, 'that is not a URL');
  }
  if (filter.account) url.searchParams.set('account', filter.account);
  if (filter.region) url.searchParams.set('region', filter.region);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new NoTidewayError(endpoint, cause?.code ?? cause?.message ?? (err as Error).message);
  }
  if (!response.ok) {
    throw new NoTidewayError(endpoint, `GET ${url.pathname} answered ${response.status} (is it a Tideway?)`);
  }
  try {
    return await response.json();
  } catch {
    throw new NoTidewayError(endpoint, `GET ${url.pathname} did not answer JSON`);
  }
}

/**
 * Reads `GET /_tideway/doctor/inventory` of a running Tideway (all accounts and regions, or the
 * one asked for). Throws NoTidewayError when nothing answers at `endpoint`.
 */
export async function fetchInventory(endpoint: string, filter: ScopeFilter = {}): Promise<LiveInventory> {
  const body = (await getJson(endpoint, 'doctor/inventory', filter)) as LiveInventory;
  if (!Array.isArray(body?.scopes)) throw new NoTidewayError(endpoint, 'the inventory has no scopes');
  const base = endpoint.replace(/\/+$/, '');
  for (const scope of body.scopes) {
    // The server knows queues by path only: their URL is the endpoint the client reached.
    for (const queue of scope.model.queues) {
      if (queue.url?.startsWith('/')) queue.url = `${base}${queue.url}`;
    }
  }
  return body;
}

/** Reads `GET /_tideway/doctor/hints`: what the services saw at runtime, and what their state shows now. */
export async function fetchHints(endpoint: string, filter: ScopeFilter = {}): Promise<RuntimeHint[]> {
  const body = (await getJson(endpoint, 'doctor/hints', filter)) as { hints?: RuntimeHint[] };
  if (!Array.isArray(body?.hints)) throw new NoTidewayError(endpoint, 'the hints view answered no list');
  return body.hints;
}
