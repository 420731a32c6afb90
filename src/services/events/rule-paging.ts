import { ruleError } from './rule-errors.js';

// Without Limit, list operations answer at most 100 items a page (LimitMax100's upper bound).
const DEFAULT_LIMIT = 100;
const PREFIX = 'tideway-events:';

/** One page of `items` after `token` (an opaque offset, as AWS's tokens are opaque), and the next token. */
export function paginate<T>(
  items: readonly T[],
  token: string | undefined,
  limit: number | undefined,
): { page: T[]; next?: string } {
  let start = 0;
  if (token !== undefined) {
    const text = Buffer.from(token, 'base64url').toString('utf8');
    start = Number(text.slice(PREFIX.length));
    if (!text.startsWith(PREFIX) || !Number.isInteger(start) || start < 0) throw ruleError.badNextToken();
  }
  const end = start + (limit ?? DEFAULT_LIMIT);
  return {
    page: items.slice(start, end),
    next: end < items.length ? Buffer.from(`${PREFIX}${end}`).toString('base64url') : undefined,
  };
}
