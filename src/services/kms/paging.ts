import { kmsError } from './errors.js';

/**
 * KMS's paging: at most Limit items (1–1000, 100 by default), and an opaque NextMarker that names
 * where the next page starts, so items added or removed meanwhile do not shift later pages.
 */
export function page<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  limit: number | undefined,
  marker: string | undefined,
): { items: T[]; next?: string } {
  const sorted = [...items].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
  let start = 0;
  if (marker !== undefined) {
    const id = Buffer.from(marker, 'base64url').toString('utf8');
    start = sorted.findIndex((item) => idOf(item) >= id);
    if (Buffer.from(id, 'utf8').toString('base64url') !== marker || id === '') throw kmsError.invalidMarker();
    if (start < 0) start = sorted.length;
  }
  const size = limit ?? 100;
  const chosen = sorted.slice(start, start + size);
  const following = sorted[start + size];
  return following === undefined
    ? { items: chosen }
    : { items: chosen, next: Buffer.from(idOf(following), 'utf8').toString('base64url') };
}
