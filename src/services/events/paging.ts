import { eventsError } from './errors.js';

/**
 * EventBridge's List* paging: at most `limit` items in name order and an opaque NextToken naming
 * the item the next page starts at, so resources added or deleted between calls do not shift the
 * pages that follow. A token that is not one of ours is a ValidationException.
 */
export function pageByName<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  limit: number | undefined,
  nextToken: string | undefined,
): { items: T[]; nextToken?: string } {
  const sorted = [...items].sort((a, b) => compare(nameOf(a), nameOf(b)));
  let start = 0;
  if (nextToken !== undefined) {
    const from = readToken(nextToken);
    start = sorted.findIndex((item) => compare(nameOf(item), from) >= 0);
    if (start < 0) start = sorted.length;
  }
  // AWS pages 100 at a time when no Limit is given (LimitMax100 caps what a caller may ask).
  const size = limit ?? 100;
  const chosen = sorted.slice(start, start + size);
  const following = sorted[start + size];
  return following === undefined
    ? { items: chosen }
    : { items: chosen, nextToken: writeToken(nameOf(following)) };
}

const PREFIX = 'tideway-events:';

/**
 * The paging of the List* operations whose order is their own (rules and targets in insertion
 * order, connections, API destinations): the opaque token carries the next item's offset.
 */
export function pageByOffset<T>(
  items: readonly T[],
  nextToken: string | undefined,
  limit: number | undefined,
): { items: T[]; next?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const text = Buffer.from(nextToken, 'base64url').toString('utf8');
    start = Number(text.slice(PREFIX.length));
    if (!text.startsWith(PREFIX) || !Number.isInteger(start) || start < 0) throw badToken();
  }
  const end = start + (limit ?? 100);
  return {
    items: items.slice(start, end),
    next: end < items.length ? Buffer.from(`${PREFIX}${end}`).toString('base64url') : undefined,
  };
}

const badToken = () => eventsError.validation('The NextToken provided is not valid.');

function writeToken(name: string): string {
  return Buffer.from(`${PREFIX}${name}`, 'utf8').toString('base64url');
}

function readToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX) || writeToken(text.slice(PREFIX.length)) !== token) {
    throw badToken();
  }
  return text.slice(PREFIX.length);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
