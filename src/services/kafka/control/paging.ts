import { mskError } from './errors.js';

// MSK's tokens are opaque: these carry the offset of the next item.
const PREFIX = 'tideway-msk:';
/** Items per page when the call names no MaxResults (Tideway's choice; MSK documents none). */
const DEFAULT_LIMIT = 100;

export function page<T>(items: readonly T[], maxResults: number | undefined, token: string | undefined) {
  const start = readToken(token);
  const end = start + (maxResults ?? DEFAULT_LIMIT);
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(`${PREFIX}${end}`).toString('base64') : undefined,
  };
}

function readToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const text = Buffer.from(token, 'base64').toString('utf8');
  const offset = Number(text.slice(PREFIX.length));
  if (!text.startsWith(PREFIX) || !Number.isInteger(offset) || offset < 0)
    throw mskError.badRequest('The NextToken provided is invalid.', 'nextToken');
  return offset;
}
