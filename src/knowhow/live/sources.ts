import type { Model } from '../model.js';
import type { RuntimeHint } from './hints.js';

/** One account and region of a running Tideway. */
export interface Scope {
  account: string;
  region: string;
}

/**
 * What one service shows `tideway doctor` (server side): the accounts and regions it holds
 * resources in, those resources in the know-how model, and the hints only its state can compute
 * when asked (a queue's oldest message, EventBridge's drop counts).
 */
export interface LiveSource {
  scopes(): Scope[] | Promise<Scope[]>;
  collect(model: Model, scope: Scope): void | Promise<void>;
  hints?(now: number): RuntimeHint[] | Promise<RuntimeHint[]>;
  /** The service warns about its hints itself (EventBridge's drops): doctor's views add no warning. */
  hintsLogged?: boolean;
}

/** Whether a scope is the one asked for: an absent account or region takes every one. */
export function matches(scope: Scope, filter: Partial<Scope>): boolean {
  return (
    (!filter.account || scope.account === filter.account) &&
    (!filter.region || scope.region === filter.region)
  );
}

/** `tideway://<account>/<region>`: where live findings point, in place of a template path. */
export function liveFile(scope: Scope): string {
  return `tideway://${scope.account}/${scope.region}`;
}

/** A resource policy kept as JSON text, parsed; the text itself when it is not JSON. */
export function parsePolicy(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A numeric attribute as a number; undefined when absent or not a number. */
export function numberAttribute(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export function uniqueScopes(scopes: Iterable<Scope>): Scope[] {
  const seen = new Map<string, Scope>();
  for (const s of scopes) seen.set(`${s.account}/${s.region}`, { account: s.account, region: s.region });
  return [...seen.values()].sort(
    (a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region),
  );
}
