import type { Clock } from '../../core/clock.js';
import type { HttpReply } from '../../protocols/service.js';
import { emptyModel } from '../model.js';
import type { HintRecorder, RuntimeHint } from './hints.js';
import type { LiveInventory } from './inventory.js';
import { type LiveSource, matches, type Scope, uniqueScopes } from './sources.js';

function json(value: unknown): HttpReply {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function filterOf(query: URLSearchParams): Partial<Scope> {
  return { account: query.get('account') || undefined, region: query.get('region') || undefined };
}

/** Every account and region some service holds resources in, or the one asked for. */
async function scopesOf(sources: readonly LiveSource[], filter: Partial<Scope>): Promise<Scope[]> {
  const all: Scope[] = [];
  for (const source of sources) all.push(...(await source.scopes()));
  if (filter.account && filter.region) all.push({ account: filter.account, region: filter.region });
  return uniqueScopes(all).filter((scope) => matches(scope, filter));
}

/** The live inventory: one know-how model per account and region. */
export async function inventory(
  sources: readonly LiveSource[],
  filter: Partial<Scope>,
): Promise<LiveInventory> {
  const scopes = [];
  for (const scope of await scopesOf(sources, filter)) {
    const model = emptyModel('live');
    for (const source of sources) await source.collect(model, scope);
    scopes.push({ ...scope, model });
  }
  return { scopes };
}

/** The hints recorded since start, and those the services' state shows now (logged once each). */
export async function hints(
  sources: readonly LiveSource[],
  recorder: HintRecorder,
  now: number,
  filter: Partial<Scope>,
): Promise<RuntimeHint[]> {
  const computed = await recorder.lookAt(sources, now);
  return [...recorder.list(filter), ...computed.filter((h) => matches(h, filter))].sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.resource.localeCompare(b.resource),
  );
}

/** `GET /_tideway/doctor/inventory?account=&region=` and `GET /_tideway/doctor/hints?account=&region=`. */
export function doctorViews(
  sources: () => readonly LiveSource[],
  recorder: HintRecorder,
  clock: Clock,
): Record<string, (query: URLSearchParams) => Promise<HttpReply>> {
  return {
    'doctor/inventory': async (query) => json(await inventory(sources(), filterOf(query))),
    'doctor/hints': async (query) =>
      json({ hints: await hints(sources(), recorder, clock.now(), filterOf(query)) }),
  };
}
