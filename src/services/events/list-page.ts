import { eventsError } from './errors.js';

// The paging of ListConnections and ListApiDestinations: the token carries the next item's
// offset, opaque to the caller as AWS's are.
const PREFIX = 'tideway-events:';

/** One page of `items` (already filtered and ordered) from the caller's NextToken and Limit. */
export function page<T>(
  items: T[],
  nextToken: string | undefined,
  limit: number | undefined,
): { items: T[]; next?: string } {
  let offset = 0;
  if (nextToken !== undefined) {
    const text = Buffer.from(nextToken, 'base64').toString('utf8');
    offset = Number(text.slice(PREFIX.length));
    if (!text.startsWith(PREFIX) || !Number.isInteger(offset) || offset < 0) {
      throw eventsError.validation('The NextToken provided is not valid.');
    }
  }
  const size = limit ?? 100;
  const slice = items.slice(offset, offset + size);
  const end = offset + slice.length;
  return {
    items: slice,
    next: end < items.length ? Buffer.from(`${PREFIX}${end}`).toString('base64') : undefined,
  };
}
