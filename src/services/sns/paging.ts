import { snsError } from './errors.js';

// SNS list operations answer 100 items a page (SNS API Reference, ListTopics, ListSubscriptions).
const PAGE = 100;

/** One page of `items` after `token`, and the token of the next page if there is one. */
export function paginate<T>(
  items: T[],
  token: string | undefined,
  size = PAGE,
): { page: T[]; next?: string } {
  let start = 0;
  if (token !== undefined) {
    start = Number.parseInt(Buffer.from(token, 'base64url').toString(), 10);
    if (!Number.isInteger(start) || start < 0 || start > items.length)
      throw snsError.invalidParameter('NextToken');
  }
  const end = start + size;
  return {
    page: items.slice(start, end),
    next: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
}
