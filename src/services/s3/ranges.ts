import { s3Error } from './errors.js';

/** Bytes [start, end] of an object, inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * A GetObject/HeadObject Range header as S3 reads it: one `bytes=first-last`, `bytes=first-` or
 * `bytes=-suffix` range. What S3 ignores (other units, several ranges, a malformed or reversed
 * range) gives undefined: the whole object, 200. A range that starts past the end, or an empty
 * suffix, is InvalidRange 416; an end past the object is cut to it.
 */
export function parseRange(header: string, size: number): ByteRange | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first, last] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw s3Error.invalidRange(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) throw s3Error.invalidRange(header, size);
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}
