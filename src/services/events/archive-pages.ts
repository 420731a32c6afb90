import { eventsError } from './errors.js';

/**
 * Paging of ListArchives and ListReplays. The token carries the offset and the filter it was
 * issued for: AWS refuses a token that does not decode ("Malformed request.") and one reused
 * with another filter ("Token invalid."), while a new Limit with the same filter is fine.
 */
export function pageOf<T>(
  items: readonly T[],
  limit: number | undefined,
  token: string | undefined,
  filter: string,
): { items: T[]; nextToken?: string } {
  let offset = 0;
  if (token !== undefined) {
    let decoded: { o?: unknown; f?: unknown };
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      throw eventsError.validation('Parameter NextToken is not valid. Reason: Malformed request.');
    }
    if (typeof decoded?.o !== 'number' || !Number.isInteger(decoded.o) || decoded.o < 0) {
      throw eventsError.validation('Parameter NextToken is not valid. Reason: Malformed request.');
    }
    if (decoded.f !== filter)
      throw eventsError.validation('Parameter NextToken is not valid. Reason: Token invalid.');
    offset = decoded.o;
  }
  const end = limit === undefined ? items.length : offset + limit;
  const page = items.slice(offset, end);
  const nextToken =
    end < items.length ? Buffer.from(JSON.stringify({ o: end, f: filter })).toString('base64url') : undefined;
  return { items: page, nextToken };
}
