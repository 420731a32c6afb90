import { schemasError } from './errors.js';

// The registry's tokens carry the offset of the next item, opaque to the caller as AWS's are.
const PREFIX = 'tideway-schemas:';
/** Items per page when the call names no Limit (Tideway's choice; AWS does not document one). */
const DEFAULT_LIMIT = 100;

export function page<T>(items: readonly T[], limit: number | undefined, token: string | undefined) {
  const start = readToken(token);
  if (limit !== undefined && limit < 1) throw schemasError.badRequest('Limit must be at least 1.');
  const size = limit ?? DEFAULT_LIMIT;
  const end = start + size;
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(`${PREFIX}${end}`).toString('base64') : undefined,
  };
}

function readToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const text = Buffer.from(token, 'base64').toString('utf8');
  const offset = Number(text.slice(PREFIX.length));
  if (!text.startsWith(PREFIX) || !Number.isInteger(offset) || offset < 0)
    throw schemasError.badRequest('The NextToken provided is invalid.');
  return offset;
}
